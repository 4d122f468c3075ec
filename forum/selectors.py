"""Read-side queries for forum pages. Each page's query count stays constant as data grows:
related rows are joined or prefetched here, never fetched from templates.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet

from accounts.roles import is_forum_staff
from forum.models import (
    ContentNote,
    ContentNotePreference,
    HelpResource,
    NoteDisplay,
    Post,
    Rule,
    SiteSettings,
    Subforum,
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


def _listing_queryset() -> QuerySet[Thread]:
    # Published threads only: this matches the listing index exactly, so a deep page is an
    # index range, not a scan and sort. A member's own threads waiting for review are listed
    # separately (own_pending_threads); moderators find pending threads in the queue.
    return (
        Thread.objects.filter(status=Visibility.PUBLISHED)
        .select_related("author", "last_post__author", "subforum")
        .prefetch_related(Prefetch("notes", queryset=ContentNote.objects.only("id", "name", "slug")))
    )


@dataclass
class ThreadListing:
    page: Page
    hidden_count: int


def subforum_threads(
    *, subforum: Subforum, user, page_number: int | str | None, displays: dict[int, str]
) -> ThreadListing:
    """One page of a subforum's threads, pinned first then by last activity.

    Threads carrying a note the viewer hides are left out; ``hidden_count`` says how many.
    """
    threads = _listing_queryset().filter(subforum=subforum)
    hidden = hidden_note_ids(displays)
    hidden_count = 0
    if hidden:
        hidden_count = threads.filter(notes__in=hidden).values("pk").distinct().count()
        threads = threads.exclude(notes__in=hidden)
    threads = threads.order_by("-is_pinned", "-last_activity_at", "-id")
    paginator = Paginator(threads, settings.HEARTH_THREADS_PER_PAGE)
    return ThreadListing(page=paginator.get_page(page_number), hidden_count=hidden_count)


def waiting_threads(*, page_number: int | str | None, displays: dict[int, str]) -> ThreadListing:
    """One page of "Waiting for a reply": threads past the rescue's first threshold with no
    reply from anyone but their author, newest need first.

    Read from the forum_thread_unanswered partial index (newest first), so the page costs the
    same however large the forum. Threads carrying a note the viewer hides are left out, as in
    subforum listings; ``hidden_count`` says how many.
    """
    threads = _listing_queryset().filter(
        first_reply_at__isnull=True, rescue_stage__gte=1, is_locked=False, is_pinned=False
    )
    hidden = hidden_note_ids(displays)
    hidden_count = 0
    if hidden:
        hidden_count = threads.filter(notes__in=hidden).values("pk").distinct().count()
        threads = threads.exclude(notes__in=hidden)
    paginator = Paginator(threads.order_by("-created_at", "-id"), settings.HEARTH_THREADS_PER_PAGE)
    return ThreadListing(page=paginator.get_page(page_number), hidden_count=hidden_count)


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


def help_resource_names() -> list[str]:
    """Every crisis service and help line the help page has listed (inactive ones too: a name
    taken while a line is paused would pass for it when it returns)."""
    return list(HelpResource.objects.values_list("name", flat=True))


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
