"""What Hearth does with a screened post: one plain function, ``route_decide``, from an
``Assessment`` and the subforum's hold policy to a ``Decision``. No Django, no database:
``manage.py screen_text`` prints the same route for a labelled file that the Celery task
acts on for a post.

Routes (``Decision.route``):

- ``hold``: held (only its author and moderators see it) with an urgent review item;
- ``urgent``: published, with an urgent review item;
- ``review``: published, with a review item;
- ``suggest``: published; content notes suggested to the author only;
- ``none``: published; nothing to do.

Review-item priorities (higher first in the queue): someone else at imminent risk, then an
own high, then a high the context check lowered, then medium, hostility and incomplete
screenings.
"""

from __future__ import annotations

from dataclasses import dataclass

from .assessment import (
    CONTEXT_LOWERED_HIGH,
    HOSTILITY_AT_MEMBER,
    INCOMPLETE,
    SOMEONE_ELSE_AT_RISK,
    Assessment,
)
from .types import LEVEL_RANK

HOLD = "hold"
URGENT = "urgent"
REVIEW = "review"
SUGGEST = "suggest"
NONE = "none"
ROUTES = (HOLD, URGENT, REVIEW, SUGGEST, NONE)

#: A subforum's hold policy (``forum.Subforum.screening_hold``).
HOLD_CONFIDENT = "confident"
HOLD_EVERY_HIGH = "every_high"
NEVER_HOLD = "never"
HOLD_POLICIES = (HOLD_CONFIDENT, HOLD_EVERY_HIGH, NEVER_HOLD)

PRIORITY_SOMEONE_ELSE = 5
PRIORITY_HIGH = 4
PRIORITY_LOWERED_HIGH = 3
PRIORITY_REVIEW = 2

#: Categories whose content notes may be suggested (hostility is not a topic to warn about).
NOTE_CATEGORIES = ("suicide", "self_harm", "eating_disorder", "substance", "abuse_harassment")


@dataclass(frozen=True, slots=True)
class Decision:
    """What to do. ``priority`` is None when no review item is needed; ``summary`` is the
    item's one line for moderators; ``note_categories`` are the categories whose content notes
    are suggested to the author (and added, at ``medium`` or above, if they chose none)."""

    route: str
    hold: bool
    priority: int | None
    summary: str
    note_categories: tuple[str, ...]
    add_notes: bool
    signpost: bool  # show the author the help panel


def route_decide(assessment: Assessment, *, policy: str = HOLD_CONFIDENT) -> Decision:
    """The route for one screening under a subforum's hold policy (see the module docstring)."""
    level = assessment.level
    flags = set(assessment.flags)
    categories = tuple(
        c
        for c in assessment.result.categories
        if c in NOTE_CATEGORIES and not (c == "abuse_harassment" and HOSTILITY_AT_MEMBER in flags)
    )
    rank = LEVEL_RANK[level]
    signpost = rank >= LEVEL_RANK["medium"] and categories != ()
    add_notes = rank >= LEVEL_RANK["medium"]

    if level == "high":
        hold = policy == HOLD_EVERY_HIGH or (policy == HOLD_CONFIDENT and assessment.confident)
        priority = PRIORITY_SOMEONE_ELSE if SOMEONE_ELSE_AT_RISK in flags else PRIORITY_HIGH
        band = "confident" if assessment.confident else "not sure"
        summary = f"High risk ({', '.join(assessment.result.categories)}; engine {band})"
        if hold:
            summary += ": held"
        return Decision(HOLD if hold else URGENT, hold, priority, summary, categories, add_notes, signpost)
    if SOMEONE_ELSE_AT_RISK in flags:
        return Decision(
            URGENT, False, PRIORITY_SOMEONE_ELSE, "Someone else may be at risk", categories, add_notes, signpost
        )
    if CONTEXT_LOWERED_HIGH in flags:
        return Decision(
            REVIEW,
            False,
            PRIORITY_LOWERED_HIGH,
            "High lowered by the context check (context_unlikely): please check",
            categories,
            add_notes,
            signpost,
        )
    reasons = []
    if level == "medium":
        reasons.append(f"Medium risk ({', '.join(assessment.result.categories)})")
    if HOSTILITY_AT_MEMBER in flags:
        reasons.append("Hostility aimed at a member")
    if INCOMPLETE in flags:
        reasons.append("Screening incomplete (a rule timed out)")
    if reasons:
        return Decision(REVIEW, False, PRIORITY_REVIEW, "; ".join(reasons), categories, add_notes, signpost)
    if categories:
        return Decision(SUGGEST, False, None, "", categories, False, False)
    return Decision(NONE, False, None, "", (), False, False)
