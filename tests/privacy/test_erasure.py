"""A member deletes their account, with a choice for their posts, a second confirmation and a
grace period that signing in cancels; an admin can do the same at once. On the real PostgreSQL,
where the moderation log's append-only trigger refuses any change to its rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import AddressRecord, User
from forum import reactions, services
from forum.models import ContentNotePreference, NoteDisplay, Post, PostRevision, Rule, Thread, Volunteer
from moderation.models import ModerationAction
from moderation.screening.models import ScreeningResult
from moderation.services import actions, reports
from notifications.models import Notification
from notifications.services import notify
from privacy import erasure
from privacy.models import DataExport
from tests import factories
from tests.second_factor import sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

PASSWORD = "a-long-test-password"  # tests/factories.py


@pytest.fixture
def leaving(member, other_member, moderator, subforum):
    """A member with posts others replied to, a thread of their own, history, choices and a log."""
    rule = Rule.objects.create(code="R1", title="Be kind", body="Kindness first.")
    note = factories.note(name="Grief")
    services.note_preferences_set(member=member, displays={note.pk: NoteDisplay.HIDE})
    services.volunteering_set(member=member, helper_subforum_ids=[subforum.pk], welcomer=False)
    answered = factories.thread(author=member, subforum=subforum, title="My sister's name is Ana", body="Ana left.")
    opening = answered.posts.get(position=0)
    services.post_edit(post=opening, editor=factories._fresh(member), body="My sister left in May.")
    others_reply = factories.reply(author=other_member, thread=answered, body="I'm so sorry. Sending warmth.")
    lonely = factories.thread(author=member, subforum=subforum, title="Nobody answered", body="Only mine.")
    elsewhere = factories.thread(author=other_member, subforum=subforum, title="Sleep", body="Sleep is hard.")
    their_reply = factories.reply(author=member, thread=elsewhere, body="Chamomile helps me.")
    reactions.reaction_toggle(member=member, post=elsewhere.posts.get(position=0), kind="me_too")
    reports.report_file(reporter=member, post=elsewhere.posts.get(position=0), rule=rule, words="My own words.")
    actions.post_hide(actor=moderator, post=their_reply, rule=rule, reason="Hidden for a moment.")
    ScreeningResult.objects.create(post=opening, revision=1, level="low", categories=["grief"], matches=["Ana"])
    notify(recipient=member, kind="reply", title="OtherOtter replied", url=answered.get_absolute_url())
    notify(
        recipient=other_member,
        kind="reply",
        title="MemberMaple replied to your thread",
        url=their_reply.get_absolute_url(),
        subject=f"post:{their_reply.pk}",
    )
    return {
        "member": member,
        "answered": answered,
        "opening": opening,
        "others_reply": others_reply,
        "lonely": lonely,
        "their_reply": their_reply,
    }


def _log_snapshot() -> list[tuple]:
    return list(ModerationAction.objects.order_by("pk").values_list("pk", "actor_id", "member_id", "reason"))


# --- asking, confirming, the grace period -----------------------------------------------------
def test_a_wrong_password_changes_nothing(client, member):
    client.force_login(member)
    response = client.post(reverse("privacy:delete"), {"mode": "erase", "password": "not-my-password"})
    assert response.status_code == 422
    assert "doesn&#x27;t match" in response.content.decode()
    member.refresh_from_db()
    assert member.erasure_requested_at is None


def test_asking_signs_the_member_out_and_waits_for_the_grace_period(client, member):
    client.force_login(member)
    response = client.post(reverse("privacy:delete"), {"mode": "keep", "password": PASSWORD}, follow=True)
    assert "just sign in before then" in response.content.decode()
    member.refresh_from_db()
    assert member.erasure_requested_at is not None and member.erasure_mode == "keep"
    assert client.get(reverse("accounts:settings")).status_code == 302  # signed out
    assert erasure.erasures_carry_out() == 0  # not yet due
    member.refresh_from_db()
    assert member.erased_at is None


def test_signing_in_during_the_grace_period_cancels_it(member):
    member.erasure_requested_at = timezone.now() - timedelta(days=6)
    member.erasure_mode = "erase"
    member.save()
    client = Client(REMOTE_ADDR="203.0.113.9")
    response = client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD}, follow=True)
    assert "will not be deleted" in response.content.decode()
    member.refresh_from_db()
    assert member.erasure_requested_at is None and member.erasure_mode == ""
    with _days_later(8):
        assert erasure.erasures_carry_out() == 0


def test_the_job_erases_once_the_grace_period_is_over(leaving):
    member = leaving["member"]
    member.erasure_requested_at = timezone.now() - timedelta(days=7, minutes=1)
    member.erasure_mode = "erase"
    member.save()
    assert erasure.erasures_carry_out() == 1
    member.refresh_from_db()
    assert member.erased_at is not None
    assert erasure.erasures_carry_out() == 0  # done once


# --- what goes, either way --------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["erase", "keep"])
def test_email_profile_sessions_and_notifications_go_either_way(leaving, mode):
    member = leaving["member"]
    client = Client()
    client.force_login(member)
    AddressRecord.objects.create(member=member, address_hash="a" * 64)
    DataExport.objects.create(member=member, expires_at=timezone.now() + timedelta(days=1))
    assert Session.objects.count() == 1

    erasure.member_erase(member_id=member.pk, mode=mode)

    member.refresh_from_db()
    assert "maple" not in member.email and member.email.endswith("@erased.invalid")
    assert member.pseudonym.startswith("Former member ")
    assert not member.has_usable_password() and not member.is_active
    assert not EmailAddress.objects.filter(user=member).exists()
    assert not EmailAddress.objects.filter(email__icontains="maple").exists()
    assert Session.objects.count() == 0
    assert client.get(reverse("accounts:settings")).status_code == 302
    assert not Notification.objects.filter(recipient=member).exists()
    assert not ContentNotePreference.objects.filter(member=member).exists()
    assert not Volunteer.objects.filter(member=member).exists()
    assert not AddressRecord.objects.filter(member=member).exists()
    assert not DataExport.objects.filter(member=member).exists()
    assert not User.objects.filter(pseudonym__iexact="MemberMaple").exists()
    # The old name can be taken by someone new.
    factories.member(pseudonym="MemberMaple", email="someone.new@example.org")


def test_the_log_is_never_changed_and_points_only_at_an_emptied_account(leaving, admin_user):
    member = leaving["member"]
    before = _log_snapshot()
    erasure.member_erase(member_id=member.pk, mode="erase", actor=admin_user, reason="Asked by email.")
    after = _log_snapshot()
    assert after[: len(before)] == before  # append-only: every earlier row exactly as it was
    added = ModerationAction.objects.get(action="account_erase")
    assert (added.actor_id, added.member_id, added.reason) == (admin_user.pk, member.pk, "Asked by email.")
    for entry in ModerationAction.objects.all():
        assert "maple@example.org" not in f"{entry.reason}{entry.before}{entry.after}"


def test_erasing_twice_changes_nothing_more(leaving):
    member = leaving["member"]
    first = erasure.member_erase(member_id=member.pk, mode="erase")
    again = erasure.member_erase(member_id=member.pk, mode="erase")
    assert (first.pseudonym, first.email) == (again.pseudonym, again.email)
    assert ModerationAction.objects.filter(action="account_erase").count() == 1


# --- "erase my posts" -------------------------------------------------------------------------
def test_erased_posts_leave_others_replies_reachable(leaving, other_member):
    member = leaving["member"]
    erasure.member_erase(member_id=member.pk, mode="erase")
    answered = Thread.objects.get(pk=leaving["answered"].pk)
    assert answered.title == "Removed at the author's request"

    for viewer in (None, other_member):
        client = Client()
        if viewer:
            client.force_login(viewer)
        page = client.get(answered.get_absolute_url())
        assert page.status_code == 200
        html = page.content.decode()
        assert "Sending warmth" in html  # the other member's reply is still there
        assert "This post was removed at the author's request." in html
        for gone in ("Ana", "sister", "MemberMaple"):
            assert gone not in html
    other = Client()
    other.force_login(other_member)
    assert other.get(reverse("forum:post_edit", args=[leaving["others_reply"].pk])).status_code == 200
    assert Client().get(Thread.objects.get(pk=leaving["lonely"].pk).get_absolute_url()).status_code == 404


def test_erased_posts_keep_no_words_history_screening_or_reports(leaving, other_member):
    member = leaving["member"]
    erasure.member_erase(member_id=member.pk, mode="erase")
    for post in Post.objects.filter(author=member):
        assert post.source == "Removed at the author's request." and post.status == "deleted"
    assert not PostRevision.objects.filter(post__author=member).exists()
    assert not ScreeningResult.objects.filter(post__author=member).exists()
    assert not Notification.objects.filter(title__contains="MemberMaple").exists()
    from moderation.models import Report

    assert Report.objects.get(reporter=member).words == ""
    assert not reactions.reaction_count(post=Thread.objects.get(title="Sleep").posts.get(position=0), kind="me_too")


# --- "keep my posts" --------------------------------------------------------------------------
def test_kept_posts_stay_under_former_member(leaving, other_member):
    member = leaving["member"]
    erasure.member_erase(member_id=member.pk, mode="keep")
    member.refresh_from_db()
    page = Client().get(leaving["answered"].get_absolute_url()).content.decode()
    assert "My sister left in May." in page
    assert member.pseudonym in page and "MemberMaple" not in page
    assert reverse("forum:profile", args=[member.pseudonym]) not in page  # no link to an empty profile
    renamed = Notification.objects.filter(recipient=other_member, subject=f"post:{leaving['their_reply'].pk}")
    assert f"{member.pseudonym} replied to your thread" in {n.title for n in renamed}
    assert not Notification.objects.filter(title__contains="MemberMaple").exists()


# --- the admin's erasure ----------------------------------------------------------------------
def test_only_admins_reach_the_erasure_page(client, member, other_member, moderator, admin_user):
    url = reverse("privacy:admin_erase", args=[member.pk])
    for viewer in (other_member, moderator, member):
        sign_in(client, viewer)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404  # guests too: no sign-in redirect that shows it exists
    sign_in(client, admin_user)
    assert client.get(url).status_code == 200
    assert client.get(reverse("privacy:admin_erase", args=[admin_user.pk])).status_code == 404


def test_an_admin_erases_at_once_with_a_logged_reason(client, leaving, admin_user):
    member = leaving["member"]
    sign_in(client, admin_user)
    url = reverse("privacy:admin_erase", args=[member.pk])
    refused = client.post(url, {"mode": "erase", "reason": "Asked by email.", "confirm_pseudonym": "memberMaple"})
    assert refused.status_code == 422
    member.refresh_from_db()
    assert member.erased_at is None
    response = client.post(url, {"mode": "erase", "reason": "Asked by email.", "confirm_pseudonym": "MemberMaple"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.erased_at is not None
    entry = ModerationAction.objects.get(action="account_erase")
    assert entry.actor == admin_user and entry.reason == "Asked by email."


class _days_later:
    """Pretend ``days`` have passed for the erasure job (its cut-off reads timezone.now)."""

    def __init__(self, days: int) -> None:
        self.days = days

    def __enter__(self):
        import privacy.erasure as module

        self._real = module.timezone.now
        later = self._real() + timedelta(days=self.days)
        module.timezone.now = lambda: later
        return self

    def __exit__(self, *exc):
        import privacy.erasure as module

        module.timezone.now = self._real
