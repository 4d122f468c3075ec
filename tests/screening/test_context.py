"""Each context rule: what lowers a hit, what does not, and that lowering never hides."""

from __future__ import annotations

import pytest

from .helpers import run


def level(text: str) -> str:
    return run(text).level


def reasons(text: str) -> set[str]:
    result = run(text)
    return {r for m in result.matches + result.discounted for r in m.context}


@pytest.mark.parametrize(
    "text",
    [
        "I'm not suicidal anymore",
        # ("I would never kill myself" and a plain "I'm not suicidal" are idioms the rules know:
        # test_denials_and_innocent_deaths.py.)
        "I'm never going to kill myself",
        "I'm not going to kill myself, I just feel empty",
        "I don't want to die, I want the pain to stop",
    ],
)
def test_negation_lowers_a_serious_hit_to_low(text):
    assert level(text) == "low"
    assert "negation" in reasons(text)


def test_negation_of_a_mild_word_leaves_no_risk():
    assert level("I'm not drunk, just tired") == "none"


@pytest.mark.parametrize(
    "text",
    [
        "I'm not ok I want to die",  # a first-person word ends the negation's reach
        "why not just kill myself",  # "why not" is a question, not a denial
        "I'm not sure if I want to die",  # too far away
    ],
)
def test_negation_does_not_reach_past_its_clause(text):
    assert level(text) == "medium"


@pytest.mark.parametrize(
    "text",
    [
        "I used to cut myself when I was a teenager",
        "When I was 19 I tried to kill myself",
        "I tried to kill myself years ago",
    ],
)
def test_the_past_lowers_to_low(text):
    assert level(text) == "low"
    assert "past" in reasons(text)


def test_the_past_does_not_cover_a_present_return():
    assert level("I used to be happy but now I want to die") == "medium"
    assert level("I cut myself again") == "medium"


@pytest.mark.parametrize(
    "text",
    [
        "6 months clean from self harm",
        "3 months without purging",
        "I went for a walk instead of hurting myself",
        "Suicidal thoughts hotline numbers, anyone?",
    ],
)
def test_recovery_and_topic_mentions_lower_to_low_or_less(text):
    assert level(text) in ("low", "none")


@pytest.mark.parametrize(
    "text",
    [
        "my friend is suicidal, how do I help",
        "my sister says she wants to die",
        "If you ever want to die, please talk to someone",
        "in the film the character wants to kill himself",
        "a guy at school told me to kill myself",
        "my therapist asked if I was suicidal",
    ],
)
def test_another_person_or_reported_speech_lowers_to_low(text):
    assert level(text) == "low"
    assert "other_person" in reasons(text)


def test_the_nearest_person_decides():
    # "my mum" is further away than "I": the author speaks of themself.
    assert level("my mum doesn't know I want to die") == "medium"


def test_hostility_is_never_lowered_for_being_about_someone_else():
    assert level("you should kill yourself") == "medium"


@pytest.mark.parametrize(
    "text",
    [
        "I'm starving, pizza?",
        "I'd die for a coffee",
        "I cut myself a slice of cake",
        "kys (keep yourself safe)",
        "overdosed on chocolate this Easter",
    ],
)
def test_idioms_count_for_nothing(text):
    result = run(text)
    assert result.level == "none"
    assert any(r.startswith("idiom:") for m in result.discounted for r in m.context)


def test_an_idiom_does_not_swallow_a_longer_risk_around_it():
    assert level("I'm starving myself again") == "medium"


def test_a_quote_counts_less_than_the_authors_own_words():
    text = "> I'm going to kill myself tonight\n\nPlease call a crisis line, we care about you."
    result = run(text)
    assert result.level == "low"
    assert result.matches and all("quote" in m.context for m in result.matches)


def test_a_post_that_quotes_risk_and_adds_its_own_is_still_risky():
    text = "> I want to die\n\nsame. I'm going to kill myself tonight"
    result = run(text)
    assert result.level == "high"
    own = [m for m in result.matches if "quote" not in m.context]
    assert own and all(m.start > text.index("same") for m in own)


def test_context_lowers_but_never_hides():
    for text in ("I'm not suicidal right now", "> kms", "my friend self harms"):
        assert run(text).matches, text


@pytest.mark.parametrize(
    "text",
    [
        "people who say kys online should be banned",
        "go back to where you came from is a racist thing to say",
        "nobody wants you here is what my bully used to say",
    ],
)
def test_a_phrase_named_to_discuss_it_is_lowered_to_low(text):
    assert level(text) == "low"
    assert "mention" in reasons(text)


def test_a_phrase_said_to_a_member_is_not_a_mention():
    assert level("nobody wants you here, just leave") == "medium"


def test_a_timeframe_naming_someone_else_is_still_the_authors_plan():
    # "she" names the mother, but the overdose and its time are the author's own.
    assert level("going to od on my mum's pills when she's at work tomorrow") == "high"
