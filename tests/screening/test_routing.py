"""route_decide: from an assessment and a subforum's hold policy to what Hearth does."""

from __future__ import annotations

import pytest

from moderation.screening.assessment import (
    CONFIDENT,
    CONTEXT_LOWERED_HIGH,
    HOSTILITY_AT_MEMBER,
    INCOMPLETE,
    SOMEONE_ELSE_AT_RISK,
    TENTATIVE,
    Assessment,
)
from moderation.screening.routing import (
    HOLD,
    HOLD_EVERY_HIGH,
    NEVER_HOLD,
    NONE,
    PRIORITY_HIGH,
    PRIORITY_LOWERED_HIGH,
    PRIORITY_REVIEW,
    PRIORITY_SOMEONE_ELSE,
    REVIEW,
    SUGGEST,
    URGENT,
    route_decide,
)
from moderation.screening.types import ScreeningResult


def assessment(level="none", categories=(), band="", flags=()) -> Assessment:
    result = ScreeningResult(level, list(categories), [], "t1")
    return Assessment(result=result, stages=("rules",), band=band, why=(), flags=tuple(flags))


def test_confident_high_is_held_with_a_top_priority_item():
    decision = route_decide(assessment("high", ["suicide"], CONFIDENT))
    assert (decision.route, decision.hold, decision.priority) == (HOLD, True, PRIORITY_HIGH)
    assert decision.signpost and decision.add_notes


def test_tentative_high_is_published_with_an_urgent_item():
    decision = route_decide(assessment("high", ["suicide"], TENTATIVE))
    assert (decision.route, decision.hold, decision.priority) == (URGENT, False, PRIORITY_HIGH)


@pytest.mark.parametrize(
    ("policy", "band", "route"),
    [
        (HOLD_EVERY_HIGH, TENTATIVE, HOLD),
        (HOLD_EVERY_HIGH, CONFIDENT, HOLD),
        (NEVER_HOLD, CONFIDENT, URGENT),
        (NEVER_HOLD, TENTATIVE, URGENT),
    ],
)
def test_subforum_policy_decides_holds(policy, band, route):
    assert route_decide(assessment("high", ["self_harm"], band), policy=policy).route == route


def test_medium_is_reviewed_and_notes_are_added():
    decision = route_decide(assessment("medium", ["eating_disorder"]))
    assert (decision.route, decision.priority) == (REVIEW, PRIORITY_REVIEW)
    assert decision.add_notes and decision.note_categories == ("eating_disorder",)
    assert decision.signpost


def test_low_only_suggests_notes_to_the_author():
    decision = route_decide(assessment("low", ["substance"]))
    assert (decision.route, decision.priority, decision.add_notes, decision.signpost) == (SUGGEST, None, False, False)
    assert decision.note_categories == ("substance",)


def test_nothing_found_does_nothing():
    decision = route_decide(assessment())
    assert (decision.route, decision.priority, decision.note_categories) == (NONE, None, ())


def test_someone_else_at_risk_is_urgent_above_an_own_high():
    decision = route_decide(assessment("low", ["suicide"], flags=[SOMEONE_ELSE_AT_RISK]))
    assert decision.route == URGENT
    assert decision.priority == PRIORITY_SOMEONE_ELSE > PRIORITY_HIGH
    assert decision.summary == "Someone else may be at risk"
    assert not decision.hold


def test_hostility_at_a_member_is_reviewed_at_any_level_and_suggests_no_abuse_note():
    decision = route_decide(assessment("low", ["abuse_harassment"], flags=[HOSTILITY_AT_MEMBER]))
    assert decision.route == REVIEW
    assert "Hostility" in decision.summary
    assert decision.note_categories == ()


def test_a_high_the_context_check_lowered_ranks_above_an_ordinary_medium():
    decision = route_decide(assessment("medium", ["suicide"], flags=[CONTEXT_LOWERED_HIGH]))
    assert decision.route == REVIEW
    assert decision.priority == PRIORITY_LOWERED_HIGH > PRIORITY_REVIEW
    assert "context_unlikely" in decision.summary


def test_an_incomplete_screening_is_reviewed():
    decision = route_decide(assessment("none", flags=[INCOMPLETE]))
    assert decision.route == REVIEW
    assert "timed out" in decision.summary


def test_routing_priorities_are_the_queues_own_numbers():
    from moderation.models import PRIORITY_DOUBTED_HIGH, PRIORITY_OTHERS_RISK, RISK_PRIORITY, RiskLevel
    from moderation.screening import routing

    assert routing.PRIORITY_SOMEONE_ELSE == PRIORITY_OTHERS_RISK
    assert RISK_PRIORITY[RiskLevel.HIGH] == routing.PRIORITY_HIGH
    assert routing.PRIORITY_LOWERED_HIGH == PRIORITY_DOUBTED_HIGH
    assert RISK_PRIORITY[RiskLevel.MEDIUM] == routing.PRIORITY_REVIEW
