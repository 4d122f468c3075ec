"""Signposting while and after writing: the composer's preview, the panel after posting and the
held author's page. Nothing is blocked, nothing is lost."""

from __future__ import annotations

import pytest
from django.urls import reverse

from forum.models import HelpResource, Post, Thread
from moderation.screening import posts
from tests import factories

URGENT_REPLY = "Honestly I don't want to be alive anymore. I've been thinking about ending it tonight."
CONFIDENT_HIGH = "I've decided. I'm going to kill myself tonight, I have the pills saved up."


@pytest.fixture
def helpline(db):
    return HelpResource.objects.create(name="Samaritans", phone="116 123", hours="24 hours", is_active=True)


@pytest.fixture
def suicide_note(db):
    return factories.note(name="Suicidal thoughts", slug="suicidal-thoughts")


def test_preview_shows_the_post_and_the_support_panel_without_posting(member_client, thread, helpline, suicide_note):
    response = member_client.post(reverse("forum:reply", args=[thread.pk]), {"body": URGENT_REPLY, "preview": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Preview" in page and "t posted yet" in page
    assert "Samaritans" in page and "116 123" in page
    assert "Suicidal thoughts" in page
    assert URGENT_REPLY.replace("'", "&#x27;") in page  # kept in the form as typed
    assert Post.objects.filter(thread=thread).count() == 1  # nothing posted
    assert page.count("<h1") == 1


def test_preview_of_an_ordinary_post_shows_no_panel(member_client, thread, helpline):
    response = member_client.post(
        reverse("forum:reply", args=[thread.pk]), {"body": "Had a lovely walk today.", "preview": "1"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Had a lovely walk today." in page
    assert "Samaritans" not in page


def test_preview_works_when_starting_a_thread(member_client, subforum, helpline):
    response = member_client.post(
        reverse("forum:thread_create", args=[subforum.slug]),
        {"title": "Tonight", "body": URGENT_REPLY, "preview": "1"},
    )
    assert response.status_code == 200
    assert "Samaritans" in response.content.decode()
    assert not Thread.objects.filter(title="Tonight").exists()


def test_after_posting_at_medium_or_above_the_next_page_shows_the_panel_once(member_client, thread, helpline):
    response = member_client.post(reverse("forum:reply", args=[thread.pk]), {"body": URGENT_REPLY}, follow=True)
    page = response.content.decode()
    assert "You&#x27;re not alone with this" in page or "You're not alone with this" in page
    assert "Samaritans" in page
    again = member_client.get(thread.get_absolute_url()).content.decode()
    assert "not alone with this" not in again


def test_after_an_ordinary_post_no_panel(member_client, thread, helpline):
    page = member_client.post(
        reverse("forum:reply", args=[thread.pk]), {"body": "Thanks everyone, that helps"}, follow=True
    )
    assert "not alone with this" not in page.content.decode()


def test_held_author_sees_a_calm_message_and_resources_never_a_rejection(client, member, thread, helpline):
    post = factories.reply(author=member, thread=thread, body=CONFIDENT_HIGH)
    posts.post_screen(post_id=post.pk, revision=0)
    client.force_login(member)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "A moderator will read your post soon" in page
    assert "Your post is safe with us" in page and "Samaritans" in page
    assert "going to kill myself tonight" in page  # their words are still there for them
    for harsh in ("rejected", "violat", "not allowed", "removed"):
        assert harsh not in page.lower().replace("hasn't been removed", "")


def test_moderators_see_a_held_post(moderator_client, member, thread):
    post = factories.reply(author=member, thread=thread, body=CONFIDENT_HIGH)
    posts.post_screen(post_id=post.pk, revision=0)
    page = moderator_client.get(thread.get_absolute_url()).content.decode()
    assert "going to kill myself tonight" in page
    assert "Your post is safe with us" not in page  # that panel is the author's


def test_author_can_change_the_notes_screening_added(member_client, member, thread):
    eating = factories.note(name="Eating disorders", slug="eating-disorders")
    other = factories.note(name="Bereavement", slug="bereavement")
    post = factories.reply(author=member, thread=thread, body="I've been purging after every meal again this week.")
    posts.post_screen(post_id=post.pk, revision=0)
    assert list(post.notes.all()) == [eating]
    page = member_client.get(reverse("forum:post_edit", args=[post.pk])).content.decode()
    assert "Content notes" in page
    response = member_client.post(
        reverse("forum:post_edit", args=[post.pk]), {"body": post.source, "notes": [other.pk]}
    )
    assert response.status_code == 302
    assert list(post.notes.all()) == [other]
