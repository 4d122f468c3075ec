"""Issue 21: a password equal to the member's own public pseudonym was accepted, and so was the
demo's published password. Both are the first guesses anyone would try."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import User
from accounts.passwords import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

PSEUDONYM_MESSAGE = "very close to your pseudonym"
PUBLISHED_MESSAGE = "printed in Hearth&#x27;s demo instructions"


def _signup(client, *, pseudonym: str, password: str):
    data = {"pseudonym": pseudonym, "email": "wren@example.org", "password1": password, "password2": password}
    return client.post(reverse("account_signup"), data)


@pytest.mark.parametrize("password", ["GentleWrenBird", "gentlewren2026", "Gentle-Wren-42", "G3ntl3Wr3n!!"])
def test_sign_up_refuses_a_password_close_to_the_chosen_pseudonym(client, password):
    response = _signup(client, pseudonym="GentleWren", password=password)
    assert response.status_code == 200
    assert PSEUDONYM_MESSAGE in response.content.decode()
    assert not User.objects.filter(email="wren@example.org").exists()


def test_sign_up_still_accepts_an_unrelated_password(client):
    response = _signup(client, pseudonym="GentleWren", password="a calm long password 42")
    assert response.status_code == 302
    assert User.objects.filter(email="wren@example.org").exists()


@pytest.mark.parametrize("password", [DEMO_PASSWORD, DEMO_PASSWORD.upper(), "hearth demo 2026"])
def test_sign_up_refuses_the_demos_published_password(client, password):
    response = _signup(client, pseudonym="GentleWren", password=password)
    assert response.status_code == 200
    assert PUBLISHED_MESSAGE in response.content.decode()
    assert not User.objects.filter(email="wren@example.org").exists()


@pytest.mark.parametrize(
    ("new_password", "message"),
    [("MemberMaple2026", PSEUDONYM_MESSAGE), ("memberMAPLE", PSEUDONYM_MESSAGE), (DEMO_PASSWORD, PUBLISHED_MESSAGE)],
)
def test_changing_a_password_refuses_the_pseudonym_and_the_demo_password(member_client, member, new_password, message):
    response = member_client.post(
        reverse("account_change_password"),
        {"oldpassword": "a-long-test-password", "password1": new_password, "password2": new_password},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    member.refresh_from_db()
    assert member.check_password("a-long-test-password")


def test_every_path_that_sets_a_password_uses_the_same_validators(member):
    """The admin's and the reset form's password fields call validate_password too."""
    with pytest.raises(ValidationError) as refused:
        validate_password("Memb3rMapl3", member)
    assert any(PSEUDONYM_MESSAGE in message for message in refused.value.messages)
    with pytest.raises(ValidationError):
        validate_password(DEMO_PASSWORD, member)
    validate_password("a kettle on the windowsill", member)
