"""The moderation issue's journey in a real browser: a held first post approved from the queue;
a report reaching a watching moderator live; a hide citing a guideline; the author reading the
statement of reasons and appealing; a second moderator deciding."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from forum.models import Post, Rule, Visibility
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.postgres]


@pytest.fixture
def space(transactional_db):
    Rule.objects.create(code="R2", title="Be kind", body="No insults.", order=2)
    Rule.objects.create(code="R7", title="Use Report", body="Tell the moderators.", order=7)
    return {
        "held": factories.subforum(name="Difficult feelings", slug="difficult", posting_policy="premod_all"),
        "open": factories.subforum(name="General", slug="general"),
    }


def _act(page, action_label: str, rule_label: str, reason: str) -> None:
    form = page.locator("form", has=page.get_by_role("heading", name="The post"))
    form.get_by_label(action_label).check()
    form.get_by_label("Guideline").select_option(label=rule_label)
    form.get_by_role("textbox", name=re.compile(r"^Reason")).fill(reason)
    with page.expect_navigation():
        form.get_by_role("button", name="Do it").click()


def test_moderators_release_a_held_post_and_decide_a_report_and_its_appeal(journey, space):
    factories.member(pseudonym="ModOne", email="mod1@example.org", is_moderator=True)
    factories.member(pseudonym="ModTwo", email="mod2@example.org", is_moderator=True)
    newcomer = factories.member(pseudonym="NewNettle", email="nettle@example.org")
    reporter = factories.member(pseudonym="KindKestrel", email="kestrel@example.org")
    held = factories.thread(author=newcomer, subforum=space["held"], title="First time posting", body="Hello all.")
    assert held.status == Visibility.PENDING

    moderator = journey("moderator")
    page = moderator.page
    moderator.sign_in("mod1@example.org")
    moderator.goto("/moderation/")
    moderator.shot("queue")
    page.get_by_role("link", name=re.compile("NewNettle")).first.click()
    moderator.check()
    moderator.shot("item")
    _act(page, "Approve: publish it for everyone", "R7 Use Report", "Welcome, this is fine to publish.")
    moderator.check()
    held.refresh_from_db()
    assert held.status == Visibility.PUBLISHED

    # A report reaches the watching moderator without a reload.
    moderator.goto("/moderation/")
    chat = factories.thread(author=reporter, subforum=space["open"], title="Evening chat", body="How is everyone?")
    rude = factories.reply(author=newcomer, thread=chat, body="You are all idiots.")
    member = journey("reporter")
    member.sign_in("kestrel@example.org")
    member.goto(f"/moderation/report/post/{rude.pk}/")
    member.page.get_by_label("R2: Be kind").check()
    member.page.get_by_label(re.compile("Anything you'd like")).fill("This was unkind to everyone.")
    with member.page.expect_navigation():
        member.page.get_by_role("button", name=re.compile("Send|Report")).click()
    member.check()
    expect(page.locator("#queue-live")).to_be_visible(timeout=10_000)
    moderator.shot("queue-live")
    page.reload()
    moderator.check()
    page.get_by_role("link", name=re.compile("report", re.I)).first.click()
    moderator.check()
    _act(page, "Hide it (the author still sees it, with your reason)", "R2 Be kind", "Insults hurt; please rephrase.")
    rude.refresh_from_db()
    assert rude.status == Visibility.HIDDEN

    # The author reads the statement of reasons, with their own words, and appeals.
    author = journey("author")
    author.sign_in("nettle@example.org")
    author.goto("/notifications/")
    author.page.get_by_role("button", name=re.compile("decision|hid", re.I)).first.click()
    author.check()
    author.shot("statement")
    expect(author.page.get_by_text("Insults hurt; please rephrase.")).to_be_visible()
    expect(author.page.get_by_text("You are all idiots.")).to_be_visible()
    author.page.get_by_role("textbox").fill("I was upset and I'm sorry; I'd like to rephrase it.")
    with author.page.expect_navigation():
        author.page.get_by_role("button", name="Send my appeal").click()
    author.check()

    # The moderator who hid it cannot decide; another moderator reverses it.
    second = journey("second-moderator")
    second.sign_in("mod2@example.org")
    second.goto("/moderation/?kind=appeal")
    second.page.get_by_role("link", name=re.compile("appeal", re.I)).first.click()
    second.check()
    form = second.page.locator("form", has=second.page.get_by_role("button", name="Decide the appeal"))
    form.get_by_label(re.compile("Reverse it")).check()
    form.get_by_role("textbox", name=re.compile(r"^Reason")).fill("Fair enough; restored so you can edit it.")
    with second.page.expect_navigation():
        form.get_by_role("button", name="Decide the appeal").click()
    second.check()
    assert Post.objects.get(pk=rude.pk).status == Visibility.PUBLISHED
    second.goto("/transparency/")
    second.shot("transparency")
