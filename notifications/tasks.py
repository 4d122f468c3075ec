"""Notification emails: thin Celery wrappers that take ids and are safe to run twice."""

from __future__ import annotations

from celery import shared_task

from notifications import email


@shared_task(name="notifications.send_notification_email")
def send_notification_email(notification_id: int) -> bool:
    return email.notification_email_send(notification_id=notification_id)


@shared_task(name="notifications.send_daily_digests")
def send_daily_digests() -> int:
    return email.digests_send()
