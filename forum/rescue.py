"""The unanswered-thread rescue: nobody's first post should wait a day for a reply.

Run every few minutes by the ``forum.rescue_unanswered`` Celery beat task. Each run looks only at
threads in the ``forum_thread_rescue`` partial index (published, unanswered, not yet escalated),
so its cost follows the number of threads waiting, not the size of the forum:

- past ``HEARTH_UNANSWERED_T1`` a thread joins "Waiting for a reply" (stage 1) and the volunteers
  are asked once each: the subforum's helpers, or the welcomers for an introduction;
- past ``HEARTH_UNANSWERED_T2`` moderators get an "unanswered" review item (stage 2).

The first reply from someone else undoes both at once, in the reply service
(``forum.services._count_published`` calls ``moderation.intake.thread_answered``).

Each step is claimed with a conditional UPDATE (``rescue_stage < n`` and still unanswered), in
the same transaction as its side effects. A second worker running at the same moment waits
for the row, finds the condition false and does nothing; a second run does nothing either.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from forum import notices
from forum.models import Thread, Visibility, Volunteer
from moderation import intake
from notifications.models import Notification
from notifications.services import notify

BATCH = 500  # threads per stage per run; the rest wait for the next run, minutes later
STAGE_WAITING = 1
STAGE_ESCALATED = 2
REQUEST_KINDS = ("helper_request", "welcomer_request")


@dataclass
class RescueReport:
    listed: int = 0
    escalated: int = 0
    asked: int = 0


def _rescuable() -> Q:
    """Unanswered published threads the rescue cares about: not locked, not announcements.

    Pinned threads are moderators' announcements (only moderators pin), so they are left out.
    """
    return Q(status=Visibility.PUBLISHED, first_reply_at__isnull=True, is_locked=False, is_pinned=False)


def _due(*, stage: int, older_than: datetime) -> list[int]:
    """Ids of threads due for ``stage``, oldest first, read from the forum_thread_rescue index."""
    return list(
        Thread.objects.filter(_rescuable(), rescue_stage__lt=stage, created_at__lte=older_than)
        .order_by("created_at")
        .values_list("pk", flat=True)[:BATCH]
    )


def rescue_run(*, now: datetime | None = None) -> RescueReport:
    """One pass of the rescue. Idempotent, and safe with several workers at once."""
    now = now or timezone.now()
    report = RescueReport()
    for thread_id in _due(stage=STAGE_WAITING, older_than=now - settings.HEARTH_UNANSWERED_T1):
        asked = _advance(thread_id=thread_id, stage=STAGE_WAITING, now=now)
        if asked is not None:
            report.listed += 1
            report.asked += asked
    for thread_id in _due(stage=STAGE_ESCALATED, older_than=now - settings.HEARTH_UNANSWERED_T2):
        if _advance(thread_id=thread_id, stage=STAGE_ESCALATED, now=now) is not None:
            report.escalated += 1
    return report


@transaction.atomic
def _advance(*, thread_id: int, stage: int, now: datetime) -> int | None:
    """Move one thread to ``stage`` and act on it; None if another run (or a reply) got there first.

    Returns how many volunteers were asked (stage 1), or 0.
    """
    claimed = Thread.objects.filter(_rescuable(), pk=thread_id, rescue_stage__lt=stage).update(rescue_stage=stage)
    if not claimed:
        return None
    thread = Thread.objects.select_related("subforum", "author").get(pk=thread_id)
    if stage == STAGE_WAITING:
        return _ask_volunteers(thread=thread, now=now)
    intake.thread_unanswered_open(thread=thread, waited=duration_words(settings.HEARTH_UNANSWERED_T2))
    return 0


def _ask_volunteers(*, thread: Thread, now: datetime) -> int:
    """One notification to each volunteer for this thread, within each one's daily limit."""
    introduction = thread.subforum.is_introductions
    volunteers = Volunteer.objects.filter(member__is_active=True).exclude(member_id=thread.author_id)
    if introduction:
        volunteers = volunteers.filter(role=Volunteer.Role.WELCOMER)
    else:
        volunteers = volunteers.filter(role=Volunteer.Role.HELPER, subforum=thread.subforum)
    members = [volunteer.member for volunteer in volunteers.select_related("member")]
    if not members:
        return 0
    note_ids = list(thread.notes.values_list("pk", flat=True))
    hiding = notices.members_hiding(note_ids=note_ids, member_ids=[m.pk for m in members])
    asked = 0
    for member in members:
        recent = Notification.objects.filter(
            recipient=member, kind__in=REQUEST_KINDS, created_at__gt=now - timedelta(hours=24)
        ).count()
        if recent >= settings.HEARTH_HELPER_DAILY_LIMIT:
            continue
        notice = notify(
            recipient=member,
            created_at=now,
            subject=notices.thread_subject(thread),
            **_request_text(thread=thread, hidden=member.pk in hiding),
        )
        asked += notice is not None  # None: they turned these requests off
    return asked


def _request_text(*, thread: Thread, hidden: bool) -> dict:
    """What a helper or welcomer is told. For a thread they hide, only that someone is waiting."""
    if thread.subforum.is_introductions:
        title = (
            "A new member's introduction is waiting for a welcome"
            if hidden
            else f"{thread.author.pseudonym} introduced themselves and is waiting for a welcome"
        )
        return {"kind": "welcomer_request", "title": title, "url": thread.get_absolute_url()}
    title = (
        f"Someone in {thread.subforum.name} is waiting for a reply"
        if hidden
        else f"“{thread.title}” in {thread.subforum.name} is waiting for a reply"
    )
    return {"kind": "helper_request", "title": title, "url": thread.get_absolute_url()}


def duration_words(duration: timedelta) -> str:
    """12 hours, 3 minutes, 90 seconds: how long a thread waited, for a moderator to read."""
    seconds = int(duration.total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"
