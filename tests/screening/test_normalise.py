"""Each normalisation against evasion, and the map from skeleton spans back to the text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moderation.screening.normalise import WORD_RE, Normalised, clear_chunk_caches, normalise_term

from .helpers import run, spans_are_exact


def skeleton(text: str) -> str:
    return Normalised.of(text).skeleton.strip()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ＫＩＬＬ ＭＹＳＥＬＦ", "kil myself"),  # NFKC: full-width letters
        ("ﬁnal", "final"),  # NFKC: ligature
        ("Kill MySelf", "kil myself"),  # case
        ("ki\u200bll my\u200dself", "kil myself"),  # zero-width space and joiner
        ("ki\u00adll\ufeff myself", "kil myself"),  # soft hyphen, BOM
        ("kіll mуsеlf", "kil myself"),  # Cyrillic і, у, е
        ("kιll mysεlf", "kil myself"),  # Greek ι, ε
        ("k1ll mys3lf", "kil myself"),  # leetspeak digits
        ("$uicide", "suicide"),  # leetspeak symbol at the start
        ("k!ll", "kil"),  # symbol inside a word
        ("se1f h4rm", "self harm"),  # "1" after a vowel reads as l
        ("kiII myself", "kil myself"),  # capital I standing for l
        ("s u i c i d e", "suicide"),  # spaced letters
        ("k.m.s", "kms"),  # dotted letters
        ("s-u-i-c-i-d-e", "suicide"),  # dashed letters
        ("s_h", "sh"),  # two letters joined by punctuation
        ("s/h", "sh"),
        ("b y  t h e  t i m e", "by the time"),  # double spaces separate spaced words
        ("kiiiiill myseeeelf", "kil myself"),  # repeated letters
        ("don’t", "dont"),  # typographic apostrophe
        ("suicídé", "suicide"),  # accents
    ],
)
def test_normalisation_sees_through_each_evasion(text, expected):
    assert skeleton(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("at 3am", "at 3am"),  # numbers with units keep their digits
        ("20 pills", "20 pils"),  # plain numbers too
        ("help!!", "help"),  # an exclamation is not an i
        ("@ana said hi", "ana said hi"),  # a mention keeps its @ out of the word
        ("am i a burden", "am i a burden"),  # two single letters with one space stay apart
    ],
)
def test_normalisation_leaves_ordinary_text_alone(text, expected):
    assert skeleton(text) == expected


def test_terms_normalise_like_text():
    assert normalise_term("Kill  myself!") == "kil myself"
    assert normalise_term("don't want to live") == "dont want to live"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("I want to k\u200bi\u200bl\u200bl myself", "k\u200bi\u200bl\u200bl myself"),
        ("I want to k i l l   myself", "k i l l   myself"),
        ("so i w@nt t0 d1e ok", "w@nt t0 d1e"),
        ("ＫＩＬＬ ＭＹＳＥＬＦ now", "ＫＩＬＬ ＭＹＳＥＬＦ"),
        ("I want to diiiiie.", "want to diiiiie"),
        ("I want to dié\u0301", "want to dié\u0301"),
    ],
)
def test_match_spans_index_the_original_text(text, found):
    result = run(text)
    assert found in [m.text for m in result.matches]
    assert spans_are_exact(text, result)


def test_span_excludes_invisible_characters_around_the_match():
    text = "\u200bkms\u200b"
    (match,) = run(text).matches
    assert (match.start, match.end, match.text) == (1, 4, "kms")


@pytest.mark.parametrize(
    ("text", "part", "expected"),
    [
        ("xx kiiiiill yy", "ki", "kiiiii"),  # a collapsed run is covered whole
        ("xx kiiiiill yy", "il", "iiiiill"),
        ("xx k i l l yy", "ki", "k i"),  # separators after the last letter are not
        ("xx k​i​l​l yy", "il", "i​l​l"),
    ],
)
def test_pattern_spans_inside_a_word_map_back_to_whole_letters(text, part, expected):
    n = Normalised.of(text)
    start = n.skeleton.index(part)
    a, b = n.original_span(start, start + len(part))
    assert n.original[a:b] == expected


_alphabet = st.sampled_from(
    list("abcdeiklmosty ") + [".", "-", "'", "1", "3", "@", "$", "!", "\u200b", "і", "\n", "> ", "  "]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_alphabet, max_size=60).map("".join))
def test_folded_words_and_skeleton_words_correspond_one_to_one(text):
    n = Normalised.of(text)
    assert len(WORD_RE.findall(n.folded)) == len(n.skeleton.split())


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["kill", "myself", "k i l l", "want", "to", "die", "d1e", "tonight", " ", "\u200b", "ü", "!"]),
        max_size=12,
    ).map(" ".join)
)
def test_every_match_span_is_exact_for_any_text(text):
    assert spans_are_exact(text, run(text))


# The chunk fast path (a cached skeleton per whitespace-separated chunk) must give exactly
# what normalising the whole text gives: the skeleton, every span and every clause boundary.
_rich = st.sampled_from(
    list("abcdeiklmosty ")
    + [
        ".",
        "-",
        "'",
        "1",
        "3",
        "@",
        "$",
        "!",
        "|",
        "\u200b",
        "і",
        "\n",
        "> ",
        "  ",
        "I",
        "K",
        " . ",
        "/",
        "é",
        "\u00a0",
        "\x85",
        ",",
        "s/h",
        "k.m.s",
        "II",
        "😔",
        "\t",
        "__",
        "~",
        "İ",
        "ß",
        "kill",
        "myself",
        "tonight",
    ]
)


def _same_as_whole_text(text: str) -> None:
    fast, whole = Normalised.of(text), Normalised.whole_text(text)
    assert fast.skeleton == whole.skeleton
    sk = fast.skeleton
    for i in range(1, len(sk) - 1):
        for j in range(i + 1, min(len(sk), i + 12)):
            if sk[i] != " " and sk[j - 1] != " ":
                assert fast.original_span(i, j) == whole.original_span(i, j), (i, j)
    for k in range(len(sk.split()) - 1):
        assert fast.boundary_between(k, k + 1) == whole.boundary_between(k, k + 1), k


@settings(max_examples=500, deadline=None)
@given(st.lists(_rich, max_size=40).map("".join), st.booleans())
def test_the_chunk_fast_path_equals_normalising_the_whole_text(text, cold):
    if cold:  # every chunk unseen: they are normalised together, one per line
        clear_chunk_caches()
    _same_as_whole_text(text)


@pytest.mark.parametrize(
    "text",
    [
        "I want to die tonight, k i l l myself",  # spaced letters across chunks: whole text
        "gonna k.m.s tmrw",  # joined inside one chunk: fast path
        "I a b",  # lone letters side by side
        "line one\n\nline   two\tthree  ",  # whitespace other than single spaces
        "thаnks 😔 I’m tired",  # non-ASCII: chunks of the folded text
        "\x85kill\x85myself",  # a control character that folding removes
    ],
)
def test_the_fast_path_on_chosen_texts(text):
    _same_as_whole_text(text)


def test_results_do_not_depend_on_what_the_chunk_caches_remember():
    text = "I've decided. Tonight I'm going to take all the pills I've saved up."
    warm = run(text)
    clear_chunk_caches()
    assert run(text) == warm


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Spaced letters in quotes: the opening quote left the first letter out of the join.
        ("searched 's u i c i d e' on the laptop", "searched suicide on the laptop"),
        ("the 'k m s' thing", "the kms thing"),
        # An apostrophe between letters still binds them to a word.
        ("it's a b c", "its abc"),
        # A Greek capital zeta reads as z.
        ("ΖERO", "zero"),
        # Spaced inflected words join without their word break.
        ("haven't s e l f h a r m e d in 200 days", "havent selfharmed in 200 days"),
    ],
)
def test_round_four_normalisation_fixes(text, expected):
    assert skeleton(text) == expected


def test_cyrillic_a_inside_a_plan_in_plain_words():
    # The look-alike was read correctly all along; the plan's words were missing.
    text = "m\u0430king it stop for good this weekend. i've planned it all out and picked the spot"
    result = run(text)
    assert result.level == "high"
    assert spans_are_exact(text, result)
