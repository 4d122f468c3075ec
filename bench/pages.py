"""Load test of Hearth's pages against a ceiling, served as in production (docs/performance.md).

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/hearth_bench REDIS_URL=redis://127.0.0.1:6379/6
    .venv/bin/python bench/pages.py [--duration 20] [--connections 8] [--workers 2] [--seed-if-empty]

Starts uvicorn with 2 workers under the production profile (DEBUG off, PostgreSQL, Redis) on a
loopback port with ``HEARTH_BENCH=true``, which routes the *ceiling*: one indexed query and a
one-line template through the same server and middleware. wrk then drives each page for a fixed
time at 8 connections, signed in as a member (the moderation queue as a moderator), and the
script prints requests/s, p50, p99, errors and SQL queries per request, each page's
requests/s as a share of the ceiling's, and PASS/FAIL against the issue's floors: every read
page at least 0.35 of the ceiling with p99 at most 100 ms; posting a reply p50 at most 60 ms.

Queries per request come from a separate, untimed pass: in bench mode a request that sends
``X-Hearth-Bench-Queries: 1`` gets back the number of SQL statements it ran (a
``connection.execute_wrapper`` in the outermost middleware). The timed requests never send it.

The ceiling is measured first and last, and the shares use the mean of the two, so that a
machine whose load changes during the run is visible (the two ceilings differ) and halved. The
server workers' CPU time per request (from /proc, around each wrk run) is printed too, with the
share it gives in brackets: on a shared machine it is the steadier figure, as it leaves out the
time a worker waits for a core.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness  # noqa: E402

READ_SHARE_FLOOR = 0.35
READ_P99_FLOOR_MS = 100.0
POST_P50_FLOOR_MS = 60.0
DEEP_SUBFORUM_PAGE = 500
# Replies go to the most recently active threads in turn, as members' replies spread over a
# forum: eight connections posting into one thread would wait on its row lock (positions are
# handed out one at a time), which measures one thread's queue rather than posting.
REPLY_THREADS = 50
SCALES = {
    # A quick run to check the harness; the 2,000-reply thread is in both.
    "small": ["--members", "1000", "--threads", "1000", "--posts", "10000", "--seed", "22"],
    # The benchmark scale (seed_forum's defaults).
    "million": ["--seed", "22"],
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=20, help="seconds of wrk per page (default 20)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (default 8)")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes (default 2)")
    parser.add_argument("--port", type=int, default=harness.DEFAULT_PORT, help="loopback port to serve on")
    parser.add_argument(
        "--seed-if-empty", action="store_true", help="run manage.py seed_forum first when the database has no threads"
    )
    parser.add_argument("--scale", choices=sorted(SCALES), default="million", help="seed size for --seed-if-empty")
    parser.add_argument("--only", default="", help="comma-separated page keys to run (default: all)")
    return parser.parse_args(argv)


@dataclass
class Page:
    key: str
    label: str
    path: str
    as_moderator: bool = False
    is_post: bool = False


@dataclass
class Targets:
    pages: list[Page]
    member_cookie: str
    moderator_cookie: str
    reply_thread_ids: list[int]
    description: str


def prepare(*, seed_if_empty: bool, scale: str) -> Targets:
    """Migrate, seed if asked, add the bench's member, moderator and queue, and pick the pages."""
    harness.manage("migrate", "--no-input")
    harness.setup_django()
    from django.core.management import get_commands
    from django.db.models import Count

    from forum.models import Post, Subforum, Thread

    if not Thread.objects.exists():
        if not seed_if_empty:
            raise SystemExit("The benchmark database holds no threads: pass --seed-if-empty to run seed_forum.")
        if "seed_forum" not in get_commands():
            raise SystemExit("manage.py seed_forum is not available on this branch; seed the database first.")
        print(f"Seeding ({scale}) with manage.py seed_forum {' '.join(SCALES[scale])} ...", flush=True)
        started = time.monotonic()
        harness.manage("seed_forum", *SCALES[scale], quiet=False)
        print(f"Seeded in {time.monotonic() - started:.0f} s", flush=True)
    member, moderator = _bench_accounts()
    _top_up_queue(moderator)

    published = Thread.objects.filter(status="published")
    busiest = published.values("subforum").annotate(n=Count("id")).order_by("-n").first()
    subforum = Subforum.objects.get(pk=busiest["subforum"])
    per_page = _setting("HEARTH_THREADS_PER_PAGE")
    last_listing_page = max(1, -(-busiest["n"] // per_page))
    deep = min(DEEP_SUBFORUM_PAGE, last_listing_page)
    big = published.order_by("-reply_count", "pk").first()
    posts_per_page = _setting("HEARTH_POSTS_PER_PAGE")
    last_thread_page = max(1, -(-(big.reply_count + 1) // posts_per_page))
    reply_threads = list(
        published.filter(is_locked=False, subforum__posting_policy="open")
        .exclude(pk=big.pk)
        .order_by("-last_activity_at")[:REPLY_THREADS]
    )
    profile = big.author.pseudonym
    deep_label = f"subforum, page {deep}" + ("" if deep == DEEP_SUBFORUM_PAGE else " (last; fewer than 500)")
    pages = [
        Page("home", "home", "/"),
        Page("subforum-first", "subforum, first page", subforum.get_absolute_url()),
        Page("subforum-deep", deep_label, f"{subforum.get_absolute_url()}?page={deep}"),
        Page("thread-first", f"{big.reply_count:,}-reply thread, first page", big.get_absolute_url()),
        Page(
            "thread-last",
            f"{big.reply_count:,}-reply thread, page {last_thread_page} (last)",
            f"{big.get_absolute_url()}?page={last_thread_page}",
        ),
        Page("waiting", "waiting for a reply", "/waiting/"),
        Page("profile", "profile", f"/m/{urllib.parse.quote(profile)}/"),
        Page("queue", "moderation queue (moderator)", "/moderation/", as_moderator=True),
        Page(
            "reply",
            f"posting a reply (POST, {len(reply_threads)} threads)",
            f"/t/{reply_threads[0].pk}/reply/",
            is_post=True,
        ),
    ]
    from moderation.models import ReviewItem

    description = (
        f"{Post.objects.count():,} posts, {Thread.objects.count():,} threads; subforum '{subforum.slug}' "
        f"({busiest['n']:,} threads); {ReviewItem.objects.exclude(status='resolved').count():,} open review items"
    )
    return Targets(
        pages=pages,
        member_cookie=harness.session_cookie_for(member),
        moderator_cookie=harness.session_cookie_for(moderator),
        reply_thread_ids=[thread.pk for thread in reply_threads],
        description=description,
    )


def _setting(name: str) -> int:
    from django.conf import settings

    return getattr(settings, name)


def _bench_accounts():
    """A member who has posted before (so nothing is held for first-post review) and has
    accepted the guidelines, and a forum-wide moderator; created once."""
    from django.utils import timezone

    from accounts.models import User

    now = timezone.now()
    common = {
        "guidelines_version_accepted": 1_000_000,
        "guidelines_accepted_at": now,
        "onboarding_completed_at": now,
        "date_joined": now - timezone.timedelta(days=400),
        "post_count": 100,
    }
    member = User.objects.filter(email=harness.BENCH_MEMBER_EMAIL).first() or User.objects.create_user(
        harness.BENCH_MEMBER_EMAIL, None, pseudonym="BenchMember", **common
    )
    moderator = User.objects.filter(email=harness.BENCH_MODERATOR_EMAIL).first() or User.objects.create_user(
        harness.BENCH_MODERATOR_EMAIL, None, pseudonym="BenchModerator", is_moderator=True, **common
    )
    return member, moderator


def _top_up_queue(moderator) -> None:
    """Bring the moderation queue to QUEUE_ITEMS open items (the seed makes fewer)."""
    from django.utils import timezone

    from accounts.models import User
    from forum.models import Subforum
    from moderation.models import ReviewItem

    missing = harness.QUEUE_ITEMS - ReviewItem.objects.exclude(status="resolved").count()
    if missing <= 0:
        return
    spaces = list(Subforum.objects.order_by("pk")[:5])
    author = User.objects.exclude(pk=moderator.pk).order_by("pk").first()
    levels = ["none", "low", "medium", "high"]
    now = timezone.now()
    start = ReviewItem.objects.filter(target_key__startswith="bench:").count()
    ReviewItem.objects.bulk_create(
        (
            ReviewItem(
                kind="screening",
                target_key=f"bench:{start + i}",
                risk_level=levels[i % 4],
                priority=i % 4,
                member=author,
                subforum=spaces[i % len(spaces)],
                summary=f"Bench item {start + i}",
                created_at=now - timezone.timedelta(minutes=i),
                updated_at=now,
            )
            for i in range(missing)
        ),
        batch_size=2000,
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE moderation_reviewitem")


def csrf_for_reply(server: harness.Server, path: str, cookie: str) -> tuple[str, str]:
    """The reply form's CSRF token and the csrftoken cookie, from a real GET of the form."""
    status, headers, body = harness.fetch(server, path, cookie=cookie)
    if status != 200:
        raise SystemExit(f"The reply form {path} answered {status}")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    csrf_cookie = re.search(r"csrftoken=([^;]+)", headers.get("set-cookie", ""))
    if token is None or csrf_cookie is None:
        raise SystemExit("The reply form carried no CSRF token or cookie")
    return token.group(1), f"csrftoken={csrf_cookie.group(1)}"


@dataclass
class Row:
    page: Page
    result: harness.WrkResult
    queries: int


def measure_page(server, page: Page, targets: Targets, args) -> Row:
    cookie = targets.moderator_cookie if page.as_moderator else targets.member_cookie
    headers = harness.proxy_headers(server, cookie)
    if page.is_post:
        token, csrf_cookie = csrf_for_reply(server, page.path, cookie)
        headers["Cookie"] = f"{cookie}; {csrf_cookie}"
        headers["Referer"] = f"https://127.0.0.1:{server.port}{page.path}"
        body = "A+calm+benchmark+reply%2C+thank+you+for+sharing."
        paths = [f"/t/{pk}/reply/" for pk in targets.reply_thread_ids]
        lua = harness.lua_post_reply(paths, headers, token, body)
        queries = _post_queries(server, page.path, headers, token)
    else:
        status, _headers, _body = harness.fetch(server, page.path, cookie=cookie)
        if status != 200:
            raise SystemExit(f"{page.label} ({page.path}) answered {status}; is the data set complete?")
        queries = harness.queries_per_request(server, page.path, cookie)
        lua = harness.lua_get([page.path], headers)
    result = harness.run_wrk(server, lua, duration=args.duration, connections=args.connections)
    return Row(page=page, result=result, queries=queries)


def _post_queries(server, path: str, headers: dict[str, str], token: str) -> int:
    import uuid

    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "submission_token": str(uuid.uuid4()), "body": "Counting queries, kindly."}
    ).encode()
    extra = {k: v for k, v in headers.items() if k in ("Cookie", "Referer")}
    extra["Content-Type"] = "application/x-www-form-urlencoded"
    extra[harness.QUERY_HEADER] = "1"
    status, response_headers, _body = harness.fetch(server, path, headers=extra, data=form)
    if status != 302:
        raise SystemExit(f"Posting a reply answered {status}, not a redirect to the new reply")
    return int(response_headers.get(harness.QUERY_HEADER.lower(), "-1"))


def measure_ceiling(server, args) -> harness.WrkResult:
    lua = harness.lua_get(["/bench/ceiling/"], harness.proxy_headers(server))
    return harness.run_wrk(server, lua, duration=args.duration, connections=args.connections)


def verdict(row: Row, ceiling_rps: float) -> tuple[float, str]:
    share = row.result.per_second / ceiling_rps if ceiling_rps else 0.0
    if row.page.is_post:
        ok = row.result.p50_ms <= POST_P50_FLOOR_MS and row.result.errors == 0
    else:
        ok = share >= READ_SHARE_FLOOR and row.result.p99_ms <= READ_P99_FLOOR_MS and row.result.errors == 0
    return share, "PASS" if ok else "FAIL"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    targets = prepare(seed_if_empty=args.seed_if_empty, scale=args.scale)
    only = {key.strip() for key in args.only.split(",") if key.strip()}
    pages = [page for page in targets.pages if not only or page.key in only]
    print(f"Data: {targets.description}", flush=True)
    with harness.running_server(port=args.port, workers=args.workers) as server:
        print(
            f"Server: uvicorn --workers {args.workers}, production profile, {server.base}; "
            f"wrk {args.connections} connections, {args.duration:.0f} s per page",
            flush=True,
        )
        print(f"Machine: {harness.machine_description()}", flush=True)
        first = measure_ceiling(server, args)
        print(f"  ceiling (first): {first.per_second:.1f} requests/s, p50 {first.p50_ms:.1f} ms", flush=True)
        rows = []
        for page in pages:
            row = measure_page(server, page, targets, args)
            rows.append(row)
            print(f"  {page.label}: {row.result.per_second:.1f} requests/s", flush=True)
        last = measure_ceiling(server, args)
        print(f"  ceiling (last): {last.per_second:.1f} requests/s, p50 {last.p50_ms:.1f} ms", flush=True)
        ceiling_queries = harness.queries_per_request(server, "/bench/ceiling/", "")
    ceiling_rps = statistics.mean([first.per_second, last.per_second])
    print()
    print(f"Machine after the run: {harness.machine_description()}")
    ceiling_cpu = statistics.mean([first.cpu_ms, last.cpu_ms])
    print(
        "\n| page | requests/s | p50 ms | p99 ms | errors | queries | CPU ms/request | share of ceiling "
        "(by CPU) | floor |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
    )
    for name, result in (("ceiling (first)", first), ("ceiling (last)", last)):
        print(
            f"| {name} | {result.per_second:.1f} | {result.p50_ms:.1f} | {result.p99_ms:.1f} | "
            f"{result.errors} | {ceiling_queries} | {result.cpu_ms:.1f} | 1.00 | |"
        )
    failures = 0
    for row in rows:
        share, mark = verdict(row, ceiling_rps)
        failures += mark == "FAIL"
        r = row.result
        by_cpu = ceiling_cpu / r.cpu_ms if r.cpu_ms else 0.0
        print(
            f"| {row.page.label} | {r.per_second:.1f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} | {r.errors} | "
            f"{row.queries} | {r.cpu_ms:.1f} | {share:.2f} ({by_cpu:.2f}) | {mark} |"
        )
    print(
        f"\nFloors: read pages >= {READ_SHARE_FLOOR} of the ceiling ({ceiling_rps:.1f} requests/s, the mean of "
        f"first and last) with p99 <= {READ_P99_FLOOR_MS:.0f} ms and no errors; posting p50 <= "
        f"{POST_P50_FLOOR_MS:.0f} ms. {failures} of {len(rows)} rows FAIL."
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
