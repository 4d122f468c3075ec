"""Notification emails: thin Celery wrappers that take ids and are safe to run twice."""

from __future__ import annotations

from celery import shared_task

from notifications import email


@shared_task(name="notifications.send_notification_email")
def send_notification_email(notification_id: int) -> bool:
    return email.notification_email_send(notification_id=notification_id)


# Acknowledged at once: a digest run may outlast the broker's redelivery window. A run cut short
# loses nothing: unsent notices stay "pending" for the next run.
@shared_task(name="notifications.send_daily_digests", acks_late=False)
def send_daily_digests() -> int:
    return email.digests_send()
