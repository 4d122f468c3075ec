"""Members posting at the same moment through the real ASGI server on PostgreSQL: every stored
post is exactly what its author sent, under its author's name, in the thread they chose."""

from __future__ import annotations

import http.client
import re
import threading
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.test import Client

from forum.models import Post
from forum.rendering import render_post
from tests import factories
from tests.live_server import live_server

MEMBERS = 6
POSTS_EACH = 6


class Browser:
    """One member's cookie jar and one connection: GET a form, POST it back with its CSRF token."""

    def __init__(self, address: str, session_cookie: str) -> None:
        host, port = address.split(":")
        self.conn = http.client.HTTPConnection(host, int(port), timeout=60)
        self.cookies = {settings.SESSION_COOKIE_NAME: session_cookie}

    def _headers(self) -> dict[str, str]:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}

    def _remember(self, response) -> None:
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value

    def get(self, path: str) -> str:
        self.conn.request("GET", path, headers=self._headers())
        response = self.conn.getresponse()
        self._remember(response)
        body = response.read().decode()
        assert response.status == 200, (path, response.status)
        return body

    def post_form(self, path: str, page: str, fields: dict[str, str]) -> int:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        submission = re.search(r'name="submission_token" value="([^"]+)"', page).group(1)
        data = urlencode({"csrfmiddlewaretoken": token, "submission_token": submission, **fields})
        headers = {**self._headers(), "Content-Type": "application/x-www-form-urlencoded"}
        self.conn.request("POST", path, body=data, headers=headers)
        response = self.conn.getresponse()
        self._remember(response)
        response.read()
        return response.status


def _body(member: int, n: int) -> str:
    """Distinct text per post, with Markdown that exercises every rendering stage."""
    return (
        f"Member {member}, post {n}: you are *not* alone.\n\n"
        f"| week | feeling |\n|---|---|\n| {n} | better {member} |\n\n"
        f"> holding on {member}-{n}\n\nSee https://example.org/{member}/{n} " + f"word{member}x{n} " * (20 + n)
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_posts_through_the_server_are_stored_exactly_as_sent():
    subforum = factories.subforum(name="Together", slug="together")
    opener = factories.member(pseudonym="OpenerOak")
    threads = [factories.thread(author=opener, subforum=subforum, title=f"Thread {i}") for i in range(3)]
    members = [factories.member(pseudonym=f"Poster{i}") for i in range(MEMBERS)]
    cookies = []
    for member in members:
        client = Client()
        client.force_login(member)
        cookies.append(client.cookies[settings.SESSION_COOKIE_NAME].value)

    sent: list[tuple[int, int, str]] = []  # (member pk, thread pk, body)
    failures: list[str] = []
    lock = threading.Lock()
    with live_server() as address:
        start = threading.Barrier(MEMBERS)

        def member_posts(index: int) -> None:
            try:
                browser = Browser(address, cookies[index])
                forms = []
                for n in range(POSTS_EACH):
                    thread = threads[(index + n) % len(threads)]
                    path = f"/t/{thread.pk}/reply/"
                    forms.append((thread, path, browser.get(path), _body(index, n)))
                start.wait()  # everyone submits at once
                for thread, path, page, body in forms:
                    status = browser.post_form(path, page, {"body": body})
                    if status != 302:
                        failures.append(f"member {index}: {status}")
                    with lock:
                        sent.append((members[index].pk, thread.pk, body))
            except BaseException as error:
                failures.append(repr(error))

        workers = [threading.Thread(target=member_posts, args=(i,)) for i in range(MEMBERS)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()

    assert failures == []
    stored = {
        post.source: post for post in Post.objects.filter(thread__in=threads, position__gt=0).select_related("author")
    }
    assert len(stored) == len(sent) == MEMBERS * POSTS_EACH
    for author_pk, thread_pk, body in sent:
        post = stored[body]
        assert (post.author_id, post.thread_id) == (author_pk, thread_pk)
        assert post.html == render_post(body)
