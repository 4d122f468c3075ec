from django.contrib import admin
from django.core.cache import cache
from mptt.admin import DraggableMPTTAdmin

from forum.models import (
    ContentNote,
    HelpResource,
    Post,
    PostRevision,
    Rule,
    SiteSettings,
    Subforum,
    Thread,
)
from forum.selectors import NOTES_CACHE_KEY, SITE_SETTINGS_CACHE_KEY


class ClearsCacheAdmin(admin.ModelAdmin):
    """Admin for cached configuration: saving or deleting clears the cached copy."""

    cache_key = ""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        cache.delete(self.cache_key)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        cache.delete(self.cache_key)


@admin.register(Subforum)
class SubforumAdmin(DraggableMPTTAdmin):
    list_display = ("tree_actions", "indented_title", "slug", "posting_policy", "requires_content_note", "thread_count")
    list_display_links = ("indented_title",)
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("default_notes",)
    readonly_fields = ("thread_count", "post_count", "last_activity_at")
    fields = (
        "name",
        "slug",
        "description",
        "parent",
        "order",
        "posting_policy",
        "screening_hold",
        "requires_content_note",
        "default_notes",
        "is_introductions",
        "thread_count",
        "post_count",
        "last_activity_at",
    )


@admin.register(ContentNote)
class ContentNoteAdmin(ClearsCacheAdmin):
    cache_key = NOTES_CACHE_KEY
    list_display = ("name", "slug", "default_display", "order", "is_active")
    list_editable = ("order", "is_active")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "order", "is_active")
    list_editable = ("order", "is_active")


@admin.register(HelpResource)
class HelpResourceAdmin(admin.ModelAdmin):
    list_display = ("name", "phone", "text", "region", "order", "is_active")
    list_editable = ("order", "is_active")


@admin.register(SiteSettings)
class SiteSettingsAdmin(ClearsCacheAdmin):
    cache_key = SITE_SETTINGS_CACHE_KEY

    def has_add_permission(self, request):
        return not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class PostRevisionInline(admin.TabularInline):
    model = PostRevision
    extra = 0
    readonly_fields = ("editor", "source", "title", "created_at")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Threads and posts change through services and logged moderation actions; the admin only reads them."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Thread)
class ThreadAdmin(ReadOnlyAdmin):
    list_display = ("title", "subforum", "author", "status", "reply_count", "last_activity_at")
    list_filter = ("status", "subforum")
    search_fields = ("title",)
    list_select_related = ("subforum", "author")
    raw_id_fields = ("author", "last_post")


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    list_display = ("pk", "thread", "author", "status", "created_at")
    list_filter = ("status",)
    list_select_related = ("thread", "author")
    raw_id_fields = ("thread", "author", "parent")
    inlines = [PostRevisionInline]
