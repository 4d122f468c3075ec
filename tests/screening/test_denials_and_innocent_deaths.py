"""Mistakes the second long set showed (now seen): a denial of self-harm thoughts held, and
innocent deaths (a video game, a patient, a sugar-high party) raised to urgent. Each is an
idiom the rules know; the risky variant beside each stays risky."""

from __future__ import annotations

import pytest

from moderation.screening.assessment import SOMEONE_ELSE_AT_RISK, assess
from moderation.screening.defaults import default_ruleset
from moderation.screening.engine import screen
from moderation.screening.routing import HOLD, HOLD_CONFIDENT, URGENT, route_decide

MEDIUM_OR_ABOVE = ("medium", "high")


@pytest.fixture(autouse=True, scope="module")
def _forget_the_compiled_defaults():
    yield
    default_ruleset.cache_clear()


def run(text: str):
    ruleset = default_ruleset()
    a = assess(text, screen(text, ruleset), ruleset)
    return a, route_decide(a, policy=HOLD_CONFIDENT).route


def rules_alone(text: str):
    return screen(text, default_ruleset(learned=False))


DENIALS = [
    "I'm not having any thoughts of harming myself.",
    "No thoughts of suicide.",
    "I'm not suicidal.",
    "I would never hurt myself.",
    "I'm safe, no plans to harm myself.",
    "I haven't had any urges to hurt myself.",
    "I don't have any suicidal thoughts.",
    "Work has been hectic and my sleep is a mess. I'm not having any thoughts of harming myself, "
    "I just feel flat. Any tips for getting back into a routine?",
    "My GP asked the usual questions. No thoughts of suicide, no self-harm, just low mood and poor "
    "sleep. She suggested CBT and a walk every day.",
    "For about a month I've been waking at 4am with dread. I've snapped at a colleague twice this "
    "week. I'm not having any thoughts of harming myself and I'm not depressed as far as I can tell.",
]


@pytest.mark.parametrize("text", DENIALS)
def test_a_denial_of_self_harm_or_suicidal_thoughts_is_not_risk(text):
    a, route = run(text)
    assert a.level not in MEDIUM_OR_ABOVE, a.result.matches
    assert route != HOLD
    assert rules_alone(text).level == "none"


RISKY = [
    # Risk said with a "not".
    "I'm not sure I want to be alive.",
    "I'm not going to be here tomorrow.",
    "I can't not think about killing myself.",
    "I'm not afraid to die anymore.",
    "I'm not having thoughts of harming myself anymore, I'm having plans. Tonight.",
    "There's no reason not to kill myself tonight.",
    # The risky variants of the idioms below.
    "I've died inside.",
    "I want to die in real life, not in the game.",
    "I keep dying inside and I want to kill myself.",
    "I've died a hundred times in this game but I want to die for real tonight.",
    "I'm not letting myself die, I keep telling myself that, but I have the rope ready tonight.",
]


@pytest.mark.parametrize("text", RISKY)
def test_risk_said_with_a_not_or_beside_an_idiom_stays_risky(text):
    a, _ = run(text)
    assert a.level in MEDIUM_OR_ABOVE, a.result.matches


def test_a_denial_of_suicide_beside_self_harm_is_no_idiom():
    """It denies only suicide: the model still reads it beside "I've started hurting myself"."""
    text = "I've started hurting myself again, a few times a week. I'm not suicidal, it's a pressure valve."
    result = rules_alone(text)
    assert result.level == "medium"
    assert not any("idiom:suicide.exception.im_not_suicidal" in m.context for m in result.discounted)


def test_a_denial_hides_no_risk_said_after_it():
    a, route = run("I'm not suicidal, but I've decided I'm going to kill myself tonight, the pills are ready.")
    assert a.level == "high" and route in (HOLD, URGENT)


INNOCENT = [
    # Video games: deaths counted, a boss that kills in one hit, a controller thrown in a huff.
    "Stuck on the same boss for four days. I've died probably 130 times and her flower attack "
    "kills me in one hit. I'm ready to throw the controller out the window. Any tips?",
    "I keep dying to the same boss in the second phase, I've been killed 40 times this weekend.",
    # Care work: a patient who lived, patients who die.
    "I'm a nurse. Her great-granddaughter brought a card that said 'thank you for not letting "
    "Nanny die'. Half the ward was in tears this week.",
    "Working in a hospice you get used to patients dying, but this week one really got to me.",
    # A children's party.
    "Twenty-two children on a massive sugar overdose by 3pm on Saturday. I'm on the sofa now.",
    # A worry about someone else's death with a time nearby is no risk of theirs.
    "I lie awake at 4am running through every disaster: losing my job, my parents dying, the boiler.",
    "My partner does a commentary from the sofa, 'and he's dead again, folks', every time this weekend.",
]


@pytest.mark.parametrize("text", INNOCENT)
def test_innocent_deaths_are_not_risk_nor_someone_else_at_risk(text):
    a, route = run(text)
    assert a.level not in MEDIUM_OR_ABOVE, a.result.matches
    assert SOMEONE_ELSE_AT_RISK not in a.flags
    assert route not in (HOLD, URGENT)


def test_someone_elses_risk_near_a_time_is_still_flagged():
    a, _ = run("My friend said she wants to die and she has been saving pills for this weekend.")
    assert SOMEONE_ELSE_AT_RISK in a.flags


def test_a_threat_at_someone_keeps_the_flag():
    """The mild word in a threat ("you're dead tomorrow") still flags the member threatened."""
    a, route = run("you're dead tomorrow, watch yourself")
    assert SOMEONE_ELSE_AT_RISK in a.flags and route in (HOLD, URGENT)
