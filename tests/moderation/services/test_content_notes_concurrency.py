"""Two moderators changing the same content notes at once: one writer's choice wins whole, and the
log reads as a chain (each entry's "before" is the previous entry's "after")."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from moderation.models import ModerationAction
from moderation.services import actions
from tests import factories

WRITERS = 10


def _choices(notes) -> list[list]:
    """Ten different non-empty sets of notes, one per writer."""
    return [[note for bit, note in enumerate(notes) if (n + 1) >> bit & 1] for n in range(WRITERS)]


def _change_at_once(*, moderators, post, choices, on_thread: bool, rule) -> list[BaseException]:
    barrier = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def change(moderator, chosen):
        try:
            barrier.wait(timeout=10)
            actions.content_notes_change(
                actor=moderator,
                post=post,
                post_notes=[] if on_thread else chosen,
                thread_notes=chosen if on_thread else None,
                rule=rule,
                reason="Notes agreed at handover.",
            )
        except BaseException as error:  # surface failures from the thread
            errors.append(error)
        finally:
            connections.close_all()

    workers = [
        threading.Thread(target=change, args=(moderators[n % len(moderators)], choices[n])) for n in range(WRITERS)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)
    return errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("on_thread", [False, True], ids=["post notes", "thread notes"])
def test_ten_simultaneous_note_changes_leave_one_choice_and_a_consistent_log(
    on_thread, moderator, second_moderator, thread, other_member, risk_rule
):
    notes = [factories.note(name=f"Note {n}") for n in range(4)]
    post = thread.posts.get() if on_thread else factories.reply(author=other_member, thread=thread)
    choices = _choices(notes)

    errors = _change_at_once(
        moderators=[moderator, second_moderator], post=post, choices=choices, on_thread=on_thread, rule=risk_rule
    )

    assert not errors
    target = thread if on_thread else post
    final = sorted(target.notes.values_list("name", flat=True))
    assert final in [sorted(n.name for n in chosen) for chosen in choices], "a mix nobody chose"
    kind = "thread_notes_change" if on_thread else "post_notes_change"
    log = list(ModerationAction.objects.filter(action=kind).order_by("pk"))
    assert log, "no change was logged"
    assert log[0].before == {"notes": []}
    for earlier, later in zip(log, log[1:], strict=False):
        assert later.before == earlier.after, "a log entry whose before is not the previous after"
    assert log[-1].after == {"notes": final}
