"""Only pseudonyms reach other members.

Members chose a pseudonym because disclosure could hurt them. This test builds a small community
whose members have distinctive private emails, with every kind of post state (published, waiting
for review, hidden, removed), then crawls every page a guest or another member can reach by
following links, and proves that no body, attribute, URL or header names a member's email.
"""

from __future__ import annotations

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.test import Client

from forum import services
from forum.models import HelpResource
from tests import factories
from tests.second_factor import sign_in

pytestmark = pytest.mark.django_db

PRIVATE_DOMAIN = "@private-mail.example"
SECRET_EMAILS = {
    "author": "secret.person.1234@private-mail.example",
    "replier": "hidden.identity.5678@private-mail.example",
    "newcomer": "real.name.4321@private-mail.example",
    "moderator": "mod.true.name.9012@private-mail.example",
    "admin": "admin.own.name.3456@private-mail.example",
}
VIEWER_EMAIL = "viewer.private.7777@own-mail.example"

MAX_PAGES = 300
SKIPPED_PREFIXES = ("/accounts/logout/", "/admin/", "/static/", "/media/")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.extend(value for name, value in attrs if name == "href" and value)


def _same_site_links(page_url: str, html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        url, _ = urldefrag(urljoin(page_url, href))
        parts = urlsplit(url)
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
            continue
        local = parts.path + (f"?{parts.query}" if parts.query else "")
        if local.startswith("/") and not local.startswith(SKIPPED_PREFIXES):
            found.append(local)
    return found


def _forbidden_strings(emails) -> set[str]:
    forbidden = {PRIVATE_DOMAIN}
    for email in emails:
        forbidden.add(email)
        forbidden.add(email.split("@")[0])
    return {text.lower() for text in forbidden}


def crawl(client: Client, *, forbidden: set[str], own_email: str | None = None) -> dict[str, int]:
    """Follow every same-site link from home; fail on the first leak. Returns url -> status."""
    seen: dict[str, int] = {}
    queue = deque(["/"])
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.status_code
        assert response.status_code < 500, url
        body = response.content.decode(errors="replace")
        headers = "\n".join(f"{name}: {value}" for name, value in response.headers.items())
        for where, text in (("body", body), ("headers", headers)):
            lowered = text.lower()
            for secret in forbidden:
                assert secret not in lowered, f"{secret!r} leaks in the {where} of {url}"
            if own_email and not urlsplit(url).path.startswith("/accounts/"):
                assert own_email.lower() not in lowered, f"the viewer's own email shows in the {where} of {url}"
        if response.status_code in (301, 302, 303, 307, 308):
            location = response["Location"]
            target, _ = urldefrag(urljoin(url, location))
            parts = urlsplit(target)
            if parts.netloc in ("", "testserver") and not parts.path.startswith(SKIPPED_PREFIXES):
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
        elif response.get("Content-Type", "").startswith("text/html"):
            queue.extend(link for link in _same_site_links(url, body) if link not in seen)
    assert not queue or len(seen) >= MAX_PAGES
    return seen


@pytest.fixture
def community(settings, subforum, other_member):
    """A small forum with every post state and members whose emails must never show."""
    settings.HEARTH_POSTS_PER_PAGE = 3
    settings.HEARTH_THREADS_PER_PAGE = 2
    other_member.email = VIEWER_EMAIL
    other_member.save(update_fields=["email"])

    people = {
        "author": factories.member(pseudonym="QuietHeron12", email=SECRET_EMAILS["author"]),
        "replier": factories.member(pseudonym="GentleFern", email=SECRET_EMAILS["replier"]),
        "newcomer": factories.member(pseudonym="BraveRobin", email=SECRET_EMAILS["newcomer"]),
        "moderator": factories.member(pseudonym="SteadyCedar", email=SECRET_EMAILS["moderator"], is_moderator=True),
        "admin": factories.member(
            pseudonym="WarmLantern",
            email=SECRET_EMAILS["admin"],
            is_moderator=True,
            is_staff=True,
            is_superuser=True,
        ),
    }
    child = factories.subforum(name="Panic attacks", slug="panic", parent=subforum)
    reviewed = factories.subforum(name="Reviewed", slug="reviewed", posting_policy="premod_all")
    note = factories.note(name="Self-harm", default_display="collapse")
    HelpResource.objects.create(name="Samaritans", phone="116 123", url="https://www.samaritans.org")

    busy = factories.thread(author=people["author"], subforum=subforum, title="Mornings are hard", body="Every day.")
    previous = None
    for n in range(7):
        writer = people["replier"] if n % 2 else people["author"]
        previous = factories.reply(author=writer, thread=busy, body=f"Reply number {n}.", parent=previous)
    factories.reply(author=other_member, thread=busy, body="The viewer's own reply.")
    hidden = factories.reply(author=people["author"], thread=busy, body="Hidden words.")
    services.post_set_visibility(post=hidden, status="hidden", reason="Shares a method.")
    removed = factories.reply(author=people["replier"], thread=busy, body="Removed words.")
    services.post_delete_by_author(post=removed, actor=removed.author)

    factories.thread(author=people["replier"], subforum=subforum, title="Noted", body="Careful.", notes=[note])
    factories.thread(author=people["newcomer"], subforum=child, title="In a child space", body="Hello.")
    factories.thread(author=people["moderator"], subforum=subforum, title="Welcome all", body="From the team.")
    factories.thread(author=people["admin"], subforum=subforum, title="House rules", body="Be kind.")
    staff_thread = factories.thread(author=people["moderator"], subforum=reviewed, title="Reviewed", body="Hi.")
    pending_reply = factories.reply(author=people["newcomer"], thread=staff_thread, body="Waiting reply.")
    pending_thread = factories.thread(author=people["author"], subforum=reviewed, title="Waiting", body="Held.")
    assert pending_reply.status == "pending" and pending_thread.status == "pending"
    return {"people": people, "busy": busy, "subforum": subforum, "child": child}


def _assert_crawl_reached_every_kind_of_page(seen: dict[str, int], community) -> None:
    ok = {url for url, status in seen.items() if status == 200}
    paths = {urlsplit(url).path for url in ok}
    assert "/" in paths
    assert "/help/" in paths
    assert community["subforum"].get_absolute_url() in paths
    assert community["child"].get_absolute_url() in paths
    assert community["busy"].get_absolute_url() in paths
    assert any(url.startswith(community["busy"].get_absolute_url() + "?page=") for url in ok)
    for person in community["people"].values():
        assert person.get_absolute_url() in paths, person.pseudonym


def test_guests_see_no_members_email_anywhere(community):
    seen = crawl(Client(), forbidden=_forbidden_strings([*SECRET_EMAILS.values(), VIEWER_EMAIL]))
    assert len(seen) > 30
    _assert_crawl_reached_every_kind_of_page(seen, community)


def test_other_members_see_no_one_elses_email_anywhere(community, other_member):
    client = Client()
    client.force_login(other_member)
    seen = crawl(client, forbidden=_forbidden_strings(SECRET_EMAILS.values()), own_email=VIEWER_EMAIL)
    _assert_crawl_reached_every_kind_of_page(seen, community)
    assert "/accounts/settings/" in seen  # the viewer's own pages were crawled too
    assert other_member.get_absolute_url() in seen


def test_a_members_own_email_shows_only_on_their_own_account_pages(community, other_member):
    # Their own email may appear where they manage it (allauth's email page); nowhere public.
    client = Client()
    client.force_login(other_member)
    profile = client.get(other_member.get_absolute_url()).content.decode()
    assert VIEWER_EMAIL not in profile
    settings_page = client.get("/accounts/settings/")
    assert settings_page.status_code == 200
    assert SECRET_EMAILS["author"] not in settings_page.content.decode()


def test_moderators_see_no_members_email_outside_the_admin(community):
    # Revealing an email is an admin act with a recorded reason (issue 7), never a page a
    # moderator stumbles on: the review pages, pending posts and hidden text name pseudonyms only.
    moderator = community["people"]["moderator"]
    client = Client()
    sign_in(client, moderator)
    others = [email for role, email in SECRET_EMAILS.items() if role != "moderator"]
    forbidden = {text for text in _forbidden_strings([*others, VIEWER_EMAIL]) if text != PRIVATE_DOMAIN}
    seen = crawl(client, forbidden=forbidden, own_email=SECRET_EMAILS["moderator"])
    _assert_crawl_reached_every_kind_of_page(seen, community)
