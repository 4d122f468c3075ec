"""Forum views as an attacker would use them: other people's posts, things waiting for review or
hidden by a moderator, forged requests, oversized or invisible input, and hostile text in every
field a member or admin controls that reaches a page.

A member never learns that something they may not see exists, so refusals for other people's
things are 404s, and nothing changes.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from accounts.models import User
from forum import services
from forum.models import Post, PostRevision, Thread
from forum.validation import EMPTY_POST
from tests import factories
from tests.second_factor import sign_in

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
RAW_SCRIPT = "<script>alert(1)"


@pytest.fixture
def reply_by_member(thread, member):
    return factories.reply(author=member, thread=thread, body="My own reply, only mine to change.")


@pytest.fixture
def guest():
    """A separate client: ``member_client`` signs in pytest-django's ``client`` itself."""
    return Client()


@pytest.fixture
def other_client(other_member):
    client = Client()
    client.force_login(other_member)
    return client


@pytest.fixture
def premod_subforum(db):
    return factories.subforum(name="Reviewed space", slug="reviewed", posting_policy="premod_all")


def _edit_url(post: Post) -> str:
    return reverse("forum:post_edit", args=[post.pk])


def _remove_url(post: Post) -> str:
    return reverse("forum:post_delete", args=[post.pk])


def _text(response) -> str:
    return response.content.decode()


def _assert_message_beside_field(html: str, field: str, message: str) -> None:
    """The message sits between the field's label and its input, tied to it for screen readers
    (the error summary above the form lists it too, linked to the field)."""
    label = html.index(f'for="id_{field}"')
    control = re.search(rf'<(textarea|input)[^>]*name="{field}"', html)
    assert control is not None, html
    assert f'<a href="#id_{field}">{message}' in html  # in the summary
    assert label < html.index(message, label) < control.start(), html
    assert 'aria-invalid="true"' in control.group(0) or 'aria-invalid="true"' in html[control.start() :][:400]


# --- Someone else's posts (IDOR) ------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_other_member_cannot_edit_someone_elses_reply(other_client, reply_by_member, method):
    response = getattr(other_client, method)(_edit_url(reply_by_member), {"body": "Defaced"})
    assert response.status_code == 404
    reply_by_member.refresh_from_db()
    assert reply_by_member.source == "My own reply, only mine to change."
    assert reply_by_member.edit_count == 0
    assert not PostRevision.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_other_member_cannot_edit_someone_elses_opening_post_or_title(other_client, thread, method):
    opening = Post.objects.get(thread=thread, position=0)
    response = getattr(other_client, method)(_edit_url(opening), {"body": "Defaced", "title": "Defaced"})
    assert response.status_code == 404
    opening.refresh_from_db()
    thread.refresh_from_db()
    assert opening.source == "It was hard today."
    assert thread.title == "Panic on the bus"


@pytest.mark.parametrize("method", ["get", "post"])
def test_other_member_cannot_remove_someone_elses_post(other_client, thread, reply_by_member, method):
    for post in (Post.objects.get(thread=thread, position=0), reply_by_member):
        response = getattr(other_client, method)(_remove_url(post))
        assert response.status_code == 404
        post.refresh_from_db()
        assert post.status == "published"
    thread.refresh_from_db()
    assert thread.status == "published" and thread.reply_count == 1


def test_other_member_sees_no_edit_or_remove_links_on_someone_elses_posts(other_client, thread, reply_by_member):
    html = _text(other_client.get(thread.get_absolute_url()))
    assert _edit_url(reply_by_member) not in html
    assert _remove_url(reply_by_member) not in html


def test_author_can_still_edit_their_own_post(member_client, reply_by_member):
    # The refusals above are not a blanket failure: the author's own request works.
    response = member_client.post(_edit_url(reply_by_member), {"body": "Changed by me."})
    assert response.status_code == 302
    reply_by_member.refresh_from_db()
    assert reply_by_member.source == "Changed by me."


@pytest.mark.parametrize("action", ["edit", "remove"])
def test_editing_or_removing_a_post_that_does_not_exist_is_404(member_client, action):
    assert member_client.get(f"/p/987654/{action}/").status_code == 404
    assert member_client.get(f"/p/99999999999999999999999/{action}/").status_code == 404


# --- Guests are sent to sign in ------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_guest_is_sent_to_sign_in_before_composing_replying_or_editing(guest, thread, subforum, method):
    opening = Post.objects.get(thread=thread, position=0)
    urls = [
        reverse("forum:thread_create", args=[subforum.slug]),
        reverse("forum:reply", args=[thread.pk]),
        _edit_url(opening),
        _remove_url(opening),
    ]
    for url in urls:
        response = getattr(guest, method)(url, {"title": "Guest", "body": "Guest words"})
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login") + "?next="), url
    assert Thread.objects.count() == 1 and Post.objects.count() == 1
    opening.refresh_from_db()
    assert opening.source == "It was hard today." and opening.status == "published"


# --- Waiting for review (pre-moderation) ----------------------------------------------------


@pytest.fixture
def pending_thread(member, premod_subforum):
    thread = factories.thread(author=member, subforum=premod_subforum, title="Held thread", body="Held words.")
    assert thread.status == "pending"
    return thread


def test_pending_thread_is_404_for_guests_and_other_members(guest, other_client, pending_thread):
    assert guest.get(pending_thread.get_absolute_url()).status_code == 404
    assert other_client.get(pending_thread.get_absolute_url()).status_code == 404
    assert other_client.get(f"/t/{pending_thread.pk}/").status_code == 404


def test_pending_thread_is_visible_to_its_author_and_moderators(member_client, moderator, pending_thread):
    mine = member_client.get(pending_thread.get_absolute_url())
    assert mine.status_code == 200 and "Held words." in _text(mine)
    moderators = Client()
    sign_in(moderators, moderator)
    theirs = moderators.get(pending_thread.get_absolute_url())
    assert theirs.status_code == 200 and "Held words." in _text(theirs)


def test_pending_thread_permalink_is_404_for_others_and_redirects_its_author(
    guest, other_client, member_client, pending_thread
):
    opening = Post.objects.get(thread=pending_thread, position=0)
    assert guest.get(opening.get_absolute_url()).status_code == 404
    assert other_client.get(opening.get_absolute_url()).status_code == 404
    assert member_client.get(opening.get_absolute_url()).status_code == 302


def test_pending_thread_is_not_listed_for_others(guest, other_client, member_client, pending_thread, premod_subforum):
    url = premod_subforum.get_absolute_url()
    assert "Held thread" not in _text(guest.get(url))
    assert "Held thread" not in _text(other_client.get(url))
    assert "Held thread" in _text(member_client.get(url))


def test_others_cannot_reply_to_a_pending_thread(other_client, pending_thread):
    response = other_client.post(reverse("forum:reply", args=[pending_thread.pk]), {"body": "Sneaky"})
    assert response.status_code == 404
    assert not Post.objects.filter(source="Sneaky").exists()


@pytest.fixture
def pending_reply(moderator, member, premod_subforum):
    # Staff posts are not held, so the thread is public; the member's reply waits for review.
    public = factories.thread(author=moderator, subforum=premod_subforum, title="Staff thread", body="Welcome.")
    reply = factories.reply(author=member, thread=public, body="A reply still waiting.")
    assert public.status == "published" and reply.status == "pending"
    return reply


def test_pending_reply_is_invisible_to_guests_and_other_members(guest, other_client, pending_reply):
    for viewer in (guest, other_client):
        page = viewer.get(pending_reply.thread.get_absolute_url())
        assert page.status_code == 200
        assert "A reply still waiting." not in _text(page)
        assert pending_reply.anchor not in _text(page)
        assert viewer.get(pending_reply.get_absolute_url()).status_code == 404


def test_pending_reply_is_visible_to_its_author_and_moderators(member_client, moderator, pending_reply):
    assert "A reply still waiting." in _text(member_client.get(pending_reply.thread.get_absolute_url()))
    assert member_client.get(pending_reply.get_absolute_url()).status_code == 302
    moderators = Client()
    sign_in(moderators, moderator)
    assert "A reply still waiting." in _text(moderators.get(pending_reply.thread.get_absolute_url()))


def test_others_cannot_answer_a_pending_reply(other_client, pending_reply):
    url = reverse("forum:reply", args=[pending_reply.thread_id])
    assert other_client.get(f"{url}?to={pending_reply.pk}").status_code == 404
    assert other_client.post(url, {"body": "Answering", "parent": pending_reply.pk}).status_code == 404
    assert not Post.objects.filter(source="Answering").exists()


# --- Hidden by a moderator ------------------------------------------------------------------


@pytest.fixture
def hidden_reply(thread, member):
    reply = factories.reply(author=member, thread=thread, body="Words a moderator hid.")
    return services.post_set_visibility(post=reply, status="hidden", reason="Shares a method (R3).")


def test_hidden_post_shows_others_a_placeholder_without_its_text(guest, other_client, hidden_reply):
    for viewer in (guest, other_client):
        html = _text(viewer.get(hidden_reply.thread.get_absolute_url()))
        assert "This post was hidden by a moderator." in html
        assert "Words a moderator hid." not in html
        assert "Shares a method" not in html


def test_hidden_post_shows_its_text_and_reason_to_its_author(member_client, hidden_reply):
    html = _text(member_client.get(hidden_reply.thread.get_absolute_url()))
    assert "Words a moderator hid." in html
    assert "Shares a method (R3)." in html


def test_hidden_post_shows_its_text_and_reason_to_moderators(moderator, hidden_reply):
    moderators = Client()
    sign_in(moderators, moderator)
    html = _text(moderators.get(hidden_reply.thread.get_absolute_url()))
    assert "Words a moderator hid." in html
    assert "Shares a method (R3)." in html


def test_hidden_post_is_not_on_its_authors_public_profile(other_client, member, hidden_reply):
    html = _text(other_client.get(member.get_absolute_url()))
    assert "Words a moderator hid." not in html


def test_hidden_opening_post_takes_its_thread_out_of_reach(guest, other_client, member_client, thread):
    opening = Post.objects.get(thread=thread, position=0)
    services.post_set_visibility(post=opening, status="hidden", reason="Off topic.")
    assert guest.get(thread.get_absolute_url()).status_code == 404
    assert other_client.get(thread.get_absolute_url()).status_code == 404
    assert member_client.get(thread.get_absolute_url()).status_code == 200


def test_removed_post_text_is_gone_for_others(other_client, member_client, reply_by_member):
    assert member_client.post(_remove_url(reply_by_member)).status_code == 302
    html = _text(other_client.get(reply_by_member.thread.get_absolute_url()))
    assert "This post was removed by its author." in html
    assert "My own reply, only mine to change." not in html


# --- Locked threads and misplaced replies ----------------------------------------------------


def test_locked_thread_refuses_a_members_reply_with_a_calm_403(other_client, thread):
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)
    response = other_client.post(reverse("forum:reply", args=[thread.pk]), {"body": "Typed before it locked"})
    assert response.status_code == 403
    assert "This thread is locked, so it doesn&#x27;t take new replies." in _text(response)
    assert not Post.objects.filter(source="Typed before it locked").exists()


def test_locked_thread_page_offers_members_no_reply_box(other_client, thread):
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)
    html = _text(other_client.get(thread.get_absolute_url()))
    assert "This thread is locked" in html
    assert 'name="body"' not in html


def test_replying_with_a_parent_from_another_thread_is_404(member_client, member, other_member, thread, subforum):
    elsewhere = factories.thread(author=other_member, subforum=subforum, title="Elsewhere", body="Over here.")
    foreign = factories.reply(author=other_member, thread=elsewhere, body="A reply over here.")
    url = reverse("forum:reply", args=[thread.pk])
    for parent in (foreign, Post.objects.get(thread=elsewhere, position=0)):
        assert member_client.post(url, {"body": "Crossed wires", "parent": parent.pk}).status_code == 404
        assert member_client.get(f"{url}?to={parent.pk}").status_code == 404
    assert not Post.objects.filter(source="Crossed wires").exists()


@pytest.mark.parametrize("parent", ["abc", "-1", "1.5", "99999999999999999999999", "987654"])
def test_replying_with_a_junk_parent_is_404(member_client, thread, parent):
    url = reverse("forum:reply", args=[thread.pk])
    assert member_client.post(url, {"body": "Junk parent", "parent": parent}).status_code == 404
    assert member_client.get(url, {"to": parent}).status_code == 404
    assert not Post.objects.filter(source="Junk parent").exists()


# --- Forged requests (CSRF) -----------------------------------------------------------------


@pytest.fixture
def csrf_client(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    return client


def test_compose_without_a_csrf_token_is_refused(csrf_client, subforum):
    url = reverse("forum:thread_create", args=[subforum.slug])
    response = csrf_client.post(url, {"title": "Forged", "body": "Forged words"})
    assert response.status_code == 403
    assert not Thread.objects.filter(title="Forged").exists()


def test_reply_without_a_csrf_token_is_refused(csrf_client, thread):
    response = csrf_client.post(reverse("forum:reply", args=[thread.pk]), {"body": "Forged reply"})
    assert response.status_code == 403
    assert not Post.objects.filter(source="Forged reply").exists()


def test_edit_without_a_csrf_token_is_refused(csrf_client, reply_by_member):
    response = csrf_client.post(_edit_url(reply_by_member), {"body": "Forged edit"})
    assert response.status_code == 403
    reply_by_member.refresh_from_db()
    assert reply_by_member.source == "My own reply, only mine to change."


def test_remove_without_a_csrf_token_is_refused(csrf_client, reply_by_member):
    response = csrf_client.post(_remove_url(reply_by_member))
    assert response.status_code == 403
    reply_by_member.refresh_from_db()
    assert reply_by_member.status == "published"


def test_pseudonym_change_without_a_csrf_token_is_refused(csrf_client, member):
    response = csrf_client.post(reverse("accounts:pseudonym"), {"pseudonym": "ForgedName"})
    assert response.status_code == 403
    member.refresh_from_db()
    assert member.pseudonym == "MemberMaple"


def test_a_wrong_csrf_token_is_refused_too(csrf_client, subforum):
    url = reverse("forum:thread_create", args=[subforum.slug])
    csrf_client.get(url)
    response = csrf_client.post(url, {"title": "Forged", "body": "Words", "csrfmiddlewaretoken": "x" * 64})
    assert response.status_code == 403
    assert not Thread.objects.filter(title="Forged").exists()


def test_the_same_post_with_the_pages_csrf_token_is_accepted(csrf_client, subforum):
    # Proves the refusals above come from the missing token, not from something else.
    url = reverse("forum:thread_create", args=[subforum.slug])
    page = _text(csrf_client.get(url))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = csrf_client.post(url, {"title": "Real", "body": "Real words", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Thread.objects.filter(title="Real").exists()


# --- Oversized, empty and invisible input ---------------------------------------------------

LONG_LINE = 'I\'m <still> here & "trying" — one day at a time. '


def test_an_oversized_post_gets_a_calm_message_beside_the_field_and_keeps_every_character(
    member_client, subforum, settings
):
    limit = settings.HEARTH_MAX_POST_LENGTH
    typed = (LONG_LINE * (limit // len(LONG_LINE) + 2))[: limit + 1]
    response = member_client.post(
        reverse("forum:thread_create", args=[subforum.slug]), {"title": "A long night", "body": typed}
    )
    html = _text(response)
    assert response.status_code == 422
    _assert_message_beside_field(html, "body", f"Please keep a post under {limit:,} characters")
    assert escape(typed) in html
    assert 'value="A long night"' in html
    assert not Thread.objects.exists()


def test_an_oversized_reply_keeps_every_character(member_client, thread, settings):
    limit = settings.HEARTH_MAX_POST_LENGTH
    typed = (LONG_LINE * (limit // len(LONG_LINE) + 2))[: limit + 10]
    response = member_client.post(reverse("forum:reply", args=[thread.pk]), {"body": typed})
    html = _text(response)
    assert response.status_code == 422
    _assert_message_beside_field(html, "body", "Please keep a post under")
    assert escape(typed) in html
    assert Post.objects.count() == 1


def test_an_oversized_title_gets_a_calm_message_beside_the_field_and_keeps_both_fields(
    member_client, subforum, settings
):
    limit = settings.HEARTH_MAX_TITLE_LENGTH
    title = ('Why <does> it & "hurt" ' * 20)[: limit + 1]
    body = 'Everything I typed, <kept> & "safe".'
    response = member_client.post(reverse("forum:thread_create", args=[subforum.slug]), {"title": title, "body": body})
    html = _text(response)
    assert response.status_code == 422
    _assert_message_beside_field(html, "title", f"Please keep the title under {limit} characters")
    assert f'value="{escape(title)}"' in html
    assert escape(body) in html
    assert not Thread.objects.exists()


def test_an_oversized_edit_keeps_every_character_and_changes_nothing(member_client, reply_by_member, settings):
    limit = settings.HEARTH_MAX_POST_LENGTH
    typed = (LONG_LINE * (limit // len(LONG_LINE) + 2))[: limit + 1]
    response = member_client.post(_edit_url(reply_by_member), {"body": typed})
    assert response.status_code == 422
    assert escape(typed) in _text(response)
    reply_by_member.refresh_from_db()
    assert reply_by_member.source == "My own reply, only mine to change."


INVISIBLE_BODIES = ["   ", "\n\n\t", "\u200b\u200b", "\u00a0 \n", "\ufeff\u200d\u2060", "\u202e\u200e\u200f"]


@pytest.mark.parametrize("body", INVISIBLE_BODIES)
def test_an_empty_looking_thread_is_refused_beside_the_field(member_client, subforum, body):
    response = member_client.post(
        reverse("forum:thread_create", args=[subforum.slug]), {"title": "Still here", "body": body}
    )
    assert response.status_code == 422
    _assert_message_beside_field(_text(response), "body", escape(EMPTY_POST))
    assert not Thread.objects.exists() and not Post.objects.exists()


@pytest.mark.parametrize("body", INVISIBLE_BODIES)
def test_an_empty_looking_reply_is_refused_beside_the_field(member_client, thread, body):
    response = member_client.post(reverse("forum:reply", args=[thread.pk]), {"body": body})
    assert response.status_code == 422
    _assert_message_beside_field(_text(response), "body", escape(EMPTY_POST))
    assert Post.objects.count() == 1


@pytest.mark.parametrize("body", INVISIBLE_BODIES)
def test_an_edit_to_empty_looking_text_is_refused(member_client, reply_by_member, body):
    response = member_client.post(_edit_url(reply_by_member), {"body": body})
    assert response.status_code == 422
    reply_by_member.refresh_from_db()
    assert reply_by_member.source == "My own reply, only mine to change."


def test_a_missing_body_is_refused_beside_the_field(member_client, subforum):
    response = member_client.post(reverse("forum:thread_create", args=[subforum.slug]), {"title": "Hi", "body": ""})
    assert response.status_code == 422
    _assert_message_beside_field(_text(response), "body", escape(EMPTY_POST))
    assert not Thread.objects.exists()


@pytest.mark.parametrize("title", ["   ", "\u200b\u200b", "\u202e", "\u00a0"])
def test_an_invisible_title_is_refused_beside_the_field(member_client, subforum, title):
    response = member_client.post(
        reverse("forum:thread_create", args=[subforum.slug]), {"title": title, "body": "Real words."}
    )
    assert response.status_code == 422
    assert "field-invalid" in _text(response)
    assert "Real words." in _text(response)
    assert not Thread.objects.exists()


def test_direction_overrides_are_removed_from_titles(member_client, subforum):
    member_client.post(
        reverse("forum:thread_create", args=[subforum.slug]), {"title": "photo\u202egnp.exe", "body": "x"}
    )
    assert Thread.objects.get().title == "photognp.exe"


# --- Hostile text in every field that reaches a page ----------------------------------------


def _pages_showing(thread: Thread, author: User) -> list[str]:
    return ["/", thread.subforum.get_absolute_url(), thread.get_absolute_url(), author.get_absolute_url()]


def test_a_hostile_thread_title_is_escaped_everywhere_it_shows(member_client, other_client, member, subforum):
    response = member_client.post(
        reverse("forum:thread_create", args=[subforum.slug]),
        {"title": f'{SCRIPT}"><img src=x onerror=alert(2)>', "body": "Hello."},
    )
    assert response.status_code == 302
    thread = Thread.objects.get()
    urls = [*_pages_showing(thread, member), reverse("forum:reply", args=[thread.pk])]
    urls.append(_edit_url(Post.objects.get(thread=thread, position=0)))
    for client in (member_client, other_client, Client()):
        for url in urls:
            response = client.get(url)
            if response.status_code == 302:
                continue  # a guest asked to sign in for reply/edit
            html = _text(response)
            assert RAW_SCRIPT not in html, url
            assert "<img src=x" not in html, url
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in _text(other_client.get(thread.get_absolute_url()))


def test_a_hostile_post_body_is_neutralised_everywhere_it_shows(member_client, other_client, member, thread):
    body = f'{SCRIPT} <img src=x onerror=alert(2)> [x](javascript:alert(3)) <a href="javascript:alert(4)">y</a>'
    response = member_client.post(reverse("forum:reply", args=[thread.pk]), {"body": body})
    assert response.status_code == 302
    reply = Post.objects.get(source=body)
    urls = [*_pages_showing(thread, member), f"{reverse('forum:reply', args=[thread.pk])}?to={reply.pk}"]
    urls.append(_edit_url(reply))
    for client in (member_client, other_client):
        for url in urls:
            response = client.get(url)
            if response.status_code == 404:
                continue  # the edit page is the author's only
            html = _text(response)
            assert RAW_SCRIPT not in html, url
            assert "<img src=x" not in html, url
            assert 'href="javascript:' not in html.lower(), url


def test_a_pseudonym_with_markup_is_refused(member_client, member):
    response = member_client.post(reverse("accounts:pseudonym"), {"pseudonym": "<script>x"})
    html = _text(response)
    assert response.status_code in (200, 422)
    assert "field-invalid" in html
    assert "<script>x" not in html
    member.refresh_from_db()
    assert member.pseudonym == "MemberMaple"


@pytest.mark.parametrize("pseudonym", ['a"onmouseover=x', "x'><b>", "java script:", "name\u202e", "bad&amp;"])
def test_pseudonyms_with_quotes_spaces_or_invisible_characters_are_refused(member_client, member, pseudonym):
    member_client.post(reverse("accounts:pseudonym"), {"pseudonym": pseudonym})
    member.refresh_from_db()
    assert member.pseudonym == "MemberMaple"


def test_a_hostile_content_note_name_is_escaped_everywhere_it_shows(member_client, other_client, member, subforum):
    hostile = factories.note(name=SCRIPT, slug="hostile", default_display="collapse")
    shown = factories.note(name='"><img src=x onerror=alert(2)>', slug="shown")
    thread = factories.thread(author=member, subforum=subforum, title="Noted", body="Noted words.", notes=[hostile])
    factories.reply(author=member, thread=thread, body="Reply with a note.", notes=[shown])
    urls = [
        *_pages_showing(thread, member),
        reverse("forum:thread_create", args=[subforum.slug]),
        reverse("forum:reply", args=[thread.pk]),
    ]
    seen_escaped = False
    for client in (member_client, other_client, Client()):
        for url in urls:
            response = client.get(url)
            if response.status_code == 302:
                continue
            html = _text(response)
            assert RAW_SCRIPT not in html, url
            assert "<img src=x" not in html, url
            seen_escaped |= "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert seen_escaped  # the note name did reach a page, escaped


# --- Junk in query strings ------------------------------------------------------------------


@pytest.mark.parametrize("page", ["abc", "-1", "0", "999999", "1.5", "", "1e9", "99999999999999999999999", "%00"])
def test_junk_page_numbers_do_not_error(guest, member_client, thread, page):
    for viewer in (guest, member_client):
        assert viewer.get(thread.subforum.get_absolute_url(), {"page": page}).status_code == 200
        assert viewer.get(thread.get_absolute_url(), {"page": page}).status_code == 200


@pytest.mark.parametrize("reveal", ["1", "abc", "-1", "<script>"])
def test_junk_reveal_values_do_not_error(member_client, thread, reveal):
    response = member_client.get(thread.get_absolute_url(), {"reveal": reveal})
    assert response.status_code == 200
    assert "<script>" not in _text(response).replace('<script src="', "")


def test_junk_ids_in_urls_are_404(member_client):
    for url in ["/p/0/", "/t/0/x/", "/t/99999999999999999999999/x/", "/p/99999999999999999999999/", "/m/nobody-here/"]:
        assert member_client.get(url).status_code == 404, url
