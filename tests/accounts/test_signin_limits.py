"""Wrong passwords are limited per (account, address) and per address, on the real Redis cache:
nobody can keep a member out of their account from elsewhere, and a paused sign-in is a calm 429."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from config.env import Rate
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.redis]

STRANGER = "198.51.100.66"
HOME = "203.0.113.5"


@pytest.fixture(autouse=True)
def _production_signin_limits(settings):
    settings.HEARTH_LIMIT_SIGNIN_FAILURES = Rate(5, 300)
    settings.HEARTH_LIMIT_SIGNIN_FAILURES_PER_ADDRESS = Rate(20, 600)


@pytest.fixture
def member_account(db):
    return factories.member(pseudonym="QuietHeron", email="heron@example.org")


def _sign_in(client, email: str, password: str, address: str):
    return client.post(reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=address)


def test_a_strangers_wrong_passwords_do_not_keep_the_member_out(client, member_account):
    for _ in range(30):
        _sign_in(client, "heron@example.org", "not the password", STRANGER)
    assert _sign_in(client, "heron@example.org", "not the password", STRANGER).status_code == 429

    response = _sign_in(client, "heron@example.org", "a-long-test-password", HOME)
    assert response.status_code == 302, "the member's own sign-in was refused because of a stranger"
    assert client.session["_auth_user_id"] == str(member_account.pk)


def test_wrong_passwords_from_one_address_pause_it_with_a_calm_page(client, member_account):
    for _ in range(5):
        assert _sign_in(client, "heron@example.org", "not the password", HOME).status_code == 200
    paused = _sign_in(client, "heron@example.org", "a-long-test-password", HOME)
    assert paused.status_code == 429
    page = paused.content.decode()
    assert len(re.findall(r"<h1[ >]", page)) == 1
    assert 'href="/help/"' in page
    assert re.search(r"try again in about (a minute|\d+ minutes)", page)
    assert reverse("account_reset_password") in page
    assert "_auth_user_id" not in client.session


def test_one_address_guessing_many_accounts_is_paused(client):
    for n in range(20):
        _sign_in(client, f"someone{n}@example.org", "guess", STRANGER)
    assert _sign_in(client, "someone-else@example.org", "guess", STRANGER).status_code == 429
    assert _sign_in(client, "someone-else@example.org", "guess", HOME).status_code == 200


def test_signing_in_forgets_the_members_own_mistakes_from_that_address(client, member_account):
    for _ in range(4):
        _sign_in(client, "heron@example.org", "typo", HOME)
    assert _sign_in(client, "heron@example.org", "a-long-test-password", HOME).status_code == 302
    client.logout()
    for _ in range(4):
        assert _sign_in(client, "heron@example.org", "typo", HOME).status_code == 200
    assert _sign_in(client, "heron@example.org", "a-long-test-password", HOME).status_code == 302


def test_sign_ups_beyond_the_limit_from_one_address_get_the_calm_page(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": f"{Rate(3, 3600)}/ip"}
    statuses = []
    for n in range(6):
        data = {
            "pseudonym": f"GentleWren{n}",
            "email": f"wren{n}@example.org",
            "password1": "a calm long password 42",
            "password2": "a calm long password 42",
        }
        response = client.post(reverse("account_signup"), data, REMOTE_ADDR=STRANGER)
        statuses.append(response.status_code)
    assert statuses == [302, 302, 302, 429, 429, 429]
    assert b"Let's pause for a moment" in response.content
