"""Per-address limits through the real server, started with the options docker-compose.yml gives
uvicorn: behind a trusted proxy that appends to X-Forwarded-For, a made-up left-most address
changes nothing. (With uvicorn trusting every peer's forwarded headers, 25 rotating attempts
were never limited and sign-ups went on past their limit.)"""

from __future__ import annotations

import http.client
import re
import shlex
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
import yaml

from tests.live_server import live_server

ROOT = Path(__file__).resolve().parent.parent.parent
REAL_CLIENT = "203.0.113.9"  # what the proxy saw and appended


def _compose_uvicorn_options() -> list[str]:
    """The options after the application in the web service's uvicorn command, with compose's
    ``${VAR:-default}`` defaults filled in and the host, port and worker count left out."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    command = compose["services"]["web"]["command"]
    script = command[-1] if isinstance(command, list) else command
    words = shlex.split(script.split("config.asgi:application", 1)[1])
    words = [re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", word) for word in words]
    options, skip = [], False
    for word in words:
        if skip:
            skip = False
        elif word in ("--host", "--port", "--workers"):
            skip = True
        else:
            options.append(word)
    return options


class Visitor:
    """A browser behind the proxy: keeps cookies, posts forms with their CSRF token."""

    def __init__(self, address: str) -> None:
        host, port = address.split(":")
        self.conn = http.client.HTTPConnection(host, int(port), timeout=30)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, *, forwarded: str, data: dict | None = None) -> tuple[int, str]:
        headers = {"X-Forwarded-For": forwarded, "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.read().decode()

    def submit(self, path: str, fields: dict, *, forwarded: str) -> int:
        status, page = self.request("GET", path, forwarded=forwarded)
        assert status == 200, (path, status)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        return self.request("POST", path, forwarded=forwarded, data={"csrfmiddlewaretoken": token, **fields})[0]


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_rotating_made_up_forwarded_addresses_do_not_dodge_the_limits():
    options = _compose_uvicorn_options()
    assert "--no-proxy-headers" in options and "--forwarded-allow-ips" not in options, options
    settings_env = {
        "HEARTH_TRUSTED_PROXIES": "127.0.0.1",  # this test connects as the proxy
        "HEARTH_LIMIT_SIGNIN_FAILURES": "5/5m",
        "HEARTH_LIMIT_SIGNIN_FAILURES_PER_ADDRESS": "20/10m",
        "HEARTH_LIMIT_SIGNUPS": "3/h",
    }
    with live_server(extra_env=settings_env, uvicorn_args=options) as address:
        visitor = Visitor(address)
        statuses = []
        for n in range(25):
            forwarded = f"198.51.100.{n + 1}, {REAL_CLIENT}"  # made up by the client, then appended
            fields = {"login": f"someone{n}@example.org", "password": "a guess"}
            statuses.append(visitor.submit("/accounts/login/", fields, forwarded=forwarded))
        assert statuses.count(429) == 5, statuses  # the 21st to 25th, from one real address

        signups = []
        for n in range(8):
            forwarded = f"192.0.2.{n + 1}, {REAL_CLIENT}"
            fields = {
                "pseudonym": f"Newcomer{n}",
                "email": f"newcomer{n}@example.org",
                "password1": "a calm long password 42",
                "password2": "a calm long password 42",
            }
            signups.append(visitor.submit("/accounts/signup/", fields, forwarded=forwarded))
        assert signups == [302] * 3 + [429] * 5, signups
