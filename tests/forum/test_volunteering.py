"""Members offer to help: helpers per subforum and welcomers, from their settings."""

from __future__ import annotations

import pytest
from django.urls import reverse

from forum import selectors
from forum.models import Volunteer
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def introductions(db):
    return factories.subforum(name="Introductions", slug="introductions", is_introductions=True)


def test_guest_is_sent_to_sign_in(client):
    response = client.get(reverse("forum:volunteering"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_settings_links_to_volunteering(member_client):
    assert reverse("forum:volunteering").encode() in member_client.get(reverse("accounts:settings")).content


def test_member_volunteers_as_helper_and_welcomer(member_client, member, subforum, introductions):
    page = member_client.get(reverse("forum:volunteering"))
    assert page.status_code == 200 and b"Anxiety" in page.content
    assert b">Introductions<" not in page.content  # welcomers greet there
    response = member_client.post(reverse("forum:volunteering"), {"helper_subforums": [subforum.pk], "welcomer": "on"})
    assert response.status_code == 302
    assert selectors.volunteering_for(member=member) == ({subforum.pk}, True)


def test_member_stops_volunteering(member_client, member, subforum):
    member_client.post(reverse("forum:volunteering"), {"helper_subforums": [subforum.pk], "welcomer": "on"})
    member_client.post(reverse("forum:volunteering"), {})
    assert not Volunteer.objects.filter(member=member).exists()


def test_introductions_take_welcomers_not_helpers(member_client, member, introductions):
    response = member_client.post(reverse("forum:volunteering"), {"helper_subforums": [introductions.pk]})
    assert b"Select a valid choice" in response.content
    assert not Volunteer.objects.filter(member=member).exists()


def test_saving_twice_keeps_one_row_each(member_client, member, subforum):
    for _ in range(2):
        member_client.post(reverse("forum:volunteering"), {"helper_subforums": [subforum.pk], "welcomer": "on"})
    assert Volunteer.objects.filter(member=member).count() == 2


def test_a_bad_choice_is_shown_and_nothing_saved(member_client, member):
    response = member_client.post(reverse("forum:volunteering"), {"helper_subforums": ["99999"]})
    assert response.status_code == 200 and b"Select a valid choice" in response.content
    assert not Volunteer.objects.filter(member=member).exists()


def test_member_who_has_not_accepted_guidelines_cannot_volunteer(client, subforum):
    newcomer = factories.member(guidelines_version_accepted=0)
    client.force_login(newcomer)
    page = client.post(reverse("forum:volunteering"), {"helper_subforums": [subforum.pk]})
    assert b"accept the community guidelines" in page.content
    assert not Volunteer.objects.filter(member=newcomer).exists()
