"""The main path of each role, in a real browser (issue 20). One test per journey."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from forum.models import ContentNote, Thread
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.postgres]


@pytest.fixture
def community(transactional_db):
    """A small forum: an introductions space, a general one, and two content notes."""
    factories.note(name="Self-harm", description="Mentions of hurting yourself.")
    factories.note(name="Grief")
    introductions = factories.subforum(name="Introductions", slug="introductions", is_introductions=True)
    general = factories.subforum(name="Anxiety", slug="anxiety")
    return {"introductions": introductions, "general": general}


def _verification_link(server, email: str) -> str:
    output = server.output()
    start = output.rfind(f"To: {email}")
    assert start >= 0, "the verification email was sent (console backend)"
    match = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+", output[start:])
    assert match, "the email holds a confirmation link"
    return match.group(0)


def test_newcomer_signs_up_is_welcomed_and_posts_a_first_thread(journey, community):
    newcomer = journey("newcomer")
    page = newcomer.page
    newcomer.goto("/accounts/signup/")
    newcomer.shot("signup")
    page.get_by_label("Pseudonym").fill("GentleFern")
    page.get_by_label("Email").fill("fern@example.org")
    page.get_by_label(re.compile(r"^Password:?$")).fill("a calm and long passphrase")
    page.get_by_label(re.compile(r"^Password \(again\)")).fill("a calm and long passphrase")
    page.get_by_role("button", name="Join").click()
    newcomer.check()
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    newcomer.goto(_verification_link(newcomer.server, "fern@example.org"))
    newcomer.shot("confirm-email")
    page.get_by_role("button", name=re.compile("Confirm", re.I)).click()
    newcomer.check()

    # The welcome: pseudonym, guidelines, content notes.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome to Hearth")
    newcomer.shot("welcome-pseudonym")
    page.get_by_role("button", name="Keep going").click()
    newcomer.check()
    page.get_by_label(re.compile("I have read the community guidelines")).check()
    page.get_by_role("button", name="Keep going").click()
    newcomer.check()
    newcomer.shot("welcome-notes")
    page.get_by_role("group", name="Self-harm").get_by_label("Collapse behind a notice").check()
    page.get_by_role("button", name="Finish").click()
    newcomer.check()

    # A first thread in Introductions, with a content note.
    newcomer.goto("/f/introductions/new/")
    page.get_by_label("Title").fill("Hello from GentleFern")
    page.get_by_label("Your post").fill("I'm new here. Some weeks are hard, and I wanted somewhere kind to talk.")
    page.get_by_label("Grief").check()
    newcomer.shot("compose")
    page.get_by_role("button", name=re.compile("Post")).click()
    newcomer.check()
    newcomer.shot("posted")
    expect(page.get_by_role("status")).to_contain_text(re.compile("posted", re.I))
    expect(page.get_by_text("Some weeks are hard")).to_be_visible()  # the author sees their words at once
    thread = Thread.objects.get(title="Hello from GentleFern")
    newcomer.goto("/f/introductions/")
    expect(page.get_by_role("link", name="Hello from GentleFern")).to_be_visible()
    assert thread.notes.filter(name="Grief").exists()


def test_reader_with_preferences_hides_a_note_and_can_reveal_once(journey, community):
    factories.member(pseudonym="QuietReader", email="reader@example.org")
    writer = factories.member(pseudonym="OpenWriter")
    self_harm = ContentNote.objects.get(name="Self-harm")
    factories.thread(
        author=writer,
        subforum=community["general"],
        title="A hard night",
        notes=[self_harm],
        body="The words about a hard night that the reader hides.",
    )
    factories.thread(author=writer, subforum=community["general"], title="Small wins today")
    browser = journey("reader")
    page = browser.page
    browser.sign_in("reader@example.org")
    browser.goto("/settings/content-notes/")
    page.get_by_role("group", name="Self-harm").get_by_label("Hide completely").check()
    page.get_by_role("button", name=re.compile("Save")).click()
    browser.check()

    browser.goto("/f/anxiety/")
    browser.shot("listing-hidden")
    expect(page.get_by_role("link", name="Small wins today")).to_be_visible()
    assert "A hard night" not in page.content()
    expect(page.get_by_text(re.compile("1 thread not shown"))).to_be_visible()
    page.get_by_role("link", name="Show it this time").click()
    browser.check()
    browser.shot("listing-revealed")
    # Revealed once, behind its note: the title opens with the keyboard alone.
    summary = page.locator("summary", has_text="Self-harm")
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="A hard night")).to_be_visible()
    browser.goto("/f/anxiety/")
    assert "A hard night" not in page.content()  # only that once


def test_peer_reply_arrives_live_for_the_first_member(journey, community):
    first = factories.member(pseudonym="FirstFinch", email="finch@example.org")
    second = factories.member(pseudonym="SecondSwift", email="swift@example.org")
    thread = factories.thread(author=first, subforum=community["general"], title="Anyone up?")
    earlier = factories.reply(author=second, thread=thread, body="I'm here.")
    reader = journey("first")
    reader.sign_in("finch@example.org")
    reader.goto(thread.get_absolute_url())
    replier = journey("second")
    replier.sign_in("swift@example.org")
    replier.goto(f"/t/{thread.pk}/reply/?to={earlier.pk}")
    replier.page.get_by_label("Your reply").fill("Still here too, and glad you asked.")
    replier.page.get_by_role("button", name=re.compile("Post")).click()
    replier.check()
    expect(reader.page.get_by_role("link", name=re.compile("1 new reply"))).to_be_visible(timeout=10_000)
    reader.shot("live-notice")


def test_keyboard_only_sign_in_open_a_thread_and_reply(journey, community):
    member = factories.member(pseudonym="KeysOnly", email="keys@example.org")
    thread = factories.thread(author=member, subforum=community["general"], title="Typing without a mouse")
    browser = journey("keyboard")
    page = browser.page
    browser.goto("/accounts/login/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"  # the skip link is the first stop
    page.keyboard.press("Enter")
    # Tab to the email field and type, then the password, then submit with Enter.
    page.get_by_label("Email").focus()
    page.keyboard.type("keys@example.org")
    page.get_by_label("Password").focus()  # past the "forgot your password?" link
    page.keyboard.type("a-long-test-password")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/accounts/login/" not in page.url, "signed in"
    browser.goto(thread.get_absolute_url())
    browser.shot("thread")
    # Every Tab stop shows a visible focus indicator.
    for _ in range(25):
        page.keyboard.press("Tab")
        outline = page.evaluate(
            "(() => { const s = getComputedStyle(document.activeElement);"
            " return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0"
            " || s.boxShadow !== 'none'; })()"
        )
        tag = page.evaluate("document.activeElement.tagName")
        assert outline or tag == "BODY", f"no visible focus on {tag}"
    page.get_by_label("Your reply").focus()
    page.keyboard.type("Replying with the keyboard alone.")
    page.get_by_role("button", name="Post reply").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    browser.check()
    # Focus lands on the new post.
    focused_id = page.evaluate("document.activeElement.id")
    assert focused_id.startswith("post-"), focused_id
    browser.shot("replied")


def test_bad_input_keeps_everything_typed_on_a_phone(journey, community, settings):
    factories.member(pseudonym="PhoneUser", email="phone@example.org")
    browser = journey("bad-input", phone=True)
    page = browser.page
    browser.sign_in("phone@example.org")
    browser.goto("/f/anxiety/new/")
    long_body = "I have a lot to say today. " * 900  # over 20,000 characters
    page.get_by_label("Your post").fill(long_body)
    page.get_by_role("button", name=re.compile("Post")).click()
    browser.check()
    browser.shot("errors")
    summary = page.get_by_role("alert")
    expect(summary).to_be_in_viewport()
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Please give your thread a title.")
    expect(summary).to_contain_text("Please keep a post under 20,000 characters")
    assert page.get_by_label("Your post").input_value() == long_body.replace("\r\n", "\n")
    # Each problem in the summary leads to its field, where the same words sit beside it.
    summary.get_by_role("link", name="Please give your thread a title.").click()
    expect(page.get_by_label("Title")).to_be_focused()
    expect(page.locator(".field-invalid", has=page.get_by_label("Title"))).to_contain_text(
        "Please give your thread a title."
    )
