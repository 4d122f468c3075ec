"""Issue 21: /admin/login/ was a second sign-in form with no attempt limit and no second factor:
30 wrong passwords from one address were not limited and the 31st, correct, got in. Now it sends
everyone to allauth's sign-in (its limits, then the second step) and back to the admin by ``next``."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from config import env
from tests.second_factor import authenticator_app, totp_code

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
ADDRESS = "203.0.113.7"


def _next_of(location: str) -> str:
    return parse_qs(urlsplit(location).query).get("next", [""])[0]


def _is_limited(response) -> bool:
    return response.status_code == 429 or "too many" in response.content.decode().lower()


def test_the_admins_login_page_sends_people_to_hearths_sign_in_and_back(client):
    response = client.get(reverse("admin:login"), {"next": "/admin/accounts/user/"})
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("account_login")
    assert _next_of(response["Location"]) == "/admin/accounts/user/"
    # Opening the admin signed out lands on the same sign-in, coming back to the admin.
    first = client.get(reverse("admin:index"))
    second = client.get(first["Location"])
    assert urlsplit(second["Location"]).path == reverse("account_login")
    assert _next_of(second["Location"]) == reverse("admin:index")


def test_the_admins_login_page_never_sends_anyone_off_site(client):
    response = client.get(reverse("admin:login"), {"next": "https://evil.example/"})
    assert _next_of(response["Location"]) == reverse("admin:index")


def test_posting_a_password_to_the_admins_login_page_signs_nobody_in(client, admin_user):
    for _ in range(30):
        client.post(
            reverse("admin:login"), {"username": admin_user.email, "password": "wrong guess"}, REMOTE_ADDR=ADDRESS
        )
    response = client.post(
        reverse("admin:login"), {"username": admin_user.email, "password": PASSWORD}, REMOTE_ADDR=ADDRESS
    )
    assert response.status_code == 302
    assert SESSION_KEY not in client.session
    assert client.get(reverse("admin:index")).status_code == 302


@pytest.fixture
def shipped_signin_limits(settings):
    """The sign-in limits Hearth ships with (the suite's conftest makes them generous)."""
    for name in ("HEARTH_LIMIT_SIGNIN_FAILURES", "HEARTH_LIMIT_SIGNIN_FAILURES_PER_ADDRESS"):
        setattr(settings, name, env.get(name, {}))


def test_thirty_wrong_passwords_on_the_admins_sign_in_path_are_limited(client, admin_user, shipped_signin_limits):
    sign_in_url = client.get(reverse("admin:login"))["Location"]  # /accounts/login/?next=/admin/
    limited = 0
    for _ in range(30):
        response = client.post(sign_in_url, {"login": admin_user.email, "password": "wrong guess"}, REMOTE_ADDR=ADDRESS)
        limited += _is_limited(response)
    assert limited >= 20, f"only {limited} of 30 wrong passwords were limited"
    # The 31st, correct, from the same address does not open the admin either.
    client.post(sign_in_url, {"login": admin_user.email, "password": PASSWORD}, REMOTE_ADDR=ADDRESS)
    assert client.get(reverse("admin:index")).status_code == 302


def test_the_right_password_alone_does_not_open_the_admin(client, admin_user):
    secret = authenticator_app(admin_user)
    sign_in_url = client.get(reverse("admin:login"))["Location"]
    response = client.post(sign_in_url, {"login": admin_user.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("admin:index")).status_code == 302
    done = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert done["Location"] == reverse("admin:index")  # back to the admin through next
    assert client.get(reverse("admin:index")).status_code == 200


def test_an_admin_without_an_app_is_sent_to_set_one_up_rather_than_into_the_admin(client, admin_user):
    sign_in_url = client.get(reverse("admin:login"))["Location"]
    response = client.post(sign_in_url, {"login": admin_user.email, "password": PASSWORD})
    assert response["Location"] == reverse("admin:index")
    admin = client.get(reverse("admin:index"))
    assert urlsplit(admin["Location"]).path == reverse("accounts:second_factor")


def test_a_signed_in_member_finds_no_admin_login(member_client):
    assert member_client.get(reverse("admin:login")).status_code == 404
