"""Screening results are for moderators: after screening a member's posts, another member and a
guest crawl every page they can reach and find no trace of it."""

from __future__ import annotations

import re
from urllib.parse import urldefrag, urlparse

import pytest

from forum.models import HelpResource
from moderation.screening import posts
from tests import factories

HREF_RE = re.compile(r'href="([^"]+)"')
# Words only screening would put on a page: levels and bands as labels, categories as the engine
# names them, flags, the panels meant for the author.
TRACES = (
    "screening",
    "high risk",
    "medium risk",
    "risk level",
    "self_harm",
    "eating_disorder",
    "abuse_harassment",
    "confident",
    "tentative",
    "someone_else",
    "someone else may be at risk",
    "hostility",
    "context_unlikely",
    "safe with us",
    "not alone with this",
    "going to kill myself tonight",  # the held post's words
)
# The privacy page says, for everyone, that Hearth screens posts (GDPR asks that members be told
# of automated processing); it describes screening in general and names nobody.
SKIP = ("/accounts/logout", "/admin/", "/moderation/", "/static/", "/privacy/")


@pytest.fixture
def screened(member, other_member, subforum):
    HelpResource.objects.create(name="Samaritans", phone="116 123", is_active=True)
    factories.note(name="Eating disorders", slug="eating-disorders")
    thread = factories.thread(author=member, subforum=subforum, title="A rough week", body="Work has been a lot.")
    held = factories.reply(
        author=member, thread=thread, body="I've decided. I'm going to kill myself tonight, I have the pills saved up."
    )
    medium = factories.reply(author=member, thread=thread, body="I've been purging after every meal again this week.")
    other = factories.reply(author=member, thread=thread, body="My sister told me she wants to kill herself tonight.")
    hostile = factories.reply(author=other_member, thread=thread, body="Nobody cares, you pathetic attention seeker.")
    for post in (thread.posts.get(position=0), held, medium, other, hostile):
        posts.post_screen(post_id=post.pk, revision=0)
    return thread


def crawl(client, start: str, limit: int = 120) -> dict[str, str]:
    seen: dict[str, str] = {}
    queue = [start]
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url, follow=True)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            seen[url] = ""
            continue
        page = response.content.decode()
        seen[url] = page
        for href in HREF_RE.findall(page):
            href = urldefrag(href.replace("&amp;", "&"))[0]
            parsed = urlparse(href)
            if parsed.scheme or parsed.netloc or not href.startswith("/") or href.startswith(SKIP):
                continue
            if href not in seen:
                queue.append(href)
    return seen


@pytest.mark.parametrize("viewer", ["other_member", "guest"])
def test_no_trace_of_screening_reaches_another_member_or_a_guest(client, screened, viewer, request):
    if viewer == "other_member":
        client.force_login(request.getfixturevalue("other_member"))
    pages = crawl(client, "/")
    assert screened.get_absolute_url() in pages  # the crawl did reach the thread
    assert any(f"/m/{screened.author.pseudonym}/" in url for url in pages)
    for url, page in pages.items():
        for trace in TRACES:
            assert not re.search(rf"\b{re.escape(trace)}\b", page, re.IGNORECASE), f"{trace!r} on {url}"
