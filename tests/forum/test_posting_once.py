"""A double click or a retry stores one post: the composer's single-use submission token."""

from __future__ import annotations

import re
import threading
import uuid

import pytest
from django.db import connection
from django.urls import reverse

from forum import services
from forum.models import Post, Thread
from tests import factories


def _token_from(page) -> str:
    match = re.search(r'name="submission_token" value="([0-9a-f-]+)"', page.content.decode())
    assert match, "the composer carries a submission token"
    return match.group(1)


def test_each_composer_gets_a_fresh_token(member_client, thread):
    first = _token_from(member_client.get(reverse("forum:reply", args=[thread.pk])))
    second = _token_from(member_client.get(reverse("forum:reply", args=[thread.pk])))
    assert first != second


def test_a_double_submitted_reply_is_stored_once(member_client, thread):
    token = _token_from(member_client.get(thread.get_absolute_url()))
    data = {"body": "Thank you for sharing this.", "submission_token": token}
    first = member_client.post(reverse("forum:reply", args=[thread.pk]), data)
    second = member_client.post(reverse("forum:reply", args=[thread.pk]), data)
    assert Post.objects.filter(source=data["body"]).count() == 1
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]  # the retry lands on the post already made
    thread.refresh_from_db()
    assert thread.reply_count == 1


def test_a_double_submitted_thread_is_started_once(member_client, subforum):
    url = reverse("forum:thread_create", args=[subforum.slug])
    token = _token_from(member_client.get(url))
    data = {"title": "First time here", "body": "Hello, everyone.", "submission_token": token}
    first = member_client.post(url, data)
    second = member_client.post(url, data)
    assert Thread.objects.filter(title="First time here").count() == 1
    assert first["Location"] == second["Location"]
    subforum.refresh_from_db()
    assert subforum.thread_count == 1


def test_the_same_token_with_changed_words_is_a_new_post_not_lost(member, thread):
    token = uuid.uuid4()
    first = services.post_reply(author=member, thread=thread, body="First words", submission_token=token)
    second = services.post_reply(author=member, thread=thread, body="Changed my mind", submission_token=token)
    assert first.pk != second.pk
    assert Post.objects.filter(thread=thread, position__gt=0).count() == 2


def test_another_members_token_is_not_theirs_to_reuse(member, other_member, thread):
    token = uuid.uuid4()
    mine = services.post_reply(author=member, thread=thread, body="Same words", submission_token=token)
    theirs = services.post_reply(author=other_member, thread=thread, body="Same words", submission_token=token)
    assert mine.pk != theirs.pk and theirs.author_id == other_member.pk


def test_posts_without_a_token_are_never_merged(member, thread):
    services.post_reply(author=member, thread=thread, body="Twice on purpose")
    services.post_reply(author=member, thread=thread, body="Twice on purpose")
    assert Post.objects.filter(source="Twice on purpose").count() == 2


def test_a_held_repeat_still_says_it_is_held(member_client, member):
    space = factories.subforum(posting_policy="premod_all")
    url = reverse("forum:thread_create", args=[space.slug])
    token = _token_from(member_client.get(url))
    data = {"title": "Held", "body": "Waiting for a moderator", "submission_token": token}
    member_client.post(url, data)
    again = member_client.post(url, data, follow=True)
    assert "A moderator will read it soon" in again.content.decode()
    assert Thread.objects.filter(title="Held").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["reply", "thread"])
def test_simultaneous_twins_on_postgres_store_one_post(kind, member, subforum):
    assert connection.vendor == "postgresql"
    thread = factories.thread(author=member, subforum=subforum)
    token = uuid.uuid4()
    start = threading.Barrier(4)
    results, errors = [], []

    def submit() -> None:
        try:
            start.wait()
            fresh = factories._fresh(member)
            if kind == "reply":
                results.append(
                    services.post_reply(author=fresh, thread=thread, body="Only once", submission_token=token).pk
                )
            else:
                started = services.thread_create(
                    author=fresh, subforum=subforum, title="Once", body="Only once", submission_token=token
                )
                results.append(started.pk)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=submit) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    assert len(set(results)) == 1
    assert Post.objects.filter(source="Only once").count() == 1
