"""Rendering cost on pathological posts at the maximum length, against plain text of the same size.

    .venv/bin/python bench/rendering.py            # the shipped renderer (markdown-it-py + nh3)
    .venv/bin/python bench/rendering.py --repeat 9

Each input is built to HEARTH_MAX_POST_LENGTH characters and passes the length and shape checks
that posting applies before rendering (``forum.validation.clean_body``); inputs those checks
refuse are listed as refused, with how long the refusal took. Each accepted input is rendered
``--repeat`` times; the median is compared with plain prose of the same length. The bound
(issue 16): the worst accepted input within 50x plain text, and none over about a second.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.exceptions import ValidationError  # noqa: E402

from forum.rendering import render_post  # noqa: E402
from forum.validation import (  # noqa: E402
    MAX_LINES,
    MAX_LINKS,
    MAX_MARKUP_CHARACTERS,
    MAX_NESTING,
    clean_body,
)

PROSE = "Some days are heavier than others, and that is all right. "


def _fill(unit: str, size: int, head: str = "") -> str:
    body = head + unit * ((size - len(head)) // len(unit) + 1)
    return body[:size]


def _pad(text: str, size: int) -> str:
    """``text`` followed by plain prose up to ``size`` characters."""
    return (text + "\n" + _fill(PROSE, size))[:size]


def inputs(size: int) -> dict[str, str]:
    """Naive pathological posts (most are refused by the shape checks), then the worst posts
    that the checks still accept: each pushed to one limit and filled with prose to ``size``."""
    lines, markup, nesting, links = MAX_LINES - 2, MAX_MARKUP_CHARACTERS, MAX_NESTING, MAX_LINKS
    row4 = "| a | b | c | d |\n"
    return {
        "plain prose": _fill(PROSE, size),
        # naive: the whole post one pattern
        "table, 4 columns": _fill(row4, size, "| h1 | h2 | h3 | h4 |\n|---|---|---|---|\n"),
        "table, 1 column": _fill("| x |\n", size, "| h |\n|---|\n"),
        "nested quotes": _fill(">", size - 5) + " deep",
        "nested lists": "".join("  " * (i % 30) + "- item\n" for i in range(size // 14))[:size],
        "emphasis run *_": _fill("*_", size),
        "brackets [": _fill("[", size),
        "link brackets [x](": _fill("[x](", size),
        "links, www": _fill("www.example.org ", size),
        "many short lines": _fill("a\n", size),
        "one long line": _fill("word", size),
        "long url": "https://example.org/" + _fill("a", size - 20),
        "raw html": _fill("<div><script>x</script><img src=x onerror=y>", size),
        # at the limits
        "limit: table rows": _pad("| h | h | h | h |\n|---|---|---|---|\n" + row4 * ((markup - 15) // 5), size),
        "limit: lines": _pad("a\n" * lines, size),
        "limit: lines of *a": _pad("*a\n" * lines, size),
        "limit: headings": _pad("# h\n" * lines, size),
        "limit: emphasis *_": _pad("*_" * (markup // 2), size),
        "limit: brackets [": _pad("[" * markup, size),
        "limit: [x](": _pad("[x](" * (markup // 2), size),
        "limit: [x](y) ": _pad("[x](y) " * (markup // 2), size),
        "limit: backticks": _pad("`a" * markup, size),
        "limit: entities &": _pad("&#x202E;" * markup, size),
        "limit: < runs": _pad("<a " * markup, size),
        "limit: lines of [": _pad(("[" * (markup // lines) + "\n") * lines, size),
        "limit: nested quotes": _pad(("> " * nesting + "x\n") * min(lines, size // (2 * nesting + 2) - 20), size),
        "limit: nested lists": _pad("".join("  " * (i % nesting) + "- x\n" for i in range(lines)), size),
        "limit: www links": _pad("www.example.org " * links, size),
        "limit: bare links": _pad("https://example.org/a " * links, size),
        "limit: markdown links": _pad("[l](https://example.org/a) " * links, size),
        "limit: images": _pad("![i](https://example.org/a.png) " * links, size),
        "limit: mixed": _pad(("*a* [b](https://x.org) `c` | d |\n" * 120), size),
    }


def _median_ms(source: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        render_post(source)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    size = settings.HEARTH_MAX_POST_LENGTH
    cases = inputs(size)
    plain_ms = _median_ms(cases["plain prose"], args.repeat)
    print(f"renderer: markdown-it-py + nh3; posts of {size:,} characters; median of {args.repeat} renders")
    print(f"{'input':<26} {'ms':>9} {'x plain':>9}  note")
    worst = ("", 0.0, 0.0)
    for name, source in cases.items():
        start = time.perf_counter()
        try:
            clean_body(source)
        except ValidationError as error:
            refused_ms = (time.perf_counter() - start) * 1000
            print(f"{name:<26} {refused_ms:>9.2f} {'':>9}  refused before rendering: {error.messages[0][:60]}")
            continue
        ms = _median_ms(source, args.repeat)
        ratio = ms / plain_ms
        if ratio > worst[2]:
            worst = (name, ms, ratio)
        print(f"{name:<26} {ms:>9.2f} {ratio:>9.1f}")
    print(f"\nplain text: {plain_ms:.2f} ms; worst accepted: {worst[0]} at {worst[1]:.1f} ms ({worst[2]:.1f}x plain)")
    ok = worst[2] <= 50 and worst[1] <= 1000
    print("within the bound (<= 50x plain, <= 1 s)" if ok else "OUTSIDE the bound (<= 50x plain, <= 1 s)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
