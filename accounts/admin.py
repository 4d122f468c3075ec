from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ("-date_joined",)
    list_display = ("pseudonym", "email", "is_moderator", "is_staff", "is_active", "date_joined", "post_count")
    list_filter = ("is_moderator", "is_staff", "is_superuser", "is_active")
    search_fields = ("pseudonym", "email")
    readonly_fields = (
        "date_joined",
        "last_login",
        "post_count",
        "guidelines_accepted_at",
        "onboarding_completed_at",
        # Deletion is asked for by the member or carried out from the member's moderation page
        # (privacy/), which erases everything at once and logs it; never edited here.
        "erasure_requested_at",
        "erasure_mode",
        "erased_at",
    )
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Public identity", {"fields": ("pseudonym",)}),
        ("Roles", {"fields": ("is_active", "is_moderator", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (
            "Onboarding",
            {"fields": ("guidelines_version_accepted", "guidelines_accepted_at", "onboarding_completed_at")},
        ),
        ("Activity", {"fields": ("date_joined", "last_login", "post_count")}),
        ("Account deletion", {"fields": ("erasure_requested_at", "erasure_mode", "erased_at")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "pseudonym", "password1", "password2")}),)
