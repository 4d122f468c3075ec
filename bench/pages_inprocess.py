"""Page speed and query counts on a large thread and a busy subforum.

    .venv/bin/python bench/pages.py                      # embedded SQLite (var/bench.sqlite3)
    DATABASE_URL=postgres://... .venv/bin/python bench/pages.py

Builds (once) a subforum of 1,000 threads and one thread of 2,000 replies through Hearth's own
services, then requests each page through Django's test client and prints median and p95
server time and the SQL queries per request. In-process: no network or server overhead, so these
figures are the application's own cost. The load test of a running server comes with the
scale issue.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SQLITE_PATH", str(ROOT / "var" / "bench.sqlite3"))
os.environ.setdefault("DEBUG", "false")  # as in production: cached templates, no debug bookkeeping

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from forum import services  # noqa: E402
from forum.models import ContentNote, Subforum, Thread  # noqa: E402

THREADS = 1_000
REPLIES = 2_000
RUNS = 30


def build() -> tuple[Subforum, Thread, User]:
    call_command("migrate", verbosity=0)
    subforum = Subforum.objects.filter(slug="bench").first()
    if subforum is not None:
        big = Thread.objects.get(subforum=subforum, title="The big thread")
        return subforum, big, big.author
    print("Building the data set (once)...", flush=True)
    members = [
        User.objects.create_user(f"bench{i}@example.org", None, pseudonym=f"Bench{i}", guidelines_version_accepted=99)
        for i in range(20)
    ]
    note = ContentNote.objects.get_or_create(slug="bench-note", defaults={"name": "Bench note"})[0]
    subforum = Subforum.objects.create(name="Bench", slug="bench")
    from forum.models import SiteSettings

    SiteSettings.objects.get_or_create(pk=1)
    started = time.perf_counter()
    for i in range(THREADS - 1):
        services.thread_create(
            author=members[i % 20],
            subforum=subforum,
            title=f"Thread {i}",
            body="Opening words " * 20,
            notes=[note] if i % 5 == 0 else [],
        )
    big = services.thread_create(author=members[0], subforum=subforum, title="The big thread", body="Start")
    parent = None
    for i in range(REPLIES):
        author = User.objects.get(pk=members[(i % 19) + 1].pk)
        post = services.post_reply(
            author=author, thread=big, body=f"Reply {i}. " * 30, parent=parent if i % 4 else None
        )
        parent = post
    print(f"Built in {time.perf_counter() - started:.0f} s", flush=True)
    return subforum, big, members[0]


def measure(client: Client, url: str) -> tuple[float, float, int]:
    client.get(url)  # warm caches
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as ctx:  # forces query capture even with DEBUG off
        client.get(url)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1], len(ctx.captured_queries)


def main() -> None:
    subforum, big, member = build()
    reader = User.objects.exclude(pk=member.pk).first()
    pages = Thread.objects.filter(subforum=subforum).count() // 30 + 1
    thread_pages = big.posts.count() // 25 + 1
    urls = [
        ("home", "/"),
        ("subforum, first page", subforum.get_absolute_url()),
        (f"subforum, page {pages}", f"{subforum.get_absolute_url()}?page={pages}"),
        ("2,000-reply thread, first page", big.get_absolute_url()),
        (f"2,000-reply thread, page {thread_pages}", f"{big.get_absolute_url()}?page={thread_pages}"),
        ("profile", f"/m/{member.pseudonym}/"),
    ]
    print(f"\nDatabase: {connection.vendor}; {RUNS} requests per page after one warm-up; signed in as a member\n")
    print(f"{'page':42} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(reader)
    reset_queries()
    for name, url in urls:
        median, p95, queries = measure(client, url)
        print(f"{name:42} {median:10.1f} {p95:8.1f} {queries:8d}")


if __name__ == "__main__":
    main()
