"""Regressions for view bugs found by the attacks in test_security.py: kept text, hidden parents, blank posts."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from forum import services
from forum.models import Post, Thread
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_client(other_member):
    client = Client()
    client.force_login(other_member)
    return client


# 1. A thread locked while a member is typing: the 403 page drops everything they wrote
#    (the issue: "everything the member typed is still there").


def test_a_reply_refused_because_the_thread_was_locked_keeps_the_typed_text(other_client, thread):
    typed = "I wrote this for a long time & it <matters> to me."
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)
    response = other_client.post(reverse("forum:reply", args=[thread.pk]), {"body": typed})
    html = response.content.decode()
    assert response.status_code == 403
    assert "This thread is locked" in html
    assert escape(typed) in html
    assert not Post.objects.filter(source=typed).exists()


# 2. A hidden post shows "A post" instead of its author on the thread page, but the reply page
#    for it (/t/<id>/reply/?to=<hidden id>) names the author in its heading and accepts a reply.


@pytest.fixture
def hidden_reply(thread, member):
    reply = factories.reply(author=member, thread=thread, body="Hidden words.")
    return services.post_set_visibility(post=reply, status="hidden", reason="Shares a method.")


def test_the_reply_page_for_a_hidden_post_does_not_name_its_author(other_client, hidden_reply, member):
    url = reverse("forum:reply", args=[hidden_reply.thread_id])
    response = other_client.get(f"{url}?to={hidden_reply.pk}")
    assert response.status_code == 404 or member.pseudonym not in response.content.decode()


def test_others_cannot_reply_to_a_hidden_or_removed_post(other_client, hidden_reply, member, thread):
    removed = factories.reply(author=member, thread=thread, body="Removed words.")
    services.post_delete_by_author(post=removed, actor=removed.author)
    url = reverse("forum:reply", args=[hidden_reply.thread_id])
    for parent in (hidden_reply, removed):
        other_client.post(url, {"body": f"Answering {parent.pk}", "parent": parent.pk})
        assert not Post.objects.filter(source=f"Answering {parent.pk}").exists()


# 3. Posts and titles made only of invisible characters the filter does not know (Hangul fillers,
#    the Braille blank, tag characters, a Mongolian variation selector) or of character
#    references that decode to invisible ones are accepted, and show as an empty post or title.


@pytest.mark.parametrize(
    "invisible",
    ["\u3164\u3164", "\u2800\u2800", "\u115f\u1160", "\uffa0", "\u180b", "\U000e0020\U000e0041", "&#8203;", "&nbsp;"],
)
def test_posts_and_titles_that_only_look_empty_are_refused(member_client, subforum, invisible):
    url = reverse("forum:thread_create", args=[subforum.slug])
    as_body = member_client.post(url, {"title": "Still here", "body": invisible})
    as_title = member_client.post(url, {"title": invisible, "body": "Real words."})
    assert as_body.status_code == 422
    assert as_title.status_code == 422 or "&" in invisible  # a title is plain text: "&nbsp;" is visible there
    assert not Thread.objects.filter(title="Still here").exists()
