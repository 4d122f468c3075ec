"""Where a page's Python time goes, on a `seed_forum` database (docs/performance.md).

    DATABASE_URL=postgres://.../hearth_bench python manage.py seed_forum     # once
    DATABASE_URL=postgres://.../hearth_bench .venv/bin/python bench/profile_pages.py [--runs 40] [--top 12]

Requests each page in-process through Django's test client (DEBUG off, cached templates, as in
production), prints median and p95 server time and SQL queries per request, then profiles the
same requests with pyinstrument and prints the functions with the most self time, summed over
the run. In-process: no server, network or middleware-free shortcuts; the load test of a running
server is bench/'s wrk harness.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from pyinstrument import Profiler  # noqa: E402

from accounts.models import User  # noqa: E402
from forum.models import Subforum, Thread  # noqa: E402


def pages() -> dict[str, str]:
    biggest = Subforum.objects.filter(parent__isnull=False).order_by("-thread_count").first()
    big = Thread.objects.order_by("-post_sequence").first()
    ordinary = Thread.objects.filter(status="published", reply_count__gte=24, reply_count__lte=40).first()
    writer = User.objects.order_by("-post_count").first()
    last_thread_page = (big.post_sequence + 1 + settings.HEARTH_POSTS_PER_PAGE - 1) // settings.HEARTH_POSTS_PER_PAGE
    return {
        "home": "/",
        "subforum p1": biggest.get_absolute_url(),
        "subforum p500": f"{biggest.get_absolute_url()}?page=500",
        "subforum last": f"{biggest.get_absolute_url()}?page=last",
        "thread (25 posts)": ordinary.get_absolute_url(),
        "long thread p1": big.get_absolute_url(),
        "long thread last": f"{big.get_absolute_url()}?page={last_thread_page}",
        "waiting": "/waiting/",
        "profile": f"/m/{writer.pseudonym}/",
    }


def measure(client: Client, url: str, runs: int) -> tuple[float, float, int]:
    client.get(url)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], len(queries)


AREAS = [
    ("database (psycopg, waiting on PostgreSQL)", ("psycopg/", "psycopg_pool/")),
    ("SQL compiling", ("django/db/models/sql/", "django/db/models/expressions.py", "django/db/models/lookups.py")),
    ("model instances and querysets", ("django/db/models/", "django/db/backends/")),
    (
        "naturaltime, dates and translation",
        (
            "django/contrib/humanize/",
            "django/utils/translation/",
            "django/utils/timesince.py",
            "django/utils/dateformat.py",
            "django/utils/formats.py",
        ),
    ),
    ("URL reversing", ("django/urls/",)),
    ("templates", ("django/template/", "django/templatetags/", "django/utils/html.py", "django/utils/safestring.py")),
    (
        "sessions, auth, middleware, request/response",
        (
            "django/contrib/",
            "django/middleware/",
            "django/http/",
            "django/core/handlers/",
            "django/test/",
            "csp/",
            "allauth/",
        ),
    ),
    ("Hearth's own code", ("forum/", "accounts/", "moderation/", "notifications/", "config/")),
]


def _area(path: str) -> str | None:
    for area, prefixes in AREAS:
        if any(prefix in path for prefix in prefixes):
            return area
    return None


def profile_page(client: Client, url: str, runs: int, top: int) -> tuple[list, list]:
    """(share of self time by area, top functions by self time); built-ins count for their caller."""
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(runs):
        client.get(url)
    session = profiler.stop()
    areas: dict[str, float] = defaultdict(float)
    functions: dict[str, float] = defaultdict(float)

    def walk(frame, inherited: str) -> None:
        path = frame.file_path_short or ""
        area = _area(path) or (inherited if not path or path.startswith("<") else "other")
        if frame.total_self_time:
            areas[area] += frame.total_self_time
            if path and not path.startswith("<"):
                functions[f"{frame.function} ({path}:{frame.line_no})"] += frame.total_self_time
        for child in frame.children:
            walk(child, area)

    walk(session.root_frame(), "other")
    whole = sum(areas.values()) or 1
    by_area = [(100 * t / whole, name) for name, t in sorted(areas.items(), key=lambda kv: -kv[1])]
    by_function = [(100 * t / whole, name) for name, t in sorted(functions.items(), key=lambda kv: -kv[1])[:top]]
    return by_area, by_function


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--only", default="", help="profile only pages whose name contains this")
    args = parser.parse_args()
    member = User.objects.filter(is_moderator=False, email__startswith="seed").order_by("pk").first()
    for who in ("guest", "member"):
        client = Client(SERVER_NAME="localhost")
        if who == "member":
            client.force_login(member)
        print(f"\n== {who} ==")
        print(f"{'page':<20} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
        for name, url in pages().items():
            median, p95, queries = measure(client, url, args.runs)
            print(f"{name:<20} {median:>10.1f} {p95:>8.1f} {queries:>8}")
    client = Client(SERVER_NAME="localhost")
    for name, url in pages().items():
        if args.only and args.only not in name:
            continue
        by_area, by_function = profile_page(client, url, args.runs, args.top)
        print(f"\n-- {name} (guest), {args.runs} requests: self time by area")
        for share, area in by_area:
            print(f"  {share:5.1f}%  {area}")
        print("   top functions:")
        for share, function in by_function:
            print(f"  {share:5.1f}%  {function}")


if __name__ == "__main__":
    main()
