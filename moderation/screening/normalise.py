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
from functools import lru_cache
from itertools import accumulate, repeat

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
    "ζ": "z",  # the capital Ζ folds to ζ, which looks nothing like z, but Ζ does
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
# A quote mark at a word's edge does not attach the letter to a word: "'s u i c i d e'" is
# spaced letters in quotes. An apostrophe between two letters still does ("it's a b").
_ALONE_BEFORE = r"(?<![a-z0-9$@!|])(?<![a-z0-9$]')"
_ALONE_AFTER = r"(?![a-z0-9$@!|])(?!'[a-z0-9$])"
# Three or more single characters with the same separator throughout ("s u i c i d e",
# "k.m.s"; not "s/h a", which is "s/h" and "a"), or two joined
# by a separator other than a plain space ("s/h", "s.h"), are read as one word. Two letters
# split by a single space ("am i a burden") are left alone, as ordinary English, unless a
# double space sets them beside another spaced word ("t o  d i e").
SPACED_RE = re.compile(
    rf"{_ALONE_BEFORE}{_ONE}(?P<sep>{_SEP}){_ONE}{_ALONE_AFTER}(?:(?P=sep){_ONE}{_ALONE_AFTER})+"
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


# Finds the same places as the pattern above, but starts from the literal "I" (fast).
_CAPITAL_I_HINT_RE = re.compile(r"I(?<=[a-z]I)")


def _capital_i(text: str) -> str:
    if "I" in text and _CAPITAL_I_HINT_RE.search(text):
        return _CAPITAL_I_FOR_L_RE.sub(_capital_i_for_l, text)  # same length
    return text


def fold_string(text: str) -> str:
    """``fold(text)[0]`` without building the maps back to the original (the fast path)."""
    text = _capital_i(text)
    if text.isascii():
        return text.lower()
    parts = _NON_ASCII_SPLIT_RE.split(text)
    return "".join([part.lower() if i % 2 == 0 else "".join(map(fold_char, part)) for i, part in enumerate(parts)])


_NON_ASCII_SPLIT_RE = re.compile(r"([^\x00-\x7f]+)")


def fold(text: str) -> tuple[str, list[int] | None, list[int] | None]:
    """Return ``(folded, starts, ends)``.

    ``folded[i]`` came from ``text[starts[i]:ends[i]]``. For ASCII text both maps are
    ``None`` (identity), which is the common, fast case.
    """
    text = _capital_i(text)
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


# A digit or leet symbol touching a letter; starts from the (rare) digit or symbol, so that
# the scan skips letters quickly.
_LEET_ADJACENT_RE = re.compile(r"[0-9$@!|](?:(?<=[a-z].)|(?=[a-z]))")


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
_SPACED_HINT_RE = re.compile(r"(?<![a-z0-9$@!|])[a-z0-9$] ?[._\-/*~+,]{0,2} ?[a-z0-9$](?![a-z0-9$@!|])")


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


# --- the fast path: whitespace-separated chunks, normalised once and remembered ---------------
#
# Every step of ``skeletonise`` except joining spaced letters works inside a run of
# non-space characters, so the skeleton of a text is the skeletons of its chunks (``str.split``)
# joined by single spaces. Forum posts repeat their words, so each chunk's skeleton is
# computed once and kept in a bounded dictionary: a post costs one ``split``, one dictionary
# look-up per chunk and one ``join``. Spaced letters can join across chunks ("s u i c i d e",
# "k . m . s"); that needs a chunk that ends, and a next chunk that starts, with a lone
# letter or separator. Such chunks carry a marker (``\x00``) at that edge, and a text where
# two marked edges meet takes the whole-text path instead (rare: "I a", "x - y").

_MARK = "\x00"
_SEPARATOR = r"[._\-/*~+,]"
# Quote marks at a chunk's edge are allowed for ("'s", "e'"); marking more chunks than
# needed only sends more posts down the whole-text path.
_EDGE_START_RE = re.compile(rf"'?{_SEPARATOR}{{0,2}}[a-z0-9$](?![a-z0-9$@!|])|{_SEPARATOR}{{1,2}}\Z")
_EDGE_END_RE = re.compile(rf"(?<![a-z0-9$@!|])[a-z0-9$]{_SEPARATOR}{{0,2}}'?\Z|\A{_SEPARATOR}{{1,2}}\Z")
_MARKS_MEET_RE = re.compile("\x00 +\x00")
#: Chunks remembered per cache before it starts afresh (a full cache of ASCII chunks takes
#: about 17 MB); word positions are kept only for chunks of posts with hits.
_CHUNK_CACHE_SIZE = 100_000
_CHUNK_WORDS_CACHE_SIZE = 20_000


_NON_ALNUM_KEEP_LINES_RE = re.compile(r"[^a-z0-9\n]+")
_EDGE_START_LINE_RE = re.compile(
    rf"^(?:'?{_SEPARATOR}{{0,2}}[a-z0-9$](?![a-z0-9$@!|])|{_SEPARATOR}{{1,2}}$)", re.MULTILINE
)
_EDGE_END_LINE_RE = re.compile(
    rf"(?:(?<![a-z0-9$@!|])[a-z0-9$]{_SEPARATOR}{{0,2}}'?|^{_SEPARATOR}{{1,2}})$", re.MULTILINE
)


def _chunk_pieces(folded_chunks: list[str]) -> list[str]:
    """The skeletons of folded chunks, with edge markers where spaced letters could join.

    The chunks are normalised together, one per line: no step of ``skeletonise`` reaches
    across a newline, so each line comes out as that chunk alone would.
    """
    joined = "\n".join(folded_chunks)
    unleeted = unleet(joined)
    bare = _APOSTROPHE_RE.sub("", unleeted) if "'" in unleeted else unleeted
    s = SPACED_RE.sub(_join_spaced, bare) if _SPACED_HINT_RE.search(bare) else bare
    s = _NON_ALNUM_KEEP_LINES_RE.sub(" ", _REPEAT_RE.sub(r"\1", s))
    pieces = [piece.strip() for piece in s.split("\n")]
    starts = [0, *accumulate(len(c) + 1 for c in bare.split("\n"))]
    line_at = {pos: i for i, pos in enumerate(starts)}
    line_ending_at = {pos - 1: i for i, pos in enumerate(starts[1:])}
    for m in _EDGE_START_LINE_RE.finditer(bare):
        i = line_at[m.start()]
        pieces[i] = _MARK + pieces[i]
    for m in _EDGE_END_LINE_RE.finditer(bare):
        i = line_ending_at[m.end()]
        pieces[i] = pieces[i] + _MARK
    return pieces


def _chunk_piece(folded_chunk: str) -> str:
    """The skeleton of one folded chunk (see ``_chunk_pieces``)."""
    return _chunk_pieces([folded_chunk])[0]


class _ChunkCache(dict):
    """chunk → piece; ``fold_first`` says whether chunks are raw text (ASCII) or folded."""

    def __init__(self, fold_first: bool) -> None:
        super().__init__()
        self.fold_first = fold_first

    def learn(self, chunks: list[str]) -> None:
        """Normalise, together, the chunks not yet known, and remember them."""
        if len(self) >= _CHUNK_CACHE_SIZE:
            self.clear()
        new = [c for c in dict.fromkeys(chunks) if c not in self]
        if new:
            folded = [fold_string(c) for c in new] if self.fold_first else new
            self.update(zip(new, _chunk_pieces(folded), strict=True))

    def __missing__(self, chunk: str) -> str:
        self.learn([chunk])
        return self[chunk]


_RAW_CHUNKS = _ChunkCache(fold_first=True)  # ASCII texts: chunks of the original text
_FOLDED_CHUNKS = _ChunkCache(fold_first=False)  # other texts: chunks of the folded text


def _fast_skeleton(chunks: list[str], cache: _ChunkCache) -> str | None:
    """The skeleton from chunk pieces, or None when spaced letters may join across chunks."""
    pieces = list(map(cache.get, chunks))
    if None in pieces:
        cache.learn(chunks)
        pieces = [cache[c] for c in chunks]
    s = " ".join(pieces)  # type: ignore[arg-type]
    if _MARK in s:
        if _MARKS_MEET_RE.search(s):
            return None
        s = s.replace(_MARK, "")
    if "  " in s or s[:1] == " " or s[-1:] == " ":
        s = " ".join(s.split())
    return f" {s} " if s else " "


_WHITESPACE_RUN_RE = re.compile(r"(\s+)")


def clear_chunk_caches() -> None:
    """Forget every remembered chunk (for benchmarks and tests; results never depend on it)."""
    _RAW_CHUNKS.clear()
    _FOLDED_CHUNKS.clear()
    _CHUNK_WORDS.clear()


_CHUNK_WORDS: dict[tuple[str, bool], tuple[tuple[int, int, str], ...]] = {}


def _chunk_words(chunk: str, raw: bool) -> tuple[tuple[int, int, str], ...]:
    """The words of one chunk: (start, end) in the chunk and their folded, leet-read text."""
    found = _CHUNK_WORDS.get((chunk, raw))
    if found is None:
        folded_chunk = unleet(fold_string(chunk) if raw else chunk)
        pattern = WORD_RE if _skeletonise(folded_chunk)[1] else _PLAIN_WORD_RE
        found = tuple((m.start(), m.end(), m.group()) for m in pattern.finditer(folded_chunk))
        if len(_CHUNK_WORDS) >= _CHUNK_WORDS_CACHE_SIZE:
            _CHUNK_WORDS.clear()
        _CHUNK_WORDS[(chunk, raw)] = found
    return found


class Normalised:
    """A text prepared for matching, able to map skeleton spans back to the original.

    ``skeleton`` is computed at once (it is all that a text without hits needs); the folded
    text, the maps to the original and the word positions are computed on first use, only
    for texts with hits.
    """

    __slots__ = (
        "original",
        "skeleton",
        "_ascii",
        "_fast",
        "_base",
        "_chunks",
        "_pieces",
        "_folded",
        "_starts",
        "_ends",
        "_maps_done",
        "_joined",
        "_words",
        "_skel_words",
        "_chunk_words",
        "_chunk_starts",
        "_spans",
        "_bounds",
    )

    def __init__(self, text: str) -> None:
        self.original = text
        self._ascii = text.isascii()
        self._folded: str | None = None
        self._starts: list[int] | None = None
        self._ends: list[int] | None = None
        self._maps_done = False
        self._joined = False
        self._words: list[tuple[int, int]] | None = None
        self._skel_words: list[str] | None = None
        self._chunk_words: list[int] | None = None
        self._chunk_starts: list[int] | None = None
        self._spans: dict[int, tuple[int, int, str]] = {}
        self._bounds: dict[tuple[int, int], bool] = {}
        # ``_base``: the text whose positions the chunks index (the original when it is ASCII,
        # since folding ASCII keeps every position; otherwise the folded text).
        if self._ascii:
            self._base = text
            cache = _RAW_CHUNKS
        else:
            self._base = fold_string(text)
            cache = _FOLDED_CHUNKS
        self._chunks = self._base.split()
        skeleton = _fast_skeleton(self._chunks, cache)
        self._fast = skeleton is not None
        if skeleton is None:
            skeleton, self._joined = _skeletonise(self.folded)
        self.skeleton = skeleton

    @classmethod
    def of(cls, text: str) -> Normalised:
        return cls(text)

    @classmethod
    def whole_text(cls, text: str) -> Normalised:
        """The same, without the chunk fast path: the reference the fast path is tested against."""
        n = cls.__new__(cls)
        n.original = text
        n._ascii = text.isascii()
        n._folded = None
        n._starts = n._ends = None
        n._maps_done = False
        n._words = n._skel_words = n._chunk_words = n._chunk_starts = None
        n._spans = {}
        n._bounds = {}
        n._base = fold_string(text)
        n._chunks = []
        n._fast = False
        n.skeleton, n._joined = _skeletonise(n.folded)
        return n

    def __repr__(self) -> str:
        return f"Normalised({self.original!r}, skeleton={self.skeleton!r})"

    @property
    def base(self) -> str:
        """The text the chunks split: the original when it is ASCII, else the folded text."""
        return self._base

    @property
    def chunks(self) -> list[str]:
        """``base.split()`` (empty for ``whole_text``), shared with the learned model so that
        a post is split once."""
        return self._chunks

    # -- the folded text and the maps --------------------------------------------------------
    @property
    def folded(self) -> str:
        """NFKC, case, look-alikes, invisibles removed, leetspeak read (see ``fold``)."""
        if self._folded is None:
            self._folded = unleet(fold_string(self.original) if self._ascii else self._base)
        return self._folded

    def _maps(self) -> tuple[list[int] | None, list[int] | None]:
        if not self._maps_done:
            if not self._ascii:
                _, self._starts, self._ends = fold(self.original)
            self._maps_done = True
        return self._starts, self._ends

    @property
    def starts(self) -> list[int] | None:
        return self._maps()[0]

    @property
    def ends(self) -> list[int] | None:
        return self._maps()[1]

    # -- words ------------------------------------------------------------------------------
    @property
    def skeleton_words(self) -> list[str]:
        if self._skel_words is None:
            self._skel_words = self.skeleton.split()
        return self._skel_words

    def word_index(self, skel_pos: int) -> int:
        """Index of the skeleton word containing (or starting just after) ``skel_pos``."""
        last = self.skeleton.count(" ") - 2
        return max(0, min(self.skeleton.count(" ", 0, skel_pos) - 1, last))

    def _span(self, k: int) -> tuple[int, int, str]:
        """Folded-text span of word ``k`` and the folded (leet-read) text of that word."""
        found = self._spans.get(k)
        if found is not None:
            return found
        if not self._fast:
            if self._words is None:
                # Without joined spaced letters a word is a plain run: use the faster pattern.
                pattern = WORD_RE if self._joined else _PLAIN_WORD_RE
                self._words = [m.span() for m in pattern.finditer(self.folded)]
            if k >= len(self._words):  # defensive: should not happen, see tests
                end = len(self.folded)
                found = (end, end, "")
            else:
                a, b = self._words[k]
                found = (a, b, self.folded[a:b])
        else:
            found = self._fast_span(k)
        self._spans[k] = found
        return found

    def _fast_span(self, k: int) -> tuple[int, int, str]:
        if self._chunk_words is None:
            cache = _RAW_CHUNKS if self._ascii else _FOLDED_CHUNKS
            pieces = map(str.strip, map(cache.__getitem__, self._chunks), repeat(_MARK))
            self._chunk_words = list(accumulate(map(len, map(str.split, pieces))))
            self._chunk_starts = self._locate_chunks()
        j = bisect_right(self._chunk_words, k)
        if j >= len(self._chunks):  # defensive
            end = len(self._base)
            return (end, end, "")
        local = k - (self._chunk_words[j - 1] if j else 0)
        words = _chunk_words(self._chunks[j], self._ascii)
        if local >= len(words):  # defensive: should not happen, see tests
            end = len(self._base)
            return (end, end, "")
        base = self._chunk_starts[j]  # type: ignore[index]
        a, b, word = words[local]
        return (base + a, base + b, word)

    def _locate_chunks(self) -> list[int]:
        """Where each chunk starts in ``_base``."""
        text = self._base
        lengths = [len(c) + 1 for c in self._chunks]
        if sum(lengths) - 1 == len(text):  # one whitespace character between chunks
            return [0, *accumulate(lengths[:-1])]
        parts = _WHITESPACE_RUN_RE.split(text)
        ends = list(accumulate(map(len, parts)))
        return [ends[i - 1] if i else 0 for i in range(0, len(parts), 2) if parts[i]]

    # -- spans ------------------------------------------------------------------------------
    def _folded_pos(self, skel_pos: int, *, end: bool) -> int:
        """Folded offset of skeleton character ``skel_pos`` (or just past it when ``end``)."""
        k = self.word_index(skel_pos)
        w_start, w_end, word = self._span(k)
        if w_start == w_end:
            return w_start
        offset = skel_pos - (self.skeleton.rfind(" ", 0, max(skel_pos, 0)) + 1)
        word_len = len(self.skeleton_words[k])
        if not end and offset <= 0:
            return w_start
        if end and offset >= word_len - 1:
            return w_end
        offsets = _word_offsets(word, w_start)
        offset = min(max(offset, 0), len(offsets) - 1)
        if not end:
            return offsets[offset]
        # End just before the next skeleton character, so that a collapsed run of repeats
        # is covered whole, then step back over separators ("k i l l" → "k i").
        stop = offsets[offset + 1] if offset + 1 < len(offsets) else w_end
        while stop > offsets[offset] + 1 and not word[stop - 1 - w_start].isalnum():
            stop -= 1
        return stop

    def original_span(self, skel_start: int, skel_end: int) -> tuple[int, int]:
        """Map a skeleton span ``[skel_start, skel_end)`` (without outer spaces) to the original.

        Invisible characters and separators between the first and last character are part
        of the span; leading and trailing ones are not.
        """
        f_start = self._folded_pos(skel_start, end=False)
        f_end = self._folded_pos(skel_end - 1, end=True)
        starts, ends = self._maps()
        if starts is None or ends is None:
            return f_start, f_end
        if f_start >= len(starts):
            return len(self.original), len(self.original)
        return starts[f_start], ends[max(f_end - 1, f_start)]

    def boundary_between(self, word_a: int, word_b: int) -> bool:
        """Whether a sentence or clause boundary (``. ! ? ; : ,`` or a newline) lies between
        the end of word ``word_a`` and the start of word ``word_b``."""
        key = (word_a, word_b)
        found = self._bounds.get(key)
        if found is None:
            a_end = self._span(word_a)[1]
            b_start = self._span(word_b)[0]
            # Leetspeak reading changes letters inside words only, so the gap between two
            # words reads the same in the folded text before it.
            text = self._base if self._fast else self.folded
            found = self._bounds[key] = _BOUNDARY_RE.search(text, a_end, b_start) is not None
        return found
