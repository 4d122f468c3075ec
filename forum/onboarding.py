"""The welcome onboarding (CMO 14): pseudonym, guidelines, content-note choices, then hello."""

from __future__ import annotations

from accounts.services import member_complete_onboarding
from moderation import intake

STEPS = ("pseudonym", "guidelines", "content-notes")


def welcome_finish(*, member) -> None:
    """Mark the welcome done (finished or skipped) and ask moderators to welcome the member."""
    first_time = member.onboarding_completed_at is None
    member_complete_onboarding(user=member)
    if first_time:
        intake.new_member_to_welcome(member=member)


def introduction_starter(*, member) -> tuple[str, str]:
    """An editable first post for the Introductions space."""
    return (
        f"Hello from {member.pseudonym}",
        "Hi everyone, I'm new here.\n\n"
        "A little about me (only what you're comfortable sharing): \n\n"
        "What I'm hoping to find here: ",
    )
