from __future__ import annotations

from django import forms

MODE_CHOICES = [
    (
        "erase",
        "Erase my posts and threads. Where others replied, a note says “removed at the author's request”, "
        "so their replies still make sense.",
    ),
    ("keep", "Keep my posts for others to read, shown under “Former member” instead of my pseudonym."),
]


class ErasureRequestForm(forms.Form):
    """A member asks to delete their account: what happens to their posts, and their password
    as the second confirmation (someone at an unlocked screen cannot do it)."""

    mode = forms.ChoiceField(label="What should happen to your posts?", choices=MODE_CHOICES, widget=forms.RadioSelect)
    password = forms.CharField(
        label="Your password, to confirm it is you",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That password doesn't match. Please try again; nothing has been changed.")
        return password


class AdminErasureForm(forms.Form):
    """An admin erases an account at once: the same choice, a reason for the log, and the
    pseudonym typed again so the wrong account is not erased by a slip."""

    mode = forms.ChoiceField(label="The member's posts", choices=MODE_CHOICES, widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Why (kept in the moderation log)",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: the member asked by email. Please don't include an email address.",
    )
    confirm_pseudonym = forms.CharField(label="Type the member's pseudonym to confirm", max_length=60)

    def __init__(self, *args, member, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.member = member

    def clean_confirm_pseudonym(self) -> str:
        typed = self.cleaned_data["confirm_pseudonym"].strip()
        if typed != self.member.pseudonym:
            raise forms.ValidationError("That is not this member's pseudonym. Nothing has been erased.")
        return typed
