"""Print Hearth's screening quality beside the naive baseline, from one run.

Usage: python bench/screening_quality.py [-v] [FILE ...]
(default: the labelled set and every held-out set in tests/data/)

Hearth = the shipped default rules with the shipped learned model and context check, as the
site screens; fast stages = the rules and learned model without the context check; rules
alone = the rules without either; naive = case-insensitive whole-word matching of the same
vocabulary (``moderation.screening.baseline``). The figures in docs/screening.md are pasted
from this script's output.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from moderation.screening.baseline import NaiveList  # noqa: E402
from moderation.screening.defaults import default_rule_specs, default_ruleset  # noqa: E402
from moderation.screening.engine import screen  # noqa: E402
from moderation.screening.evaluation import Report, evaluate, load_labelled  # noqa: E402

DEFAULT_FILES = [
    ROOT / "tests/data/screening_labelled.jsonl",
    ROOT / "tests/data/screening_heldout_v1.jsonl",
    ROOT / "tests/data/screening_heldout.jsonl",
    ROOT / "tests/data/screening_heldout_v3.jsonl",
    ROOT / "tests/data/screening_heldout_v4.jsonl",
    ROOT / "tests/data/screening_heldout_v5.jsonl",
    ROOT / "tests/data/screening_heldout_v6.jsonl",
    ROOT / "tests/data/screening_heldout_v7.jsonl",
    ROOT / "tests/data/screening_heldout_v8.jsonl",
    ROOT / "tests/data/screening_heldout_v9.jsonl",
    ROOT / "tests/data/screening_heldout_v10.jsonl",
]


def _row(name: str, rep: Report) -> str:
    cells = [name]
    for level in ("low", "medium", "high"):
        m = rep.per_level[level]
        cells.append(f"{m.precision:.2f} / {m.recall:.2f} / {m.f1:.2f}")
    cells += [
        f"{rep.high.recall:.2f}",
        f"{rep.medium_or_above.recall:.2f}",
        f"{rep.medium_or_above.precision:.2f}",
        f"{rep.hard_negative_false_alarm:.2f}",
        f"{rep.coded_recall:.2f}",
        f"{rep.category_recall:.2f}",
    ]
    return "| " + " | ".join(cells) + " |"


def main(paths: list[str]) -> None:
    ruleset = default_ruleset()
    fast_stages = default_ruleset(context=False)
    rules_alone = default_ruleset(learned=False)
    naive = NaiveList(default_rule_specs())

    def hearth(text: str) -> tuple[str, list[str]]:
        r = screen(text, ruleset)
        return r.level, r.categories

    def fast(text: str) -> tuple[str, list[str]]:
        r = screen(text, fast_stages)
        return r.level, r.categories

    def rules(text: str) -> tuple[str, list[str]]:
        r = screen(text, rules_alone)
        return r.level, r.categories

    def baseline(text: str) -> tuple[str, list[str]]:
        r = naive.screen(text)
        return r.level, r.categories

    if ruleset.context_check is None:
        print("NOTE: the context check is not loaded (base weights missing: make models)")
    print(f"rule set {ruleset.version}, {len(ruleset.rules)} enabled rules")
    for path in paths or [str(p) for p in DEFAULT_FILES if p.exists()]:
        rows = load_labelled(path)
        risky = [r for r in rows if r.level != "none" and not r.hard_negative]
        hard = [r for r in rows if r.hard_negative]
        print()
        print(f"## {Path(path).name}: {len(rows)} posts")
        print(
            "levels: "
            + ", ".join(f"{lv} {sum(1 for r in rows if r.level == lv)}" for lv in ("none", "low", "medium", "high"))
            + f"; coded {sum(r.coded for r in rows)} of {len(risky)} risky; "
            f"hard negatives {len(hard)}, of which the naive list flags "
            f"{sum(naive.flags(r.text) for r in hard)}"
        )
        print()
        print(
            "| engine | low P / R / F1 | medium P / R / F1 | high P / R / F1 | recall high "
            "| recall medium+ | precision medium+ | hard-negative false alarms (medium+) "
            "| coded recall | category recall |"
        )
        print("|---" * 10 + "|")
        hearth_report = evaluate(rows, hearth)
        print(_row("Hearth", hearth_report))
        print(_row("fast stages", evaluate(rows, fast)))
        print(_row("rules alone", evaluate(rows, rules)))
        print(_row("naive list", evaluate(rows, baseline)))
        if "-v" in sys.argv:
            for m in hearth_report.mistakes:
                print(f"  {m['id']}: labelled {m['label']}, Hearth {m['predicted']}: {m['text']!r}")


if __name__ == "__main__":
    main([a for a in sys.argv[1:] if a != "-v"])
