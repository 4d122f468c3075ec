"""The naive baseline Hearth is measured against: a forum's usual watched-words list.

It uses the same vocabulary as the rule set (every ``term`` rule that is not an
``exception``), matched case-insensitively on whole words of the raw text, and rates a
text at the highest level among the terms found. No normalisation, no context, no plans.
It exists only for ``bench/screening_quality.py`` and the tests that compare against it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .types import LEVEL_RANK, RuleSpec


@dataclass(frozen=True, slots=True)
class NaiveResult:
    level: str
    categories: list[str]


class NaiveList:
    """Whole-word, case-insensitive matching of every signal/means/intent term."""

    def __init__(self, specs: Iterable[RuleSpec]) -> None:
        self._terms: list[tuple[re.Pattern[str], str, str]] = []
        for spec in specs:
            if not spec.enabled or spec.kind != "term" or spec.role == "exception":
                continue
            pattern = re.compile(rf"(?<!\w){re.escape(spec.value)}(?!\w)", re.IGNORECASE)
            self._terms.append((pattern, spec.level, spec.category))

    def flags(self, text: str) -> bool:
        """Whether the list rates the text at ``low`` or above: what makes a hard negative."""
        return self.screen(text).level != "none"

    def screen(self, text: str) -> NaiveResult:
        level = "none"
        categories: set[str] = set()
        for pattern, term_level, category in self._terms:
            if term_level != "none" and pattern.search(text):
                categories.add(category)
                if LEVEL_RANK[term_level] > LEVEL_RANK[level]:
                    level = term_level
        return NaiveResult(level, sorted(categories))
