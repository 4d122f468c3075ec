"""Forum health: the nightly roll-up, a thin wrapper safe to run twice (it recomputes)."""

from __future__ import annotations

from celery import shared_task

from health import rollup


# Acknowledged at once: it may outlast the broker's redelivery window; the next night recomputes.
@shared_task(name="health.rollup_recent", acks_late=False)
def rollup_recent() -> int:
    return rollup.rollup_recent()
