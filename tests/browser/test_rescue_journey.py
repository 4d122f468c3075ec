"""The rescue journey in a real browser (issues 19 and 20): a member volunteers to help in a
space; a thread there waits past T1 and the rescue job runs; it is on "Waiting for a reply" and
the helper's header shows a notification; the helper replies, and the thread leaves the page at
once."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from playwright.sync_api import expect

from forum import rescue
from forum.models import Thread
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.postgres]


def test_a_waiting_thread_reaches_a_helper_and_leaves_the_page_when_answered(journey, transactional_db):
    space = factories.subforum(name="Sleep", slug="sleep")
    factories.member(pseudonym="HelpfulHazel", email="hazel@example.org")
    asker = factories.member(pseudonym="SleeplessSam")
    thread = factories.thread(author=asker, subforum=space, title="Awake at 4am again", body="Anyone else?")

    helper = journey("helper")
    page = helper.page
    helper.sign_in("hazel@example.org")
    helper.goto("/settings/volunteering/")
    page.get_by_label("Sleep").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save choices").click()
    helper.check()

    # The thread has waited past T1; the beat job's run (called here, as beat would).
    Thread.objects.filter(pk=thread.pk).update(
        created_at=thread.created_at - settings.HEARTH_UNANSWERED_T1 - timedelta(minutes=1)
    )
    report = rescue.rescue_run()
    assert report.listed == 1 and report.asked == 1

    helper.goto("/waiting/")
    helper.shot("waiting")
    expect(page.get_by_role("link", name="Awake at 4am again")).to_be_visible()
    expect(page.locator("#notification-count")).to_contain_text("1")
    page.get_by_role("link", name=re.compile("Notifications")).click()
    page.wait_for_load_state("domcontentloaded")
    helper.check()
    helper.shot("notification")

    helper.goto(thread.get_absolute_url())
    page.get_by_label("Your reply").fill("Yes, me too some nights. Have you tried getting up for a bit?")
    with page.expect_navigation():
        page.get_by_role("button", name="Post reply").click()
    helper.check()
    helper.goto("/waiting/")
    assert "Awake at 4am again" not in page.content()  # off the page at once, no job needed
