"""Middleware for faults and for growth past one machine.

- ``DatabaseOutageMiddleware``: a form sent while PostgreSQL is unreachable (restarting, failing
  over) is answered with the member's own words in a form they can send again, status 503, not
  the 500 page. The page needs no database, session or cache.
- ``PrimaryAfterWriteMiddleware``: read-your-writes with a read replica (config/db_router.py).
"""

from __future__ import annotations

import logging
import time
from contextvars import ContextVar

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template import loader

logger = logging.getLogger(__name__)

# Fields a member typed, shown back as editable text; anything else is carried hidden (the
# submission token among them, so sending again still posts exactly once); passwords never.
TYPED_FIELDS = {
    "title": ("Title", False),
    "body": ("Your text", True),
    "reason": ("Your reason", True),
    "note": ("Your note", True),
    "words": ("Your words", True),
    "email": ("Email", False),
}
_NOT_CARRIED = ("csrfmiddlewaretoken",)


class DatabaseOutageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if request.method != "POST" or not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.warning("the database did not answer a form sent to %s; the member keeps their text", request.path)
        typed, hidden = [], []
        for name in request.POST:
            if name in _NOT_CARRIED or "password" in name:
                continue
            for value in request.POST.getlist(name):
                if name in TYPED_FIELDS:
                    label, multiline = TYPED_FIELDS[name]
                    typed.append({"name": name, "label": label, "multiline": multiline, "value": value})
                else:
                    hidden.append({"name": name, "value": value})
        page = loader.get_template("errors/couldnt_save.html").render(
            {"action": request.get_full_path(), "typed": typed, "hidden": hidden, "csrf_token": get_token(request)}
        )
        response = HttpResponse(page, status=503)
        response["Retry-After"] = "30"
        return response


# --- read-your-writes with a replica ---------------------------------------------------------
PRIMARY_COOKIE = "hearth_primary_until"
#: True while the current request may read listings from the replica (config/db_router.py).
replica_reads_allowed: ContextVar[bool] = ContextVar("replica_reads_allowed", default=False)


class PrimaryAfterWriteMiddleware:
    """Listing reads of a GET may go to the replica, unless this browser wrote something in the
    last ``HEARTH_PRIMARY_AFTER_WRITE`` seconds: a member who just posted, edited, reacted or
    signed in reads the primary, so they always see their own writes at once (a replica may
    lag). The mark is a cookie, so it works on any web host behind the load balancer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "replica" not in settings.DATABASES:
            return self.get_response(request)
        safe = request.method in ("GET", "HEAD", "OPTIONS")
        token = replica_reads_allowed.set(safe and not _recently_wrote(request))
        try:
            response = self.get_response(request)
        finally:
            replica_reads_allowed.reset(token)
        if not safe:
            seconds = settings.HEARTH_PRIMARY_AFTER_WRITE
            response.set_cookie(
                PRIMARY_COOKIE,
                str(int(time.time()) + seconds),
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response


def _recently_wrote(request) -> bool:
    try:
        return int(request.COOKIES.get(PRIMARY_COOKIE, "0")) > time.time()
    except ValueError:
        return False
