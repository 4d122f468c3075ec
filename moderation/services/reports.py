"""Members' reports (DSA Art. 16 notices): one Report row each, all feeding one review item per target."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from forum.models import Post, Rule
from moderation import intake
from moderation.models import PRIORITY_OTHERS_RISK, Report, ReviewItem, RiskLevel, Sanction
from notifications.services import notify

# Reports found to need no action, counted over UNFOUNDED_WINDOW: a calm word at the first
# threshold, then fewer reports a day for a month (logged, liftable like any sanction).
UNFOUNDED_WINDOW = timedelta(days=90)
UNFOUNDED_WARN = 5
UNFOUNDED_LIMIT = 10
LIMITED_PER_DAY = 2
LIMIT_PERIOD = timedelta(days=30)


class ReportRefused(Exception):
    """A calm reason a report can't be filed (own post, too many in a short time)."""


TOO_MANY = (
    "Thank you for looking out for others. You've sent several reports in a short time, so please "
    "wait a little before sending another. What you wrote is still here. If someone is in danger "
    "right now, please contact emergency services or see the help page."
)


LIMITED = (
    "Many of your recent reports didn't need a moderator's action, so for a while you can send "
    f"{LIMITED_PER_DAY} reports a day. What you wrote is still here. If someone is in danger right "
    "now, please contact emergency services or see the help page."
)


def _check_report_limit(reporter) -> None:
    """A member under a report limit may send LIMITED_PER_DAY a day. (How many reports anyone
    may send in an hour is counted per member and address by the view, with accounts.limits.)"""
    now = timezone.now()
    limited = Sanction.objects.filter(
        member=reporter, kind=Sanction.Kind.REPORT_LIMIT, lifted_at__isnull=True, ends_at__gt=now
    ).exists()
    if limited and Report.objects.filter(reporter=reporter, created_at__gte=now - timedelta(days=1)).count() >= (
        LIMITED_PER_DAY
    ):
        raise ReportRefused(LIMITED)


@transaction.atomic
def report_file(
    *,
    reporter,
    post: Post | None = None,
    member=None,
    rule: Rule | None = None,
    someone_at_risk: bool = False,
    words: str = "",
) -> Report:
    """File a report about a post (already fetched through the reporter's visibility) or a profile."""
    if (post is None) == (member is None):
        raise ValueError("Report a post or a member, not both.")
    if post is not None and post.author_id == reporter.pk:
        raise ReportRefused("This is your own post. If you'd like it changed, you can edit or remove it yourself.")
    if member is not None and member.pk == reporter.pk:
        raise ReportRefused("This is your own profile.")
    if rule is None and not someone_at_risk:
        raise ReportRefused("Please choose a guideline, or say that someone may be at risk.")
    _check_report_limit(reporter)
    words = words.strip()[:1000]
    if post is not None:
        target_key, subject, thread, subforum = f"post:{post.pk}", post.author, post.thread, post.thread.subforum
        what = "a post"
    else:
        target_key, subject, thread, subforum = f"member:{member.pk}", member, None, None
        what = "a profile"
    item = intake.review_item_open(
        kind=ReviewItem.Kind.REPORT,
        target_key=target_key,
        summary=("Someone may be at risk: " if someone_at_risk else f"{rule.code}: ") + f"a member reported {what}",
        risk_level=RiskLevel.HIGH if someone_at_risk else RiskLevel.NONE,
        # A reporter saying someone may be at risk is read first of all: it may be a third person.
        priority=PRIORITY_OTHERS_RISK if someone_at_risk else 1,
        post=post,
        thread=thread,
        member=subject,
        subforum=subforum,
    )
    return Report.objects.create(
        reporter=reporter,
        post=post,
        member=member if post is None else None,
        rule=rule,
        someone_at_risk=someone_at_risk,
        words=words,
        review_item=item,
    )


def reporter_review_unfounded(*, reporter) -> str:
    """After a report of theirs needed no action: warn at UNFOUNDED_WARN, limit at UNFOUNDED_LIMIT.

    Returns what happened ("", "warned", "limited"). Each step is logged and told to the member.
    """
    from moderation.services.actions import action_log

    now = timezone.now()
    unfounded = Report.objects.filter(reporter=reporter, no_action=True, created_at__gte=now - UNFOUNDED_WINDOW).count()
    if unfounded == UNFOUNDED_WARN:
        action_log(
            actor=None, action="reporter_warn", rule=None, member=reporter,
            reason=f"{unfounded} reports in 90 days needed no action.",
        )  # fmt: skip
        notify(
            recipient=reporter,
            kind="moderation",
            title="About your reports",
            body="Thank you for looking out for others. Several of your recent reports didn't need a "
            "moderator's action. Please check the guidelines before reporting; if that keeps happening "
            "you'll be able to send fewer reports for a while.",
            url="/guidelines/",
        )
        return "warned"
    if unfounded == UNFOUNDED_LIMIT:
        sanction = Sanction.objects.create(
            member=reporter,
            kind=Sanction.Kind.REPORT_LIMIT,
            rule_id=None,
            reason=f"{unfounded} reports in 90 days needed no action.",
            ends_at=now + LIMIT_PERIOD,
            created_by=None,
        )
        action_log(
            actor=None, action="reporter_limit", rule=None, member=reporter, reason=sanction.reason,
            after={"sanction_id": sanction.pk, "until": sanction.ends_at.isoformat()},
        )  # fmt: skip
        notify(
            recipient=reporter,
            kind="moderation",
            title="You can send fewer reports for a month",
            body=LIMITED + " A moderator can lift this; write to us if you think it's wrong.",
            url="/guidelines/",
        )
        return "limited"
    return ""
