"""An author removing their opening post never strands other members' replies in it."""

from __future__ import annotations

from django.urls import reverse

from forum.models import Post, Thread
from tests import factories
from tests.conftest import client_for


def _remove(client, author, post) -> None:
    client_for(client, author)
    response = client.post(reverse("forum:post_delete", args=[post.pk]))
    assert response.status_code == 302
    client.logout()


def test_others_keep_reaching_editing_and_removing_their_replies(client, thread, member, other_member):
    reply = factories.reply(author=other_member, thread=thread, body="You're not alone in this.")
    opening = thread.posts.get(position=0)
    _remove(client, member, opening)

    assert Post.objects.get(pk=opening.pk).status == "deleted"
    assert Thread.objects.get(pk=thread.pk).status == "published"
    page = client.get(thread.get_absolute_url())  # a guest
    assert page.status_code == 200
    assert b"removed by its author" in page.content and b"It was hard today." not in page.content
    assert b"not alone in this" in page.content

    client_for(client, other_member)
    assert client.get(reverse("forum:post", args=[reply.pk])).status_code == 302
    assert client.get(reverse("forum:post_edit", args=[reply.pk])).status_code == 200
    edited = client.post(reverse("forum:post_edit", args=[reply.pk]), {"body": "You're not alone, truly."})
    assert edited.status_code == 302
    assert Post.objects.get(pk=reply.pk).source == "You're not alone, truly."
    assert client.get(reverse("forum:post_delete", args=[reply.pk])).status_code == 200
    assert client.post(reverse("forum:post_delete", args=[reply.pk])).status_code == 302
    assert Post.objects.get(pk=reply.pk).status == "deleted"


def test_the_author_is_told_the_thread_stays_when_others_replied(client, thread, member, other_member):
    factories.reply(author=other_member, thread=thread)
    client_for(client, member)
    page = client.get(reverse("forum:post_delete", args=[thread.posts.get(position=0).pk]))
    assert b"the thread stays" in page.content


def test_a_thread_nobody_else_answered_goes_with_its_opening_post(client, thread, member, other_member):
    factories.reply(author=member, thread=thread, body="Adding a little more.")
    _remove(client, member, thread.posts.get(position=0))
    assert Thread.objects.get(pk=thread.pk).status == "deleted"
    client_for(client, other_member)
    assert client.get(thread.get_absolute_url()).status_code == 404
