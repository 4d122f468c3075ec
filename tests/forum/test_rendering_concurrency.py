"""Rendering from many threads at once gives exactly what rendering one at a time gives.

Hearth's sync views run in a thread pool under ASGI, so simultaneous posts render in parallel.
The renderer once shared one html5lib-backed sanitiser between threads and mixed posts up.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from forum.rendering import render_post

THREADS = 8
ROUNDS = 40


def _distinct_posts() -> list[str]:
    """Posts that exercise every stage (Markdown, tables, links, sanitising), each one unique."""
    posts = []
    for n in range(THREADS * 4):
        posts.append(
            f"# Post {n}\n\nMember {n} writes *gently* about day {n}, see https://example.org/{n} "
            f'and [a link](https://example.net/{n} "title {n}").\n\n'
            f"> quoting {n} <script>alert({n})</script>\n\n"
            f"| day | mood |\n|---|---|\n| {n} | {'ok ' * (n % 7)} |\n\n"
            f"- one {n}\n- two {n}\n\n```\ncode {n} <b>\n```\n" + ("more words " * (n * 5))
        )
    return posts


def test_parallel_renders_match_sequential_renders():
    posts = _distinct_posts()
    expected = [render_post(post) for post in posts]
    start = threading.Barrier(THREADS)
    mismatches: list[int] = []

    def work(offset: int) -> None:
        start.wait()  # all threads begin together, so renders overlap
        for round_ in range(ROUNDS):
            index = (offset + round_) % len(posts)
            if render_post(posts[index]) != expected[index]:
                mismatches.append(index)

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        for future in [pool.submit(work, offset) for offset in range(THREADS)]:
            future.result()  # re-raises anything a thread raised
    assert mismatches == []


def test_each_thread_builds_its_own_markdown_renderer():
    from forum import rendering

    renderers: list[object] = []
    together = threading.Barrier(4)  # all alive at once, so no thread's identity is reused

    def remember() -> None:
        renderers.append(rendering._markdown(False))
        together.wait()

    workers = [threading.Thread(target=remember) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len({id(md) for md in renderers}) == 4
