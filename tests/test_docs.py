"""docs/configuration.md stays current: every variable config/env.py declares is documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.env import VARIABLES

CONFIGURATION = Path(__file__).resolve().parent.parent / "docs" / "configuration.md"


@pytest.fixture(scope="module")
def configuration_doc() -> str:
    return CONFIGURATION.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(VARIABLES))
def test_every_variable_is_documented(configuration_doc, name):
    assert f"| `{name}` |" in configuration_doc, f"{name} is missing from the table in docs/configuration.md"


def test_the_table_documents_no_variable_hearth_does_not_read(configuration_doc):
    section = configuration_doc.split("## Variables", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    documented = {row.split("`")[1] for row in rows}
    assert documented - set(VARIABLES) == set(), "stale rows in docs/configuration.md"
