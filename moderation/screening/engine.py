"""The screening engine: compile a rule set once, then ``screen(text, ruleset)``.

One pass finds every term (an Aho–Corasick automaton over the normalised skeleton) and one
pass runs the pattern rules (a single compiled ``regex`` alternation, under a time guard, of
the patterns whose required literals occur in the text: see ``prefilter``); then context
rules look only at the few hits. No Django here: the loader turns database
rows into ``RuleSpec`` records and calls ``compile_ruleset``.

How a level is reached, in order:

1. each hit starts at its rule's level;
2. a hit inside an idiom (an ``exception`` rule, e.g. "hang in there") counts for nothing;
3. a hit in a Markdown quote, under a negation, about the past or recovery, or about another
   person is capped at ``low`` (context lowers, never hides);
4. a plan makes risk imminent: an own-voice risk in suicide, self-harm or substance (a
   ``signal`` at ``medium`` or above, or a ``means`` at ``low`` or above: "the rope is
   ready", "40 pills") near an ``intent`` hit (a timeframe or decision: "tonight", "I've
   decided") or, for suicide and substance signals, near a ``means`` hit ("rope", "pills
   saved"), becomes ``high``, and so do the plan elements that made it so. Words that are
   part of the risk hit itself are no plan element, and a timeframe after a described
   feeling ("feeling suicidal tonight") is no plan;
5. ``means`` and ``intent`` hits that joined no plan count only at their own level (often
   ``none``: "the train tonight" is nothing);
6. when the rule set carries a learned model (``learned.py``), the model reads the author's
   own words (quotes and the idioms found in step 2 left out): where it is confident of a
   higher level than the rules reached, a ``learned`` match at that level spans the passage
   it worried about; its ``medium`` beside an own-voice timeframe the rules found is a plan
   (``high``); a rule hit at ``medium`` or ``high`` that formed no plan, in a text the model
   is sure holds no risk, is shown at ``low`` (reason ``learned_unlikely``). A plan is never
   lowered by it. With a context check after it, the model runs with its ``cascade``
   settings (``LearnedModel.in_cascade``): lower thresholds, for recall, and no veto, as the
   check judges "is this nothing?" in context;
7. when the rule set carries a context check (``context_check.py``) and the result is at
   ``medium`` or ``high``, a small transformer rereads the author's own words in context:
   where it doubts they hold present risk ("rope lights going up next"), the result is
   lowered (``medium`` to ``low``; ``high`` to ``low`` when it is very sure, else to
   ``medium``) and every match it lowered carries the reason ``context_unlikely``. It only
   lowers, and only posts the fast stages flagged pay for it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

import ahocorasick
import regex

from . import context
from .context_check import ContextCheck, flagged_passages, lowered_level
from .learned import LearnedModel, LearnedScore, own_chunk_spans, own_chunks
from .normalise import Normalised, normalise_term
from .prefilter import required_literal_sets
from .types import (
    LEVEL_RANK,
    LEVELS,
    Match,
    RuleSpec,
    ScreeningResult,
    level_min,
)

#: Wall-clock budget for all pattern rules on one text. Patterns normally take microseconds;
#: this only bounds a pathological pattern (catastrophic backtracking) an admin let in.
PATTERN_TIMEOUT = 0.05
#: Skeleton characters between a risk hit and a plan element for them to form a plan.
PLAN_WINDOW = 200
#: Categories in which a plan element makes risk imminent.
INTENT_CATEGORIES = frozenset({"suicide", "self_harm", "substance"})
MEANS_CATEGORIES = frozenset({"suicide", "substance"})

_BACKREF_RE = re.compile(r"\\[1-9]|\(\?P=|\\g<")
_GROUP = "hearth_rule_"


class RuleCompileError(ValueError):
    """A rule cannot be compiled; the message names the rule and says why, for humans."""


def compile_pattern(value: str) -> regex.Pattern[str]:
    """Compile one pattern rule the way the engine will run it, or raise ``RuleCompileError``."""
    try:
        return regex.compile(value, regex.VERSION1 | regex.IGNORECASE)
    except (regex.error, ValueError, TypeError, OverflowError, RecursionError) as exc:
        raise RuleCompileError(f"the pattern does not compile: {exc}") from exc


@dataclass(frozen=True, slots=True)
class _Rule:
    name: str
    category: str
    level: str
    role: str
    kind: str


@dataclass(frozen=True, slots=True)
class _Hit:
    rule: int
    start: int  # skeleton offsets, without the surrounding spaces
    end: int


def compiled_version(rules_version: str, model: LearnedModel | None, context_check: ContextCheck | None) -> str:
    """The version of a compiled rule set: the rules' version and the models it carries
    (``db-7+learned-…+context-…``). A new model, like a rule edit, is a new rule set, and a
    result stored with its version says what rated it."""
    return "+".join([rules_version] + [m.version for m in (model, context_check) if m is not None])


class CompiledRuleSet:
    """An immutable, ready-to-run rule set. Build it with ``compile_ruleset``."""

    __slots__ = (
        "version",
        "rules",
        "_automaton",
        "_prefilters",
        "_combined",
        "_singles",
        "_loose",
        "_always",
        "_needed",
        "model",
        "context_check",
    )

    def __init__(
        self,
        *,
        version: str,
        rules: tuple[_Rule, ...],
        automaton: ahocorasick.Automaton | None,
        prefilters: tuple[tuple[int, str, tuple[frozenset[str], ...] | None], ...],
        singles: tuple[tuple[int, regex.Pattern[str]], ...],
        loose: tuple[tuple[int, regex.Pattern[str]], ...],
        model: LearnedModel | None = None,
        context_check: ContextCheck | None = None,
    ) -> None:
        self.version = compiled_version(version, model, context_check)
        self.model = model
        self.context_check = context_check
        self.rules = rules
        self._automaton = automaton
        # (rule index, pattern, required literals or None) for every combinable pattern rule
        self._prefilters = prefilters
        self._always = tuple(index for index, _, sets in prefilters if sets is None)
        # How many literal sets each prefiltered pattern needs found before it runs.
        self._needed = {index: len(sets) for index, _, sets in prefilters if sets}
        # One alternation per set of patterns whose prefilters passed, built on first use.
        self._combined: dict[tuple[int, ...], regex.Pattern[str]] = {}
        self._singles = dict(singles)  # the same rules one by one, used only after a timeout
        self._loose = loose  # patterns with back-references, which cannot be combined

    def __repr__(self) -> str:
        return f"<CompiledRuleSet version={self.version!r} rules={len(self.rules)}>"

    def find(self, skeleton: str) -> tuple[list[_Hit], list[str]]:
        """All term and pattern hits in a skeleton, and the names of timed-out pattern rules."""
        hits: list[_Hit] = []
        # One automaton pass finds the terms (keys " term ") and the literals that pattern
        # rules need (see ``prefilter``); patterns with no literal to check always run.
        seen: set[tuple[int, int]] = set()  # (pattern rule, literal set) with a literal found
        if self._automaton is not None:
            for end, (size, indexes, patterns) in self._automaton.iter(skeleton):
                if indexes:
                    # Keys are " term ": report [start, end) of the words, without the spaces.
                    start = end - size + 2
                    hits.extend(_Hit(i, start, end) for i in indexes)
                if patterns:
                    seen.update(patterns)
        timed_out: list[str] = []
        wanted_set = set(self._always)
        if seen:
            found_sets: dict[int, int] = {}
            for index, _ in seen:
                found_sets[index] = found_sets.get(index, 0) + 1
            wanted_set.update(i for i, n in found_sets.items() if n == self._needed[i])
        wanted = tuple(sorted(wanted_set))
        if wanted:
            found: list[_Hit] = []
            try:
                for m in self._alternation(wanted).finditer(skeleton, overlapped=True, timeout=PATTERN_TIMEOUT):
                    index = int(m.lastgroup[len(_GROUP) :])
                    _add_pattern_hit(found, index, m)
                    # An alternation reports one alternative per position: try the later
                    # ones here too, so that two rules starting at the same word (a means
                    # and the exception around it) both count.
                    for other in wanted[wanted.index(index) + 1 :]:
                        again = self._singles[other].match(skeleton, m.start(), timeout=PATTERN_TIMEOUT)
                        if again is not None:
                            _add_pattern_hit(found, other, again)
            except TimeoutError:
                # Some pattern is pathological: run them one by one to keep what the
                # others find and to name the slow one(s).
                found = []
                singles = tuple((i, self._singles[i]) for i in wanted)
                timed_out.extend(_run_each(singles, skeleton, found, self.rules))
            hits.extend(found)
        timed_out.extend(_run_each(self._loose, skeleton, hits, self.rules))
        return hits, timed_out

    def _alternation(self, indexes: tuple[int, ...]) -> regex.Pattern[str]:
        compiled = self._combined.get(indexes)
        if compiled is None:
            patterns = {i: p for i, p, _ in self._prefilters}
            compiled = regex.compile(
                "|".join(f"(?P<{_GROUP}{i}>{patterns[i]})" for i in indexes),
                regex.VERSION1 | regex.IGNORECASE,
            )
            if len(self._combined) < 256:  # bounded: the subsets seen in practice are few
                self._combined[indexes] = compiled
        return compiled


def _add_pattern_hit(hits: list[_Hit], index: int, m: regex.Match[str]) -> None:
    text = m.group()
    start = m.start() + (len(text) - len(text.lstrip(" ")))
    end = m.end() - (len(text) - len(text.rstrip(" ")))
    if end > start:
        hits.append(_Hit(index, start, end))


def _run_each(
    patterns: tuple[tuple[int, regex.Pattern[str]], ...],
    skeleton: str,
    hits: list[_Hit],
    rules: tuple[_Rule, ...],
) -> list[str]:
    timed_out = []
    for index, pattern in patterns:
        found: list[_Hit] = []
        try:
            for m in pattern.finditer(skeleton, overlapped=True, timeout=PATTERN_TIMEOUT):
                _add_pattern_hit(found, index, m)
        except TimeoutError:
            timed_out.append(rules[index].name)
            continue
        hits.extend(found)
    return timed_out


def compile_ruleset(
    specs: Iterable[RuleSpec],
    version: str,
    model: LearnedModel | None = None,
    context_check: ContextCheck | None = None,
) -> CompiledRuleSet:
    """Compile enabled rules into a ``CompiledRuleSet``, with ``model`` as its learned
    second opinion and ``context_check`` as its context check when given.

    Raises ``RuleCompileError`` naming the first unusable rule (unknown category, a pattern
    that does not compile, a term that normalises to nothing). Disabled rules are skipped
    without being checked, so that a broken rule can be switched off.
    """
    rules: list[_Rule] = []
    terms: dict[str, list[int]] = {}
    combinable: list[tuple[int, str]] = []
    singles: list[tuple[int, regex.Pattern[str]]] = []
    loose: list[tuple[int, regex.Pattern[str]]] = []
    for spec in specs:
        if not spec.enabled:
            continue
        problems = spec.problems()
        if problems:
            raise RuleCompileError(f"rule {spec.name!r}: {'; '.join(problems)}")
        index = len(rules)
        rules.append(_Rule(spec.name, spec.category, spec.level, spec.role, spec.kind))
        if spec.kind == "term":
            key = normalise_term(spec.value)
            if not key:
                raise RuleCompileError(f"rule {spec.name!r}: the term has no letters or digits")
            terms.setdefault(f" {key} ", []).append(index)
        else:
            try:
                compiled = compile_pattern(spec.value)
            except RuleCompileError as exc:
                raise RuleCompileError(f"rule {spec.name!r}: {exc}") from exc
            if _BACKREF_RE.search(spec.value):
                loose.append((index, compiled))
            else:
                combinable.append((index, spec.value))
                singles.append((index, compiled))

    prefilters = tuple((index, value, required_literal_sets(value)) for index, value in combinable)

    # One automaton for terms and for the literals pattern rules need. A key holds
    # (length, term rule indexes, (pattern rule index, literal set number) pairs).
    keys: dict[str, tuple[list[int], list[tuple[int, int]]]] = {}
    for key, indexes in terms.items():
        keys.setdefault(key, ([], []))[0].extend(indexes)
    for index, _, sets in prefilters:
        for number, literals in enumerate(sets or ()):
            for literal in literals:
                keys.setdefault(literal, ([], []))[1].append((index, number))
    automaton = None
    if keys:
        automaton = ahocorasick.Automaton()
        for key, (term_indexes, pattern_indexes) in keys.items():
            automaton.add_word(key, (len(key), tuple(term_indexes), tuple(pattern_indexes)))
        automaton.make_automaton()

    if model is not None and context_check is not None:
        # With a check after it, the model runs for recall and without its veto.
        model = model.in_cascade()
    return CompiledRuleSet(
        version=version,
        rules=tuple(rules),
        automaton=automaton,
        prefilters=prefilters,
        singles=tuple(singles),
        loose=tuple(loose),
        model=model,
        context_check=context_check,
    )


# --- screening ------------------------------------------------------------------------------
@dataclass(slots=True)
class _Scored:
    hit: _Hit
    rule: _Rule
    first_word: int
    last_word: int
    orig_start: int
    orig_end: int
    level: str
    category: str
    reasons: list[str]


def _contextual_caps(n: Normalised, s: _Scored, quotes: list[tuple[int, int]]) -> list[str]:
    """Names of the context rules that apply to one hit (see ``context``)."""
    reasons = []
    if quotes and context.in_ranges(s.orig_start, quotes):
        reasons.append("quote")
    if context.negated(n, s.first_word):
        reasons.append("negation")
    if context.past(n, s.first_word, s.last_word):
        reasons.append("past")
    if context.recovery(n, s.first_word, s.last_word):
        reasons.append("recovery")
    if context.mention(n, s.first_word, s.last_word):
        reasons.append("mention")
    # Hostility is about someone else by nature ("you should kys"), and a timeframe or
    # decision is the author's whoever else it names ("when she's at work tomorrow"): never
    # lowered for another person.
    if s.rule.category != "abuse_harassment" and s.rule.role != "intent" and context.other_person(n, s.first_word):
        reasons.append("other_person")
    return reasons


def screen(text: str, ruleset: CompiledRuleSet) -> ScreeningResult:
    """Screen one text. Pure and deterministic for a given text and rule set.

    Contract: ``level`` is the highest level of ``matches``; ``categories`` are the sorted
    categories of ``matches``; every match's ``start``/``end`` index ``text`` itself and
    ``text[start:end] == match.text``. Never raises for any ``str`` input, and a pattern
    rule cannot make it run longer than about ``PATTERN_TIMEOUT`` (twice that when a slow
    pattern has to be singled out).
    """
    result = _screen_fast(text, ruleset)
    if ruleset.context_check is not None and result.level in ("medium", "high"):
        return _context_check(text, result, ruleset.context_check)
    return result


def _context_check(text: str, result: ScreeningResult, check: ContextCheck) -> ScreeningResult:
    """Step 7: lower a flagged result when the context check doubts that any flagged
    passage of the author's own words holds present risk (``context_check.lowered_level``)."""
    flagged = [(m.start, m.end) for m in result.matches if LEVEL_RANK[m.level] >= LEVEL_RANK["medium"]]
    passages = flagged_passages(text, flagged)
    if passages is None:
        return result
    probability = max(check.probability(passage, result.level) for passage in passages)
    target = lowered_level(check.thresholds, result.level, probability)
    if target is None:
        return result
    matches = [
        replace(m, level=target, context=(*m.context, "context_unlikely"))
        if LEVEL_RANK[m.level] > LEVEL_RANK[target]
        else m
        for m in result.matches
    ]
    return replace(result, level=target, matches=matches)


def _screen_fast(text: str, ruleset: CompiledRuleSet) -> ScreeningResult:
    """Steps 1 to 6: the rules and the learned model."""
    n = Normalised.of(text)
    raw_hits, timed_out = ruleset.find(n.skeleton)
    learned = None
    if ruleset.model is not None:
        # Without a quote line, the author's own chunks are the normaliser's chunks.
        chunks = n.chunks if ">" not in n.base else own_chunks(text)
        masked = _idiom_chunks(n, text, chunks, raw_hits, ruleset)
        learned = ruleset.model.score(text, chunks, masked)
    if not raw_hits:
        if learned is not None and learned.level != "none":
            return _result(text, [], ruleset.version, timed_out, learned)
        return ScreeningResult("none", [], [], ruleset.version, [], timed_out)

    exceptions: list[_Hit] = []
    scored: list[_Scored] = []
    quotes = context.quote_ranges(text)
    for hit in raw_hits:
        rule = ruleset.rules[hit.rule]
        if rule.role == "exception":
            exceptions.append(hit)
            continue
        start, end = n.original_span(hit.start, hit.end)
        scored.append(
            _Scored(
                hit=hit,
                rule=rule,
                first_word=n.word_index(hit.start),
                last_word=n.word_index(hit.end - 1),
                orig_start=start,
                orig_end=end,
                level=rule.level,
                category=rule.category,
                reasons=[],
            )
        )

    for s in scored:
        idiom = next((e for e in exceptions if e.start <= s.hit.start and s.hit.end <= e.end), None)
        if idiom is not None:
            s.level = "none"
            s.reasons.append(f"idiom:{ruleset.rules[idiom.rule].name}")
            continue
        caps = _contextual_caps(n, s, quotes)
        if caps:
            s.reasons.extend(caps)
            # A denied mild word ("I'm not drunk") is no risk; a denied serious one ("I'm
            # not suicidal") still says the topic is present, so it stays at low.
            floor = "none" if caps == ["negation"] and s.level == "low" else "low"
            s.level = level_min(s.level, floor)

    _inherit_context(scored)
    _apply_plans(n, scored)
    if learned is not None:
        learned = _second_opinion(scored, learned, ruleset.model.veto)  # type: ignore[union-attr]
    return _result(text, scored, ruleset.version, timed_out, learned)


def _idiom_chunks(
    n: Normalised, text: str, chunks: list[str], hits: list[_Hit], ruleset: CompiledRuleSet
) -> frozenset[int]:
    """The own chunks that lie in an idiom the rules know ("I'd die for a coffee", "this exam
    is killing me"): the model does not read them, as a hit inside one counts for nothing."""
    idioms = [n.original_span(h.start, h.end) for h in hits if ruleset.rules[h.rule].role == "exception"]
    if not idioms:
        return frozenset()
    spans = own_chunk_spans(text, len(chunks))
    if spans is None:
        return frozenset()
    return frozenset(i for i, (a, b) in enumerate(spans) if any(a < end and start < b for start, end in idioms))


def idiom_chunks(text: str, ruleset: CompiledRuleSet) -> frozenset[int]:
    """``_idiom_chunks`` for one text: what training masks, as screening does."""
    n = Normalised.of(text)
    hits, _ = ruleset.find(n.skeleton)
    chunks = n.chunks if ">" not in n.base else own_chunks(text)
    return _idiom_chunks(n, text, chunks, hits, ruleset)


def _second_opinion(scored: list[_Scored], learned: LearnedScore, veto: float) -> LearnedScore:
    """Let the rules and the learned model correct each other (step 6).

    - A plan: the model hears present risk (``medium``, not hostility) in a passage where
      the rules found an own-voice timeframe or decision ("tonight", "after my shift",
      "I've decided"): risk plus a timeframe is imminent, as in step 4, so ``high``.
    - A veto: a rule hit at ``medium`` or ``high`` that formed no plan, in a text the
      model is confident holds no risk at all (probability of ``low`` or above under
      ``veto``), is shown at ``low`` with the reason ``learned_unlikely``: everyday speech
      that no context rule caught ("goodbye forever, statistics 👋", "kms if this printer
      jams"). Lowered, never hidden; a plan is never lowered.
    """
    timed = any(
        s.rule.role == "intent" and _own_voice(s) and learned.start <= s.orig_start < learned.end for s in scored
    )
    if learned.level == "medium" and set(learned.categories) != {"abuse_harassment"} and timed:
        return replace(learned, level="high", plan=True)
    if learned.level == "none" and learned.probabilities[0] < veto:
        for s in scored:
            if s.level in ("medium", "high") and "plan" not in s.reasons:
                s.level = "low"
                s.reasons.append("learned_unlikely")
    return learned


def _inherit_context(scored: list[_Scored]) -> None:
    """A hit inside a longer hit of its category shares that phrase's context: in "suicidal
    thoughts hotline", "suicidal" is as much a topic mention as "suicidal thoughts"."""
    for s in scored:
        if s.reasons:
            continue
        for o in scored:
            if (
                o is not s
                and o.reasons
                and o.category == s.category
                and o.hit.start <= s.hit.start
                and s.hit.end <= o.hit.end
                and o.hit.end - o.hit.start > s.hit.end - s.hit.start
            ):
                s.reasons.extend(r for r in o.reasons if r not in s.reasons)
                s.level = level_min(s.level, o.level)


def _own_voice(s: _Scored) -> bool:
    return not s.reasons


def _bare_word_plans(scored: list[_Scored], elements: list[_Scored]) -> list[_Scored]:
    """A bare risk word used as the object of a plan: "i have decided. suicide on sunday".

    An own-voice low signal ("suicide", a spaced or coded word that joins to one) counts as
    a plan's risk when a timeframe follows it as the next word and another, separate plan
    element (a decision, a second time) stands within the window. One timeframe alone
    ("a documentary about suicide tonight") is not enough.
    """
    intents = [e for e in elements if e.rule.role == "intent"]
    if len(intents) < 2:
        return []
    found = []
    for s in scored:
        if not (_own_voice(s) and s.rule.role == "signal" and s.level == "low" and s.category in INTENT_CATEGORIES):
            continue
        follows = [e for e in intents if e.first_word == s.last_word + 1]
        others = [
            e
            for e in intents
            if e not in follows
            and not any(e.hit.start < f.hit.end and f.hit.start < e.hit.end for f in follows)
            and max(e.hit.start - s.hit.end, s.hit.start - e.hit.end) <= PLAN_WINDOW
        ]
        if follows and others:
            found.append(s)
    return found


def _apply_plans(n: Normalised, scored: list[_Scored]) -> None:
    """Raise own-voice risk to ``high`` where a plan element stands near it (step 4)."""
    anchors = [
        s
        for s in scored
        if _own_voice(s)
        and s.category in INTENT_CATEGORIES
        and (
            (s.rule.role == "signal" and LEVEL_RANK[s.level] >= LEVEL_RANK["medium"])
            # A means readied or counted ("the rope is ready", "40 pills") is itself risk.
            or (s.rule.role == "means" and LEVEL_RANK[s.level] >= LEVEL_RANK["low"])
        )
    ]
    elements = [s for s in scored if _own_voice(s) and s.rule.role in ("means", "intent")]
    anchors += _bare_word_plans(scored, elements)
    if not anchors:
        return
    for anchor in anchors:
        described_feeling = context.feeling(n, anchor.first_word)
        done_already = anchor.rule.role == "signal" and context.past_tense(n, anchor.last_word)
        for element in elements:
            if element.hit.start < anchor.hit.end and anchor.hit.start < element.hit.end:
                continue  # part of the anchor's own words ("mixing pills and alcohol")
            if element.rule.role == "means" and (
                anchor.rule.role == "means" or anchor.category not in MEANS_CATEGORIES
            ):
                continue
            if element.rule.role == "intent" and (described_feeling or done_already):
                # "feeling suicidal tonight" times a feeling and "I self harmed tonight" an
                # act that is over: neither is a plan.
                continue
            distance = max(element.hit.start - anchor.hit.end, anchor.hit.start - element.hit.end)
            if distance > PLAN_WINDOW:
                continue
            for s in (anchor, element):
                if s.level != "high":
                    s.level = "high"
                    s.reasons.append("plan")
            if element.rule.role == "intent" or element.category not in INTENT_CATEGORIES:
                # A timeframe belongs to the risk it times: "tonight" in a self-harm post
                # is a self-harm match.
                element.category = anchor.category


def _result(
    text: str,
    scored: list[_Scored],
    version: str,
    timed_out: list[str],
    learned: LearnedScore | None = None,
) -> ScreeningResult:
    counted = [s for s in scored if s.level != "none"]
    # A hit inside a longer hit of the same category at the same or a higher level adds
    # nothing for a reader ("die" inside "want to die").
    kept = []
    for s in counted:
        if any(
            o is not s
            and o.category == s.category
            and o.orig_start <= s.orig_start
            and s.orig_end <= o.orig_end
            and (o.orig_end - o.orig_start) > (s.orig_end - s.orig_start)
            and LEVEL_RANK[o.level] >= LEVEL_RANK[s.level]
            for o in counted
        ):
            continue
        kept.append(s)
    kept.sort(key=lambda s: (s.orig_start, s.orig_end, s.rule.name))
    matches = [_to_match(text, s) for s in kept]
    rules_level = max((m.level for m in matches), key=LEVEL_RANK.__getitem__, default="none")
    if learned is not None and LEVEL_RANK[learned.level] > LEVEL_RANK[rules_level]:
        matches.extend(_learned_matches(text, learned))
        matches.sort(key=lambda m: (m.start, m.end, m.rule))
    discounted = [_to_match(text, s) for s in scored if s.level == "none"]
    discounted.sort(key=lambda m: (m.start, m.end, m.rule))
    level = max((m.level for m in matches), key=LEVEL_RANK.__getitem__, default="none")
    categories = sorted({m.category for m in matches})
    return ScreeningResult(level, categories, matches, version, discounted, timed_out)


def _learned_matches(text: str, learned: LearnedScore) -> list[Match]:
    """One match per category the model named, over the passage of its most worrying window."""
    return [
        Match(
            category=category,
            rule=LEARNED_RULE,
            text=text[learned.start : learned.end],
            start=learned.start,
            end=learned.end,
            level=learned.level,
            context=("learned", "plan") if learned.plan else ("learned",),
        )
        for category in learned.categories
    ]


#: The rule name a learned match carries (no database rule has it: names there are slugs).
LEARNED_RULE = "learned"


def _to_match(text: str, s: _Scored) -> Match:
    return Match(
        category=s.category,
        rule=s.rule.name,
        text=text[s.orig_start : s.orig_end],
        start=s.orig_start,
        end=s.orig_end,
        level=s.level,
        context=tuple(s.reasons),
    )


__all__ = [
    "check_rule",
    "LEVELS",
    "CompiledRuleSet",
    "RuleCompileError",
    "compile_pattern",
    "compile_ruleset",
    "screen",
]


def check_rule(spec: RuleSpec) -> list[str]:
    """Human-readable reasons a rule cannot be used (empty when it can).

    Checks what ``compile_ruleset`` checks for one rule, and for patterns also that the
    pattern is not pathologically slow on a few hostile texts (catastrophic backtracking):
    the time guard would save screening from such a pattern, but the rule would then never
    find anything.
    """
    problems = spec.problems()
    if problems:
        return problems
    if spec.kind == "term":
        if not normalise_term(spec.value):
            return ["the term has no letters or digits"]
        return []
    try:
        pattern = compile_pattern(spec.value)
    except RuleCompileError as exc:
        return [str(exc)]
    for probe in _SLOW_PROBES:
        try:
            for _ in pattern.finditer(probe, overlapped=True, timeout=PATTERN_TIMEOUT):
                pass
        except TimeoutError:
            return [
                "the pattern takes too long on some texts (catastrophic backtracking, e.g. "
                "nested repeats like (a+)+); rewrite it without nested repeats"
            ]
    return []


_SLOW_PROBES = (
    " " + "a" * 3000 + " !",
    " " + "abcdefghij" * 300 + " !",
    " " + " ".join(["word"] * 600) + " !",
    " " + "ab" * 1500 + " ",
)
