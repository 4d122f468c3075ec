"""django-allauth hooks: the pseudonym is set when the account is created."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse


class HearthAccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # The pseudonym is the public name and is unique, so it must be on the row from the
        # first INSERT rather than set afterwards in custom_signup().
        user.pseudonym = form.cleaned_data["pseudonym"]
        return super().save_user(request, user, form, commit)

    def get_email_verification_redirect_url(self, email_address):
        return reverse("forum:welcome")
