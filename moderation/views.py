from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from forum import selectors as forum_selectors
from moderation import services
from moderation.forms import ContentNotesForm
from moderation.permissions import check_can_moderate


@login_required
@require_http_methods(["GET", "POST"])
def post_content_notes(request: HttpRequest, post_id: int) -> HttpResponse:
    check_can_moderate(request.user)
    post = forum_selectors.post_for_viewer(post_id=post_id, user=request.user)
    if post is None:
        raise Http404
    initial = {"post_notes": list(post.notes.all()), "thread_notes": list(post.thread.notes.all())}
    initial_rule = forum_selectors.rule_by_code(code="R3")
    if initial_rule:
        initial["rule"] = initial_rule
    form = ContentNotesForm(
        request.POST if request.method == "POST" else None, initial=initial, with_thread=post.is_opening
    )
    if request.method == "POST" and form.is_valid():
        services.content_notes_change(
            actor=request.user,
            post=post,
            post_notes=form.cleaned_data["post_notes"],
            thread_notes=form.cleaned_data.get("thread_notes") if post.is_opening else None,
            rule=form.cleaned_data["rule"],
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, "Content notes updated and logged.")
        return redirect(post)
    return render(
        request, "moderation/content_notes.html", {"form": form, "post": post}, status=422 if form.errors else 200
    )
