"""The pieces behind the fault scenarios, fast and in-process: the cache that treats a dead
Redis as misses, allauth's limiter and site settings on top of it, a job that cannot be queued
after commit, the crisis page's snapshot, and the form sent during a database outage."""

from __future__ import annotations

import time

import pytest
from django.db import OperationalError
from django.urls import reverse
from kombu.exceptions import OperationalError as BrokerDown

from config import cache as cache_module
from config.cache import ForgivingRedisCache
from forum import help_snapshot, selectors
from forum.models import HelpResource
from notifications.models import Notification
from tests.faults.servers import free_port

TOKEN = "0b7e4f52-3c1d-4a8e-9a53-6a1f2c9d8e71"


@pytest.fixture
def dead_cache():
    """Redis "down": a port where nothing listens."""
    cache_module._down_until.clear()  # each test starts before any failure was seen
    return ForgivingRedisCache(f"redis://127.0.0.1:{free_port()}/0", {"OPTIONS": {"socket_connect_timeout": 0.5}})


def test_a_dead_redis_reads_as_misses_and_is_left_alone_for_a_while(dead_cache, caplog):
    assert dead_cache.get("k", "default") == "default"
    assert dead_cache.get_many(["a", "b"]) == {}
    assert dead_cache.add("lock", 1) is True  # as on an absent key: locks are granted, limits fail open
    assert dead_cache.delete("k") is False
    assert dead_cache.set("k", 1) is None
    with pytest.raises(ValueError):
        dead_cache.incr("counter")
    started = time.monotonic()
    for _ in range(200):
        dead_cache.get("k")
    assert time.monotonic() - started < 0.2  # resting: no connection attempt per call
    assert [r.message for r in caplog.records].count(caplog.records[0].message) == 1  # logged once
    assert "cache unavailable" in caplog.records[0].message


@pytest.mark.django_db
def test_site_settings_and_allauths_limiter_work_on_a_dead_cache(dead_cache, monkeypatch, rf):
    from allauth.core import ratelimit
    from allauth.core.internal import ratelimit as internal

    monkeypatch.setattr(selectors, "cache", dead_cache)
    monkeypatch.setattr(internal, "cache", dead_cache)
    assert selectors.site_settings().pk == 1  # from PostgreSQL
    request = rf.post("/accounts/login/")
    assert ratelimit.consume(request, action="login_failed", key="someone@example.org")


@pytest.mark.django_db(transaction=True)
def test_an_email_that_cannot_be_queued_goes_with_the_digest(member, monkeypatch):
    from notifications import services
    from notifications.tasks import send_notification_email

    def broker_down(*args, **kwargs):
        raise BrokerDown("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(send_notification_email, "apply_async", broker_down)
    services.preferences_set(member=member, deliveries={"reply": "email"})
    notification = services.notify(recipient=member, kind="reply", title="A reply to your thread")
    notification.refresh_from_db()
    assert notification.email_state == "pending"  # the daily digest sends it
    assert Notification.objects.filter(recipient=member).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_help_snapshot_follows_every_change(tmp_path, settings):
    settings.HEARTH_HELP_SNAPSHOT = str(tmp_path / "help.json")
    line = HelpResource.objects.create(name="Samaritans", phone="116 123")
    assert [r["name"] for r in help_snapshot.snapshot_read()["resources"]] == ["Samaritans"]
    line.is_active = False
    line.save()
    assert help_snapshot.snapshot_read()["resources"] == []
    line.delete()
    (tmp_path / "help.json").unlink()
    assert help_snapshot.snapshot_read()["resources"] == []  # no file: the page says to call emergency services


@pytest.mark.django_db
def test_a_reply_sent_while_the_database_fails_comes_back_with_its_words(member_client, thread, monkeypatch):
    from forum import services

    def database_gone(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(services, "post_reply", database_gone)
    words = "Still here <3, typing & hoping"
    response = member_client.post(
        reverse("forum:reply", args=[thread.pk]), {"body": words, "submission_token": TOKEN, "password": "x"}
    )
    assert response.status_code == 503 and response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Your text is still here" in page
    assert ">Still here &lt;3, typing &amp; hoping</textarea>" in page
    assert f'name="submission_token" value="{TOKEN}"' in page and 'name="password"' not in page
