"""django-allauth hooks: the pseudonym is set when the account is created; two-step sign-in speaks calmly."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.urls import reverse


class HearthAccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # The pseudonym is the public name and is unique, so it must be on the row from the
        # first INSERT rather than set afterwards in custom_signup().
        user.pseudonym = form.cleaned_data["pseudonym"]
        return super().save_user(request, user, form, commit)

    def get_email_verification_redirect_url(self, email_address):
        return reverse("forum:welcome")


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
