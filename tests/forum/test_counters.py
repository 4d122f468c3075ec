"""The denormalised counters stay right through the services, and check_counters finds and repairs drift."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import User
from forum import services
from forum.counters import check_counters
from forum.models import Post, Subforum, SubforumNoteCount, Thread
from tests import factories

pytestmark = pytest.mark.django_db


def _busy_forum(member, other_member, subforum):
    note = factories.note(name="Abuse")
    other_note = factories.note(name="Bereavement")
    elsewhere = Subforum.objects.create(name="Elsewhere", slug="elsewhere")
    threads = [
        factories.thread(author=member, subforum=subforum, title=f"T{i}", notes=[note] if i % 2 else [])
        for i in range(4)
    ]
    both = factories.thread(author=member, subforum=subforum, title="Both", notes=[note, other_note])
    replies = [services.post_reply(author=other_member, thread=threads[0], body=f"Reply {i}") for i in range(3)]
    services.post_reply(author=member, thread=both, body="My own reply")
    services.post_set_visibility(post=replies[1], status="hidden")
    services.post_delete_by_author(post=replies[2], actor=other_member)
    services.post_set_visibility(post=Post.objects.get(thread=threads[1], position=0), status="hidden")
    services.thread_notes_set(thread=threads[2], notes=[other_note])
    services.thread_move(thread=threads[3], subforum=elsewhere)
    return note, other_note, threads


def test_the_services_keep_every_counter_right(member, other_member, subforum):
    note, other_note, threads = _busy_forum(member, other_member, subforum)
    report = check_counters()
    assert report.ok, report.examples
    assert report.checked["threads"] == 5
    thread = Thread.objects.get(pk=threads[0].pk)
    assert thread.reply_count == 1 and thread.last_poster_id == other_member.pk
    assert Thread.objects.get(title="Both").note_ids == f",{min(note.pk, other_note.pk)},{max(note.pk, other_note.pk)},"
    # A thread carrying both notes is counted once, in its own note set.
    sets = {row.note_ids: row.thread_count for row in SubforumNoteCount.objects.filter(subforum=subforum)}
    assert (
        sum(sets.values()) == Thread.objects.filter(subforum=subforum, status="published").exclude(note_ids="").count()
    )


def test_drift_is_found_and_repaired(member, other_member, subforum):
    _busy_forum(member, other_member, subforum)
    thread = Thread.objects.filter(reply_count__gt=0).first()
    Thread.objects.filter(pk=thread.pk).update(reply_count=99, last_poster=None, note_ids=",999,")
    Subforum.objects.filter(pk=subforum.pk).update(thread_count=0)
    SubforumNoteCount.objects.filter(subforum=subforum).update(thread_count=42)
    User.objects.filter(pk=member.pk).update(post_count=1234)
    report = check_counters()
    assert not report.ok
    assert {"thread.reply_count", "thread.last_poster_id", "thread.note_ids", "subforum.thread_count"} <= set(
        report.wrong
    )
    assert "member.post_count" in report.wrong and "subforum.note_count" in report.wrong
    with pytest.raises(CommandError):
        call_command("check_counters", stdout=StringIO())
    out = StringIO()
    call_command("check_counters", "--repair", stdout=out)
    assert "Repaired" in out.getvalue()
    assert check_counters().ok
    out = StringIO()
    call_command("check_counters", stdout=out)
    assert "Every counter agrees" in out.getvalue()
