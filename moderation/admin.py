from django.contrib import admin

from moderation.models import ModerationAction, ModeratorScope, ReplyTemplate, ReviewItem, Sanction


@admin.register(ReviewItem)
class ReviewItemAdmin(admin.ModelAdmin):
    list_display = ("kind", "target_key", "risk_level", "status", "occurrences", "created_at")
    list_filter = ("kind", "status", "risk_level")
    readonly_fields = [f.name for f in ReviewItem._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    """The log is append-only: the admin can read it, never change or delete it."""

    list_display = ("created_at", "action", "actor", "rule", "target")
    list_filter = ("action",)
    readonly_fields = [f.name for f in ModerationAction._meta.fields]

    @admin.display(description="target")
    def target(self, obj):
        return (
            obj.post_id
            and f"post {obj.post_id}"
            or obj.thread_id
            and f"thread {obj.thread_id}"
            or obj.member_id
            and f"member {obj.member_id}"
            or "-"
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(admin.ModelAdmin):
    """Saved moderator replies; {pseudonym} is filled in with the member's pseudonym."""

    list_display = ("title", "is_active")


@admin.register(ModeratorScope)
class ModeratorScopeAdmin(admin.ModelAdmin):
    """Which subforums a moderator looks after (no row: all of them)."""

    list_display = ("moderator", "all_subforums")
    filter_horizontal = ("subforums",)


@admin.register(Sanction)
class SanctionAdmin(admin.ModelAdmin):
    """Read-only: sanctions are given and lifted by moderation's services, which log them."""

    list_display = ("member", "kind", "starts_at", "ends_at", "lifted_at")
    readonly_fields = [f.name for f in Sanction._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
