"""Cross-validated figures for the whole screening engine: the fast stages and the context
check, each out of fold.

Reads what the two training scripts' ``--cv`` runs wrote (every post's fast-stage level per
threshold setting, and every post's context-check probability, each from a model that never
saw that post) and prints, on the posts the rules were never tuned on, recall on high,
recall on medium or above and hard-negative false alarms for each fast setting, with and
without the check at several thresholds. Pure Python; no model is run here.

    python scripts/screening_cv_figures.py var/fast_cv.jsonl var/context_cv.jsonl
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from train_screening_model import RULES_UNSEEN  # noqa: E402  (scripts/ is on the path)

from moderation.screening.context_check import lowered_level  # noqa: E402

RANK = {"none": 0, "low": 1, "medium": 2, "high": 3}
#: The check's thresholds as ``context.json`` names them; ``high_to_low`` equal to ``high``
#: lowers every doubted high to low, smaller keeps the less sure doubts at medium.
CHECK_SETTINGS = (
    None,
    {"medium": 0.2, "high": 0.1, "high_to_low": 0.1},
    {"medium": 0.2, "high": 0.1, "high_to_low": 0.03},  # shipped
    {"medium": 0.2, "high": 0.2, "high_to_low": 0.2},
    {"medium": 0.1, "high": 0.1, "high_to_low": 0.1},
    {"medium": 0.2, "high": 0.0, "high_to_low": 0.0},  # a high is never lowered
)


def load(path: Path) -> dict[tuple[str, str], dict]:
    rows = (json.loads(line) for line in path.open(encoding="utf-8") if line.strip())
    return {(row["origin"], row["id"]): row for row in rows}


def main() -> None:
    fast, check = load(Path(sys.argv[1])), load(Path(sys.argv[2]))
    # The posts the rules were never tuned on, as the training scripts report on them.
    keys = [k for k in fast if k[0].startswith(RULES_UNSEEN) and k in check]
    settings = list(fast[keys[0]]["levels"])
    high = [k for k in keys if check[k]["level"] == "high"]
    risky = [k for k in keys if RANK[check[k]["level"]] >= 2]
    hard = [k for k in keys if check[k]["hard_negative"]]
    ordinary = [k for k in keys if check[k]["level"] == "none" and not check[k]["hard_negative"]]
    print(
        f"{len(keys)} posts the rules never saw: high {len(high)}, medium+ {len(risky)}, "
        f"hard negatives {len(hard)}, ordinary {len(ordinary)}"
    )
    print(
        "fast setting (low,medium,high,veto,min_risk) | check (medium/high/high_to_low) | recall high "
        "| medium+ | hard-negative FA | ordinary at medium+ | ordinary at high"
    )
    for setting in settings:
        for thresholds in CHECK_SETTINGS:

            def level(k, setting=setting, thresholds=thresholds):
                fast_level = fast[k]["levels"][setting]
                if thresholds is None:
                    return RANK[fast_level]
                return RANK[lowered_level(thresholds, fast_level, check[k]["probability"]) or fast_level]

            recall_high = sum(level(k) == 3 for k in high) / len(high)
            recall_risky = sum(level(k) >= 2 for k in risky) / len(risky)
            false_alarms = sum(level(k) >= 2 for k in hard) / len(hard)
            review = sum(level(k) >= 2 for k in ordinary) / len(ordinary)
            held = sum(level(k) == 3 for k in ordinary) / len(ordinary)
            label = "none" if thresholds is None else "/".join(str(v) for v in thresholds.values())
            print(
                f"{setting:22s} | {label:16s} | {recall_high:.3f} | {recall_risky:.3f} "
                f"| {false_alarms:.3f} | {review:.3f} | {held:.3f}"
            )


if __name__ == "__main__":
    main()
