"""Pre-moderation of new members lifts after posts a moderator approved, not after any posts: three
one-word replies in an open subforum must not let a new member past review elsewhere."""

from __future__ import annotations

import pytest

from forum.models import Subforum
from moderation.services import actions
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed(db):
    return factories.subforum(name="Difficult feelings", slug="difficult", posting_policy="premod_new")


def test_one_word_replies_elsewhere_do_not_lift_premoderation(thread, reviewed, settings):
    settings.HEARTH_PREMODERATE_FIRST_POSTS = 3
    newcomer = factories.member(pseudonym="Newcomer")
    for word in ("hi", "ok", "yes"):
        assert factories.reply(author=newcomer, thread=thread, body=word).status == "published"
    held = factories.thread(author=newcomer, subforum=reviewed, title="Something", body="Something harmful.")
    assert held.status == "pending"


def test_posts_a_moderator_approved_lift_it(thread, reviewed, moderator, settings):
    settings.HEARTH_PREMODERATE_FIRST_POSTS = 3
    newcomer = factories.member(pseudonym="Newcomer")
    opening = factories.thread(author=newcomer, subforum=reviewed, title="Hello", body="My first post.")
    for n in range(3):
        post = factories.reply(author=newcomer, thread=opening, body=f"More {n}") if n else opening.posts.get()
        assert post.status == "pending"
        actions.post_approve(actor=moderator, post=post)
        opening.refresh_from_db()
    # Approved in this subforum, and so trusted in another that reviews new members too.
    other = factories.subforum(name="Grief", slug="grief", posting_policy="premod_new")
    assert factories.thread(author=newcomer, subforum=other, title="Now", body="Straight on.").status == "published"


def test_a_member_already_posting_in_a_subforum_is_not_held_when_it_starts_reviewing(thread, settings):
    settings.HEARTH_PREMODERATE_FIRST_POSTS = 3
    regular = factories.member(pseudonym="Regular")
    space = thread.subforum
    for n in range(3):
        factories.reply(author=regular, thread=thread, body=f"Reply {n}")
    Subforum.objects.filter(pk=space.pk).update(posting_policy="premod_new")
    space.refresh_from_db()
    assert factories.reply(author=regular, thread=thread, body="Still here").status == "published"
