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


@pytest.mark.parametrize(
    "text",
    [
        # The commit-to-queue benchmark's reply: rated low with no flag, so no item opened.
        "My brother told me he has a plan for tonight and I don't know what to do",
        "My dad told me he has a plan and I'm scared",
        "my friend said she wants to die and she has pills",
        "My sister told me she wants to die",
        "my partner said he's going to kill himself",
        "My mum's been saving her tablets, she says it's just in case",
        "my flatmate has been stockpiling her meds and I found a note",
        "my son is going to end it tonight, he told his sister",
        "My boyfriend texted me that he wants to end it and now he won't answer",
    ],
)
def test_someone_elses_plan_means_or_words_are_flagged(text):
    a = run(text)
    assert SOMEONE_ELSE_AT_RISK in a.flags, (a.level, a.result.matches)
    assert a.level != "high" or any(m.rule == "learned" for m in a.result.matches)


@pytest.mark.parametrize(
    "text",
    [
        "my brother's plan for tonight is pizza",
        "My brother has a plan for tonight: pizza and a film",
        "My sister told me she has a plan for her birthday tonight",
        "my friend said she wants to die of embarrassment",
        "my mum said she'd kill me if I was late again",
        "He told me to kill myself",
        "My sister said she is going to end it with her boyfriend tonight",
        "My grandma has pills for her blood pressure every night",
        "my dad said he's dying to see the new film",
        "my friend used to self harm years ago, she's doing really well now",
    ],
)
def test_ordinary_talk_about_others_is_not_flagged(text):
    assert SOMEONE_ELSE_AT_RISK not in run(text).flags


def test_a_greeting_checking_in_is_not_risk():
    """The learned model heard "tonight" and "checking in" (which it knew from pro-ana
    check-in groups) and rated this high; the greeting is now an idiom the rules know."""
    for text in ("How is everyone tonight? Checking in.", "Checking in.", "How's everyone doing today?"):
        assert run(text).level == "none", text
    assert run("just checking in one last time. goodbye everyone").level == "high"
    assert run("How is everyone tonight? I took all my pills an hour ago").level == "high"


def test_hostility_aimed_at_a_member_is_flagged_but_self_talk_is_not():
    assert HOSTILITY_AT_MEMBER in run("Nobody cares about your posts, you pathetic attention seeker").flags
    assert HOSTILITY_AT_MEMBER not in run("I felt so stupid at work today").flags


def test_bad_input_never_raises():
    for text in ("", "🙂" * 5000, "a" * 100_000, "\x00\u202e" * 100):
        a = run(text)
        assert a.level in ("none", "low", "medium", "high")
