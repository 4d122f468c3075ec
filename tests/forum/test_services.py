import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from forum import services
from forum.models import Post, PostRevision, Subforum, Thread
from moderation.models import ReviewItem
from tests import factories

pytestmark = pytest.mark.django_db


def test_thread_create_saves_thread_opening_post_and_counters(member, subforum):
    thread = factories.thread(author=member, subforum=subforum, title="  Hello   there ", body="**Hi**")
    post = thread.posts.get()
    assert thread.title == "Hello there"
    assert post.position == 0 and post.tree_path == "" and post.depth == 0
    assert post.html == "<p><strong>Hi</strong></p>"
    subforum.refresh_from_db()
    member.refresh_from_db()
    assert (subforum.thread_count, subforum.post_count, member.post_count) == (1, 1, 1)
    assert thread.last_post == post and thread.reply_count == 0


def test_replies_form_a_tree_in_depth_first_order(member, other_member, thread):
    a = factories.reply(author=other_member, thread=thread, body="a")
    b = factories.reply(author=member, thread=thread, body="b")
    a1 = factories.reply(author=member, thread=thread, body="a1", parent=a)
    a1x = factories.reply(author=other_member, thread=thread, body="a1x", parent=a1)
    order = list(Post.objects.filter(thread=thread).order_by("tree_path").values_list("source", flat=True))
    assert order == ["It was hard today.", "a", "a1", "a1x", "b"]
    assert (a.depth, a1.depth, a1x.depth, b.depth) == (1, 2, 3, 1)


def test_replies_beyond_the_deepest_level_continue_flat(member, other_member, thread, settings):
    settings.HEARTH_MAX_REPLY_DEPTH = 2
    a = factories.reply(author=other_member, thread=thread, body="a")
    a1 = factories.reply(author=member, thread=thread, body="a1", parent=a)
    deep = factories.reply(author=other_member, thread=thread, body="deep", parent=a1)
    deeper = factories.reply(author=member, thread=thread, body="deeper", parent=deep)
    assert (deep.depth, deeper.depth) == (2, 2)
    assert deep.parent == a1 and deeper.parent == deep  # whom they answer is kept
    order = list(Post.objects.filter(thread=thread).order_by("tree_path").values_list("source", flat=True))
    assert order == ["It was hard today.", "a", "a1", "deep", "deeper"]


def test_reply_updates_counters_and_first_reply_from_someone_else(member, other_member, thread):
    factories.reply(author=member, thread=thread, body="adding more myself")
    thread.refresh_from_db()
    assert thread.reply_count == 1 and thread.first_reply_at is None
    reply = factories.reply(author=other_member, thread=thread)
    thread.refresh_from_db()
    assert thread.reply_count == 2
    assert thread.first_reply_at == reply.created_at
    assert thread.last_post == reply
    assert Subforum.objects.get(pk=thread.subforum_id).post_count == 3


@pytest.mark.parametrize("body", ["", "   ", "\n\t", "\u200b\u200b", "\u00a0 \u2060", "\ufeff"])
def test_empty_or_invisible_posts_are_refused(member, thread, body):
    with pytest.raises(ValidationError) as error:
        factories.reply(author=member, thread=thread, body=body)
    assert "looks empty" in str(error.value)
    assert thread.posts.count() == 1


def test_over_long_titles_and_posts_are_refused_with_their_lengths(member, subforum, settings):
    settings.HEARTH_MAX_POST_LENGTH = 50
    settings.HEARTH_MAX_TITLE_LENGTH = 10
    with pytest.raises(ValidationError) as error:
        factories.thread(author=member, subforum=subforum, title="x" * 11, body="y" * 51)
    assert set(error.value.message_dict) == {"title", "body"}
    assert "it has 11" in error.value.message_dict["title"][0]
    assert not Thread.objects.exists()


def test_locked_thread_refuses_member_replies_but_not_moderators(member, moderator, thread):
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)
    thread.refresh_from_db()
    with pytest.raises(PermissionDenied, match="locked"):
        factories.reply(author=member, thread=thread)
    factories.reply(author=moderator, thread=thread, body="A note from the moderators.")


def test_member_who_has_not_accepted_guidelines_cannot_post(subforum):
    newcomer = factories.member(guidelines_version_accepted=0)
    with pytest.raises(PermissionDenied, match="guidelines"):
        factories.thread(author=newcomer, subforum=subforum)


def test_premoderated_subforum_holds_new_members_posts_and_opens_a_review_item(member, other_member):
    space = factories.subforum(posting_policy="premod_new")
    thread = factories.thread(author=member, subforum=space)
    assert thread.status == "pending"
    item = ReviewItem.objects.get()
    assert (item.kind, item.target_key, item.status) == ("premoderation", f"post:{thread.posts.get().pk}", "open")
    space.refresh_from_db()
    assert space.thread_count == 0  # not counted until approved
    services.post_set_visibility(post=thread.posts.get(), status="published")
    space.refresh_from_db()
    thread.refresh_from_db()
    assert (thread.status, space.thread_count, space.post_count) == ("published", 1, 1)


def test_new_member_posts_pass_once_past_the_first_few(member, moderator, settings):
    from moderation.services.actions import post_approve

    settings.HEARTH_PREMODERATE_FIRST_POSTS = 1
    space = factories.subforum(posting_policy="premod_new")
    first = factories.thread(author=member, subforum=space)
    assert first.status == "pending"
    post_approve(actor=moderator, post=first.posts.get())  # a moderator read one: that lifts it
    assert factories.thread(author=member, subforum=space).status == "published"


def test_edit_keeps_the_previous_text_and_title(member, thread):
    post = thread.posts.get()
    services.post_edit(post=post, editor=member, body="Better words.", title="A better title")
    post.refresh_from_db()
    thread.refresh_from_db()
    assert (post.source, post.edit_count, thread.title) == ("Better words.", 1, "A better title")
    revision = PostRevision.objects.get()
    assert (revision.source, revision.title) == ("It was hard today.", "Panic on the bus")


def test_other_member_cannot_edit(other_member, thread):
    with pytest.raises(PermissionDenied):
        services.post_edit(post=thread.posts.get(), editor=other_member, body="mine now")


def test_author_removal_is_soft_and_recounts(member, other_member, thread):
    reply = factories.reply(author=other_member, thread=thread)
    services.post_delete_by_author(post=reply, actor=other_member)
    reply.refresh_from_db()
    thread.refresh_from_db()
    assert reply.status == "deleted" and reply.source == "A kind reply."
    assert thread.reply_count == 0 and thread.first_reply_at is None


def test_hiding_a_post_keeps_its_text_and_updates_counters(member, other_member, thread):
    reply = factories.reply(author=other_member, thread=thread)
    services.post_set_visibility(post=reply, status="hidden", reason="R1: unkind")
    reply.refresh_from_db()
    other_member.refresh_from_db()
    assert reply.source == "A kind reply." and reply.status_reason == "R1: unkind"
    assert other_member.post_count == 0


def test_reply_to_a_post_of_another_thread_is_refused(member, subforum, thread):
    elsewhere = factories.thread(author=member, subforum=subforum, title="Other")
    with pytest.raises(ValidationError):
        factories.reply(author=member, thread=thread, parent=elsewhere.posts.get())


def test_an_edit_in_a_premoderated_space_is_reviewed_again(member, moderator):
    space = factories.subforum(posting_policy="premod_all")
    thread = factories.thread(author=member, subforum=space)
    post = thread.posts.get()
    services.post_set_visibility(post=post, status="published")
    ReviewItem.objects.update(status="resolved")
    services.post_edit(post=post, editor=member, body="Something else entirely")
    post.refresh_from_db()
    assert post.status == "pending"
    assert ReviewItem.objects.filter(kind="premoderation", status="open", target_key=f"post:{post.pk}").exists()
    services.post_revise(post=post, editor=moderator, body="A moderator's correction")
    post.refresh_from_db()
    assert post.status == "pending"  # staff edits do not publish or re-queue it by themselves
