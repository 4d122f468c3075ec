"""The learned second opinion: a linear model over static word-piece vectors.

Rules find what their authors thought of; people in distress write in their own words.
Two blind sets written by people who never saw the rules showed it (recall on ``high`` about
0.5, docs/screening.md), so the engine asks a small learned model too, and raises a post's
level when the model is confident of more than the rules found.

How it works, and why it is this shape:

- Every word-piece of the all-MiniLM-L6-v2 vocabulary was run through that model once, on
  its own, and the output kept as a static vector (the model2vec idea: a sentence model
  distilled into a lookup table). A post's vector is the mean of its pieces' vectors, which
  carries the pretrained model's sense of which words mean alike ("walk into the sea" lies
  near "drown") without running a transformer.
- Three logistic regressions as continuation ratios (any risk; medium or above among risky
  posts; high among posts at medium or above, so that a timeframe word raises only the last
  and counts only where risk is heard) and one per category were trained on our labelled
  posts over that mean vector plus a bag of pieces.
  Both features are means over the pieces, so each head's logit is the bias plus the MEAN
  of per-piece contributions: the whole model ships as one small table (a few numbers per
  vocabulary piece, ``defaults/model/``), runs in pure Python with no numpy or torch, and
  costs a cached dictionary look-up per whitespace-separated chunk.
- Only the author's own words count: Markdown quote lines are dropped, because a kind reply
  that quotes "I want to die" carries no risk of its own (the rules still see the quote,
  capped at ``low``).
- Long posts are scored in overlapping windows of about ``WINDOW`` pieces and the most
  worrying window wins, so one dark sentence in a long post about the week is not averaged
  away. The match a moderator sees spans that window's words in the original text.

How the engine combines the two opinions is in ``engine._second_opinion``: the model's
``medium`` plus a timeframe the rules found in the same passage is a plan (``high``), and
a lone rule hit in a text the model is sure holds no risk is shown at ``low``
(lowered, never hidden; a plan is never lowered).

Training lives outside the product: ``scripts/train_screening_model.py`` (a separate venv
with torch and scikit-learn) writes ``defaults/model/``; see docs/screening.md.
"""

from __future__ import annotations

import copy
import json
import math
import re
from array import array
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from pathlib import Path

from .normalise import SPACED_RE, _join_spaced, fold_string, unleet
from .types import CATEGORIES, LEVELS

MODEL_DIR = Path(__file__).with_name("defaults") / "model"

#: Pieces per scoring window for long posts (about one short paragraph).
WINDOW = 48
#: A post of up to this many pieces is scored whole.
WHOLE_LIMIT = WINDOW * 3 // 2
#: Chunk look-ups kept before the cache starts afresh (bounded memory for any input).
CHUNK_CACHE_LIMIT = 200_000
#: Longest word split into pieces; longer runs are one unknown piece (as BERT does).
MAX_WORD = 100

_WORD_RE = re.compile(r"\w+|[^\w\s]")
_REPEAT_RE = re.compile(r"(.)\1{2,}")
_QUOTE_LINE_RE = re.compile(r"[ \t]{0,3}>")
_LINE_RE = re.compile(r"[^\n]+")
_CHUNK_RE = re.compile(r"\S+")
# Three or more single characters with separators between ("k.m.s", "s-u-i-c"): the cheap
# test before joining them (two-letter words are everywhere; such runs are not). Letters
# spaced across chunks ("s u i c i d e") are the rules' to join; the model reads chunks.
_SPACED_RUN_RE = re.compile(r"(?<![^\W_])[^\W_](?:[ ._\-/*~+,]{1,2}[^\W_]){2,}(?![^\W_])")


def model_text(chunk: str) -> str:
    """The form of one chunk the model reads: folded, un-leeted, separated letters joined.
    (Runs of a letter are cut per word, in ``model_word``.)"""
    folded = unleet(fold_string(chunk))
    if _SPACED_RUN_RE.search(folded):
        folded = SPACED_RE.sub(_join_spaced, folded)
    return folded


def model_word(word: str) -> str:
    """A word as the model looks it up: runs of three or more of a character cut to one
    ("diiiie" → "die"). Double letters stay: the model's vocabulary knows "kill" and
    "sleep", not the rules' skeleton "kil", "slep"."""
    return _REPEAT_RE.sub(r"\1", word) if len(word) > 2 else word


def own_chunks(text: str) -> list[str]:
    """The whitespace-separated chunks of the author's own words: every chunk of the text
    except those on Markdown quote lines. Split as the engine's normaliser splits (the folded
    text when it is not ASCII), so that the engine can hand its chunks over."""
    base = text if text.isascii() else fold_string(text)
    if ">" not in base:
        return base.split()
    return [chunk for line in base.split("\n") if not _QUOTE_LINE_RE.match(line) for chunk in line.split()]


def own_chunk_spans(text: str, count: int) -> list[tuple[int, int]] | None:
    """Where each of the ``count`` own chunks lies in the original ``text``, or ``None`` in
    the rare case that folding changed how the text splits."""
    positions = [
        m.span()
        for line in _LINE_RE.finditer(text)
        if not _QUOTE_LINE_RE.match(line.group())
        for m in _CHUNK_RE.finditer(text, line.start(), line.end())
    ]
    return positions if len(positions) == count else None


def _span(text: str, chunks: list[str], first: int, last: int) -> tuple[int, int]:
    """Where own chunks ``first`` to ``last - 1`` (of ``chunks``, the text's own chunks) lie
    in the original ``text``, reading only as far as ``last``. Folding can in rare cases
    change how a text splits (a character that folds to a space); then the whole text is
    given."""
    if ">" not in text and text.isascii():
        # The chunks are ``text.split()`` itself: walk them with ``str.find``.
        pos = 0
        start = 0
        for index in range(last):
            pos = text.find(chunks[index], pos)
            if index == first:
                start = pos
            pos += len(chunks[index])
        return start, pos
    positions = own_chunk_spans(text, len(chunks))
    if positions is None:
        return 0, len(text)
    return positions[first][0], positions[last - 1][1]


def chunk_words(chunk: str) -> list[str]:
    """The words and punctuation marks of one whitespace-separated chunk, as the model reads
    them. Scoring works chunk by chunk (``str.split`` and a cached look-up per chunk) so that
    folding and splitting run once per distinct chunk, not once per post."""
    return [model_word(word) for word in _WORD_RE.findall(model_text(chunk))]


@dataclass(frozen=True, slots=True)
class LearnedScore:
    """What the model thinks of a text: ``level`` and ``categories`` of its most worrying
    window, ``probabilities`` of (low or above, medium or above, high) there, and the
    ``start``/``end`` of that window's chunks in the original text. ``plan`` is set
    by the engine when it raised the model's ``medium`` to ``high`` for a timeframe the
    rules found in that window."""

    level: str
    categories: tuple[str, ...]
    probabilities: tuple[float, float, float]
    start: int
    end: int
    plan: bool = False


NOTHING = LearnedScore("none", (), (0.0, 0.0, 0.0), 0, 0)
_MASKED = (0, 0.0, 0.0, 0.0)  # a chunk that counts for nothing: no pieces, no contribution


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


class LearnedModel:
    """A trained model, ready to score. Load the shipped one with ``default_model()``."""

    __slots__ = (
        "version",
        "thresholds",
        "veto",
        "min_risk",
        "category_threshold",
        "cascade",
        "_piece_ids",
        "_unknown",
        "_level_rows",
        "_category_rows",
        "_level_bias",
        "_category_bias",
        "_chunks",
        "_chunk_categories",
    )

    def __init__(
        self,
        *,
        version: str,
        pieces: list[str],
        level_rows: list[tuple[float, float, float]],
        category_rows: list[tuple[float, ...]],
        level_bias: tuple[float, float, float],
        category_bias: tuple[float, ...],
        thresholds: tuple[float, float, float],
        veto: float,
        category_threshold: float,
        cascade: tuple[tuple[float, float, float], float, float] | None = None,
        min_risk: float = 0.0,
    ) -> None:
        self.version = version
        self.set_thresholds(thresholds)
        self.veto = veto
        # The least P(low or above) at which the model names medium or high: with low
        # thresholds, a post it thinks is most likely nothing must not be named high just
        # because, IF it held risk, that risk would be high.
        self.min_risk = min_risk
        self.category_threshold = category_threshold
        # (thresholds, veto, min_risk) for when a context check follows (``in_cascade``).
        self.cascade = cascade
        self._piece_ids = {piece: i for i, piece in enumerate(pieces)}
        self._unknown = self._piece_ids.get("[UNK]", 0)
        self._level_rows = level_rows
        self._category_rows = category_rows
        self._level_bias = level_bias
        self._category_bias = category_bias
        # chunk -> (number of pieces, summed contribution to each level head)
        self._chunks: dict[str, tuple[int, float, float, float]] = {}
        self._chunk_categories: dict[str, tuple[float, ...]] = {}

    def __repr__(self) -> str:
        return f"<LearnedModel version={self.version!r}>"

    def set_thresholds(self, thresholds: tuple[float, float, float]) -> None:
        """Probabilities of (low or above, medium or above, high) at which the model names a
        level."""
        self.thresholds = thresholds

    def in_cascade(self) -> LearnedModel:
        """The model as it runs with a context check after it: with the ``cascade``
        thresholds (lower, for recall: the check takes back what they add in false alarms)
        and that veto (none: the check judges "is this nothing?" in context, where the veto
        reads a bag of words). Shares this model's tables and caches. Without cascade
        settings, the model itself."""
        if self.cascade is None:
            return self
        twin = copy.copy(self)
        twin.set_thresholds(self.cascade[0])
        twin.veto = self.cascade[1]
        twin.min_risk = self.cascade[2]
        twin.cascade = None
        return twin

    # --- pieces ----------------------------------------------------------------------------
    def pieces(self, word: str) -> tuple[int, ...]:
        """The vocabulary pieces of one word (see ``split_pieces``)."""
        return split_pieces(word, self._piece_ids, self._unknown)

    def _chunk(self, chunk: str) -> tuple[int, float, float, float]:
        """(number of pieces, summed contribution of its pieces to each level head) of one
        chunk, cached."""
        rows = [self._level_rows[i] for word in chunk_words(chunk) for i in self.pieces(word)]
        entry = (len(rows), sum(r[0] for r in rows), sum(r[1] for r in rows), sum(r[2] for r in rows))
        if len(self._chunks) >= CHUNK_CACHE_LIMIT:
            self._chunks.clear()
        self._chunks[chunk] = entry
        return entry

    # --- scoring ---------------------------------------------------------------------------
    def score(self, text: str, chunks: list[str] | None = None, masked: frozenset[int] = frozenset()) -> LearnedScore:
        """Score the author's own words of ``text``. Pure; never raises for any ``str``.

        ``chunks`` may pass ``own_chunks(text)`` when the caller has it already (the engine's
        normaliser splits the same way), to save splitting the text twice. The chunks
        numbered in ``masked`` count for nothing (the engine masks idioms the rules know)."""
        if chunks is None:
            chunks = own_chunks(text)
        cached = self._chunks
        miss = self._chunk
        entries = [cached.get(c) or miss(c) for c in chunks]
        if not entries:
            return NOTHING
        for index in masked:
            entries[index] = _MASKED
        sizes, c0, c1, c2 = zip(*entries, strict=True)
        counts = [0, *accumulate(sizes)]
        windows = [(0, len(entries))] if counts[-1] <= WHOLE_LIMIT else _windows(counts)
        # Cumulative contributions per head, so that each window costs three subtractions.
        h0, h1, h2 = [0.0, *accumulate(c0)], [0.0, *accumulate(c1)], [0.0, *accumulate(c2)]
        b0, b1, b2 = self._level_bias
        low_cut, medium_cut, high_cut = self.thresholds
        min_risk = self.min_risk
        best = (0, -math.inf)  # (level rank, its probability; for "none", the any-risk logit)
        best_window = (0, len(entries))
        for first, last in windows:
            size = counts[last] - counts[first]
            if not size:
                continue
            # Continuation ratios: P(low+) = s(z1), P(medium+) = P(low+) s(z2),
            # P(high) = P(medium+) s(z3); each head was trained among the posts the one
            # before it lets through, so the levels nest by construction.
            z1 = b0 + (h0[last] - h0[first]) / size
            low = _sigmoid(z1)
            medium = low * _sigmoid(b1 + (h1[last] - h1[first]) / size)
            high = medium * _sigmoid(b2 + (h2[last] - h2[first]) / size)
            if high >= high_cut and low >= min_risk:
                key = (3, high)
            elif medium >= medium_cut and low >= min_risk:
                key = (2, medium)
            elif low >= low_cut:
                key = (1, low)
            else:
                key = (0, z1)
            if key > best:
                best, best_window = key, (first, last)
        rank = best[0]
        first, last = best_window
        size = counts[last] - counts[first] or 1
        low = _sigmoid(b0 + (h0[last] - h0[first]) / size)
        medium = low * _sigmoid(b1 + (h1[last] - h1[first]) / size)
        probabilities = (low, medium, medium * _sigmoid(b2 + (h2[last] - h2[first]) / size))
        if rank <= 0:
            return LearnedScore("none", (), probabilities, 0, 0)
        first, last = best_window
        start, end = _span(text, chunks, first, last)
        return LearnedScore(LEVELS[rank], self._categories(chunks[first:last]), probabilities, start, end)

    def _categories(self, chunks: list[str]) -> tuple[str, ...]:
        """The categories the model names for a window (at least one: the likeliest)."""
        cached = self._chunk_categories
        entries = [cached.get(c) or self._chunk_category(c) for c in chunks]
        size = sum(e[0] for e in entries)
        if not size:
            return (CATEGORIES[0],)
        sums = [sum(e[k] for e in entries) for k in range(1, len(CATEGORIES) + 1)]
        probabilities = [_sigmoid(b + total / size) for b, total in zip(self._category_bias, sums, strict=True)]
        chosen = tuple(c for c, p in zip(CATEGORIES, probabilities, strict=True) if p >= self.category_threshold)
        if not chosen:
            chosen = (CATEGORIES[max(range(len(CATEGORIES)), key=probabilities.__getitem__)],)
        return chosen

    def _chunk_category(self, chunk: str) -> tuple[float, ...]:
        rows = [self._category_rows[i] for word in chunk_words(chunk) for i in self.pieces(word)]
        entry = (len(rows), *(sum(r[k] for r in rows) for k in range(len(CATEGORIES))))
        if len(self._chunk_categories) >= CHUNK_CACHE_LIMIT:
            self._chunk_categories.clear()
        self._chunk_categories[chunk] = entry
        return entry

    # --- loading ---------------------------------------------------------------------------
    @classmethod
    def load(cls, directory: Path) -> LearnedModel:
        """Read ``model.json``, ``pieces.txt`` and ``weights.bin`` from ``directory``."""
        meta = json.loads((directory / "model.json").read_text(encoding="utf-8"))
        pieces = (directory / "pieces.txt").read_text(encoding="utf-8").split("\n")
        if pieces and pieces[-1] == "":
            pieces.pop()
        weights = array("f")
        weights.frombytes((directory / "weights.bin").read_bytes())
        heads = 3 + len(CATEGORIES)
        if len(weights) != heads * len(pieces):
            raise ValueError(f"{directory}: weights.bin does not match pieces.txt")
        level_rows = [tuple(weights[i * heads : i * heads + 3]) for i in range(len(pieces))]
        category_rows = [tuple(weights[i * heads + 3 : (i + 1) * heads]) for i in range(len(pieces))]
        return cls(
            version=meta["version"],
            pieces=pieces,
            level_rows=level_rows,  # type: ignore[arg-type]
            category_rows=category_rows,
            level_bias=tuple(meta["level_bias"]),  # type: ignore[arg-type]
            category_bias=tuple(meta["category_bias"]),
            thresholds=tuple(meta["thresholds"]),  # type: ignore[arg-type]
            veto=float(meta["veto"]),
            category_threshold=float(meta["category_threshold"]),
            cascade=(
                (  # type: ignore[arg-type]
                    tuple(meta["cascade"]["thresholds"]),
                    float(meta["cascade"]["veto"]),
                    float(meta["cascade"].get("min_risk", 0.0)),
                )
                if "cascade" in meta
                else None
            ),
        )


def split_pieces(word: str, piece_ids: dict[str, int], unknown: int) -> tuple[int, ...]:
    """WordPiece: the longest vocabulary prefix, then ``##`` continuations; a word that cannot
    be split is one unknown piece. Training and scoring both use this function."""
    if len(word) > MAX_WORD:
        return (unknown,)
    out: list[int] = []
    start = 0
    while start < len(word):
        end = len(word)
        found = None
        while start < end:
            found = piece_ids.get(word[start:end] if start == 0 else "##" + word[start:end])
            if found is not None:
                break
            end -= 1
        if found is None:
            return (unknown,)
        out.append(found)
        start = end
    return tuple(out)


def text_pieces(text: str, piece_ids: dict[str, int], unknown: int, masked: frozenset[int] = frozenset()) -> list[int]:
    """All pieces of the author's own words in ``text``, in order, leaving out the chunks
    numbered in ``masked`` (what training reads)."""
    return [
        piece
        for index, chunk in enumerate(own_chunks(text))
        if index not in masked
        for word in chunk_words(chunk)
        for piece in split_pieces(word, piece_ids, unknown)
    ]


def _windows(counts: list[int]) -> list[tuple[int, int]]:
    """Word ranges of about ``WINDOW`` pieces, each starting about half a window after the
    one before, the last reaching the end. ``counts`` are cumulative pieces per word
    (``counts[i]`` pieces before word ``i``)."""
    words = len(counts) - 1
    windows = []
    first = 0
    while True:
        last = min(words, max(first + 1, bisect_left(counts, counts[first] + WINDOW)))
        windows.append((first, last))
        if last >= words:
            return windows
        first = max(first + 1, bisect_left(counts, counts[first] + WINDOW // 2))


@cache
def default_model() -> LearnedModel | None:
    """The shipped model, loaded once per process (``None`` when its files are absent)."""
    if not (MODEL_DIR / "model.json").exists():
        return None
    return LearnedModel.load(MODEL_DIR)
