"""Quality floors on the labelled set, and the issue's floors on the held-out sets.

``screening_heldout.jsonl`` (the second held-out set) was written and labelled before the
engine was run on it and is never tuned on; where it misses a floor, the test says so with a
strict xfail giving the measured value (docs/screening.md gives the figures), so the day a
fix lifts it over the floor the suite asks for the xfail to go. ``screening_heldout_v1.jsonl``
was seen once, its misses named the gap classes that the v1 tuning addressed: it is no longer
unseen, so passing it proves less, but it must not fall back. ``screening_heldout_v3.jsonl``
was written blind and run once (recall high 0.59, medium+ 0.61); its posts have since been
merged into the labelled set (ids H3-…), so it is a seen set that must not fall back either.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from moderation.screening.baseline import NaiveList
from moderation.screening.defaults import default_rule_specs
from moderation.screening.evaluation import evaluate, load_labelled

from .helpers import run

DATA = Path(__file__).resolve().parent.parent / "data"


def hearth(text: str) -> tuple[str, list[str]]:
    r = run(text)
    return r.level, r.categories


@pytest.fixture(scope="module")
def labelled():
    return load_labelled(DATA / "screening_labelled.jsonl")


@pytest.fixture(scope="module")
def labelled_report(labelled):
    return evaluate(labelled, hearth)


@pytest.fixture(scope="module")
def heldout_report():
    return evaluate(load_labelled(DATA / "screening_heldout.jsonl"), hearth)


@pytest.fixture(scope="module")
def heldout_v1_report():
    return evaluate(load_labelled(DATA / "screening_heldout_v1.jsonl"), hearth)


def test_labelled_set_is_as_the_issue_asks(labelled):
    risky = [r for r in labelled if r.level != "none" and not r.hard_negative]
    naive = NaiveList(default_rule_specs())
    assert len(labelled) >= 300
    assert sum(r.coded for r in risky) * 3 >= len(risky)
    assert sum(naive.flags(r.text) for r in labelled if r.hard_negative) >= 100
    for category in ("suicide", "self_harm", "eating_disorder", "substance", "abuse_harassment"):
        levels = {r.level for r in labelled if category in r.categories}
        assert {"low", "medium", "high"} <= levels, category


@pytest.mark.parametrize(
    ("level", "precision", "recall"),
    [("low", 0.85, 0.90), ("medium", 0.90, 0.90), ("high", 0.90, 0.95)],
)
def test_labelled_set_per_level_floors(labelled_report, level, precision, recall):
    got = labelled_report.per_level[level]
    assert got.precision >= precision and got.recall >= recall, got


def test_labelled_set_meets_the_issue_floors(labelled_report):
    assert labelled_report.high.recall >= 0.95
    assert labelled_report.medium_or_above.recall >= 0.90
    assert labelled_report.hard_negative_false_alarm <= 0.10


def test_hearth_beats_the_naive_list_on_every_headline_figure(labelled):
    naive = NaiveList(default_rule_specs())
    ours = evaluate(labelled, hearth)
    theirs = evaluate(labelled, lambda t: (naive.screen(t).level, naive.screen(t).categories))
    assert ours.high.recall > theirs.high.recall
    assert ours.medium_or_above.recall > theirs.medium_or_above.recall
    assert ours.hard_negative_false_alarm < theirs.hard_negative_false_alarm


def test_heldout_v1_seen_once_meets_the_floors(heldout_v1_report):
    assert heldout_v1_report.high.recall >= 0.95
    assert heldout_v1_report.medium_or_above.recall >= 0.90
    assert heldout_v1_report.hard_negative_false_alarm <= 0.10


def test_heldout_set_is_as_the_issue_asks():
    rows = load_labelled(DATA / "screening_heldout.jsonl")
    risky = [r for r in rows if r.level != "none"]
    assert len(rows) >= 100
    assert sum(r.coded for r in risky) * 3 >= len(risky)
    assert sum(r.hard_negative for r in rows) >= 30
    for category in ("suicide", "self_harm", "eating_disorder", "substance", "abuse_harassment"):
        assert {r.level for r in rows if category in r.categories} == {"low", "medium", "high"}


def test_heldout_false_alarms(heldout_report):
    assert heldout_report.hard_negative_false_alarm <= 0.10


@pytest.mark.xfail(
    strict=True,
    reason="held-out (v2) recall on medium or above is 0.83 (floor 0.90; 0.62 on its blind "
    "run): since seen, its gap classes were tuned for on the labelled set only; see "
    "docs/screening.md",
)
def test_heldout_medium_or_above_recall_floor(heldout_report):
    assert heldout_report.medium_or_above.recall >= 0.90


@pytest.mark.xfail(
    strict=True,
    reason="held-out (v2) recall on high is 0.86 (floor 0.95; 0.50 on its blind run): since "
    "seen, its gap classes were tuned for on the labelled set only; see docs/screening.md",
)
def test_heldout_high_recall_floor(heldout_report):
    assert heldout_report.high.recall >= 0.95


def test_labelled_set_meets_the_round_four_targets(labelled_report):
    assert labelled_report.high.recall >= 0.97
    assert labelled_report.medium_or_above.recall >= 0.95
    assert labelled_report.hard_negative_false_alarm <= 0.05


def test_heldout_v3_seen_meets_the_floors():
    report = evaluate(load_labelled(DATA / "screening_heldout_v3.jsonl"), hearth)
    assert report.high.recall >= 0.95
    assert report.medium_or_above.recall >= 0.90
    assert report.hard_negative_false_alarm <= 0.10


def test_heldout_v3_posts_are_in_the_labelled_set(labelled):
    by_id = {r.id: r for r in labelled}
    for row in load_labelled(DATA / "screening_heldout_v3.jsonl"):
        assert by_id[row.id] == row


# v4 was written by someone who never saw the engine and run once (docs/screening.md,
# "Held-out v4"). Its blind figures are the evidence that matters; these strict xfails hold
# the floors the engine does not yet meet, the false-alarm ceiling included.
@pytest.fixture(scope="module")
def heldout_v4_report():
    return evaluate(load_labelled(DATA / "screening_heldout_v4.jsonl"), hearth)


@pytest.mark.xfail(strict=True, reason="blind held-out v4: false alarms 5 of 49 hard negatives = 0.102 (ceiling 0.10)")
def test_heldout_v4_false_alarm_ceiling(heldout_v4_report):
    assert heldout_v4_report.hard_negative_false_alarm <= 0.10


@pytest.mark.xfail(strict=True, reason="blind held-out v4: recall on high 0.47 (floor 0.95); see docs/screening.md")
def test_heldout_v4_high_recall_floor(heldout_v4_report):
    assert heldout_v4_report.high.recall >= 0.95


@pytest.mark.xfail(strict=True, reason="blind held-out v4: recall on medium or above 0.64 (floor 0.90)")
def test_heldout_v4_medium_or_above_recall_floor(heldout_v4_report):
    assert heldout_v4_report.medium_or_above.recall >= 0.90
