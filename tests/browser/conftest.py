"""Browser journeys: Debian's Chromium driven by Playwright against the real ASGI server.

The server is uvicorn on a free loopback port serving the test database (PostgreSQL), so
websockets and the thread pool are the real ones. Tests are marked ``browser``: without
Chromium they skip locally, and under ``CI=true`` a missing Chromium fails the run.
Every page a journey passes through is checked with axe-core (zero critical or serious
findings) and for horizontal scrolling at the page's width; key steps are saved as full-page
screenshots in ``test-artifacts/screenshots`` (git-ignored).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.live_server import live_server

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
# The flags the machine's notes give for a closed network and no sandbox as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
ZOOMED_WIDTH = DESKTOP["width"] // 2  # 200 % zoom of a 1280 px window lays the page out at 640 px


@pytest.fixture(scope="session")
def server(django_db_setup, django_db_blocker):
    """One server for the whole browser suite, on the test database."""
    with django_db_blocker.unblock(), live_server() as address:
        yield address


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread, which Django reads as
    # "async context" and refuses database calls. The browser tests run last (the root
    # conftest orders them so), and nothing async shares this thread, so allow it from here on.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Journey:
    """One person's browser: pages they visit are checked; screenshots named by step."""

    def __init__(self, chromium, server, name: str, viewport: dict) -> None:
        # axe is injected into the page; Hearth's CSP (tested on its own) would refuse it.
        self.context = chromium.new_context(viewport=viewport, bypass_csp=True, base_url=server.url)
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.server = server
        self.name = name
        self.width = viewport["width"]
        self.checked: list[str] = []

    def goto(self, path: str):
        response = self.page.goto(path)
        self.check()
        return response

    def check(self) -> None:
        """axe: no critical or serious findings; no horizontal scrolling at this width."""
        from axe_playwright_python.sync_playwright import Axe

        self.page.wait_for_load_state("domcontentloaded")
        results = Axe().run(self.page)
        serious = [
            f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
            if v["impact"] in ("critical", "serious")
        ]
        url = self.page.url
        assert serious == [], f"axe on {url}: {serious}"
        overflow = self.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{url} scrolls sideways by {overflow}px at {self.width}px"
        self.checked.append(url)

    def shot(self, step: str) -> None:
        """Full-page screenshots of a key step at 1280 px and 390 px, and a check that the page
        also reads at 200 % zoom (a 640 px layout viewport) without sideways scrolling."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        original = self.page.viewport_size
        for width in (DESKTOP["width"], ZOOMED_WIDTH, PHONE["width"]):
            self.page.set_viewport_size({"width": width, "height": original["height"]})
            overflow = self.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{self.page.url} scrolls sideways by {overflow}px at {width}px"
            if width != ZOOMED_WIDTH:
                slug = re.sub(r"[^a-z0-9]+", "-", f"{self.name}-{step}-{width}".lower()).strip("-")
                self.page.screenshot(path=str(ARTIFACTS / f"{slug}.png"), full_page=True)
        self.page.set_viewport_size(original)

    def sign_in(self, email: str, password: str = "a-long-test-password") -> None:  # noqa: S107
        """Sign in through the real pages; moderators and admins with their authenticator app
        too (given one here if they have none), since staff pages open only after that step."""
        from accounts.models import User
        from accounts.second_factor import second_factor_required
        from tests.second_factor import authenticator_app, totp_code

        user = User.objects.get(email=email)
        secret = authenticator_app(user) if second_factor_required(user) else None
        self.goto("/accounts/login/")
        self.page.get_by_label("Email").fill(email)
        self.page.get_by_label("Password").fill(password)
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Sign in").click()
        if secret is not None:
            assert "/accounts/2fa/authenticate/" in self.page.url, "staff are asked for their code"
            self.check()
            self.enter_code(totp_code(secret))
        assert "/accounts/login/" not in self.page.url, "signed in"
        assert "/accounts/2fa/" not in self.page.url, "signed in"

    def enter_code(self, code: str, button: str = "Sign in") -> None:
        self.page.get_by_label("Code").fill(code)
        with self.page.expect_navigation():
            self.page.get_by_role("button", name=button).click()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def journey(chromium, server, transactional_db):
    """Make journeys: ``journey("newcomer")`` or ``journey("reader", phone=True)``."""
    opened: list[Journey] = []

    def make(name: str, *, phone: bool = False) -> Journey:
        opened.append(Journey(chromium, server, name, PHONE if phone else DESKTOP))
        return opened[-1]

    yield make
    for each in opened:
        each.close()


@pytest.fixture(autouse=True)
def _fast_password_hashing():
    """The server checks passwords with its own hashers (Argon2), so members made here must be
    hashed the same way: this replaces the suite's fast MD5 hashing for browser tests."""
    yield
