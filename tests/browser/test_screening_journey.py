"""The screening journey in a real browser (issues 18 and 20): a member previews and posts a
reply that says they may end their life tonight; they see the support panel at once; a Celery
worker screens the reply after commit, and the urgent item appears on a watching moderator's
queue without a reload. Nobody else sees any trace of screening."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests import factories
from tests.live_server import ROOT, _database_url

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.redis]

CRISIS = "Honestly I don't want to be alive anymore. I've been thinking about ending it tonight."


@pytest.fixture
def worker(transactional_db):
    """A real Celery worker on the test database and the Redis broker."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PYTEST")},
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    log = open(ROOT / "var" / "journey-worker.log", "wb")  # noqa: SIM115
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "--loglevel", "warning"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


def test_a_crisis_reply_shows_its_author_help_and_reaches_the_queue_live(journey, worker, transactional_db):
    factories.member(pseudonym="WatchfulWren", email="wren-mod@example.org", is_moderator=True)
    author = factories.member(pseudonym="TiredTeal", email="teal@example.org")
    opener = factories.member(pseudonym="OpenOwl")
    space = factories.subforum(name="Low mood", slug="low-mood")
    thread = factories.thread(author=opener, subforum=space, title="How is everyone tonight?", body="Checking in.")

    moderator = journey("moderator-screening")
    moderator.sign_in("wren-mod@example.org")
    moderator.goto("/moderation/")

    member = journey("crisis")
    page = member.page
    member.sign_in("teal@example.org")
    member.goto(thread.get_absolute_url())
    page.get_by_label("Your reply").fill(CRISIS)
    with page.expect_navigation():
        page.get_by_role("button", name="Preview").click()
    member.check()
    member.shot("preview")
    expect(page.get_by_role("heading", name=re.compile("not alone"))).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Post")).click()
    member.check()
    member.shot("after-posting")
    # The panel; and, if the worker has already held the reply, the calm "safe with us" beside it.
    expect(page.get_by_role("heading", name=re.compile("not alone|safe with us")).first).to_be_visible()

    # The worker screens it after commit; the watching moderator hears of it without reloading.
    expect(moderator.page.locator("#queue-alert")).to_be_visible(timeout=60_000)
    moderator.page.reload()
    moderator.check()
    moderator.shot("urgent-item")
    expect(moderator.page.locator(".queue-item").first).to_contain_text(re.compile("High risk|at risk"))

    # Another member and a guest find no trace of screening on the thread.
    other = journey("other-reader")
    other.goto(thread.get_absolute_url())
    text = other.page.content().lower()
    assert "screening" not in text and "high risk" not in text
    assert author.pk  # the author stays who they are: nothing names them to others as at risk
