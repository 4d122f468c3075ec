"""The load benchmarks' hooks in Hearth stay out of sight unless asked for, and the scripts in
bench/ at least import and read their arguments (their timings are not tests: docs/performance.md).
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import override_settings

from bench import harness, memory, pages, ws_fanout
from config.bench import QUERY_COUNT_HEADER


def test_benchmark_mode_is_off_by_default():
    assert settings.HEARTH_BENCH is False
    assert settings.ROOT_URLCONF == "config.urls"
    assert "config.bench.QueryCountMiddleware" not in settings.MIDDLEWARE


@pytest.mark.django_db
def test_the_ceiling_is_not_in_the_public_url_space(client):
    assert client.get("/bench/ceiling/").status_code == 404


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="config.urls_bench", HEARTH_BENCH=False)
def test_the_ceiling_refuses_even_if_routed_while_benchmark_mode_is_off(client):
    assert client.get("/bench/ceiling/").status_code == 404


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="config.urls_bench", HEARTH_BENCH=True)
def test_in_benchmark_mode_the_ceiling_is_one_query_and_one_line(client, subforum, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/bench/ceiling/")
    assert response.status_code == 200
    assert response.content.decode().strip() == f"<p>{subforum.name}</p>"


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="config.urls_bench", HEARTH_BENCH=True)
def test_the_rest_of_hearth_is_served_unchanged_in_benchmark_mode(client, subforum):
    assert client.get("/").status_code == 200
    assert client.get("/no-such-page/").status_code == 404


@pytest.mark.django_db
def test_the_query_count_header_answers_only_requests_that_ask(client, subforum, settings):
    settings.MIDDLEWARE = ["config.bench.QueryCountMiddleware", *settings.MIDDLEWARE]
    asked = client.get("/", headers={QUERY_COUNT_HEADER: "1"})
    assert int(asked[QUERY_COUNT_HEADER]) >= 1
    assert QUERY_COUNT_HEADER not in client.get("/")


def test_the_bench_scripts_read_their_arguments():
    defaults = pages.parse_args([])
    assert (defaults.connections, defaults.workers, defaults.seed_if_empty) == (8, 2, False)
    chosen = pages.parse_args(["--duration", "5", "--connections", "4", "--workers", "1", "--seed-if-empty"])
    assert (chosen.duration, chosen.connections, chosen.workers, chosen.seed_if_empty) == (5, 4, 1, True)
    assert ws_fanout.parse_args([]).clients == 500
    assert (memory.parse_args([]).first, memory.parse_args([]).total) == (1_000, 20_000)


def test_each_posted_reply_carries_its_own_submission_token_and_csrf():
    lua = harness.lua_post_reply(["/t/1/reply/", "/t/2/reply/"], {"Cookie": "sessionid=x"}, "token123", "Hello")
    assert "uuid4()" in lua and "submission_token=" in lua
    assert "csrfmiddlewaretoken=" in lua and '"token123"' in lua
    assert "expected_status = 302" in lua  # a form shown again with an error is a 200: an error here


def test_read_pages_pass_only_at_the_share_and_p99_floors():
    page = pages.Page("home", "home", "/")
    fast = pages.Row(page, harness.WrkResult(requests=400, seconds=10, p50_ms=5, p99_ms=40, errors=0), 4)
    slow = pages.Row(page, harness.WrkResult(requests=300, seconds=10, p50_ms=5, p99_ms=140, errors=0), 4)
    assert pages.verdict(fast, ceiling_rps=100) == (0.4, "PASS")
    assert pages.verdict(fast, ceiling_rps=200)[1] == "FAIL"  # 0.2 of the ceiling
    assert pages.verdict(slow, ceiling_rps=100)[1] == "FAIL"
