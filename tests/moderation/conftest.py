"""Moderation fixtures: guidelines, a pre-moderated space, scoped moderators."""

from __future__ import annotations

import pytest

from forum.models import Rule
from moderation.models import ModeratorScope
from tests import factories


@pytest.fixture
def rule(db):
    return Rule.objects.create(code="R1", title="Be kind", body="No attacks on anyone.", order=1)


@pytest.fixture
def risk_rule(db):
    return Rule.objects.create(code="R3", title="No methods", body="Never describe methods.", order=3)


@pytest.fixture
def premod_space(db):
    return factories.subforum(name="Difficult feelings", slug="difficult-feelings", posting_policy="premod_new")


@pytest.fixture
def other_space(db):
    return factories.subforum(name="Sleep", slug="sleep")


@pytest.fixture
def second_moderator(db):
    return factories.member(pseudonym="ModeratorWren", email="wren@example.org", is_moderator=True)


@pytest.fixture
def scoped_moderator(db, subforum):
    """Looks after the "Anxiety" space (the default ``subforum`` fixture) only."""
    mod = factories.member(pseudonym="ScopedSorrel", email="sorrel@example.org", is_moderator=True)
    scope = ModeratorScope.objects.create(moderator=mod, all_subforums=False)
    scope.subforums.add(subforum)
    return mod


@pytest.fixture
def other_scope_moderator(db, other_space):
    """Looks after "Sleep" only: everything in "Anxiety" must be a 404 for them."""
    mod = factories.member(pseudonym="ElsewhereElm", email="elm@example.org", is_moderator=True)
    scope = ModeratorScope.objects.create(moderator=mod, all_subforums=False)
    scope.subforums.add(other_space)
    return mod
