"""``python manage.py screen_text PATH``: screen JSON lines with the site's active rules.

Input: one JSON object per line, ``{"id": …, "text": "…"}`` (``PATH`` ``-`` reads standard
input). Output: one JSON line per valid input, in input order::

    {"id": …, "level": "none|low|medium|high", "categories": [...],
     "matches": [{"category", "rule", "text", "start", "end"}],
     "route": "hold|urgent|review|suggest|none"}

``route`` is what the product would do with the post under the default hold policy (hold
only confident highs; ``--policy`` picks another): hold = held with an urgent item; urgent =
published with an urgent item; review = published with an item; suggest = content notes
suggested to the author only (``moderation.screening.routing``). So a policy can be measured
on any labelled file without a database of posts.

``start``/``end`` index the input text. A line that is not valid JSON, not an object, or
has no string ``text`` is reported on standard error with its line number and skipped;
the exit status is then 1. Blank lines are ignored.
"""

from __future__ import annotations

import json
import sys
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from moderation.screening.assessment import assess
from moderation.screening.engine import screen
from moderation.screening.routing import HOLD_CONFIDENT, HOLD_POLICIES, route_decide
from moderation.screening.selectors import active_ruleset


class Command(BaseCommand):
    help = "Screen JSON lines ({id, text}) with the active screening rules; print JSON lines."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="a JSON-lines file, or - for standard input")
        parser.add_argument(
            "--policy",
            choices=HOLD_POLICIES,
            default=HOLD_CONFIDENT,
            help="the subforum hold policy whose route to print (default: hold confident highs)",
        )

    def handle(self, *args: Any, path: str, policy: str = HOLD_CONFIDENT, **options: Any) -> None:
        ruleset = active_ruleset()
        bad = 0
        source: IO[str]
        try:
            source = sys.stdin if path == "-" else open(path, encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
        with source:
            for number, line in enumerate(source, 1):
                if not line.strip():
                    continue
                problem, item = _parse(line)
                if problem:
                    bad += 1
                    self.stderr.write(f"line {number}: {problem}; skipped")
                    continue
                result = screen(item["text"], ruleset)
                route = route_decide(assess(item["text"], result, ruleset), policy=policy).route
                line = {"id": item.get("id"), **result.to_dict(), "route": route}
                self.stdout.write(json.dumps(line, ensure_ascii=False))
        if bad:
            self.stderr.write(f"{bad} bad line(s)")
            sys.exit(1)


def _parse(line: str) -> tuple[str, dict[str, Any]]:
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        return f"not valid JSON ({exc.msg})", {}
    if not isinstance(item, dict):
        return "not a JSON object", {}
    if not isinstance(item.get("text"), str):
        return 'no string "text"', {}
    return "", item
