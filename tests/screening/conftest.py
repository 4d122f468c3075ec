"""Each test starts with an empty compiled-rule-set cache: test databases roll back, so the
same version label can name different rules in two tests (it never does in production)."""

import pytest

from moderation.screening import selectors


@pytest.fixture(autouse=True)
def _fresh_ruleset_cache():
    selectors._compiled.clear()
    yield
    selectors._compiled.clear()


@pytest.fixture(autouse=True)
def _warnings_reach_the_logs():
    """An embedded Celery worker earlier in the run (tests/infra, test_tasks) sets the root
    logger to ERROR and may switch loggers off; the tests that read screening's warnings need
    them back."""
    import logging

    root = logging.getLogger()
    if root.level > logging.WARNING:
        root.setLevel(logging.WARNING)
    for name, logger in logging.Logger.manager.loggerDict.items():
        if isinstance(logger, logging.Logger) and name.startswith("moderation"):
            logger.disabled = False
    yield
