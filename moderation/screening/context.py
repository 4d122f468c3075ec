"""Context rules: the explicit, tested reasons a hit counts for less than its rule says.

Each rule looks at a few normalised words around a hit, inside its clause, and answers
yes or no. The engine caps a hit's level at ``low`` when any of them says yes ("context
lowers, never hides": the post still gets a content note and stays visible to screening).
Idioms are different: they are rules in the rule set (role ``exception``) because admins
need to add their own, and a hit inside an idiom counts for nothing.

Cue lists are written in plain English here and normalised at import with the same
function as rule terms, so "don't" is compared as "dont" and "still" as "stil".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .normalise import Normalised, normalise_term


def _cues(phrases: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    """Normalise cue phrases into word tuples, longest first."""
    out = {tuple(normalise_term(p).split()) for p in phrases}
    out.discard(())
    return tuple(sorted(out, key=len, reverse=True))


def _words(phrases: Iterable[str]) -> frozenset[str]:
    return frozenset(normalise_term(p) for p in phrases)


#: Words that stop a backward look: what comes before them belongs to another thought.
STOP_WORDS = _words(["but", "now", "still", "again", "though", "however", "yet", "so", "because"])

# --- negation -------------------------------------------------------------------------------
NEGATORS = _cues(
    [
        "not",
        "never",
        "no longer",
        "don't",
        "do not",
        "didn't",
        "doesn't",
        "won't",
        "wouldn't",
        "isn't",
        "aren't",
        "wasn't",
        "weren't",
        "haven't",
        "hasn't",
        "nor",
        "no",
        "nothing like",
        "hardly",
        "no more",
    ]
)
#: A negator directly after one of these is a question or a dare, not a denial ("why not").
NEGATION_BREAKERS = _words(["why", "or"])
#: At most this many words may stand between a negator and the hit ("not going to | kill").
NEGATION_GAP = 2
#: First-person words that end a negation's reach ("I'm not ok I want to die").
FIRST_PERSON = _words(["i", "i'm", "im", "i've", "i'd", "i'll", "me", "myself"])

# --- the past and recovery ------------------------------------------------------------------
PAST_BEFORE = _cues(
    [
        "used to",
        "back when",
        "when i was",
        "in the past",
        "years ago",
        "as a teen",
        "as a teenager",
        "as a kid",
        "as a child",
        "in high school",
        "in school",
        "last year",
        "years back",
        "history of",
        "in my teens",
        "in my twenties",
        "when i was younger",
        "at uni",
        "in college",
        "i survived",
        "survived",
        "looking back",
    ]
)
PAST_AFTER = _cues(
    [
        "years ago",
        "months ago",
        "in the past",
        "when i was",
        "as a teen",
        "as a teenager",
        "as a kid",
        "as a child",
        "last year",
        "back then",
        "in high school",
        "at school",
        "in my teens",
        "in my twenties",
        "long ago",
        "a long time ago",
        "years back",
    ]
)
RECOVERY_BEFORE = _cues(
    [
        "clean from",
        "clean of",
        "free from",
        "free of",
        "recovered from",
        "recovering from",
        "recovery from",
        "in recovery from",
        "sober from",
        "survivor of",
        "overcame",
        "beat",
        "quit",
        "stopped",
        "proud",
        "relapse free from",
        "months clean",
        "years clean",
        "days clean",
        "weeks clean",
        "no urges to",
        "resisted",
        "resisting",
        "fought off",
        "got through",
        "instead of",
        "days without",
        "weeks without",
        "months without",
        "years without",
        "a year without",
        "a month without",
        "a week without",
    ]
)
RECOVERY_AFTER = _cues(
    [
        "free",
        "clean",
        "recovery",
        "awareness",
        "prevention",
        "hotline",
        "helpline",
        "lifeline",
        "survivor",
        "survivors",
        "research",
        "training",
        "statistics",
        "rates",
        "support group",
        "first aid",
        "course",
        "charity",
        "trend",
        "trends",
    ]
)
#: Words after a hit that say it is happening now, cancelling a past or recovery reading.
PRESENT_AFTER = _words(["again", "still", "now", "tonight", "today", "anymore"])

# --- other people ---------------------------------------------------------------------------
RELATIONS = _words(
    [
        "friend",
        "friends",
        "best",
        "bestie",
        "sister",
        "brother",
        "sibling",
        "mum",
        "mom",
        "mother",
        "dad",
        "father",
        "parent",
        "parents",
        "son",
        "daughter",
        "kid",
        "kids",
        "child",
        "partner",
        "boyfriend",
        "girlfriend",
        "bf",
        "gf",
        "husband",
        "wife",
        "ex",
        "cousin",
        "flatmate",
        "roommate",
        "housemate",
        "classmate",
        "coworker",
        "colleague",
        "niece",
        "nephew",
        "aunt",
        "uncle",
        "gran",
        "grandma",
        "grandad",
        "grandpa",
        "nan",
        "neighbour",
        "neighbor",
        "student",
        "students",
        "client",
        "clients",
        "patient",
        "patients",
        "teen",
        "team",
        "mate",
        "mates",
        "buddy",
        "pal",
        "auntie",
        "stepdad",
        "stepmum",
        "stepmom",
    ]
)
OTHER_PEOPLE = _words(
    [
        "he",
        "she",
        "they",
        "he's",
        "she's",
        "they're",
        "they've",
        "he'd",
        "she'd",
        "they'd",
        "his",
        "her",
        "him",
        "them",
        "their",
        "someone",
        "somebody",
        "character",
        "characters",
        "movie",
        "film",
        "book",
        "song",
        "lyrics",
        "show",
        "episode",
        "novel",
        "story",
        "article",
        "news",
        "you",
        "you're",
        "your",
        "u",
        "ur",
        "yourself",
        "person",
        "guy",
        "girl",
        "woman",
        "man",
        "teenager",
        "celebrity",
    ]
)
#: How many words may stand between a past or recovery cue and the hit.
PAST_GAP = 4
RECOVERY_GAP = 3
PERSON_LOOKBACK = 8
CONTEXT_LOOKBACK = 8
CONTEXT_LOOKAHEAD = 5

_QUOTE_LINE_RE = re.compile(r"^[ \t]{0,3}>.*$", re.MULTILINE)


def quote_ranges(text: str) -> list[tuple[int, int]]:
    """Original-text ranges of Markdown quote lines (``> …``), in order."""
    if ">" not in text:
        return []
    return [m.span() for m in _QUOTE_LINE_RE.finditer(text)]


def in_ranges(pos: int, ranges: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in ranges)


def _before(n: Normalised, first: int, limit: int) -> list[str]:
    """Up to ``limit`` words before word ``first``, stopping at a clause boundary."""
    words = n.skeleton_words
    out: list[str] = []
    k = first - 1
    while k >= 0 and len(out) < limit:
        if n.boundary_between(k, k + 1):
            break
        out.append(words[k])
        k -= 1
    out.reverse()
    return out


def _after(n: Normalised, last: int, limit: int) -> list[str]:
    """Up to ``limit`` words after word ``last``, stopping at a clause boundary."""
    words = n.skeleton_words
    out: list[str] = []
    k = last + 1
    while k < len(words) and len(out) < limit:
        if n.boundary_between(k - 1, k):
            break
        out.append(words[k])
        k += 1
    return out


_BY_FIRST_WORD: dict[int, dict[str, tuple[tuple[str, ...], ...]]] = {}


def _find(words: list[str], cues: tuple[tuple[str, ...], ...]) -> list[tuple[int, int]]:
    """All ``(start, end)`` word positions of any cue in ``words``."""
    index = _BY_FIRST_WORD.get(id(cues))
    if index is None:
        grouped: dict[str, list[tuple[str, ...]]] = {}
        for cue in cues:
            grouped.setdefault(cue[0], []).append(cue)
        index = {k: tuple(v) for k, v in grouped.items()}
        _BY_FIRST_WORD[id(cues)] = index
    found = []
    for i, word in enumerate(words):
        for cue in index.get(word, ()):
            if tuple(words[i : i + len(cue)]) == cue:
                found.append((i, i + len(cue)))
    return found


def _since_stop(words: list[str]) -> list[str]:
    """The words after the last stop word ("…but now I …" keeps only "I …")."""
    for i in range(len(words) - 1, -1, -1):
        if words[i] in STOP_WORDS:
            return words[i + 1 :]
    return words


def negated(n: Normalised, first: int) -> bool:
    """A negator governs the hit: "I'm not suicidal", "I would never hurt myself".

    The negator must end at most ``NEGATION_GAP`` words before the hit, with no first-person
    word or stop word in between ("I'm not ok I want to die" is not a denial), and must not
    follow "why" or "or" ("why not just end it").
    """
    before = _before(n, first, NEGATION_GAP + 3)
    for start, end in _find(before, NEGATORS):
        gap = before[end:]
        if len(gap) > NEGATION_GAP:
            continue
        if any(w in FIRST_PERSON or w in STOP_WORDS for w in gap):
            continue
        if start > 0 and before[start - 1] in NEGATION_BREAKERS:
            continue
        return True
    return False


#: Words just before a hit that make it a feeling described, not an act intended: a
#: timeframe then times the feeling ("feeling suicidal tonight"), it is not a plan.
FEELING = _words(["feel", "feeling", "felt", "feels"])


def feeling(n: Normalised, first: int) -> bool:
    """The hit is a feeling the author describes ("I feel so suicidal", "feeling really low")."""
    return any(w in FEELING for w in _before(n, first, 3))


def past_tense(n: Normalised, last: int) -> bool:
    """The hit ends on a regular past-tense verb ("self harmed", "overdosed", "purged").

    Only "-ed" endings count: "cut" and "hurt" are present as often as past.
    """
    word = n.skeleton_words[last]
    return len(word) > 3 and word.endswith("ed")


def _present_after(n: Normalised, last: int) -> bool:
    return any(w in PRESENT_AFTER for w in _after(n, last, 3))


def past(n: Normalised, first: int, last: int) -> bool:
    """The author speaks of their past: "I used to self harm", "…years ago"."""
    if _present_after(n, last):
        return False
    before = _since_stop(_before(n, first, CONTEXT_LOOKBACK))
    if any(len(before) - end <= PAST_GAP for _, end in _find(before, PAST_BEFORE)):
        return True
    return bool(_find(_after(n, last, CONTEXT_LOOKAHEAD), PAST_AFTER))


def recovery(n: Normalised, first: int, last: int) -> bool:
    """Recovery or a topic mention: "6 months clean from self harm", "suicide prevention"."""
    if _present_after(n, last):
        return False
    before = _since_stop(_before(n, first, CONTEXT_LOOKBACK))
    for _, end in _find(before, RECOVERY_BEFORE):
        gap = before[end:]
        if len(gap) <= RECOVERY_GAP and not any(w in FIRST_PERSON for w in gap):
            return True
    after = _after(n, last, 2)
    return bool(_find(after[:1], RECOVERY_AFTER) or _find(after, _cues(["free", "clean"])))


#: Someone else's words or question reported by the author ("he told me to kill myself",
#: "my therapist asked if I was suicidal", "the lyrics say I want to die").
REPORTED = _cues(
    [
        "told me to",
        "telling me to",
        "tells me to",
        "said i should",
        "says i should",
        "said to",
        "asked if",
        "asked me if",
        "asks if",
        "asked whether",
        "called me",
        "lyrics say",
        "lyrics go",
        "song says",
        "song goes",
        "the lyrics",
        "the line",
    ]
)


def other_person(n: Normalised, first: int) -> bool:
    """The hit is about someone else: "my friend is suicidal", "she said she wants to die",
    "if you ever want to die, call…", "in the film the character kills himself".

    Reported speech counts as someone else's ("he told me to kill myself", "my therapist
    asked if I was suicidal", "the lyrics say I want to die"). Otherwise, looking back
    through the clause, the nearest person word decides: an "I"/"me" nearer
    than the other person means the author speaks of themself ("my mum doesn't know I want
    to die").
    """
    before = _before(n, first, PERSON_LOOKBACK)
    if _find(before, REPORTED):
        return True
    for i in range(len(before) - 1, -1, -1):
        w = before[i]
        if w in FIRST_PERSON:
            return False
        if w in OTHER_PEOPLE:
            return True
        if w in RELATIONS and i > 0 and before[i - 1] in ("my", "our", "a", "his", "her", "their"):
            return True
        if w in STOP_WORDS:
            return False
    return False


#: A phrase named in order to talk about it, not said: "people who say kys should be banned",
#: "'go back to where you came from' is a racist thing to say", "… is what my bully used to
#: say". Before the hit, inside its clause:
MENTION_BEFORE = _cues(
    [
        "people who say",
        "people saying",
        "anyone who says",
        "someone who says",
        "when people say",
        "when someone says",
        "people who tell others to",
        "people who write",
    ]
)
#: … or right after it, inside its clause.
MENTION_AFTER = _cues(
    [
        "is what",
        "was what",
        "is a racist",
        "is racist",
        "is a horrible thing",
        "is a cruel thing",
        "is a vile thing",
        "is not ok to say",
        "is never ok",
        "isn't ok to say",
        "should be banned",
        "should get you banned",
        "is abuse",
        "is hate speech",
        "is bullying",
    ]
)


def mention(n: Normalised, first: int, last: int) -> bool:
    """The hit is a phrase quoted to discuss it, not the author's own words."""
    if _find(_before(n, first, CONTEXT_LOOKBACK), MENTION_BEFORE):
        return True
    after = _after(n, last, 4)
    return any(start == 0 for start, _ in _find(after, MENTION_AFTER))
