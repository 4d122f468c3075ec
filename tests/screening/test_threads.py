"""The shared compiled rule set is used by many threads at once (uvicorn runs sync views in a
thread pool): results from concurrent threads equal those of one thread."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from moderation.screening.defaults import default_ruleset
from moderation.screening.engine import screen
from moderation.screening.evaluation import load_labelled
from moderation.screening.normalise import clear_chunk_caches

DATA = Path(__file__).resolve().parent.parent / "data"


def test_screening_from_many_threads_gives_the_same_results_as_one(monkeypatch):
    # The pattern budget is wall-clock: 8 threads on 2 cores can spend it waiting for a core,
    # which the result reports as a timed-out rule (routed to a moderator as incomplete). This
    # test is about shared state, so it gives patterns all the time they need.
    from moderation.screening import engine

    monkeypatch.setattr(engine, "PATTERN_TIMEOUT", 10.0)
    texts = [row.text for row in load_labelled(DATA / "screening_heldout_v10.jsonl")]
    ruleset = default_ruleset(context=False)
    expected = [screen(t, ruleset) for t in texts]
    clear_chunk_caches()  # threads fill the shared caches together, and race on them
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in range(3):
            got = list(pool.map(lambda t: screen(t, ruleset), texts * 2))
            assert got == expected * 2
