import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db

SIGNUP = {
    "pseudonym": "GentleWren",
    "email": "wren@example.org",
    "password1": "a calm long password 42",
    "password2": "a calm long password 42",
}


def test_signup_page_suggests_a_friendly_pseudonym(client):
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    match = re.search(r'name="pseudonym"[^>]*value="([^"]+)"', response.content.decode())
    assert match and len(match.group(1)) >= 3


def test_signup_verify_email_then_sign_in(client):
    response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(email="wren@example.org")
    assert user.pseudonym == "GentleWren"
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/confirm-email/[^\s]+/)", mail.outbox[0].body).group(1)
    page = client.get(link)
    assert page.status_code == 200
    confirmed = client.post(link)
    assert confirmed.status_code == 302
    assert user.emailaddress_set.get().verified


def test_signup_refuses_a_taken_pseudonym_case_insensitively_and_keeps_the_form(client, member):
    data = {**SIGNUP, "pseudonym": member.pseudonym.upper()}
    response = client.post(reverse("account_signup"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Someone already uses that pseudonym" in body
    assert 'value="wren@example.org"' in body  # what they typed is still there
    assert not User.objects.filter(email="wren@example.org").exists()


def test_signup_refuses_an_email_as_pseudonym(client):
    response = client.post(reverse("account_signup"), {**SIGNUP, "pseudonym": "wren@example.org"})
    assert "can&#x27;t look like an email" in response.content.decode()


def test_member_can_change_pseudonym(member_client, member):
    response = member_client.post(reverse("accounts:pseudonym"), {"pseudonym": "NewName"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.pseudonym == "NewName"


def test_pseudonym_change_to_a_staff_lookalike_is_refused(member_client, member):
    response = member_client.post(reverse("accounts:pseudonym"), {"pseudonym": "m0derator"})
    assert response.status_code == 422
    assert "mistaken for a member of the Hearth team" in response.content.decode()
    member.refresh_from_db()
    assert member.pseudonym == "MemberMaple"


def test_guest_cannot_open_settings(client):
    response = client.get(reverse("accounts:settings"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_verification_email_and_pages_speak_in_hearths_voice(client):
    """Issue 20: allauth's stock copy ("Hello from 127.0.0.1", "for user X", "finalize") is gone."""
    sent = client.post(reverse("account_signup"), SIGNUP, follow=True).content.decode()
    assert "Check your email" in sent and "finalize" not in sent and "contact us" not in sent
    message = mail.outbox[0]
    assert message.subject == "[Hearth] Welcome: please confirm your email"
    assert "GentleWren" in message.body
    assert "Hello from" not in message.body and "user " not in message.body
    link = re.search(r"https?://[^/]+(/accounts/confirm-email/[^\s]+/)", message.body).group(1)
    page = client.get(link).content.decode()
    assert "Confirm my email" in page and "for user" not in page
