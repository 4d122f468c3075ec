"""The forum's own data: subforums, threads, posts, content notes, guidelines and help.

Forum owns these rows. Moderation changes them only by calling forum services.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from mptt.models import MPTTModel, TreeForeignKey

from forum.querysets import PostQuerySet, ThreadQuerySet


class PostingPolicy(models.TextChoices):
    OPEN = "open", "Open: posts appear at once"
    PREMODERATE_NEW = "premod_new", "New members' first posts are reviewed first"
    PREMODERATE_ALL = "premod_all", "Every post is reviewed first"


class Visibility(models.TextChoices):
    """Where a thread or post stands. Nothing is ever deleted: every state keeps the text."""

    PUBLISHED = "published", "Published"
    PENDING = "pending", "Waiting for review"
    HIDDEN = "hidden", "Hidden by a moderator"
    DELETED = "deleted", "Removed by its author"


class NoteDisplay(models.TextChoices):
    SHOW = "show", "Show"
    COLLAPSE = "collapse", "Collapse behind a notice"
    HIDE = "hide", "Hide"


class ContentNote(models.Model):
    """An admin-defined content note (trigger warning), e.g. "self-harm"."""

    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    description = models.CharField(max_length=200, blank=True, help_text="One calm line shown to readers.")
    default_display = models.CharField(
        max_length=10,
        choices=[(NoteDisplay.COLLAPSE, "Collapse"), (NoteDisplay.HIDE, "Hide")],
        default=NoteDisplay.COLLAPSE,
        help_text="What guests and members who have not chosen see.",
    )
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class ContentNotePreference(models.Model):
    """One member's choice for one content note: show, collapse or hide."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="note_preferences")
    note = models.ForeignKey(ContentNote, on_delete=models.CASCADE, related_name="+")
    display = models.CharField(max_length=10, choices=NoteDisplay.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "note"], name="forum_note_pref_unique")]

    def __str__(self) -> str:
        return f"{self.note}: {self.display}"


class ScreeningHold(models.TextChoices):
    """Whether screening may hold a post rated high here (see moderation/screening/routing.py)."""

    CONFIDENT = "confident", "Hold confident highs (the default)"
    EVERY_HIGH = "every_high", "Hold every high"
    NEVER = "never", "Never hold, alert moderators only"


class Subforum(MPTTModel):
    """A node of the (shallow) subforum tree; holds threads."""

    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.CharField(max_length=300, blank=True)
    parent = TreeForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    order = models.PositiveSmallIntegerField(default=0)
    posting_policy = models.CharField(max_length=12, choices=PostingPolicy.choices, default=PostingPolicy.OPEN)
    requires_content_note = models.BooleanField(
        default=False, help_text="New threads here must carry at least one content note."
    )
    default_notes = models.ManyToManyField(
        ContentNote, blank=True, related_name="+", help_text="Added to every new thread here."
    )
    is_introductions = models.BooleanField(
        default=False, help_text="Where the welcome invites new members to say hello."
    )
    screening_hold = models.CharField(
        max_length=12,
        choices=ScreeningHold.choices,
        default=ScreeningHold.CONFIDENT,
        help_text="When risk screening rates a post high: hold it for a moderator only when the engine is "
        "confident, always, or never (moderators are alerted either way).",
    )
    # Denormalised by forum services in the same transaction as the post that changes them.
    thread_count = models.PositiveIntegerField(default=0)
    post_count = models.PositiveIntegerField(default=0)
    last_activity_at = models.DateTimeField(null=True, blank=True)

    class MPTTMeta:
        order_insertion_by = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("forum:subforum", kwargs={"slug": self.slug})


class Thread(models.Model):
    subforum = models.ForeignKey(Subforum, on_delete=models.PROTECT, related_name="threads")
    # No index of its own: forum_thread_author (author, -created_at) serves every look-up by author.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="threads", db_index=False
    )
    title = models.CharField(max_length=300)
    # Decorative (the id finds the thread), so never looked up and not indexed.
    slug = models.SlugField(max_length=80, allow_unicode=False, blank=True, db_index=False)
    status = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PUBLISHED)
    notes = models.ManyToManyField(ContentNote, blank=True, related_name="threads")
    is_locked = models.BooleanField(default=False)
    is_pinned = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    # Denormalised, kept by forum services in the posting transaction.
    last_activity_at = models.DateTimeField(default=timezone.now)
    last_post = models.ForeignKey("Post", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Who wrote last_post, so a listing prints the name without joining the post's text.
    last_poster = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    # The thread's content notes as ",3,7," (ids in order): listings filter and label rows from it
    # without joining the notes table. Kept by forum services with the notes (see _note_ids_store).
    note_ids = models.CharField(max_length=200, blank=True, default="")
    reply_count = models.PositiveIntegerField(default=0, help_text="Published replies.")
    post_sequence = models.PositiveIntegerField(default=0, help_text="Last position handed to a post.")
    first_reply_at = models.DateTimeField(
        null=True, blank=True, help_text="When someone other than the author first replied."
    )
    # How far the unanswered-thread rescue (forum/rescue.py) has taken this thread. Moved forward
    # only by a conditional UPDATE, so two workers never both act on the same step.
    rescue_stage = models.PositiveSmallIntegerField(
        default=0, help_text="0: not yet; 1: waiting for a reply, helpers asked; 2: moderators told."
    )

    objects = ThreadQuerySet.as_manager()

    class Meta:
        indexes = [
            # Keyset pages read this in order; note_ids is carried so hiding noted threads needs
            # no table visit (PostgreSQL; other databases ignore the INCLUDE).
            models.Index(
                fields=["subforum", "status", "-is_pinned", "-last_activity_at", "-id"],
                name="forum_thread_listing_notes",
                include=["note_ids"],
            ),
            models.Index(fields=["author", "-created_at"], name="forum_thread_author"),
            # "Waiting for a reply" (newest first) and the health roll-up's unanswered threads;
            # carries what the waiting page filters on, so its pages and counts stay in the index.
            models.Index(
                fields=["-created_at", "-id"],
                name="forum_thread_waiting",
                condition=Q(first_reply_at__isnull=True, status="published"),
                include=["rescue_stage", "is_locked", "is_pinned", "note_ids"],
            ),
            # What the rescue still has to look at: unanswered threads it has not finished with.
            # Stays small however many threads the forum holds.
            models.Index(
                fields=["created_at"],
                name="forum_thread_rescue",
                condition=Q(first_reply_at__isnull=True, status="published", rescue_stage__lt=2),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = slugify(self.title)[:80] or "thread"
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("forum:thread", kwargs={"thread_id": self.pk, "slug": self.slug or "thread"})


class Post(models.Model):
    """The opening post or a reply. Replies may answer any post, so a thread's posts form a tree.

    ``tree_path`` orders a thread depth-first: the parent's path followed by this post's position,
    zero-padded. Beyond the deepest shown level a reply becomes a sibling of its parent (it
    "continues flat") and keeps ``parent`` so the page can say whom it answers.
    """

    PATH_SEGMENT = 7  # digits per level: up to 9,999,999 posts in one thread

    # Neither has an index of its own: forum_post_position_unique and forum_post_tree lead with
    # thread, forum_post_author with author.
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts", db_index=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="posts", db_index=False)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="replies")
    position = models.PositiveIntegerField(help_text="0 for the opening post, then 1, 2, … in posting order.")
    tree_path = models.CharField(max_length=255, blank=True)
    depth = models.PositiveSmallIntegerField(default=0, help_text="Shown nesting level (0 = opening post).")
    source = models.TextField(help_text="What the author wrote (Markdown).")
    html = models.TextField(help_text="Sanitised HTML from forum.rendering.render_post, stored on save.")
    status = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PUBLISHED)
    notes = models.ManyToManyField(ContentNote, blank=True, related_name="posts")
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    edit_count = models.PositiveIntegerField(default=0)
    status_reason = models.CharField(
        max_length=500, blank=True, help_text="Shown to the author when the post is held or hidden."
    )
    # The composer's single-use token: a second submission of the same form (a double click, a
    # retry after a slow response) finds this post instead of storing a copy.
    submission_token = models.UUIDField(null=True, blank=True, editable=False)

    objects = PostQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "position"], name="forum_post_position_unique"),
            models.UniqueConstraint(
                fields=["author", "submission_token"],
                condition=Q(submission_token__isnull=False),
                name="forum_post_submission_once",
            ),
        ]
        indexes = [
            # A thread page's visibility filter (status, and author for one's own held posts) is
            # answered from the index itself, so a page never visits the posts it does not show.
            models.Index(
                fields=["thread", "tree_path"], name="forum_post_tree_visible", include=["status", "author", "id"]
            ),
            models.Index(fields=["author", "-created_at"], name="forum_post_author"),
            # The screening sweeper and the health roll-up look posts up by time.
            models.Index(fields=["created_at"], name="forum_post_created"),
            models.Index(fields=["edited_at"], name="forum_post_edited", condition=Q(edited_at__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"Post {self.pk} in {self.thread_id}"

    def get_absolute_url(self) -> str:
        return reverse("forum:post", kwargs={"post_id": self.pk})

    @property
    def is_opening(self) -> bool:
        return self.position == 0

    @property
    def anchor(self) -> str:
        return f"post-{self.pk}"


class SubforumNoteCount(models.Model):
    """How many published threads of a subforum carry exactly one set of content notes.

    A viewer who hides some notes is told how many threads were left out: the sum over the
    note sets that meet theirs, read from these few rows instead of counting threads on every
    page. Kept by forum services with the subforum's other counters.
    """

    subforum = models.ForeignKey(Subforum, on_delete=models.CASCADE, related_name="note_counts")
    note_ids = models.CharField(max_length=200, help_text="Like Thread.note_ids: ',3,7,'.")
    thread_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subforum", "note_ids"], name="forum_subforum_note_count_unique")
        ]

    def __str__(self) -> str:
        return f"{self.subforum_id} {self.note_ids}: {self.thread_count}"

    @property
    def ids(self) -> set[int]:
        return {int(part) for part in self.note_ids.strip(",").split(",") if part}


def note_ids_key(ids) -> str:
    """The stored form of a set of note ids: ',3,7,' (empty for none)."""
    ordered = sorted({int(pk) for pk in ids})
    return f",{','.join(map(str, ordered))}," if ordered else ""


class Volunteer(models.Model):
    """A member who offered to help: answering in one subforum (helper) or greeting newcomers (welcomer)."""

    class Role(models.TextChoices):
        HELPER = "helper", "Helper"
        WELCOMER = "welcomer", "Welcomer"

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteering")
    role = models.CharField(max_length=10, choices=Role.choices)
    subforum = models.ForeignKey(
        Subforum, on_delete=models.CASCADE, null=True, blank=True, related_name="volunteers", help_text="Helpers only."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "subforum"], condition=Q(role="helper"), name="forum_one_helper_per_subforum"
            ),
            models.UniqueConstraint(fields=["member"], condition=Q(role="welcomer"), name="forum_one_welcomer"),
            models.CheckConstraint(
                condition=Q(role="helper", subforum__isnull=False) | Q(role="welcomer", subforum__isnull=True),
                name="forum_volunteer_role_subforum",
            ),
        ]
        indexes = [models.Index(fields=["role", "subforum"], name="forum_volunteer_role")]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.member_id}"


class Reaction(models.Model):
    """A member's "thanks" or "me too" on someone else's post. One of each per member and post."""

    class Kind(models.TextChoices):
        THANKS = "thanks", "Thanks"
        ME_TOO = "me_too", "Me too"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "member", "kind"], name="forum_one_reaction_of_a_kind"),
        ]
        indexes = [models.Index(fields=["member", "post"], name="forum_reaction_member")]

    def __str__(self) -> str:
        return f"{self.kind} on {self.post_id} by {self.member_id}"


class PostRevision(models.Model):
    """The text a post had before an edit. Edits keep their history."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    source = models.TextField()
    title = models.CharField(max_length=300, blank=True, help_text="The thread title, for opening posts.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Revision of post {self.post_id} at {self.created_at:%Y-%m-%d %H:%M}"


class Rule(models.Model):
    """A community guideline. Moderation actions cite one by its code."""

    code = models.CharField(max_length=10, unique=True, help_text='Short code, e.g. "R3".')
    title = models.CharField(max_length=120)
    body = models.TextField(help_text="Plain-language explanation.")
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class SiteSettings(models.Model):
    """Community-wide settings an admin edits: one row."""

    guidelines_version = models.PositiveIntegerField(
        default=1, help_text="Raise this when the guidelines change materially: members accept them again."
    )
    guidelines_change_summary = models.CharField(max_length=300, blank=True)
    guidelines_intro = models.TextField(blank=True)
    help_intro = models.TextField(blank=True, help_text="Opening words on the 'Need help now?' page.")

    class Meta:
        verbose_name = "site settings"
        verbose_name_plural = "site settings"

    def __str__(self) -> str:
        return "Site settings"


class HelpResource(models.Model):
    """A crisis line or support service listed on the 'Need help now?' page."""

    name = models.CharField(max_length=120)
    description = models.CharField(max_length=300, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    text = models.CharField(max_length=80, blank=True, help_text="e.g. 'Text SHOUT to 85258'.")
    url = models.URLField(blank=True)
    hours = models.CharField(max_length=80, blank=True)
    region = models.CharField(max_length=80, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def sms_link(self) -> str:
        """ "Text SHOUT to 85258" as an ``sms:`` link with the number and the word; "" without a number."""
        match = re.search(r"\b(?:text|send)\s+(.+?)\s+to\s+(\+?\d[\d ]{1,18}\d)", self.text, re.IGNORECASE)
        if match:
            word = quote(match.group(1).strip(" '\""))
            return f"sms:{match.group(2).replace(' ', '')}?&body={word}"
        number = re.search(r"\+?\d[\d ]{1,18}\d", self.text)
        return f"sms:{number.group(0).replace(' ', '')}" if number else ""

    @property
    def url_display(self) -> str:
        """The address without its scheme or trailing slash: shorter, so it wraps less on a phone."""
        return re.sub(r"^https?://(www\.)?", "", self.url).rstrip("/")
