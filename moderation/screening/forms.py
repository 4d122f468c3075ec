"""Admin forms: a rule is checked by the engine before it can be saved."""

from __future__ import annotations

from django import forms

from .engine import check_rule
from .models import ScreeningRule
from .types import RuleSpec


class ScreeningRuleForm(forms.ModelForm):
    class Meta:
        model = ScreeningRule
        fields = ("name", "category", "level", "role", "kind", "value", "enabled", "note")
        widgets = {"value": forms.TextInput(attrs={"size": 80})}

    def clean(self) -> dict:
        data = super().clean()
        needed = ("name", "category", "level", "role", "kind", "value")
        if any(not data.get(f) for f in needed):
            return data  # the missing field already has its own error
        spec = RuleSpec(
            name=data["name"],
            category=data["category"],
            level=data["level"],
            value=data["value"],
            kind=data["kind"],
            role=data["role"],
        )
        for problem in check_rule(spec):
            field = "value" if ("pattern" in problem or "term" in problem) else None
            self.add_error(field, f"This rule cannot be used: {problem}.")
        return data


class TryRulesForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8, "cols": 90}),
        max_length=20000,
        help_text="Paste a post. Nothing is saved.",
    )
