"""Two-step sign-in (allauth's MFA: an authenticator app, with recovery codes) and the one rule
that staff must use it.

Any member may turn it on from their settings. Moderators and admins must: they see held posts,
reports and (admins) email addresses of people who chose a pseudonym because being known could
hurt them, so a guessed or reused password alone must not open the review queue, the forum-health
figures or the Django admin. Before those open, a staff account must have an authenticator app
set up *and* have used it in this session (signing in with it, confirming with it, or proving it
by entering a code when setting it up).

The rule is decided here once (``second_factor_missing``) and applied by
``StaffSecondFactorMiddleware`` (pages, by URL namespace: settings.HEARTH_SECOND_FACTOR_NAMESPACES)
and ``StaffSecondFactorSocketGuard`` (websocket routes wrapped in config/routing.py).
"""

from __future__ import annotations

import time
from enum import StrEnum
from urllib.parse import urlencode

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from allauth.mfa.utils import decrypt, is_mfa_enabled
from channels.db import database_sync_to_async
from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

from accounts.roles import is_forum_staff

# Recovery codes exist only beside an app; they are a way in, not a second factor of their own.
FACTOR_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
# Close code for a staff socket refused for want of the second step (4404: not yours to see).
SOCKET_CLOSE_SECOND_FACTOR = 4403
# Where a staff member was going when sent to set up the app; the recovery codes page links back.
SECOND_FACTOR_NEXT_SESSION_KEY = "hearth_second_factor_next"


class Missing(StrEnum):
    SET_UP = "set_up"  # no authenticator app yet
    CONFIRM = "confirm"  # has one, but has not used it in this session


def second_factor_required(user) -> bool:
    """Moderators, admins and anyone who may open the Django admin."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return is_forum_staff(user) or user.is_staff or user.is_superuser


def has_second_factor(user) -> bool:
    return is_mfa_enabled(user, FACTOR_TYPES)


class _SessionHolder:
    """allauth reads authentication records from ``request.session``; a socket has only a session."""

    def __init__(self, session) -> None:
        self.session = session


def used_second_factor_this_session(user, session) -> bool:
    records = get_authentication_records(_SessionHolder(session), user)
    return any(record.get("method") == "mfa" for record in records)


def second_factor_missing(user, session) -> Missing | None:
    """What a staff account still has to do before staff pages open; None when nothing (or not staff)."""
    if not second_factor_required(user):
        return None
    if not has_second_factor(user):
        return Missing.SET_UP
    if not used_second_factor_this_session(user, session):
        return Missing.CONFIRM
    return None


def authenticator_app_add(*, user) -> str:
    """Give ``user`` an authenticator app (and recovery codes) outside the web flow, for the demo's
    staff accounts and tests; returns its key. Does nothing but return the key if one exists."""
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if existing is not None:
        return decrypt(existing.data["secret"])
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


def session_record_signed_in_with_app(*, session, user) -> None:
    """Record in ``session`` what allauth records after a sign-in with password and app (for the
    demo's tools, tests and benchmarks, which sign staff in without the forms). Call it after the
    user is signed in to that session; it gives them an app first if they have none."""
    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )
    from allauth.account.internal.userkit import user_id_to_str

    authenticator_app_add(user=user)
    app = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    now = time.time()
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": now, "email": user.email},
        {"method": "mfa", "at": now, "id": app.pk, "type": "totp"},
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = user_id_to_str(user)


def authenticator_code_now(secret: str) -> str:
    """The six digits an authenticator app with this key shows now."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))


def second_factor_redirect(missing: Missing, next_url: str) -> HttpResponseRedirect:
    """Calmly on to setting it up (a page that says why), or to entering a code from the app."""
    target = reverse("accounts:second_factor") if missing is Missing.SET_UP else reverse("mfa_reauthenticate")
    return HttpResponseRedirect(f"{target}?{urlencode({'next': next_url})}")


def record_second_factor_enrolment(request: HttpRequest, user, authenticator: Authenticator) -> None:
    """Setting up an app means typing a code it just made: that is using it in this session."""
    if authenticator.type in FACTOR_TYPES:
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type, enrolled=True)


class StaffSecondFactorMiddleware:
    """Staff pages (admin, moderation, forum health, an admin's erasure of an account) open only
    after the second step: HEARTH_SECOND_FACTOR_NAMESPACES and HEARTH_SECOND_FACTOR_VIEW_NAMES."""

    # Signing out is always allowed.
    EXEMPT_VIEWS = frozenset({"admin:logout"})

    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self.namespaces = frozenset(settings.HEARTH_SECOND_FACTOR_NAMESPACES)
        self.view_names = frozenset(settings.HEARTH_SECOND_FACTOR_VIEW_NAMES)

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.view_name in self.EXEMPT_VIEWS:
            return None
        if not (self.namespaces.intersection(match.namespaces) or match.view_name in self.view_names):
            return None
        missing = second_factor_missing(request.user, request.session)
        if missing is None:
            request.session.pop(SECOND_FACTOR_NEXT_SESSION_KEY, None)  # arrived: no "continue" link any more
            return None
        return second_factor_redirect(missing, request.get_full_path())


@database_sync_to_async
def _socket_missing(scope) -> Missing | None:
    session = scope.get("session")
    return second_factor_missing(scope.get("user"), session) if session is not None else None


class StaffSecondFactorSocketGuard:
    """ASGI wrapper for staff websockets: without the second step the socket is accepted and at
    once closed with SOCKET_CLOSE_SECOND_FACTOR, so the page's script can tell why."""

    def __init__(self, inner) -> None:
        self.inner = inner

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket" and await _socket_missing(scope) is not None:
            message = await receive()
            if message["type"] == "websocket.connect":
                await send({"type": "websocket.accept"})
                await send({"type": "websocket.close", "code": SOCKET_CLOSE_SECOND_FACTOR})
            return None
        return await self.inner(scope, receive, send)
