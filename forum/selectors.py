"""Read-side queries for forum pages. Each page's query count stays constant as data grows:
related rows are joined or prefetched here, never fetched from templates.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q, QuerySet

from accounts.roles import is_forum_staff
from config.keyset import KeysetPage, keyset_page
from forum.models import (
    ContentNote,
    ContentNotePreference,
    HelpResource,
    NoteDisplay,
    Post,
    Rule,
    SiteSettings,
    Subforum,
    SubforumNoteCount,
    Thread,
    Visibility,
    Volunteer,
)

SITE_SETTINGS_CACHE_KEY = "forum:site-settings:v1"
NOTES_CACHE_KEY = "forum:content-notes:v1"
_DISPLAY_STRENGTH = {NoteDisplay.SHOW: 0, NoteDisplay.COLLAPSE: 1, NoteDisplay.HIDE: 2}


def site_settings() -> SiteSettings:
    """The one SiteSettings row, cached; created with defaults on first use."""
    cached = cache.get(SITE_SETTINGS_CACHE_KEY)
    if cached is None:
        cached, _ = SiteSettings.objects.get_or_create(pk=1)
        cache.set(SITE_SETTINGS_CACHE_KEY, cached, 300)
    return cached


def guidelines_version() -> int:
    return site_settings().guidelines_version


def active_content_notes() -> list[ContentNote]:
    """All active content notes, cached (they change rarely; the admin clears the cache)."""
    notes = cache.get(NOTES_CACHE_KEY)
    if notes is None:
        notes = list(ContentNote.objects.filter(is_active=True))
        cache.set(NOTES_CACHE_KEY, notes, 300)
    return notes


def note_displays_for(user) -> dict[int, str]:
    """How ``user`` wants each content note shown: note id -> show / collapse / hide.

    Guests get the site defaults. Moderators always see noted content, collapsed at most,
    because they must be able to review it.
    """
    displays = {note.pk: note.default_display for note in active_content_notes()}
    if user.is_authenticated:
        for note_id, display in ContentNotePreference.objects.filter(member=user).values_list("note_id", "display"):
            if note_id in displays:
                displays[note_id] = display
        if is_forum_staff(user):
            displays = {k: (NoteDisplay.COLLAPSE if v == NoteDisplay.HIDE else v) for k, v in displays.items()}
    return displays


def strongest_display(note_ids, displays: dict[int, str]) -> str:
    """hide beats collapse beats show; unknown (inactive) notes count as show."""
    best = NoteDisplay.SHOW
    for note_id in note_ids:
        display = displays.get(note_id, NoteDisplay.SHOW)
        if _DISPLAY_STRENGTH[display] > _DISPLAY_STRENGTH[best]:
            best = display
    return best


def displays_revealing_hidden(displays: dict[int, str]) -> dict[int, str]:
    """The viewer's choices for one page only, with "hide" softened to "collapse"."""
    return {
        note_id: NoteDisplay.COLLAPSE if display == NoteDisplay.HIDE else display
        for note_id, display in displays.items()
    }


def hidden_note_ids(displays: dict[int, str]) -> list[int]:
    return [note_id for note_id, display in displays.items() if display == NoteDisplay.HIDE]


def subforum_tree() -> list[Subforum]:
    """Every subforum in tree order, with its counters (one query)."""
    return list(Subforum.objects.order_by("tree_id", "lft"))


def subforum_by_slug(*, slug: str) -> Subforum | None:
    return Subforum.objects.filter(slug=slug).first()


#: What a listing row prints, and nothing else: no post text, no model instances.
LISTING_COLUMNS = (
    "id",
    "title",
    "slug",
    "is_pinned",
    "is_locked",
    "status",
    "reply_count",
    "rescue_stage",
    "first_reply_at",
    "last_activity_at",
    "author_id",
    "note_ids",
    "author__pseudonym",
    "last_poster__pseudonym",
)
LISTING_KEYS = ["is_pinned", "last_activity_at", "id"]
WAITING_KEYS = ["created_at", "id"]


@dataclass
class ThreadListing:
    """One page of threads: ``rows`` are dicts of LISTING_COLUMNS, in page order."""

    rows: list[dict]
    page: KeysetPage
    hidden_count: int


def _without_notes(threads: QuerySet[Thread], hidden: list[int]) -> QuerySet[Thread]:
    # note_ids is carried in the listing indexes, so this filter needs no table visit.
    for note_id in hidden:
        threads = threads.exclude(note_ids__contains=f",{note_id},")
    return threads


def _with_notes(threads: QuerySet[Thread], hidden: list[int]) -> QuerySet[Thread]:
    carrying = Q()
    for note_id in hidden:
        carrying |= Q(note_ids__contains=f",{note_id},")
    return threads.filter(carrying)


def listing_rows(ids: list[int], *, with_subforum: bool = False) -> list[dict]:
    """The printed columns of the threads ``ids``, in that order (one query, joins by key only)."""
    if not ids:
        return []
    columns = LISTING_COLUMNS + (("subforum__name", "subforum__slug") if with_subforum else ())
    by_id = {row["id"]: row for row in Thread.objects.filter(pk__in=ids).values(*columns)}
    return [by_id[pk] for pk in ids if pk in by_id]


def subforum_hidden_count(*, subforum: Subforum, hidden: list[int]) -> int:
    """Published threads of ``subforum`` carrying a note in ``hidden``, from the per-note-set
    counters (each thread is in exactly one set, so none is counted twice)."""
    if not hidden:
        return 0
    wanted = set(hidden)
    return sum(row.thread_count for row in SubforumNoteCount.objects.filter(subforum=subforum) if row.ids & wanted)


def subforum_threads(*, subforum: Subforum, user, params, displays: dict[int, str]) -> ThreadListing:
    """One page of a subforum's published threads, pinned first then by last activity.

    Threads carrying a note the viewer hides are left out; ``hidden_count`` says how many. The
    total comes from the subforum's counters, so no page counts threads. A member's own threads
    waiting for review are listed separately (own_pending_threads).
    """
    hidden = hidden_note_ids(displays)
    hidden_count = subforum_hidden_count(subforum=subforum, hidden=hidden)
    threads = _without_notes(Thread.objects.filter(subforum=subforum, status=Visibility.PUBLISHED), hidden)
    extra = {"reveal": params.get("reveal")} if params.get("reveal") == "hidden" else {}
    page = keyset_page(
        threads,
        keys=LISTING_KEYS,
        per_page=settings.HEARTH_THREADS_PER_PAGE,
        params=params,
        total=max(0, subforum.thread_count - hidden_count),
        extra=extra,
    )
    return ThreadListing(rows=listing_rows(page.ids), page=page, hidden_count=hidden_count)


def waiting_threads(*, params, displays: dict[int, str]) -> ThreadListing:
    """One page of "Waiting for a reply": threads past the rescue's first threshold with no
    reply from anyone but their author, newest need first.

    Read from the forum_thread_waiting partial index (newest first, carrying what the filter
    needs), so every page costs the same however large the forum. Threads carrying a note the
    viewer hides are left out, as in subforum listings; ``hidden_count`` says how many.
    """
    threads = Thread.objects.filter(
        status=Visibility.PUBLISHED, first_reply_at__isnull=True, rescue_stage__gte=1, is_locked=False, is_pinned=False
    )
    hidden = hidden_note_ids(displays)
    hidden_count = _with_notes(threads, hidden).count() if hidden else 0
    page = keyset_page(
        _without_notes(threads, hidden), keys=WAITING_KEYS, per_page=settings.HEARTH_THREADS_PER_PAGE, params=params
    )
    return ThreadListing(rows=listing_rows(page.ids, with_subforum=True), page=page, hidden_count=hidden_count)


def own_pending_threads(*, subforum: Subforum, user) -> list[Thread]:
    """The viewer's own threads in ``subforum`` that wait for a moderator (none for guests)."""
    if not user.is_authenticated:
        return []
    return list(
        Thread.objects.filter(subforum=subforum, author=user, status=Visibility.PENDING).order_by("-created_at")[:10]
    )


def thread_for_viewer(*, thread_id: int, user) -> Thread | None:
    """The thread if ``user`` may open it, else None (the view answers 404)."""
    return (
        Thread.objects.visible_to(user)
        .select_related("subforum", "author")
        .prefetch_related("notes")
        .filter(pk=thread_id)
        .first()
    )


def thread_posts(*, thread: Thread, user, page_number: int | str | None) -> Page:
    """One page of a thread's posts in tree order, with authors and the post each answers.

    A deferred join: the page's ids come from the (thread, tree_path) index alone, then only
    those rows are joined and fetched. Joining first made the database join and sort every
    post of a long thread to keep 25 of them.
    """
    ids = Post.objects.in_thread_for(user).filter(thread=thread).order_by("tree_path").values_list("id", flat=True)
    page = Paginator(ids, settings.HEARTH_POSTS_PER_PAGE).get_page(page_number)
    page.object_list = list(
        Post.objects.filter(pk__in=list(page.object_list))
        .select_related("author", "parent__author")
        .defer("source", "parent__source", "parent__html")
        .prefetch_related(Prefetch("notes", queryset=ContentNote.objects.only("id", "name", "slug")))
        .order_by("tree_path")
    )
    return page


def post_for_viewer(*, post_id: int, user) -> Post | None:
    post = Post.objects.in_thread_for(user).select_related("thread", "author").filter(pk=post_id).first()
    if post is None or not Thread.objects.visible_to(user).filter(pk=post.thread_id).exists():
        return None
    return post


def post_page_number(*, post: Post, user) -> int:
    """The page of its thread on which ``post`` appears for ``user``."""
    before = Post.objects.in_thread_for(user).filter(thread_id=post.thread_id, tree_path__lt=post.tree_path).count()
    return before // settings.HEARTH_POSTS_PER_PAGE + 1


def opening_post(*, thread: Thread) -> Post:
    return Post.objects.get(thread=thread, position=0)


def member_recent_posts(*, member, viewer, limit: int = 10) -> list[Post]:
    """A member's latest published posts in published threads (what any viewer may read)."""
    return list(
        Post.objects.public()
        .filter(author=member)
        .select_related("thread__subforum", "parent")
        .prefetch_related("notes", "thread__notes")
        .order_by("-created_at")[:limit]
    )


def active_rules() -> list[Rule]:
    return list(Rule.objects.filter(is_active=True))


def help_resources() -> list[HelpResource]:
    return list(HelpResource.objects.filter(is_active=True))


def introductions_subforum() -> Subforum | None:
    return Subforum.objects.filter(is_introductions=True).first()


def rule_by_code(*, code: str) -> Rule | None:
    return Rule.objects.filter(code=code, is_active=True).first()


def post_revisions(*, post: Post) -> list:
    return list(post.revisions.select_related("editor"))


def volunteering_for(*, member) -> tuple[set[int], bool]:
    """(subforum ids ``member`` helps in, whether they welcome newcomers)."""
    rows = list(Volunteer.objects.filter(member=member).values_list("role", "subforum_id"))
    return {sub for role, sub in rows if role == Volunteer.Role.HELPER}, any(
        role == Volunteer.Role.WELCOMER for role, _ in rows
    )


def helpable_subforums() -> list[Subforum]:
    """Subforums a helper can volunteer for: all but introductions (welcomers greet there)."""
    return [s for s in subforum_tree() if not s.is_introductions]
