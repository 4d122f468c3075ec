"""Every queue and action URL as guest, member, scoped moderator, other-scope moderator and admin.

Nobody but a moderator whose scope covers the thing learns that it exists: guests are sent to sign
in, everyone else gets a 404, including members guessing ids (IDOR) and moderators of another space.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from moderation import intake
from moderation.models import ModerationAction, ReviewItem
from tests import factories
from tests.conftest import client_for


@pytest.fixture
def target(thread, member, other_member):
    """A reported reply in "Anxiety" with its open item."""
    reply = factories.reply(author=other_member, thread=thread, body="A reply someone reported.")
    item = intake.review_item_open(
        kind="report", target_key=f"post:{reply.pk}", post=reply, thread=thread, member=other_member,
        subforum=thread.subforum,
    )  # fmt: skip
    return reply, item


def _urls(reply, item):
    member_id = reply.author_id
    return [
        ("get", reverse("moderation:queue")),
        ("get", reverse("moderation:item", args=[item.pk])),
        ("post", reverse("moderation:item_claim", args=[item.pk])),
        ("post", reverse("moderation:item_release", args=[item.pk])),
        ("post", reverse("moderation:item_dismiss", args=[item.pk])),
        ("get", reverse("moderation:post_act", args=[reply.pk])),
        ("get", reverse("moderation:post_edit", args=[reply.pk])),
        ("get", reverse("moderation:post_reply", args=[reply.pk])),
        ("get", reverse("moderation:post_content_notes", args=[reply.pk])),
        ("get", reverse("moderation:thread_act", args=[reply.thread_id])),
        ("get", reverse("moderation:member", args=[member_id])),
        ("post", reverse("moderation:member_reach_out", args=[member_id])),
        ("post", reverse("moderation:member_email", args=[member_id])),
    ]


def test_guest_is_sent_to_sign_in_everywhere(client, target):
    for method, url in _urls(*target):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "login" in response["Location"], url


def test_member_gets_404_everywhere_even_for_their_own_post(client, target, other_member):
    client_for(client, other_member)  # the author of the reported post
    for method, url in _urls(*target):
        assert getattr(client, method)(url).status_code == 404, url


def test_other_scope_moderator_gets_404_for_everything_outside_their_space(client, target, other_scope_moderator):
    client_for(client, other_scope_moderator)
    for method, url in _urls(*target)[1:]:
        assert getattr(client, method)(url).status_code == 404, url
    queue = client.get(reverse("moderation:queue"))
    assert queue.status_code == 200
    assert reverse("moderation:item", args=[target[1].pk]).encode() not in queue.content


def test_scoped_moderator_sees_and_opens_items_in_their_space(client, target, scoped_moderator):
    client_for(client, scoped_moderator)
    reply, item = target
    assert reverse("moderation:item", args=[item.pk]).encode() in client.get(reverse("moderation:queue")).content
    assert client.get(reverse("moderation:item", args=[item.pk])).status_code == 200
    assert client.get(reverse("moderation:post_act", args=[reply.pk])).status_code == 200
    # Acting on members and moving threads out of scope needs full scope.
    assert client.get(reverse("moderation:member", args=[reply.author_id])).status_code == 404


def test_admin_opens_everything_and_only_admin_sees_email(client, target, admin_user, moderator):
    reply, item = target
    client_for(client, admin_user)
    for method, url in _urls(reply, item):
        if method == "get":
            assert client.get(url).status_code == 200, url
    response = client.post(reverse("moderation:member_email", args=[reply.author_id]), {"reason": "Legal request"})
    assert response.status_code == 200 and reply.author.email.encode() in response.content
    assert ModerationAction.objects.filter(action="email_view", member=reply.author).count() == 1
    client_for(client, moderator)
    page = client.get(reverse("moderation:member", args=[reply.author_id]))
    assert reply.author.email.encode() not in page.content
    assert client.post(reverse("moderation:member_email", args=[reply.author_id]), {"reason": "x"}).status_code == 404


def test_scoped_moderator_cannot_act_through_an_item_id_from_another_space(
    client, target, other_scope_moderator, other_space, member
):
    """IDOR: an in-scope post with an out-of-scope item id is refused, and nothing changes."""
    reply, item = target
    elsewhere = factories.thread(author=member, subforum=other_space, title="Sleepless")
    client_for(client, other_scope_moderator)
    response = client.post(
        reverse("moderation:post_act", args=[elsewhere.posts.get().pk]),
        {"action": "approve", "reason": "x", "item": item.pk},
    )
    assert response.status_code == 404
    assert ReviewItem.objects.get(pk=item.pk).status == "open"


def test_statement_of_reasons_is_the_members_own(client, thread, moderator, member, other_member, rule):
    from moderation.services import actions

    entry = actions.post_hide(actor=moderator, post=thread.posts.get(), rule=rule, reason="Unkind.")
    client_for(client, other_member)
    assert client.get(reverse("moderation:decision", args=[entry.pk])).status_code == 404
    client_for(client, member)
    assert client.get(reverse("moderation:decision", args=[entry.pk])).status_code == 200
    client.logout()
    assert client.get(reverse("moderation:decision", args=[entry.pk])).status_code == 302


def test_report_status_is_the_reporters_own(client, thread, member, other_member, rule):
    from moderation.services import reports

    report = reports.report_file(reporter=other_member, post=thread.posts.get(), rule=rule)
    client_for(client, member)
    assert client.get(reverse("moderation:report_status", args=[report.pk])).status_code == 404
    client_for(client, other_member)
    assert client.get(reverse("moderation:report_status", args=[report.pk])).status_code == 200


def test_transparency_page_is_public(client, db):
    assert client.get(reverse("transparency")).status_code == 200


def test_internal_entries_about_a_member_are_not_theirs_to_read(client, thread, admin_user, member):
    """An admin's reason for viewing an email is internal: the member's statement page is 404."""
    client_for(client, admin_user)
    client.post(reverse("moderation:member_email", args=[member.pk]), {"reason": "Court order 1234"})
    entry = ModerationAction.objects.get(action="email_view", member=member)
    client_for(client, member)
    response = client.get(reverse("moderation:decision", args=[entry.pk]))
    assert response.status_code == 404
    assert b"Court order" not in response.content
