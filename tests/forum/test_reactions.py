"""Thanks and "me too": toggling, permissions, counts, who sees who reacted, the author's notice."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from forum import reactions, services
from forum.models import Reaction
from notifications.models import Notification
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def reply(thread, other_member):
    return factories.reply(author=other_member, thread=thread, body="It gets easier, slowly.")


def test_toggle_adds_then_takes_back(member, reply):
    assert reactions.reaction_toggle(member=member, post=reply, kind="thanks") is True
    assert reactions.reaction_count(post=reply, kind="thanks") == 1
    assert reactions.reaction_toggle(member=member, post=reply, kind="thanks") is False
    assert reactions.reaction_count(post=reply, kind="thanks") == 0


def test_one_of_each_kind_per_member(member, reply):
    reactions.reaction_toggle(member=member, post=reply, kind="thanks")
    reactions.reaction_toggle(member=member, post=reply, kind="me_too")
    assert Reaction.objects.filter(post=reply, member=member).count() == 2


def test_no_reaction_to_your_own_post(other_member, reply):
    with pytest.raises(PermissionDenied):
        reactions.reaction_toggle(member=other_member, post=reply, kind="thanks")


def test_no_reaction_to_a_hidden_post(member, reply):
    services.post_set_visibility(post=reply, status="hidden", reason="R2")
    reply.refresh_from_db()
    with pytest.raises(PermissionDenied):
        reactions.reaction_toggle(member=member, post=reply, kind="thanks")


def test_the_author_hears_calmly_and_without_names(member, other_member, reply):
    reactions.reaction_toggle(member=member, post=reply, kind="thanks")
    [notice] = Notification.objects.filter(recipient=other_member, kind="reaction")
    assert notice.title == "Your reply in “Panic on the bus” helped someone"
    assert "MemberMaple" not in notice.title


def test_form_post_without_javascript_toggles_and_returns_to_the_post(member_client, reply):
    response = member_client.post(reverse("forum:post_react", args=[reply.pk]), {"kind": "thanks"})
    assert response.status_code == 302 and response["Location"] == reply.get_absolute_url()
    assert reactions.reaction_count(post=reply, kind="thanks") == 1


def test_json_for_the_script(member_client, reply):
    url = reverse("forum:post_react", args=[reply.pk])
    response = member_client.post(url, {"kind": "me_too"}, headers={"accept": "application/json"})
    assert response.json() == {"kind": "me_too", "on": True, "count": 1}
    response = member_client.post(url, {"kind": "me_too"}, headers={"accept": "application/json"})
    assert response.json() == {"kind": "me_too", "on": False, "count": 0}


def test_guest_is_sent_to_sign_in(client, reply):
    response = client.post(reverse("forum:post_react", args=[reply.pk]), {"kind": "thanks"})
    assert response.status_code == 302 and "login" in response["Location"]


def test_own_post_is_refused_over_http(client, other_member, reply):
    response = client_for(client, other_member).post(reverse("forum:post_react", args=[reply.pk]), {"kind": "thanks"})
    assert response.status_code == 403


def test_unknown_kind_or_unseen_post_is_404(member_client, member, other_member, subforum, reply):
    assert member_client.post(reverse("forum:post_react", args=[reply.pk]), {"kind": "downvote"}).status_code == 404
    space = factories.subforum(posting_policy="premod_all")
    held = factories.thread(author=other_member, subforum=space).posts.get(position=0)
    assert member_client.post(reverse("forum:post_react", args=[held.pk]), {"kind": "thanks"}).status_code == 404


def test_counts_show_to_all_and_names_to_the_author_only(client, member, other_member, thread, reply):
    reactions.reaction_toggle(member=member, post=reply, kind="thanks")
    guest_page = client.get(thread.get_absolute_url()).content.decode()
    assert 'Thanks <span class="reaction-count">1</span>' in guest_page
    assert "Thanks from MemberMaple" not in guest_page
    member_page = client_for(client, member).get(thread.get_absolute_url()).content.decode()
    assert 'aria-pressed="true"' in member_page and "Thanks from MemberMaple" not in member_page
    author_page = client_for(client, other_member).get(thread.get_absolute_url()).content.decode()
    assert "Thanks from MemberMaple" in author_page


def test_reactions_need_post_and_csrf(member, reply):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(member)
    url = reverse("forum:post_react", args=[reply.pk])
    assert strict.get(url).status_code == 405
    assert strict.post(url, {"kind": "thanks"}).status_code == 403
