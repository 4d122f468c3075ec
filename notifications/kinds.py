"""What a member can be notified about, and how each kind is delivered unless they choose otherwise."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class Delivery(models.TextChoices):
    OFF = "off", "Off"
    SITE = "site", "In Hearth only"
    EMAIL = "email", "In Hearth and by email at once"
    DIGEST = "digest", "In Hearth and in a daily email"


@dataclass(frozen=True)
class Kind:
    label: str
    default: str = Delivery.SITE
    can_turn_off: bool = True


KINDS: dict[str, Kind] = {
    "reply": Kind("Replies to your threads and posts"),
    "mention": Kind("Someone mentions your pseudonym (@name)"),
    "reaction": Kind("Thanks and “me too” on your posts"),
    "helper_request": Kind("Threads waiting for a reply where you help"),
    "welcomer_request": Kind("New members waiting for a welcome"),
    "report": Kind("What happened to the reports you made"),
    "moderation": Kind("Moderators' decisions and messages about your posts", can_turn_off=False),
}

# A kind not listed above (a new part of Hearth) is delivered in Hearth and cannot be turned off,
# so nothing a member must hear is ever silently dropped.
UNLISTED = Kind("Other notices from Hearth", can_turn_off=False)


def kind_info(kind: str) -> Kind:
    return KINDS.get(kind, UNLISTED)
