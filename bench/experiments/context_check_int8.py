"""Experiment: the context check with int8 weights on onnxruntime, against float32.

Not part of Hearth (``context_runtime.build_model(quantised=True)`` is not what runs). Prints,
for the numpy reading (the reference), onnxruntime float32 (shipped) and onnxruntime int8
(weights per output column, 7-bit; activations quantised per call): CPU milliseconds per
reread on the passages the whole engine rereads in the speed benchmark's posts, and how far
each moves the probability and the lowering decision on blind v10's rereads, then v10's
three figures with each. Run pinned: ``taskset -c 1 .venv/bin/python bench/experiments/context_check_int8.py``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import numpy as np  # noqa: E402
from screening_speed import build_posts  # noqa: E402

from moderation.screening import context_runtime  # noqa: E402
from moderation.screening.context_check import ContextCheck, flagged_passages, lowered_level, weights_path  # noqa: E402
from moderation.screening.defaults import default_rule_specs, default_version  # noqa: E402
from moderation.screening.engine import _screen_fast, compile_ruleset, screen  # noqa: E402
from moderation.screening.evaluation import evaluate, load_labelled  # noqa: E402
from moderation.screening.learned import default_model  # noqa: E402
from moderation.screening.types import LEVEL_RANK  # noqa: E402


def rereads(texts, ruleset):
    """(fast level, passages) for every text the check would reread."""
    out = []
    for text in texts:
        fast = _screen_fast(text, ruleset)
        if fast.level in ("medium", "high"):
            spans = [(m.start, m.end) for m in fast.matches if LEVEL_RANK[m.level] >= LEVEL_RANK["medium"]]
            passages = flagged_passages(text, spans)
            if passages:
                out.append((fast.level, passages))
    return out


def main() -> None:
    reference = ContextCheck.load(weights_path(), runtime=False)
    layers = reference._layers
    checks = {"numpy (reference)": reference}
    for name, quantised in (("onnxruntime float32", False), ("onnxruntime int8", True)):
        check = ContextCheck.load(weights_path(), runtime=False)
        model = context_runtime.build_model(layers, reference._head, reference._head_bias, quantised=quantised)
        check._reader = context_runtime.RuntimeReader(model)
        checks[name] = check
    model = default_model()
    ruleset = compile_ruleset(default_rule_specs(), default_version(), model, reference)
    speed = rereads(build_posts(1000, seeded_share=0.1), ruleset)[:150]
    v10 = load_labelled(ROOT / "tests/data/screening_heldout_v10.jsonl")
    blind = rereads([r.text for r in v10], ruleset)
    expected = [max(map(reference.probability, passages)) for _, passages in blind]
    for name, check in checks.items():
        started = time.process_time()
        for _, passages in speed:
            max(map(check.probability, passages))
        per_reread = (time.process_time() - started) / len(speed) * 1000
        got = [max(map(check.probability, passages)) for _, passages in blind]
        drift = np.abs(np.array(got) - np.array(expected))
        changed = sum(
            lowered_level(check.thresholds, level, a) != lowered_level(check.thresholds, level, b)
            for (level, _), a, b in zip(blind, expected, got, strict=True)
        )
        engine = compile_ruleset(default_rule_specs(), default_version(), model, check)
        report = evaluate(v10, lambda text, engine=engine: (lambda r: (r.level, r.categories))(screen(text, engine)))
        print(
            f"{name}: {per_reread:.1f} CPU ms a reread; v10 rereads {len(blind)}: drift mean {drift.mean():.4f} "
            f"max {drift.max():.4f}, decisions changed {changed}; v10 recall high {report.high.recall:.3f}, "
            f"medium+ {report.medium_or_above.recall:.3f}, hard-negative false alarms "
            f"{report.hard_negative_false_alarm:.3f}"
        )


if __name__ == "__main__":
    main()
