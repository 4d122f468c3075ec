"""Turn query results into what a page shows, applying content notes and moderation state.

Pure functions over already-fetched rows: they run no queries, so pages keep constant counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from forum.models import Post, Thread
from forum.permissions import can_delete_post, can_edit_post, can_see_post_text
from forum.selectors import strongest_display


@dataclass
class ThreadRow:
    thread: Thread
    notes: list
    display: str  # show / collapse / hide


@dataclass
class PostView:
    post: Post
    notes: list = field(default_factory=list)
    display: str = "show"
    show_text: bool = True
    can_edit: bool = False
    can_delete: bool = False
    answers_other: bool = False  # a flattened reply: say whom it answers
    reactions: object = None  # forum.reactions.PostReactions, on thread pages
    can_react: bool = False


def decorate_threads(threads, displays: dict[int, str], viewer=None) -> list[ThreadRow]:
    """Each thread with its notes and how the viewer sees it (their own threads always shown)."""
    viewer_id = viewer.pk if viewer is not None and viewer.is_authenticated else None
    rows = []
    for thread in threads:
        notes = list(thread.notes.all())
        display = "show" if thread.author_id == viewer_id else strongest_display([n.pk for n in notes], displays)
        rows.append(ThreadRow(thread=thread, notes=notes, display=display))
    return rows


def decorate_posts(posts, user, displays: dict[int, str], *, with_thread_notes: bool = False) -> list[PostView]:
    """Each post with its effective notes and what the viewer may do with it."""
    views = []
    for post in posts:
        notes = list(post.notes.all())
        # Thread notes apply to every post. On a thread page they are announced once, above all
        # posts; a post shown on its own (a profile) carries them itself.
        if with_thread_notes:
            notes = [*post.thread.notes.all(), *notes]
        combined = {note.pk: note for note in notes}
        # Authors always see their own words: a note they chose is for others.
        own = user.is_authenticated and post.author_id == user.pk
        views.append(
            PostView(
                post=post,
                notes=list(combined.values()),
                display="show" if own else strongest_display(combined.keys(), displays),
                show_text=can_see_post_text(user, post),
                can_edit=can_edit_post(user, post),
                can_delete=can_delete_post(user, post),
                # Deeper than the page nests: the reply sits beside its parent, so name it.
                answers_other=post.parent_id is not None and post.parent.depth >= post.depth,
            )
        )
    return views
