"""Moderation's reads: the queue, one item in context, a member's history, the transparency figures."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from moderation.models import Appeal, ModerationAction, Report, ReviewItem
from moderation.permissions import moderated_subforum_ids

QUEUE_PAGE_SIZE = 50


def _scoped(qs: QuerySet[ReviewItem], user) -> QuerySet[ReviewItem]:
    ids = moderated_subforum_ids(user)
    return qs if ids is None else qs.filter(subforum_id__in=ids)


def queue_items(
    *, user, kind: str = "", subforum_id: int | None = None, status: str = "", mine: bool = False, page_number=None
) -> Page:
    """One page of review items the moderator may act on: most urgent first, then oldest first.

    Constant queries whatever the queue's size: one count, one page of rows with what they show
    joined (post, thread, author, member, subforum, claimer).
    """
    qs = _scoped(ReviewItem.objects.all(), user)
    if status in ("open", "claimed", "resolved"):
        qs = qs.filter(status=status)
    else:
        qs = qs.exclude(status=ReviewItem.Status.RESOLVED)
    if kind:
        qs = qs.filter(kind=kind)
    if subforum_id:
        qs = qs.filter(subforum_id=subforum_id)
    if mine:
        qs = qs.filter(claimed_by=user)
    qs = qs.select_related("post", "thread", "member", "subforum", "claimed_by").order_by(
        "-priority", "created_at", "id"
    )
    if status == "resolved":
        qs = qs.order_by("-resolved_at", "-id")
    return Paginator(qs, QUEUE_PAGE_SIZE).get_page(page_number)


def item_for_moderator(*, item_id: int, user) -> ReviewItem | None:
    """The item if it exists and lies within ``user``'s scope, else None (a 404)."""
    qs = ReviewItem.objects.select_related(
        "post__thread__subforum", "post__author", "post__parent__author", "thread", "member", "subforum", "claimed_by"
    )
    return _scoped(qs, user).filter(pk=item_id).first()


@dataclass
class ItemContext:
    item: ReviewItem
    post: object | None
    subject: object | None
    reports: list = field(default_factory=list)
    previous_actions: list = field(default_factory=list)
    highlighted: SafeString | None = None
    appeal: Appeal | None = None
    account_age_days: int | None = None


def highlight_matches(text: str, matches) -> SafeString:
    """The post's words as plain text with screening matches marked.

    ``matches`` (from the item's details) may be offsets ({"start": 3, "end": 9}) or phrases.
    Every piece is escaped; only the <mark> tags are ours.
    """
    spans = []
    for match in matches or []:
        if isinstance(match, dict) and isinstance(match.get("start"), int) and isinstance(match.get("end"), int):
            spans.append((match["start"], match["end"]))
        else:
            phrase = match.get("text", "") if isinstance(match, dict) else str(match)
            start = text.lower().find(phrase.lower()) if phrase else -1
            while phrase and start >= 0:
                spans.append((start, start + len(phrase)))
                start = text.lower().find(phrase.lower(), start + len(phrase))
    spans = sorted((max(0, s), min(len(text), e)) for s, e in spans if e > s)
    out, cursor = [], 0
    for start, end in spans:
        if start < cursor:
            continue
        out.append(escape(text[cursor:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        cursor = end
    out.append(escape(text[cursor:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped


def item_context(*, item: ReviewItem) -> ItemContext:
    """What a moderator needs to decide: the post in its thread, who wrote it, what happened before."""
    post = item.post
    subject = item.member or (post.author if post else None)
    reports = list(Report.objects.filter(review_item=item).select_related("reporter", "rule").order_by("created_at"))
    previous = []
    if subject is not None:
        previous = list(
            ModerationAction.objects.filter(member=subject)
            .select_related("actor", "rule")
            .order_by("-created_at", "-id")[:10]
        )
    matches = (item.details or {}).get("matches")
    highlighted = highlight_matches(post.source, matches) if post is not None and matches else None
    appeal = Appeal.objects.filter(review_item=item).select_related("action__rule", "action__actor").first()
    age = (timezone.now() - subject.date_joined).days if subject is not None else None
    return ItemContext(
        item=item,
        post=post,
        subject=subject,
        reports=reports,
        previous_actions=previous,
        highlighted=highlighted,
        appeal=appeal,
        account_age_days=age,
    )


def member_history(*, member, limit: int = 30) -> list[ModerationAction]:
    return list(
        ModerationAction.objects.filter(member=member).select_related("actor", "rule").order_by("-created_at")[:limit]
    )


def action_for_member(*, action_id: int, user) -> ModerationAction | None:
    """A logged decision, for the member it concerns (their statement of reasons) or a moderator."""
    from moderation.permissions import can_moderate
    from moderation.services.actions import SHOWN_TO_MEMBER

    qs = ModerationAction.objects.select_related("rule", "post__thread", "thread", "member", "review_item")
    if not can_moderate(user):
        # Only decisions the member is told about: an internal entry about them (an admin's
        # reason for viewing their email) is not theirs to read.
        qs = qs.filter(member=user, action__in=SHOWN_TO_MEMBER) if user.is_authenticated else qs.none()
    return qs.filter(pk=action_id).first()


def report_for_reporter(*, report_id: int, user) -> Report | None:
    if not user.is_authenticated:
        return None
    return Report.objects.select_related("decided_by_action").filter(pk=report_id, reporter=user).first()


@dataclass
class MonthFigures:
    month: object
    actions_by_type: dict
    actions_by_rule: dict
    actions_total: int
    flagged_by_screening_share: float | None
    reports: int
    appeals: int
    reversals: int
    median_report_to_decision_hours: float | None


PUBLIC_ACTIONS = {
    "post_approve",
    "post_hold",
    "post_hide",
    "post_restore",
    "post_request_edit",
    "post_edit_as_moderator",
    "thread_lock",
    "thread_unlock",
    "thread_pin",
    "thread_unpin",
    "thread_move",
    "post_notes_change",
    "thread_notes_change",
    "dismiss",
    "member_warn",
    "member_mute",
    "member_suspend",
    "member_ban",
    "appeal_upheld",
    "appeal_reversed",
}


def transparency_months(*, months: int = 12) -> list[MonthFigures]:
    """Per month, from the log and the reports: counts only, never a person (DSA Art. 15 and 24)."""
    actions = (
        ModerationAction.objects.filter(action__in=PUBLIC_ACTIONS)
        .annotate(month=TruncMonth("created_at"))
        .values_list("month", "action", "rule__code", "flagged_by_screening")
    )
    by_month: dict = defaultdict(list)
    for month, action, rule_code, flagged in actions:
        by_month[month].append((action, rule_code, flagged))
    reports = Counter(
        Report.objects.annotate(month=TruncMonth("created_at")).values_list("month", flat=True).order_by()
    )
    appeals = Counter(Appeal.objects.annotate(month=TruncMonth("created_at")).values_list("month", flat=True))
    delays: dict = defaultdict(list)
    decided = Report.objects.filter(review_item__resolved_at__isnull=False).annotate(month=TruncMonth("created_at"))
    for month, created, resolved in decided.values_list("month", "created_at", "review_item__resolved_at"):
        delays[month].append((resolved - created).total_seconds() / 3600)
    rows = []
    for month in sorted(set(by_month) | set(reports) | set(appeals), reverse=True)[:months]:
        entries = by_month.get(month, [])
        decisions = [e for e in entries if e[0] not in ("appeal_upheld", "appeal_reversed")]
        rows.append(
            MonthFigures(
                month=month,
                actions_by_type=dict(Counter(e[0] for e in entries).most_common()),
                actions_by_rule=dict(Counter(e[1] or "none cited" for e in entries).most_common()),
                actions_total=len(entries),
                flagged_by_screening_share=(sum(1 for e in decisions if e[2]) / len(decisions)) if decisions else None,
                reports=reports.get(month, 0),
                appeals=appeals.get(month, 0),
                reversals=sum(1 for e in entries if e[0] == "appeal_reversed"),
                median_report_to_decision_hours=round(statistics.median(delays[month]), 1) if delays[month] else None,
            )
        )
    return rows


def open_items_count(*, user) -> int:
    return _scoped(ReviewItem.objects.exclude(status=ReviewItem.Status.RESOLVED), user).count()
