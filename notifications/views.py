from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from notifications import selectors, services
from notifications.forms import PreferencesForm


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page, notifications = selectors.notifications_page(member=request.user, params=request.GET)
    return render(request, "notifications/list.html", {"page": page, "notifications": notifications})


@login_required
@require_POST
def notification_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark it read and go where it points (a path inside Hearth only)."""
    notification = services.notification_mark_read(member=request.user, notification_id=notification_id)
    if notification is None:
        raise Http404
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts=None) or not target.startswith("/"):
        target = "notifications:list"
    return redirect(target)


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_all_read(member=request.user)
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    """Which notifications a member gets, and whether each also comes by email."""
    form = PreferencesForm(
        request.POST if request.method == "POST" else None, initial=selectors.preferences_for(member=request.user)
    )
    if request.method == "POST" and form.is_valid():
        services.preferences_set(member=request.user, deliveries=form.cleaned_data)
        messages.success(request, "Your notification choices are saved.")
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form}, status=422 if form.errors else 200)
