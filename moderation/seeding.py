"""The review queue of a seeded community (``manage.py seed_forum``): what moderators would
have in front of them on a forum of this size.

Written by the same rules as ``moderation.intake``: one unresolved item per (kind, target); a
held post has an open "premoderation" item; reports feed a "report" item each; threads the
rescue escalated have an "unanswered" item, open while recent. The open items number about one
per hundred posts (10,000 at the default million).
"""

from __future__ import annotations

import random
from datetime import timedelta

from forum.models import Rule
from forum.seeding import BulkWriter, SeedResult
from moderation.models import RISK_PRIORITY, Report, ReviewItem, RiskLevel

RESOLVED_REPORT_SHARE = 0.15
RESOLVED_SCREENING_SHARE = 0.2
OPEN_UNANSWERED_FOR = timedelta(days=3)
REPORT_WORDS = [
    "This felt unkind to the person who posted.",
    "I am worried about the person who wrote this.",
    "This looks like advertising.",
    "",
]


def seed_queue(result: SeedResult, *, seed: int) -> dict[str, int]:
    """Write review items and reports for ``result``; returns counts by kind, open ones only."""
    rng = random.Random(seed * 7919 + 1)
    writer = BulkWriter()
    anchor = result.anchor
    rules = list(Rule.objects.filter(is_active=True).values_list("pk", flat=True))
    items, reports = [], []
    next_item = writer.next_id(ReviewItem)
    next_report = writer.next_id(Report)
    opened = {"premoderation": 0, "report": 0, "screening": 0, "unanswered": 0}
    members = result.member_ids
    moderators = result.moderator_ids

    def item(kind, key, *, post=None, thread, member, subforum, created, summary, risk="none", resolved=False):
        nonlocal next_item
        pk = next_item
        next_item += 1
        if not resolved:
            opened[kind] += 1
        resolved_at = created + timedelta(hours=2) if resolved else None
        items.append(
            (
                pk,
                kind,
                "resolved" if resolved else "open",
                risk,
                RISK_PRIORITY[RiskLevel(risk)],
                key,
                post,
                thread,
                member,
                subforum,
                summary[:300],
                created,
                resolved_at or created,
                moderators[pk % len(moderators)] if resolved and kind != "unanswered" else None,
                resolved_at,
                ("no_action" if kind != "unanswered" else "answered") if resolved else "",
            )
        )
        return pk

    for post, thread, author, subforum, created, _position in result.pending_posts:
        item(
            "premoderation",
            f"post:{post}",
            post=post,
            thread=thread,
            member=author,
            subforum=subforum,
            created=created,
            summary=f"New post by {result.pseudonyms[author]} waiting for approval",
        )
    for post, thread, author, subforum, created, _position in result.reported_posts:
        resolved = rng.random() < RESOLVED_REPORT_SHARE
        when = created + timedelta(hours=1)
        pk = item(
            "report",
            f"post:{post}",
            post=post,
            thread=thread,
            member=author,
            subforum=subforum,
            created=when,
            summary=f"Reported post by {result.pseudonyms[author]}",
            resolved=resolved,
        )
        for n in range(1 + int(rng.random() * 2.5)):
            reporter = members[int(rng.random() * len(members))]
            reports.append(
                (
                    next_report,
                    reporter,
                    post,
                    rules[int(rng.random() * len(rules))] if rules else None,
                    False,
                    REPORT_WORDS[int(rng.random() * len(REPORT_WORDS))],
                    pk,
                    when + timedelta(minutes=n),
                    resolved,
                )
            )
            next_report += 1
    for post, thread, author, subforum, created, _position in result.screened_posts:
        risk = RiskLevel.HIGH if rng.random() < 0.2 else RiskLevel.MEDIUM
        item(
            "screening",
            f"post:{post}",
            post=post,
            thread=thread,
            member=author,
            subforum=subforum,
            created=created + timedelta(seconds=5),
            summary=f"Screening: {risk.label.lower()} risk in a post by {result.pseudonyms[author]}",
            risk=risk,
            resolved=rng.random() < RESOLVED_SCREENING_SHARE,
        )
    for thread, author, subforum, when, title in result.escalated_threads:
        item(
            "unanswered",
            f"thread:{thread}",
            thread=thread,
            member=author,
            subforum=subforum,
            created=when,
            summary=f"No reply yet after 12 hours: {title}",
            resolved=anchor - when > OPEN_UNANSWERED_FOR,
        )
    from django.db import transaction

    with transaction.atomic():
        writer.insert(
            ReviewItem,
            [
                "id",
                "kind",
                "status",
                "risk_level",
                "priority",
                "target_key",
                "post_id",
                "thread_id",
                "member_id",
                "subforum_id",
                "summary",
                "created_at",
                "updated_at",
                "resolved_by_id",
                "resolved_at",
                "resolution",
            ],
            items,
        )
        writer.insert(
            Report,
            [
                "id",
                "reporter_id",
                "post_id",
                "rule_id",
                "someone_at_risk",
                "words",
                "review_item_id",
                "created_at",
                "no_action",
            ],
            reports,
        )
    writer.finish([ReviewItem, Report])
    return opened
