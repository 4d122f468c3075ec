"""Pages run a constant number of SQL queries however much data there is."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum import services
from tests import factories

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    client.get(url)  # warm the caches (content notes, site settings) so only the page's own queries count
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _grow_thread(thread, authors, n):
    previous = None
    for i in range(n):
        previous = factories.reply(
            author=authors[i % len(authors)], thread=thread, body=f"reply {i}", parent=previous if i % 3 else None
        )


@pytest.mark.parametrize("persona", ["guest", "member", "moderator"])
def test_thread_page_queries_do_not_grow_with_replies(client, member, other_member, moderator, subforum, persona):
    note = factories.note(name="Self-harm")
    small = factories.thread(author=member, subforum=subforum, title="small", notes=[note])
    big = factories.thread(author=member, subforum=subforum, title="big", notes=[note])
    _grow_thread(small, [member, other_member], 5)
    _grow_thread(big, [member, other_member, moderator], 500)
    if persona != "guest":
        viewer = {"member": member, "moderator": moderator}[persona]
        other_note = factories.note(name="Bereavement")
        services.note_preferences_set(member=viewer, displays={note.pk: "collapse", other_note.pk: "hide"})
        client.force_login(viewer)
    first = _count(client, small.get_absolute_url())
    assert _count(client, big.get_absolute_url()) == first
    assert _count(client, big.get_absolute_url() + "?page=20") == first


def test_subforum_and_home_queries_do_not_grow_with_threads(client, member, other_member, subforum):
    note = factories.note(name="Bereavement")
    hidden = factories.note(name="Abuse")
    services.note_preferences_set(member=other_member, displays={note.pk: "collapse", hidden.pk: "hide"})
    client.force_login(other_member)
    for i in range(10):
        factories.thread(author=member, subforum=subforum, title=f"t{i}", notes=[note] if i % 2 else [])
    subforum_small = _count(client, subforum.get_absolute_url())
    home_small = _count(client, "/")
    for i in range(990):
        factories.thread(
            author=other_member if i % 2 else member,
            subforum=subforum,
            title=f"u{i}",
            notes=[hidden] if i % 7 == 0 else ([note] if i % 3 else []),
        )
    assert _count(client, subforum.get_absolute_url()) == subforum_small
    assert _count(client, subforum.get_absolute_url() + "?page=30") == subforum_small
    assert _count(client, "/") == home_small


def test_profile_queries_do_not_grow_with_posts(client, member, other_member, subforum):
    thread = factories.thread(author=member, subforum=subforum)
    _grow_thread(thread, [member], 3)
    small = _count(client, f"/m/{member.pseudonym}/")
    _grow_thread(thread, [member], 40)
    assert _count(client, f"/m/{member.pseudonym}/") == small


def test_listing_query_budgets_are_pinned(client, member, other_member, subforum):
    """Exact budgets for keyset listings (docs/performance.md): no COUNT of threads, no notes join."""
    note = factories.note(name="Abuse")
    services.note_preferences_set(member=other_member, displays={note.pk: "hide"})
    for i in range(40):
        factories.thread(author=member, subforum=subforum, title=f"t{i}", notes=[note] if i % 2 else [])
    # A guest: the subforum, the page's keys (index only) and the rows it prints.
    assert _count(client, subforum.get_absolute_url()) == 3
    assert _count(client, subforum.get_absolute_url() + "?page=last") == 3
    assert _count(client, "/waiting/") == 1
    client.force_login(other_member)
    # + session, user, note preferences, note-set counts, own pending threads, unread notifications.
    assert _count(client, subforum.get_absolute_url()) == 9
    assert _count(client, subforum.get_absolute_url() + "?page=2") == 9
    # session, user, preferences, hidden count (index only), the page's keys, unread notifications.
    assert _count(client, "/waiting/") == 6
