"""The read replica (issue 22): with a ``replica`` database alias, a GET's listing reads go to
it, while writes, transactions and a browser that has just written read the primary, so a
member sees their own post at once. The alias here is a second connection to the same
PostgreSQL test database (as ``TEST: MIRROR`` makes it in a test run); which connection ran
each query proves the routing decision."""

from __future__ import annotations

import time

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from config.db_router import ReplicaRouter
from config.middleware import PRIMARY_COOKIE, replica_reads_allowed
from forum.models import Post, Thread
from tests import factories

pytestmark = [pytest.mark.postgres]


@pytest.fixture
def replica(settings):
    """A ``replica`` alias: a second, separate connection to the test database."""
    settings.DATABASES["replica"] = {
        **connections["default"].settings_dict,
        "CONN_MAX_AGE": None,
        "TEST": {"MIRROR": "default"},
    }
    # Connected here, once: the test case allows only the aliases it knew at its start to
    # connect on their own, and this one is added to the settings only now.
    connections["replica"].connect()
    try:
        yield connections["replica"]
    finally:
        connections["replica"].close()
        del connections["replica"]
        del settings.DATABASES["replica"]


def _forum_queries(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if '"forum_' in q["sql"]]


def _get(client, path):
    with CaptureQueriesContext(connections["default"]) as primary, CaptureQueriesContext(connections["replica"]) as rep:
        response = client.get(path)
    assert response.status_code == 200
    return response, _forum_queries(primary), _forum_queries(rep)


@pytest.mark.django_db(transaction=True)
def test_listings_read_the_replica_until_the_member_writes_then_the_primary(replica, client, member, subforum):
    thread = factories.thread(author=member, subforum=subforum, title="Small wins", body="I went outside today.")
    client.force_login(member)

    _, primary, rep = _get(client, subforum.get_absolute_url())
    assert rep and not primary  # the listing came from the replica
    _, primary, rep = _get(client, thread.get_absolute_url())
    assert rep and not primary

    page = client.get(f"/t/{thread.pk}/reply/")
    token = page.context["form"]["submission_token"].value()
    response = client.post(f"/t/{thread.pk}/reply/", {"body": "Proud of you for that.", "submission_token": token})
    assert response.status_code == 302
    assert int(response.cookies[PRIMARY_COOKIE].value) > time.time()

    # Read-your-writes: the next pages read the primary, and show the reply.
    response, primary, rep = _get(client, thread.get_absolute_url())
    assert primary and not rep
    assert "Proud of you for that." in response.content.decode()

    # Once the mark has lapsed, reads go back to the replica.
    client.cookies[PRIMARY_COOKIE] = str(int(time.time()) - 1)
    _, primary, rep = _get(client, thread.get_absolute_url())
    assert rep and not primary


@pytest.mark.django_db(transaction=True)
def test_writes_transactions_and_other_apps_read_the_primary(replica, member, subforum):
    router = ReplicaRouter()
    token = replica_reads_allowed.set(True)
    try:
        assert router.db_for_read(Thread) == "replica"
        assert router.db_for_read(type(member)) is None  # accounts and sessions: the primary
        from django.db import transaction

        with transaction.atomic():
            assert router.db_for_read(Post) is None  # a service reading what it will lock
        assert router.db_for_write(Post) is None
        assert router.allow_migrate("replica", "forum") is False
    finally:
        replica_reads_allowed.reset(token)
    assert router.db_for_read(Thread) is None  # outside a GET (jobs, commands): the primary


def test_without_a_replica_everything_reads_the_primary(settings):
    assert "replica" not in settings.DATABASES
    token = replica_reads_allowed.set(True)
    try:
        assert ReplicaRouter().db_for_read(Thread) is None
    finally:
        replica_reads_allowed.reset(token)
