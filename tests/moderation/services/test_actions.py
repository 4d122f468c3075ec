"""Actions on posts and threads: what the author, another member, a guest and a moderator then see."""

from __future__ import annotations

import pytest
from django.urls import reverse

from forum import services as forum_services
from moderation.models import ModerationAction, ReplyTemplate, ReviewItem
from moderation.services import actions
from notifications.models import Notification
from tests import factories
from tests.conftest import client_for


@pytest.fixture
def reply(thread, other_member):
    return factories.reply(author=other_member, thread=thread, body="You are all pathetic.")


def test_hide_shows_the_author_their_text_and_the_reason_and_nobody_else(
    client, reply, moderator, member, other_member, rule
):
    actions.post_hide(actor=moderator, post=reply, rule=rule, reason="Name-calling hurts.")
    url = reply.thread.get_absolute_url()
    client_for(client, other_member)
    page = client.get(url).content
    assert b"You are all pathetic." in page and b"Name-calling hurts." in page
    for viewer in (member, None):
        if viewer:
            client_for(client, viewer)
        else:
            client.logout()
        page = client.get(url).content
        assert b"You are all pathetic." not in page and b"hidden by a moderator" in page
    client_for(client, moderator)
    assert b"You are all pathetic." in client.get(url).content
    entry = ModerationAction.objects.get(action="post_hide")
    assert (entry.before["status"], entry.after["status"], entry.rule, entry.member) == (
        "published", "hidden", rule, other_member,
    )  # fmt: skip
    assert Notification.objects.get(recipient=other_member, kind="moderation").url == entry.get_absolute_url()


def test_restricting_actions_need_a_rule(client, reply, moderator):
    client_for(client, moderator)
    response = client.post(reverse("moderation:post_act", args=[reply.pk]), {"action": "hide", "reason": "x"})
    assert response.status_code == 422 and b"choose the guideline" in response.content
    assert b'name="reason"' in response.content


def test_ask_for_an_edit_hides_until_the_author_edits_then_it_is_read_again(reply, moderator, other_member, rule):
    actions.post_request_edit(actor=moderator, post=reply, rule=rule, reason="Please soften the words.")
    reply.refresh_from_db()
    assert reply.status == "hidden" and "asked you to edit" in reply.status_reason
    forum_services.post_edit(post=reply, editor=other_member, body="That was hard to read for me.")
    reply.refresh_from_db()
    assert reply.status == "pending"
    assert ReviewItem.objects.filter(kind="premoderation", post=reply, status="open").exists()


def test_lock_pin_move_and_back(moderator, thread, rule, other_space):
    actions.thread_lock(actor=moderator, thread=thread, rule=rule, reason="Going in circles.")
    actions.thread_pin(actor=moderator, thread=thread, rule=None, reason="Useful.")
    actions.thread_move(actor=moderator, thread=thread, subforum=other_space, rule=rule, reason="Fits better.")
    thread.refresh_from_db()
    assert thread.is_locked and thread.is_pinned and thread.subforum == other_space
    actions.thread_unlock(actor=moderator, thread=thread, rule=None, reason="Calmer now.")
    actions.thread_unpin(actor=moderator, thread=thread, rule=None, reason="Done.")
    thread.refresh_from_db()
    assert not thread.is_locked and not thread.is_pinned
    assert list(ModerationAction.objects.order_by("id").values_list("action", flat=True)) == [
        "thread_lock", "thread_pin", "thread_move", "thread_unlock", "thread_unpin",
    ]  # fmt: skip


def test_moderator_edit_goes_through_moderation_and_is_logged(client, reply, moderator, rule):
    client_for(client, moderator)
    assert client.get(reverse("forum:post_edit", args=[reply.pk])).status_code == 404
    response = client.post(
        reverse("moderation:post_edit", args=[reply.pk]),
        {"body": "[removed name-calling]", "rule": rule.pk, "reason": "Removed an insult."},
    )
    assert response.status_code == 302
    entry = ModerationAction.objects.get(action="post_edit_as_moderator")
    assert entry.before["source"] == "You are all pathetic." and entry.after["source"] == "[removed name-calling]"


def test_reach_out_sends_crisis_resources_privately_without_touching_the_post(reply, moderator, other_member):
    from forum.models import HelpResource

    HelpResource.objects.create(name="Samaritans", phone="116 123", hours="24/7")
    actions.member_reach_out(actor=moderator, member=other_member, note="I'm thinking of you.")
    note = Notification.objects.get(recipient=other_member, kind="reach_out")
    assert "I'm thinking of you." in note.body and "Samaritans: 116 123" in note.body
    reply.refresh_from_db()
    assert reply.status == "published"
    assert ModerationAction.objects.get(action="reach_out").reason == "Reached out privately."


def test_template_reply_fills_the_pseudonym_and_carries_the_badge(client, reply, moderator):
    template = ReplyTemplate.objects.create(title="Welcome", body="Hi {pseudonym}, welcome to Hearth.")
    client_for(client, moderator)
    response = client.post(reverse("moderation:post_reply", args=[reply.pk]), {"template": template.pk})
    assert response.status_code == 302
    page = client.get(response["Location"], follow=True).content
    assert b"Hi OtherOtter, welcome to Hearth." in page and b"badge-mod" in page
