"""Signing staff in as the real flow leaves them: an authenticator app set up, and used this session.

Staff pages (queue, forum health, admin) and the queue's socket open only after the second step
(accounts/second_factor.py), so tests sign moderators and admins in with this rather than turning
the rule off. Tests of the rule itself use ``client.force_login`` to get a password-only session.
"""

from __future__ import annotations

import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from accounts.second_factor import authenticator_app_add, second_factor_required, session_record_signed_in_with_app


def authenticator_app(user) -> str:
    """Give ``user`` an authenticator app (TOTP) and return its secret, as setting it up would."""
    return authenticator_app_add(user=user)


def totp_code(secret: str, *, at: float | None = None) -> str:
    """The code the member's app shows now (or at ``at``)."""
    return format_hotp_value(hotp_value(secret, int(at if at is not None else time.time()) // 30))


def sign_in_with_second_factor(client, user):
    """force_login plus what allauth records when the member signs in with password and app."""
    client.force_login(user)
    session = client.session
    session_record_signed_in_with_app(session=session, user=user)
    session.save()
    return client


def sign_in(client, user):
    """Members by force_login; staff with their second factor, as the real sign-in leaves them."""
    if second_factor_required(user):
        return sign_in_with_second_factor(client, user)
    client.force_login(user)
    return client
