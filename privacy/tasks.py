"""Data rights and retention jobs: thin wrappers that take ids and are safe to run twice."""

from __future__ import annotations

from celery import shared_task

from privacy import erasure, export, retention


@shared_task(name="privacy.build_export")
def build_export(export_id: str) -> str:
    """Gather a large account's download and tell the member it is ready."""
    built = export.export_build(export_id=export_id)
    return built.status if built is not None else "gone"


@shared_task(name="privacy.erasures_carry_out")
def erasures_carry_out() -> int:
    """Hourly: erase the accounts whose grace period is over (signing in cancels)."""
    return erasure.erasures_carry_out()


@shared_task(name="privacy.retention_purge")
def retention_purge() -> dict:
    """Nightly: purge address hashes, expired sessions, old read notifications, expired downloads."""
    return retention.retention_purge()
