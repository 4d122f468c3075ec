"""Pseudonym rules: the only name other members ever see (CMO 7.1).

A pseudonym must protect the person behind it and must not impersonate the people who keep the
forum safe, the crisis services the help page lists, or another member. The rules are plain
functions so the sign-up form, the pseudonym change form, the admin and the tests all share them.

Look-alikes are compared by *skeleton* (after Unicode TR39): what a name looks like once
confusable characters, separators, look-alike digits and case are folded away, so
``B1rchStevvard``, ``Birch_Steward`` and ``BirchSteward`` share one. The rules here need no
database; ``accounts.services.pseudonym_conflict`` adds the checks that do (other members,
staff, the help page's services), through one indexed query on ``User.pseudonym_skeleton``.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Callable, Iterable
from functools import cache

from django.core.exceptions import ValidationError

MIN_LENGTH = 3
MAX_LENGTH = 30
SKELETON_LENGTH = 60  # a skeleton is never longer than its name (2 per NFKC-expanded character, at most)

_ALLOWED = re.compile(r"^[A-Za-z0-9_-]+$")
_LONG_DIGIT_RUN = re.compile(r"\d{6,}")
_PHONE = re.compile(r"\d{7,}")  # once separators are gone: 0770-090-0123 is 07700900123
_SEPARATORS = re.compile(r"[\W_]+")
_URL_LIKE = re.compile(r"^(https?|www)|(com|org|net|co-?uk|io)$", re.IGNORECASE)
# Words of a name: CamelCase parts, runs of capitals and runs of digits ("SupportTeam", "NHS_111").
_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")

# Digits that read as letters. 1, I, i and l all become "l": "B1rch" and "Birch" must meet.
_DIGITS_AS_LETTERS = str.maketrans({"0": "o", "1": "l", "i": "l", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b"})
# Letter pairs that read as one letter.
_PAIRS = (("rn", "m"), ("vv", "w"))

# Reserved anywhere inside the name: the Hearth team's roles and the site's name ...
_STAFF_SUBSTRINGS = ("admin", "moderator", "hearth", "staff", "official", "sysop", "superuser", "trustandsafety",
                     "trustsafety", "safeguarding")  # fmt: skip
# ... and as a whole word (between separators, digits or CamelCase), since they occur inside
# ordinary words ("Teamwork", "ModestMouse").
_STAFF_WORDS = ("mod", "mods", "team", "support", "system", "root", "helpdesk", "owner")
# Crisis services and help lines, whatever the help page lists today (those it lists are added
# by the forum, below): inside the name, and as whole words ("Shoutout" is fine, "Shout_UK" is not).
_SERVICE_SUBSTRINGS = ("samaritan", "crisis", "helpline", "hotline", "lifeline", "childline", "emergency",
                       "ambulance")  # fmt: skip
_SERVICE_WORDS = ("nhs", "shout", "papyrus", "police")
_SERVICE_NUMBERS = frozenset({"111", "999", "988", "112", "911", "116123"})
# A service named on the help page is refused inside a name when its skeleton is at least this
# long, and as a whole word or the whole name when shorter ("Shout").
_SERVICE_SUBSTRING_MIN = 6

IMPERSONATION = "That name could be mistaken for a member of the Hearth team. Please choose another."
SERVICE_LOOKALIKE = (
    "That name could be mistaken for a crisis service or help line, and someone looking for help might "
    "trust it. Please choose another."
)
PHONE_NUMBER = (
    "That looks like a phone number, which could identify you. Please choose a name without it: "
    "a word or two you like works well."
)


@cache
def _confusable_to_ascii() -> dict[str, str]:
    """Each non-ASCII character Unicode lists as confusable with ASCII letters or digits, and those."""
    from confusable_homoglyphs.confusables import confusables_data

    table = {}
    for char, homoglyphs in confusables_data.items():
        if char.isascii():
            continue
        for glyph in homoglyphs:
            if glyph["c"].isascii() and glyph["c"].isalnum():
                table[char] = glyph["c"]
                break
    return table


def pseudonym_skeleton(value: str) -> str:
    """What ``value`` looks like, for comparing names: Unicode confusables to ASCII, casefolded,
    separators removed, look-alike digits to letters (0 o, 1 l, 3 e, 4 a, 5 s, 7 t, 8 b; i and l
    are one letter), rn to m, vv to w, and repeated letters squeezed ("aadmin" reads as "admin").
    """
    confusables = _confusable_to_ascii()
    text = unicodedata.normalize("NFKC", value)
    text = "".join(char if char.isascii() else confusables.get(char, char) for char in text)
    text = _SEPARATORS.sub("", text.casefold()).translate(_DIGITS_AS_LETTERS)
    for pair, letter in _PAIRS:
        text = text.replace(pair, letter)
    return re.sub(r"(.)\1+", r"\1", text)[:SKELETON_LENGTH]


def _words(value: str) -> set[str]:
    """Skeletons of the name's words; numbers stay as they are ("111" must not read as "l")."""
    return {word if word.isdigit() else pseudonym_skeleton(word) for word in _WORDS.findall(value)}


def _reserves(substrings: Iterable[str], words: Iterable[str]) -> Callable[[str], bool]:
    inside = tuple(pseudonym_skeleton(term) for term in substrings)
    whole = frozenset(pseudonym_skeleton(term) for term in words)

    def matches(value: str) -> bool:
        skeleton = pseudonym_skeleton(value)
        return any(term in skeleton for term in inside) or bool(_words(value) & whole)

    return matches


_looks_like_staff_role = _reserves(_STAFF_SUBSTRINGS, _STAFF_WORDS)
_looks_like_known_service = _reserves(_SERVICE_SUBSTRINGS, _SERVICE_WORDS)


def has_phone_number(value: str) -> bool:
    """Seven or more digits once separators are removed, in any punctuation."""
    return bool(_PHONE.search(_SEPARATORS.sub("", value)))


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
    if has_phone_number(value):
        problems.append(PHONE_NUMBER)
    elif _LONG_DIGIT_RUN.search(value):
        problems.append(
            "Long runs of numbers can be a phone number or a date of birth. "
            "To keep you safe, please use no more than five digits in a row."
        )
    if _URL_LIKE.search(value):
        problems.append("A pseudonym can't look like a web address.")
    if _looks_like_staff_role(value):
        problems.append(IMPERSONATION)
    elif _looks_like_known_service(value) or _words(value) & _SERVICE_NUMBERS:
        problems.append(SERVICE_LOOKALIKE)
    return problems


def validate_pseudonym(value: str) -> None:
    """Django validator raising ``ValidationError`` with every problem found."""
    problems = pseudonym_problems(value)
    if problems:
        raise ValidationError(problems, code="invalid_pseudonym")


# --- names other apps reserve -----------------------------------------------------------------
# Accounts knows nothing of the forum, so the forum tells it which names the help page lists
# (forum.apps registers a source); the check asks every source each time, so an admin's new
# help line is protected at once.
_reserved_name_sources: list[Callable[[], Iterable[str]]] = []


def reserved_names_register(source: Callable[[], Iterable[str]]) -> None:
    """Add a source of names no pseudonym may look like (called once, from an AppConfig.ready)."""
    if source not in _reserved_name_sources:
        _reserved_name_sources.append(source)


def _service_phrases(name: str) -> set[str]:
    """Skeletons a service's name reserves: the whole name and its part before a comma or bracket
    ("NHS 111, option 2" reserves "NHS 111")."""
    lead = re.split(r"[,(–-]", name, maxsplit=1)[0]
    return {skeleton for skeleton in (pseudonym_skeleton(name), pseudonym_skeleton(lead)) if skeleton}


def looks_like_a_service(value: str) -> bool:
    """Does ``value`` look like a crisis service or help line another app reserves?"""
    skeleton = pseudonym_skeleton(value)
    words = _words(value)
    for source in _reserved_name_sources:
        for name in source():
            for phrase in _service_phrases(name):
                if phrase == skeleton or phrase in words:
                    return True
                if len(phrase) >= _SERVICE_SUBSTRING_MIN and phrase in skeleton:
                    return True
    return False


def looks_like(skeleton: str, *, other: str, other_is_staff: bool) -> bool:
    """Would a name with ``skeleton`` be mistaken for one whose skeleton is ``other``? The same
    skeleton, or, for the Hearth team, one containing theirs ("BirchSteward2")."""
    if skeleton == other:
        return True
    return other_is_staff and len(other) >= 5 and other in skeleton


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
