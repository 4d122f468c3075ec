"""Forum health: the nightly roll-up, a thin wrapper safe to run twice (it recomputes)."""

from __future__ import annotations

from celery import shared_task

from health import rollup


@shared_task(name="health.rollup_recent")
def rollup_recent() -> int:
    return rollup.rollup_recent()
