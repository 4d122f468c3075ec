"""Print how many ~1 KB posts per second one core screens with the default rules.

Usage: python bench/screening_speed.py [--posts N] [--seconds S]

Posts are built deterministically: everyday forum sentences padded to about 1,000
characters, a share of them carrying one text from the labelled set (risky, coded or
hard-negative, so that context rules and span mapping run); about one in five carries
non-ASCII text (emoji, curly quotes, look-alike letters), which takes the slower folding
path. Two mixes are measured: every post seeded (the worst case) and one in ten seeded
(closer to a forum's traffic). Floor: 5,000 posts/s.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from moderation.screening.defaults import default_ruleset  # noqa: E402
from moderation.screening.engine import screen  # noqa: E402
from moderation.screening.evaluation import load_labelled  # noqa: E402

FILLER = [
    "Work was long today and the bus was late again.",
    "I made soup and watched a documentary about whales.",
    "My therapist says I should write down three good things each evening.",
    "Does anyone have advice for talking to a GP about anxiety?",
    "The weather has been grey all week, which does not help my mood.",
    "I finally cleaned my room and it feels a little lighter in here.",
    "Thanks to everyone who replied to my last thread, it meant a lot.",
    "Sleep has been patchy, I wake at four and lie there thinking.",
    "We walked the dog by the canal and saw a heron.",
    "Exams start in two weeks and I keep putting off revision.",
]
UNICODE_BITS = ["I’m tired 😔", "café", "naïve", "thаnks (Cyrillic a)", "ok\u200b"]


def build_posts(
    count: int, size: int = 1000, seed: int = 11, seeded_share: float = 1.0
) -> list[str]:
    rng = random.Random(seed)
    seeds = [r.text for r in load_labelled(ROOT / "tests/data/screening_labelled.jsonl")]
    posts = []
    for i in range(count):
        parts = [rng.choice(seeds)] if rng.random() < seeded_share else []
        if i % 5 == 0:
            parts.append(rng.choice(UNICODE_BITS))
        while sum(len(p) + 1 for p in parts) < size:
            parts.append(rng.choice(FILLER))
        rng.shuffle(parts)
        posts.append(" ".join(parts)[:size])
    return posts


def measure(posts: list[str], seconds: float) -> tuple[int, float, int]:
    """Screen the posts round and round for at least ``seconds``; (count, elapsed, flagged)."""
    ruleset = default_ruleset()
    for text in posts[:200]:  # warm caches (look-alike folding, compiled alternations)
        screen(text, ruleset)
    screened = flagged = 0
    started = time.perf_counter()
    while True:
        for text in posts:
            if screen(text, ruleset).level != "none":
                flagged += 1
        screened += len(posts)
        elapsed = time.perf_counter() - started
        if elapsed >= seconds:
            return screened, elapsed, flagged


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--seconds", type=float, default=3.0, help="minimum time per mix")
    args = parser.parse_args()
    ruleset = default_ruleset()
    print(f"rule set {ruleset.version}, {len(ruleset.rules)} enabled rules, one core")
    for label, share in (("every post seeded", 1.0), ("one post in ten seeded", 0.1)):
        posts = build_posts(args.posts, seeded_share=share)
        screened, elapsed, flagged = measure(posts, args.seconds)
        size = sum(map(len, posts)) / len(posts)
        print(
            f"{label}: {screened} posts of {size:.0f} characters in {elapsed:.2f} s: "
            f"{screened / elapsed:,.0f} posts/s ({flagged / screened:.0%} rated low or above)"
        )


if __name__ == "__main__":
    main()
