"""The moderation log is append-only: in the ORM everywhere, and in PostgreSQL itself (pgtrigger)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from moderation.models import ModerationAction
from moderation.services import action_log


@pytest.fixture
def entry(moderator, member):
    return action_log(actor=moderator, action="member_warn", rule=None, reason="Unkind words.", member=member)


def test_the_orm_refuses_to_change_or_delete_an_entry(entry):
    entry.reason = "rewritten"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        ModerationAction.objects.filter(pk=entry.pk).update(reason="rewritten")
    with pytest.raises(PermissionError):
        ModerationAction.objects.filter(pk=entry.pk).delete()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgresql_refuses_raw_update_and_delete(moderator, member):
    entry = action_log(actor=moderator, action="member_warn", rule=None, reason="Unkind words.", member=member)
    table = ModerationAction._meta.db_table
    for sql in (f"UPDATE {table} SET reason = 'rewritten' WHERE id = %s", f"DELETE FROM {table} WHERE id = %s"):
        with (
            pytest.raises(DatabaseError, match="append_only|Cannot"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [entry.pk])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT reason FROM {table} WHERE id = %s", [entry.pk])
        assert cursor.fetchone() == ("Unkind words.",)
        cursor.execute(f"SELECT count(*) FROM {table}")
        assert cursor.fetchone() == (1,)
