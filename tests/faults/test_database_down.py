"""PostgreSQL (and Redis) down (issue 22), through the real server on private instances:

- the crisis page and the error page list the crisis lines with both down;
- a member who sends a reply during the outage gets their words back in a form (503), not
  the 500 page, and sending it again once PostgreSQL is back stores it exactly once;
- the web process recovers on the next request after PostgreSQL restarts.
"""

from __future__ import annotations

import html

import pytest

from forum import help_snapshot
from forum.models import HelpResource, SiteSettings
from tests import factories
from tests.faults.http import Browser
from tests.faults.servers import private_postgres, private_redis
from tests.live_server import live_server

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

REPLY = "I can't sleep & my chest is tight. Typing this so I don't feel so alone <3 \"tonight\""


@pytest.mark.django_db(transaction=True)
def test_crisis_lines_and_a_members_words_survive_the_database_and_redis_going_down(tmp_path, settings):
    settings.HEARTH_HELP_SNAPSHOT = str(tmp_path / "help.json")
    space = factories.subforum(name="Night", slug="night")
    opener = factories.member(pseudonym="OpenOak")
    thread = factories.thread(author=opener, subforum=space, title="Awake again", body="Anyone up?")
    member = factories.member(pseudonym="NightHeron", email="heron@example.org")
    SiteSettings.objects.update_or_create(
        pk=1, defaults={"help_intro": "You matter. These lines answer day and night."}
    )
    HelpResource.objects.create(name="Samaritans", phone="116 123", hours="24 hours", region="UK and Ireland")
    HelpResource.objects.create(name="Shout", text="Text SHOUT to 85258", order=1)
    HelpResource.objects.create(name="Old line", phone="0800 000", is_active=False)
    # Saving them wrote the snapshot, after commit (a deploy's migrate writes it too).
    assert [r["name"] for r in help_snapshot.snapshot_read()["resources"]] == ["Samaritans", "Shout"]

    reader = Browser("", signed_in_as=member)  # its session row is copied with the rest
    with private_postgres() as postgres, private_redis() as redis:
        postgres.copy_test_database()
        env = {
            "DATABASE_URL": postgres.url,
            "REDIS_URL": redis.url,
            "HEARTH_HELP_SNAPSHOT": str(tmp_path / "help.json"),
        }
        with live_server(extra_env=env) as address:
            reader.address = address
            form = reader.get(f"/t/{thread.pk}/reply/")
            assert form.status == 200

            postgres.stop()
            redis.stop()

            help_page = Browser(address).get("/help/")
            assert help_page.status == 200
            for words in ("Need help now?", "You matter.", "Samaritans", "tel:116123", "sms:85258", "Shout"):
                assert words in help_page.body, words
            assert "Old line" not in help_page.body
            assert reader.get("/help/").status == 200  # a signed-in member too (their session is unreadable)

            error_page = reader.get("/")
            assert error_page.status == 500
            assert "Something went wrong" in error_page.body and "tel:116123" in error_page.body

            sent = reader.post(
                f"/t/{thread.pk}/reply/",
                {"body": REPLY, "submission_token": form.field("submission_token")},
                form_page=form,
            )
            assert sent.status == 503
            assert "We couldn't save that just now" in sent.body and "Your text is still here" in sent.body
            assert f">{html.escape(REPLY)}</textarea>" in sent.body
            assert sent.field("submission_token") == form.field("submission_token")

            postgres.start()  # Redis stays down: posting needs only PostgreSQL
            assert reader.get(thread.get_absolute_url()).status == 200  # recovered on the next request
            again = reader.post(
                f"/t/{thread.pk}/reply/",
                {"body": REPLY, "submission_token": sent.field("submission_token")},
                form_page=sent,
            )
            assert again.status == 302
            twice = reader.post(
                f"/t/{thread.pk}/reply/",
                {"body": REPLY, "submission_token": sent.field("submission_token")},
                form_page=sent,
            )
            assert twice.status == 302  # the browser's resend: still one post
            assert "my chest is tight" in reader.get(thread.get_absolute_url()).body
            log = address.output()

        stored = postgres.psql(
            "hearth",
            "SELECT count(*), min(p.author_id), min(t.reply_count) FROM forum_post p "
            f"JOIN forum_thread t ON t.id = p.thread_id WHERE p.thread_id = {thread.pk} AND p.position > 0",
        )
        assert stored == f"1|{member.pk}|1"
        assert (
            postgres.psql("hearth", f"SELECT source FROM forum_post WHERE thread_id = {thread.pk} AND position = 1")
            == REPLY
        )
    assert "help page served" in log
