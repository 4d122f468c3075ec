"""Benchmark mode only (``HEARTH_BENCH=true``): the ceiling page and the query-count header.

bench/pages.py prints each page's throughput as a share of the *ceiling*: the cheapest page this
project can serve through the same server, middleware and database (one indexed query, a
one-line template). Neither piece is routed or installed unless ``HEARTH_BENCH`` is on
(config/settings.py), and the view refuses with a 404 even if routed by mistake.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import connections
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from forum.models import Subforum

#: A request carrying this header (value "1") gets its query count back in the same header.
QUERY_COUNT_HEADER = "X-Hearth-Bench-Queries"


def ceiling(request: HttpRequest) -> HttpResponse:
    """One primary-key index scan and a one-line template: the cost floor of any Hearth page."""
    if not settings.HEARTH_BENCH:
        raise Http404
    name = Subforum.objects.order_by("pk").values_list("name", flat=True).first()
    return render(request, "bench/ceiling.html", {"name": name or ""})


class QueryCountMiddleware:
    """Counts the SQL statements a request runs, outermost, so session and user look-ups count too.

    Only requests that ask (the benchmark's separate counting pass) pay for the wrapper; the
    timed passes never send the header, so their cost is one dictionary look-up.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.headers.get(QUERY_COUNT_HEADER) != "1":
            return self.get_response(request)
        count = 0

        def counting(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connections["default"].execute_wrapper(counting):
            response = self.get_response(request)
        response[QUERY_COUNT_HEADER] = str(count)
        return response
