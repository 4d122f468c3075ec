"""The learned second opinion: its reading of text, its windows and spans, how the engine
combines it with the rules, and the shipped model's files.

Mechanism tests use a tiny hand-made model (a few pieces with chosen weights) so that they
pin behaviour, not the trained numbers; tests of the shipped model check only what must hold
for any trained model.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moderation.screening import learned
from moderation.screening.defaults import default_rule_specs, default_ruleset
from moderation.screening.engine import LEARNED_RULE, compile_ruleset, screen
from moderation.screening.learned import (
    NOTHING,
    LearnedModel,
    chunk_words,
    default_model,
    model_word,
    own_chunks,
    split_pieces,
)
from moderation.screening.types import LEVEL_RANK, RuleSpec

from .helpers import spans_are_exact

CALM, WORRY, DOOM = (-5.0, -5.0, -5.0), (80.0, 80.0, -80.0), (160.0, 160.0, 160.0)
ZERO = (0.0, 0.0, 0.0)


def tiny_model(*, veto: float = 0.2) -> LearnedModel:
    """Pieces: "calm" pulls every head down, "worry" means medium, "doom" means high; any
    other word is the unknown piece, which counts for nothing."""
    pieces = ["[UNK]", "calm", "worry", "doom", "wor", "##ry"]
    level_rows = [ZERO, CALM, WORRY, DOOM, ZERO, ZERO]
    categories = [(0.0,) * 5, (-9.0,) * 5, (9.0, -9.0, -9.0, -9.0, -9.0), (9.0, 9.0, -9.0, -9.0, -9.0)]
    return LearnedModel(
        version="learned-tiny",
        pieces=pieces,
        level_rows=level_rows,
        category_rows=categories + [(0.0,) * 5] * 2,
        level_bias=(0.0, 0.0, 0.0),
        category_bias=(0.0,) * 5,
        thresholds=(0.5, 0.5, 0.5),
        veto=veto,
        category_threshold=0.5,
    )


# --- reading the text ---------------------------------------------------------------------
def test_word_pieces_take_the_longest_prefix_then_continuations():
    ids = {"[UNK]": 0, "un": 1, "##ali": 2, "##ve": 3, "unal": 4, "##ive": 5}
    assert split_pieces("unalive", ids, 0) == (4, 5)
    ids = {"[UNK]": 0, "un": 1, "##alive": 2}
    assert split_pieces("unalive", ids, 0) == (1, 2)
    assert split_pieces("xyz", ids, 0) == (0,)  # cannot be split: one unknown piece
    assert split_pieces("un" * 60, ids, 0) == (0,)  # longer than any word: unknown


def test_runs_of_a_letter_are_cut_but_double_letters_stay():
    assert model_word("diiiiie") == "die"
    assert model_word("kill") == "kill"
    assert model_word("sleep") == "sleep"


def test_the_model_reads_through_leetspeak_look_alikes_and_spaced_letters():
    assert chunk_words("k1ll") == ["kill"]
    assert chunk_words("k.m.s") == ["kms"]
    assert chunk_words("wоrthless") == ["worthless"]  # Cyrillic о
    assert chunk_words("k\u200bi\u200bl\u200bl") == ["kill"]  # zero-width spaces


def test_only_the_authors_own_lines_are_read():
    text = "> I want to die tonight\n> and I mean it\nyou're not alone, I'm here"
    assert own_chunks(text) == ["you're", "not", "alone,", "I'm", "here"]
    assert tiny_model().score("> doom doom doom\n>doom") is NOTHING


def test_a_quote_alone_carries_no_learned_risk_but_the_rules_still_see_it():
    ruleset = compile_ruleset(default_rule_specs(), "t", tiny_model())
    result = screen("> doom\n> i want to kill myself", ruleset)
    assert all(m.rule != LEARNED_RULE for m in result.matches)
    assert result.level == "low"  # the rules' quoted hit, capped at low


# --- scoring, windows and spans -----------------------------------------------------------
def test_levels_follow_the_heads():
    model = tiny_model()
    assert model.score("calm calm calm").level == "none"
    assert model.score("worry").level == "medium"
    doom = model.score("doom")
    assert doom.level == "high"
    assert doom.categories == ("suicide", "self_harm")


def test_probabilities_nest_like_the_levels():
    for text in ("worry", "doom", "calm", "worry calm doom", ""):
        low, medium, high = tiny_model().score(text).probabilities
        assert low >= medium >= high


def test_one_dark_passage_in_a_long_post_is_not_averaged_away():
    calm = " ".join(["calm"] * 200)
    text = f"{calm}\nworry worry worry worry\n{calm}"
    score = tiny_model().score(text)
    assert score.level == "medium"
    assert "worry" in text[score.start : score.end]
    assert score.end - score.start < len(text) / 2  # the span names the passage, not the post
    # Averaged over the whole post, the same words would count for nothing.
    assert tiny_model().score(" ".join(text.split())).level == "medium"


def test_windows_cover_every_word_and_overlap():
    counts = [0]
    for n in [1, 2, 1, 3] * 40:
        counts.append(counts[-1] + n)
    windows = learned._windows(counts)
    assert windows[0][0] == 0 and windows[-1][1] == len(counts) - 1
    for (a, b), (c, d) in zip(windows, windows[1:]):
        assert a < c < b <= d  # each starts inside the one before


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_scoring_never_raises_and_spans_lie_in_the_text(text):
    for model in (tiny_model(), default_model()):
        score = model.score(text)
        assert 0 <= score.start <= score.end <= len(text)
        assert score.level in LEVEL_RANK


def test_the_chunk_cache_is_bounded(monkeypatch):
    monkeypatch.setattr(learned, "CHUNK_CACHE_LIMIT", 10)
    model = tiny_model()
    model.score(" ".join(f"word{i}" for i in range(100)))
    assert len(model._chunks) <= 10


# --- the engine's combination -------------------------------------------------------------
def combined(text: str, *, veto: float = 0.2):
    return screen(text, compile_ruleset(default_rule_specs(), "t", tiny_model(veto=veto)))


def test_a_learned_match_is_added_where_the_model_hears_more_than_the_rules():
    text = "calm words. doom"
    result = combined(text)
    assert result.level == "high"
    learned_matches = [m for m in result.matches if m.rule == LEARNED_RULE]
    assert {m.category for m in learned_matches} == {"suicide", "self_harm"}
    assert all(m.context == ("learned",) for m in learned_matches)
    assert spans_are_exact(text, result)
    assert set(result.categories) >= {"suicide", "self_harm"}


def test_no_learned_match_when_the_rules_already_reach_its_level():
    result = combined("worry. I want to die")  # rules: medium; model: medium
    assert result.level == "medium"
    assert all(m.rule != LEARNED_RULE for m in result.matches)


def test_learned_medium_with_a_timeframe_the_rules_found_is_a_plan():
    result = combined("worry worry. it happens tonight")
    assert result.level == "high"
    assert any(m.rule == LEARNED_RULE and "plan" in m.context for m in result.matches)


def test_a_timeframe_in_a_quote_makes_no_plan():
    result = combined("> it happens tonight\nworry worry")
    assert result.level == "medium"


def test_a_lone_rule_hit_the_model_is_sure_is_nothing_is_lowered_not_hidden():
    text = "kms calm calm calm calm"  # "kms" is a medium rule; the model hears only calm
    alone = screen(text, default_ruleset(learned=False))
    assert alone.level == "medium"
    result = combined(text)
    assert result.level == "low"
    [match] = [m for m in result.matches if m.rule == "suicide.signal.kms"]
    assert "learned_unlikely" in match.context
    # With no veto, the rule stands.
    assert combined(text, veto=0.0).level == "medium"


def test_a_plan_the_rules_found_is_never_lowered_by_the_model():
    text = "calm calm calm. I'm going to kill myself tonight"
    assert screen(text, default_ruleset(learned=False)).level == "high"
    assert combined(text).level == "high"


def test_the_version_names_the_model():
    ruleset = compile_ruleset([RuleSpec("x.signal.a", "suicide", "low", "abc")], "db-3", tiny_model())
    assert ruleset.version == "db-3+learned-tiny"
    assert compile_ruleset([], "db-3").version == "db-3"


# --- the shipped model ----------------------------------------------------------------------
def test_the_shipped_model_loads_and_the_product_uses_it():
    model = default_model()
    assert model is not None
    assert model.version.startswith("learned-")
    assert default_ruleset(context=False).model is model
    assert default_ruleset(learned=False).model is None
    assert default_ruleset(context=False).version.endswith("+" + model.version)


def test_with_a_context_check_after_it_the_model_runs_for_recall_without_its_veto():
    model = default_model()
    twin = model.in_cascade()
    assert twin is not model and twin.version == model.version
    assert twin.thresholds == model.cascade[0] and twin.veto == model.cascade[1] == 0.0
    assert twin.thresholds[1] < model.thresholds[1] and twin.thresholds[2] < model.thresholds[2]
    assert model.thresholds == (0.6, 0.5, 0.3) and model.veto == 0.2  # the model itself is unchanged
    plain = tiny_model()  # no cascade settings: the model runs as it is
    assert plain.in_cascade() is plain


def test_a_weights_file_that_does_not_match_its_pieces_is_refused(tmp_path: Path):
    for name in ("model.json", "pieces.txt"):
        (tmp_path / name).write_bytes((learned.MODEL_DIR / name).read_bytes())
    (tmp_path / "weights.bin").write_bytes(b"\0" * 32)
    with pytest.raises(ValueError, match="does not match"):
        LearnedModel.load(tmp_path)


def test_the_shipped_model_holds_no_risk_in_a_supportive_reply_that_quotes_it():
    text = "> I've saved my pills and tonight is the night\nI'm so glad you told us. You matter here."
    result = screen(text, default_ruleset())
    assert LEVEL_RANK[result.level] <= LEVEL_RANK["low"]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "> ",
                "\n",
                " ",
                "tonight",
                "kill",
                "myself",
                "i'm",
                "going",
                "to",
                "k.m.s",
                "\u200b",
                "wоrthless",
                "calm",
                "pills",
                "saved",
                "goodbye",
                "everyone",
                "🙂",
                "lol",
                "s u i c i d e",
            ]
        ),
        max_size=40,
    ).map("".join)
)
def test_the_product_keeps_the_result_contract_for_any_text(text):
    result = screen(text, default_ruleset())
    assert spans_are_exact(text, result)
    top = max((m.level for m in result.matches), key=LEVEL_RANK.__getitem__, default="none")
    assert result.level == top
    assert result.categories == sorted({m.category for m in result.matches})


def test_the_model_does_not_read_idioms_the_rules_know():
    idiom = RuleSpec("self_harm.exception.doom_scrolling", "self_harm", "none", "doom scrolling", role="exception")
    ruleset = compile_ruleset([idiom], "t", tiny_model())
    assert screen("doom scrolling calm calm", ruleset).level == "none"
    assert screen("doom. calm calm", ruleset).level == "high"
    # The rest of the text is still read.
    assert screen("doom scrolling calm. worry worry", ruleset).level == "medium"


def test_min_risk_keeps_the_model_from_naming_medium_or_high_for_a_post_it_thinks_is_nothing():
    model = tiny_model()
    # A medium cut so low that even "calm" (P(low+) under 0.01) passes it: without the
    # gate the model would name medium for a text it is sure holds nothing.
    model.set_thresholds((0.99, 1e-6, 0.999))
    assert model.score("calm").level == "medium"
    model.min_risk = 0.5
    assert model.score("calm").level == "none"
    assert model.score("worry").level == "medium"  # P(low+) about 1: the gate lets it by
