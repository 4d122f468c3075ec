"""Forum background jobs: thin wrappers around services, safe to run twice."""

from __future__ import annotations

from dataclasses import asdict

from celery import shared_task

from forum import rescue


@shared_task(name="forum.rescue_unanswered")
def rescue_unanswered() -> dict:
    """The beat task behind "Nobody left unanswered" (forum/rescue.py)."""
    return asdict(rescue.rescue_run())
