"""The screening tasks on the real broker: after a broker and worker outage, the sweeper
leaves every post screened exactly once per revision."""

from __future__ import annotations

import logging
import sys
import time
from contextlib import contextmanager

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connection
from kombu import pools

from config.celery import app
from forum import services
from forum.models import Post
from moderation.models import ReviewItem
from moderation.screening import posts, tasks
from moderation.screening.models import ScreeningResult
from tests import factories

URGENT_REPLY = "Honestly I don't want to be alive anymore. I've been thinking about ending it tonight."


@contextmanager
def broker_at(url: str):
    """Point the Celery app at another broker (a dead port stands for a broker that is down)."""
    before = app.conf.broker_url
    _switch(url)
    try:
        yield
    finally:
        _switch(before)


@contextmanager
def logging_kept():
    """An embedded worker sets up Celery's logging (root level, handlers, loggers): put it back
    so that later tests that read logs see what they expect."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    loggers = {name: (lg.level, lg.disabled, lg.propagate, list(lg.handlers)) for name, lg in _loggers()}
    streams = sys.stdout, sys.stderr
    try:
        yield
    finally:
        root.setLevel(level)
        root.handlers = handlers
        for name, lg in _loggers():
            if name in loggers:
                lg.level, lg.disabled, lg.propagate, lg.handlers = loggers[name]
        sys.stdout, sys.stderr = streams


def _loggers():
    return [(n, lg) for n, lg in logging.Logger.manager.loggerDict.items() if isinstance(lg, logging.Logger)]


def _switch(url: str) -> None:
    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None
    pools.reset()


def test_sweeper_beat_entry_runs_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["screening-sweeper"]
    assert entry["task"] == tasks.sweep.name
    assert entry["schedule"] == 60.0


def test_sweeper_waits_for_the_grace_period(member, thread, settings):
    settings.HEARTH_SCREENING_GRACE_SECONDS = 3600
    factories.reply(author=member, thread=thread, body="Hello")
    assert posts.posts_awaiting_screening() == []
    settings.HEARTH_SCREENING_GRACE_SECONDS = 0
    assert len(posts.posts_awaiting_screening()) == 2  # the opening post and the reply


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_after_a_broker_and_worker_outage_every_post_is_screened_once_per_revision(
    member, other_member, subforum, settings
):
    assert connection.vendor == "postgresql"
    assert app.conf.broker_url.startswith("redis://")
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge("celery")  # nothing left over from other tests

    # The broker is down: posting still works, nothing is queued, nothing is screened.
    with broker_at("redis://127.0.0.1:1/0"):
        started = time.monotonic()
        thread = factories.thread(author=member, subforum=subforum, title="A hard week", body="Work was a lot.")
        urgent = factories.reply(author=other_member, thread=thread, body=URGENT_REPLY)
        edited = factories.reply(author=member, thread=thread, body="Thanks for listening.")
        services.post_edit(post=edited, editor=member, body="Thanks for listening, all of you.")
        assert time.monotonic() - started < 10  # posting does not wait on the dead broker
    assert not ScreeningResult.objects.exists()

    # The broker is back but the worker is not: the sweeper queues, twice over.
    settings.HEARTH_SCREENING_GRACE_SECONDS = 0
    assert tasks.sweep() == 3
    assert tasks.sweep() == 3  # still unscreened, so queued again: the tasks must be idempotent

    # The worker comes back and drains the queue.
    with logging_kept(), start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        deadline = time.monotonic() + 90
        while ScreeningResult.objects.count() < 3 and time.monotonic() < deadline:
            time.sleep(0.5)
        time.sleep(2)  # let the duplicates run too
    assert tasks.sweep() == 0

    current = {(p.pk, p.edit_count) for p in Post.objects.filter(thread=thread)}
    rows = list(ScreeningResult.objects.values_list("post_id", "revision"))
    assert sorted(rows) == sorted(current)  # exactly one result per current revision
    assert (edited.pk, 1) in current
    item = ReviewItem.objects.get(kind="screening", target_key=f"post:{urgent.pk}")
    assert item.occurrences == 1  # routed once, although screened by two tasks
    assert item.risk_level == "high"
