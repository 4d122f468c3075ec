from django import forms

from forum.models import ContentNote, Rule


class DistinctIdsForm(forms.Form):
    """Several of these forms share one page (an item page has a post, thread, member, dismiss and
    reach-out form), so each kind draws its inputs' ids with its own prefix: every label then
    points at its own form's field. Field names, and so what the views read, are unchanged."""

    id_prefix = ""

    def __init__(self, *args, **kwargs) -> None:
        if self.id_prefix:
            kwargs.setdefault("auto_id", f"id_{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


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


# Actions whose form must cite a guideline (restricting ones); the others may cite one.
RULE_REQUIRED = {"hold", "hide", "request_edit", "lock", "move", "warn", "mute", "suspend", "ban"}


class ActionForm(DistinctIdsForm):
    """One form per target (post, thread, member): what to do, the guideline, and why.

    Kept to radio buttons and plain fields so it works without JavaScript and keeps what was typed.
    """

    ACTIONS: list[tuple[str, str]] = []

    action = forms.ChoiceField(label="What to do", widget=forms.RadioSelect)
    rule = forms.ModelChoiceField(
        queryset=Rule.objects.filter(is_active=True),
        label="Guideline",
        required=False,
        empty_label="Choose the guideline this follows",
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text="A short, kind explanation in your own words. The member reads it in their statement of reasons.",
    )
    item = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = self.ACTIONS

    def clean(self):
        data = super().clean()
        if data.get("action") in RULE_REQUIRED and not data.get("rule"):
            self.add_error("rule", "Please choose the guideline this action follows.")
        return data


class PostActionForm(ActionForm):
    id_prefix = "post"
    ACTIONS = [
        ("approve", "Approve: publish it for everyone"),
        ("hide", "Hide it (the author still sees it, with your reason)"),
        ("request_edit", "Ask the author for an edit (hidden until they edit, then read again)"),
        ("hold", "Hold it for review"),
        ("restore", "Restore it"),
    ]


class ThreadActionForm(ActionForm):
    id_prefix = "thread"
    ACTIONS = [
        ("lock", "Lock (no new replies)"),
        ("unlock", "Unlock"),
        ("pin", "Pin to the top"),
        ("unpin", "Unpin"),
        ("move", "Move to another space"),
    ]
    subforum = forms.ModelChoiceField(queryset=None, required=False, label="Move to")

    def __init__(self, *args, **kwargs) -> None:
        from forum.models import Subforum

        super().__init__(*args, **kwargs)
        self.fields["subforum"].queryset = Subforum.objects.all()

    def clean(self):
        data = super().clean()
        if data.get("action") == "move" and not data.get("subforum"):
            self.add_error("subforum", "Please choose where the thread should go.")
        return data


class MemberActionForm(ActionForm):
    id_prefix = "member"
    ACTIONS = [
        ("warn", "Warn"),
        ("mute", "Read-only for a while"),
        ("suspend", "Suspend for a while"),
        ("ban", "Ban from posting"),
    ]
    days = forms.IntegerField(
        label="For how many days", min_value=1, max_value=365, required=False, help_text="For read-only and suspension."
    )

    def clean(self):
        data = super().clean()
        if data.get("action") in {"mute", "suspend"} and not data.get("days"):
            self.add_error("days", "Please say for how many days.")
        return data


class DismissForm(DistinctIdsForm):
    id_prefix = "dismiss"
    rule = forms.ModelChoiceField(queryset=Rule.objects.filter(is_active=True), label="Guideline", required=False)
    reason = forms.CharField(label="Why no action is needed", widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


class AppealDecisionForm(DistinctIdsForm):
    id_prefix = "appeal"
    decision = forms.ChoiceField(
        label="Decision",
        widget=forms.RadioSelect,
        choices=[("uphold", "Uphold the decision"), ("reverse", "Reverse it (restores exactly what was changed)")],
    )
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)


class ReachOutForm(DistinctIdsForm):
    id_prefix = "reach_out"
    note = forms.CharField(
        label="Your personal note",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1500,
        help_text="Sent privately with the help page's crisis resources. The post is not touched.",
    )
    item = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ModeratorEditForm(RuleAndReasonForm):
    body = forms.CharField(label="Post text", widget=forms.Textarea(attrs={"rows": 10}))
    title = forms.CharField(label="Thread title", required=False, max_length=300)


class TemplateReplyForm(forms.Form):
    template = forms.ModelChoiceField(queryset=None, label="Saved reply", empty_label="Choose a saved reply")

    def __init__(self, *args, **kwargs) -> None:
        from moderation.models import ReplyTemplate

        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = ReplyTemplate.objects.filter(is_active=True)


AT_RISK = "at_risk"


class ReportForm(forms.Form):
    """A member's report: a guideline, or "someone may be at risk", and optional words."""

    concern = forms.ChoiceField(label="What's the concern?", widget=forms.RadioSelect)
    words = forms.CharField(
        label="Anything you'd like the moderators to know (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [(AT_RISK, "Someone may be at risk")]
        choices += [(str(rule.pk), f"{rule.code}: {rule.title}") for rule in Rule.objects.filter(is_active=True)]
        self.fields["concern"].choices = choices

    def rule_and_risk(self) -> tuple[Rule | None, bool]:
        concern = self.cleaned_data["concern"]
        if concern == AT_RISK:
            return None, True
        return Rule.objects.get(pk=int(concern)), False


class AppealForm(forms.Form):
    words = forms.CharField(
        label="Why should this be looked at again?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="A different moderator will read it.",
    )


class EmailRevealForm(DistinctIdsForm):
    id_prefix = "email"
    reason = forms.CharField(label="Why you need the email address", max_length=300)


class QueueFilterForm(forms.Form):
    kind = forms.ChoiceField(required=False, label="Kind")
    subforum = forms.IntegerField(required=False, label="Space", widget=forms.Select)
    status = forms.ChoiceField(
        required=False,
        label="Status",
        choices=[("", "Open and claimed"), ("open", "Open"), ("claimed", "Claimed"), ("resolved", "Resolved")],
    )
    mine = forms.BooleanField(required=False, label="Only items I claimed")

    def __init__(self, *args, subforums=(), **kwargs) -> None:
        from moderation.models import ReviewItem

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Every kind"), *ReviewItem.Kind.choices]
        self.fields["subforum"].widget.choices = [("", "Every space"), *[(s.pk, s.name) for s in subforums]]
