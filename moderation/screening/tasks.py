"""Celery tasks of risk screening: thin wrappers over ``posts`` that take ids only.

- ``screen_post(post_id, revision)``: queued by ``forum.services`` after the commit that wrote
  or edited a post. Idempotent (``posts.post_screen``); retried with exponential backoff when
  the database fails under it.
- ``sweep`` (beat, every minute): re-queues posts whose current revision has no result after
  ``HEARTH_SCREENING_GRACE_SECONDS``, so that nothing stays unscreened after a broker or worker
  outage.
- ``rescreen_run(run_id)``: re-screens recent posts after an admin changed the rules.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import DatabaseError

from . import posts

logger = logging.getLogger(__name__)


@shared_task(
    name="screening.screen_post",
    autoretry_for=(DatabaseError,),
    retry_backoff=2,
    # Under the broker's redelivery window (HEARTH_TASK_REDELIVERY_SECONDS): a retry waiting
    # longer in a worker would be handed to a second worker meanwhile. The sweeper takes over
    # after the last retry.
    retry_backoff_max=30,
    retry_jitter=True,
    max_retries=8,
)
def screen_post(post_id: int, revision: int) -> str:
    """Screen one revision of one post and act on the result (once)."""
    row = posts.post_screen(post_id=post_id, revision=revision)
    return row.status if row is not None else "skipped"


@shared_task(name="screening.sweep")
def sweep() -> int:
    """Queue the screening of every post whose current revision has no result yet. Returns
    how many were queued (the tasks themselves are idempotent, so a duplicate costs little)."""
    waiting = posts.posts_awaiting_screening()
    for post_id, revision in waiting:
        screen_post.apply_async((post_id, revision), retry=False)
    if waiting:
        logger.info("screening sweeper queued %s post(s)", len(waiting))
    return len(waiting)


@shared_task(name="screening.rescreen_run", acks_late=False)
def rescreen_run(run_id: int) -> None:
    """Re-screen the posts of one ``RescreenRun`` (progress and summary on the row)."""
    posts.rescreen_run_execute(run_id=run_id)
