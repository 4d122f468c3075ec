"""A small browser for fault tests: one cookie jar, real HTTP to the live server, any status."""

from __future__ import annotations

import http.client
import re
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from django.conf import settings
from django.test import Client


@dataclass
class Page:
    status: int
    body: str
    location: str = ""

    def field(self, name: str) -> str:
        match = re.search(rf'name="{name}" value="([^"]*)"', self.body)
        assert match, f"no {name} field on the page"
        return match.group(1)


class Browser:
    def __init__(self, address: str, *, signed_in_as=None) -> None:
        self.address = address
        self.cookies: dict[str, str] = {}
        if signed_in_as is not None:
            from tests.second_factor import sign_in

            client = Client()
            sign_in(client, signed_in_as)  # staff with their second factor, as the real sign-in leaves them
            self.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value

    def _send(self, method: str, path: str, body: str | None = None) -> Page:
        host, port = self.address.split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        page = Page(response.status, response.read().decode(errors="replace"), response.headers.get("Location", ""))
        conn.close()
        return page

    def get(self, path: str) -> Page:
        return self._send("GET", path)

    def post(self, path: str, fields: dict[str, str], *, form_page: Page) -> Page:
        data = {"csrfmiddlewaretoken": form_page.field("csrfmiddlewaretoken"), **fields}
        return self._send("POST", path, urlencode(data))
