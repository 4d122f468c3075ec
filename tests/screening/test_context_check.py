"""The context check: how the engine uses it (with a stand-in whose answer the test chooses),
its numpy reading of the transformer (against the numbers training recorded), its files, and
what it must do with the shipped weights.

Tests that read the real base weights are marked ``context_check``: skipped locally until
``make models`` has fetched them, never skipped under ``CI=true``.
"""

from __future__ import annotations

import json
import math
import struct
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moderation.screening import context_check, context_runtime
from moderation.screening.context_check import (
    ADAPTER_DIR,
    BASE_SHA256,
    MAX_PIECES,
    ContextCheck,
    _gelu,
    _Layer,
    default_context_check,
    flagged_passages,
    lowered_level,
    read_safetensors,
    weights_path,
)
from moderation.screening.defaults import default_rule_specs, default_ruleset, default_version
from moderation.screening.engine import compile_ruleset, screen
from moderation.screening.evaluation import load_labelled
from moderation.screening.learned import default_model
from moderation.screening.types import LEVEL_RANK

from .helpers import spans_are_exact

ROOT = Path(__file__).resolve().parents[2]
PLAN = "i have the pills saved and tonight is the night"
THOUGHTS = "I keep thinking about killing myself, every day it's there"


class StandIn:
    """A context check whose answer the test sets, and which counts how often it was asked."""

    version = "context-standin"
    thresholds = {"medium": 0.2, "high": 0.1, "high_to_low": 0.03}

    def __init__(self, probability: float) -> None:
        self.answer = probability
        self.asked: list[str] = []

    def probability(self, text: str, level: str | None = None) -> float:
        self.asked.append(text)
        return self.answer


def ruleset_with(check):
    return compile_ruleset(default_rule_specs(), default_version(), default_model(), check)


# --- how the engine uses it -------------------------------------------------------------------


def test_a_sure_no_lowers_a_medium_result_to_low_and_says_why():
    fast = screen(THOUGHTS, ruleset_with(None))
    assert fast.level == "medium"
    result = screen(THOUGHTS, ruleset_with(StandIn(0.1)))
    assert result.level == "low"
    assert result.categories == fast.categories  # lowered, never hidden
    assert len(result.matches) == len(fast.matches)
    lowered = [m for m in result.matches if "context_unlikely" in m.context]
    assert lowered and all(m.level == "low" for m in lowered)
    assert spans_are_exact(THOUGHTS, result)


def test_an_unsure_check_leaves_the_result_alone():
    fast = screen(THOUGHTS, ruleset_with(None))
    result = screen(THOUGHTS, ruleset_with(StandIn(0.21)))
    assert (result.level, result.categories, result.matches) == (fast.level, fast.categories, fast.matches)


def test_high_needs_a_surer_no_and_a_doubted_high_still_reaches_moderators():
    assert screen(PLAN, ruleset_with(None)).level == "high"
    assert screen(PLAN, ruleset_with(StandIn(0.15))).level == "high"  # under medium's 0.2, not high's 0.1
    doubted = screen(PLAN, ruleset_with(StandIn(0.05)))
    assert doubted.level == "medium"  # published with a review item, not held, not dropped
    assert {m.level for m in doubted.matches} <= {"low", "medium"}
    assert any("context_unlikely" in m.context for m in doubted.matches)
    assert screen(PLAN, ruleset_with(StandIn(0.01))).level == "low"  # only when very sure


@pytest.mark.parametrize(
    ("level", "probability", "lowered"),
    [
        ("medium", 0.19, "low"),
        ("medium", 0.2, None),
        ("high", 0.02, "low"),
        ("high", 0.03, "medium"),
        ("high", 0.09, "medium"),
        ("high", 0.1, None),
        ("low", 0.0, None),
        ("none", 0.0, None),
    ],
)
def test_how_far_a_doubt_lowers(level, probability, lowered):
    assert lowered_level(StandIn.thresholds, level, probability) == lowered


@pytest.mark.parametrize("text", ["Lovely walk by the canal today", "feeling low and tired after work"])
def test_posts_the_fast_stages_rate_below_medium_are_never_reread(text):
    check = StandIn(0.0)
    result = screen(text, ruleset_with(check))
    assert result.level in ("none", "low")
    assert check.asked == []


CALM = "The dog is asleep by the fire and the soup is on the stove. "


def test_a_long_post_is_reread_only_around_its_flagged_passage():
    text = CALM * 12 + THOUGHTS + ". " + CALM * 12
    check = StandIn(0.1)
    result = screen(text, ruleset_with(check))
    assert result.level == "low"
    (passage,) = check.asked
    assert THOUGHTS in passage
    assert len(passage.split()) <= len(THOUGHTS.split()) + 2 * context_check.MARGIN_CHUNKS + 2
    assert flagged_passages("short post", [(0, 5)]) == ["short post"]


def test_too_many_flagged_passages_and_the_check_abstains():
    text = (CALM * 6 + THOUGHTS + ". ") * (context_check.MAX_PASSAGES + 1)
    check = StandIn(0.0)
    assert screen(text, ruleset_with(check)).level == "medium"
    assert check.asked == []


def test_with_a_check_loaded_the_learned_veto_steps_aside():
    text = CALM * 3 + THOUGHTS
    assert screen(text, ruleset_with(None)).level == "low"  # the veto reads a bag of words
    assert screen(text, ruleset_with(StandIn(0.9))).level == "medium"


def test_the_rule_set_version_names_the_check():
    assert ruleset_with(StandIn(0.5)).version.endswith("+context-standin")
    assert "+context-" not in ruleset_with(None).version


SETTABLE = StandIn(0.0)
SETTABLE_RULESET = ruleset_with(SETTABLE)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300), st.floats(0, 1))
def test_the_contract_holds_whatever_the_check_says(text, probability):
    SETTABLE.answer = probability
    result = screen(text, SETTABLE_RULESET)
    assert result.level == max((m.level for m in result.matches), key=LEVEL_RANK.__getitem__, default="none")
    assert result.categories == sorted({m.category for m in result.matches})
    assert spans_are_exact(text, result)


# --- the numpy transformer ----------------------------------------------------------------------


def test_gelu_is_the_exact_one():
    xs = np.linspace(-8, 8, 2001)
    exact = np.array([0.5 * x * (1 + math.erf(x / math.sqrt(2))) for x in xs])
    assert np.max(np.abs(_gelu(xs) - exact)) < 1e-6


def test_safetensors_are_read_as_written(tmp_path):
    a = np.arange(6, dtype="<f4").reshape(2, 3)
    b = np.array([1.5, -2.0], dtype="<f4")
    header = {
        "__metadata__": {"format": "pt"},
        "a": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]},
        "ids": {"dtype": "I64", "shape": [1], "data_offsets": [24, 32]},
        "b": {"dtype": "F32", "shape": [2], "data_offsets": [32, 40]},
    }
    raw = json.dumps(header).encode()
    path = tmp_path / "t.safetensors"
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + a.tobytes() + np.int64(7).tobytes() + b.tobytes())
    tensors = read_safetensors(path)
    assert set(tensors) == {"a", "b"}  # only float32 tensors are kept
    assert np.array_equal(tensors["a"], a) and np.array_equal(tensors["b"], b)


def _random_check(seed: int) -> ContextCheck:
    """A check with random layers of the real shapes (no base weights needed), read in numpy."""
    rng = np.random.default_rng(seed)
    hidden, inner = context_check.HIDDEN, 4 * context_check.HIDDEN

    def matrix(rows: int, cols: int) -> np.ndarray:
        return (rng.standard_normal((rows, cols)) / math.sqrt(rows)).astype(np.float32)

    def vector(size: int, around: float = 0.0) -> np.ndarray:
        return (around + 0.1 * rng.standard_normal(size)).astype(np.float32)

    layers = [
        _Layer(
            qkv=matrix(hidden, 3 * hidden),
            qkv_bias=vector(3 * hidden),
            attention_output=matrix(hidden, hidden),
            attention_output_bias=vector(hidden),
            attention_norm=(vector(hidden, 1.0), vector(hidden)),
            intermediate=matrix(hidden, inner),
            intermediate_bias=vector(inner),
            output=matrix(inner, hidden),
            output_bias=vector(hidden),
            output_norm=(vector(hidden, 1.0), vector(hidden)),
        )
        for _ in range(context_check.LAYERS)
    ]
    check = object.__new__(ContextCheck)
    check._layers, check._head, check._head_bias = layers, vector(hidden), 0.3
    return check


@pytest.mark.parametrize("pieces", [1, 2, 17, 80, MAX_PIECES + 2])
def test_the_onnxruntime_graph_computes_what_numpy_computes(pieces):
    """The graph built from the layers gives numpy's logit (the reference reading) for any
    length, float rounding aside."""
    check = _random_check(pieces)
    reader = context_runtime.RuntimeReader(context_runtime.build_model(check._layers, check._head, check._head_bias))
    x = np.random.default_rng(0).standard_normal((pieces, context_check.HIDDEN)).astype(np.float32)
    assert reader.logit(x) == pytest.approx(check._numpy_logit(x), abs=1e-4)


def test_the_onnxruntime_graph_runs_on_one_thread():
    """Hearth runs a process per core; threads on top of that fight over the cores."""
    check = _random_check(1)
    reader = context_runtime.RuntimeReader(context_runtime.build_model(check._layers, check._head, check._head_bias))
    options = reader._session.get_session_options()
    assert (options.intra_op_num_threads, options.inter_op_num_threads) == (1, 1)


def test_the_shipped_adapters_describe_themselves():
    meta = json.loads((ADAPTER_DIR / "context.json").read_text(encoding="utf-8"))
    assert meta["base_sha256"] == BASE_SHA256
    assert meta["version"].startswith("context-")
    thresholds = meta["thresholds"]
    assert 0 < thresholds["high_to_low"] < thresholds["high"] <= thresholds["medium"] < 0.5
    assert "screening_heldout_v10.jsonl" not in meta["trained_on"]  # the blind set is never trained on
    assert (ADAPTER_DIR / "adapters.bin").stat().st_size < 2_000_000


@pytest.fixture
def weights_at(monkeypatch):
    """Point the check at other base weights, with the per-process check loaded afresh
    (and again afterwards, for the tests that follow)."""

    def point(path: Path) -> None:
        monkeypatch.setenv("HEARTH_SCREENING_CONTEXT_WEIGHTS", str(path))
        default_context_check.cache_clear()

    yield point
    default_context_check.cache_clear()


def test_without_base_weights_screening_goes_on_without_the_check(tmp_path, weights_at, caplog):
    weights_at(tmp_path / "absent.safetensors")
    assert default_context_check() is None
    assert "without its context check" in caplog.text


def test_a_wrong_base_file_is_refused(tmp_path, weights_at, caplog):
    wrong = tmp_path / "wrong.safetensors"
    wrong.write_bytes(b"not the model")
    weights_at(wrong)
    assert default_context_check() is None
    assert "not the expected file" in caplog.text


@pytest.mark.context_check
def test_an_onnxruntime_that_cannot_load_the_graph_leaves_the_check_in_numpy(monkeypatch, weights_at, caplog):
    def refuse(serialised):
        raise RuntimeError("no such operator")

    monkeypatch.setattr(context_runtime, "RuntimeReader", refuse)
    weights_at(weights_path())
    loaded = default_context_check()
    assert loaded is not None and loaded.runtime == "numpy"
    assert "onnxruntime could not load its graph" in caplog.text


# --- with the real weights ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def check():
    loaded = default_context_check()
    assert loaded is not None, "the base weights are present but the check did not load"
    return loaded


@pytest.fixture(scope="module")
def numpy_check():
    """The reference reading: the same check read by numpy, as without onnxruntime."""
    return ContextCheck.load(weights_path(), runtime=False)


@pytest.fixture(scope="module")
def float_check():
    """onnxruntime with float32 weights only (no int8 first reading)."""
    return ContextCheck.load(weights_path(), quantised=False)


@pytest.mark.context_check
def test_numpy_reproduces_what_training_recorded(numpy_check, float_check):
    """The engine's numpy reading of base + adapters gives the probabilities torch gave at
    the end of training, for the texts training recorded (and so does the float32 graph)."""
    meta = json.loads((ADAPTER_DIR / "context.json").read_text(encoding="utf-8"))
    assert meta["probes"]
    for text, expected in meta["probes"].items():
        assert numpy_check.probability(text) == pytest.approx(expected, abs=1e-3), text
        assert float_check.probability(text) == pytest.approx(expected, abs=1e-3), text


@pytest.mark.context_check
def test_with_onnxruntime_installed_the_check_runs_on_it_int8_first(check, numpy_check, float_check):
    assert check.runtime == "onnxruntime int8"
    assert float_check.runtime == "onnxruntime"
    assert numpy_check.runtime == "numpy"
    # The same check: the same lowering decisions (next tests), so the same version.
    assert check.version == float_check.version == numpy_check.version


@pytest.mark.context_check
def test_without_onnxruntime_the_check_reads_in_numpy(monkeypatch):
    monkeypatch.setattr(context_runtime, "runtime_available", lambda: False)
    loaded = ContextCheck.load(weights_path())
    assert loaded.runtime == "numpy"
    meta = json.loads((ADAPTER_DIR / "context.json").read_text(encoding="utf-8"))
    text, expected = next(iter(meta["probes"].items()))
    assert loaded.probability(text) == pytest.approx(expected, abs=1e-3)


@pytest.mark.context_check
@pytest.mark.parametrize("name", ["screening_heldout_v10", "screening_labelled"])
def test_onnxruntime_agrees_with_the_numpy_reading_on_the_labelled_sets(float_check, numpy_check, name):
    """The float32 graph against the reference (numpy), post by post, on the blind set that
    counts and on a sample of the labelled set, long posts included: the probabilities
    agree to 1e-4, so every lowering decision is the same."""
    records = load_labelled(ROOT / "tests" / "data" / f"{name}.jsonl")[::4]
    texts = [r.text for r in records] + [CALM * 12 + THOUGHTS + ". " + CALM * 12]
    for text in texts:
        assert float_check.probability(text) == pytest.approx(numpy_check.probability(text), abs=1e-4), text


@pytest.mark.context_check
@pytest.mark.parametrize("name", ["screening_heldout_v10", "screening_heldout_long_v1", "screening_labelled"])
def test_the_int8_first_reading_takes_the_same_decisions_as_float32(check, numpy_check, name):
    """The shipped path reads with int8 weights first and again in float32 only near a
    threshold: for a result at either level, every lowering decision is the reference's."""
    records = load_labelled(ROOT / "tests" / "data" / f"{name}.jsonl")[::3]
    for text in [r.text for r in records]:
        for level in ("medium", "high"):
            expected = lowered_level(numpy_check.thresholds, level, numpy_check.probability(text))
            assert lowered_level(check.thresholds, level, check.probability(text, level)) == expected, (level, text)


@pytest.mark.context_check
@pytest.mark.parametrize(
    "text",
    [
        "took all my pills tonight, the antibiotics course is finally done!",
        "Said goodbye to my old car today, gave the keys to the scrap yard. End of an era.",
    ],
)
def test_everyday_posts_the_fast_stages_flag_are_lowered(check, text):
    assert screen(text, default_ruleset(context=False)).level == "high"
    result = screen(text, default_ruleset())
    assert result.level == "low"
    assert any("context_unlikely" in m.context for m in result.matches)


@pytest.mark.context_check
@pytest.mark.parametrize("text", [PLAN, THOUGHTS, "this is goodbye. by the time you read this i'll be gone"])
def test_risk_stays_flagged(check, text):
    assert LEVEL_RANK[screen(text, default_ruleset()).level] >= LEVEL_RANK["medium"]


@pytest.mark.context_check
def test_a_long_post_is_read_in_windows_so_one_dark_passage_counts(check):
    calm = "We walked the dog by the canal and saw a heron, then made soup. " * 40
    assert len(check.pieces(calm + PLAN)) > MAX_PIECES
    assert check.probability(calm + PLAN) > check.thresholds["medium"]
    assert check.probability(calm) < check.thresholds["medium"]


@pytest.mark.context_check
def test_the_product_rule_set_carries_the_check(check):
    assert default_ruleset().context_check is check
    assert default_ruleset(context=False).context_check is None


@pytest.mark.context_check
def test_fetching_again_does_nothing_when_the_file_is_there(monkeypatch, capsys):
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import fetch_screening_base
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    monkeypatch.setattr(sys, "argv", ["fetch_screening_base.py", str(context_check.weights_path())])
    assert fetch_screening_base.main() == 0
    assert "(present)" in capsys.readouterr().out
