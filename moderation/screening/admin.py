"""Admin for screening rules, and the "try the rules" page."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path

from . import posts, services
from .engine import screen
from .forms import ScreeningRuleForm, TryRulesForm
from .models import RescreenRun, ScreeningResult, ScreeningRule
from .selectors import active_ruleset, ruleset_version_current
from .types import Match


@admin.register(ScreeningRule)
class ScreeningRuleAdmin(admin.ModelAdmin):
    form = ScreeningRuleForm
    list_display = ("name", "category", "level", "role", "kind", "value", "enabled")
    list_filter = ("category", "level", "role", "kind", "enabled")
    search_fields = ("name", "value", "note")
    actions = ("enable_rules", "disable_rules")
    change_list_template = "admin/screening/screeningrule/change_list.html"

    # Every write goes through the services, which move the rule-set version.
    def save_model(self, request, obj, form, change):
        services.screening_rule_save(rule=obj)

    def delete_model(self, request, obj):
        services.screening_rules_delete(rules=[obj])

    def delete_queryset(self, request, queryset):
        services.screening_rules_delete(rules=list(queryset))

    @admin.action(description="Switch the selected rules on")
    def enable_rules(self, request, queryset):
        count = services.screening_rules_set_enabled(rules=list(queryset), enabled=True)
        self.message_user(request, f"{count} rule(s) switched on.", messages.SUCCESS)

    @admin.action(description="Switch the selected rules off")
    def disable_rules(self, request, queryset):
        count = services.screening_rules_set_enabled(rules=list(queryset), enabled=False)
        self.message_user(request, f"{count} rule(s) switched off.", messages.SUCCESS)

    def get_urls(self):
        extra = [
            path(
                "try/",
                self.admin_site.admin_view(self.try_rules_view),
                name="screening_screeningrule_try",
            )
        ]
        return extra + super().get_urls()

    def try_rules_view(self, request: HttpRequest) -> HttpResponse:
        """Paste text, see the level, categories and highlighted matches. Saves nothing."""
        if not self.has_view_permission(request):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied("You may not view screening rules.")
        form = TryRulesForm(request.POST or None)
        result = None
        segments: list[tuple[str, Match | None]] = []
        if request.method == "POST" and form.is_valid():
            text = form.cleaned_data["text"]
            result = screen(text, active_ruleset())
            segments = highlight(text, result.matches)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Try the screening rules",
            "form": form,
            "result": result,
            "segments": segments,
            "version": ruleset_version_current(),
        }
        return TemplateResponse(request, "admin/screening/try_rules.html", context)


@admin.register(ScreeningResult)
class ScreeningResultAdmin(admin.ModelAdmin):
    """Read-only: results are written by the screening job alone."""

    list_display = ("post", "revision", "level", "band", "route", "status", "duration_ms", "created_at")
    list_filter = ("level", "band", "route", "status")
    search_fields = ("post__id",)
    list_select_related = ("post",)
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RescreenRun)
class RescreenRunAdmin(admin.ModelAdmin):
    """Start a re-screen of recent posts after changing rules; follow its progress here."""

    list_display = ("created_at", "days", "status", "progress", "raised", "lowered", "unchanged", "failed")
    fields = ("days",)

    @admin.display(description="progress")
    def progress(self, run: RescreenRun) -> str:
        return f"{run.done} of {run.total}" if run.total else "waiting"

    def save_model(self, request, obj, form, change):
        posts.rescreen_run_start(days=obj.days, started_by=request.user, run=obj)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def highlight(text: str, matches: list[Match]) -> list[tuple[str, Match | None]]:
    """Split ``text`` into plain and matched pieces for display (overlaps merged into the
    first match that covers them). The template escapes every piece."""
    pieces: list[tuple[str, Match | None]] = []
    pos = 0
    for m in sorted(matches, key=lambda m: (m.start, -m.end)):
        if m.end <= pos:
            continue
        start = max(m.start, pos)
        if start > pos:
            pieces.append((text[pos:start], None))
        pieces.append((text[start : m.end], m))
        pos = m.end
    if pos < len(text):
        pieces.append((text[pos:], None))
    return pieces
