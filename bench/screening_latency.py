"""From a post's commit to its review item reaching moderators' open queue pages: the latency.

    DATABASE_URL=postgres://... REDIS_URL=redis://... .venv/bin/python bench/screening_latency.py
    .venv/bin/python bench/screening_latency.py --posts 200

Needs PostgreSQL and Redis (the production profile's broker and channel layer). Starts a real
Celery worker (solo pool, as deployed per process), subscribes to the moderators' queue group on
the Redis channel layer exactly as a connected queue page's socket does, then posts ``--posts``
risky replies through Hearth's own service one after another and times, for each, the moment
its "opened" queue event arrives after the post's transaction committed. Prints median, p95,
p99 and max. Creates its own members and subforum; run it on a scratch database.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from channels.layers import get_channel_layer  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from accounts.models import User  # noqa: E402
from forum import services  # noqa: E402
from forum.models import Subforum  # noqa: E402
from moderation.realtime import QUEUE_GROUP  # noqa: E402

RISKY = [
    "I don't want to be alive anymore. I've been thinking about ending it tonight. ({n})",
    "My brother told me he has a plan for tonight and I don't know what to do. ({n})",
    "I've been cutting again and I can't stop. ({n})",
]


def _listen(events: dict[int, float], ready: threading.Event, stop: threading.Event) -> None:
    """Join the queue group on the channel layer and note when each 'opened' event arrives."""

    async def run() -> None:
        layer = get_channel_layer()
        channel = await layer.new_channel()
        await layer.group_add(QUEUE_GROUP, channel)
        ready.set()
        while not stop.is_set():
            try:
                message = await asyncio.wait_for(layer.receive(channel), timeout=0.5)
            except TimeoutError:
                continue
            if message.get("event") == "opened" and message.get("kind") == "screening":
                events.setdefault(message["item_id"], time.monotonic())
        await layer.group_discard(QUEUE_GROUP, channel)

    asyncio.run(run())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=200)
    args = parser.parse_args()
    if not (settings.USING_POSTGRES and settings.REDIS_URL):
        print("needs DATABASE_URL (PostgreSQL) and REDIS_URL", file=sys.stderr)
        return 2
    call_command("migrate", verbosity=0)
    author = User.objects.filter(email="latency-author@example.org").first() or User.objects.create_user(
        "latency-author@example.org", "a-long-bench-password", pseudonym="LatencyAuthor", guidelines_version_accepted=99
    )
    opener = User.objects.filter(email="latency-opener@example.org").first() or User.objects.create_user(
        "latency-opener@example.org", "a-long-bench-password", pseudonym="LatencyOpener", guidelines_version_accepted=99
    )
    space, _ = Subforum.objects.get_or_create(slug="latency-bench", defaults={"name": "Latency bench"})
    thread = services.thread_create(author=opener, subforum=space, title="Evening check-in", body="How are you all?")

    worker = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "--loglevel", "error"],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    events: dict[int, float] = {}
    ready, stop = threading.Event(), threading.Event()
    listener = threading.Thread(target=_listen, args=(events, ready, stop), daemon=True)
    listener.start()
    ready.wait(10)
    time.sleep(8)  # the worker loads the engine and the context check once
    from moderation.models import ReviewItem

    committed: dict[int, float] = {}
    try:
        for n in range(args.posts):
            post = services.post_reply(author=author, thread=thread, body=RISKY[n % len(RISKY)].format(n=n))
            committed[post.pk] = time.monotonic()  # post_reply's transaction has committed here
            time.sleep(0.05)
        from moderation.screening.models import ScreeningResult

        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            screened = ScreeningResult.objects.filter(post_id__in=committed).count()
            items = dict(
                ReviewItem.objects.filter(kind="screening", post_id__in=committed).values_list("post_id", "pk")
            )
            if screened == len(committed) and all(pk in events for pk in items.values()):
                break
            time.sleep(0.5)
    finally:
        stop.set()
        worker.terminate()
        worker.wait(timeout=30)
    latencies = sorted(
        (events[item_pk] - committed[post_pk]) * 1000 for post_pk, item_pk in items.items() if item_pk in events
    )
    missing = len(items) - len(latencies)
    print(
        f"{len(committed)} risky replies, {screened} screened, {len(items)} opened a review item "
        f"(the others were rated low: content notes suggested only), {len(latencies)} heard on the "
        f"queue group, {missing} not heard"
    )
    if latencies:
        q = statistics.quantiles(latencies, n=100)
        print(
            f"commit -> queue event: median {statistics.median(latencies):.0f} ms, p95 {q[94]:.0f} ms, "
            f"p99 {q[98]:.0f} ms, max {latencies[-1]:.0f} ms (floor: p99 <= 3,000 ms)"
        )
    return 0 if latencies and not missing else 1


if __name__ == "__main__":
    sys.exit(main())
