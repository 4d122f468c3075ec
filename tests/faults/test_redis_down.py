"""Redis down (issue 22): reading, signing in, posting and moderating keep working through the
real server; the cache, sign-in limits, live updates and job queueing degrade quietly; no 500
reaches anyone. When Redis is back, the sweeper screens what could not be queued."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.test import override_settings

from forum.models import Post, Thread
from moderation.models import ModerationAction, Report, ReviewItem
from moderation.screening.models import ScreeningResult
from tests import factories
from tests.faults.http import Browser
from tests.faults.servers import private_redis
from tests.live_server import live_server

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

PASSWORD = "a-long-test-password"  # noqa: S105
REPLY = "Redis is down and I'm still here. Thank you for listening tonight."
NEW_THREAD = ("Couldn't sleep again", "Posting while the forum's cache is away, to see it still holds me.")


@pytest.mark.django_db(transaction=True)
def test_with_redis_down_members_read_sign_in_post_and_moderators_act():
    space = factories.subforum(name="Sleep", slug="sleep")
    opener = factories.member(pseudonym="OpenOak")
    thread = factories.thread(author=opener, subforum=space, title="Awake at 3am", body="Anyone else?")
    member = factories.member(pseudonym="NightHeron", email="heron@example.org")
    member.password = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())  # the server's hasher
    member.save(update_fields=["password"])
    moderator = factories.member(pseudonym="ModMoss", email="moss@example.org", is_moderator=True)

    with private_redis() as redis, live_server(extra_env={"REDIS_URL": redis.url}) as address:
        guest, reader, mod = Browser(address), Browser(address), Browser(address, signed_in_as=moderator)
        reader_form = reader.get(f"/t/{thread.pk}/reply/")  # the session exists before the outage
        assert reader_form.status == 302  # not signed in yet: sent to sign in
        redis.stop()
        started = time.monotonic()

        # Reading, as a guest.
        for path in ("/", "/f/sleep/", thread.get_absolute_url(), "/guidelines/", "/help/", "/waiting/"):
            page = guest.get(path)
            assert page.status == 200, (path, page.status)

        # Signing in through allauth (its rate limits live in the cache).
        login_form = reader.get("/accounts/login/")
        assert login_form.status == 200
        signed_in = reader.post("/accounts/login/", {"login": member.email, "password": PASSWORD}, form_page=login_form)
        assert signed_in.status == 302, signed_in.body[-800:]
        assert "NightHeron" in reader.get("/").body

        # Posting a reply and a thread (live updates and screening cannot be queued).
        form = reader.get(f"/t/{thread.pk}/reply/")
        posted = reader.post(
            f"/t/{thread.pk}/reply/", {"body": REPLY, "submission_token": form.field("submission_token")},
            form_page=form,
        )  # fmt: skip
        assert posted.status == 302, posted.body[-800:]
        assert REPLY.split(".")[0] in reader.get(thread.get_absolute_url()).body
        form = reader.get("/f/sleep/new/")
        title, body = NEW_THREAD
        created = reader.post(
            "/f/sleep/new/", {"title": title, "body": body, "submission_token": form.field("submission_token")},
            form_page=form,
        )  # fmt: skip
        assert created.status == 302, created.body[-800:]

        # Reporting, then a moderator claims and dismisses the item (the live queue is down).
        reply = Post.objects.get(source=REPLY)
        opening = thread.posts.get(position=0)
        report_form = reader.get(f"/moderation/report/post/{opening.pk}/")
        reported = reader.post(
            f"/moderation/report/post/{opening.pk}/", {"concern": "at_risk", "words": "Checking in on them."},
            form_page=report_form,
        )  # fmt: skip
        assert reported.status == 302, reported.body[-800:]
        item = ReviewItem.objects.get(post=opening, kind=ReviewItem.Kind.REPORT)
        queue = mod.get("/moderation/")
        assert queue.status == 200
        assert mod.post(f"/moderation/items/{item.pk}/claim/", {}, form_page=queue).status == 302
        item_page = mod.get(f"/moderation/items/{item.pk}/")
        assert item_page.status == 200
        dismissed = mod.post(
            f"/moderation/items/{item.pk}/dismiss/", {"reason": "They are getting support in the thread."},
            form_page=item_page,
        )  # fmt: skip
        assert dismissed.status == 302, dismissed.body[-800:]
        outage_seconds = time.monotonic() - started

        log = address.output()
        assert " 500 " not in log and "Internal Server Error" not in log, log[-3000:]
        assert "cache unavailable" in log  # degraded, and said so in the log

    # The database holds exactly what was sent.
    assert Post.objects.filter(source=REPLY, author=member, thread=thread).count() == 1
    new_thread = Thread.objects.get(title=title)
    assert new_thread.author_id == member.pk and new_thread.posts.get().source == body
    assert Report.objects.filter(post=opening, reporter=member).count() == 1
    item.refresh_from_db()
    assert item.resolved_at is not None
    assert ModerationAction.objects.filter(actor=moderator).exists()
    waiting = [reply, new_thread.posts.get()]
    assert not ScreeningResult.objects.filter(post__in=waiting).exists()  # nothing could be queued

    # Redis is back (here: the suite's own); the sweeper finds both posts and screens each once.
    from config.celery import app
    from moderation.screening import tasks

    app.conf.task_always_eager = True
    try:
        with override_settings(HEARTH_SCREENING_GRACE_SECONDS=0):
            assert tasks.sweep() >= 2  # these two, and any post whose job is still in a queue
            assert tasks.sweep() == 0
    finally:
        app.conf.task_always_eager = False
    for post in waiting:
        assert ScreeningResult.objects.filter(post=post, revision=post.edit_count).count() == 1
    assert outage_seconds < 30
