"""A member downloads everything Hearth holds about them, and nobody else can."""

from __future__ import annotations

import gzip
import json
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from forum import reactions, services
from forum.models import NoteDisplay, Rule
from moderation.screening.models import ScreeningResult
from moderation.services import actions, reports
from notifications.services import notify, preferences_set
from privacy import export as export_module
from privacy.models import DataExport
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

ADMIN_INTERNAL_REASON = "Internal: checking for ban evasion from case 4411"


@pytest.fixture
def rich_member(member, other_member, moderator, admin_user, subforum):
    """A member with something of every kind Hearth keeps about them."""
    rule = Rule.objects.create(code="R2", title="Be kind", body="Kindness first.")
    note = factories.note(name="Self-harm")
    services.note_preferences_set(member=member, displays={note.pk: NoteDisplay.HIDE})
    preferences_set(member=member, deliveries={"reply": "digest"})
    services.volunteering_set(member=member, helper_subforum_ids=[subforum.pk], welcomer=True)
    thread = factories.thread(author=member, subforum=subforum, title="My first winter", body="It is dark early.")
    opening = thread.posts.get(position=0)
    services.post_edit(post=opening, editor=factories._fresh(member), body="It gets dark so early.")
    theirs = factories.thread(author=other_member, subforum=subforum, title="Other's thread", body="Other's words.")
    other_post = theirs.posts.get(position=0)
    reactions.reaction_toggle(member=member, post=other_post, kind="thanks")
    reports.report_file(reporter=member, post=other_post, rule=rule, words="This felt unkind to me.")
    reply = factories.reply(author=member, thread=theirs, body="A reply a moderator will hide.")
    actions.post_hide(actor=moderator, post=reply, rule=rule, reason="It names a method; please see R2.")
    actions.action_log(actor=admin_user, action="email_view", rule=None, reason=ADMIN_INTERNAL_REASON, member=member)
    ScreeningResult.objects.create(
        post=opening, revision=1, level="medium", categories=["distress"], matches=[{"text": "dark so early"}]
    )
    notify(recipient=member, kind="reply", title="Someone replied to your thread", url=thread.get_absolute_url())
    return member


def _download(client: Client) -> dict:
    response = client.post(reverse("privacy:export"))
    assert response.status_code == 302
    download = client.get(response["Location"])
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/json")
    assert "attachment" in download["Content-Disposition"]
    assert "no-store" in download["Cache-Control"]
    return json.loads(download.content)


def test_a_member_downloads_everything_hearth_holds_about_them(client, rich_member):
    client.force_login(rich_member)
    data = _download(client)

    assert data["account"]["pseudonym"] == "MemberMaple"
    assert data["account"]["email"] == "maple@example.org"
    assert data["email_addresses"] == [{"email": "maple@example.org", "verified": True, "primary": True}]
    assert data["preferences"]["content_notes"] == [{"note": "Self-harm", "display": "hide"}]
    assert {"kind": "reply", "delivery": "digest"} in data["preferences"]["notifications"]
    assert {v["role"] for v in data["preferences"]["volunteering"]} == {"helper", "welcomer"}
    assert [t["title"] for t in data["threads"]] == ["My first winter"]
    opening = next(p for p in data["posts"] if p["thread_title"] == "My first winter")
    assert opening["text"] == "It gets dark so early."
    assert opening["earlier_versions"][0]["text"] == "It is dark early."
    assert opening["earlier_versions"][0]["changed_by"] == "you"
    assert opening["screening"] == [{"version": 1, "level": "medium", "categories": ["distress"]}]
    assert [r["kind"] for r in data["reactions"]] == ["thanks"]
    assert data["reports_made"][0]["words"] == "This felt unkind to me."
    assert any(n["title"] == "Someone replied to your thread" for n in data["notifications"])
    hidden = [d for d in data["decisions_about_you"] if d["what"] == "hid a post"]
    assert hidden and hidden[0]["reasons"] == "It names a method; please see R2."
    assert hidden[0]["guideline"] == "R2: Be kind"


def test_the_download_holds_nothing_private_about_anyone_else(client, rich_member):
    client.force_login(rich_member)
    text = json.dumps(_download(client))
    # Other people's emails, the moderators' and admins' names, the admin's internal reason for
    # looking at the email, and screening's matched words stay out.
    for private in ("otter@example.org", "moss@example.org", "ash@example.org", "ModeratorMoss", "AdminAsh"):
        assert private not in text
    assert ADMIN_INTERNAL_REASON not in text
    assert 'dark so early"}' not in text and "matches" not in text
    assert "Other's words." not in text  # the post they reported is named by id, not copied


def test_another_member_cannot_download_it(client, rich_member, other_member, moderator):
    owner = Client()
    owner.force_login(rich_member)
    location = owner.post(reverse("privacy:export"))["Location"]
    for intruder in (other_member, moderator):
        client.force_login(intruder)
        assert client.get(location).status_code == 404
    client.logout()
    guest = client.get(location)
    assert guest.status_code == 302 and "/accounts/login/" in guest["Location"]
    assert owner.get(location).status_code == 200


def test_an_expired_download_is_gone(client, member):
    client.force_login(member)
    location = client.post(reverse("privacy:export"))["Location"]
    DataExport.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(location).status_code == 404


def test_a_guest_cannot_ask_for_a_download(client):
    response = client.post(reverse("privacy:export"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not DataExport.objects.exists()


def test_a_large_account_is_gathered_by_a_job_that_tells_the_member(
    client, member, thread, monkeypatch, eager_jobs, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(export_module, "INLINE_ROW_LIMIT", 0)
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("privacy:export"), follow=True)
    assert callbacks, "the job is queued after commit"
    assert "gathering your data" in response.content.decode()
    export = DataExport.objects.get(member=member)
    assert export.status == "ready"
    document = json.loads(gzip.decompress(bytes(export.content)))
    assert document["threads"][0]["title"] == "Panic on the bus"
    note = member.notifications.get(kind="data_export")
    assert note.url == export.get_absolute_url()
    assert client.get(note.url).status_code == 200


def test_building_the_same_export_twice_changes_nothing(member):
    export = export_module.export_start(member=member)
    first = bytes(export.content)
    assert export_module.export_build(export_id=export.pk).content == first
    assert not member.notifications.filter(kind="data_export").exists()


def test_the_data_page_offers_the_download_and_deletion(client, member):
    client.force_login(member)
    settings_page = client.get(reverse("accounts:settings")).content.decode()
    assert reverse("privacy:data") in settings_page
    page = client.get(reverse("privacy:data")).content.decode()
    assert page.count("<h1") == 1
    assert reverse("privacy:export") in page and reverse("privacy:delete") in page


def test_the_data_page_runs_a_constant_number_of_queries(client, member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(member)
    url = reverse("privacy:data")

    def count() -> int:
        client.get(url)  # warm the caches
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for _ in range(8):
        export_module.export_start(member=member)
    assert count() == few <= 6
