"""The rescue, the waiting page and the forum-health roll-up on a forum of a million posts.

    DATABASE_URL=postgres://.../hearth_bench .venv/bin/python bench/rescue_scale.py

PostgreSQL only (the query plans are what it measures). Builds once, with plain SQL for speed:
100,000 threads of 10 posts (1,000,000 posts) spread over a year, 3% of them never answered,
the old ones already taken through the rescue as it would have; and 150 fresh unanswered threads
from the last day. Then prints EXPLAIN (ANALYZE, BUFFERS) for the rescue's two queries and the
waiting page, and times one rescue run and the nightly roll-up.
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
os.environ.setdefault("DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from forum import rescue  # noqa: E402
from forum.models import Subforum, Thread  # noqa: E402
from health import rollup  # noqa: E402

THREADS = 100_000
POSTS_PER_THREAD = 10
MEMBERS = 2_000


def build() -> None:
    if Thread.objects.count() >= THREADS:
        return
    print("Building the forum (once)...", flush=True)
    subforums = [Subforum.objects.create(name=f"Space {n}", slug=f"bench-space-{n}") for n in range(8)]
    Subforum.objects.rebuild()
    User.objects.bulk_create(
        [User(email=f"bench{n}@example.org", pseudonym=f"Bench{n}", password="!") for n in range(MEMBERS)],  # noqa: S106
        batch_size=1000,
    )
    first_user = User.objects.order_by("pk").values_list("pk", flat=True).first()
    first_sub = subforums[0].pk
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO forum_thread (subforum_id, author_id, title, slug, status, is_locked, is_pinned,
                created_at, last_activity_at, reply_count, post_sequence, first_reply_at, rescue_stage)
            SELECT %(sub)s + (g %% 8), %(user)s + (g %% %(members)s), 'Thread ' || g, 'thread', 'published',
                false, false,
                now() - interval '366 days' + (g * interval '315 seconds'),
                now() - interval '366 days' + (g * interval '315 seconds'),
                %(replies)s, %(replies)s,
                CASE WHEN g %% 33 = 0 THEN NULL
                     ELSE now() - interval '366 days' + (g * interval '315 seconds')
                          + ((g %% 720) * interval '1 minute') END,
                CASE WHEN g %% 33 = 0 THEN 2 ELSE 0 END
            FROM generate_series(1, %(threads)s) AS g
            """,
            {
                "sub": first_sub,
                "user": first_user,
                "members": MEMBERS,
                "threads": THREADS,
                "replies": POSTS_PER_THREAD - 1,
            },
        )
        cursor.execute(
            """
            INSERT INTO forum_post (thread_id, author_id, position, tree_path, depth, source, html, status,
                created_at, edit_count, status_reason)
            SELECT t.id, CASE WHEN p = 0 OR t.first_reply_at IS NULL THEN t.author_id
                              ELSE %(user)s + ((t.id * 7 + p) %% %(members)s) END,
                p, CASE WHEN p = 0 THEN '' ELSE lpad(p::text, 7, '0') END, CASE WHEN p = 0 THEN 0 ELSE 1 END,
                'Words', '<p>Words</p>', 'published',
                COALESCE(t.first_reply_at, t.created_at) + (p * interval '20 minutes'), 0, ''
            FROM forum_thread t CROSS JOIN generate_series(0, %(last)s) AS p
            """,
            {"user": first_user, "members": MEMBERS, "last": POSTS_PER_THREAD - 1},
        )
        cursor.execute("ANALYZE")


def fresh_unanswered() -> None:
    """150 threads from the last day with no reply and not yet rescued: what a run has to do."""
    Thread.objects.filter(title__startswith="Fresh ").delete()
    author = User.objects.order_by("pk").first()
    subforum = Subforum.objects.order_by("pk").first()
    now = timezone.now()
    Thread.objects.bulk_create(
        [
            Thread(
                subforum=subforum,
                author=author,
                title=f"Fresh {n}",
                created_at=now - timezone.timedelta(minutes=10 * n),
                last_activity_at=now,
            )
            for n in range(150)
        ]
    )


def explain(label: str, queryset) -> None:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    print(f"\n### {label}\n```\n{plan}\n```")


def timed(label: str, fn, repeat: int = 5) -> None:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    print(f"{label}: median {statistics.median(times):.1f} ms (of {repeat})")


def main() -> None:
    if not settings.USING_POSTGRES:
        sys.exit("This benchmark measures PostgreSQL query plans: set DATABASE_URL=postgres://...")
    call_command("migrate", verbosity=0)
    build()
    fresh_unanswered()
    now = timezone.now()
    print(f"Threads: {Thread.objects.count():,}; posts: {Thread.objects.count() * POSTS_PER_THREAD:,} (about)")
    waiting_ids = rescue._due(stage=rescue.STAGE_WAITING, older_than=now - settings.HEARTH_UNANSWERED_T1)
    stage1 = Thread.objects.filter(
        rescue._rescuable(), rescue_stage__lt=1, created_at__lte=now - settings.HEARTH_UNANSWERED_T1
    ).order_by("created_at")[: rescue.BATCH]
    stage2 = Thread.objects.filter(
        rescue._rescuable(), rescue_stage__lt=2, created_at__lte=now - settings.HEARTH_UNANSWERED_T2
    ).order_by("created_at")[: rescue.BATCH]
    explain("The rescue's T1 query", stage1.values_list("pk", flat=True))
    explain("The rescue's T2 query", stage2.values_list("pk", flat=True))
    waiting_page = Thread.objects.filter(
        status="published", first_reply_at__isnull=True, rescue_stage__gte=1, is_locked=False, is_pinned=False
    ).order_by("-created_at", "-id")
    explain("The waiting page (page 1, keyset)", waiting_page.values_list("created_at", "id")[:31])
    print(f"\nDue at T1: {len(waiting_ids)}")
    start = time.perf_counter()
    report = rescue.rescue_run(now=now)
    print(f"First rescue run: {report} in {(time.perf_counter() - start) * 1000:.0f} ms")
    timed("A rescue run with nothing to do", lambda: rescue.rescue_run(now=now))
    timed("The nightly roll-up (two weeks, all subforums)", lambda: rollup.rollup_recent(now=now), repeat=3)


if __name__ == "__main__":
    main()
