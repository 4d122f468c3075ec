from __future__ import annotations

from urllib.parse import urlencode

from allauth.account.views import LoginView
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from accounts.adapter import SIGNIN_PAUSED_ATTR
from accounts.forms import PseudonymForm
from accounts.second_factor import (
    SECOND_FACTOR_NEXT_SESSION_KEY,
    Missing,
    second_factor_missing,
    second_factor_redirect,
    second_factor_required,
)
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


@login_required
def second_factor_needed(request: HttpRequest) -> HttpResponse:
    """Where staff are sent before the queue or the admin opens: why, and the way to set it up."""
    if not second_factor_required(request.user):
        return redirect("mfa_index")  # members choose for themselves, from their settings
    next_url = _safe_next(request, fallback="")
    missing = second_factor_missing(request.user, request.session)
    if missing is Missing.CONFIRM:
        return second_factor_redirect(missing, next_url or reverse("moderation:queue"))
    if missing is None and next_url:
        return redirect(next_url)
    if next_url:
        # allauth's set-up page ends on the recovery codes; they offer the way back from here.
        request.session[SECOND_FACTOR_NEXT_SESSION_KEY] = next_url
    return render(request, "accounts/second_factor_needed.html", {"missing": missing, "next_url": next_url})


def admin_sign_in(request: HttpRequest) -> HttpResponse:
    """/admin/login/ is not a second sign-in form: everyone signs in through allauth's, with its
    attempt limits and the second step, and comes back to the admin through ``next``."""
    next_url = _safe_next(request, fallback=reverse("admin:index"))
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")
    if not (request.user.is_active and request.user.is_staff):
        raise Http404  # a member signed in already: the admin is not theirs (and no redirect loop)
    return redirect(next_url)


def _safe_next(request: HttpRequest, *, fallback: str) -> str:
    next_url = request.GET.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return fallback


def sign_in(request: HttpRequest) -> HttpResponse:
    """allauth's sign-in page, answering 429 with a calm page when wrong passwords from this
    address have paused signing in (accounts.limits; the adapter marks the request)."""
    response = LoginView.as_view()(request)
    paused = getattr(request, SIGNIN_PAUSED_ATTR, None)
    if paused is not None:
        return render(request, "429.html", {"paused": paused, "signin": True}, status=429)
    return response
