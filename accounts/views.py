from __future__ import annotations

from allauth.account.views import LoginView
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.adapter import SIGNIN_PAUSED_ATTR
from accounts.forms import PseudonymForm
from accounts.services import member_change_pseudonym


@login_required
def settings_home(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/settings.html")


def pseudonym_form_submit(request: HttpRequest) -> tuple[PseudonymForm, bool]:
    """Bind the pseudonym form to the request and save it if valid; returns (form, saved).

    Shared by the settings page and the welcome's first step.
    """
    form = PseudonymForm(
        request.POST if request.method == "POST" else None, initial={"pseudonym": request.user.pseudonym}
    )
    if request.method == "POST" and form.is_valid():
        try:
            member_change_pseudonym(user=request.user, pseudonym=form.cleaned_data["pseudonym"])
        except ValidationError as error:
            form.add_error("pseudonym", error)
        else:
            return form, True
    return form, False


@login_required
@require_http_methods(["GET", "POST"])
def pseudonym_change(request: HttpRequest) -> HttpResponse:
    form, saved = pseudonym_form_submit(request)
    if saved:
        messages.success(request, "Your pseudonym is saved.")
        return redirect("accounts:settings")
    return render(request, "accounts/pseudonym.html", {"form": form}, status=422 if form.errors else 200)


def sign_in(request: HttpRequest) -> HttpResponse:
    """allauth's sign-in page, answering 429 with a calm page when wrong passwords from this
    address have paused signing in (accounts.limits; the adapter marks the request)."""
    response = LoginView.as_view()(request)
    paused = getattr(request, SIGNIN_PAUSED_ATTR, None)
    if paused is not None:
        return render(request, "429.html", {"paused": paused, "signin": True}, status=429)
    return response
