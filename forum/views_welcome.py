"""The welcome onboarding and content-note preferences. Each step works without JavaScript and
can be skipped; skipping keeps the defaults (posting still asks for the guidelines)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.services import member_accept_guidelines
from accounts.views import pseudonym_form_submit
from forum import permissions, selectors, services
from forum.forms import GuidelinesAcceptForm, NotePreferencesForm, VolunteeringForm
from forum.onboarding import welcome_finish


def _note_preferences_submit(request: HttpRequest) -> tuple[NotePreferencesForm, bool]:
    """Bind the show / collapse / hide choices and store them if valid; returns (form, saved)."""
    form = NotePreferencesForm(
        request.POST if request.method == "POST" else None, displays=selectors.note_displays_for(request.user)
    )
    if request.method == "POST" and form.is_valid():
        services.note_preferences_set(member=request.user, displays=form.displays())
        return form, True
    return form, False


def _step(request: HttpRequest, template: str, context: dict, number: int) -> HttpResponse:
    status = 422 if context.get("form") is not None and context["form"].errors else 200
    return render(request, template, {**context, "step": number, "steps": 3}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def welcome_pseudonym(request: HttpRequest) -> HttpResponse:
    form, saved = pseudonym_form_submit(request)
    if saved:
        return redirect("forum:welcome_guidelines")
    return _step(request, "forum/welcome_pseudonym.html", {"form": form}, 1)


@login_required
@require_http_methods(["GET", "POST"])
def welcome_guidelines(request: HttpRequest) -> HttpResponse:
    form = GuidelinesAcceptForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        member_accept_guidelines(user=request.user, version=selectors.guidelines_version())
        return redirect("forum:welcome_notes")
    return _step(
        request,
        "forum/welcome_guidelines.html",
        {"form": form, "rules": selectors.active_rules(), "settings": selectors.site_settings()},
        2,
    )


@login_required
@require_http_methods(["GET", "POST"])
def welcome_notes(request: HttpRequest) -> HttpResponse:
    form, saved = _note_preferences_submit(request)
    if saved:
        welcome_finish(member=request.user)
        return redirect("forum:welcome_done")
    return _step(request, "forum/welcome_notes.html", {"form": form}, 3)


@login_required
def welcome_done(request: HttpRequest) -> HttpResponse:
    return render(request, "forum/welcome_done.html", {"introductions": selectors.introductions_subforum()})


@login_required
@require_POST
def welcome_skip(request: HttpRequest) -> HttpResponse:
    welcome_finish(member=request.user)
    messages.info(request, "No problem. You can change your pseudonym and content-note choices any time in Settings.")
    return redirect("forum:home")


@login_required
@require_http_methods(["GET", "POST"])
def note_preferences(request: HttpRequest) -> HttpResponse:
    form, saved = _note_preferences_submit(request)
    if saved:
        messages.success(request, "Your content-note choices are saved.")
        return redirect("forum:note_preferences")
    return render(request, "forum/note_preferences.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def volunteering(request: HttpRequest) -> HttpResponse:
    """Offer to help: as a helper in chosen subforums, and as a welcomer of new members."""
    helping, welcoming = selectors.volunteering_for(member=request.user)
    form = VolunteeringForm(
        request.POST if request.method == "POST" else None,
        initial={"helper_subforums": sorted(helping), "welcomer": welcoming},
        subforums=selectors.helpable_subforums(),
    )
    allowed = permissions.can_volunteer(request.user)
    if request.method == "POST" and allowed and form.is_valid():
        services.volunteering_set(
            member=request.user,
            helper_subforum_ids=form.cleaned_data["helper_subforums"],
            welcomer=form.cleaned_data["welcomer"],
        )
        messages.success(request, "Thank you. Your choices are saved.")
        return redirect("forum:volunteering")
    return render(request, "forum/volunteering.html", {"form": form, "allowed": allowed})
