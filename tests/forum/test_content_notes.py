"""Content notes under each member's control (issue 3): listings, thread pages, profiles, moderators."""

import pytest
from django.urls import reverse

from forum import services
from forum.models import ContentNotePreference, Thread
from moderation.models import ModerationAction
from tests import factories
from tests.second_factor import sign_in

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Urges came back tonight"
SECRET_TEXT = "The words of a self-harm post"


@pytest.fixture
def self_harm(db):
    return factories.note(name="Self-harm", description="Mentions of hurting oneself.")


@pytest.fixture
def noted_thread(member, subforum, self_harm):
    return factories.thread(author=member, subforum=subforum, title=SECRET_TITLE, body=SECRET_TEXT, notes=[self_harm])


def _prefer(member, note, display):
    services.note_preferences_set(member=member, displays={note.pk: display})


def test_guests_see_noted_threads_collapsed_by_default(client, noted_thread, subforum):
    body = client.get(subforum.get_absolute_url()).content.decode()
    assert "<details" in body and "Content note: Self-harm" in body
    thread_page = client.get(noted_thread.get_absolute_url()).content.decode()
    assert "This thread mentions: Self-harm" in thread_page
    assert thread_page.index("<summary>") < thread_page.index(SECRET_TEXT)  # behind the notice


def test_member_who_hides_a_note_no_longer_sees_those_threads_anywhere(client, other_member, noted_thread, subforum):
    _prefer(other_member, noted_thread.notes.get(), "hide")
    client.force_login(other_member)
    listing = client.get(subforum.get_absolute_url()).content.decode()
    assert SECRET_TITLE not in listing
    assert "1 thread not shown because of your content-note choices" in listing
    page = client.get(noted_thread.get_absolute_url()).content.decode()
    assert SECRET_TEXT not in page and SECRET_TITLE not in page
    assert "content note you chose to hide" in page
    profile = client.get(reverse("forum:profile", args=[noted_thread.author.pseudonym])).content.decode()
    assert SECRET_TEXT not in profile and SECRET_TITLE not in profile


def test_hidden_thread_can_be_shown_once_on_request(client, other_member, noted_thread):
    _prefer(other_member, noted_thread.notes.get(), "hide")
    client.force_login(other_member)
    page = client.get(noted_thread.get_absolute_url() + "?reveal=thread").content.decode()
    assert SECRET_TEXT in page


def test_moderator_still_sees_hidden_note_threads_with_the_note_shown(client, moderator, noted_thread, subforum):
    _prefer(moderator, noted_thread.notes.get(), "hide")
    sign_in(client, moderator)
    listing = client.get(subforum.get_absolute_url()).content.decode()
    assert SECRET_TITLE in listing and "Content note: Self-harm" in listing
    page = client.get(noted_thread.get_absolute_url()).content.decode()
    assert SECRET_TEXT in page


def test_show_preference_shows_text_with_a_small_label(client, other_member, noted_thread):
    _prefer(other_member, noted_thread.notes.get(), "show")
    client.force_login(other_member)
    page = client.get(noted_thread.get_absolute_url()).content.decode()
    assert f"<h1>{SECRET_TITLE}</h1>" in page and "<details" not in page
    assert "Content note: Self-harm" in page


def test_a_reply_with_its_own_hidden_note_is_replaced_by_a_notice_until_revealed(
    client, member, other_member, thread, self_harm
):
    reply = factories.reply(author=member, thread=thread, body=SECRET_TEXT, notes=[self_harm])
    _prefer(other_member, self_harm, "hide")
    client.force_login(other_member)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert SECRET_TEXT not in page and "which you chose to hide" in page
    revealed = client.get(reply.get_absolute_url() + f"?reveal={reply.pk}", follow=True).content.decode()
    assert SECRET_TEXT in revealed


def test_guests_do_not_see_threads_whose_note_defaults_to_hide(client, member, subforum):
    graphic = factories.note(name="Graphic medical detail", default_display="hide")
    factories.thread(author=member, subforum=subforum, title="Surgery details", notes=[graphic])
    listing = client.get(subforum.get_absolute_url()).content.decode()
    assert "Surgery details" not in listing and "1 thread not shown" in listing


def test_preferences_page_saves_each_choice(client, member, self_harm):
    client.force_login(member)
    response = client.post(reverse("forum:note_preferences"), {f"note_{self_harm.pk}": "hide"})
    assert response.status_code == 302
    assert ContentNotePreference.objects.get(member=member, note=self_harm).display == "hide"


def test_subforum_that_requires_a_note_says_so_beside_the_field(client, member, self_harm):
    heavy = factories.subforum(requires_content_note=True)
    client.force_login(member)
    response = client.post(
        reverse("forum:thread_create", args=[heavy.slug]), {"title": "Hard day", "body": "Words I typed"}
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "at least one content note" in body and "Words I typed" in body
    ok = client.post(
        reverse("forum:thread_create", args=[heavy.slug]),
        {"title": "Hard day", "body": "Words I typed", "notes": [self_harm.pk]},
    )
    assert ok.status_code == 302


def test_subforum_default_notes_are_added_to_new_threads(member, self_harm):
    space = factories.subforum()
    space.default_notes.add(self_harm)
    thread = factories.thread(author=member, subforum=space)
    assert list(thread.notes.all()) == [self_harm]


def test_moderator_changes_notes_and_the_change_is_logged(client, moderator, noted_thread, self_harm):
    from forum.models import Rule

    rule = Rule.objects.create(code="R3", title="Use content notes", body="...")
    grief = factories.note(name="Bereavement")
    sign_in(client, moderator)
    post = noted_thread.posts.get()
    url = reverse("moderation:post_content_notes", args=[post.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"thread_notes": [self_harm.pk, grief.pk], "post_notes": [], "rule": rule.pk, "reason": "Adds grief"}
    )
    assert response.status_code == 302
    assert set(Thread.objects.get(pk=noted_thread.pk).notes.all()) == {self_harm, grief}
    entry = ModerationAction.objects.get()
    assert (entry.action, entry.actor, entry.rule, entry.reason) == (
        "thread_notes_change",
        moderator,
        rule,
        "Adds grief",
    )
    assert entry.before == {"notes": ["Self-harm"]} and entry.after == {"notes": ["Bereavement", "Self-harm"]}


def test_members_cannot_reach_the_moderator_notes_page(client, member, other_member, noted_thread):
    url = reverse("moderation:post_content_notes", args=[noted_thread.posts.get().pk])
    client.force_login(other_member)
    assert client.get(url).status_code == 404
    assert client.post(url, {"thread_notes": [], "post_notes": []}).status_code == 404


def test_moderation_log_is_append_only(moderator, noted_thread):
    from moderation.services import action_log

    entry = action_log(actor=moderator, action="test", rule=None, reason="why")
    entry.reason = "changed"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        ModerationAction.objects.all().update(reason="x")
    with pytest.raises(PermissionError):
        ModerationAction.objects.all().delete()
    assert ModerationAction.objects.get().reason == "why"


def test_a_member_who_hides_every_note_sees_only_unnoted_content(client, member, other_member, subforum, self_harm):
    grief = factories.note(name="Bereavement")
    factories.thread(author=member, subforum=subforum, title="Grief thread", body="grief words", notes=[grief])
    factories.thread(author=member, subforum=subforum, title=SECRET_TITLE, body=SECRET_TEXT, notes=[self_harm])
    plain = factories.thread(author=member, subforum=subforum, title="A plain thread", body="plain words")
    factories.reply(author=member, thread=plain, body="noted reply words", notes=[grief])
    services.note_preferences_set(member=other_member, displays={self_harm.pk: "hide", grief.pk: "hide"})
    client.force_login(other_member)
    pages = [
        client.get("/").content.decode(),
        client.get(subforum.get_absolute_url()).content.decode(),
        client.get(plain.get_absolute_url()).content.decode(),
        client.get(reverse("forum:profile", args=[member.pseudonym])).content.decode(),
    ]
    for page in pages:
        for secret in ("Grief thread", "grief words", SECRET_TITLE, SECRET_TEXT, "noted reply words"):
            assert secret not in page
    assert "A plain thread" in pages[1] and "plain words" in pages[2]
    assert "2 threads not shown" in pages[1]


def test_reply_page_keeps_a_noted_post_behind_its_notice(client, member, other_member, noted_thread):
    client.force_login(other_member)
    page = client.get(reverse("forum:reply", args=[noted_thread.pk]) + f"?to={noted_thread.posts.get().pk}")
    body = page.content.decode()
    assert (
        "The post you&#x27;re replying to mentions: Self-harm" in body
        or "The post you're replying to mentions: Self-harm" in body
    )
    assert body.index("<summary>") < body.index(SECRET_TEXT)
