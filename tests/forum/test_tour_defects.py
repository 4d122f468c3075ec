"""Defects a first real-browser tour found (issue 20), each pinned at the HTTP level.

The browser journeys (tests/browser) walk the same paths in Chromium.
"""

from __future__ import annotations

from django.urls import reverse

from forum.models import HelpResource
from tests import factories
from tests.conftest import client_for


def test_a_member_who_skipped_the_welcome_still_sees_start_a_thread_and_reply(client, subforum, thread):
    unaccepted = factories.member(pseudonym="SkippedWelcome", guidelines_version_accepted=0)
    client = client_for(client, unaccepted)
    listing = client.get(subforum.get_absolute_url()).content.decode()
    assert "Start a thread" in listing
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Reply<span" in page  # the per-post Reply links
    composer = client.get(reverse("forum:thread_create", args=[subforum.slug])).content.decode()
    assert "I have read the community guidelines" in composer  # asked in place


def test_posting_with_the_guidelines_box_ticked_keeps_the_words_and_posts(client, subforum):
    unaccepted = factories.member(pseudonym="TicksInPlace", guidelines_version_accepted=0)
    client = client_for(client, unaccepted)
    url = reverse("forum:thread_create", args=[subforum.slug])
    refused = client.post(url, {"title": "Hello", "body": "My words"})
    assert refused.status_code == 422 and "My words" in refused.content.decode()
    posted = client.post(url, {"title": "Hello", "body": "My words", "accept_guidelines": "on"})
    assert posted.status_code == 302


def test_a_listing_of_only_hidden_threads_offers_a_one_time_reveal(client, member, subforum):
    note = factories.note(name="Self-harm")
    factories.thread(author=factories.member(), subforum=subforum, title="Behind a note", notes=[note])
    from forum import services

    services.note_preferences_set(member=member, displays={note.pk: "hide"})
    client = client_for(client, member)
    page = client.get(subforum.get_absolute_url()).content.decode()
    assert "1 thread not shown" in page and "Show it this time" in page
    assert "No threads here yet" not in page
    assert "Behind a note" not in page
    revealed = client.get(subforum.get_absolute_url() + "?reveal=hidden").content.decode()
    assert "Behind a note" in revealed and "<details" in revealed  # once, behind its note


def test_an_author_sees_their_own_noted_thread_with_a_posted_confirmation(client, member, subforum):
    note = factories.note(name="Grief")
    client = client_for(client, member)
    response = client.post(
        reverse("forum:thread_create", args=[subforum.slug]),
        {"title": "My own words", "body": "Missing my dad today.", "notes": [note.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "Your thread is posted" in page
    assert "<h1>My own words</h1>" in page and "<details" not in page


def test_the_reply_page_never_shows_the_title_of_a_thread_the_reader_hides(client, member, subforum):
    from forum import services

    note = factories.note(name="Self-harm")
    hidden = factories.thread(author=factories.member(), subforum=subforum, title="Secret title", notes=[note])
    services.note_preferences_set(member=member, displays={note.pk: "hide"})
    page = client_for(client, member).get(reverse("forum:reply", args=[hidden.pk])).content.decode()
    assert "Secret title" not in page
    assert "A thread with a content note" in page


def test_the_error_summary_links_each_problem_to_its_field(member_client, subforum):
    response = member_client.post(reverse("forum:thread_create", args=[subforum.slug]), {"title": "", "body": ""})
    page = response.content.decode()
    assert 'id="form-problem"' in page
    assert '<a href="#id_title">Please give your thread a title.</a>' in page


def test_the_favicon_is_served(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")


def test_the_help_page_offers_text_lines_as_sms_links_with_large_targets(client, db):
    HelpResource.objects.create(
        name="Shout", text="Text SHOUT to 85258", phone="116 123", url="https://giveusashout.org/"
    )
    page = client.get(reverse("forum:help")).content.decode()
    assert 'href="sms:85258?&amp;body=SHOUT"' in page
    assert 'class="touch-link" href="tel:116123"' in page
    assert ">giveusashout.org</a>" in page
