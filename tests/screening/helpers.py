"""Small helpers for the screening tests: run the default rules (alone, or as the product
runs them, with the learned model and context check), or a tiny rule set."""

from __future__ import annotations

from moderation.screening.defaults import default_ruleset
from moderation.screening.engine import CompiledRuleSet, compile_ruleset, screen
from moderation.screening.types import RuleSpec, ScreeningResult


def run(text: str) -> ScreeningResult:
    """The shipped rules alone: what the tests of rule mechanics pin."""
    return screen(text, default_ruleset(learned=False))


def run_product(text: str) -> ScreeningResult:
    """The shipped rules with the shipped learned model and context check (when its base
    weights are present), as the site screens."""
    return screen(text, default_ruleset())


def tiny(*specs: RuleSpec, version: str = "t1") -> CompiledRuleSet:
    return compile_ruleset(specs, version)


def spans_are_exact(text: str, result: ScreeningResult) -> bool:
    return all(text[m.start : m.end] == m.text for m in result.matches + result.discounted)
