"""Screening posts in the product: the writes behind the Celery tasks, and the reads the
composer's signposting uses.

Flow: ``forum.services`` queues ``tasks.screen_post(post_id, revision)`` after the commit that
created or edited a post; the task calls ``post_screen`` here, which screens the post's title
and body with the active rule set, stores a ``ScreeningResult`` for that revision, and acts on
``routing.route_decide``: a review item through ``moderation.intake``, a hold and suggested
content notes through ``forum.services``. The sweeper (``posts_awaiting_screening``) finds
revisions with no result; ``rescreen_run_execute`` re-screens recent posts after a rule change.

Screening results are for moderators: nothing here writes anything another member can see,
and the target of hostility is never notified.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from config.jobs import queue_after_commit
from forum import notices as forum_notices
from forum import services as forum_services
from forum.models import ContentNote, Post, Visibility
from moderation import intake
from moderation.models import ModerationAction, ReviewItem
from notifications.services import notifications_withdraw

from .assessment import CONTEXT_LOWERED_HIGH, HOSTILITY_AT_MEMBER, SOMEONE_ELSE_AT_RISK, Assessment, assess
from .engine import screen
from .models import RescreenRun, ScreeningResult
from .routing import PRIORITY_LOWERED_HIGH, Decision, route_decide
from .selectors import active_ruleset
from .types import LEVEL_RANK

logger = logging.getLogger(__name__)

#: Content notes suggested per category: the first slug that exists and is active is used.
NOTE_SLUGS: dict[str, tuple[str, ...]] = {
    "suicide": ("suicidal-thoughts", "suicide"),
    "self_harm": ("self-harm",),
    "eating_disorder": ("eating-disorders", "eating-disorder"),
    "substance": ("substance-use", "substances"),
    "abuse_harassment": ("abuse",),
}


def post_screening_text(post: Post) -> str:
    """What is screened: the title and body of an opening post, the body of a reply."""
    if post.is_opening:
        return f"{post.thread.title}\n\n{post.source}"
    return post.source


def post_screen(*, post_id: int, revision: int) -> ScreeningResult | None:
    """Screen one revision of a post and act on it, once.

    Idempotent: a revision already screened with the current rule-set version is left as it
    is (the stored row is returned); a revision that is no longer the post's current one is
    skipped (its successor has its own task). When the rule set changed since, the row is
    updated and routing acts again only if the level rose. A failure of the engine is
    recorded (``status=failed``) with a review item for moderators; database errors
    propagate so that the task retries.
    """
    post = Post.objects.select_related("thread__subforum", "author").filter(pk=post_id).first()
    if post is None or post.edit_count != revision:
        return None
    ruleset = active_ruleset()
    existing = ScreeningResult.objects.filter(post_id=post_id, revision=revision).first()
    if existing is not None and (
        existing.status == ScreeningResult.Status.FAILED or existing.ruleset_version == ruleset.version
    ):
        return existing
    text = post_screening_text(post)
    started = time.perf_counter()
    try:
        result = screen(text, ruleset)
        assessment = assess(text, result, ruleset)
    except Exception as error:  # the engine never raises by contract; a bug must not leave a post unseen
        logger.exception("screening post %s revision %s failed", post_id, revision)
        return _record_failure(post=post, revision=revision, version=ruleset.version, error=error)
    duration_ms = (time.perf_counter() - started) * 1000
    decision = route_decide(assessment, policy=post.thread.subforum.screening_hold)
    return _record(post=post, revision=revision, assessment=assessment, decision=decision, duration_ms=duration_ms)


def _record(*, post: Post, revision: int, assessment: Assessment, decision: Decision, duration_ms: float):
    result = assessment.result
    fields = {
        "status": ScreeningResult.Status.DONE,
        "level": result.level,
        "categories": list(result.categories),
        "matches": [{**m.to_dict(), "level": m.level, "context": list(m.context)} for m in result.matches],
        "stages": list(assessment.stages),
        "band": assessment.band,
        "why": list(assessment.why),
        "flags": list(assessment.flags),
        "route": decision.route,
        "ruleset_version": result.ruleset_version,
        "duration_ms": round(duration_ms, 3),
        "error": "",
    }
    with transaction.atomic():
        # One screening of a post at a time: a task and the sweeper's copy of it may run together.
        post = Post.objects.select_for_update().select_related("thread__subforum", "author").get(pk=post.pk)
        if post.edit_count != revision:
            return None
        row = ScreeningResult.objects.filter(post=post, revision=revision).first()
        if row is None:
            try:
                with transaction.atomic():
                    row = ScreeningResult.objects.create(post=post, revision=revision, **fields)
            except IntegrityError:  # SQLite has no row locks: the other copy got here first
                return ScreeningResult.objects.get(post=post, revision=revision)
            _act(post=post, row=row, assessment=assessment, decision=decision)
            return row
        if row.status == ScreeningResult.Status.FAILED or row.ruleset_version == result.ruleset_version:
            return row
        rose = LEVEL_RANK[result.level] > LEVEL_RANK[row.level]
        ScreeningResult.objects.filter(pk=row.pk).update(previous_level=row.level, **fields)
        row.refresh_from_db()
        if rose:
            _act(post=post, row=row, assessment=assessment, decision=decision)
        return row


def _record_failure(*, post: Post, revision: int, version: str, error: Exception) -> ScreeningResult:
    with transaction.atomic():
        row, created = ScreeningResult.objects.get_or_create(
            post=post,
            revision=revision,
            defaults={
                "status": ScreeningResult.Status.FAILED,
                "ruleset_version": version,
                "error": f"{type(error).__name__}: {error}"[:2000],
                "route": "review",
            },
        )
        if created:
            intake.review_item_open(
                kind=ReviewItem.Kind.SCREENING,
                target_key=f"post:{post.pk}",
                summary="Screening failed: please read this post",
                risk_level="medium",
                post=post,
                thread=post.thread,
                member=post.author,
                subforum=post.thread.subforum,
                priority=PRIORITY_LOWERED_HIGH,
                details={"screening_result": row.pk, "revision": revision, "failed": True},
            )
    return row


def _act(*, post: Post, row: ScreeningResult, assessment: Assessment, decision: Decision) -> None:
    """Carry out a routing decision for a freshly stored result (inside its transaction)."""
    thread = post.thread
    item = None
    if decision.priority is not None:
        flags = set(assessment.flags)
        risk = "high" if assessment.level == "high" or SOMEONE_ELSE_AT_RISK in flags else assessment.level
        if risk == "none":
            risk = "low"
        item = intake.review_item_open(
            kind=ReviewItem.Kind.SCREENING,
            target_key=f"post:{post.pk}",
            summary=decision.summary,
            risk_level=risk,
            post=post,
            thread=thread,
            member=post.author,
            subforum=thread.subforum,
            priority=decision.priority,
            details={
                "screening_result": row.pk,
                "revision": row.revision,
                "level": row.level,
                "categories": row.categories,
                "band": row.band,
                "why": row.why,
                "flags": row.flags,
                "route": row.route,
                "held": decision.hold and post.status == Visibility.PUBLISHED,
                "lowered_by_context_check": CONTEXT_LOWERED_HIGH in flags,
                "someone_else_at_risk": SOMEONE_ELSE_AT_RISK in flags,
            },
        )
    if HOSTILITY_AT_MEMBER in assessment.flags and not post.is_opening:
        # Its target must not read it through a "someone replied to you" notice while a
        # moderator looks: the notices about this reply keep only "withdrawn".
        notifications_withdraw(subjects=forum_notices.post_withdrawn_subjects(post=post))
    if decision.hold and post.status == Visibility.PUBLISHED:
        forum_services.post_hold_for_screening(post=post)
        ModerationAction.objects.create(
            actor=None,
            action="screening_hold",
            reason=decision.summary,
            post=post,
            thread=thread,
            member=post.author,
            review_item=item,
            before={"status": Visibility.PUBLISHED},
            after={"status": Visibility.PENDING},
        )
    if decision.add_notes and decision.note_categories:
        notes = notes_for_categories(decision.note_categories)
        if notes:
            added = forum_services.screening_notes_add(post=post, notes=notes)
            if added:
                ModerationAction.objects.create(
                    actor=None,
                    action="screening_notes_added",
                    reason="Suggested content notes added: the author chose none.",
                    post=post,
                    thread=thread,
                    member=post.author,
                    review_item=item,
                    after={"notes": sorted(n.name for n in notes)},
                )


def notes_for_categories(categories) -> list[ContentNote]:
    """The active content notes that match screening categories (see ``NOTE_SLUGS``)."""
    wanted = [slug for c in categories for slug in NOTE_SLUGS.get(c, ())]
    by_slug = {n.slug: n for n in ContentNote.objects.filter(slug__in=wanted, is_active=True)}
    notes = []
    for category in categories:
        note = next((by_slug[s] for s in NOTE_SLUGS.get(category, ()) if s in by_slug), None)
        if note is not None and note not in notes:
            notes.append(note)
    return notes


# --- the sweeper ------------------------------------------------------------------------------
def posts_awaiting_screening(*, limit: int = 500) -> list[tuple[int, int]]:
    """(post id, revision) of posts whose current revision has no result, written or edited
    more than ``HEARTH_SCREENING_GRACE_SECONDS`` ago and within ``HEARTH_SCREENING_SWEEP_DAYS``."""
    now = timezone.now()
    settled = now - timedelta(seconds=settings.HEARTH_SCREENING_GRACE_SECONDS)
    since = now - timedelta(days=settings.HEARTH_SCREENING_SWEEP_DAYS)
    screened = ScreeningResult.objects.filter(post=OuterRef("pk"), revision=OuterRef("edit_count"))
    recent = Q(created_at__gte=since) | Q(edited_at__gte=since)
    settled_q = Q(edited_at__isnull=True, created_at__lte=settled) | Q(edited_at__lte=settled)
    rows = (
        Post.objects.filter(recent & settled_q)
        .exclude(Exists(screened))
        .order_by("created_at")
        .values_list("pk", "edit_count")[:limit]
    )
    return list(rows)


# --- re-screening after a rule change ---------------------------------------------------------
def rescreen_run_start(*, days: int, started_by=None, run: RescreenRun | None = None) -> RescreenRun:
    """Create a re-screen over the posts of the last ``days`` days (or save the unsaved ``run``
    the admin's form built) and queue it after commit."""
    from .tasks import rescreen_run  # the task module imports this one

    run = run or RescreenRun()
    run.days, run.started_by, run.status = days, started_by, RescreenRun.Status.QUEUED
    run.save()
    queue_after_commit(rescreen_run, run.pk)  # broker down: the run stays "queued"; start it again later
    return run


def rescreen_run_execute(*, run_id: int, batch: int = 200) -> RescreenRun:
    """Re-screen every current revision of the run's posts with the active rule set, counting
    what rose, fell and stayed; routing acts only where the level rose (``post_screen``)."""
    run = RescreenRun.objects.get(pk=run_id)
    if run.status == RescreenRun.Status.DONE:
        return run
    since = run.created_at - timedelta(days=run.days)
    posts = Post.objects.filter(Q(created_at__gte=since) | Q(edited_at__gte=since)).order_by("pk")
    ids = list(posts.values_list("pk", "edit_count"))
    RescreenRun.objects.filter(pk=run.pk).update(
        status=RescreenRun.Status.RUNNING, total=len(ids), ruleset_version=active_ruleset().version
    )
    counts = {"raised": 0, "lowered": 0, "unchanged": 0, "failed": 0}
    for done, (post_id, revision) in enumerate(ids, 1):
        before = (
            ScreeningResult.objects.filter(post_id=post_id, revision=revision).values_list("level", flat=True).first()
        )
        row = post_screen(post_id=post_id, revision=revision)
        if row is None:
            counts["unchanged"] += 1
        elif row.status == ScreeningResult.Status.FAILED:
            counts["failed"] += 1
        elif before is None or LEVEL_RANK[row.level] == LEVEL_RANK[before]:
            counts["unchanged"] += 1
        elif LEVEL_RANK[row.level] > LEVEL_RANK[before]:
            counts["raised"] += 1
        else:
            counts["lowered"] += 1
        if done % batch == 0 or done == len(ids):
            RescreenRun.objects.filter(pk=run.pk).update(done=done, **counts)
    RescreenRun.objects.filter(pk=run.pk).update(status=RescreenRun.Status.DONE, finished_at=timezone.now(), **counts)
    run.refresh_from_db()
    return run


# --- signposting in the request -----------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Signpost:
    """What the author's panel shows: the fast stages' level, and the content notes to suggest."""

    level: str
    notes: tuple[ContentNote, ...]
    panel: bool  # medium or above: show the help resources


def signpost_for(*, text: str) -> Signpost:
    """Run the fast stages (rules and learned model, not the context check) on what the author
    is about to post or has just posted. Nothing is stored and nothing is blocked."""
    ruleset = active_ruleset(context=False)
    result = screen(text, ruleset)
    decision = route_decide(assess(text, result, ruleset))
    notes = tuple(notes_for_categories(decision.note_categories)) if decision.note_categories else ()
    return Signpost(level=result.level, notes=notes, panel=LEVEL_RANK[result.level] >= LEVEL_RANK["medium"])


def typical_review_minutes() -> int | None:
    """The median minutes moderators took to resolve screening items over the last 30 days."""
    since = timezone.now() - timedelta(days=30)
    spans = sorted(
        ReviewItem.objects.filter(kind=ReviewItem.Kind.SCREENING, resolved_at__gte=since)
        .annotate(took=F("resolved_at") - F("created_at"))
        .values_list("took", flat=True)[:500]
    )
    if not spans:
        return None
    middle = spans[len(spans) // 2]
    return max(1, round(middle.total_seconds() / 60))
