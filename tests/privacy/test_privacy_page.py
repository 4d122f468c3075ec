"""The privacy page says what is kept, for how long and who sees it, from the running settings;
security.txt says where to report a vulnerability."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_privacy_page_reads_the_retention_settings(client, settings):
    settings.HEARTH_RETENTION_IP_DAYS = 12
    settings.HEARTH_RETENTION_NOTIFICATIONS_DAYS = 45
    settings.HEARTH_ERASURE_GRACE_DAYS = 9
    settings.HEARTH_EXPORT_DAYS = 3
    response = client.get(reverse("privacy:page"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    for sentence in ("12 days, then deleted", "45 days after you have read them", "9 days after you ask", "3 days"):
        assert sentence in html
    assert "Never your email address" in html
    assert "Automated risk screening" in html  # members are told of automated processing
    assert reverse("privacy:data") in html


def test_the_footer_and_sign_up_link_to_it(client):
    privacy = reverse("privacy:page")
    assert privacy in client.get(reverse("forum:home")).content.decode()
    assert privacy in client.get(reverse("account_signup")).content.decode()


def test_security_txt_is_absent_until_a_contact_is_set(client, settings):
    settings.HEARTH_SECURITY_CONTACT = ""
    assert client.get("/.well-known/security.txt").status_code == 404
    settings.HEARTH_SECURITY_CONTACT = "mailto:security@hearth.example"
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Contact: mailto:security@hearth.example" in text
    assert "Expires: " in text and text.split("Expires: ")[1].split("\n")[0].endswith("Z")
    assert "security@hearth.example" in client.get(reverse("privacy:page")).content.decode()


def test_a_member_deleting_their_account_sees_the_grace_period(client, member, settings):
    settings.HEARTH_ERASURE_GRACE_DAYS = 7
    client.force_login(member)
    html = client.get(reverse("privacy:delete")).content.decode()
    assert html.count("<h1") == 1
    assert "after 7 days" in html
    assert '<label for="id_password"' in html and 'autocomplete="current-password"' in html
    assert 'type="radio"' in html and "<legend>" in html
