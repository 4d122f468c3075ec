"""django-allauth hooks: the pseudonym is set when the account is created; the client's address
comes from accounts.client_address; wrong passwords are limited by accounts.limits; two-step
sign-in speaks calmly."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.urls import reverse

from accounts import limits
from accounts.client_address import client_address

#: Set on the request when a sign-in is paused, so the sign-in view can answer 429 calmly.
SIGNIN_PAUSED_ATTR = "hearth_signin_paused"


def _account(credentials: dict) -> str:
    return str(credentials.get("email") or credentials.get("username") or "")


class HearthAccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": (
            "There have been several sign-in attempts that didn't work, so signing in from here is "
            "paused for a few minutes. Please try again soon."
        ),
    }

    def save_user(self, request, user, form, commit=True):
        # The pseudonym is the public name and is unique, so it must be on the row from the
        # first INSERT rather than set afterwards in custom_signup().
        user.pseudonym = form.cleaned_data["pseudonym"]
        return super().save_user(request, user, form, commit)

    def get_email_verification_redirect_url(self, email_address):
        return reverse("forum:welcome")

    def get_client_ip(self, request) -> str:
        # allauth's own limits (sign-up, password reset, sign-in per address) count this address.
        return client_address(request) or super().get_client_ip(request)

    # Wrong passwords: counted per (account, address) and per address by accounts.limits,
    # instead of allauth's per-account key that let anyone lock a member out.
    def pre_authenticate(self, request, **credentials) -> None:
        paused = limits.signin_paused(account=_account(credentials), address=client_address(request))
        if paused is not None:
            setattr(request, SIGNIN_PAUSED_ATTR, paused)
            raise self.validation_error("too_many_login_attempts")

    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        if user is not None:
            limits.signin_succeeded(account=_account(credentials), address=client_address(request))
        return user

    def authentication_failed(self, request, **credentials) -> None:
        limits.signin_failed(account=_account(credentials), address=client_address(request))


class HearthMFAAdapter(DefaultMFAAdapter):
    """allauth's two-step sign-in, in Hearth's words."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": (
            "That code didn't work. Codes change every 30 seconds: please type the one your app shows now, "
            "or one of your recovery codes."
        ),
        "unverified_email": (
            "Please confirm your email address first (we sent you a link), then set up two-step sign-in."
        ),
        "cannot_delete_authenticator": "Two-step sign-in can't be turned off for this account.",
    }
