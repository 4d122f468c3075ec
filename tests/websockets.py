"""Helpers for websocket tests: a signed-in reader's headers, and how a refused socket ends."""

from __future__ import annotations

from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from config.asgi import application

GUEST_HEADERS = [(b"origin", b"http://localhost")]


def session_headers(user) -> list[tuple[bytes, bytes]]:
    """Headers carrying ``user``'s session cookie (call through sync_to_async); staff are signed
    in with their second factor, as the real sign-in leaves them (tests/second_factor.py)."""
    from tests.second_factor import sign_in

    client = Client()
    sign_in(client, user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    return [*GUEST_HEADERS, (b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode())]


async def refusal_code(path: str, headers) -> int | None:
    """Connect to ``path``; the close code if the socket is accepted and then closed at once
    (how Hearth refuses, so the browser sees the code), None if it stays open.

    A socket refused before ``accept()`` fails the handshake (the browser sees HTTP 403 and no
    code): that is an AssertionError here.
    """
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await communicator.connect()
    assert connected, "refused before accept(): the browser would see HTTP 403, not a close code"
    output = await communicator.receive_output(timeout=3) if not await communicator.receive_nothing(0.5) else None
    await communicator.disconnect()
    if output is None:
        return None
    assert output["type"] == "websocket.close", output
    return output["code"]
