"""Shared fixtures: personas (guest, member, other_member, moderator, admin) and a small forum.

Tests that need the real PostgreSQL or Redis are marked ``postgres`` / ``redis``, and tests
that need the screening context check's base weights (fetched by ``make``) are marked
``context_check``. Without them they are skipped locally; under ``CI=true`` a missing or
unreachable one fails the run.
"""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.core.cache import cache

from config.env import Rate
from tests import factories

IN_CI = os.environ.get("CI", "").lower() == "true"


def _redis_reachable() -> str | None:
    """None if Redis answers at REDIS_URL, else why not."""
    if not settings.REDIS_URL:
        return "REDIS_URL is not set"
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        return f"Redis at {settings.REDIS_URL} is unreachable: {error}"
    return None


def _postgres_reachable() -> str | None:
    if not settings.USING_POSTGRES:
        return "DATABASE_URL is not a PostgreSQL URL"
    import psycopg

    db = settings.DATABASES["default"]
    try:
        psycopg.connect(
            host=db["HOST"],
            port=db["PORT"] or 5432,
            user=db["USER"],
            password=db["PASSWORD"] or None,
            dbname="postgres",
            connect_timeout=3,
        ).close()
    except psycopg.Error as error:
        return f"PostgreSQL at {db['HOST']}:{db['PORT']} is unreachable: {error}"
    return None


def _context_weights_present() -> str | None:
    from moderation.screening.context_check import weights_path

    path = weights_path()
    return None if path.exists() else f"{path} is missing (make models)"


def _chromium_present() -> str | None:
    from pathlib import Path

    return None if Path("/usr/bin/chromium").exists() else "/usr/bin/chromium is missing (apt-get install chromium)"


def pytest_sessionstart(session):
    if IN_CI:
        checks = (_postgres_reachable(), _redis_reachable(), _context_weights_present(), _chromium_present())
        problems = [p for p in checks if p]
        if problems:
            raise pytest.UsageError("CI=true needs the real services: " + "; ".join(problems))


def pytest_collection_modifyitems(config, items):
    missing = {
        "postgres": _postgres_reachable(),
        "redis": _redis_reachable(),
        "context_check": _context_weights_present(),
        "browser": _chromium_present(),
    }
    # Browser journeys last: their Playwright event loop must not share the thread with others.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
    for item in items:
        for marker, problem in missing.items():
            if problem and item.get_closest_marker(marker):
                item.add_marker(pytest.mark.skip(reason=f"needs {marker}: {problem}"))


@pytest.fixture
def eager_jobs():
    """Celery tasks run inline when queued (the on-commit callbacks still have to run)."""
    from config.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = before


@pytest.fixture(autouse=True)
def _isolated_cache():
    """Cached site settings and notes must not leak between tests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


#: Generous limits for every test (factories and loops post a lot from one address); the tests
#: of the limits themselves set tight ones (tests/accounts/test_limits.py).
GENEROUS = Rate(100_000, 3600)


@pytest.fixture(autouse=True)
def _generous_limits(settings):
    for name in (
        "HEARTH_LIMIT_REPLIES",
        "HEARTH_LIMIT_THREADS",
        "HEARTH_LIMIT_EDITS",
        "HEARTH_LIMIT_REACTIONS",
        "HEARTH_LIMIT_SIGNIN_FAILURES",
        "HEARTH_LIMIT_SIGNIN_FAILURES_PER_ADDRESS",
    ):
        setattr(settings, name, GENEROUS)
    settings.HEARTH_REPORTS_PER_HOUR = 100_000
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": f"{GENEROUS}/ip"}


@pytest.fixture
def member(db):
    return factories.member(pseudonym="MemberMaple", email="maple@example.org")


@pytest.fixture
def other_member(db):
    return factories.member(pseudonym="OtherOtter", email="otter@example.org")


@pytest.fixture
def moderator(db):
    return factories.member(pseudonym="ModeratorMoss", email="moss@example.org", is_moderator=True)


@pytest.fixture
def admin_user(db):
    return factories.member(
        pseudonym="AdminAsh", email="ash@example.org", is_moderator=True, is_staff=True, is_superuser=True
    )


@pytest.fixture
def subforum(db):
    return factories.subforum(name="Anxiety", slug="anxiety")


@pytest.fixture
def thread(member, subforum):
    return factories.thread(author=member, subforum=subforum, title="Panic on the bus", body="It was hard today.")


def client_for(client, user):
    """Sign ``user`` in; moderators and admins with their second factor (tests/second_factor.py)."""
    from tests.second_factor import sign_in

    return sign_in(client, user)


@pytest.fixture
def member_client(client, member):
    return client_for(client, member)


@pytest.fixture
def moderator_client(client, moderator):
    return client_for(client, moderator)
