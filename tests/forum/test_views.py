import pytest
from django.urls import reverse

from forum.models import Post, Thread
from tests import factories
from tests.second_factor import sign_in

pytestmark = pytest.mark.django_db


def test_home_lists_subforums_for_guests(client, subforum):
    response = client.get("/")
    assert response.status_code == 200
    assert subforum.name in response.content.decode()


def test_subforum_lists_threads_by_last_activity(client, member, other_member, subforum):
    older = factories.thread(author=member, subforum=subforum, title="Older thread")
    factories.thread(author=member, subforum=subforum, title="Newer thread")
    factories.reply(author=other_member, thread=older, body="bump")
    body = client.get(subforum.get_absolute_url()).content.decode()
    assert body.index("Older thread") < body.index("Newer thread")
    assert "OtherOtter" in body  # last poster


def test_thread_page_shows_posts_and_reply_form_to_members(member_client, thread, other_member):
    factories.reply(author=other_member, thread=thread, body="You're not alone.")
    response = member_client.get(thread.get_absolute_url())
    body = response.content.decode()
    assert "You&#x27;re not alone." in body or "You’re not alone." in body or "You're not alone." in body
    assert 'name="body"' in body


def test_thread_url_without_slug_redirects_to_canonical(client, thread):
    response = client.get(f"/t/{thread.pk}/")
    assert response.status_code == 302 and response["Location"] == thread.get_absolute_url()


def test_member_starts_a_thread_without_javascript(member_client, subforum):
    response = member_client.post(
        reverse("forum:thread_create", args=[subforum.slug]), {"title": "Hello", "body": "First words"}
    )
    thread = Thread.objects.get()
    assert response.status_code == 302 and response["Location"] == thread.get_absolute_url()


def test_member_replies_to_a_specific_post(member_client, thread, other_member):
    answer = factories.reply(author=other_member, thread=thread, body="Hang in there")
    page = member_client.get(reverse("forum:reply", args=[thread.pk]) + f"?to={answer.pk}")
    assert page.status_code == 200 and "Hang in there" in page.content.decode()
    response = member_client.post(reverse("forum:reply", args=[thread.pk]), {"body": "Thank you", "parent": answer.pk})
    reply = Post.objects.get(source="Thank you")
    assert reply.parent == answer
    assert response["Location"] == reply.get_absolute_url()


def test_bad_input_keeps_everything_typed(member_client, subforum, settings):
    settings.HEARTH_MAX_POST_LENGTH = 20
    typed = "This is more than twenty characters & <b>kept</b>"
    response = member_client.post(reverse("forum:thread_create", args=[subforum.slug]), {"title": "   ", "body": typed})
    body = response.content.decode()
    assert response.status_code == 422
    assert "This is more than twenty characters &amp; &lt;b&gt;kept&lt;/b&gt;" in body
    assert "Please keep a post under 20 characters" in body
    assert 'aria-invalid="true"' in body
    assert not Thread.objects.exists()


def test_member_without_accepted_guidelines_can_accept_in_the_composer(client, subforum):
    newcomer = factories.member(guidelines_version_accepted=0)
    client.force_login(newcomer)
    url = reverse("forum:thread_create", args=[subforum.slug])
    refused = client.post(url, {"title": "Hi", "body": "Hello all"})
    assert refused.status_code == 422 and "tick the box" in refused.content.decode()
    assert "Hello all" in refused.content.decode()
    accepted = client.post(url, {"title": "Hi", "body": "Hello all", "accept_guidelines": "on"})
    assert accepted.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.guidelines_version_accepted == 1


def test_permalink_finds_the_page_of_a_post(client, member, thread, settings):
    settings.HEARTH_POSTS_PER_PAGE = 2
    posts = [factories.reply(author=member, thread=thread, body=f"r{i}") for i in range(4)]
    response = client.get(posts[-1].get_absolute_url())
    assert response["Location"] == f"{thread.get_absolute_url()}?page=3#post-{posts[-1].pk}"


def test_profile_shows_pseudonym_join_date_and_recent_posts(client, member, thread):
    body = client.get(reverse("forum:profile", args=[member.pseudonym])).content.decode()
    assert "MemberMaple" in body and "It was hard today." in body and "Member since" in body


def test_unknown_profile_and_thread_are_404(client):
    assert client.get("/m/nobody/").status_code == 404
    assert client.get("/t/999/x/").status_code == 404


def test_help_page_lists_resources(client):
    from forum.models import HelpResource

    HelpResource.objects.create(name="Samaritans", phone="116 123")
    body = client.get(reverse("forum:help")).content.decode()
    assert "Samaritans" in body and 'href="tel:116123"' in body


def test_every_page_has_one_h1_landmarks_and_a_skip_link(client, member, thread):
    for url in [
        "/",
        thread.subforum.get_absolute_url(),
        thread.get_absolute_url(),
        "/help/",
        "/guidelines/",
        f"/m/{member.pseudonym}/",
        "/accounts/login/",
        "/accounts/signup/",
    ]:
        body = client.get(url).content.decode()
        assert body.count("<h1") == 1, url
        for needle in ['<html lang="en-GB">', 'href="#main"', "<header", "<nav", '<main id="main"', "<footer"]:
            assert needle in body, (url, needle)
        assert "user-scalable" not in body and "maximum-scale" not in body


def test_edit_history_is_for_the_author_and_moderators_only(client, member, other_member, moderator, thread):
    from forum import services

    post = thread.posts.get()
    services.post_edit(post=post, editor=member, body="Second thoughts")
    url = reverse("forum:post_history", args=[post.pk])
    client.force_login(member)
    page = client.get(url).content.decode()
    assert "It was hard today." in page and "Second thoughts" in page
    sign_in(client, moderator)
    assert client.get(url).status_code == 200
    client.force_login(other_member)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404
