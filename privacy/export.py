"""A member's data download (GDPR Art. 15 and 20): everything Hearth holds about them, as JSON.

What goes in, and what does not:

- their account, email addresses, preferences (content notes, notifications, volunteering),
  posts and threads with every earlier version, reactions they gave, their notifications, the
  reports and appeals they made, and restrictions placed on them;
- moderators' decisions about them or their posts, as their statement of reasons shows them
  (what, when, the guideline, the moderator's words for restricting decisions);
- for each of their posts, what risk screening concluded (level and categories per version):
  that is data about them, so it is theirs to see, though moderators alone see it in Hearth.
  The matched words, the engine's internals and moderators' notes are not included;
- sign-in addresses only as what is stored: keyed hashes, which cannot be turned back into
  addresses, with their dates.

Nothing about another member goes in beyond what they chose to show everyone (a pseudonym on a
post the member reported): no other member's email, hidden words or moderators' internal notes
(the reason an admin gave for viewing an email, who moderated, review items).
"""

from __future__ import annotations

import gzip
import json
from collections import defaultdict
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from accounts.models import AddressRecord, User
from forum.models import ContentNotePreference, Post, PostRevision, Reaction, Thread, Volunteer
from moderation.models import Appeal, ModerationAction, Report, Sanction
from moderation.screening.models import ScreeningResult
from moderation.services.actions import ACTION_LABELS, RESTRICTING, SHOWN_TO_MEMBER
from notifications.models import Notification, NotificationPreference
from notifications.services import notify
from privacy.models import DataExport

# Above this many rows (posts, revisions, notifications) the download is gathered by a
# background job and the member is told when it is ready; below, it is built in the request.
INLINE_ROW_LIMIT = 1000


def _about() -> str:
    return (
        "Everything Hearth holds about you, as of the time above. Other members only ever see your "
        "pseudonym and what you post. Moderators see posts and reports, never your email. Screening "
        "results are what Hearth's automated risk screening concluded about each version of your posts; "
        "a person always makes any decision. Sign-in addresses are stored only as keyed hashes, which "
        "cannot be turned back into addresses, and are deleted after "
        f"{settings.HEARTH_RETENTION_IP_DAYS} days."
    )


def export_row_count(*, member_id: int) -> int:
    """Roughly how big a member's download is, to decide where to build it."""
    return (
        Post.objects.filter(author_id=member_id).count()
        + PostRevision.objects.filter(post__author_id=member_id).count()
        + Notification.objects.filter(recipient_id=member_id).count()
    )


def export_document(*, member_id: int) -> dict:
    """The download's content for ``member_id``."""
    member = User.objects.get(pk=member_id)
    return {
        "generated_at": timezone.now(),
        "about": _about(),
        "account": _account(member),
        "email_addresses": list(
            EmailAddress.objects.filter(user_id=member_id).order_by("pk").values("email", "verified", "primary")
        ),
        "preferences": _preferences(member_id),
        "threads": _threads(member_id),
        "posts": _posts(member_id),
        "reactions": list(
            Reaction.objects.filter(member_id=member_id).order_by("created_at").values("post_id", "kind", "created_at")
        ),
        "notifications": list(
            Notification.objects.filter(recipient_id=member_id)
            .order_by("created_at", "pk")
            .values("kind", "title", "body", "url", "created_at", "read_at")
        ),
        "reports_made": _reports(member_id),
        "appeals_made": list(
            Appeal.objects.filter(appellant_id=member_id)
            .order_by("created_at")
            .values("kind", "action_id", "words", "decision", "created_at")
        ),
        "decisions_about_you": _decisions(member_id),
        "restrictions": _restrictions(member_id),
        "sign_in_address_hashes": list(
            AddressRecord.objects.filter(member_id=member_id).order_by("seen_at").values("address_hash", "seen_at")
        ),
    }


def export_json(*, member_id: int) -> bytes:
    return json.dumps(export_document(member_id=member_id), cls=DjangoJSONEncoder, indent=2).encode()


def _account(member: User) -> dict:
    return {
        "pseudonym": member.pseudonym,
        "email": member.email,
        "date_joined": member.date_joined,
        "last_login": member.last_login,
        "published_posts": member.post_count,
        "guidelines_version_accepted": member.guidelines_version_accepted,
        "guidelines_accepted_at": member.guidelines_accepted_at,
        "onboarding_completed_at": member.onboarding_completed_at,
        "is_moderator": member.is_moderator,
        "posting_restriction": member.posting_restriction,
        "deletion_requested_at": member.erasure_requested_at,
    }


def _preferences(member_id: int) -> dict:
    return {
        "content_notes": [
            {"note": pref.note.name, "display": pref.display}
            for pref in ContentNotePreference.objects.filter(member_id=member_id).select_related("note")
        ],
        "notifications": list(
            NotificationPreference.objects.filter(member_id=member_id).order_by("kind").values("kind", "delivery")
        ),
        "volunteering": [
            {"role": v.role, "subforum": v.subforum.name if v.subforum else None}
            for v in Volunteer.objects.filter(member_id=member_id).select_related("subforum")
        ],
    }


def _threads(member_id: int) -> list[dict]:
    threads = Thread.objects.filter(author_id=member_id).select_related("subforum").prefetch_related("notes")
    return [
        {
            "id": t.pk,
            "title": t.title,
            "subforum": t.subforum.name,
            "status": t.status,
            "created_at": t.created_at,
            "content_notes": [n.name for n in t.notes.all()],
            "url": t.get_absolute_url(),
        }
        for t in threads.order_by("created_at")
    ]


def _posts(member_id: int) -> list[dict]:
    posts = (
        Post.objects.filter(author_id=member_id)
        .select_related("thread")
        .prefetch_related("notes")
        .order_by("created_at", "pk")
    )
    revisions = defaultdict(list)
    for rev in PostRevision.objects.filter(post__author_id=member_id).order_by("created_at", "pk"):
        revisions[rev.post_id].append(
            {
                "replaced_at": rev.created_at,
                "text": rev.source,
                "title": rev.title,
                "changed_by": "you" if rev.editor_id == member_id else "a moderator",
            }
        )
    screening = defaultdict(list)
    results = ScreeningResult.objects.filter(post__author_id=member_id, status=ScreeningResult.Status.DONE)
    for row in results.order_by("post_id", "revision").values("post_id", "revision", "level", "categories"):
        screening[row["post_id"]].append(
            {"version": row["revision"], "level": row["level"], "categories": row["categories"]}
        )
    return [
        {
            "id": p.pk,
            "thread_id": p.thread_id,
            "thread_title": p.thread.title,
            "answers_post_id": p.parent_id,
            "status": p.status,
            "status_reason": p.status_reason,
            "created_at": p.created_at,
            "edited_at": p.edited_at,
            "text": p.source,
            "content_notes": [n.name for n in p.notes.all()],
            "earlier_versions": revisions.get(p.pk, []),
            "screening": screening.get(p.pk, []),
            "url": p.get_absolute_url(),
        }
        for p in posts
    ]


def _reports(member_id: int) -> list[dict]:
    reports = Report.objects.filter(reporter_id=member_id).select_related("rule", "member").order_by("created_at")
    return [
        {
            "created_at": r.created_at,
            "post_id": r.post_id,
            "profile": r.member.pseudonym if r.member_id else None,
            "guideline": r.rule.code if r.rule_id else None,
            "someone_at_risk": r.someone_at_risk,
            "words": r.words,
            # Reporters hear that their report was reviewed, never the outcome for the other member.
            "reviewed": r.decided_by_action_id is not None or r.no_action,
            "no_action": r.no_action,
        }
        for r in reports
    ]


def _decisions(member_id: int) -> list[dict]:
    actions = (
        ModerationAction.objects.filter(member_id=member_id, action__in=SHOWN_TO_MEMBER)
        .select_related("rule")
        .order_by("created_at")
    )
    return [
        {
            "created_at": a.created_at,
            "what": ACTION_LABELS.get(a.action, a.action),
            "post_id": a.post_id,
            "thread_id": a.thread_id,
            "guideline": f"{a.rule.code}: {a.rule.title}" if a.rule_id else None,
            # The moderator's words, as the statement of reasons shows them to the member.
            "reasons": a.reason if a.action in RESTRICTING else "",
            "flagged_by_screening": a.flagged_by_screening,
            "statement_of_reasons": a.get_absolute_url(),
        }
        for a in actions
    ]


def _restrictions(member_id: int) -> list[dict]:
    sanctions = Sanction.objects.filter(member_id=member_id).select_related("rule").order_by("starts_at")
    return [
        {
            "kind": s.get_kind_display(),
            "guideline": s.rule.code if s.rule_id else None,
            "reason": s.reason,
            "starts_at": s.starts_at,
            "ends_at": s.ends_at,
            "lifted_at": s.lifted_at,
        }
        for s in sanctions
    ]


# --- building and storing ---------------------------------------------------------------------
def export_start(*, member: User) -> DataExport:
    """Start a download for ``member``: built now when small, else by a background job that
    notifies them when it is ready. Returns the (ready or queued) export."""
    export = DataExport.objects.create(
        member=member, expires_at=timezone.now() + timedelta(days=settings.HEARTH_EXPORT_DAYS)
    )
    if export_row_count(member_id=member.pk) <= INLINE_ROW_LIMIT:
        return export_build(export_id=export.pk, notify_member=False)
    from privacy.tasks import build_export  # the task module imports this one

    transaction.on_commit(lambda: build_export.delay(str(export.pk)))
    return export


def export_build(*, export_id, notify_member: bool = True) -> DataExport | None:
    """Gather and store one export; safe to run twice (a ready export is left as it is)."""
    with transaction.atomic():
        export = DataExport.objects.select_for_update().filter(pk=export_id).first()
        if export is None or export.status == DataExport.Status.READY:
            return export
        document = export_json(member_id=export.member_id)
        export.content = gzip.compress(document)
        export.size = len(document)
        export.status = DataExport.Status.READY
        export.ready_at = timezone.now()
        export.save(update_fields=["content", "size", "status", "ready_at"])
        if notify_member:
            notify(
                recipient=export.member,
                kind="data_export",
                title="Your data is ready to download",
                body=f"The download stays available until {export.expires_at:%d %B %Y}. Only you can open it.",
                url=export.get_absolute_url(),
            )
    return export


def export_for_owner(*, export_id, member) -> DataExport | None:
    """The export, if it belongs to ``member`` and can still be downloaded; None otherwise."""
    if not member.is_authenticated:
        return None
    export = DataExport.objects.filter(pk=export_id, member=member).first()
    return export if export is not None and export.is_available() else None


def exports_of(*, member) -> list[DataExport]:
    return list(DataExport.objects.filter(member=member).defer("content").order_by("-created_at")[:5])


def export_content(export: DataExport) -> bytes:
    return gzip.decompress(bytes(export.content))
