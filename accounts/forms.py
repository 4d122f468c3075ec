from __future__ import annotations

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms

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

    def clean_pseudonym(self) -> str:
        pseudonym = self.cleaned_data["pseudonym"].strip()
        conflict = pseudonym_conflict(pseudonym=pseudonym)
        if conflict:
            raise forms.ValidationError(conflict)
        return pseudonym


class PseudonymForm(forms.Form):
    pseudonym = PseudonymField(label="Your pseudonym")
