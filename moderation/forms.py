from django import forms

from forum.models import ContentNote, Rule


class RuleAndReasonForm(forms.Form):
    """Every moderator action cites a guideline and says why (CMO 16)."""

    rule = forms.ModelChoiceField(
        queryset=Rule.objects.filter(is_active=True), label="Guideline", empty_label="Choose the guideline this follows"
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text="A short, kind explanation. The author may see it.",
    )


class ContentNotesForm(RuleAndReasonForm):
    post_notes = forms.ModelMultipleChoiceField(
        queryset=ContentNote.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Notes on this post",
    )

    def __init__(self, *args, with_thread: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if with_thread:
            self.fields["thread_notes"] = forms.ModelMultipleChoiceField(
                queryset=ContentNote.objects.filter(is_active=True),
                widget=forms.CheckboxSelectMultiple,
                required=False,
                label="Notes on the whole thread",
            )
        self.order_fields(["thread_notes", "post_notes", "rule", "reason"])
