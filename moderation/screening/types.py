"""Plain data types shared by the screening engine, the loader and the command.

Nothing here imports Django: the engine is pure Python so that tests, benchmarks and
the product's Celery task can all build and run a rule set without a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Risk levels, lowest first. ``none`` is the absence of risk; a rule of role ``means`` or
#: ``intent`` may carry it to say "implies nothing on its own".
LEVELS: tuple[str, ...] = ("none", "low", "medium", "high")
LEVEL_RANK: dict[str, int] = {name: rank for rank, name in enumerate(LEVELS)}

CATEGORIES: tuple[str, ...] = (
    "suicide",
    "self_harm",
    "eating_disorder",
    "substance",
    "abuse_harassment",
)

#: Categories whose risk can become imminent ("high") when a plan element is present.
IMMINENT_CATEGORIES: frozenset[str] = frozenset({"suicide", "self_harm", "substance"})

KINDS: tuple[str, ...] = ("term", "pattern")

#: What a rule contributes.
#: - ``signal``: implies its level directly (before context).
#: - ``means``: a method or means (rope, pills counted, a bridge); implies its own level alone
#:   (often ``none`` for everyday objects) and makes a medium-or-above suicide hit ``high``.
#: - ``intent``: a timeframe or decision (tonight, on Friday, I've decided); implies nothing
#:   alone and makes a medium-or-above suicide, self-harm or substance hit ``high``.
#: - ``exception``: an idiom or safe phrase ("hang in there", "I'm starving, pizza"); a hit
#:   that lies inside one of its occurrences counts for nothing.
ROLES: tuple[str, ...] = ("signal", "means", "intent", "exception")


def level_max(a: str, b: str) -> str:
    """Return the higher of two level names."""
    return a if LEVEL_RANK[a] >= LEVEL_RANK[b] else b


def level_min(a: str, b: str) -> str:
    """Return the lower of two level names."""
    return a if LEVEL_RANK[a] <= LEVEL_RANK[b] else b


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """One rule as plain data: what the database row, the defaults file and tests all produce.

    ``name`` identifies the rule in results (unique within a rule set). ``value`` is a term
    (words, matched after normalisation on word boundaries) when ``kind == "term"``, or a
    regular expression (``regex`` module syntax, run over the normalised text) when
    ``kind == "pattern"``.
    """

    name: str
    category: str
    level: str
    value: str
    kind: str = "term"
    role: str = "signal"
    enabled: bool = True

    def problems(self) -> list[str]:
        """Return human-readable reasons this spec is unusable (empty when it is fine)."""
        found: list[str] = []
        if self.category not in CATEGORIES:
            found.append(f"unknown category {self.category!r}")
        if self.level not in LEVELS:
            found.append(f"unknown level {self.level!r}")
        if self.kind not in KINDS:
            found.append(f"unknown kind {self.kind!r}")
        if self.role not in ROLES:
            found.append(f"unknown role {self.role!r}")
        if self.role == "signal" and self.level == "none":
            found.append("a signal rule must imply at least the low level")
        if not self.value.strip():
            found.append("empty term or pattern")
        return found


@dataclass(frozen=True, slots=True)
class Match:
    """A rule hit that counts, with its span in the ORIGINAL text (``text[start:end]``).

    ``level`` is the level after context; ``context`` names the context rules that lowered
    or raised it (e.g. ``("quote",)``, ``("plan",)``), for the admin's "try the rules" page.
    """

    category: str
    rule: str
    text: str
    start: int
    end: int
    level: str
    context: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The command's JSON shape for one match."""
        return {
            "category": self.category,
            "rule": self.rule,
            "text": self.text,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True, slots=True)
class ScreeningResult:
    """The outcome of screening one text.

    ``level`` is the highest level among ``matches``; ``categories`` lists, sorted, the
    categories of those matches. ``matches`` holds only hits at ``low`` or above after
    context; ``discounted`` holds hits that context brought to ``none`` (idioms, modifiers
    without a risk to modify) so that the admin can see why they did not count.
    ``timed_out_rules`` names pattern rules that hit the time guard on this text (their hits
    are missing; the product should treat the result as incomplete).
    """

    level: str
    categories: list[str]
    matches: list[Match]
    ruleset_version: str
    discounted: list[Match] = field(default_factory=list)
    timed_out_rules: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The command's JSON shape, without the ``id`` the command copies from its input."""
        return {
            "level": self.level,
            "categories": list(self.categories),
            "matches": [m.to_dict() for m in self.matches],
        }
