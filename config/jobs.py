"""Queueing background jobs after commit, without ever failing the request that asked.

The row a job works on is already committed when the job is queued. If the broker (Redis) is
down, the member's post, report or action stands; the job is logged and left to whoever picks
it up later (the screening sweeper, the daily digest, or ``on_failure``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction

logger = logging.getLogger(__name__)


def queue_after_commit(task, *args, on_failure: Callable[[], None] | None = None) -> None:
    """``task.apply_async(args)`` once the transaction commits; a broker failure is logged, never raised."""

    def queue() -> None:
        try:
            task.apply_async(args, retry=False)
        except Exception:  # noqa: BLE001 - any broker failure: the work is picked up later
            logger.warning("could not queue %s%r; it will be picked up later", task.name, args)
            if on_failure is not None:
                on_failure()

    transaction.on_commit(queue)
