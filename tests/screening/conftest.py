"""Each test starts with an empty compiled-rule-set cache: test databases roll back, so the
same version label can name different rules in two tests (it never does in production)."""

import pytest

from moderation.screening import selectors


@pytest.fixture(autouse=True)
def _fresh_ruleset_cache():
    selectors._compiled.clear()
    yield
    selectors._compiled.clear()
