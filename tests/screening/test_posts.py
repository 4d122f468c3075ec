"""Screening posts in the product: the task after commit, results per revision, routing."""

from __future__ import annotations

import pytest

from forum import services
from forum.models import Post, ScreeningHold, Visibility
from moderation.models import ModerationAction, ReviewItem
from moderation.screening import posts
from moderation.screening.models import RescreenRun, ScreeningResult
from moderation.screening.routing import PRIORITY_HIGH, PRIORITY_SOMEONE_ELSE
from moderation.screening.services import ruleset_version_bump
from tests import factories
from tests.second_factor import sign_in

URGENT_REPLY = "Honestly I don't want to be alive anymore. I've been thinking about ending it tonight."
CONFIDENT_HIGH = "I've decided. I'm going to kill myself tonight, I have the pills saved up."
MEDIUM = "I've been purging after every meal again this week and I hate it."


@pytest.fixture
def notes(db):
    return {
        slug: factories.note(name=name, slug=slug)
        for name, slug in [("Suicidal thoughts", "suicidal-thoughts"), ("Eating disorders", "eating-disorders")]
    }


def reply_screened(django_capture_on_commit_callbacks, *, author, thread, body, **kwargs) -> Post:
    with django_capture_on_commit_callbacks(execute=True):
        post = factories.reply(author=author, thread=thread, body=body, **kwargs)
    post.refresh_from_db()
    return post


def test_posting_queues_a_screening_after_commit(eager_jobs, django_capture_on_commit_callbacks, member, thread):
    post = reply_screened(django_capture_on_commit_callbacks, author=member, thread=thread, body=URGENT_REPLY)
    row = ScreeningResult.objects.get(post=post, revision=0)
    assert row.status == "done"
    assert row.level == "high"
    assert row.stages[:2] == ["rules", "learned"]
    assert row.ruleset_version.startswith("db-")
    assert row.matches and all(URGENT_REPLY[m["start"] : m["end"]] == m["text"] for m in row.matches)
    item = ReviewItem.objects.get(kind="screening", target_key=f"post:{post.pk}")
    assert item.priority >= PRIORITY_HIGH
    assert item.risk_level == "high"
    assert item.details["route"] in ("hold", "urgent")


def test_nothing_is_queued_when_the_transaction_rolls_back(eager_jobs, member, thread):
    # Without the commit the on-commit callback never runs: the worker never sees an uncommitted post.
    post = factories.reply(author=member, thread=thread, body=URGENT_REPLY)
    assert not ScreeningResult.objects.filter(post=post).exists()


def test_screening_the_same_revision_again_changes_nothing(member, thread):
    post = factories.reply(author=member, thread=thread, body=CONFIDENT_HIGH)
    first = posts.post_screen(post_id=post.pk, revision=0)
    again = posts.post_screen(post_id=post.pk, revision=0)
    assert first.pk == again.pk and first.updated_at == again.updated_at
    assert ScreeningResult.objects.filter(post=post).count() == 1
    item = ReviewItem.objects.get(target_key=f"post:{post.pk}", kind="screening")
    assert item.occurrences == 1
    assert ModerationAction.objects.filter(post=post, action="screening_hold").count() == 1


def test_confident_high_is_held_calmly_and_logged(member, thread, other_member, client):
    post = factories.reply(author=member, thread=thread, body=CONFIDENT_HIGH)
    row = posts.post_screen(post_id=post.pk, revision=0)
    post.refresh_from_db()
    assert row.band == "confident"
    assert post.status == Visibility.PENDING
    assert post.status_reason == services.HELD_BY_SCREENING
    assert ModerationAction.objects.get(post=post, action="screening_hold").actor is None
    client.force_login(other_member)
    assert CONFIDENT_HIGH not in client.get(thread.get_absolute_url()).content.decode()


def test_never_hold_subforum_publishes_and_alerts(member, subforum, thread):
    subforum.screening_hold = ScreeningHold.NEVER
    subforum.save()
    post = factories.reply(author=member, thread=thread, body=CONFIDENT_HIGH)
    row = posts.post_screen(post_id=post.pk, revision=0)
    post.refresh_from_db()
    assert row.route == "urgent"
    assert post.status == Visibility.PUBLISHED
    assert ReviewItem.objects.get(target_key=f"post:{post.pk}").priority == PRIORITY_HIGH


def test_medium_adds_suggested_notes_when_the_author_chose_none(member, thread, notes):
    post = factories.reply(author=member, thread=thread, body=MEDIUM)
    row = posts.post_screen(post_id=post.pk, revision=0)
    assert row.level in ("medium", "high")
    assert list(post.notes.values_list("slug", flat=True)) == ["eating-disorders"]
    assert ReviewItem.objects.filter(target_key=f"post:{post.pk}").exists()


def test_medium_keeps_the_notes_the_author_chose(member, thread, notes):
    chosen = factories.note(name="Bereavement", slug="bereavement")
    post = factories.reply(author=member, thread=thread, body=MEDIUM, notes=[chosen])
    posts.post_screen(post_id=post.pk, revision=0)
    assert list(post.notes.values_list("slug", flat=True)) == ["bereavement"]


def test_someone_else_at_risk_opens_the_most_urgent_item(member, thread):
    body = "My sister told me she wants to kill herself tonight and I don't know what to do"
    post = factories.reply(author=member, thread=thread, body=body)
    row = posts.post_screen(post_id=post.pk, revision=0)
    assert "someone_else_at_risk" in row.flags
    item = ReviewItem.objects.get(target_key=f"post:{post.pk}")
    assert item.priority == PRIORITY_SOMEONE_ELSE
    assert item.summary.startswith("Someone else may be at risk") or "High" in item.summary


def test_hostility_opens_an_item_and_notifies_nobody(member, other_member, thread, mailoutbox):
    from notifications.models import Notification

    post = factories.reply(author=other_member, thread=thread, body="Nobody cares, you pathetic attention seeker.")
    row = posts.post_screen(post_id=post.pk, revision=0)
    assert "hostility_at_member" in row.flags
    assert ReviewItem.objects.filter(target_key=f"post:{post.pk}").exists()
    assert mailoutbox == []
    # Screening tells nobody, least of all its target; the ordinary "replied to you" notice
    # that publishing sent keeps no word or name of the hostile reply.
    notices = list(Notification.objects.all())
    assert [n.kind for n in notices] == ["reply"]
    assert "pathetic" not in notices[0].title + notices[0].body
    assert other_member.pseudonym not in notices[0].title + notices[0].body


def test_an_edit_is_a_new_revision_screened_on_its_own(django_capture_on_commit_callbacks, eager_jobs, member, thread):
    post = reply_screened(django_capture_on_commit_callbacks, author=member, thread=thread, body="A quiet day.")
    with django_capture_on_commit_callbacks(execute=True):
        services.post_edit(post=post, editor=member, body=URGENT_REPLY)
    rows = list(ScreeningResult.objects.filter(post=post).values_list("revision", "level").order_by("revision"))
    assert [r for r, _ in rows] == [0, 1]
    assert rows[1][1] == "high"


def test_an_old_revision_is_skipped(member, thread):
    post = factories.reply(author=member, thread=thread, body="A quiet day.")
    services.post_edit(post=post, editor=member, body="A quieter day.")
    assert posts.post_screen(post_id=post.pk, revision=0) is None
    assert not ScreeningResult.objects.filter(post=post).exists()


def test_the_title_is_screened_with_the_body(member, subforum):
    thread = factories.thread(
        author=member, subforum=subforum, title="Going to kill myself tonight", body="That's all."
    )
    row = posts.post_screen(post_id=thread.posts.get().pk, revision=0)
    assert row.level == "high"


@pytest.mark.parametrize(
    "body",
    ["🙂😢🫠" * 300, "word " * 3999, "x" * 19_000],
    ids=["emoji only", "long", "one long word"],
)
def test_bad_input_gets_a_result(member, thread, body, settings):
    post = factories.reply(author=member, thread=thread, body=body)
    row = posts.post_screen(post_id=post.pk, revision=0)
    assert row.status == "done"


def test_a_100k_character_post_gets_a_result(member, thread):
    post = factories.reply(author=member, thread=thread, body="calm")
    Post.objects.filter(pk=post.pk).update(source="I feel low. " * 8400)  # past the form's limit
    row = posts.post_screen(post_id=post.pk, revision=0)
    assert row.status == "done"


def test_an_engine_failure_is_recorded_with_an_item_for_moderators(member, thread, monkeypatch):
    post = factories.reply(author=member, thread=thread, body="Anything at all")

    def broken(text, ruleset):
        raise RuntimeError("boom")

    monkeypatch.setattr(posts, "screen", broken)
    row = posts.post_screen(post_id=post.pk, revision=0)
    assert row.status == "failed" and "boom" in row.error
    item = ReviewItem.objects.get(target_key=f"post:{post.pk}")
    assert item.summary.startswith("Screening failed")
    # Recorded once: the sweeper does not loop on it.
    assert posts.post_screen(post_id=post.pk, revision=0).pk == row.pk
    assert (post.pk, 0) not in posts.posts_awaiting_screening()


def test_a_timed_out_rule_gives_an_incomplete_result_and_an_item(member, thread, monkeypatch):
    from moderation.screening import assessment as assessment_module
    from moderation.screening.types import ScreeningResult as EngineResult

    post = factories.reply(author=member, thread=thread, body="Just a normal day")
    monkeypatch.setattr(posts, "screen", lambda text, rs: EngineResult("none", [], [], rs.version, [], ["slow.rule"]))
    row = posts.post_screen(post_id=post.pk, revision=0)
    assert assessment_module.INCOMPLETE in row.flags
    assert "timed out" in ReviewItem.objects.get(target_key=f"post:{post.pk}").summary


def test_rescreen_counts_changes_and_routes_only_rises(member, thread):
    calm = factories.reply(author=member, thread=thread, body="A quiet day.")
    posts.post_screen(post_id=calm.pk, revision=0)
    ScreeningResult.objects.filter(post=calm).update(level="high")  # as if an old rule overrated it
    urgent = factories.reply(author=member, thread=thread, body=URGENT_REPLY)
    posts.post_screen(post_id=urgent.pk, revision=0)
    ScreeningResult.objects.filter(post=urgent).update(level="low")  # as if a rule was missing
    ReviewItem.objects.filter(target_key=f"post:{urgent.pk}").update(status="resolved")
    ruleset_version_bump()
    run = RescreenRun.objects.create(days=7)
    run = posts.rescreen_run_execute(run_id=run.pk)
    assert run.status == "done"
    assert (run.raised, run.lowered) == (1, 1)
    assert run.total == run.done == thread.posts.count()
    assert ReviewItem.objects.filter(target_key=f"post:{urgent.pk}", status="open").exists()
    assert not ReviewItem.objects.filter(target_key=f"post:{calm.pk}").exists()


def test_admin_starts_a_rescreen_and_shows_its_progress(
    client, admin_user, eager_jobs, django_capture_on_commit_callbacks
):
    sign_in(client, admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/screening/rescreenrun/add/", {"days": "3"})
    assert response.status_code == 302
    run = RescreenRun.objects.get()
    assert run.status == "done" and run.started_by == admin_user
    page = client.get("/admin/screening/rescreenrun/").content.decode()
    assert f"{run.done} of {run.total}" in page or "waiting" in page


def test_members_cannot_reach_screening_results_in_the_admin(client, member):
    client.force_login(member)
    response = client.get("/admin/screening/screeningresult/")
    assert response.status_code == 302 and "/login/" in response["Location"]
