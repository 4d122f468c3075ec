"""Keyset pages: following Next / Previous, jumping to ?page=N or Last, all give the offset order."""

from __future__ import annotations

import re

import pytest
from django.test.utils import CaptureQueriesContext, override_settings

from forum import services
from forum.models import Thread
from tests import factories

pytestmark = pytest.mark.django_db

PER_PAGE = 7


def _titles(html: str) -> list[str]:
    return re.findall(r'class="thread-title" href="[^"]+">([^<]+)</a>', html)


def _link(html: str, rel: str) -> str | None:
    match = re.search(rf'<a href="(\?[^"]*)"(?: rel="{rel}")?>{rel.capitalize() if rel != "last" else "Last"}', html)
    if rel in ("prev", "next"):
        match = re.search(rf'<a href="(\?[^"]*)" rel="{rel}">', html)
    return match.group(1).replace("&amp;", "&") if match else None


@override_settings(HEARTH_THREADS_PER_PAGE=PER_PAGE)
def test_walking_the_pages_gives_every_thread_once_in_order(client, member, other_member, subforum):
    hidden = factories.note(name="Abuse")
    services.note_preferences_set(member=other_member, displays={hidden.pk: "hide"})
    for i in range(40):
        factories.thread(author=member, subforum=subforum, title=f"Thread {i:02}", notes=[hidden] if i % 5 == 0 else [])
    services.thread_set_pinned(thread=Thread.objects.get(title="Thread 03"), pinned=True)
    client.force_login(other_member)
    expected = list(
        Thread.objects.filter(subforum=subforum, status="published")
        .exclude(notes=hidden)
        .order_by("-is_pinned", "-last_activity_at", "-id")
        .values_list("title", flat=True)
    )
    assert len(expected) == 32 and expected[0] == "Thread 03"
    url = subforum.get_absolute_url()
    html = client.get(url).content.decode()
    assert "8 threads not shown" in html
    assert "Page 1 of 5" in html
    seen, pages = [], 0
    while True:
        seen += _titles(html)
        pages += 1
        following = _link(html, "next")
        if not following:
            break
        html = client.get(url + following).content.decode()
        assert f"Page {pages + 1} of 5" in html
    assert seen == expected and pages == 5
    # ...and back again with Previous.
    back = []
    while True:
        back = _titles(html) + back
        previous = _link(html, "prev")
        if not previous:
            break
        html = client.get(url + previous).content.decode()
    assert back == expected
    # Jumps: every ?page=N shows the same rows as the walk, from whichever end is nearer.
    for number in range(1, 6):
        html = client.get(f"{url}?page={number}").content.decode()
        assert _titles(html) == expected[(number - 1) * PER_PAGE : number * PER_PAGE], number
    assert _titles(client.get(f"{url}?page=999").content.decode()) == expected[28:]
    assert _titles(client.get(f"{url}?after=garbage").content.decode()) == expected[:PER_PAGE]


@override_settings(HEARTH_THREADS_PER_PAGE=PER_PAGE)
def test_a_deep_page_runs_the_same_queries_as_the_first(client, member, subforum, django_assert_num_queries):
    for i in range(50):
        factories.thread(author=member, subforum=subforum, title=f"Thread {i:02}")
    from django.db import connection

    url = subforum.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    with CaptureQueriesContext(connection) as last:
        client.get(url + "?page=last")
    assert len(first) == len(last)
    # No OFFSET beyond one page, and no COUNT: the total comes from the subforum's counter.
    sql = " ".join(q["sql"] for q in last.captured_queries)
    assert "COUNT(" not in sql.upper()


@override_settings(HEARTH_THREADS_PER_PAGE=PER_PAGE)
def test_the_waiting_page_walks_with_cursors(client, member, subforum):
    from forum.models import Thread as T

    for i in range(17):
        factories.thread(author=member, subforum=subforum, title=f"Alone {i:02}")
    T.objects.update(rescue_stage=1)
    expected = list(T.objects.order_by("-created_at", "-id").values_list("title", flat=True))
    html = client.get("/waiting/").content.decode()
    seen = []
    while True:
        seen += _titles(html)
        following = _link(html, "next")
        if not following:
            break
        html = client.get("/waiting/" + following).content.decode()
    assert seen == expected
    oldest = re.search(r'<a href="(\?[^"]*)">Oldest', client.get("/waiting/").content.decode()).group(1)
    assert _titles(client.get("/waiting/" + oldest.replace("&amp;", "&")).content.decode()) == expected[-PER_PAGE:]


def test_notifications_walk_by_key(client, member):
    from notifications.models import Notification

    for i in range(65):
        Notification.objects.create(recipient=member, kind="reply", title=f"Note {i:02}", url="/")
    client.force_login(member)
    expected = list(Notification.objects.filter(recipient=member).values_list("title", flat=True))
    html = client.get("/notifications/").content.decode()
    seen = []
    while True:
        seen += re.findall(r'class="link-button">(?:<span[^>]*>Unread: </span>)?(Note \d+)</button>', html)
        following = _link(html, "next")
        if not following:
            break
        html = client.get("/notifications/" + following).content.decode()
    assert seen == expected
