"""A content note the reader hides keeps hiding: the reply page, "Reply to" links and the address
bar never carry what the note hides (issue 21)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from forum import services
from tests import factories

SECRET_TITLE = "Urges came back tonight"
SECRET_REPLY = "What helped me through the worst night"


@pytest.fixture
def self_harm(db):
    return factories.note(name="Self-harm", description="Mentions of hurting oneself.")


@pytest.fixture
def hider(member, self_harm):
    """The reader: hides every post and thread noted self-harm."""
    services.note_preferences_set(member=member, displays={self_harm.pk: "hide"})
    return member


@pytest.fixture
def noted_thread(other_member, subforum, self_harm):
    return factories.thread(author=other_member, subforum=subforum, title=SECRET_TITLE, notes=[self_harm])


@pytest.fixture
def noted_reply(other_member, thread, self_harm):
    """A reply carrying its own note, in a thread without one."""
    return factories.reply(author=other_member, thread=thread, body=SECRET_REPLY, notes=[self_harm])


def test_the_reply_page_of_a_hidden_thread_shows_neither_its_title_nor_its_slug(client, hider, noted_thread):
    client.force_login(hider)
    page = client.get(reverse("forum:reply", args=[noted_thread.pk])).content.decode()
    assert SECRET_TITLE not in page
    assert noted_thread.slug not in page


def test_replying_to_a_hidden_post_does_not_show_its_text(client, hider, noted_reply):
    client.force_login(hider)
    url = reverse("forum:reply", args=[noted_reply.thread_id]) + f"?to={noted_reply.pk}"
    page = client.get(url)
    assert page.status_code == 200
    assert SECRET_REPLY not in page.content.decode()
    assert "you chose to hide" in page.content.decode()


def test_no_reply_link_is_offered_under_a_hidden_post(client, hider, noted_reply):
    client.force_login(hider)
    page = client.get(noted_reply.thread.get_absolute_url()).content.decode()
    assert f"?to={noted_reply.pk}" not in page
    opening = noted_reply.thread.posts.get(position=0)
    assert f"?to={opening.pk}" in page  # posts the reader sees keep theirs


def test_a_noted_threads_address_never_carries_its_title(client, hider, noted_thread):
    """The slug would land in the address bar and the browser's history: noted threads have none."""
    client.force_login(hider)
    assert noted_thread.get_absolute_url() == f"/t/{noted_thread.pk}/"
    assert client.get(f"/t/{noted_thread.pk}/").status_code == 200
    with_slug = client.get(f"/t/{noted_thread.pk}/{noted_thread.slug}/")
    assert with_slug.status_code == 302 and with_slug["Location"] == f"/t/{noted_thread.pk}/"
    permalink = client.get(reverse("forum:post", args=[noted_thread.posts.get().pk]))
    assert noted_thread.slug not in permalink["Location"]


def test_threads_without_notes_keep_their_readable_address(client, thread):
    assert client.get(f"/t/{thread.pk}/")["Location"] == f"/t/{thread.pk}/{thread.slug}/"
