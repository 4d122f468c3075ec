"""Each test starts with an empty compiled-rule-set cache: test databases roll back, so the
same version label can name different rules in two tests (it never does in production)."""

import pytest

from moderation.screening import selectors


@pytest.fixture(autouse=True)
def _fresh_ruleset_cache():
    selectors._compiled.clear()
    yield
    selectors._compiled.clear()


@pytest.fixture
def eager_jobs():
    """Celery tasks run inline when queued (the on-commit callbacks still have to run)."""
    from config.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = before
