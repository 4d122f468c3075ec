"""What the product needs to know about one screening beyond its level: how sure the engine is
of a ``high`` (the band that decides whether a post may be held), and the flags routing acts on.

Pure Python like the engine (no Django), so that ``manage.py screen_text``, the routing
benchmark and the Celery task all reach the same answer for the same text and rule set.

The confident band
------------------
A wrong hold hurts (a member in distress finds their words taken down), so a ``high`` is held
only when the engine's stages agree on it in the same passage:

- the rules reached ``high`` on their own (a high signal, or a plan: a risk with a timeframe,
  a decision or a means near it); and
- the learned model, asked separately, also rates the post ``high``; and
- the passage the model worried about overlaps a passage the rules rated ``high``, so in a
  long post about a bad week both stages point at the same sentence, not at two different
  ones; and
- the context check (when it runs) did not doubt it: a high it doubted is ``medium`` or lower
  by then.

Everything else rated ``high`` is "tentative": published, with an urgent item. The figures for
this band on every labelled set are printed by ``bench/screening_routes.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .engine import LEARNED_RULE, CompiledRuleSet, idiom_chunks
from .types import IMMINENT_CATEGORIES, LEVEL_RANK, Match, ScreeningResult

#: Flags routing acts on (stored on ``ScreeningResult.flags``).
SOMEONE_ELSE_AT_RISK = "someone_else_at_risk"
HOSTILITY_AT_MEMBER = "hostility_at_member"
CONTEXT_LOWERED_HIGH = "context_lowered_high"
INCOMPLETE = "incomplete"  # a pattern rule timed out: some hits may be missing

CONFIDENT = "confident"
TENTATIVE = "tentative"

# A second-person word or an @mention near a hostile phrase: aimed at someone here, not the
# author's own self-talk ("I'm so stupid").
_AT_SOMEONE_RE = re.compile(r"(?i)(?<![a-z])(?:you|your|yours|yourself|ya|u|ur|urself|youre)(?![a-z])|@\w")
_NEAR = 40
_THIRD_PERSON_RE = re.compile(r"(?i)\b(?:him|her|them)sel(?:f|ves)\b")
_PLAN_WINDOW = 200  # characters, as the engine's plan window


@dataclass(frozen=True, slots=True)
class Assessment:
    """One screening as routing sees it.

    ``band`` is ``confident`` or ``tentative`` for a ``high`` and empty otherwise; ``why``
    names, for moderators, what made it high (``rules:plan``, ``rules:means``,
    ``rules:timeframe``, ``rules:high_signal``, ``learned:high``, ``same_passage``, …).
    ``stages`` are the stages that ran (``rules``, ``learned``, ``context``).
    """

    result: ScreeningResult
    stages: tuple[str, ...]
    band: str
    why: tuple[str, ...]
    flags: tuple[str, ...]

    @property
    def level(self) -> str:
        return self.result.level

    @property
    def confident(self) -> bool:
        return self.band == CONFIDENT


_RULE_INDEX: dict[str, dict] = {}


def _rules_by_name(ruleset: CompiledRuleSet) -> dict:
    index = _RULE_INDEX.get(ruleset.version)
    if index is None:
        index = {rule.name: rule for rule in ruleset.rules}
        if len(_RULE_INDEX) > 4:  # only the current rule set or two are worth keeping
            _RULE_INDEX.clear()
        _RULE_INDEX[ruleset.version] = index
    return index


def assess(text: str, result: ScreeningResult, ruleset: CompiledRuleSet) -> Assessment:
    """The band, reasons and flags of ``result`` (``screen(text, ruleset)``). Never raises for
    any ``str``; costs one extra read by the learned model, and only for a ``high``."""
    rules = _rules_by_name(ruleset)
    lowered = any("context_unlikely" in m.context for m in result.matches)
    stages = ["rules"]
    if ruleset.model is not None:
        stages.append("learned")
    if ruleset.context_check is not None and (lowered or LEVEL_RANK[result.level] >= LEVEL_RANK["medium"]):
        stages.append("context")

    flags = []
    if _someone_else_at_risk(result, rules):
        flags.append(SOMEONE_ELSE_AT_RISK)
    if _hostility_at_member(text, result):
        flags.append(HOSTILITY_AT_MEMBER)
    if lowered and any(m.level != "high" and _was_high(m, rules) for m in result.matches):
        flags.append(CONTEXT_LOWERED_HIGH)
    if result.timed_out_rules:
        flags.append(INCOMPLETE)

    band, why = "", ()
    if result.level == "high":
        band, why = _band(text, result, ruleset, rules)
    return Assessment(result=result, stages=tuple(stages), band=band, why=why, flags=tuple(flags))


def _was_high(m: Match, rules: dict) -> bool:
    """A match the context check lowered that stood at ``high`` before it. The check lowers
    ``medium`` to ``low`` and ``high`` to ``medium`` (or to ``low`` when very sure), so a
    lowered match still at ``medium`` was high, and so was a plan or a high rule's hit."""
    if "context_unlikely" not in m.context:
        return False
    if m.level == "medium" or "plan" in m.context:
        return True
    rule = rules.get(m.rule)
    return rule is not None and rule.level == "high"


def _band(text: str, result: ScreeningResult, ruleset: CompiledRuleSet, rules: dict) -> tuple[str, tuple[str, ...]]:
    why: list[str] = []
    rule_highs = [m for m in result.matches if m.rule != LEARNED_RULE and m.level == "high"]
    for m in rule_highs:
        rule = rules.get(m.rule)
        if rule is None:
            continue
        if "plan" in m.context:
            why.append("rules:plan")
            if rule.role == "intent":
                why.append("rules:timeframe")
            elif rule.role == "means":
                why.append("rules:means")
        elif rule.role == "signal" and rule.level == "high":
            why.append("rules:high_signal")
    if any(m.rule == LEARNED_RULE and m.level == "high" for m in result.matches):
        why.append("learned:plan" if any("plan" in m.context for m in result.matches) else "learned:high")
    agreed = False
    if rule_highs and ruleset.model is not None:
        score = ruleset.model.score(text, None, idiom_chunks(text, ruleset))
        if score.level == "high":
            why.append("learned:high")
            agreed = any(score.start < m.end and m.start < score.end for m in rule_highs)
            if agreed:
                why.append("same_passage")
    why = list(dict.fromkeys(why))
    return (CONFIDENT if agreed else TENTATIVE), tuple(why)


def _someone_else_at_risk(result: ScreeningResult, rules: dict) -> bool:
    """Risk the engine set aside as another person's ("my sister said she wants to kill herself
    tonight"): a risk hit about someone else (reason ``other_person``, or a rule written in
    the third person) that is imminent by its own rule (``high``) or has a timeframe or means
    within the plan window."""
    theirs = []
    for m in result.matches:
        rule = rules.get(m.rule)
        if rule is None or rule.role != "signal" or m.category not in IMMINENT_CATEGORIES:
            continue
        if "other_person" in m.context or _THIRD_PERSON_RE.search(m.text):
            theirs.append((m, rule))
    if not theirs:
        return False
    if any(rule.level == "high" for _, rule in theirs):
        return True
    elements = [
        e
        for e in [*result.matches, *result.discounted]
        if (r := rules.get(e.rule)) is not None and r.role in ("intent", "means") and set(e.context) <= {"other_person"}
    ]
    return any(abs(e.start - m.start) <= _PLAN_WINDOW for e in elements for m, _ in theirs)


def _hostility_at_member(text: str, result: ScreeningResult) -> bool:
    """Hostility in the author's own voice, aimed at someone ("you", "@name")."""
    for m in result.matches:
        if m.category != "abuse_harassment" or LEVEL_RANK[m.level] < LEVEL_RANK["medium"]:
            continue
        if set(m.context) - {"plan", "learned"}:
            continue  # quoted, negated, past or reported: not this author's hostility now
        if _AT_SOMEONE_RE.search(text, max(0, m.start - _NEAR), min(len(text), m.end + _NEAR)):
            return True
    return False
