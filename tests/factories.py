"""Small factories that go through Hearth's services, so test data obeys the same rules as real data."""

from __future__ import annotations

import itertools

from allauth.account.models import EmailAddress

from accounts.models import User
from forum import services
from forum.models import ContentNote, Post, Subforum, Thread

_seq = itertools.count(1)


def member(*, pseudonym: str | None = None, email: str | None = None, verified: bool = True, **fields) -> User:
    n = next(_seq)
    pseudonym = pseudonym or f"Member{n}"
    email = email or f"member{n}@example.org"
    fields.setdefault("guidelines_version_accepted", 1)
    user = User.objects.create_user(email, "a-long-test-password", pseudonym=pseudonym, **fields)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


def subforum(*, name: str | None = None, slug: str | None = None, **fields) -> Subforum:
    n = next(_seq)
    return Subforum.objects.create(name=name or f"Space {n}", slug=slug or f"space-{n}", **fields)


def note(*, name: str, slug: str | None = None, **fields) -> ContentNote:
    return ContentNote.objects.create(name=name, slug=slug or name.lower().replace(" ", "-"), **fields)


def thread(
    *, author: User, subforum: Subforum, title: str = "A thread", body: str = "Opening words.", notes=()
) -> Thread:
    return services.thread_create(author=_fresh(author), subforum=subforum, title=title, body=body, notes=notes)


def reply(*, author: User, thread: Thread, body: str = "A kind reply.", parent: Post | None = None, notes=()) -> Post:
    return services.post_reply(author=_fresh(author), thread=thread, body=body, parent=parent, notes=notes)


def _fresh(user: User) -> User:
    """Counters change as tests post; services read them, so re-read the row."""
    return User.objects.get(pk=user.pk)
