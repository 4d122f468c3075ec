"""Required literals of a pattern, so that pattern rules run only on texts that could match.

A regular expression without a literal prefix is tried at every position of the text;
a dozen of them joined in one alternation cost hundreds of microseconds per kilobyte.
Most texts contain none of the words a pattern needs, so each pattern gets a *prefilter*:
a set of literal strings at least one of which must occur in any text the pattern matches
(found by walking the parsed pattern, as RE2 and Hyperscan do). Screening checks those
with ``str.__contains__`` and runs the alternation of only the patterns that passed.

``required_literals`` answers ``None`` (always run the pattern) whenever it is not sure:
a pattern it cannot parse with the standard library's parser, case-insensitive flags
inside the pattern, or a pattern with no literal worth checking.
"""

from __future__ import annotations

import re
from typing import Any

try:  # Python 3.11+: the parser moved; keep the import in one place.
    from re import _parser as sre_parse  # type: ignore[attr-defined]
    from re._constants import (  # type: ignore[attr-defined]
        BRANCH,
        IN,
        LITERAL,
        MAX_REPEAT,
        MIN_REPEAT,
        POSSESSIVE_REPEAT,
        RANGE,
        SUBPATTERN,
    )
except ImportError:  # pragma: no cover - older Pythons are not supported by Hearth
    sre_parse = None

#: A literal shorter than this (spaces aside) is too common to be worth checking.
MIN_USEFUL = 3
_MAX_ALTERNATIVES = 64
#: A character class with at most this many characters expands a literal into alternatives.
_MAX_CLASS = 10

Literals = frozenset[str]

# Syntax that the regex module reads differently from the standard parser (fuzzy matching
# "{e<=1}", set operations "[[a-z]--[aeiou]]", inline case flags): give up, run the pattern.
_REGEX_ONLY_SYNTAX = re.compile(r"\{(?![0-9]*,?[0-9]*\})|\[\[|--|&&|~~|\|\||\(\?[a-zA-Z]*[iV-]")


def _quality(lits: Literals | None) -> tuple[int, int]:
    if not lits:
        return (-1, 0)
    return (min(len(s.strip()) for s in lits), -len(lits))


def _small_set(op: Any, arg: Any) -> list[str] | None:
    """The characters of a small character class ("[0-9]", "[sz]"), or None."""
    if op is LITERAL:
        return [chr(arg)]
    if op is not IN:
        return None
    chars: list[str] = []
    for item_op, item_arg in arg:
        if item_op is LITERAL:
            chars.append(chr(item_arg))
        elif item_op is RANGE and item_arg[1] - item_arg[0] < _MAX_CLASS:
            chars.extend(chr(c) for c in range(item_arg[0], item_arg[1] + 1))
        else:
            return None
    return chars if len(chars) <= _MAX_CLASS else None


def _seq(items: list[tuple[Any, Any]], collect: list[Literals] | None = None) -> Literals | None:
    """The best required-literal set of a sequence: a run of literal characters (small
    classes expand it into a few alternatives: "at [0-9]" needs one of "at 0" … "at 9"),
    or the set required by one of its groups. ``collect`` receives every useful set found
    along the way: in a top-level sequence each of them is required."""
    best: Literals | None = None
    runs: list[str] = [""]

    def consider(lits: Literals | None) -> None:
        nonlocal best
        if collect is not None and lits and _quality(lits)[0] >= MIN_USEFUL:
            collect.append(lits)
        if lits and _quality(lits) > _quality(best):
            best = lits

    def close() -> None:
        nonlocal runs
        if runs != [""]:
            consider(frozenset(runs))
        runs = [""]

    for op, arg in items:
        chars = _small_set(op, arg)
        repeat_item = None
        if chars is None and op in (MAX_REPEAT, MIN_REPEAT, POSSESSIVE_REPEAT):
            low, _high, item = arg
            item = list(item)
            if low >= 1 and len(item) == 1:
                repeat_item = _small_set(*item[0])
        if chars is not None or repeat_item is not None:
            options = chars if chars is not None else repeat_item
            assert options is not None
            if len(runs) * len(options) > _MAX_ALTERNATIVES:
                close()
            runs = [r + c for r in runs for c in options]
            if repeat_item is not None:
                close()  # more repeats may follow: the literal ends here
            continue
        if op in (BRANCH, SUBPATTERN) and runs != [""]:
            # A small group right after literal text continues it ("go (?:jump|od)" needs
            # "go jump" or "go od"; the parser also factors a common prefix out of an
            # alternation, so "(?:do it|doing it)" arrives as "do" and a group).
            whole = _alternatives([(op, arg)])
            if whole is not None and len(runs) * len(whole) <= _MAX_ALTERNATIVES:
                runs = [r + w for r in runs for w in whole]
                continue
        close()
        consider(_node(op, arg))
    close()
    return best


def _alternatives(items: list[tuple[Any, Any]]) -> Literals | None:
    """Every whole literal string a small sequence can match, or None if it is not small."""
    out = [""]
    for op, arg in items:
        if op is LITERAL:
            out = [s + chr(arg) for s in out]
        elif op is SUBPATTERN:
            sub = _alternatives(list(arg[-1]))
            if sub is None:
                return None
            out = [s + t for s in out for t in sub]
        elif op is BRANCH:
            options: list[str] = []
            for branch in arg[1]:
                sub = _alternatives(list(branch))
                if sub is None:
                    return None
                options.extend(sub)
            out = [s + t for s in out for t in options]
        else:
            return None
        if len(out) > _MAX_ALTERNATIVES:
            return None
    return frozenset(out)


def _node(op: Any, arg: Any) -> Literals | None:
    if op is SUBPATTERN:
        return _seq(list(arg[-1]))
    if op is BRANCH:
        whole = _alternatives([(op, arg)])
        if whole is not None and all(len(s.strip()) >= MIN_USEFUL for s in whole):
            return whole
        sets = [_seq(list(branch)) for branch in arg[1]]
        if any(not s for s in sets):
            return None
        return frozenset().union(*sets)  # type: ignore[arg-type]
    if op in (MAX_REPEAT, MIN_REPEAT, POSSESSIVE_REPEAT):
        low, _high, item = arg
        return _seq(list(item)) if low >= 1 else None
    return None


def _parse(pattern: str) -> list[tuple[Any, Any]] | None:
    """The standard parser's reading of a pattern, or None when it may read it wrongly."""
    if sre_parse is None or _REGEX_ONLY_SYNTAX.search(pattern):
        return None
    try:
        return list(sre_parse.parse(pattern))
    except Exception:  # noqa: BLE001 - the regex module accepts more than re; just run it
        return None


def required_literals(pattern: str) -> Literals | None:
    """Literal strings one of which any match of ``pattern`` must contain, or ``None``.

    Patterns are matched case-insensitively on lower-case text, so literals are lowered.
    """
    parsed = _parse(pattern)
    if parsed is None:
        return None
    lits = _seq(parsed)
    if not lits or _quality(lits)[0] < MIN_USEFUL:
        return None
    return frozenset(s.lower() for s in lits)


#: How many required sets a pattern is checked against (each must have a literal present).
MAX_SETS = 2


def required_literal_sets(pattern: str) -> tuple[Literals, ...] | None:
    """Up to ``MAX_SETS`` literal sets, each of which must have a member in any text the
    pattern matches ("take al my pils": one of the verbs and one of the pill words), best
    first; ``None`` when there is nothing worth checking.

    A verb such as "take" or "down" is common in posts; requiring the pill word as well lets
    the pattern run only on the few texts that have both.
    """
    parsed = _parse(pattern)
    if parsed is None:
        return None
    found: list[Literals] = []
    _seq(parsed, found)
    if not found:
        return None
    found.sort(key=_quality, reverse=True)
    unique: list[Literals] = []
    for lits in found:
        lowered = frozenset(s.lower() for s in lits)
        if lowered not in unique:
            unique.append(lowered)
    return tuple(unique[:MAX_SETS])
