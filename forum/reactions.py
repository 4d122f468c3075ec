"""Thanks and "me too": a quiet way to say "this helped" or "I feel the same". No downvotes.

Counts show on the post; who reacted is shown to the post's author only. The author hears of
it calmly (``forum.notices.reaction_added``), without names.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count

from forum import notices, permissions
from forum.models import Post, Reaction, Thread, Visibility

KINDS = tuple(Reaction.Kind.values)


def can_react(user, post: Post, thread: Thread | None = None, *, may_post: bool | None = None) -> bool:
    """Members who may post may thank or say "me too" on published posts that are not their own.

    ``may_post`` is ``permissions.can_post(user)`` when the caller already knows it (a page of
    posts asks once, not once per post: it reads the site settings from the cache)."""
    thread = thread or post.thread
    return bool(
        (permissions.can_post(user) if may_post is None else may_post)
        and post.author_id != user.pk
        and post.status == Visibility.PUBLISHED
        and thread.status == Visibility.PUBLISHED
    )


def check_can_react(user, post: Post) -> None:
    if post.author_id == getattr(user, "pk", None):
        raise PermissionDenied("You can't react to your own post.")
    if not can_react(user, post):
        raise PermissionDenied("You can't react to this post at the moment.")


@transaction.atomic
def reaction_toggle(*, member, post: Post, kind: str) -> bool:
    """Add ``member``'s ``kind`` reaction to ``post``, or take it back. Returns True if it is now on."""
    if kind not in KINDS:
        raise ValueError(f"Unknown reaction {kind!r}")
    check_can_react(member, post)
    deleted, _ = Reaction.objects.filter(post=post, member=member, kind=kind).delete()
    if deleted:
        return False
    try:
        with transaction.atomic():
            Reaction.objects.create(post=post, member=member, kind=kind)
    except IntegrityError:  # a double click: the first one counted
        return True
    notices.reaction_added(post=post, kind=kind)
    return True


@dataclass
class PostReactions:
    counts: dict[str, int] = field(default_factory=dict)
    mine: set[str] = field(default_factory=set)
    # Only for the viewer's own posts: who reacted, by kind.
    by_whom: dict[str, list[str]] = field(default_factory=dict)

    def for_template(self) -> list[dict]:
        """Both kinds, in order, with what a template needs to draw each."""
        return [
            {
                "kind": kind,
                "label": label,
                "count": self.counts.get(kind, 0),
                "on": kind in self.mine,
                "by": self.by_whom.get(kind, []),
            }
            for kind, label in Reaction.Kind.choices
        ]


def reactions_for(*, posts: list[Post], viewer) -> dict[int, PostReactions]:
    """Reaction counts for ``posts``, the viewer's own, and for the viewer's own posts who reacted.

    At most three queries whatever the number of posts or reactions.
    """
    ids = [post.pk for post in posts]
    result: dict[int, PostReactions] = defaultdict(PostReactions)
    if not ids:
        return result
    for row in Reaction.objects.filter(post_id__in=ids).values("post_id", "kind").annotate(n=Count("id")):
        result[row["post_id"]].counts[row["kind"]] = row["n"]
    if viewer.is_authenticated:
        for post_id, kind in Reaction.objects.filter(post_id__in=ids, member=viewer).values_list("post_id", "kind"):
            result[post_id].mine.add(kind)
        # Joined on the author rather than filtered by a list of own posts: the page runs the
        # same queries whether or not it holds any of the viewer's posts.
        rows = (
            Reaction.objects.filter(post_id__in=ids, post__author=viewer)
            .order_by("created_at")
            .values_list("post_id", "kind", "member__pseudonym")
        )
        for post_id, kind, pseudonym in rows:
            result[post_id].by_whom.setdefault(kind, []).append(pseudonym)
    return result


def reaction_count(*, post: Post, kind: str) -> int:
    return Reaction.objects.filter(post=post, kind=kind).count()


def attach(*, views: list, viewer, thread: Thread) -> None:
    """Give each post view of a page its reactions and whether the viewer may react."""
    summary = reactions_for(posts=[view.post for view in views], viewer=viewer)
    may_post = permissions.can_post(viewer)
    for view in views:
        view.reactions = summary[view.post.pk]
        view.can_react = can_react(viewer, view.post, thread, may_post=may_post)
