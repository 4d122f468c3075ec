"""Data rights pages (download, delete), the admin's erasure page, the privacy page and
security.txt. Views are adapters: fetch-and-authorise, call one service, render or redirect."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from accounts.roles import is_admin
from accounts.services import member_request_erasure
from privacy import erasure, export
from privacy.forms import AdminErasureForm, ErasureRequestForm


def _erasure_date(user) -> datetime | None:
    if user.erasure_requested_at is None:
        return None
    return user.erasure_requested_at + timedelta(days=settings.HEARTH_ERASURE_GRACE_DAYS)


@login_required
def data_home(request: HttpRequest) -> HttpResponse:
    exports = export.exports_of(member=request.user)
    return render(
        request,
        "privacy/data.html",
        {"exports": exports, "export_days": settings.HEARTH_EXPORT_DAYS, "now": timezone.now()},
    )


@login_required
@require_POST
def export_request(request: HttpRequest) -> HttpResponse:
    started = export.export_start(member=request.user)
    if started.is_available():
        return redirect(started)
    messages.info(
        request,
        "We're gathering your data. You'll get a notification with a download link when it is ready, "
        "usually within a few minutes.",
    )
    return redirect("privacy:data")


@login_required
def export_download(request: HttpRequest, export_id) -> HttpResponse:
    found = export.export_for_owner(export_id=export_id, member=request.user)
    if found is None:
        raise Http404
    response = HttpResponse(export.export_content(found), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="hearth-data-{found.created_at:%Y-%m-%d}.json"'
    response["Cache-Control"] = "no-store, private"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def erasure_request(request: HttpRequest) -> HttpResponse:
    form = ErasureRequestForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = member_request_erasure(user=request.user, mode=form.cleaned_data["mode"])
        when = _erasure_date(user)
        logout(request)
        messages.info(
            request,
            f"You're signed out. Your account will be deleted on {when:%d %B %Y}. If you change your mind, "
            "just sign in before then and nothing will be deleted. Thank you for being part of Hearth.",
        )
        return redirect("forum:home")
    return render(
        request,
        "privacy/delete.html",
        {"form": form, "grace_days": settings.HEARTH_ERASURE_GRACE_DAYS},
        status=422 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def admin_erase(request: HttpRequest, member_id: int) -> HttpResponse:
    """Admins only: erase an account at once, with a logged reason. Everyone else, guests
    included, gets 404, so nobody learns the page exists (no sign-in redirect)."""
    if not is_admin(request.user):
        raise Http404
    member = User.objects.filter(pk=member_id, erased_at__isnull=True).first()
    if member is None or member.pk == request.user.pk:
        raise Http404
    form = AdminErasureForm(request.POST if request.method == "POST" else None, member=member)
    if request.method == "POST" and form.is_valid():
        erasure.member_erase(
            member_id=member.pk, mode=form.cleaned_data["mode"], actor=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, "The account is erased, and the erasure is in the moderation log.")
        return redirect("moderation:member", member_id=member.pk)
    return render(
        request, "privacy/admin_erase.html", {"form": form, "member": member}, status=422 if form.errors else 200
    )


def privacy_page(request: HttpRequest) -> HttpResponse:
    """What Hearth stores, for how long and who sees it: read from the running configuration."""
    return render(
        request,
        "privacy/privacy.html",
        {
            "ip_days": settings.HEARTH_RETENTION_IP_DAYS,
            "notification_days": settings.HEARTH_RETENTION_NOTIFICATIONS_DAYS,
            "grace_days": settings.HEARTH_ERASURE_GRACE_DAYS,
            "export_days": settings.HEARTH_EXPORT_DAYS,
            "session_days": settings.SESSION_COOKIE_AGE // 86400,
            "security_contact": settings.HEARTH_SECURITY_CONTACT,
        },
    )


def security_txt(request: HttpRequest) -> HttpResponse:
    """RFC 9116: where to report a vulnerability. Absent (404) until HEARTH_SECURITY_CONTACT is set."""
    if not settings.HEARTH_SECURITY_CONTACT:
        raise Http404
    expires = timezone.now().replace(microsecond=0) + timedelta(days=365)
    site = settings.HEARTH_SITE_URL.rstrip("/")
    lines = [
        f"Contact: {settings.HEARTH_SECURITY_CONTACT}",
        f"Expires: {expires.isoformat().replace('+00:00', 'Z')}",
        "Preferred-Languages: en",
        f"Canonical: {site}/.well-known/security.txt",
        f"Policy: {site}/privacy/#security",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
