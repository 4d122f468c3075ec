"""Two-step sign-in in a real browser (issue 21): a moderator without an authenticator app opens
the queue, is told calmly why it needs one more step, sets up the app from the QR code page (the
key also written out), keeps the recovery codes and goes on to the queue. Then, signing in again,
the code step comes after the password."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.second_factor import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.postgres]


def test_a_moderator_sets_up_two_step_sign_in_on_the_way_to_the_queue(journey, transactional_db):
    factories.member(pseudonym="SteadySorrel", email="sorrel-mod@example.org", is_moderator=True)
    moderator = journey("second-factor")
    page = moderator.page
    moderator.goto("/accounts/login/")
    page.get_by_label("Email").fill("sorrel-mod@example.org")
    page.get_by_label("Password").fill("a-long-test-password")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()

    moderator.goto("/moderation/")
    expect(page.get_by_role("heading", level=1)).to_have_text("One more step before the moderators' pages")
    moderator.shot("needed")
    with page.expect_navigation():
        page.get_by_role("link", name="Set up two-step sign-in").click()
    # allauth asks for the password again before a way of signing in changes.
    moderator.check()
    page.get_by_label("Password").fill("a-long-test-password")
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm").click()
    moderator.check()
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    moderator.shot("set-up")
    secret = page.locator(".totp-secret").inner_text().replace(" ", "")
    assert len(secret) == 32
    moderator.enter_code(totp_code(secret), button="Turn on two-step sign-in")
    moderator.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    assert page.locator(".recovery-codes li").count() == 10
    moderator.shot("recovery-codes")
    with page.expect_navigation():
        page.get_by_role("link", name="Continue to where you were going").click()
    moderator.check()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("queue", re.I))

    # A new session: after the password comes the code (a recovery code, since this
    # 30 seconds' app code has been used already).
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    moderator.goto("/accounts/login/")
    page.get_by_label("Email").fill("sorrel-mod@example.org")
    page.get_by_label("Password").fill("a-long-test-password")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert "/accounts/2fa/authenticate/" in page.url
    moderator.check()
    moderator.shot("code-step")
    from allauth.mfa.models import Authenticator

    codes = Authenticator.objects.get(user__email="sorrel-mod@example.org", type="recovery_codes")
    moderator.enter_code(codes.wrap().get_unused_codes()[0])
    moderator.goto("/moderation/")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("queue", re.I))
