import pytest


@pytest.fixture
def eager_jobs():
    """Celery tasks run inline when queued (the on-commit callbacks still have to run)."""
    from config.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = before
