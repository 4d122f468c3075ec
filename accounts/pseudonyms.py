"""Pseudonym rules: the only name other members ever see (CMO 7.1).

A pseudonym must protect the person behind it and must not impersonate the people who keep the
forum safe. The rules are plain functions so the sign-up form, the pseudonym change form, the
admin and the tests all share them.
"""

from __future__ import annotations

import re
import secrets

from django.core.exceptions import ValidationError

MIN_LENGTH = 3
MAX_LENGTH = 30

_ALLOWED = re.compile(r"^[A-Za-z0-9_-]+$")
_LONG_DIGIT_RUN = re.compile(r"\d{6,}")
_URL_LIKE = re.compile(r"^(https?|www)|(com|org|net|co-?uk|io)$", re.IGNORECASE)

# Look-alike digits and letters folded before comparing with reserved words, so "4dm1n",
# "m0d3rator" and "admln" are caught as well as "Admin".
_LOOKALIKES = str.maketrans(
    {"0": "o", "1": "i", "l": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "$": "s", "@": "a"}
)

# Reserved anywhere inside the name.
_RESERVED_SUBSTRINGS = ("admin", "moderator", "hearth", "staff", "official", "sysop", "superuser")
# Reserved as a whole word (between separators), since they occur inside ordinary words.
_RESERVED_WORDS = ("mod", "mods", "team", "support", "system", "root", "helpdesk", "crisis", "owner")


def _fold(text: str) -> str:
    """Lowercase, undo look-alikes and collapse repeated letters ("aadmiin" -> "admin")."""
    folded = text.lower().translate(_LOOKALIKES)
    return re.sub(r"(.)\1+", r"\1", folded)


_FOLDED_SUBSTRINGS = tuple(_fold(word) for word in _RESERVED_SUBSTRINGS)
_FOLDED_WORDS = frozenset(_fold(word) for word in _RESERVED_WORDS)


def pseudonym_problems(value: str) -> list[str]:
    """Return calm, specific messages for everything wrong with ``value`` (empty if it is fine)."""
    value = value.strip()
    if not MIN_LENGTH <= len(value) <= MAX_LENGTH:
        return [f"Please choose a pseudonym of {MIN_LENGTH} to {MAX_LENGTH} characters."]
    if "@" in value or "." in value or "/" in value or ":" in value:
        return [
            "A pseudonym can't look like an email address or a web link: "
            "that could identify you. Please use letters, numbers, _ or - only."
        ]
    if not _ALLOWED.match(value):
        return ["Please use only letters (A–Z), numbers, _ and -."]
    problems = []
    if _LONG_DIGIT_RUN.search(value):
        problems.append(
            "Long runs of numbers can be a phone number or a date of birth. "
            "To keep you safe, please use no more than five digits in a row."
        )
    if _URL_LIKE.search(value):
        problems.append("A pseudonym can't look like a web address.")
    folded = _fold(value)
    words = {_fold(word) for word in re.split(r"[-_\d]+", value) if word}
    if any(reserved in folded for reserved in _FOLDED_SUBSTRINGS) or words & _FOLDED_WORDS:
        problems.append("That name could be mistaken for a member of the Hearth team. Please choose another.")
    return problems


def validate_pseudonym(value: str) -> None:
    """Django validator raising ``ValidationError`` with every problem found."""
    problems = pseudonym_problems(value)
    if problems:
        raise ValidationError(problems, code="invalid_pseudonym")


_ADJECTIVES = (
    "Quiet",
    "Gentle",
    "Brave",
    "Calm",
    "Kind",
    "Bright",
    "Steady",
    "Warm",
    "Hopeful",
    "Patient",
    "Soft",
    "Golden",
    "Misty",
    "Sunny",
    "Tender",
    "Mellow",
    "Honest",
    "Cosy",
    "Silver",
    "Wandering",
)
_NOUNS = (
    "Heron",
    "Maple",
    "Otter",
    "Willow",
    "Harbour",
    "Lantern",
    "Meadow",
    "Sparrow",
    "River",
    "Fern",
    "Pebble",
    "Robin",
    "Cedar",
    "Comet",
    "Badger",
    "Birch",
    "Tide",
    "Wren",
    "Moss",
    "Finch",
)


def suggest_pseudonym() -> str:
    """A random, friendly pseudonym that passes the rules (uniqueness is the caller's check)."""
    return f"{secrets.choice(_ADJECTIVES)}{secrets.choice(_NOUNS)}{secrets.randbelow(90) + 10}"
