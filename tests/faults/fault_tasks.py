"""A task the worker-killed test loads into real workers (``celery worker -I``): the real
screening job, after a stall on its first attempt long enough for the test to kill it."""

from __future__ import annotations

import os
import time

import redis
from celery import shared_task
from django.conf import settings

from moderation.screening.tasks import screen_post


@shared_task(name="tests.faults.screen_after_a_stall", acks_late=True)
def screen_after_a_stall(post_id: int, revision: int, key: str) -> str:
    marks = redis.Redis.from_url(settings.REDIS_URL)
    if marks.incr(key) == 1:
        # First attempt: say who runs it (the pool child and its worker), then stall until killed.
        marks.set(f"{key}:pids", f"{os.getpid()} {os.getppid()}", ex=300)
        time.sleep(300)
    return screen_post(post_id, revision)
