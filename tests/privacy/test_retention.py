"""Personal data is kept no longer than needed: addresses only as keyed hashes, purged nightly
with expired sessions, old read notifications and expired downloads. On the real PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.addresses import address_hash, client_address, members_sharing_address
from accounts.models import AddressRecord
from notifications.models import Notification
from notifications.services import notify
from privacy.models import DataExport
from privacy.retention import retention_purge
from privacy.tasks import retention_purge as retention_task
from tests import factories
from tests.second_factor import sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

PASSWORD = "a-long-test-password"


def _sign_in(member, address: str) -> Client:
    client = Client(REMOTE_ADDR=address)
    response = client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_a_sign_in_keeps_only_a_keyed_hash_of_the_address(member):
    _sign_in(member, "198.51.100.23")
    record = AddressRecord.objects.get(member=member)
    assert record.address_hash == address_hash("198.51.100.23")
    assert len(record.address_hash) == 64 and "198.51" not in record.address_hash
    # Nowhere in the database does the address itself appear.
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tables = [row[0] for row in cursor.fetchall()]
        for table in tables:
            cursor.execute(
                f'SELECT count(*) FROM "{table}" WHERE CAST("{table}".* AS text) LIKE %s', ["%198.51.100.23%"]
            )
            assert cursor.fetchone()[0] == 0, table


def test_the_hash_is_keyed(settings):
    plain = address_hash("192.0.2.1")
    settings.HEARTH_ADDRESS_HASH_KEY = "another-install"
    assert address_hash("192.0.2.1") != plain
    assert address_hash("192.0.2.1") == address_hash(" 192.0.2.1 ")
    assert address_hash("") == ""


def test_client_address_reads_the_address_the_server_saw(rf):
    request = rf.get("/", REMOTE_ADDR="192.0.2.44", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert client_address(request) == "192.0.2.44"


def test_admins_can_see_accounts_that_share_an_address(client, member, other_member, admin_user, moderator):
    _sign_in(member, "192.0.2.7")
    _sign_in(other_member, "192.0.2.7")
    assert members_sharing_address(member=member) == [other_member]
    sign_in(client, admin_user)
    page = client.get(reverse("moderation:member", args=[member.pk])).content.decode()
    assert "Same sign-in address" in page and "OtherOtter" in page
    sign_in(client, moderator)
    assert "Same sign-in address" not in client.get(reverse("moderation:member", args=[member.pk])).content.decode()


def test_the_nightly_purge_deletes_what_is_past_its_time(settings, member):
    settings.HEARTH_RETENTION_IP_DAYS = 30
    settings.HEARTH_RETENTION_NOTIFICATIONS_DAYS = 90
    now = timezone.now()
    old_address = AddressRecord.objects.create(member=member, address_hash="a" * 64, seen_at=now - timedelta(days=31))
    new_address = AddressRecord.objects.create(member=member, address_hash="b" * 64, seen_at=now - timedelta(days=29))
    old_read = notify(recipient=member, kind="reply", title="Old and read")
    Notification.objects.filter(pk=old_read.pk).update(read_at=now - timedelta(days=91))
    recent_read = notify(recipient=member, kind="reply", title="Recent and read")
    Notification.objects.filter(pk=recent_read.pk).update(read_at=now - timedelta(days=89))
    old_unread = notify(recipient=member, kind="reply", title="Old but unread", created_at=now - timedelta(days=400))
    Client().force_login(member)
    Session.objects.update(expire_date=now - timedelta(seconds=1))
    Client().force_login(factories.member())
    expired = DataExport.objects.create(member=member, expires_at=now - timedelta(seconds=1))
    current = DataExport.objects.create(member=member, expires_at=now + timedelta(days=1))

    counts = retention_task.apply().get()

    assert counts == {"addresses": 1, "sessions": 1, "notifications": 1, "exports": 1}
    assert list(AddressRecord.objects.all()) == [new_address]
    assert set(Notification.objects.values_list("pk", flat=True)) == {recent_read.pk, old_unread.pk}
    assert Session.objects.count() == 1
    assert list(DataExport.objects.all()) == [current]
    assert old_address.pk and expired.pk
    assert retention_purge() == {"addresses": 0, "sessions": 0, "notifications": 0, "exports": 0}


def test_the_retention_period_follows_the_setting(settings, member):
    settings.HEARTH_RETENTION_IP_DAYS = 3
    AddressRecord.objects.create(member=member, address_hash="c" * 64, seen_at=timezone.now() - timedelta(days=4))
    assert retention_purge()["addresses"] == 1


def test_the_jobs_are_on_the_schedule(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"privacy.retention_purge", "privacy.erasures_carry_out"} <= tasks
