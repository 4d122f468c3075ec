"""The real ASGI server (uvicorn) on a free loopback port, serving the test database.

For tests that must cross a real HTTP connection: concurrency through the server's thread pool,
websockets, browser journeys. Use it from a ``django_db(transaction=True)`` test, so the rows
the test writes are committed and the server's own connections see them.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
#: Limits the server gets generously, as every test does (tests/conftest.py), unless told otherwise.
GENEROUS_LIMITS = (
    "HEARTH_LIMIT_REPLIES",
    "HEARTH_LIMIT_THREADS",
    "HEARTH_LIMIT_EDITS",
    "HEARTH_LIMIT_REACTIONS",
    "HEARTH_LIMIT_SIGNUPS",
    "HEARTH_LIMIT_SIGNIN_FAILURES",
    "HEARTH_LIMIT_SIGNIN_FAILURES_PER_ADDRESS",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor != "postgresql":
        raise RuntimeError("the live server shares the test database over a real connection: PostgreSQL only")
    auth = quote(db["USER"] or "postgres")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class LiveServer(str):
    """ "127.0.0.1:PORT", with the server's output (console email included) readable."""

    log: Path

    @property
    def url(self) -> str:
        return f"http://{self}"

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@contextlib.contextmanager
def live_server(
    *, extra_env: dict[str, str] | None = None, uvicorn_args: list[str] | None = None
) -> Iterator[LiveServer]:
    """Serve Hearth with uvicorn; yields "127.0.0.1:PORT" and stops the server afterwards.

    ``uvicorn_args`` replaces the default options after the application (the host and port are
    always added); generous posting limits unless ``extra_env`` sets them."""
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    env.update(
        {
            "DATABASE_URL": _database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "DEBUG": "false",
            "PYTHONUNBUFFERED": "1",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            **{name: "100000/h" for name in GENEROUS_LIMITS},
            **(extra_env or {}),
        }
    )
    log = (ROOT / "var").joinpath(f"live-server-{port}.log")
    log.parent.mkdir(exist_ok=True)
    with log.open("wb") as output:
        server = subprocess.Popen(  # noqa: S603
            [
                *(sys.executable, "-m", "uvicorn", "config.asgi:application"),
                *(uvicorn_args if uvicorn_args is not None else ["--no-proxy-headers"]),
                *("--host", "127.0.0.1", "--port", str(port)),
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_serving(port, server, log)
            address = LiveServer(f"127.0.0.1:{port}")
            address.log = log
            yield address
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
    log.unlink(missing_ok=True)


def _wait_until_serving(port: int, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped: {log.read_text()[-2000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/help/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not answer within 60 s")
