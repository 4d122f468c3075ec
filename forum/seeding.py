"""A large synthetic community for benchmarks: ``manage.py seed_forum`` (moderation's command,
which adds the review queue on top of what this module writes).

Rows are generated in Python and written in bulk (PostgreSQL ``COPY``; ``executemany`` on
SQLite), a chunk of threads per transaction, with every denormalised field computed here by the
same rules the services use: ``services._tree_place`` for reply trees, and the counters that
``thread_recount``, ``subforum_recount`` and ``author_recount`` would compute. ``check_counters``
finds nothing to repair afterwards. The same ``seed`` and the same ``anchor`` time give the same
community (ids aside, which follow whatever the database already holds).
"""

from __future__ import annotations

import bisect
import itertools
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import SimpleNamespace

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from forum import services
from forum.models import (
    ContentNote,
    NoteDisplay,
    Post,
    PostRevision,
    Reaction,
    Subforum,
    SubforumNoteCount,
    Thread,
    Visibility,
    note_ids_key,
)
from forum.rendering import render_post
from notifications.models import Notification

SEED_PASSWORD = "hearth-bench-2026"  # noqa: S105 - printed for benchmarks; seeded data is synthetic
SEED_EMAIL_DOMAIN = "seed.hearth.example"
BIG_THREAD_TITLE = "A long conversation: what got you through this week?"
THREADS_PER_CHUNK = 2_000

# Shares of the community, chosen to look like a moderated support forum of this size.
UNANSWERED_SHARE = 0.08  # threads nobody else has answered
PENDING_THREAD_SHARE = 0.01  # opening posts waiting for a moderator
HIDDEN_THREAD_SHARE = 0.002
DELETED_THREAD_SHARE = 0.002
LOCKED_SHARE = 0.005
NOTED_THREAD_SHARE = 0.2  # threads carrying a content note
PENDING_REPLY_SHARE = 0.005
HIDDEN_REPLY_SHARE = 0.004
DELETED_REPLY_SHARE = 0.003
NOTED_REPLY_SHARE = 0.01
EDITED_SHARE = 0.02
REPORTED_SHARE = 0.004
SCREENED_SHARE = 0.0015
REACTION_MEAN = 1.0  # about 0.6 reactions per published post (whole numbers below an exponential)
NOTIFIED_SHARE = 0.15  # replies that left the thread's author a notification
SELF_REPLY_SHARE = 0.1  # replies by the thread's own author

SUBFORUM_TREE = [
    ("Welcome", "Say hello and find your way around.", [("Introductions", True), ("Questions about Hearth", False)]),
    ("Feelings", "Anxiety, low mood and the days in between.", [("Anxiety", False), ("Low mood", False)]),
    ("Harder times", "For the heaviest days.", [("Self-harm recovery", False), ("Grief and loss", False)]),
    ("Everyday life", "Work, study, sleep and home.", [("Work and study", False), ("Sleep", False)]),
    ("People around us", "Family, friends and partners.", [("Family", False), ("Friendship", False)]),
    ("Things that help", "What has helped you, big or small.", [("Small wins", False), ("Creative corner", False)]),
]

FALLBACK_NOTES = [
    ("Suicidal thoughts", "suicidal-thoughts", NoteDisplay.COLLAPSE),
    ("Self-harm", "self-harm", NoteDisplay.COLLAPSE),
    ("Abuse", "abuse", NoteDisplay.COLLAPSE),
    ("Graphic medical detail", "graphic-medical", NoteDisplay.HIDE),
]

_OPENINGS = [
    "I have been struggling a lot this week",
    "Something small happened today and I wanted to share it",
    "I don't really know where to start",
    "It has been a while since I posted here",
    "I finally told someone how I have been feeling",
    "Nights are the hardest for me at the moment",
    "I keep going over the same thoughts",
    "I wanted to say thank you to everyone here",
    "Work has been overwhelming lately",
    "My sleep has been all over the place",
]
_SENTENCES = [
    "Thank you for sharing this, it takes courage.",
    "I recognise so much of what you describe.",
    "Some days are heavier than others, and that is okay.",
    "What helped me was writing things down before bed.",
    "Have you been able to talk to anyone you trust about it?",
    "I went for a short walk today and it helped a little.",
    "You are not alone in this, truly.",
    "It sounds exhausting to carry all of that.",
    "I tried the breathing exercise from the other thread.",
    "My doctor suggested keeping a mood diary, which surprised me.",
    "Small steps still count, even when they feel tiny.",
    "I had a better morning than I expected.",
    "It is fine to take things one hour at a time.",
    "I am glad you posted here instead of keeping it in.",
    "Sometimes I just need someone to listen, not fix things.",
    "Be gentle with yourself this week.",
    "I made a cup of tea and sat outside for ten minutes.",
    "Reading everyone's replies made me feel less strange.",
    "I am still learning what my warning signs are.",
    "It got easier for me after a while, slowly.",
    "Is there anything that usually helps you on days like this?",
    "I have *good* days and **hard** days, and today was a mix.",
    "The support line was kinder than I expected when I called.",
    "I wrote a list of three things that went okay today.",
    "Sending you warmth from a rainy afternoon.",
]
_TOPICS = [
    "sleep",
    "work",
    "my family",
    "starting therapy",
    "feeling stuck",
    "a good day",
    "anxiety at night",
    "making friends",
    "exam stress",
    "grief",
    "new medication",
    "going outside",
    "talking to my GP",
    "hobbies that help",
    "feeling numb",
]
_TITLE_FORMS = [
    "Advice about {topic}?",
    "Struggling with {topic}",
    "A small win with {topic}",
    "Does anyone else find {topic} hard?",
    "Thinking about {topic} tonight",
    "How do you cope with {topic}?",
    "Update on {topic}",
]
_ADJECTIVES = ["Quiet", "Gentle", "Brave", "Calm", "Kind", "Bright", "Steady", "Warm", "Hopeful", "Patient"]
_NOUNS = ["Heron", "Maple", "Otter", "Willow", "Harbour", "Lantern", "Meadow", "Sparrow", "River", "Fern"]


@dataclass
class SeedPlan:
    members: int = 10_000
    threads: int = 100_000
    posts: int = 1_000_000  # every post, opening posts included
    big_thread_replies: int = 2_000
    seed: int = 1
    anchor: datetime | None = None  # "now" for the community; defaults to the start of this hour


@dataclass
class SeedResult:
    """What was written, and what the moderation seeder needs to build the review queue."""

    member_ids: list[int] = field(default_factory=list)
    moderator_ids: list[int] = field(default_factory=list)
    first_member_email: str = ""
    first_moderator_email: str = ""
    threads: int = 0
    posts: int = 0
    reactions: int = 0
    big_thread_id: int | None = None
    # (post id, thread id, author id, subforum id, created_at, position) per list
    pending_posts: list[tuple] = field(default_factory=list)
    reported_posts: list[tuple] = field(default_factory=list)
    screened_posts: list[tuple] = field(default_factory=list)
    # (thread id, author id, subforum id, created_at, title)
    escalated_threads: list[tuple] = field(default_factory=list)
    anchor: datetime | None = None
    pseudonyms: dict[int, str] = field(default_factory=dict)


class BulkWriter:
    """Writes rows of one model fast: COPY on PostgreSQL, executemany elsewhere.

    Columns not given take their model default, so a column another change adds (with a default)
    does not break the seeder.
    """

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"

    def next_id(self, model: type[models.Model]) -> int:
        return (model.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1

    def insert(self, model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence]) -> int:
        given = list(columns)
        extra_cols, extra_vals = [], []
        for f in model._meta.concrete_fields:
            if f.column in given or f.primary_key:
                continue
            extra_cols.append(f.column)
            extra_vals.append(f.get_db_prep_save(f.get_default(), connection))
        extra = tuple(extra_vals)
        all_cols = given + extra_cols
        table = connection.ops.quote_name(model._meta.db_table)
        col_sql = ", ".join(connection.ops.quote_name(c) for c in all_cols)
        count = 0
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {table} ({col_sql}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row((*row, *extra))
                        count += 1
            else:
                placeholders = ", ".join(["%s"] * len(all_cols))
                batch = [(*row, *extra) for row in rows]
                cursor.executemany(f"INSERT INTO {table} ({col_sql}) VALUES ({placeholders})", batch)  # noqa: S608 - names from _meta
                count = len(batch)
        return count

    def finish(self, model_list: Sequence[type[models.Model]]) -> None:
        """Move id sequences past the ids written, and refresh the planner's statistics."""
        statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
            if self.postgres:
                # VACUUM too when allowed (outside a transaction): it marks the pages all-visible,
                # so listings and thread pages are answered from their covering indexes at once.
                verb = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
                for model in model_list:
                    cursor.execute(f"{verb} {connection.ops.quote_name(model._meta.db_table)}")


class TextPool:
    """Post bodies from pre-rendered paragraphs: the stored HTML is exactly what
    ``render_post`` makes of the stored source, without rendering a million posts."""

    def __init__(self, rng: random.Random, size: int = 600) -> None:
        self.paragraphs = []
        for _ in range(size):
            sentences = rng.sample(_SENTENCES, rng.randint(1, 4))
            if rng.random() < 0.3:
                sentences.insert(0, rng.choice(_OPENINGS) + ".")
            source = " ".join(sentences)
            self.paragraphs.append((source, render_post(source)))

    def body(self, rng: random.Random) -> tuple[str, str]:
        chosen = [self.paragraphs[int(rng.random() * len(self.paragraphs))] for _ in range(1 + int(rng.random() * 3))]
        return "\n\n".join(p[0] for p in chosen), "\n".join(p[1] for p in chosen)


def _title(rng: random.Random) -> str:
    return rng.choice(_TITLE_FORMS).format(topic=rng.choice(_TOPICS))


def _slug(title: str) -> str:
    from django.utils.text import slugify

    return slugify(title)[:80] or "thread"


def _reply_counts(rng: random.Random, kinds: list[str], total_replies: int) -> list[int]:
    """Spread ``total_replies`` over the threads that may have replies, heavy-tailed like a real forum."""
    weights = [min(rng.paretovariate(1.4), 150.0) if kind == "open" else 0.0 for kind in kinds]
    scale = total_replies / (sum(weights) or 1)
    counts = [int(w * scale) for w in weights]
    missing = total_replies - sum(counts)
    open_ids = [i for i, kind in enumerate(kinds) if kind == "open"]
    for step in range(missing):
        counts[open_ids[step % len(open_ids)]] += 1
    return counts


def _subforums(rng: random.Random) -> list[Subforum]:
    """A shallow tree through mptt itself (a few rows): categories, each with two children."""
    made = []
    has_intro = Subforum.objects.filter(is_introductions=True).exists()
    for order, (name, description, children) in enumerate(SUBFORUM_TREE):
        parent = Subforum.objects.create(
            name=name, slug=_free_slug(f"seed-{name}"), description=description, order=order
        )
        made.append(parent)
        for child_order, (child, intro) in enumerate(children):
            made.append(
                Subforum.objects.create(
                    name=child,
                    slug=_free_slug(f"seed-{child}"),
                    description=f"{child}: a space to share and listen.",
                    parent=parent,
                    order=child_order,
                    is_introductions=intro and not has_intro,
                )
            )
    return made


def _free_slug(name: str) -> str:
    from django.utils.text import slugify

    base = slugify(name)[:70]
    slug, n = base, 2
    while Subforum.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _content_notes() -> list[ContentNote]:
    notes = list(ContentNote.objects.filter(is_active=True).order_by("order", "pk"))
    if notes:
        return notes
    for order, (name, slug, display) in enumerate(FALLBACK_NOTES):
        notes.append(ContentNote.objects.create(name=name, slug=slug, default_display=display, order=order))
    return notes


def _members(plan: SeedPlan, rng: random.Random, writer: BulkWriter, anchor: datetime, result: SeedResult) -> None:
    from forum.selectors import guidelines_version

    User = get_user_model()
    first = writer.next_id(User)
    password = make_password(SEED_PASSWORD)
    version = guidelines_version()
    rows, emails = [], []
    moderators = max(1, plan.members // 2_000)
    for i in range(plan.members):
        pk = first + i
        email = f"seed{i}@{SEED_EMAIL_DOMAIN}"
        pseudonym = f"{_ADJECTIVES[i % 10]}{_NOUNS[(i // 10) % 10]}{i}"
        # Most joined over the past three years; about 2 % this week (new members).
        days = rng.uniform(0, 7) if rng.random() < 0.02 else rng.uniform(7, 1_100)
        joined = anchor - timedelta(days=days)
        rows.append(
            (pk, password, email, pseudonym, True, False, i < moderators, joined, joined, version, joined, False)
        )
        emails.append((pk, email))
        result.member_ids.append(pk)
        result.pseudonyms[pk] = pseudonym
        if i < moderators:
            result.moderator_ids.append(pk)
    columns = [
        "id",
        "password",
        "email",
        "pseudonym",
        "is_active",
        "is_staff",
        "is_moderator",
        "date_joined",
        "onboarding_completed_at",
        "guidelines_version_accepted",
        "guidelines_accepted_at",
        "is_superuser",
    ]
    with transaction.atomic():
        writer.insert(User, columns, rows)
        email_first = writer.next_id(EmailAddress)
        writer.insert(
            EmailAddress,
            ["id", "user_id", "email", "verified", "primary"],
            ((email_first + n, pk, email, True, True) for n, (pk, email) in enumerate(emails)),
        )
    result.first_moderator_email = f"seed0@{SEED_EMAIL_DOMAIN}"
    result.first_member_email = f"seed{moderators}@{SEED_EMAIL_DOMAIN}"


def seed_community(plan: SeedPlan, progress: Callable[[str], None] = lambda line: None) -> SeedResult:
    """Write the community described by ``plan``; see the module docstring."""
    rng = random.Random(plan.seed)
    anchor = plan.anchor or timezone.now().replace(minute=0, second=0, microsecond=0)
    writer = BulkWriter()
    result = SeedResult(anchor=anchor)
    started = time.monotonic()

    with transaction.atomic():
        subforums = _subforums(rng)
        notes = _content_notes()
    _members(plan, rng, writer, anchor, result)
    progress(f"{plan.members:,} members and {len(subforums)} subforums ({time.monotonic() - started:.0f} s)")

    members = result.member_ids
    moderators = result.moderator_ids
    # Some members write far more than others.
    member_weights = list(itertools.accumulate(1.0 / (rank + 5) ** 0.9 for rank in range(len(members))))
    weight_top = member_weights[-1]

    def pick_member() -> int:
        return members[bisect.bisect_left(member_weights, rng.random() * weight_top)]

    thread_count = plan.threads
    total_posts = max(plan.posts, thread_count)
    kinds = []
    for _ in range(thread_count):
        roll = rng.random()
        if roll < PENDING_THREAD_SHARE:
            kinds.append("pending")
        elif roll < PENDING_THREAD_SHARE + UNANSWERED_SHARE:
            kinds.append("unanswered")
        else:
            kinds.append("open")
    replies_per_thread = _reply_counts(rng, kinds, total_posts - thread_count)
    if plan.big_thread_replies:
        kinds.append("big")
        replies_per_thread.append(plan.big_thread_replies)
    total = len(kinds)
    total_posts = sum(replies_per_thread) + total

    text = TextPool(rng)
    hiding_notes = [n.pk for n in notes if n.default_display == NoteDisplay.HIDE] or [notes[-1].pk]
    note_ids = [n.pk for n in notes]
    leaf_subforums = [s for s in subforums if s.parent_id is not None]
    subforum_weights = list(itertools.accumulate(1.0 / (i + 2) for i in range(len(leaf_subforums))))
    intro = next((s for s in subforums if s.is_introductions), None)

    next_thread = writer.next_id(Thread)
    next_post = writer.next_id(Post)
    next_reaction = writer.next_id(Reaction)
    next_revision = writer.next_id(PostRevision)
    next_notification = writer.next_id(Notification)
    thread_m2m = Thread.notes.through
    post_m2m = Post.notes.through
    next_thread_note = writer.next_id(thread_m2m)
    next_post_note = writer.next_id(post_m2m)

    member_posts: dict[int, int] = {}
    note_sets: dict[tuple[int, str], int] = {}  # (subforum, note_ids) -> published threads
    sub_stats = {s.pk: [0, 0, None] for s in subforums}  # thread_count, post_count, last_activity_at
    max_depth = settings.HEARTH_MAX_REPLY_DEPTH
    t1, t2 = settings.HEARTH_UNANSWERED_T1, settings.HEARTH_UNANSWERED_T2
    span = timedelta(days=730)
    written_posts = 0

    for chunk_start in range(0, total, THREADS_PER_CHUNK):
        thread_rows, post_rows, thread_notes, post_notes = [], [], [], []
        reaction_rows, revision_rows, notification_rows = [], [], []
        for index in range(chunk_start, min(total, chunk_start + THREADS_PER_CHUNK)):
            kind = kinds[index]
            thread_id = next_thread
            next_thread += 1
            if kind == "big":
                created = anchor - timedelta(days=40)
                subforum = leaf_subforums[-1]
                title = BIG_THREAD_TITLE
                result.big_thread_id = thread_id
            else:
                # Threads are written oldest first, so ids follow time as they do in a live forum.
                created = anchor - span * (1 - (index + rng.random()) / thread_count)
                subforum = leaf_subforums[bisect.bisect_left(subforum_weights, rng.random() * subforum_weights[-1])]
                title = _title(rng)
            if intro is not None and kind != "big" and rng.random() < 0.05:
                subforum = intro
            author = pick_member()
            pinned = kind == "open" and rng.random() < 0.0005
            if pinned:
                author = moderators[int(rng.random() * len(moderators))]
            locked = kind == "open" and rng.random() < LOCKED_SHARE
            status = Visibility.PUBLISHED
            if kind == "pending":
                status = Visibility.PENDING
            else:
                roll = rng.random()
                if roll < HIDDEN_THREAD_SHARE:
                    status = Visibility.HIDDEN
                elif roll < HIDDEN_THREAD_SHARE + DELETED_THREAD_SHARE:
                    status = Visibility.DELETED
            note_key = ""
            if rng.random() < NOTED_THREAD_SHARE:
                chosen = {note_ids[int(rng.random() * len(note_ids))]}
                if rng.random() < 0.25:
                    chosen.add(hiding_notes[int(rng.random() * len(hiding_notes))])
                for note_id in sorted(chosen):
                    thread_notes.append((next_thread_note, thread_id, note_id))
                    next_thread_note += 1
                note_key = note_ids_key(chosen)
            replies = replies_per_thread[index]
            # Replies come over hours to weeks, never after "now".
            room = (anchor - created).total_seconds()
            stretch = min(room * 0.95, rng.expovariate(1 / 86_400) * (1 + replies**0.5))
            offsets = sorted(rng.random() * stretch for _ in range(replies))

            posts = []  # (id, author, status, created, depth, path)
            opening_id = next_post
            posts.append(
                SimpleNamespace(pk=opening_id, author=author, status=status, created=created, depth=0, tree_path="")
            )
            next_post += 1
            for position, offset in enumerate(offsets, start=1):
                if position == 1 or rng.random() < 0.5:
                    parent = posts[0]
                else:
                    parent = posts[max(1, position - 1 - int(rng.expovariate(0.4)))]
                depth, path = services._tree_place(parent=parent, position=position)
                assert depth <= max_depth
                own = kind == "unanswered" or rng.random() < SELF_REPLY_SHARE
                reply_author = author if own else pick_member()
                roll = rng.random()
                reply_status = Visibility.PUBLISHED
                if roll < PENDING_REPLY_SHARE:
                    reply_status = Visibility.PENDING
                elif roll < PENDING_REPLY_SHARE + HIDDEN_REPLY_SHARE:
                    reply_status = Visibility.HIDDEN
                elif roll < PENDING_REPLY_SHARE + HIDDEN_REPLY_SHARE + DELETED_REPLY_SHARE:
                    reply_status = Visibility.DELETED
                posts.append(
                    SimpleNamespace(
                        pk=next_post,
                        author=reply_author,
                        status=reply_status,
                        created=created + timedelta(seconds=offset, milliseconds=position),
                        depth=depth,
                        tree_path=path,
                        parent_id=parent.pk,
                    )
                )
                next_post += 1
            posts[0].parent_id = None

            # The counters thread_recount would compute.
            published = [p for p in posts if p.status == Visibility.PUBLISHED]
            last = published[-1] if published else None
            first_reply = next((p for p in published if p is not posts[0] and p.author != author), None)
            reply_count = sum(1 for p in published if p is not posts[0])
            last_activity = last.created if last else created
            if status == Visibility.PENDING:  # held at creation: never counted
                last = None
                last_activity = created
            rescue_stage = 0
            if status == Visibility.PUBLISHED and first_reply is None and not locked and not pinned:
                age = anchor - created
                rescue_stage = 2 if age >= t2 else 1 if age >= t1 else 0
                if rescue_stage == 2:
                    result.escalated_threads.append((thread_id, author, subforum.pk, created + t2, title))
            thread_rows.append(
                (
                    thread_id,
                    subforum.pk,
                    author,
                    title,
                    _slug(title),
                    status,
                    locked,
                    pinned,
                    created,
                    last_activity,
                    last.pk if last else None,
                    last.author if last else None,
                    note_key,
                    reply_count,
                    replies,
                    first_reply.created if first_reply else None,
                    rescue_stage,
                )
            )
            if status == Visibility.PUBLISHED:
                stats = sub_stats[subforum.pk]
                stats[0] += 1
                stats[1] += len(published)
                if stats[2] is None or last_activity > stats[2]:
                    stats[2] = last_activity
                if note_key:
                    note_sets[(subforum.pk, note_key)] = note_sets.get((subforum.pk, note_key), 0) + 1

            for position, post in enumerate(posts):
                source, html = text.body(rng)
                edited_at, edit_count = None, 0
                if rng.random() < EDITED_SHARE:
                    edited_at, edit_count = post.created + timedelta(minutes=5 + int(rng.random() * 600)), 1
                    revision_rows.append((next_revision, post.pk, post.author, text.body(rng)[0], "", edited_at))
                    next_revision += 1
                    if edited_at > anchor:
                        edited_at = anchor
                reason = ""
                if post.status == Visibility.PENDING:
                    reason = services.HELD_FOR_REVIEW
                    result.pending_posts.append((post.pk, thread_id, post.author, subforum.pk, post.created, position))
                elif post.status == Visibility.HIDDEN:
                    reason = "A moderator hid this post because it did not follow the guidelines."
                post_rows.append(
                    (
                        post.pk,
                        thread_id,
                        post.author,
                        post.parent_id,
                        position,
                        post.tree_path,
                        post.depth,
                        source,
                        html,
                        post.status,
                        post.created,
                        edited_at,
                        edit_count,
                        reason,
                    )
                )
                if post.status == Visibility.PUBLISHED:
                    member_posts[post.author] = member_posts.get(post.author, 0) + 1
                    if rng.random() < REPORTED_SHARE:
                        result.reported_posts.append(
                            (post.pk, thread_id, post.author, subforum.pk, post.created, position)
                        )
                    elif rng.random() < SCREENED_SHARE:
                        result.screened_posts.append(
                            (post.pk, thread_id, post.author, subforum.pk, post.created, position)
                        )
                    n_reactions = int(rng.expovariate(1 / REACTION_MEAN)) if status == Visibility.PUBLISHED else 0
                    seen = set()
                    for _ in range(n_reactions):
                        member = pick_member()
                        reaction_kind = "thanks" if rng.random() < 0.7 else "me_too"
                        if member == post.author or (member, reaction_kind) in seen:
                            continue
                        seen.add((member, reaction_kind))
                        reaction_rows.append(
                            (next_reaction, post.pk, member, reaction_kind, post.created + timedelta(minutes=30))
                        )
                        next_reaction += 1
                    if position and post.author != author and rng.random() < NOTIFIED_SHARE:
                        notification_rows.append(
                            (
                                next_notification,
                                author,
                                "reply",
                                f"{result.pseudonyms[post.author]} replied to your thread “{title}”",
                                f"/p/{post.pk}/",
                                post.created,
                                post.created + timedelta(hours=3)
                                if anchor - post.created > timedelta(days=2)
                                else None,
                                f"post:{post.pk}",
                            )
                        )
                        next_notification += 1
                if position and rng.random() < NOTED_REPLY_SHARE:
                    post_notes.append((next_post_note, post.pk, note_ids[int(rng.random() * len(note_ids))]))
                    next_post_note += 1

        with transaction.atomic():
            writer.insert(
                Thread,
                [
                    "id",
                    "subforum_id",
                    "author_id",
                    "title",
                    "slug",
                    "status",
                    "is_locked",
                    "is_pinned",
                    "created_at",
                    "last_activity_at",
                    "last_post_id",
                    "last_poster_id",
                    "note_ids",
                    "reply_count",
                    "post_sequence",
                    "first_reply_at",
                    "rescue_stage",
                ],
                thread_rows,
            )
            writer.insert(
                Post,
                [
                    "id",
                    "thread_id",
                    "author_id",
                    "parent_id",
                    "position",
                    "tree_path",
                    "depth",
                    "source",
                    "html",
                    "status",
                    "created_at",
                    "edited_at",
                    "edit_count",
                    "status_reason",
                ],
                post_rows,
            )
            writer.insert(thread_m2m, ["id", "thread_id", "contentnote_id"], thread_notes)
            writer.insert(post_m2m, ["id", "post_id", "contentnote_id"], post_notes)
            writer.insert(Reaction, ["id", "post_id", "member_id", "kind", "created_at"], reaction_rows)
            writer.insert(PostRevision, ["id", "post_id", "editor_id", "source", "title", "created_at"], revision_rows)
            writer.insert(
                Notification,
                ["id", "recipient_id", "kind", "title", "url", "created_at", "read_at", "subject"],
                notification_rows,
            )
        written_posts += len(post_rows)
        result.reactions += len(reaction_rows)
        done = min(total, chunk_start + THREADS_PER_CHUNK)
        progress(
            f"threads {done:,}/{total:,}, posts {written_posts:,}/{total_posts:,} ({time.monotonic() - started:.0f} s)"
        )

    result.threads, result.posts = total, written_posts
    User = get_user_model()
    with transaction.atomic():
        _set_member_post_counts(writer, member_posts)
        SubforumNoteCount.objects.bulk_create(
            SubforumNoteCount(subforum_id=sub, note_ids=key, thread_count=n)
            for (sub, key), n in sorted(note_sets.items())
        )
        for pk, (threads_n, posts_n, last_at) in sub_stats.items():
            Subforum.objects.filter(pk=pk).update(thread_count=threads_n, post_count=posts_n, last_activity_at=last_at)
    writer.finish([User, EmailAddress, Thread, Post, thread_m2m, post_m2m, Reaction, PostRevision, Notification])
    progress(f"counters and statistics ({time.monotonic() - started:.0f} s)")
    return result


def _set_member_post_counts(writer: BulkWriter, counts: dict[int, int]) -> None:
    """One UPDATE from a VALUES list (PostgreSQL) rather than ten thousand."""
    User = get_user_model()
    table = connection.ops.quote_name(User._meta.db_table)
    items = sorted(counts.items())
    with connection.cursor() as cursor:
        for start in range(0, len(items), 5_000):
            batch = items[start : start + 5_000]
            if writer.postgres:
                values = ", ".join(["(%s, %s)"] * len(batch))
                cursor.execute(
                    f"UPDATE {table} AS u SET post_count = v.n FROM (VALUES {values}) AS v(id, n) WHERE u.id = v.id",  # noqa: S608
                    [x for pair in batch for x in pair],
                )
            else:
                cursor.executemany(f"UPDATE {table} SET post_count = %s WHERE id = %s", [(n, pk) for pk, n in batch])  # noqa: S608
