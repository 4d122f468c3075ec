"""Measuring screening quality on a labelled JSON-lines file.

Each line: ``{"id", "text", "level", "categories", "coded", "hard_negative"}``. The same
functions serve ``bench/screening_quality.py`` (which prints the figures for
``docs/screening.md``) and the tests that hold the engine to its floors.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .types import LEVEL_RANK

RATED_LEVELS = ("low", "medium", "high")


@dataclass(frozen=True, slots=True)
class Labelled:
    id: str
    text: str
    level: str
    categories: tuple[str, ...]
    coded: bool
    hard_negative: bool


def load_labelled(path: str | Path) -> list[Labelled]:
    rows = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                d = json.loads(line)
                rows.append(
                    Labelled(
                        d["id"],
                        d["text"],
                        d["level"],
                        tuple(d["categories"]),
                        bool(d.get("coded")),
                        bool(d.get("hard_negative")),
                    )
                )
    return rows


@dataclass(frozen=True, slots=True)
class PRF:
    precision: float
    recall: float
    f1: float
    support: int


def _prf(tp: int, predicted: int, actual: int) -> PRF:
    precision = tp / predicted if predicted else 1.0
    recall = tp / actual if actual else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PRF(precision, recall, f1, actual)


@dataclass(frozen=True, slots=True)
class Report:
    per_level: dict[str, PRF]  # exact level
    high: PRF  # predicted high vs labelled high
    medium_or_above: PRF  # predicted >= medium vs labelled >= medium
    any_risk: PRF  # predicted >= low vs labelled >= low
    hard_negative_false_alarm: float  # share of hard negatives predicted >= medium
    hard_negatives: int
    coded_recall: float  # share of coded risky posts predicted at >= their level's floor
    category_recall: float  # share of risky posts whose labelled categories were all found
    mistakes: list[dict[str, Any]]


def evaluate(rows: Iterable[Labelled], predict: Callable[[str], tuple[str, list[str]]]) -> Report:
    """Score ``predict(text) -> (level, categories)`` against labelled rows."""
    rows = list(rows)
    preds = [predict(r.text) for r in rows]
    per_level = {}
    for level in RATED_LEVELS:
        tp = sum(1 for r, (p, _) in zip(rows, preds, strict=True) if r.level == level == p)
        per_level[level] = _prf(tp, sum(1 for p, _ in preds if p == level), sum(1 for r in rows if r.level == level))

    def at_least(floor: str) -> PRF:
        rank = LEVEL_RANK[floor]
        pairs = list(zip(rows, preds, strict=True))
        tp = sum(1 for r, (p, _) in pairs if LEVEL_RANK[r.level] >= rank and LEVEL_RANK[p] >= rank)
        return _prf(
            tp,
            sum(1 for _, (p, _) in pairs if LEVEL_RANK[p] >= rank),
            sum(1 for r in rows if LEVEL_RANK[r.level] >= rank),
        )

    hard = [(r, p) for r, (p, _) in zip(rows, preds, strict=True) if r.hard_negative]
    false_alarms = sum(1 for _, p in hard if LEVEL_RANK[p] >= LEVEL_RANK["medium"])
    coded = [(r, p) for r, (p, _) in zip(rows, preds, strict=True) if r.coded]
    coded_ok = sum(1 for r, p in coded if LEVEL_RANK[p] >= LEVEL_RANK[r.level])
    risky = [(r, c) for r, (_, c) in zip(rows, preds, strict=True) if r.level != "none"]
    cats_ok = sum(1 for r, c in risky if set(r.categories) <= set(c))
    mistakes = [
        {"id": r.id, "text": r.text, "label": r.level, "predicted": p, "categories": c}
        for r, (p, c) in zip(rows, preds, strict=True)
        if p != r.level
    ]
    return Report(
        per_level=per_level,
        high=at_least("high"),
        medium_or_above=at_least("medium"),
        any_risk=at_least("low"),
        hard_negative_false_alarm=false_alarms / len(hard) if hard else 0.0,
        hard_negatives=len(hard),
        coded_recall=coded_ok / len(coded) if coded else 1.0,
        category_recall=cats_ok / len(risky) if risky else 1.0,
        mistakes=mistakes,
    )
