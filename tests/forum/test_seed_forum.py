"""``manage.py seed_forum`` on a small community: deterministic, valid trees, consistent counters."""

from __future__ import annotations

import hashlib
from datetime import datetime
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import User
from forum import services
from forum.counters import check_counters
from forum.models import Post, Reaction, Subforum, Thread
from moderation.models import Report, ReviewItem

pytestmark = pytest.mark.django_db(transaction=True)
ANCHOR = "2026-06-01T12:00:00+00:00"
SMALL = ["--members", "60", "--threads", "120", "--posts", "1500", "--big-thread-replies", "80", "--anchor", ANCHOR]


def _seed(seed: int = 3) -> str:
    out = StringIO()
    call_command("seed_forum", *SMALL, "--seed", str(seed), stdout=out)
    return out.getvalue()


def _fingerprint() -> str:
    """The community's content with ids made relative, so two runs compare equal."""
    users = {pk: n for n, pk in enumerate(User.objects.order_by("pk").values_list("pk", flat=True))}
    threads = {pk: n for n, pk in enumerate(Thread.objects.order_by("pk").values_list("pk", flat=True))}
    digest = hashlib.sha256()
    for row in Thread.objects.order_by("pk").values_list(
        "title", "author_id", "subforum__slug", "status", "created_at", "reply_count", "first_reply_at"
    ):
        digest.update(repr((row[0], users[row[1]], *row[2:])).encode())
    for row in Post.objects.order_by("pk").values_list(
        "thread_id", "author_id", "position", "tree_path", "depth", "status", "source", "created_at"
    ):
        digest.update(repr((threads[row[0]], users[row[1]], *row[2:])).encode())
    digest.update(repr(sorted(ReviewItem.objects.values_list("kind", "status", "risk_level"))).encode())
    digest.update(str(Reaction.objects.count()).encode())
    return digest.hexdigest()


def _wipe() -> None:
    call_command("flush", interactive=False, verbosity=0)


@pytest.mark.postgres
def test_seed_is_deterministic_for_a_seed():
    _seed()
    first = _fingerprint()
    _wipe()
    _seed()
    assert _fingerprint() == first
    _wipe()
    _seed(seed=4)
    assert _fingerprint() != first


@pytest.mark.postgres
def test_seeded_trees_follow_the_services_rules():
    _seed()
    # The subforum tree: what mptt would build itself.
    before = list(Subforum.objects.order_by("pk").values_list("pk", "tree_id", "lft", "rght", "level"))
    Subforum.objects.rebuild()
    assert list(Subforum.objects.order_by("pk").values_list("pk", "tree_id", "lft", "rght", "level")) == before
    assert Subforum.objects.filter(level=0).count() >= 3
    assert Subforum.objects.filter(level__gt=1).count() == 0
    # Reply trees: each reply placed where post_reply would place it.
    posts = {p.pk: p for p in Post.objects.only("pk", "thread_id", "parent_id", "position", "tree_path", "depth")}
    for post in posts.values():
        if post.parent_id is None:
            assert post.position == 0 and post.tree_path == "" and post.depth == 0
            continue
        parent = posts[post.parent_id]
        assert parent.thread_id == post.thread_id and parent.position < post.position
        assert (post.depth, post.tree_path) == services._tree_place(parent=parent, position=post.position)
        assert post.depth <= settings.HEARTH_MAX_REPLY_DEPTH
    assert Post.objects.filter(depth__gte=2).exists()


@pytest.mark.postgres
def test_seeded_counters_queue_and_bodies_are_consistent():
    output = _seed()
    report = check_counters()
    assert report.ok, report.examples
    # Every post held for review has its open premoderation item; ~1 open item per 100 posts.
    pending = set(Post.objects.filter(status="pending").values_list("pk", flat=True))
    held = set(
        ReviewItem.objects.filter(kind="premoderation").exclude(status="resolved").values_list("post_id", flat=True)
    )
    assert pending and pending == held
    assert Report.objects.exists() and Reaction.objects.exists()
    assert Thread.objects.filter(reply_count=0, first_reply_at__isnull=True, status="published").exists()
    assert Thread.objects.filter(notes__isnull=False).exists()
    big = Thread.objects.get(post_sequence=80)
    assert f"/t/{big.pk}/" in output
    # The stored HTML is what the renderer makes of the stored source.
    from forum.rendering import render_post

    for post in Post.objects.order_by("pk")[:50]:
        assert render_post(post.source) == post.html
    # A seeded member can sign in with the printed password.
    from forum.seeding import SEED_PASSWORD

    assert User.objects.filter(is_moderator=True).first().check_password(SEED_PASSWORD)
    assert datetime.fromisoformat(ANCHOR) >= Thread.objects.order_by("-created_at").first().created_at


@pytest.mark.postgres
def test_seeding_twice_is_refused():
    _seed()
    with pytest.raises(CommandError):
        _seed()
