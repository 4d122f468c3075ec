from __future__ import annotations

from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.core import context as allauth_context
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from django import forms

from accounts import limits
from accounts.client_address import client_address
from accounts.passwords import PSEUDONYM_TOO_CLOSE, password_close_to_pseudonym
from accounts.pseudonyms import MAX_LENGTH, validate_pseudonym
from accounts.services import pseudonym_conflict, pseudonym_suggest_available

PSEUDONYM_HELP = (
    "This is the only name other members will see. Please don't use your real name, "
    "email or phone number: a pseudonym lets you talk openly and safely."
)


class PseudonymField(forms.CharField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", MAX_LENGTH)
        kwargs.setdefault("min_length", 3)
        kwargs.setdefault("help_text", PSEUDONYM_HELP)
        kwargs.setdefault("validators", [validate_pseudonym])
        super().__init__(**kwargs)
        self.widget.attrs.update({"autocomplete": "off", "spellcheck": "false", "autocapitalize": "off"})


class SignupForm(AllauthSignupForm):
    """allauth's sign-up with a pseudonym, pre-filled with a friendly suggestion to keep or change."""

    pseudonym = PseudonymField(label="Pseudonym")
    field_order = ["pseudonym", "email", "password1", "password2"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("pseudonym", pseudonym_suggest_available())
        self.fields["email"].help_text = "Only used to sign in and reset your password. Never shown to anyone."

    def clean(self) -> dict:
        cleaned_data = super().clean()
        # allauth checks the password against a stand-in user that has no pseudonym yet, so the
        # one name everyone will see is checked here (accounts.passwords does the rest).
        password, pseudonym = cleaned_data.get("password1"), cleaned_data.get("pseudonym")
        if password and pseudonym and password_close_to_pseudonym(password=password, pseudonym=pseudonym):
            self.add_error("password1", PSEUDONYM_TOO_CLOSE)
        return cleaned_data

    def clean_pseudonym(self) -> str:
        pseudonym = self.cleaned_data["pseudonym"].strip()
        conflict = pseudonym_conflict(pseudonym=pseudonym)
        if conflict:
            raise forms.ValidationError(conflict)
        return pseudonym


class PseudonymForm(forms.Form):
    pseudonym = PseudonymField(label="Your pseudonym")


class _LimitedCodeMixin:
    """Wrong codes from an authenticator app (or recovery codes) are counted like wrong passwords,
    per (account, address) and per address (accounts/limits.py): six digits must not be guessable
    by trying them all, and nobody elsewhere can keep the member out."""

    def clean_code(self) -> str:
        request = allauth_context.request
        account, address = f"second-factor:{self.user.pk}", client_address(request)
        paused = limits.signin_paused(account=account, address=address)
        if paused is not None:
            raise forms.ValidationError(
                "Several codes in a row didn't work, so this step is paused for a little while. "
                f"Please try again in {paused.wait_words}.",
                code="paused",
            )
        try:
            code = super().clean_code()
        except forms.ValidationError:
            limits.signin_failed(account=account, address=address)
            raise
        limits.signin_succeeded(account=account, address=address)
        return code


class SecondFactorCodeForm(_LimitedCodeMixin, AuthenticateForm):
    """The code step of signing in."""


class SecondFactorConfirmForm(_LimitedCodeMixin, ReauthenticateForm):
    """ "Confirm it's you" with a code (staff pages ask for it once per session)."""
