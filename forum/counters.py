"""Checking (and repairing) the denormalised counters the forum services keep.

The services update counters in the transaction that changes what they count; this module
recomputes them from the rows themselves, by the same rules as ``services.thread_recount``,
``subforum_recount`` and ``author_recount``, so ``manage.py check_counters`` can show that they
agree, and put right any that do not (after a manual SQL fix, a restore, a bug).

It reads posts a batch of threads at a time, so memory stays flat on a million posts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q

from forum.models import Post, Subforum, SubforumNoteCount, Thread, Visibility, note_ids_key

PUBLISHED = Visibility.PUBLISHED
BATCH = 5_000

THREAD_FIELDS = (
    "reply_count",
    "last_post_id",
    "last_poster_id",
    "last_activity_at",
    "first_reply_at",
    "post_sequence",
    "note_ids",
)
SUBFORUM_FIELDS = ("thread_count", "post_count", "last_activity_at")


@dataclass
class CounterReport:
    """Rows whose stored counters differ from the recomputed ones: (model, field) -> count."""

    checked: dict[str, int] = field(default_factory=dict)
    wrong: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    examples: list[str] = field(default_factory=list)
    repaired: bool = False

    @property
    def ok(self) -> bool:
        return not any(self.wrong.values())

    def note(self, what: str, pk: int, stored, expected) -> None:
        self.wrong[what] += 1
        if len(self.examples) < 20:
            self.examples.append(f"{what} of {pk}: stored {stored!r}, expected {expected!r}")


def _expected_thread(thread: dict, posts: list[tuple], note_ids: set[int]) -> dict:
    """What thread_recount stores, from the thread's posts (id, position, status, created_at, author)."""
    published = [p for p in posts if p[2] == PUBLISHED]
    last = max(published, key=lambda p: (p[3], p[0]), default=None)
    replies = [p for p in published if p[1] != 0]
    answers = [p for p in replies if p[4] != thread["author_id"]]
    first_reply = min(answers, key=lambda p: (p[3], p[0]), default=None)
    return {
        "reply_count": len(replies),
        "last_post_id": last[0] if last else None,
        "last_poster_id": last[4] if last else None,
        "last_activity_at": last[3] if last else thread["created_at"],
        "first_reply_at": first_reply[3] if first_reply else None,
        "post_sequence": max((p[1] for p in posts), default=0),
        "note_ids": note_ids_key(note_ids),
    }


def check_counters(*, repair: bool = False, progress: Callable[[str], None] = lambda line: None) -> CounterReport:
    report = CounterReport(repaired=repair)
    sub_expected: dict[int, dict] = {
        pk: {"thread_count": 0, "post_count": 0, "last_activity_at": None}
        for pk in Subforum.objects.values_list("pk", flat=True)
    }
    note_sets: dict[tuple[int, str], int] = defaultdict(int)
    last_pk, seen = 0, 0
    while True:
        threads = list(
            Thread.objects.filter(pk__gt=last_pk)
            .order_by("pk")
            .values("pk", "author_id", "created_at", "status", "subforum_id", *THREAD_FIELDS)[:BATCH]
        )
        if not threads:
            break
        last_pk = threads[-1]["pk"]
        by_thread = defaultdict(list)
        rows = Post.objects.filter(thread_id__gte=threads[0]["pk"], thread_id__lte=last_pk).values_list(
            "thread_id", "id", "position", "status", "created_at", "author_id"
        )
        for thread_id, *rest in rows.iterator(chunk_size=20_000):
            by_thread[thread_id].append(tuple(rest))
        notes_of = defaultdict(set)
        for thread_id, note_id in Thread.notes.through.objects.filter(
            thread_id__gte=threads[0]["pk"], thread_id__lte=last_pk
        ).values_list("thread_id", "contentnote_id"):
            notes_of[thread_id].add(note_id)
        fixes = []
        for thread in threads:
            posts = by_thread.get(thread["pk"], [])
            expected = _expected_thread(thread, posts, notes_of.get(thread["pk"], set()))
            changed = {}
            for name, value in expected.items():
                stored = thread[name]
                if stored != value:
                    report.note(f"thread.{name}", thread["pk"], stored, value)
                    changed[name] = value
            if changed:
                fixes.append((thread["pk"], changed))
            if thread["status"] == PUBLISHED:
                sub = sub_expected[thread["subforum_id"]]
                sub["thread_count"] += 1
                sub["post_count"] += sum(1 for p in posts if p[2] == PUBLISHED)
                at = expected["last_activity_at"]
                if sub["last_activity_at"] is None or at > sub["last_activity_at"]:
                    sub["last_activity_at"] = at
                if expected["note_ids"]:
                    note_sets[(thread["subforum_id"], expected["note_ids"])] += 1
        if repair and fixes:
            with transaction.atomic():
                for pk, changed in fixes:
                    Thread.objects.filter(pk=pk).update(**changed)
        seen += len(threads)
        progress(f"threads checked: {seen:,}")
    report.checked["threads"] = seen

    for sub in Subforum.objects.values("pk", *SUBFORUM_FIELDS):
        expected = sub_expected[sub["pk"]]
        changed = {name: value for name, value in expected.items() if sub[name] != value}
        for name, value in changed.items():
            report.note(f"subforum.{name}", sub["pk"], sub[name], value)
        if repair and changed:
            Subforum.objects.filter(pk=sub["pk"]).update(**changed)
    report.checked["subforums"] = len(sub_expected)

    stored_sets = {(row.subforum_id, row.note_ids): row for row in SubforumNoteCount.objects.all()}
    for key in sorted(set(stored_sets) | set(note_sets)):
        stored = stored_sets[key].thread_count if key in stored_sets else 0
        expected = note_sets.get(key, 0)
        if stored != expected:
            report.note("subforum.note_count", key[0], f"{key[1]}: {stored}", f"{key[1]}: {expected}")
            if repair:
                SubforumNoteCount.objects.filter(subforum_id=key[0], note_ids=key[1]).delete()
                if expected:
                    SubforumNoteCount.objects.create(subforum_id=key[0], note_ids=key[1], thread_count=expected)

    User = get_user_model()
    counts = dict(
        Post.objects.filter(status=PUBLISHED).values("author_id").annotate(n=Count("id")).values_list("author_id", "n")
    )
    members = 0
    for pk, stored in User.objects.filter(Q(post_count__gt=0) | Q(pk__in=list(counts))).values_list("pk", "post_count"):
        members += 1
        expected = counts.get(pk, 0)
        if stored != expected:
            report.note("member.post_count", pk, stored, expected)
            if repair:
                User.objects.filter(pk=pk).update(post_count=expected)
    report.checked["members"] = members
    return report
