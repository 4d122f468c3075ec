"""A web worker's resident memory after its first 1,000 requests and after 20,000.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/hearth_bench REDIS_URL=redis://127.0.0.1:6379/6
    .venv/bin/python bench/memory.py [--first 1000] [--total 20000] [--connections 8]

Serves Hearth as bench/pages.py does but with one uvicorn worker, so that every request lands
in the worker measured, and sends it the read pages of bench/pages.py in turn (home, a subforum's
first and deep pages, the big thread's first and last pages, "Waiting for a reply", a profile,
the moderation queue), signed in as the bench moderator. It reads the worker's VmRSS from /proc
every ``--first`` requests up to ``--total`` (so a run cut short still shows the trend) and
compares the last reading with the first. Floor (issue 22): the second
within 15 % of the first.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness  # noqa: E402

GROWTH_FLOOR = 0.15


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--first", type=int, default=1_000, help="requests before the first reading (default 1000)")
    parser.add_argument("--total", type=int, default=20_000, help="requests before the second reading (default 20000)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (default 8)")
    parser.add_argument("--port", type=int, default=harness.DEFAULT_PORT + 2, help="loopback port to serve on")
    parser.add_argument("--seed-if-empty", action="store_true", help="run manage.py seed_forum on an empty database")
    return parser.parse_args(argv)


def drive(server: harness.Server, paths: list[str], cookie: str, requests: int, connections: int) -> int:
    """Send ``requests`` requests; return how many went."""
    failures = harness.send_requests(server, paths, cookie, requests, connections)
    if failures:
        raise SystemExit(f"{failures} requests failed while driving the worker")
    return requests


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from bench.pages import prepare

    targets = prepare(seed_if_empty=args.seed_if_empty, scale="million")
    paths = [page.path for page in targets.pages if not page.is_post]
    readings: list[tuple[int, int]] = []
    with harness.running_server(port=args.port, workers=1) as server:
        (worker,) = server.worker_pids()[:1]
        print(f"Machine: {harness.machine_description()}; worker pid {worker}", flush=True)
        sent = 21  # the start-up check's requests to the ceiling
        # A reading every --first requests, so that a run cut short still shows the trend.
        while sent < args.total:
            sent += drive(server, paths, targets.moderator_cookie, args.first - sent % args.first, args.connections)
            readings.append((sent, harness.rss_kib(worker)))
            print(f"after {sent:,} requests: {readings[-1][1] / 1024:.1f} MiB", flush=True)
    (first_sent, first_kib), (last_sent, last_kib) = readings[0], readings[-1]
    growth = last_kib / first_kib - 1
    ok = growth <= GROWTH_FLOOR
    print(
        f"\n| requests | RSS MiB |\n| ---: | ---: |\n| {first_sent:,} | {first_kib / 1024:.1f} |\n"
        f"| {last_sent:,} | {last_kib / 1024:.1f} |\n\nGrowth {growth * 100:+.1f} % "
        f"({'PASS' if ok else 'FAIL'}: at most {GROWTH_FLOOR * 100:.0f} %)"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
