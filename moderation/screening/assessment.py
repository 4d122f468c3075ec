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

# Someone else's risk in words the rules leave alone because they are not the author's own
# ("my brother told me he has a plan for tonight"). Read on the lower-cased text with
# apostrophes straightened; ``_SOMEONE`` is a person the author names or a third-person
# pronoun.
_SOMEONE = (
    r"(?:he|she|they|(?:my|our) (?:\w+ ){0,2}?(?:brother|bro|sister|sis|mum|mom|mam|mummy|mother|dad|daddy|"
    r"father|friend|mate|bestie|bff|partner|boyfriend|girlfriend|bf|gf|husband|hubby|wife|fianc[eé]e?|son|"
    r"daughter|kid|child|cousin|flatmate|roommate|housemate|nan|nana|gran|granny|grandma|grandad|grandpa|"
    r"grandson|granddaughter|uncle|aunt|auntie|niece|nephew|colleague|coworker|classmate|neighbou?r|ex))"
)
_THEIR = r"(?:(?:his|her|their) )?"
_WHEN = (
    r"(?:tonight|tomorrow(?: night| morning)?|today|later(?: today| tonight)?|this (?:weekend|evening|week|morning)|"
    r"the weekend|(?:mon|tues|wednes|thurs|fri|satur|sun)day)"
)
#: Their plan, means or intent, imminent by itself: "she's been saving her pills", "he's going
#: to end it" (not "end it with her boyfriend"), "they've got a rope".
_THEIR_IMMINENT_RE = re.compile(
    rf"\b{_SOMEONE}(?:'s|'re| is| are| has| have|'ve)(?: been| got)? (?:"
    rf"(?:saving|stockpiling|hoarding|stashing|collecting) (?:up )?{_THEIR}"
    r"(?:pills|tablets|meds|medication|painkillers)"
    rf"|(?:going|gonna|planning|about) (?:to )?(?:kill (?:him|her|them)sel(?:f|ves)|end (?:it(?! (?:all )?with\b)|"
    rf"{_THEIR}li(?:fe|ves))|take (?:all|every|the rest)(?: of)? {_THEIR}(?:pills|tablets|meds)|overdose|"
    rf"jump (?:off|from|in front)|hang (?:him|her|them)sel)"
    rf"|(?:bought|got) (?:a )?(?:rope|noose|gun))"
)
#: An unspecified plan of theirs, with or without a time: "he has a plan for tonight" (and
#: not "his plan for tonight is pizza", "she has a plan for her birthday", "a plan: pizza").
_THEIR_PLAN_RE = re.compile(
    rf"\b{_SOMEONE}(?:'s| has| have|'ve)(?: got| made)? (?:a|the) plan(?P<when> for {_WHEN})?"
    r"(?=\s*(?:$|[.,;!?]| and\b| but\b| so\b))"
)
#: Reporting what they said or wrote: "my sister told me she wants to die", "he texted …".
_REPORTED_RE = re.compile(
    r"\b(?:said|says|saying|told me|tells me|texted|messaged|wrote|written|shouted|admitted|confided|"
    r"keeps saying|kept saying|announced)\b"
)
_TOLD_TO_RE = re.compile(r"\b(?:told|tells|telling|told me|want(?:s|ed)? me) (?:me |us |you )?to\s*$")
#: A risk phrase in the third person (the rules rate "wants to die" low: it is someone else's).
_THEIR_WORDS_RE = re.compile(
    r"\b(?:(?:him|her|them)sel(?:f|ves)|wants to (?:die|end it|be dead)|doesn'?t want to (?:live|be alive|be here))"
)
#: The author asking for help with it now.
_URGENT_RE = re.compile(
    r"\b(?:i (?:don'?t|do not) know what to do|what (?:do|should|can) i do|i'?m (?:so |really )?"
    r"(?:scared|terrified|frightened|panicking)|should i (?:call|ring|tell)|"
    r"(?:call|ring) (?:999|911|112|an ambulance|the police)|"
    r"please help)"
)


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
    if _someone_else_at_risk(text, result, rules):
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


def _someone_else_at_risk(text: str, result: ScreeningResult, rules: dict) -> bool:
    """Risk the engine set aside as another person's, imminent enough for an urgent item.

    - their plan, means or intent in so many words ("she's been saving her pills", "he's
      going to end it", "they've got a rope");
    - an unspecified plan of theirs ("he has a plan for tonight") that the author reports
      ("told me …") or worries over ("I don't know what to do"), or beside a risk of theirs;
    - a risk hit about them (reason ``other_person``, or a rule in the third person): high by
      its own rule, at medium or in their words ("wants to die", "herself") with a timeframe
      or means within the plan window (not a mild "dying" or "dead"), or reported from
      their own mouth ("my friend said she wants to die", not "… to die of embarrassment",
      whose words an idiom rule holds, nor "he told me to kill myself").

    The author's own level is untouched (worry about someone else is ``low`` by definition);
    the flag opens the urgent item."""
    # Quoted lines are another member's words, answered in this post: not this author's report.
    own = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(">"))
    lowered = own.lower().replace("\u2019", "'").replace("\u2018", "'")
    if _THEIR_IMMINENT_RE.search(lowered):
        return True
    theirs = []
    idioms = [d for d in result.discounted if any(c.startswith("idiom:") for c in d.context)]
    for m in result.matches:
        rule = rules.get(m.rule)
        if rule is None or rule.role != "signal" or m.category not in IMMINENT_CATEGORIES:
            continue
        if any(d.start < m.end and m.start < d.end for d in idioms):
            continue  # "wants to die of embarrassment": the idiom holds these words
        if "quote" in m.context:
            continue
        if "other_person" in m.context or _THIRD_PERSON_RE.search(m.text):
            theirs.append((m, rule))
    for plan in _THEIR_PLAN_RE.finditer(lowered):
        before = lowered[max(0, plan.start() - 60) : plan.start()]
        if theirs or _URGENT_RE.search(lowered) or (plan.group("when") and _REPORTED_RE.search(before)):
            return True
    if not theirs:
        return False
    if any(rule.level == "high" for _, rule in theirs):
        return True
    for m, rule in theirs:
        if LEVEL_RANK[rule.level] < LEVEL_RANK["medium"] and not _THEIR_WORDS_RE.search(m.text.lower()):
            continue  # a mild word ("kill me" in "she'd kill me if I was late") reported is no risk
        before = text[max(0, m.start - 80) : m.start].lower().replace("\u2019", "'")
        sentence = re.split(r"[.!?\n]", before)[-1]
        if _REPORTED_RE.search(sentence) and not _TOLD_TO_RE.search(before):
            return True
    # A mild word about them ("my parents dying", "and he's dead again" from a sofa
    # commentator) beside a time is no plan of theirs, as it is no risk when reported; in a
    # threat ("you're dead tomorrow") the same word keeps the flag it had.
    threat = "abuse_harassment" in result.categories
    theirs = [
        (m, rule)
        for m, rule in theirs
        if threat or LEVEL_RANK[rule.level] >= LEVEL_RANK["medium"] or _THEIR_WORDS_RE.search(m.text.lower())
    ]
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
