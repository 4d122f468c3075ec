"""The welcome onboarding (issue 3): three skippable steps, guidelines gate posting, moderators welcome."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forum.models import ContentNotePreference, SiteSettings, Thread
from moderation.models import ReviewItem
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer(db):
    return factories.member(pseudonym="NewWren", guidelines_version_accepted=0)


@pytest.fixture
def introductions(db):
    return factories.subforum(name="Introductions", slug="introductions", is_introductions=True)


def test_verified_email_leads_to_the_welcome(client):
    import re

    from django.core import mail

    client.post(
        reverse("account_signup"),
        {
            "pseudonym": "GentleWren",
            "email": "w@example.org",
            "password1": "calm long pass 42",
            "password2": "calm long pass 42",
        },
    )
    link = re.search(r"https?://[^/]+(/accounts/confirm-email/[^\s]+/)", mail.outbox[0].body).group(1)
    response = client.post(link)
    assert response["Location"] == reverse("forum:welcome")


def test_the_three_steps_record_pseudonym_guidelines_and_preferences(client, newcomer, introductions):
    note = factories.note(name="Self-harm")
    client.force_login(newcomer)
    assert "only ever see your pseudonym" in client.get(reverse("forum:welcome")).content.decode()
    assert client.post(reverse("forum:welcome"), {"pseudonym": "BraveWren"})["Location"] == reverse(
        "forum:welcome_guidelines"
    )
    refused = client.post(reverse("forum:welcome_guidelines"), {})
    assert refused.status_code == 422 and "tick the box" in refused.content.decode()
    assert client.post(reverse("forum:welcome_guidelines"), {"accept": "on"})["Location"] == reverse(
        "forum:welcome_notes"
    )
    done = client.post(reverse("forum:welcome_notes"), {f"note_{note.pk}": "hide"})
    assert done["Location"] == reverse("forum:welcome_done")
    newcomer.refresh_from_db()
    assert newcomer.pseudonym == "BraveWren"
    assert newcomer.guidelines_version_accepted == 1 and newcomer.guidelines_accepted_at
    assert newcomer.onboarding_completed_at
    assert ContentNotePreference.objects.get(member=newcomer).display == "hide"
    item = ReviewItem.objects.get(kind="new_member")
    assert item.member == newcomer and item.status == "open"
    invite = client.get(reverse("forum:welcome_done")).content.decode()
    assert "?starter=1" in invite


def test_introduction_starter_is_prefilled_and_editable(client, member, introductions):
    client.force_login(member)
    body = client.get(reverse("forum:thread_create", args=[introductions.slug]) + "?starter=1").content.decode()
    assert "Hello from MemberMaple" in body and "I&#x27;m new here" in body


def test_introduction_attaches_to_the_members_welcome_item(client, newcomer, introductions):
    client.force_login(newcomer)
    client.post(reverse("forum:welcome_skip"))
    client.post(
        reverse("forum:thread_create", args=[introductions.slug]),
        {"title": "Hello", "body": "Hi all", "accept_guidelines": "on"},
    )
    item = ReviewItem.objects.get(kind="new_member")
    assert item.thread == Thread.objects.get() and "introduced themselves" in item.summary


def test_skipping_keeps_defaults_and_posting_still_needs_the_guidelines(client, newcomer, subforum):
    client.force_login(newcomer)
    assert client.post(reverse("forum:welcome_skip"))["Location"] == reverse("forum:home")
    newcomer.refresh_from_db()
    assert newcomer.onboarding_completed_at and newcomer.guidelines_version_accepted == 0
    assert not ContentNotePreference.objects.exists()
    assert ReviewItem.objects.filter(kind="new_member", member=newcomer).count() == 1
    compose = client.get(reverse("forum:thread_create", args=[subforum.slug])).content.decode()
    assert 'name="accept_guidelines"' in compose and "Before your first post" in compose
    refused = client.post(reverse("forum:thread_create", args=[subforum.slug]), {"title": "Hi", "body": "Hello"})
    assert refused.status_code == 422 and not Thread.objects.exists()


def test_a_guidelines_version_bump_asks_members_to_accept_again(client, member, subforum):
    SiteSettings.objects.update_or_create(
        pk=1, defaults={"guidelines_version": 2, "guidelines_change_summary": "R8 added"}
    )
    client.force_login(member)
    compose = client.get(reverse("forum:thread_create", args=[subforum.slug])).content.decode()
    assert "have changed since you last read them: R8 added" in compose
    refused = client.post(reverse("forum:thread_create", args=[subforum.slug]), {"title": "Hi", "body": "Hello"})
    assert refused.status_code == 422
    accepted = client.post(
        reverse("forum:thread_create", args=[subforum.slug]),
        {"title": "Hi", "body": "Hello", "accept_guidelines": "on"},
    )
    assert accepted.status_code == 302
    member.refresh_from_db()
    assert member.guidelines_version_accepted == 2


def test_new_member_label_shows_for_the_first_days_only(client, member, thread, settings):
    settings.HEARTH_NEW_MEMBER_DAYS = 14
    assert "New member" in client.get(thread.get_absolute_url()).content.decode()
    type(member).objects.filter(pk=member.pk).update(date_joined=timezone.now() - timedelta(days=15))
    assert "New member" not in client.get(thread.get_absolute_url()).content.decode()


def test_first_post_guide_shows_until_the_member_has_posted(client, newcomer, member, subforum):
    client.force_login(newcomer)
    assert "Your first post" in client.get(reverse("forum:thread_create", args=[subforum.slug])).content.decode()
    client.force_login(member)
    factories.thread(author=member, subforum=subforum)
    assert "Your first post" not in client.get(reverse("forum:thread_create", args=[subforum.slug])).content.decode()


def test_guests_cannot_open_the_welcome(client):
    assert client.get(reverse("forum:welcome")).status_code == 302
