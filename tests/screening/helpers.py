"""Small helpers for the screening tests: run the default rules, or a tiny rule set."""

from __future__ import annotations

from moderation.screening.defaults import default_ruleset
from moderation.screening.engine import CompiledRuleSet, compile_ruleset, screen
from moderation.screening.types import RuleSpec, ScreeningResult


def run(text: str) -> ScreeningResult:
    return screen(text, default_ruleset())


def tiny(*specs: RuleSpec, version: str = "t1") -> CompiledRuleSet:
    return compile_ruleset(specs, version)


def spans_are_exact(text: str, result: ScreeningResult) -> bool:
    return all(text[m.start : m.end] == m.text for m in result.matches + result.discounted)
