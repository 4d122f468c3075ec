"""A Celery worker killed mid-task (issue 22), on the real Redis broker and PostgreSQL: whether
the pool child or the whole worker dies (SIGKILL), the task runs again within a minute and,
being idempotent, leaves one screening result."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid

import pytest
import redis
from django.conf import settings

from moderation.screening.models import ScreeningResult
from moderation.screening.tasks import screen_post
from tests import factories
from tests.faults.fault_tasks import screen_after_a_stall
from tests.live_server import ROOT, _database_url

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

REDELIVERY_SECONDS = 3  # the production default is 45 (HEARTH_TASK_REDELIVERY_SECONDS)


def _start_worker(name: str) -> subprocess.Popen:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PYTEST")},
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "HEARTH_TASK_REDELIVERY_SECONDS": str(REDELIVERY_SECONDS),
        "HEARTH_SCREENING_CONTEXT": "false",  # a quicker start; the job is the same
    }
    log = open(ROOT / "var" / f"faults-{name}.log", "wb")  # noqa: SIM115
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "prefork", "--concurrency", "1",
         "-Q", "faults", "-I", "tests.faults.fault_tasks", "-n", f"{name}@%h", "--loglevel", "warning",
         "--without-mingle", "--without-gossip"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: killing the group kills the worker and its pool
    )  # fmt: skip


def _wait_for(what, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = what()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"not within {seconds} s")


def _kill_mid_task(marks, post, kill) -> tuple[float, int]:
    """Queue the stalling screening of ``post``, ``kill(child_pid, worker_pid)`` once it has
    started, and return how long until its result was stored, and how many attempts it took."""
    key = f"faults:{uuid.uuid4().hex}"
    screen_after_a_stall.apply_async((post.pk, post.edit_count, key), queue="faults")
    child, worker = map(int, _wait_for(lambda: marks.get(f"{key}:pids"), 90).split())
    kill(child, worker)
    killed = time.monotonic()
    _wait_for(lambda: _screened(post), 60)
    return time.monotonic() - killed, int(marks.get(key))


def _screened(post) -> int:
    return ScreeningResult.objects.filter(post=post, revision=post.edit_count).count()


@pytest.mark.django_db(transaction=True)
def test_a_task_whose_worker_is_killed_runs_again_within_a_minute_and_leaves_one_result(member, subforum):
    thread = factories.thread(author=member, subforum=subforum, title="Still here", body="Checking in.")
    first = factories.reply(author=member, thread=thread, body="Tonight is hard, but I'm holding on.")
    second = factories.reply(author=member, thread=thread, body="Thank you all for staying up with me.")
    marks = redis.Redis.from_url(settings.REDIS_URL)
    marks.delete("faults")  # jobs an interrupted earlier run may have left in the test's queue
    workers = [_start_worker("fault-a"), _start_worker("fault-b")]
    try:
        # A pool child dies: Celery's worker requeues the task at once (reject on worker lost).
        child_rerun, _ = _kill_mid_task(marks, first, lambda child, worker: os.kill(child, signal.SIGKILL))
        # The whole worker dies: its task stays unacknowledged in Redis until the redelivery
        # window passes, then the other worker restores and runs it.
        worker_rerun, attempts = _kill_mid_task(marks, second, lambda child, worker: os.killpg(worker, signal.SIGKILL))
        assert attempts == 2  # killed once, ran once more
    finally:
        for worker in workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
                worker.wait(timeout=30)

    assert child_rerun < 60 and worker_rerun < 60, (child_rerun, worker_rerun)
    # Idempotent: the sweeper or a duplicate delivery screening the same revision adds nothing.
    screen_post(second.pk, second.edit_count)
    assert _screened(first) == 1 and _screened(second) == 1
    print(f"re-ran after a pool child's death in {child_rerun:.1f} s, after the worker's in {worker_rerun:.1f} s")
