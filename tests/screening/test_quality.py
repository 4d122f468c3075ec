"""Quality floors: the issue's floors on every set, as the site screens (rules, learned
model and context check), and the rules alone on the sets they were tuned on.

Which sets prove what (docs/screening.md, "Quality"):

- ``screening_labelled.jsonl`` and held-out v1–v4 were tuned on or trained on: passing them
  proves little, but they must not fall back.
- v5 to v9 were written blind and run once each with an earlier two-stage engine (recall
  high 0.97 / 0.97 / 0.96 / 1.00 / 0.98, medium+ 0.94 / 0.93 / 0.94 / 0.93 / 0.92, false
  alarms 0.08 / 0.13 / 0.13 / 0.03 / 0.12); they have since been trained on, so they are
  seen sets too.
- ``screening_heldout_v10.jsonl`` was written blind after that and run once with the engine
  shipped now (rules, learned model, context check): the set that counts. Where it misses
  a floor, a strict xfail holds the measured value, so the day a change lifts it the suite
  asks for the xfail to go.
- ``screening_training_*.jsonl`` only train the model.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from moderation.screening.baseline import NaiveList
from moderation.screening.defaults import default_rule_specs
from moderation.screening.evaluation import evaluate, load_labelled

from .helpers import run, run_product

DATA = Path(__file__).resolve().parent.parent / "data"
SEEN_HELDOUT = (
    "screening_heldout_v1",
    "screening_heldout",
    "screening_heldout_v3",
    "screening_heldout_v4",
    "screening_heldout_v5",
    "screening_heldout_v6",
    "screening_heldout_v7",
    "screening_heldout_v8",
    "screening_heldout_v9",
)
BLIND = "screening_heldout_v10"
#: The figures are the whole engine's: without the context check's weights (``make models``)
#: they are not what the site screens with, so those tests wait for them (never under CI).
NEEDS_CHECK = pytest.mark.context_check


def hearth(text: str) -> tuple[str, list[str]]:
    r = run_product(text)
    return r.level, r.categories


def rules_alone(text: str) -> tuple[str, list[str]]:
    r = run(text)
    return r.level, r.categories


def meets_floors(report) -> bool:
    return (
        report.high.recall >= 0.95
        and report.medium_or_above.recall >= 0.90
        and report.hard_negative_false_alarm <= 0.10
    )


@pytest.fixture(scope="module")
def labelled():
    return load_labelled(DATA / "screening_labelled.jsonl")


@pytest.fixture(scope="module")
def labelled_report(labelled):
    return evaluate(labelled, hearth)


def test_labelled_set_is_as_the_issue_asks(labelled):
    risky = [r for r in labelled if r.level != "none" and not r.hard_negative]
    naive = NaiveList(default_rule_specs())
    assert len(labelled) >= 300
    assert sum(r.coded for r in risky) * 3 >= len(risky)
    assert sum(naive.flags(r.text) for r in labelled if r.hard_negative) >= 100
    for category in ("suicide", "self_harm", "eating_disorder", "substance", "abuse_harassment"):
        levels = {r.level for r in labelled if category in r.categories}
        assert {"low", "medium", "high"} <= levels, category


# Exact-level floors on the set the rules were tuned on (the rules alone score about 0.99
# here). The learned stage raises posts the rules rated lower (a model's medium beside a
# timeframe is a plan), and with the context check after it, it runs at lower thresholds
# for recall on unseen text (cross-validated recall on medium or above 0.89 -> 0.94, false
# alarms 0.072 -> 0.055; docs/screening.md). On this set that costs exact-level precision:
# measured low 0.80, medium 0.95 / recall 0.89, high 0.84 / recall 1.00; the floors sit
# just under, so that a fall shows.
@NEEDS_CHECK
@pytest.mark.parametrize(
    ("level", "precision", "recall"),
    [("low", 0.78, 0.90), ("medium", 0.90, 0.87), ("high", 0.82, 0.95)],
)
def test_labelled_set_per_level_floors(labelled_report, level, precision, recall):
    got = labelled_report.per_level[level]
    assert got.precision >= precision and got.recall >= recall, got


@NEEDS_CHECK
def test_labelled_set_meets_the_issue_floors(labelled_report):
    assert meets_floors(labelled_report)


def test_the_rules_alone_keep_their_tuned_figures(labelled):
    report = evaluate(labelled, rules_alone)
    assert report.high.recall >= 0.97
    assert report.medium_or_above.recall >= 0.95
    assert report.hard_negative_false_alarm <= 0.05


@NEEDS_CHECK
def test_hearth_beats_the_naive_list_on_every_headline_figure(labelled):
    naive = NaiveList(default_rule_specs())
    ours = evaluate(labelled, hearth)
    theirs = evaluate(labelled, lambda t: (naive.screen(t).level, naive.screen(t).categories))
    assert ours.high.recall > theirs.high.recall
    assert ours.medium_or_above.recall > theirs.medium_or_above.recall
    assert ours.hard_negative_false_alarm < theirs.hard_negative_false_alarm


@NEEDS_CHECK
@pytest.mark.parametrize("name", SEEN_HELDOUT)
def test_seen_heldout_sets_meet_the_floors(name):
    assert meets_floors(evaluate(load_labelled(DATA / f"{name}.jsonl"), hearth)), name


def test_heldout_v3_posts_are_in_the_labelled_set(labelled):
    by_id = {r.id: r for r in labelled}
    for row in load_labelled(DATA / "screening_heldout_v3.jsonl"):
        assert by_id[row.id] == row


# --- the sets themselves ------------------------------------------------------------------
def _texts(pattern: str) -> set[str]:
    return {json.loads(line)["text"] for f in DATA.glob(pattern) for line in f.open() if line.strip()}


def test_no_blind_post_was_trained_on():
    """The blind set shares no text with anything the model or the rules learned from."""
    blind = _texts(f"{BLIND}.jsonl")
    assert len(blind) >= 80
    trained = _texts("screening_training_*.jsonl") | _texts("screening_labelled.jsonl")
    for name in SEEN_HELDOUT:
        trained |= _texts(f"{name}.jsonl")
    assert not blind & trained


def test_every_set_is_well_formed_with_unique_ids():
    seen: set[str] = set()
    for path in sorted(DATA.glob("screening_*.jsonl")):
        rows = load_labelled(path)
        ids = [r.id for r in rows]
        assert len(ids) == len(set(ids)), path.name
        if path.name != "screening_heldout_v3.jsonl":  # v3 is also inside the labelled set
            assert not seen & set(ids), path.name
            seen |= set(ids)
        for r in rows:
            assert r.level in ("none", "low", "medium", "high")
            assert r.level == "none" or r.categories or r.level == "low", r.id


def test_heldout_sets_are_as_the_issue_asks():
    # (v1 predates the coded-share rule for held-out sets: 17 of its 62 risky posts are coded.)
    for name in (
        "screening_heldout",
        "screening_heldout_v5",
        "screening_heldout_v6",
        "screening_heldout_v7",
        "screening_heldout_v8",
        "screening_heldout_v9",
        BLIND,
    ):
        rows = load_labelled(DATA / f"{name}.jsonl")
        risky = [r for r in rows if r.level != "none"]
        assert len(rows) >= 80, name
        assert sum(r.coded for r in risky) * 3 >= len(risky), name


# --- the blind set: the figures that count --------------------------------------------------
@pytest.fixture(scope="module")
def blind_report():
    return evaluate(load_labelled(DATA / f"{BLIND}.jsonl"), hearth)


@NEEDS_CHECK
def test_blind_heldout_high_recall_floor(blind_report):
    assert blind_report.high.recall >= 0.95


@NEEDS_CHECK
def test_blind_heldout_medium_or_above_recall_floor(blind_report):
    assert blind_report.medium_or_above.recall >= 0.90


@NEEDS_CHECK
def test_blind_heldout_false_alarm_ceiling(blind_report):
    assert blind_report.hard_negative_false_alarm <= 0.10


# --- short replies: most of what members post in a thread -----------------------------------
SHORT_KIND_REPLIES = [
    "you are not alone",
    "you're not alone in this 💛",
    "sending love, you are not alone",
    "hugs. you are not alone in this",
    "> i want to die\nyou're not alone, we're here",
    "proud of you!",
    "we're here for you, always",
    "thank you for telling us",
    "I hear you",
    "here if you want to talk x",
]
SHORT_RISKY_REPLIES = [
    "same. i want to die too",
    "not alone, just done. goodbye everyone",
    "@pebble go kys",
]


@NEEDS_CHECK
@pytest.mark.parametrize("text", SHORT_KIND_REPLIES)
def test_a_short_kind_reply_is_not_sent_to_moderators(text):
    assert run_product(text).level in ("none", "low"), text


@NEEDS_CHECK
@pytest.mark.parametrize("text", SHORT_RISKY_REPLIES)
def test_a_short_risky_reply_is(text):
    assert run_product(text).level in ("medium", "high"), text
