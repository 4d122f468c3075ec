"""Normalisation against evasion, with a map back to the original text.

Screening matches rules against a *skeleton* of the text::

    original  "I w@nt to  k.i.l.l   mys3lfffff\u200b tonight"
    folded    "i w@nt to  k.i.l.l   myse lfffff tonight"   (NFKC, case, look-alikes, invisibles)
    skeleton  " i want to kil myself tonight "             (leetspeak, joined letters,
                                                            repeats, separators)

The skeleton holds only ``[a-z0-9]`` words separated by single spaces, with one space at
each end, so that a term can be found on word boundaries by looking for ``" term "``.
Terms from the rule set go through the same function, so "kill" is stored as "kil" and
still meets "kiiiill", "k1ll" and "k i l l".

Spans map back to the original text: the folded text keeps a per-character map to the
original (only built when the text is not ASCII), and skeleton words correspond one to one,
in order, to the words ``WORD_RE`` finds in the folded text. The map from skeleton to
folded positions is built lazily, because most texts have no hit at all.

Speed matters (the product screens every post): the ASCII path is a handful of C-level
``str``/``re`` calls; Python loops run only over non-ASCII characters and over hits.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

# --- look-alike letters ------------------------------------------------------------------
# Cyrillic and Greek letters that look like Latin ones (a subset of Unicode TR39
# confusables.txt, limited to lower case since the text is case-folded first), plus the
# typographic apostrophes so that "don’t" and "don't" fold alike.
HOMOGLYPHS: dict[str, str] = {
    # Cyrillic
    "а": "a",
    "в": "b",
    "е": "e",
    "ё": "e",
    "з": "3",
    "и": "u",
    "і": "i",
    "ї": "i",
    "ј": "j",
    "к": "k",
    "л": "n",
    "м": "m",
    "н": "h",
    "о": "o",
    "п": "n",
    "р": "p",
    "с": "c",
    "т": "t",
    "у": "y",
    "х": "x",
    "ѕ": "s",
    "ԁ": "d",
    "ԛ": "q",
    "ԝ": "w",
    "ь": "b",
    "ы": "bi",
    "ч": "4",
    "һ": "h",
    "ӏ": "l",
    "ɡ": "g",
    # Greek
    "α": "a",
    "β": "b",
    "γ": "y",
    "δ": "d",
    "ε": "e",
    "η": "n",
    "ι": "i",
    "κ": "k",
    "μ": "u",
    "ν": "v",
    "ο": "o",
    "ρ": "p",
    "σ": "o",
    "ς": "s",
    "τ": "t",
    "υ": "u",
    "χ": "x",
    "ω": "w",
    "ϲ": "c",
    # punctuation that must behave like its ASCII twin
    "\u2019": "'",
    "\u2018": "'",
    "\u02bc": "'",
    "\u2032": "'",
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u00b7": ".",
    "\u2022": ".",
    "\u2024": ".",
    "\u2027": ".",
}

#: Characters removed outright: zero-width and other invisible format characters.
#: (General categories Cf, Mn, Me, Cc are removed as well; this list names the common ones
#: for readers and for characters whose category is not one of those.)
INVISIBLE: frozenset[str] = frozenset(
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u206a\u206b\u206c"
    "\u206d\u206e\u206f\u3164\ufeff\uffa0"
)
_REMOVED_CATEGORIES = frozenset({"Cf", "Mn", "Me", "Cc"})

# --- leetspeak -----------------------------------------------------------------------------
LEET_DIGITS: dict[str, str] = {
    "0": "o",
    "1": "i",
    "3": "e",
    "4": "a",
    "5": "s",
    "7": "t",
    "8": "b",
    "9": "g",
}
LEET_SYMBOLS: dict[str, str] = {"$": "s", "@": "a", "!": "i", "|": "l"}

# A run of word characters and leet symbols in which a letter touches a digit or symbol.
_LEET_CANDIDATE_RE = re.compile(r"[a-z0-9$@!|]*(?:[a-z][0-9$@!|]|[0-9$@!|][a-z])[a-z0-9$@!|]*")
# Numbers with a unit keep their digits: "3am", "20mg", "2nd", "10k", "24h".
_LEET_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789$@!|")
_NUMBER_WITH_UNIT_RE = re.compile(r"[1-9]\d*(?:am|pm|st|nd|rd|th|s|h|hr|hrs|min|mins|d|k|m|mg|g|kg|lb|lbs|ml|x|yo|ish)")
_VOWELS_BEFORE_L = frozenset("ae")


def _unleet_token(token: str) -> str:
    """Read a leetspeak token as letters ("k1ll" → "kill", "$uicide" → "suicide").

    Digits are read as letters only inside a token that has a letter, and not in numbers
    with a unit ("3am"). "1" reads as "l" after "a" or "e" ("se1f", "a1ive") and as "i"
    elsewhere ("k1ll", "su1cide"). "@", "!" and "|" are read only between two characters
    of the token followed by a letter or digit, so a mention ("@ana") or an exclamation
    ("help!!") stays as written.
    """
    if _NUMBER_WITH_UNIT_RE.fullmatch(token):
        return token
    out = []
    last = len(token) - 1
    for i, ch in enumerate(token):
        if ch in LEET_DIGITS:
            if ch == "1" and i > 0 and out[-1] in _VOWELS_BEFORE_L:
                out.append("l")
            else:
                out.append(LEET_DIGITS[ch])
        elif ch == "$":
            out.append("s")
        elif ch in LEET_SYMBOLS and 0 < i < last and token[i + 1].isalnum():
            out.append(LEET_SYMBOLS[ch])
        else:
            out.append(ch)
    return "".join(out)


def _unleet_match(m: re.Match[str]) -> str:
    return _unleet_token(m.group())


# --- joined letters, repeats, separators ---------------------------------------------------
# A separator inside a spaced-out word: one space, or a little punctuation with at most one
# space either side. Two or more spaces end the word ("b y  t h e" is "by the").
_SEP = r"(?: ?[._\-/*~+,]{1,2} ?| )"
# "$" always reads as "s", so every joined run has letters; "@", "!" and "|" do not join.
_ONE = r"[a-z0-9$]"
_ALONE_BEFORE = r"(?<![a-z0-9'$@!|])"
_ALONE_AFTER = r"(?![a-z0-9'$@!|])"
# Three or more single characters with separators ("s u i c i d e", "k.m.s"), or two joined
# by a separator other than a plain space ("s/h", "s.h"), are read as one word. Two letters
# split by a single space ("am i a burden") are left alone, as ordinary English, unless a
# double space sets them beside another spaced word ("t o  d i e").
SPACED_RE = re.compile(
    rf"{_ALONE_BEFORE}{_ONE}(?:{_SEP}{_ONE}{_ALONE_AFTER}){{2,}}"
    rf"|{_ALONE_BEFORE}{_ONE}[._\-/*~+]{_ONE}{_ALONE_AFTER}"
    rf"|{_ALONE_BEFORE}{_ONE} {_ONE}(?=  +{_ONE} {_ONE}{_ALONE_AFTER})"
    rf"|(?<= [a-z0-9]  ){_ONE} {_ONE}{_ALONE_AFTER}"
)
_NON_ALNUM_RE = re.compile(r"[^a-z0-9]+")
_APOSTROPHE_RE = re.compile(r"(?<=[a-z0-9])'(?=[a-z0-9])")
_REPEAT_RE = re.compile(r"([a-z])\1+")
#: One folded-text word per skeleton word: a joined run, or letters with inner apostrophes.
WORD_RE = re.compile(SPACED_RE.pattern + r"|[a-z0-9]+(?:'[a-z0-9]+)*")
_PLAIN_WORD_RE = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*")
_BOUNDARY_RE = re.compile(r"[.!?;:,\n]")


_SEPARATOR_CHARS_RE = re.compile(r"[ ._\-/*~+,]")


def _join_spaced(m: re.Match[str]) -> str:
    return _unleet_token(_SEPARATOR_CHARS_RE.sub("", m.group()))


# --- folding -------------------------------------------------------------------------------
@lru_cache(maxsize=4096)
def fold_char(ch: str) -> str:
    """Fold one non-ASCII character: NFKC, case fold, look-alikes, accents and invisibles.

    Returns "" for characters that carry no letter (zero-width, joiners, combining marks).
    """
    if ch in INVISIBLE or unicodedata.category(ch) in _REMOVED_CATEGORIES:
        return ""
    out = []
    for c in unicodedata.normalize("NFKC", ch).casefold():
        c = HOMOGLYPHS.get(c, c)
        if not c.isascii():
            # Strip accents: "é" → "e"; letters of other scripts stay as they are.
            base = "".join(b for b in unicodedata.normalize("NFD", c) if unicodedata.category(b) != "Mn")
            c = HOMOGLYPHS.get(base, base) if base else c
        out.append(c)
    return "".join(out)


_NON_ASCII_RUN_RE = re.compile(r"[^\x00-\x7f]+")


# A capital I after a lower-case letter stands for an l ("kiII", "seIf"): case folding
# would otherwise turn it into an i.
_CAPITAL_I_FOR_L_RE = re.compile(r"(?<=[a-z])I+")


def _capital_i_for_l(m: re.Match[str]) -> str:
    return "l" * len(m.group())


def fold(text: str) -> tuple[str, list[int] | None, list[int] | None]:
    """Return ``(folded, starts, ends)``.

    ``folded[i]`` came from ``text[starts[i]:ends[i]]``. For ASCII text both maps are
    ``None`` (identity), which is the common, fast case.
    """
    if "I" in text:
        text = _CAPITAL_I_FOR_L_RE.sub(_capital_i_for_l, text)  # same length
    if text.isascii():
        return text.lower(), None, None
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    for run in _NON_ASCII_RUN_RE.finditer(text):
        a, b = run.span()
        if a > pos:
            pieces.append(text[pos:a].lower())
            starts.extend(range(pos, a))
            ends.extend(range(pos + 1, a + 1))
        for i in range(a, b):
            out = fold_char(text[i])
            if out:
                pieces.append(out)
                starts.extend([i] * len(out))
                ends.extend([i + 1] * len(out))
            elif ends and ends[-1] == i and unicodedata.category(text[i]) in ("Mn", "Me"):
                # A combining mark belongs to the letter before it, so that a span ending on
                # "é" written as e + U+0301 includes the accent. Invisible characters do not.
                ends[-1] = i + 1
        pos = b
    if pos < len(text):
        pieces.append(text[pos:].lower())
        starts.extend(range(pos, len(text)))
        ends.extend(range(pos + 1, len(text) + 1))
    return "".join(pieces), starts, ends


_LEET_ADJACENT_RE = re.compile(r"[a-z][0-9$@!|]|[0-9$@!|][a-z]")


def unleet(folded: str) -> str:
    """Apply leetspeak reading to the folded text; keeps its length (a 1:1 character map)."""
    first = _LEET_ADJACENT_RE.search(folded)
    if first is None:
        return folded
    # Only the stretch from the first letter-digit contact on can change.
    start = first.start()
    while start > 0 and folded[start - 1] in _LEET_CHARS:
        start -= 1
    return folded[:start] + _LEET_CANDIDATE_RE.sub(_unleet_match, folded[start:])


# Cheap test for whether SPACED_RE can match at all: two single characters side by side.
_SPACED_HINT_RE = re.compile(
    r"(?<![a-z0-9'$@!|])[a-z0-9$] ?[._\-/*~+,]{0,2} ?[a-z0-9$](?![a-z0-9'$@!|])"
)


def skeletonise(folded: str) -> str:
    """The matching form of already folded and un-leeted text: ``" word word "``."""
    return _skeletonise(folded)[0]


def _skeletonise(folded: str) -> tuple[str, bool]:
    """The skeleton, and whether any spaced-out letters were joined into a word."""
    s = _APOSTROPHE_RE.sub("", folded) if "'" in folded else folded
    joined = False
    if _SPACED_HINT_RE.search(s):
        s, count = SPACED_RE.subn(_join_spaced, s)
        joined = count > 0
    s = _REPEAT_RE.sub(r"\1", s)
    s = _NON_ALNUM_RE.sub(" ", s).strip()
    return (f" {s} " if s else " "), joined


def normalise_term(term: str) -> str:
    """The skeleton of a rule term, without the outer spaces ("Kill  myself!" → "kil myself")."""
    folded, _, _ = fold(term)
    return skeletonise(unleet(folded)).strip()


def _word_offsets(word: str, base: int) -> list[int]:
    """Folded-text offsets of each skeleton character of one folded word starting at ``base``.

    Replays, for one word, what ``skeletonise`` does to the whole text: drop apostrophes and
    separators, read leetspeak, collapse repeated letters (keeping the first of a run).
    """
    kept = [(c, base + i) for i, c in enumerate(word) if c.isascii() and (c.isalnum() or c in "$@!|")]
    letters = _unleet_token("".join(c for c, _ in kept)) if kept else ""
    offsets: list[int] = []
    prev = ""
    for (_, at), c in zip(kept, letters, strict=True):
        if not (c.isascii() and c.isalnum()):
            continue
        if c == prev and c.isalpha():
            continue
        offsets.append(at)
        prev = c
    return offsets


@dataclass(slots=True)
class Normalised:
    """A text prepared for matching, able to map skeleton spans back to the original."""

    original: str
    folded: str
    skeleton: str
    starts: list[int] | None
    ends: list[int] | None
    joined: bool = False
    _words: list[tuple[int, int]] | None = field(default=None, repr=False)
    _skel_words: list[str] | None = field(default=None, repr=False)
    _skel_word_starts: list[int] | None = field(default=None, repr=False)

    @classmethod
    def of(cls, text: str) -> Normalised:
        folded, starts, ends = fold(text)
        folded = unleet(folded)
        skeleton, joined = _skeletonise(folded)
        return cls(text, folded, skeleton, starts, ends, joined)

    # -- words ------------------------------------------------------------------------------
    @property
    def words(self) -> list[tuple[int, int]]:
        """Folded-text spans of the words, one per skeleton word, in order."""
        if self._words is None:
            # Without joined spaced letters a word is a plain run: use the faster pattern.
            pattern = WORD_RE if self.joined else _PLAIN_WORD_RE
            self._words = [m.span() for m in pattern.finditer(self.folded)]
        return self._words

    @property
    def skeleton_words(self) -> list[str]:
        if self._skel_words is None:
            self._skel_words = self.skeleton.split()
        return self._skel_words

    @property
    def skeleton_word_starts(self) -> list[int]:
        """Skeleton offset of the first character of each word."""
        if self._skel_word_starts is None:
            starts = []
            pos = 1
            for w in self.skeleton_words:
                starts.append(pos)
                pos += len(w) + 1
            self._skel_word_starts = starts
        return self._skel_word_starts

    def word_index(self, skel_pos: int) -> int:
        """Index of the skeleton word containing (or starting just after) ``skel_pos``."""
        return max(0, bisect_right(self.skeleton_word_starts, skel_pos) - 1)

    # -- spans ------------------------------------------------------------------------------
    def _folded_pos(self, skel_pos: int, *, end: bool) -> int:
        """Folded offset of skeleton character ``skel_pos`` (or just past it when ``end``)."""
        k = self.word_index(skel_pos)
        if k >= len(self.words):  # defensive: should not happen, see tests
            return len(self.folded)
        w_start, w_end = self.words[k]
        offset = skel_pos - self.skeleton_word_starts[k]
        word_len = len(self.skeleton_words[k])
        if not end and offset <= 0:
            return w_start
        if end and offset >= word_len - 1:
            return w_end
        offsets = _word_offsets(self.folded[w_start:w_end], w_start)
        offset = min(max(offset, 0), len(offsets) - 1)
        if not end:
            return offsets[offset]
        # End just before the next skeleton character, so that a collapsed run of repeats
        # is covered whole, then step back over separators ("k i l l" → "k i").
        stop = offsets[offset + 1] if offset + 1 < len(offsets) else w_end
        while stop > offsets[offset] + 1 and not self.folded[stop - 1].isalnum():
            stop -= 1
        return stop

    def original_span(self, skel_start: int, skel_end: int) -> tuple[int, int]:
        """Map a skeleton span ``[skel_start, skel_end)`` (without outer spaces) to the original.

        Invisible characters and separators between the first and last character are part
        of the span; leading and trailing ones are not.
        """
        f_start = self._folded_pos(skel_start, end=False)
        f_end = self._folded_pos(skel_end - 1, end=True)
        if self.starts is None or self.ends is None:
            return f_start, f_end
        if f_start >= len(self.starts):
            return len(self.original), len(self.original)
        return self.starts[f_start], self.ends[max(f_end - 1, f_start)]

    def boundary_between(self, word_a: int, word_b: int) -> bool:
        """Whether a sentence or clause boundary (``. ! ? ; : ,`` or a newline) lies between
        the end of word ``word_a`` and the start of word ``word_b``."""
        a_end = self.words[word_a][1]
        b_start = self.words[word_b][0]
        return _BOUNDARY_RE.search(self.folded, a_end, b_start) is not None
