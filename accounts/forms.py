from __future__ import annotations

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms

from accounts.passwords import PSEUDONYM_TOO_CLOSE, password_close_to_pseudonym
from accounts.pseudonyms import MAX_LENGTH, validate_pseudonym
from accounts.selectors import pseudonym_is_taken
from accounts.services import PSEUDONYM_TAKEN, pseudonym_suggest_available

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
        if pseudonym_is_taken(pseudonym=pseudonym):
            raise forms.ValidationError(PSEUDONYM_TAKEN)
        return pseudonym


class PseudonymForm(forms.Form):
    pseudonym = PseudonymField(label="Your pseudonym")
