"""assess: the confident band and the flags routing acts on, with the shipped engine."""

from __future__ import annotations

import pytest

from moderation.screening.assessment import (
    CONFIDENT,
    HOSTILITY_AT_MEMBER,
    SOMEONE_ELSE_AT_RISK,
    TENTATIVE,
    assess,
)
from moderation.screening.defaults import default_ruleset
from moderation.screening.engine import screen


@pytest.fixture(autouse=True, scope="module")
def _forget_the_compiled_defaults():
    """The compiled default rule set is cached per process with the context check it loaded;
    leave no copy behind for the tests that load the check afresh."""
    yield
    default_ruleset.cache_clear()


def run(text: str):
    ruleset = default_ruleset()
    return assess(text, screen(text, ruleset), ruleset)


def test_a_plan_both_stages_agree_on_is_confident():
    a = run("I've decided. I'm going to kill myself tonight, I have the pills saved up.")
    assert a.level == "high"
    assert a.band == CONFIDENT
    assert "rules:plan" in a.why and "same_passage" in a.why
    assert a.stages[:2] == ("rules", "learned")


def test_a_high_only_the_learned_model_sees_is_tentative():
    a = run("i keep thinking everyone would be better off without me and i've started giving my things away")
    if a.level == "high":  # the model's own call; when it is high it must not be confident alone
        assert a.band == TENTATIVE


def test_not_high_has_no_band():
    a = run("Had a lovely walk by the river today.")
    assert (a.level, a.band, a.why) == ("none", "", ())


def test_someone_elses_imminent_risk_is_flagged():
    a = run("My sister told me she wants to kill herself tonight and I don't know what to do")
    assert SOMEONE_ELSE_AT_RISK in a.flags


def test_hostility_aimed_at_a_member_is_flagged_but_self_talk_is_not():
    assert HOSTILITY_AT_MEMBER in run("Nobody cares about your posts, you pathetic attention seeker").flags
    assert HOSTILITY_AT_MEMBER not in run("I felt so stupid at work today").flags


def test_bad_input_never_raises():
    for text in ("", "🙂" * 5000, "a" * 100_000, "\x00\u202e" * 100):
        a = run(text)
        assert a.level in ("none", "low", "medium", "high")
