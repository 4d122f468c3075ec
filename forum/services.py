"""Every write to the forum goes through a function here (style habit 2).

Each function validates, writes in one transaction together with the counters it affects, and
queues side effects only after the transaction commits: live updates, and risk screening.
Creating a thread or reply, or editing a post (title or body), queues the Celery task
``moderation.screening.tasks.screen_post(post_id, revision)`` with ``transaction.on_commit``,
where ``revision`` is the post's ``edit_count``. If the broker cannot take it, the post is
published all the same and the screening sweeper (a beat job, every minute) queues it later.
The task may hold the post (``post_hold_for_screening``) or add suggested content notes
(``screening_notes_add``); see docs/screening.md.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone

from accounts.services import member_post_count_add, member_post_count_set
from forum import notices, permissions, realtime
from forum.models import (
    ContentNote,
    ContentNotePreference,
    Post,
    PostingPolicy,
    PostRevision,
    Subforum,
    SubforumNoteCount,
    Thread,
    Visibility,
    Volunteer,
    note_ids_key,
)
from forum.validation import clean_and_render_body, clean_title
from moderation import intake
from notifications.services import notifications_withdraw

logger = logging.getLogger(__name__)

HELD_FOR_REVIEW = (
    "Thanks for posting. A moderator will read it soon and then it will appear for everyone. You can still see it here."
)

EDITED_FOR_REVIEW = (
    "Thanks for editing. A moderator will read it again soon; only you and the moderators see it for now."
)


HELD_BY_SCREENING = (
    "Thank you for sharing this. A moderator will read your post soon, and it will appear for everyone "
    "after that. Until then only you and the moderators can see it. If you need someone now, the "
    "support services below are there for you."
)


def _screen_after_commit(*, post_id: int, revision: int) -> None:
    """Queue the risk screening of one revision of a post once the transaction commits."""
    intake.screening_requested(post_id=post_id, revision=revision)


def _needs_review(*, author, subforum: Subforum) -> bool:
    """Pre-moderation: every post, or a new member's first few, per the subforum's policy."""
    if permissions.is_forum_staff(author):
        return False
    if subforum.posting_policy == PostingPolicy.PREMODERATE_ALL:
        return True
    if subforum.posting_policy == PostingPolicy.PREMODERATE_NEW:
        return author.post_count < settings.HEARTH_PREMODERATE_FIRST_POSTS
    return False


def _tree_place(*, parent: Post | None, position: int) -> tuple[int, str]:
    """Depth and tree path for a post at ``position`` answering ``parent``.

    Beyond HEARTH_MAX_REPLY_DEPTH a reply becomes its parent's sibling (it continues flat),
    which keeps paths short and the page readable on a phone.
    """
    segment = str(position).zfill(Post.PATH_SEGMENT)
    if parent is None:
        return 0, ""
    if parent.depth < settings.HEARTH_MAX_REPLY_DEPTH:
        return parent.depth + 1, parent.tree_path + segment
    return parent.depth, parent.tree_path[: -Post.PATH_SEGMENT] + segment


def _count_published(*, thread: Thread, subforum: Subforum, post: Post) -> None:
    """Add a newly visible post to the thread's, subforum's and author's counters."""
    now = post.created_at
    if not post.is_opening:
        thread.reply_count = F("reply_count") + 1
        if thread.first_reply_at is None and post.author_id != thread.author_id:
            thread.first_reply_at = now
            # Answered: off "Waiting for a reply" (it filters on first_reply_at) and out of the queue now.
            intake.thread_answered(thread=thread)
    thread.last_activity_at = now
    thread.last_post = post
    thread.last_poster_id = post.author_id
    # This UPDATE locks the subforum row until the transaction ends, so the note-set count
    # below is never raced by another new thread in the same subforum.
    Subforum.objects.filter(pk=subforum.pk).update(
        post_count=F("post_count") + 1,
        last_activity_at=now,
        **({"thread_count": F("thread_count") + 1} if post.is_opening else {}),
    )
    if post.is_opening and thread.note_ids:
        counted = SubforumNoteCount.objects.filter(subforum=subforum, note_ids=thread.note_ids).update(
            thread_count=F("thread_count") + 1
        )
        if not counted:
            SubforumNoteCount.objects.create(subforum=subforum, note_ids=thread.note_ids, thread_count=1)
    member_post_count_add(member_id=post.author_id)


def _already_submitted(*, author, submission_token: uuid.UUID | None, body: str) -> Post | None:
    """The post this exact submission already made, if any (see ``Post.submission_token``).

    The same token with different words is not a repeat (a member who went back and changed
    their text): that is stored as a new post, without the token.
    """
    if submission_token is None:
        return None
    earlier = Post.objects.filter(author=author, submission_token=submission_token).select_related("thread").first()
    if earlier is not None and earlier.source != body:
        return None
    return earlier


def _token_taken(*, author, submission_token: uuid.UUID | None) -> bool:
    return (
        submission_token is not None and Post.objects.filter(author=author, submission_token=submission_token).exists()
    )


@transaction.atomic
def thread_create(
    *,
    author,
    subforum: Subforum,
    title: str,
    body: str,
    notes: Iterable[ContentNote] = (),
    submission_token: uuid.UUID | None = None,
) -> Thread:
    """Start a thread with its opening post. Held for review where the subforum asks.

    Exactly once per ``submission_token``: a repeat returns the thread the first one started.
    """
    permissions.check_can_start_thread(author, subforum)
    errors = {}
    try:
        title = clean_title(title)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        body, html = clean_and_render_body(body)
    except ValidationError as error:
        errors.update(error.message_dict)
    notes = list(notes)
    if subforum.requires_content_note and not notes and not subforum.default_notes.exists():
        errors["notes"] = [
            "This space asks for at least one content note on new threads, so others can choose what to read."
        ]
    if errors:
        raise ValidationError(errors)
    earlier = _already_submitted(author=author, submission_token=submission_token, body=body)
    if earlier is not None:
        return earlier.thread
    fields = dict(author=author, subforum=subforum, title=title, body=body, html=html, notes=notes)
    try:
        # A savepoint: when a simultaneous twin of this submission commits first, the unique
        # token refuses this copy, and the thread the twin started is returned instead.
        with transaction.atomic():
            return _thread_create(**fields, submission_token=submission_token)
    except IntegrityError:
        if not _token_taken(author=author, submission_token=submission_token):
            raise  # some other constraint
        earlier = _already_submitted(author=author, submission_token=submission_token, body=body)
        if earlier is not None:
            return earlier.thread
    # The token was used for other words (the member went back and changed them): a new thread.
    return _thread_create(**fields, submission_token=None)


def _thread_create(*, author, subforum, title, body, html, notes, submission_token) -> Thread:
    held = _needs_review(author=author, subforum=subforum)
    status = Visibility.PENDING if held else Visibility.PUBLISHED
    now = timezone.now()
    thread = Thread.objects.create(
        subforum=subforum,
        author=author,
        title=title,
        status=status,
        created_at=now,
        last_activity_at=now,
    )
    post = Post.objects.create(
        thread=thread,
        author=author,
        position=0,
        tree_path="",
        depth=0,
        source=body,
        html=html,
        status=status,
        created_at=now,
        status_reason=HELD_FOR_REVIEW if held else "",
        submission_token=submission_token,
    )
    all_notes = {*notes, *subforum.default_notes.all()}
    thread.notes.set(all_notes)
    thread.note_ids = note_ids_key(note.pk for note in all_notes)
    if held:
        _hand_to_review(post=post, subforum=subforum)
    else:
        _count_published(thread=thread, subforum=subforum, post=post)
    thread.save()
    if not held:
        notices.post_published(post=post)
    if subforum.is_introductions and getattr(author, "is_new_member", False):
        intake.new_member_to_welcome(member=author, thread=thread)
    _screen_after_commit(post_id=post.pk, revision=0)
    thread.refresh_from_db()
    return thread


@transaction.atomic
def post_reply(
    *,
    author,
    thread: Thread,
    body: str,
    parent: Post | None = None,
    notes: Iterable[ContentNote] = (),
    submission_token: uuid.UUID | None = None,
) -> Post:
    """Add a reply to ``thread``, answering ``parent`` (the opening post when None).

    Exactly once per ``submission_token``: a repeat returns the reply the first one stored.
    """
    permissions.check_can_reply(author, thread)
    body, html = clean_and_render_body(body)
    # Lock the thread row: positions are handed out one at a time, and counters stay exact.
    # A simultaneous twin of this submission waits here, then finds the reply the first stored.
    thread = Thread.objects.select_for_update().select_related("subforum").get(pk=thread.pk)
    earlier = _already_submitted(author=author, submission_token=submission_token, body=body)
    if earlier is not None:
        return earlier
    if _token_taken(author=author, submission_token=submission_token):
        submission_token = None
    if parent is None:
        parent = Post.objects.get(thread=thread, position=0)
    elif parent.thread_id != thread.pk:
        raise ValidationError({"parent": "That post is in another thread."})
    position = thread.post_sequence + 1
    depth, tree_path = _tree_place(parent=parent, position=position)
    held = _needs_review(author=author, subforum=thread.subforum)
    post = Post.objects.create(
        thread=thread,
        author=author,
        parent=parent,
        position=position,
        tree_path=tree_path,
        depth=depth,
        source=body,
        html=html,
        status=Visibility.PENDING if held else Visibility.PUBLISHED,
        status_reason=HELD_FOR_REVIEW if held else "",
        submission_token=submission_token,
    )
    notes = list(notes)
    if notes:
        post.notes.set(notes)
    thread.post_sequence = position
    if held:
        _hand_to_review(post=post, subforum=thread.subforum)
    else:
        _count_published(thread=thread, subforum=thread.subforum, post=post)
        transaction.on_commit(lambda: realtime.post_published(post_id=post.pk, thread_id=thread.pk))
    thread.save()
    _screen_after_commit(post_id=post.pk, revision=0)
    if not held:
        notices.post_published(post=post)
    return post


def _hand_to_review(*, post: Post, subforum: Subforum, summary: str = "") -> None:
    intake.review_item_open(
        kind="premoderation",
        target_key=f"post:{post.pk}",
        summary=summary or f"New post by {post.author.pseudonym} waiting for approval",
        post=post,
        thread=post.thread,
        member=post.author,
        subforum=subforum,
    )


@transaction.atomic
def post_edit(
    *, post: Post, editor, body: str, title: str | None = None, notes: Iterable[ContentNote] | None = None
) -> Post:
    """Change a post's text, keeping the previous text (and title) as a revision, and, when
    ``notes`` is given, its content notes (an opening post's are its thread's): the author can
    change the notes screening added."""
    permissions.check_can_edit_post(editor, post)
    post = post_revise(post=post, editor=editor, body=body, title=title, notes=notes)
    thread = post.thread
    # Where posts are reviewed before they appear, an edit is reviewed too: otherwise a member
    # could post something harmless, wait for approval, then edit it into something else.
    if post.status == Visibility.PUBLISHED and _needs_review(author=editor, subforum=thread.subforum):
        post_set_visibility(post=post, status=Visibility.PENDING, reason=HELD_FOR_REVIEW)
        _hand_to_review(post=post, subforum=thread.subforum)
    # A moderator asked for an edit: the post stays hidden until its author edits, then is re-read.
    elif post.status == Visibility.HIDDEN and intake.edit_was_requested(post_id=post.pk):
        post_set_visibility(post=post, status=Visibility.PENDING, reason=EDITED_FOR_REVIEW)
        _hand_to_review(post=post, subforum=thread.subforum, summary=f"{editor.pseudonym} edited a post as asked")
    post.refresh_from_db()
    return post


@transaction.atomic
def post_revise(
    *, post: Post, editor, body: str, title: str | None = None, notes: Iterable[ContentNote] | None = None
) -> Post:
    """Store new text for a post, keeping the old as a revision: a primitive for the author's edit
    and for moderation's "edit as moderator" (which checks permission and logs). ``notes``, when
    given, replace its content notes (an opening post's are its thread's)."""
    errors = {}
    html = ""
    try:
        body, html = clean_and_render_body(body)
    except ValidationError as error:
        errors.update(error.message_dict)
    thread = post.thread
    if title is not None and post.is_opening:
        try:
            title = clean_title(title)
        except ValidationError as error:
            errors.update(error.message_dict)
    if notes is not None:
        notes = list(notes)
        if post.is_opening and thread.subforum.requires_content_note and not notes:
            errors["notes"] = [
                "This space asks for at least one content note on threads, so others can choose what to read."
            ]
    if errors:
        raise ValidationError(errors)
    if notes is not None:
        target = thread if post.is_opening else post
        if set(notes) != set(target.notes.all()):
            _notes_replace(target, notes)
    changed_title = title is not None and post.is_opening and title != thread.title
    if body == post.source and not changed_title:
        return post
    PostRevision.objects.create(
        post=post, editor=editor, source=post.source, title=thread.title if post.is_opening else ""
    )
    post.source = body
    post.html = html
    post.edited_at = timezone.now()
    post.edit_count = F("edit_count") + 1
    post.save(update_fields=["source", "html", "edited_at", "edit_count"])
    if changed_title:
        thread.title = title
        thread.save(update_fields=["title"])
    post.refresh_from_db()
    _screen_after_commit(post_id=post.pk, revision=post.edit_count)
    return post


@transaction.atomic
def post_delete_by_author(*, post: Post, actor) -> Post:
    """The author removes their post: a soft removal that keeps the text for them and moderators."""
    permissions.check_can_delete_post(actor, post)
    was_published = post.status == Visibility.PUBLISHED
    post.status = Visibility.DELETED
    post.save(update_fields=["status"])
    notifications_withdraw(subjects=notices.post_withdrawn_subjects(post=post))
    if post.is_opening:
        Thread.objects.filter(pk=post.thread_id).update(status=Visibility.DELETED)
    if was_published:
        thread_recount(thread_id=post.thread_id)
        author_recount(author_id=post.author_id)
    return post


@transaction.atomic
def post_set_visibility(*, post: Post, status: str, reason: str = "") -> Post:
    """Move a post between states: a primitive for moderation's services (approve, hold, hide,
    restore), which check permission and log; no forum view calls it.

    The opening post carries its thread with it. Counters are recomputed from the posts.
    """
    was = post.status
    post.status = status
    post.status_reason = reason
    post.save(update_fields=["status", "status_reason"])
    if post.is_opening:
        Thread.objects.filter(pk=post.thread_id).update(status=status)
    thread_recount(thread_id=post.thread_id)
    author_recount(author_id=post.author_id)
    if status in (Visibility.HIDDEN, Visibility.DELETED):
        notifications_withdraw(subjects=notices.post_withdrawn_subjects(post=post))
    elif was == Visibility.PENDING and status == Visibility.PUBLISHED:
        notices.post_published(post=Post.objects.select_related("thread", "author", "parent").get(pk=post.pk))
    return post


def thread_set_locked(*, thread: Thread, locked: bool) -> tuple[bool, bool]:
    """Lock or unlock a thread (a primitive for moderation); returns (before, after)."""
    before = Thread.objects.filter(pk=thread.pk).values_list("is_locked", flat=True).get()
    Thread.objects.filter(pk=thread.pk).update(is_locked=locked)
    thread.is_locked = locked
    return before, locked


def thread_set_pinned(*, thread: Thread, pinned: bool) -> tuple[bool, bool]:
    """Pin or unpin a thread at the top of its subforum (a primitive for moderation); (before, after)."""
    before = Thread.objects.filter(pk=thread.pk).values_list("is_pinned", flat=True).get()
    Thread.objects.filter(pk=thread.pk).update(is_pinned=pinned)
    thread.is_pinned = pinned
    return before, pinned


@transaction.atomic
def thread_move(*, thread: Thread, subforum: Subforum) -> tuple[int, int]:
    """Move a thread to another subforum and recount both (a primitive for moderation); (before, after) ids."""
    before = thread.subforum_id
    Thread.objects.filter(pk=thread.pk).update(subforum=subforum)
    thread.subforum = subforum
    subforum_recount(subforum_id=before)
    subforum_recount(subforum_id=subforum.pk)
    return before, subforum.pk


def post_hold_for_screening(*, post: Post) -> Post:
    """Hold a published post that risk screening is confident is high: only its author and
    moderators see it until a moderator has read it. The author is told calmly, never refused."""
    if post.status != Visibility.PUBLISHED:
        return post
    return post_set_visibility(post=post, status=Visibility.PENDING, reason=HELD_BY_SCREENING)


@transaction.atomic
def screening_notes_add(*, post: Post, notes: Iterable[ContentNote]) -> list[ContentNote]:
    """Add the content notes screening suggests where the author chose none (an opening post's
    go on its thread). Returns the notes added: none when the author chose any."""
    notes = list(notes)
    target = post.thread if post.is_opening else post
    if not notes or target.notes.exists() or (not post.is_opening and post.thread.notes.exists()):
        return []
    target.notes.add(*notes)
    if post.is_opening:
        _thread_notes_changed(target)
    return notes


def thread_recount(*, thread_id: int) -> Thread:
    """Recompute a thread's denormalised counters from its published posts, and its subforum's.

    Used after rare changes (hide, restore, removal); new replies update counters incrementally.
    """
    thread = Thread.objects.select_for_update().select_related("subforum").get(pk=thread_id)
    published = Post.objects.filter(thread=thread, status=Visibility.PUBLISHED)
    replies = published.exclude(position=0)
    thread.reply_count = replies.count()
    thread.last_post = published.order_by("-created_at", "-id").first()
    thread.last_poster_id = thread.last_post.author_id if thread.last_post else None
    thread.last_activity_at = thread.last_post.created_at if thread.last_post else thread.created_at
    first_reply = replies.exclude(author_id=thread.author_id).order_by("created_at").first()
    was_answered = thread.first_reply_at is not None
    thread.first_reply_at = first_reply.created_at if first_reply else None
    _rescue_follow(thread=thread, was_answered=was_answered)
    thread.save(
        update_fields=[
            "reply_count",
            "last_post",
            "last_poster",
            "last_activity_at",
            "first_reply_at",
            "rescue_stage",
        ]
    )
    subforum_recount(subforum_id=thread.subforum_id)
    return thread


def _rescue_follow(*, thread: Thread, was_answered: bool) -> None:
    """Keep the unanswered-thread rescue right when a recount changes whether a thread is answered.

    Its only reply hidden or removed: unanswered again, so the rescue starts over with it (past
    the thresholds already, it is listed and escalated at the next run). A reply restored: answered.
    The thread itself hidden or removed: it leaves the rescue and its item closes.
    """
    if thread.status != Visibility.PUBLISHED:
        intake.thread_unanswered_withdraw(thread=thread, resolution=f"thread {thread.status}")
    elif thread.first_reply_at is None and was_answered:
        thread.rescue_stage = 0
    elif thread.first_reply_at is not None and not was_answered:
        intake.thread_answered(thread=thread)


def author_recount(*, author_id: int) -> None:
    """Recompute a member's count of published posts (shown on their profile)."""
    count = Post.objects.filter(author_id=author_id, status=Visibility.PUBLISHED).count()
    member_post_count_set(member_id=author_id, count=count)


def subforum_recount(*, subforum_id: int) -> None:
    published_threads = Thread.objects.filter(subforum_id=subforum_id, status=Visibility.PUBLISHED)
    last = published_threads.order_by("-last_activity_at").values_list("last_activity_at", flat=True).first()
    Subforum.objects.filter(pk=subforum_id).update(
        thread_count=published_threads.count(),
        post_count=Post.objects.filter(
            thread__subforum_id=subforum_id, thread__status=Visibility.PUBLISHED, status=Visibility.PUBLISHED
        ).count(),
        last_activity_at=last,
    )
    subforum_note_counts_recount(subforum_id=subforum_id)


def subforum_note_counts_recount(*, subforum_id: int) -> None:
    """Recompute how many published threads carry each set of notes in a subforum (rare changes:
    visibility, moves, notes changed); a new thread adds itself in _count_published."""
    wanted = {
        row["note_ids"]: row["n"]
        for row in Thread.objects.filter(subforum_id=subforum_id, status=Visibility.PUBLISHED)
        .exclude(note_ids="")
        .values("note_ids")
        .annotate(n=Count("id"))
    }
    SubforumNoteCount.objects.filter(subforum_id=subforum_id).exclude(note_ids__in=list(wanted)).delete()
    have = dict(SubforumNoteCount.objects.filter(subforum_id=subforum_id).values_list("note_ids", "thread_count"))
    for key, count in wanted.items():
        if key not in have:
            SubforumNoteCount.objects.create(subforum_id=subforum_id, note_ids=key, thread_count=count)
        elif have[key] != count:
            SubforumNoteCount.objects.filter(subforum_id=subforum_id, note_ids=key).update(thread_count=count)


def _thread_notes_changed(thread: Thread) -> None:
    """Store a thread's note ids beside it, and recount its subforum's note sets."""
    key = note_ids_key(thread.notes.values_list("pk", flat=True))
    Thread.objects.filter(pk=thread.pk).update(note_ids=key)
    thread.note_ids = key
    subforum_note_counts_recount(subforum_id=thread.subforum_id)


def note_preferences_set(*, member, displays: dict[int, str]) -> None:
    """Store a member's show / collapse / hide choice for each content note id given."""
    valid = {note.pk for note in ContentNote.objects.filter(pk__in=displays.keys())}
    with transaction.atomic():
        for note_id, display in displays.items():
            if note_id not in valid or display not in {"show", "collapse", "hide"}:
                continue
            ContentNotePreference.objects.update_or_create(
                member=member, note_id=note_id, defaults={"display": display}
            )


def thread_notes_set(*, thread: Thread, notes: Iterable[ContentNote]) -> tuple[list[str], list[str]]:
    """Replace a thread's content notes; returns (before, after) as note names for the log."""
    return _notes_replace(thread, notes)


def post_notes_set(*, post: Post, notes: Iterable[ContentNote]) -> tuple[list[str], list[str]]:
    """Replace a post's own content notes; returns (before, after) as note names for the log."""
    return _notes_replace(post, notes)


@transaction.atomic
def _notes_replace(target: Thread | Post, notes: Iterable[ContentNote]) -> tuple[list[str], list[str]]:
    before = sorted(target.notes.values_list("name", flat=True))
    target.notes.set(list(notes))
    if isinstance(target, Thread):
        _thread_notes_changed(target)
    return before, sorted(target.notes.values_list("name", flat=True))


def posts_rerender(*, post_model=Post, batch_size: int = 500) -> tuple[int, int]:
    """Render every stored post's source again and store the HTML where it changed.

    For a renderer upgrade (a data migration passes its historical model). Returns (seen,
    changed). Rows are read in primary-key batches, so memory stays flat on a large forum.
    """
    from forum.rendering import render_post

    seen = changed = 0
    last_pk = 0
    while True:
        batch = list(post_model.objects.filter(pk__gt=last_pk).order_by("pk").only("pk", "source", "html")[:batch_size])
        if not batch:
            return seen, changed
        stale = []
        for post in batch:
            html = render_post(post.source)
            if html != post.html:
                post.html = html
                stale.append(post)
        post_model.objects.bulk_update(stale, ["html"])
        seen += len(batch)
        changed += len(stale)
        last_pk = batch[-1].pk


@transaction.atomic
def volunteering_set(*, member, helper_subforum_ids: Iterable[int], welcomer: bool) -> None:
    """Store where ``member`` offers to help: helper in these subforums, and welcomer or not.

    Introductions are answered by welcomers, so helpers are for the other subforums.
    """
    permissions.check_can_volunteer(member)
    wanted = set(
        Subforum.objects.filter(pk__in=list(helper_subforum_ids), is_introductions=False).values_list("pk", flat=True)
    )
    helping = Volunteer.objects.filter(member=member, role=Volunteer.Role.HELPER)
    helping.exclude(subforum_id__in=wanted).delete()
    have = set(helping.values_list("subforum_id", flat=True))
    Volunteer.objects.bulk_create(
        [Volunteer(member=member, role=Volunteer.Role.HELPER, subforum_id=pk) for pk in sorted(wanted - have)]
    )
    welcoming = Volunteer.objects.filter(member=member, role=Volunteer.Role.WELCOMER)
    if welcomer and not welcoming.exists():
        Volunteer.objects.create(member=member, role=Volunteer.Role.WELCOMER)
    elif not welcomer:
        welcoming.delete()
