from __future__ import annotations

from django import forms

from notifications.kinds import KINDS, Delivery


class PreferencesForm(forms.Form):
    """One choice per kind of notification: off, in Hearth, or also by email (at once or daily)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for kind, info in KINDS.items():
            choices = [(value, label) for value, label in Delivery.choices if info.can_turn_off or value != "off"]
            self.fields[kind] = forms.ChoiceField(label=info.label, choices=choices, widget=forms.RadioSelect)
