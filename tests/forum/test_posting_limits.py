"""Posting, editing, reactions and reports are limited per member and per address, on the real
Redis cache; new members get a share for their first days; a limited member keeps every word."""

from __future__ import annotations

import html
import logging
from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts import limits
from accounts.models import User
from config import env
from config.env import Rate
from forum.models import Post, Reaction, Rule, Thread
from tests import factories
from tests.conftest import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.redis]


@pytest.fixture
def production_limits(settings):
    """The shipped defaults (config/env.py), instead of the generous ones every other test gets."""
    for name in ("HEARTH_LIMIT_REPLIES", "HEARTH_LIMIT_THREADS", "HEARTH_LIMIT_EDITS", "HEARTH_LIMIT_REACTIONS"):
        setattr(settings, name, env.get(name, {}))
    settings.HEARTH_REPORTS_PER_HOUR = env.get("HEARTH_REPORTS_PER_HOUR", {})
    settings.HEARTH_LIMIT_NEW_MEMBER_DAYS = env.get("HEARTH_LIMIT_NEW_MEMBER_DAYS", {})
    settings.HEARTH_LIMIT_NEW_MEMBER_DIVISOR = env.get("HEARTH_LIMIT_NEW_MEMBER_DIVISOR", {})
    settings.HEARTH_LIMIT_ADDRESS_MULTIPLE = env.get("HEARTH_LIMIT_ADDRESS_MULTIPLE", {})


def _established(user: User) -> User:
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=60))
    return User.objects.get(pk=user.pk)


def test_a_brand_new_account_cannot_post_120_replies_in_seconds(client, thread, production_limits):
    newcomer = factories.member(pseudonym="JustArrived")
    client_for(client, newcomer)
    url = reverse("forum:reply", args=[thread.pk])
    statuses = [client.post(url, {"body": f"Reply number {n}."}).status_code for n in range(120)]
    posted = Post.objects.filter(author=newcomer).count()
    assert posted == 10, posted  # a third of the 30 an hour an established member may post
    assert statuses[:10] == [302] * 10 and set(statuses[10:]) == {429}

    response = client.post(url, {"body": "Still here, and these words matter."})
    assert response.status_code == 429
    page = html.unescape(response.content.decode())
    assert "paused this for a moment" in page and "try again in about" in page
    assert "Still here, and these words matter." in page  # nothing typed is lost
    assert Post.objects.filter(author=newcomer).count() == 10


def test_an_established_member_gets_the_full_allowance(client, thread, production_limits):
    regular = _established(factories.member(pseudonym="LongStanding"))
    client_for(client, regular)
    url = reverse("forum:reply", args=[thread.pk])
    statuses = [client.post(url, {"body": f"Reply {n}."}).status_code for n in range(31)]
    assert statuses.count(302) == 30 and statuses[-1] == 429


def test_ten_threads_in_a_second_are_not_all_started(client, subforum, production_limits):
    newcomer = factories.member(pseudonym="ManyThreads")
    client_for(client, newcomer)
    url = reverse("forum:thread_create", args=[subforum.slug])
    statuses = [client.post(url, {"title": f"Thread {n}", "body": "Words."}).status_code for n in range(10)]
    assert statuses == [302, 302] + [429] * 8  # 6 an hour, a third for a new member
    response = client.post(url, {"title": "Please keep this title", "body": "And this body."})
    page = html.unescape(response.content.decode())
    assert response.status_code == 429
    assert 'value="Please keep this title"' in page and "And this body." in page
    assert Thread.objects.filter(author=newcomer).count() == 2


def test_edits_are_limited_and_the_edit_is_kept(client, thread, member, settings):
    settings.HEARTH_LIMIT_EDITS = Rate(2, 3600)
    settings.HEARTH_LIMIT_NEW_MEMBER_DIVISOR = 1
    client_for(client, member)
    post = thread.posts.get()
    url = reverse("forum:post_edit", args=[post.pk])
    for n in range(2):
        assert client.post(url, {"title": "Panic on the bus", "body": f"Edit {n}"}).status_code == 302
    response = client.post(url, {"title": "Panic on the bus", "body": "My third go at this"})
    assert response.status_code == 429
    assert "My third go at this" in response.content.decode()
    post.refresh_from_db()
    assert post.source == "Edit 1"


def test_reactions_are_limited_with_and_without_javascript(client, thread, other_member, settings):
    settings.HEARTH_LIMIT_REACTIONS = Rate(2, 3600)
    settings.HEARTH_LIMIT_NEW_MEMBER_DIVISOR = 1
    client_for(client, other_member)
    url = reverse("forum:post_react", args=[thread.posts.get().pk])
    assert client.post(url, {"kind": "thanks"}).status_code == 302
    assert client.post(url, {"kind": "me_too"}).status_code == 302
    refused = client.post(url, {"kind": "thanks"}, HTTP_ACCEPT="application/json")
    assert refused.status_code == 429 and "try again in about" in refused.json()["message"]
    page = client.post(url, {"kind": "thanks"}, follow=True)
    assert "paused this for a moment" in html.unescape(page.content.decode())
    assert Reaction.objects.filter(member=other_member, kind="thanks").count() == 1


def test_reports_are_limited_per_address_across_accounts(client, thread, settings):
    settings.HEARTH_REPORTS_PER_HOUR = 2
    settings.HEARTH_LIMIT_ADDRESS_MULTIPLE = 2  # one address: 4 an hour, whoever is signed in
    rule = Rule.objects.create(code="R1", title="Be kind", body="No attacks on anyone.", order=1)
    url = reverse("moderation:report_post", args=[thread.posts.get().pk])
    statuses = []
    for n in range(3):
        client_for(client, factories.member(pseudonym=f"Reporter{n}"))
        statuses += [
            client.post(url, {"concern": str(rule.pk)}, REMOTE_ADDR="198.51.100.9").status_code for _ in range(2)
        ]
    assert statuses == [302, 302, 302, 302, 429, 429]


def test_one_address_is_limited_across_accounts(client, thread, settings):
    settings.HEARTH_LIMIT_REPLIES = Rate(3, 3600)
    settings.HEARTH_LIMIT_NEW_MEMBER_DIVISOR = 1
    settings.HEARTH_LIMIT_ADDRESS_MULTIPLE = 2
    url = reverse("forum:reply", args=[thread.pk])
    statuses = []
    for n in range(3):
        client_for(client, factories.member(pseudonym=f"Sock{n}"))
        statuses += [client.post(url, {"body": f"Sock {n}"}, REMOTE_ADDR="198.51.100.9").status_code for _ in range(3)]
    assert statuses.count(302) == 6 and statuses[-3:] == [429, 429, 429]


def test_staff_are_not_limited(client, thread, moderator, settings):
    settings.HEARTH_LIMIT_REPLIES = Rate(1, 3600)
    client_for(client, moderator)
    url = reverse("forum:reply", args=[thread.pk])
    assert [client.post(url, {"body": f"Notice {n}"}).status_code for n in range(3)] == [302, 302, 302]


def test_a_preview_is_not_counted(client, thread, member, settings):
    settings.HEARTH_LIMIT_REPLIES = Rate(1, 3600)
    settings.HEARTH_LIMIT_NEW_MEMBER_DIVISOR = 1
    client_for(client, member)
    url = reverse("forum:reply", args=[thread.pk])
    for _ in range(3):
        assert client.post(url, {"body": "Draft", "preview": "1"}).status_code == 200
    assert client.post(url, {"body": "Posted"}).status_code == 302


def test_an_unreachable_cache_lets_posting_through_with_a_warning(member, caplog, settings):
    settings.HEARTH_LIMIT_REPLIES = Rate(1, 3600)
    dead = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9251/0"}
    }
    with override_settings(CACHES=dead), caplog.at_level(logging.WARNING, logger="accounts.limits"):
        for _ in range(3):
            assert limits.member_action("reply", member=member, address="203.0.113.5") is None
        assert limits.signin_paused(account="a@example.org", address="203.0.113.5") is None
        limits.signin_failed(account="a@example.org", address="203.0.113.5")
    assert "cache is unreachable" in caplog.text


def test_ipv6_addresses_in_one_64_share_a_limit(member, other_member, settings):
    settings.HEARTH_LIMIT_REPLIES = Rate(1, 3600)
    settings.HEARTH_LIMIT_ADDRESS_MULTIPLE = 1
    assert limits.member_action("reply", member=member, address="2001:db8:1:2::1") is None
    assert limits.member_action("reply", member=other_member, address="2001:db8:1:2::ffff") is not None
