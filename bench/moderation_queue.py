"""The moderation queue page with 10,000 open review items: server time and SQL queries.

    .venv/bin/python bench/moderation_queue.py                   # embedded SQLite (var/bench_queue.sqlite3)
    DATABASE_URL=postgres://... .venv/bin/python bench/moderation_queue.py

Builds (once) 10,000 open items across five subforums and risk levels (a tenth with a reported
post), then requests the queue's first page, a filtered page and an item page through Django's
test client as a moderator and prints median and p95 server time and queries per request.
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
os.environ.setdefault("SQLITE_PATH", str(ROOT / "var" / "bench_queue.sqlite3"))
os.environ.setdefault("DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from forum import services  # noqa: E402
from forum.models import Subforum  # noqa: E402
from moderation.models import ReviewItem  # noqa: E402
from tests.second_factor import sign_in_with_second_factor  # noqa: E402

ITEMS = 10_000
RUNS = 30


def build() -> tuple[User, ReviewItem]:
    call_command("migrate", verbosity=0)
    moderator = User.objects.filter(email="bench-mod@example.org").first()
    if moderator is None:
        print("Building the data set (once)...", flush=True)
        moderator = User.objects.create_user(
            "bench-mod@example.org", None, pseudonym="BenchMod", is_moderator=True, guidelines_version_accepted=99
        )
        author = User.objects.create_user(
            "bench-author@example.org", None, pseudonym="BenchAuthor", guidelines_version_accepted=99
        )
        spaces = [Subforum.objects.create(name=f"Queue {i}", slug=f"queue-{i}") for i in range(5)]
        posts = [
            services.thread_create(
                author=author, subforum=spaces[i % 5], title=f"Thread {i}", body="Words."
            ).posts.get()
            for i in range(100)
        ]
        now = timezone.now()
        levels = ["none", "low", "medium", "high"]
        ReviewItem.objects.bulk_create(
            ReviewItem(
                kind="report" if i % 10 == 0 else "screening",
                target_key=f"bench:{i}",
                risk_level=levels[i % 4],
                priority=i % 4,
                post=posts[i % 100] if i % 10 == 0 else None,
                thread=posts[i % 100].thread if i % 10 == 0 else None,
                member=author,
                subforum=spaces[i % 5],
                summary=f"Bench item {i}",
                created_at=now - timezone.timedelta(minutes=i),
                updated_at=now,
            )
            for i in range(ITEMS)
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    item = ReviewItem.objects.filter(kind="report").order_by("id").first()
    return moderator, item


def measure(client: Client, url: str) -> tuple[float, float, int]:
    client.get(url)
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(times), statistics.quantiles(times, n=20)[18], len(queries)


def main() -> None:
    moderator, item = build()
    client = Client(HTTP_HOST="127.0.0.1")
    # Staff pages open only after the second step: sign in as the real flow leaves a moderator.
    sign_in_with_second_factor(client, moderator)
    open_count = ReviewItem.objects.exclude(status="resolved").count()
    print(f"{connection.vendor}, {open_count:,} open items, {RUNS} requests each")
    print(f"{'page':<42} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for label, url in [
        ("home (reference for this machine's load)", "/"),
        ("queue, first page", "/moderation/"),
        ("queue, page 100", "/moderation/?page=100"),
        ("queue, kind=report, high risk first", "/moderation/?kind=report"),
        ("queue, one subforum", f"/moderation/?subforum={item.subforum_id}"),
        ("one item in context", f"/moderation/items/{item.pk}/"),
    ]:
        median, p95, count = measure(client, url)
        print(f"{label:<42} {median:>10.1f} {p95:>8.1f} {count:>8}")


if __name__ == "__main__":
    main()
