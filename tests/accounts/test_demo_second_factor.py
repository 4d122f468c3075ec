"""The demo still works with staff two-step sign-in on: `seed_demo` gives the demo's admin and
moderator an authenticator app with a random key per install and prints it; `demo_code` prints
the code it shows now, which signs the moderator in as far as the queue."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from accounts.passwords import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_the_demo_staff_get_an_app_whose_key_is_printed_and_random_per_install():
    printed = _seed()
    keys = dict(re.findall(r"^  (admin|moderator) +([A-Z2-7]{32}) ", printed, re.M))
    assert set(keys) == {"admin", "moderator"}
    for role, email in (("admin", "admin@hearth.example"), ("moderator", "moderator@hearth.example")):
        user = User.objects.get(email=email)
        assert Authenticator.objects.filter(user=user, type="totp").exists()
        assert Authenticator.objects.filter(user=user, type="recovery_codes").exists()
    assert keys["admin"] != keys["moderator"]
    # Running it again (every `make run`) keeps the same keys and prints them again.
    assert dict(re.findall(r"^  (admin|moderator) +([A-Z2-7]{32}) ", _seed(), re.M)) == keys
    # Members of the demo are not given one.
    assert not Authenticator.objects.filter(user__email="quietheron@hearth.example").exists()


def test_the_printed_code_signs_the_demo_moderator_in_to_the_queue(client):
    _seed()
    out = StringIO()
    call_command("demo_code", stdout=out)
    code = re.search(r"^moderator +moderator@hearth\.example +(\d{6})$", out.getvalue(), re.M).group(1)
    response = client.post(reverse("account_login"), {"login": "moderator@hearth.example", "password": DEMO_PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    assert client.get(reverse("moderation:queue")).status_code == 200


def test_demo_code_refuses_before_the_demo_is_loaded():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not loaded"):
        call_command("demo_code", stdout=StringIO())


def test_an_admin_who_lost_phone_and_codes_can_be_reset_from_the_command_line(admin_user):
    from tests.second_factor import authenticator_app

    authenticator_app(admin_user)
    out = StringIO()
    call_command("second_factor_reset", admin_user.email.upper(), stdout=out)
    assert "Removed 2" in out.getvalue()
    assert not Authenticator.objects.filter(user=admin_user).exists()
