"""The default rule set, shipped as data (``rules.json``; see ``SOURCES.md`` for where its
vocabulary comes from). The data migration seeds the database from it, and
``default_ruleset()`` compiles it directly for tests, benchmarks and tools that run without
a database.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from ..context_check import default_context_check
from ..engine import CompiledRuleSet, compile_ruleset
from ..learned import default_model
from ..types import RuleSpec

RULES_PATH = Path(__file__).with_name("rules.json")


def default_rule_specs() -> list[RuleSpec]:
    """The shipped rules, in file order."""
    with RULES_PATH.open(encoding="utf-8") as fh:
        return [RuleSpec(**row) for row in json.load(fh)]


def default_version() -> str:
    """A version string that changes whenever ``rules.json`` changes."""
    digest = hashlib.sha256(RULES_PATH.read_bytes()).hexdigest()[:12]
    return f"defaults-{digest}"


@cache
def default_ruleset(*, learned: bool = True, context: bool = True) -> CompiledRuleSet:
    """The shipped rules with the shipped learned model and context check, compiled once
    per process. ``learned=False``: the rules alone, for tests of rule mechanics and the
    rules-only figures; ``context=False``: without the context check (the fast stages, as
    the benchmark's floor measures them). The check is left out, too, when its base weights
    have not been fetched."""
    model = default_model() if learned else None
    check = default_context_check() if learned and context else None
    return compile_ruleset(default_rule_specs(), default_version(), model, check)
