"""Websocket fan-out: how long a new reply takes to reach 500 readers of one thread.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/hearth_bench REDIS_URL=redis://127.0.0.1:6379/6
    .venv/bin/python bench/ws_fanout.py [--clients 500] [--replies 10] [--workers 2]

Serves Hearth as bench/pages.py does (uvicorn, 2 workers, production profile, the Redis channel
layer), opens ``--clients`` websockets on the thread's live socket (``/ws/threads/<id>/``, as a
guest reader would), then posts ``--replies`` replies one second apart through
``forum.services.post_reply`` in this process. Each reply's clock starts in an on-commit hook
registered before the service's own (hooks run in order, so it fires right after COMMIT and
before the channel-layer send), and stops when a client's socket hands it the
``post.published`` message. All clients run in one asyncio loop in this process, so the figures
include the client's own time to read 500 messages (a real reader has one). Floor (issue 22):
p99 at most 500 ms, every client hearing every reply.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness  # noqa: E402

P99_FLOOR_MS = 500.0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=500, help="websocket readers of the thread (default 500)")
    parser.add_argument("--replies", type=int, default=10, help="replies posted, one second apart (default 10)")
    parser.add_argument("--grace", type=float, default=5, help="seconds to wait for the last reply (default 5)")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes (default 2)")
    parser.add_argument("--port", type=int, default=harness.DEFAULT_PORT + 1, help="loopback port to serve on")
    parser.add_argument("--seed-if-empty", action="store_true", help="run manage.py seed_forum on an empty database")
    return parser.parse_args(argv)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def post_one(thread_id: int, member_id: int, number: int) -> tuple[int, float]:
    """Post a reply; return its id and the wall-clock time of its COMMIT."""
    import uuid

    from django.db import transaction

    from accounts.models import User
    from forum import services
    from forum.models import Thread

    committed: list[float] = []
    with transaction.atomic():
        transaction.on_commit(lambda: committed.append(time.time()))
        post = services.post_reply(
            author=User.objects.get(pk=member_id),
            thread=Thread.objects.get(pk=thread_id),
            body=f"A live reply for the fan-out benchmark, number {number}.",
            submission_token=uuid.uuid4(),
        )
    return post.pk, committed[0]


async def reader(
    url: str, origin: str, received: list[tuple[int, float]], opened: asyncio.Event, dropped: list[str]
) -> None:
    """One reader: stamps each message as it is read; cancelled when the run ends. A socket the
    server closes before then is recorded in ``dropped`` (with its close code)."""
    from websockets.asyncio.client import connect
    from websockets.exceptions import ConnectionClosed

    async with connect(url, origin=origin, open_timeout=60, ping_interval=None, compression=None) as socket:
        opened.set()
        try:
            async for message in socket:
                arrived = time.time()
                data = json.loads(message)
                if data.get("type") == "post.published":
                    received.append((data["post_id"], arrived))
        except ConnectionClosed:
            pass
        dropped.append(f"closed by the server, code {socket.close_code}")


async def fan_out(server: harness.Server, thread_id: int, member_id: int, args) -> tuple[list[float], int, int]:
    url = f"ws://127.0.0.1:{server.port}/ws/threads/{thread_id}/"
    origin = f"https://127.0.0.1:{server.port}"
    receipts: list[list[tuple[int, float]]] = [[] for _ in range(args.clients)]
    tasks = []
    dropped: list[str] = []
    started = time.monotonic()
    for batch in range(0, args.clients, 50):  # 50 handshakes at a time, as readers arrive
        events = []
        for index in range(batch, min(batch + 50, args.clients)):
            opened = asyncio.Event()
            events.append(opened)
            tasks.append(asyncio.create_task(reader(url, origin, receipts[index], opened, dropped)))
        await asyncio.wait_for(asyncio.gather(*(event.wait() for event in events)), timeout=120)
    print(f"{args.clients} readers connected in {time.monotonic() - started:.1f} s", flush=True)
    dropped_before_posting = len(dropped)
    await asyncio.sleep(1)
    commits: dict[int, float] = {}
    for number in range(args.replies):
        post_id, committed_at = await asyncio.to_thread(post_one, thread_id, member_id, number)
        commits[post_id] = committed_at
        await asyncio.sleep(1)
    await asyncio.sleep(args.grace)  # the last reply's stragglers
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    for post_id, committed_at in commits.items():
        arrivals = [(arrived - committed_at) * 1000 for client in receipts for pid, arrived in client if pid == post_id]
        slowest = f"{max(arrivals):.0f}" if arrivals else "-"
        print(f"  reply {post_id}: {len(arrivals)} of {args.clients} readers, slowest {slowest} ms", flush=True)
    latencies = [
        (arrived - commits[post_id]) * 1000 for client in receipts for post_id, arrived in client if post_id in commits
    ]
    if dropped:
        print(
            f"  {len(dropped)} readers' sockets were closed by the server ({dropped_before_posting} before the "
            f"first reply): {sorted(set(dropped))}; see {server.log_path}",
            flush=True,
        )
    expected = args.clients * args.replies
    return latencies, expected, expected - len(latencies)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from bench.pages import prepare

    targets = prepare(seed_if_empty=args.seed_if_empty, scale="million")
    from accounts.models import User

    member = User.objects.get(email=harness.BENCH_MEMBER_EMAIL)
    with harness.running_server(port=args.port, workers=args.workers) as server:
        print(f"Machine: {harness.machine_description()}", flush=True)
        latencies, expected, missing = asyncio.run(fan_out(server, targets.reply_thread_ids[0], member.pk, args))
    if not latencies:
        print("No reader heard any reply: FAIL")
        return 1
    p50, p99 = statistics.median(latencies), percentile(latencies, 0.99)
    ok = p99 <= P99_FLOOR_MS and missing == 0
    print(
        f"\n| readers | replies | deliveries | missing | p50 ms | p99 ms | max ms | floor |\n"
        f"| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n"
        f"| {args.clients} | {args.replies} | {len(latencies):,} | {missing} | {p50:.1f} | {p99:.1f} | "
        f"{max(latencies):.1f} | {'PASS' if ok else 'FAIL'} (p99 <= {P99_FLOOR_MS:.0f} ms, none missing) |"
    )
    print(f"Machine after the run: {harness.machine_description()}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
