"""Levels, plans, rule compilation, the result's shape and the time guard."""

from __future__ import annotations

import time

import pytest

from moderation.screening.defaults import default_rule_specs, default_ruleset
from moderation.screening.engine import RuleCompileError, compile_ruleset, screen
from moderation.screening.types import CATEGORIES, LEVELS, RuleSpec

from .helpers import run, tiny


def test_default_rules_cover_every_category_and_level():
    specs = default_rule_specs()
    for category in CATEGORIES:
        levels = {s.level for s in specs if s.category == category and s.role == "signal"}
        assert {"low", "medium", "high"} <= levels, category


def test_default_rule_names_are_unique():
    names = [s.name for s in default_rule_specs()]
    assert len(names) == len(set(names))


def test_plain_text_is_none():
    result = run("Had a lovely walk by the river today.")
    assert (result.level, result.categories, result.matches) == ("none", [], [])


@pytest.mark.parametrize(
    "text",
    [
        "I bought a rope and I want to die",  # means + ideation
        "I'm going to jump off the bridge on Friday",  # method + timeframe
        "I've counted my pills. tonight.",  # readied means + timeframe
        "I want to kill myself tonight",  # ideation + timeframe
        "I'm going to cut myself tonight",  # self-harm + timeframe
        "by the time you read this I'll be gone",  # a farewell alone
    ],
)
def test_a_plan_or_farewell_is_high(text):
    result = run(text)
    assert result.level == "high"


def test_plan_elements_are_reported_as_matches_of_the_risk_they_time():
    result = run("I'm going to cut myself tonight")
    tonight = next(m for m in result.matches if m.text == "tonight")
    assert (tonight.category, tonight.level, tonight.context) == ("self_harm", "high", ("plan",))


@pytest.mark.parametrize(
    "text",
    [
        "taking the train tonight to see my nan",  # an object and a time, no risk
        "Feeling really suicidal tonight",  # a feeling timed, not a plan
        "I self harmed again tonight",  # an act that is over
        "how many pills does it take",  # a means question, no plan element
        "mixing pills and alcohol to numb it",  # "pills" belongs to the risk phrase
    ],
)
def test_risk_without_a_plan_is_not_high(text):
    assert run(text).level != "high"


def test_a_plan_element_in_someone_elses_words_makes_no_plan():
    assert run("my brother said he wants to kill himself tonight").level == "low"


def test_result_shape_matches_the_command_contract():
    result = run("I want to die")
    assert result.to_dict() == {
        "level": "medium",
        "categories": ["suicide"],
        "matches": [
            {"category": "suicide", "rule": "suicide.signal.want_to_die", "text": "want to die", "start": 2, "end": 13}
        ],
    }
    assert result.ruleset_version == default_ruleset(learned=False).version
    assert result.level in LEVELS


def test_a_shorter_hit_inside_a_longer_one_is_not_repeated():
    rules = [m.rule for m in run("I want to die").matches]
    assert "suicide.signal.die" not in rules


def test_several_categories_are_sorted():
    result = run("I've been purging and I want to die")
    assert result.categories == ["eating_disorder", "suicide"]


def test_a_rule_set_builds_from_plain_records_without_a_database():
    rs = tiny(RuleSpec("x.grumpy", "abuse_harassment", "low", "grumpy pants"))
    assert screen("such GRUMPY   pants", rs).categories == ["abuse_harassment"]
    assert screen("such GRUMPY   pants", rs).ruleset_version == "t1"


def test_disabled_rules_do_not_match_and_are_not_checked():
    rs = tiny(
        RuleSpec("a", "suicide", "low", "gloom", enabled=False),
        RuleSpec("b", "suicide", "low", "(unclosed", kind="pattern", enabled=False),
    )
    assert screen("gloom", rs).level == "none"


def test_pattern_rules_run_on_the_normalised_text():
    rs = tiny(RuleSpec("p", "suicide", "medium", r"\bkil (?:my|me)\w*", kind="pattern"))
    result = screen("I will k1lllll    myself", rs)
    assert [m.text for m in result.matches] == ["k1lllll    myself"]


def test_a_pattern_that_does_not_compile_is_refused_with_its_name():
    with pytest.raises(RuleCompileError, match="'broken'.*does not compile"):
        compile_ruleset([RuleSpec("broken", "suicide", "low", "(unclosed", kind="pattern")], "v")


def test_a_signal_rule_must_imply_a_level():
    with pytest.raises(RuleCompileError, match="at least the low level"):
        compile_ruleset([RuleSpec("x", "suicide", "none", "gloom")], "v")


def test_an_unknown_category_is_refused():
    with pytest.raises(RuleCompileError, match="unknown category"):
        compile_ruleset([RuleSpec("x", "sadness", "low", "gloom")], "v")


@pytest.mark.parametrize("pattern", [r"([a-z]+)+$", r"(a+)+$", r"(\w|\w\w)+$"])
def test_a_catastrophic_pattern_cannot_hang_screening(pattern):
    rs = tiny(
        RuleSpec("slow", "suicide", "low", pattern, kind="pattern"),
        RuleSpec("fine", "suicide", "medium", r"\bwant to die\b", kind="pattern"),
        RuleSpec("term", "suicide", "medium", "kms"),
    )
    text = "kms I want to die " + "abcdefghij" * 300 + " aaaa" * 50 + "!"
    started = time.perf_counter()
    result = screen(text, rs)
    assert time.perf_counter() - started < 1.0
    assert result.timed_out_rules in ([], ["slow"])  # the regex module defuses some shapes
    # The other rules still found their hits.
    assert {m.rule for m in result.matches} >= {"fine", "term"}


def test_the_time_guard_names_the_slow_rule():
    rs = tiny(RuleSpec("slow", "suicide", "low", r"(\w|\w\w)+$", kind="pattern"))
    result = screen("abcdefghij" * 30 + " !", rs)
    assert result.timed_out_rules == ["slow"]


def test_back_reference_patterns_still_work():
    rs = tiny(RuleSpec("echo", "abuse_harassment", "low", r"\b(\w+) \1 \1\b", kind="pattern"))
    assert screen("die die die", rs).level == "low"


@pytest.mark.parametrize("text", ["", " ", "\u200b\u200b", ">", "💀💀", "a" * 10000, "\x00\x01"])
def test_odd_input_never_raises(text):
    assert run(text).level in LEVELS


def test_prefilter_literal_sets_are_each_required():
    from moderation.screening.prefilter import required_literal_sets

    sets = required_literal_sets(r"\b(?:take|taking) (?:\w+ )?(?:pils|tablets)\b")
    assert sets is not None and len(sets) == 2
    assert frozenset({"pils", "tablets"}) in sets
    # the parser may factor "take|taking" into "tak…": any literal of a required part will do
    assert any(all("taking".startswith(x.strip()) or "take".startswith(x.strip()) for x in s) for s in sets)
    # small groups right after literal text continue it: the whole phrases are required
    whole = required_literal_sets(r"\b(?:take|taking) (?:al|every) (?:pils|tablets)\b")
    assert whole == (
        frozenset(f"{v} {q} {p}" for v in ("take", "taking") for q in ("al", "every") for p in ("pils", "tablets")),
    )
    assert required_literal_sets(r"\bgo (?:jump of|od)\b") == (frozenset({"go jump of", "go od"}),)
    assert required_literal_sets(r"\bat [0-9]{1,2} ?(?:am|pm)\b") == (frozenset(f"at {d}" for d in "0123456789"),)
    assert required_literal_sets(r"(a+)+$") is None


def test_the_prefilter_never_hides_a_pattern_hit():
    """Every default pattern finds in the labelled texts what it finds without prefilters."""
    from pathlib import Path

    from moderation.screening.engine import compile_pattern
    from moderation.screening.evaluation import load_labelled
    from moderation.screening.normalise import Normalised

    data = Path(__file__).resolve().parent.parent / "data"
    texts = [r.text for f in sorted(data.glob("screening_*.jsonl")) for r in load_labelled(f)]
    rs = default_ruleset()
    patterns = [(s.name, compile_pattern(s.value)) for s in default_rule_specs() if s.kind == "pattern"]
    for text in texts:
        skeleton = Normalised.of(text).skeleton
        hits, _ = rs.find(skeleton)
        found = {rs.rules[h.rule].name for h in hits}
        for name, pattern in patterns:
            if pattern.search(skeleton):
                assert name in found, (name, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I'm doing it this weekend when my parents leave", "high"),  # an act timed
        ("I'm doing it! signed up for the marathon", "none"),
        ("ctb tonight, got everything ready", "high"),
        ("gonna catch the bus tomorrow to work", "none"),
        ("I've written letters to everyone and the date is set", "high"),
        ("I've written the letters for my job applications", "none"),
        ("by the time you read this I'll be on the plane, see you soon!", "none"),
        ("took a handful of my benzos and I'm chasing it with vodka", "high"),
        ("took a handful of vitamins this morning", "none"),
        ("haven't eaten in 5 days and I fainted this morning", "high"),
        ("haven't eaten since breakfast", "none"),
        ("you're dead tomorrow, watch yourself", "high"),
        ("I'll come to your house for the movie night at 7", "none"),
        ("I know where you live, see you at the party!", "low"),
        ("I hope I don't wake up tomorrow", "medium"),
        ("I hope I don't wake up late tomorrow", "none"),
        ("purged my wardrobe of old clothes", "none"),
    ],
)
def test_class_rules_from_the_second_tuning(text, expected):
    assert run(text).level == expected


@pytest.mark.parametrize(
    "text",
    [
        # A bare risk word as the object of a plan: decision + timeframe right after it.
        "i have decided. s u i c i d e on sunday when my flatmate is away",
        "made my decision. suicide tomorrow night, after work",
        "i have decided. k m s on friday when everyone is out",
        # Preparation and decision phrases are medium signals; with a timeframe, a plan.
        "My affairs are in order and I've picked the date. It's this Thursday.",
        "i've got everything i need now. tonight when my parents go out",
        # Farewells to the forum and to family.
        "Thank you all for everything, you were the only ones who listened. Goodbye.",
        "To my kids if you ever find this: none of it was your fault.",
        "I wanted you to know that before I go.",
        # Eating-disorder and substance plans in their own words.
        "From tomorrow I'm cutting out water too.",
        "Using the whole lot tonight, alone.",
        # A threat without kill words.
        "i know ppl who can f1nd u irl",
    ],
)
def test_round_four_plans_and_farewells_are_high(text):
    assert run(text).level == "high"


@pytest.mark.parametrize(
    "text",
    [
        "watched a documentary about suicide tonight",  # one timeframe: no plan
        "Finally got everything I need for the camping trip tomorrow!",
        "Picked the spot for our picnic on Saturday, by the lake",
        "My affairs are in order for the move abroad next week",
        "thank you all for everything this year, going on holiday for two weeks, goodbye for now!",
        "I'm leaving the forum because I'm doing so much better. Thank you all for everything, goodbye",
        "driving to the cliffs on saturday for the sunset photos",
        "I'm cutting out caffeine from tomorrow, wish me luck",
        "still cutting down on sugar, three weeks now",
        "new marks came out for the maths exam",
        "pro tip: freeze your bread so it doesn't go mouldy",
        "this cake is to die for",
        "we finally picked the date, the wedding is next friday",
    ],
)
def test_round_four_hard_negatives_stay_below_medium(text):
    assert run(text).level in ("none", "low")


@pytest.mark.parametrize(
    "text",
    [
        "ana tip: cold water and black coffee when it gets bad",
        "pro tip for anyone hiding sh: wear bracelets",
        "lowest number wins, no recovery talk",
        "Still cutting and nobody knows.",
        "new marks from last night",
        "stay high the whole time",
        "@greyhours nobody here actually likes you, just leave already",
        "i've wanted to d i e for 3 months straight",
    ],
)
def test_round_four_current_risk_and_promotion_are_medium(text):
    assert run(text).level == "medium"
