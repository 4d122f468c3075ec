"""Print what the default hold policy does on labelled sets: the hold floors of issue 18.

Usage: python bench/screening_routes.py [--policy confident|every_high|never] [FILE ...]
(default: the labelled set and every held-out set in tests/data/; any labelled JSON-lines
file works, e.g. a new blind set, without a database)

For each file and for all of them together it prints:

- holds: posts the policy would hold, and the precision of holds (labelled ``high``);
- ordinary held: posts labelled ``none`` that would be held, as a share of all ``none`` posts;
- hard negatives held;
- recall of high into hold-or-urgent: posts labelled ``high`` routed ``hold`` or ``urgent``;
- the count of each route.

The screening is the product's (shipped rules, learned model, context check when its base
weights are present); routes come from ``moderation.screening.routing.route_decide``, as the
Celery task and ``manage.py screen_text`` take them.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from moderation.screening.assessment import assess  # noqa: E402
from moderation.screening.defaults import default_ruleset  # noqa: E402
from moderation.screening.engine import screen  # noqa: E402
from moderation.screening.evaluation import load_labelled  # noqa: E402
from moderation.screening.routing import HOLD, HOLD_CONFIDENT, HOLD_POLICIES, ROUTES, URGENT, route_decide  # noqa: E402

DEFAULT_FILES = [
    ROOT / "tests/data/screening_labelled.jsonl",
    *sorted((ROOT / "tests/data").glob("screening_heldout*.jsonl")),
]


def measure(rows, ruleset, policy: str) -> dict:
    routes: Counter = Counter()
    held = held_high = none_total = none_held = hn_total = hn_held = high_total = high_urgent = 0
    for row in rows:
        result = screen(row.text, ruleset)
        route = route_decide(assess(row.text, result, ruleset), policy=policy).route
        routes[route] += 1
        if route == HOLD:
            held += 1
            held_high += row.level == "high"
        if row.level == "none":
            none_total += 1
            none_held += route == HOLD
        if row.hard_negative:
            hn_total += 1
            hn_held += route == HOLD
        if row.level == "high":
            high_total += 1
            high_urgent += route in (HOLD, URGENT)
    return {
        "posts": len(rows),
        "held": held,
        "precision": held_high / held if held else 1.0,
        "ordinary": f"{none_held}/{none_total}",
        "ordinary_rate": none_held / none_total if none_total else 0.0,
        "hard_negatives": f"{hn_held}/{hn_total}",
        "recall": high_urgent / high_total if high_total else 1.0,
        "high": high_total,
        "routes": routes,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--policy", choices=HOLD_POLICIES, default=HOLD_CONFIDENT)
    parser.add_argument("files", nargs="*")
    args = parser.parse_args()
    paths = [Path(p) for p in args.files] or DEFAULT_FILES
    ruleset = default_ruleset()
    if ruleset.context_check is None:
        print("NOTE: the context check is not loaded (base weights missing: make models)")
    print(f"policy: {args.policy}; rule set {ruleset.version}")
    header = (
        "| file | posts | held | precision of holds | ordinary held | hard negatives held | recall high → hold/urgent |"
    )
    print(header)
    print("|" + "---|" * 7)
    everything = []
    for path in paths:
        rows = load_labelled(path)
        everything.extend(rows)
        m = measure(rows, ruleset, args.policy)
        print(_row(path.name, m))
    total = measure(everything, ruleset, args.policy)
    print(_row("**all**", total))
    print()
    print("routes (all): " + ", ".join(f"{r} {total['routes'][r]}" for r in ROUTES))


def _row(name: str, m: dict) -> str:
    return (
        f"| {name} | {m['posts']} | {m['held']} | {m['precision']:.2f} | {m['ordinary']} ({m['ordinary_rate']:.1%}) "
        f"| {m['hard_negatives']} | {m['recall']:.2f} ({m['high']}) |"
    )


if __name__ == "__main__":
    main()
