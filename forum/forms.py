"""Forms validate what a member typed; services act. Nothing is lost on an error: a bound form
re-renders with every field as typed.
"""

from __future__ import annotations

import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from forum.models import ContentNote
from forum.selectors import active_content_notes
from forum.validation import clean_body, clean_title

NOTES_HELP = (
    "A content note lets others choose whether to read about this now. "
    "It never hides your words from people who want to support you."
)
GUIDELINES_LABEL = "I have read the community guidelines and will follow them"


class NotesField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "Content notes (optional)")
        kwargs.setdefault("help_text", NOTES_HELP)
        super().__init__(queryset=ContentNote.objects.filter(is_active=True), **kwargs)


class BodyField(forms.CharField):
    def __init__(self, **kwargs) -> None:
        # No max_length on the field itself: the service's message ("under N characters, this one
        # has M") is kinder than Django's, and the browser must not cut the text silently.
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 10}))
        kwargs.setdefault("strip", False)
        kwargs.setdefault("required", False)  # clean_body's message is kinder than "This field is required"
        kwargs.setdefault("help_text", "You can use Markdown: *italic*, **bold**, > quote, - lists.")
        super().__init__(**kwargs)


class TextChecksMixin:
    """Run the services' own checks while the form validates, so every problem shows at once."""

    def clean_title(self):
        try:
            return clean_title(self.cleaned_data.get("title", ""))
        except ValidationError as error:
            raise forms.ValidationError(error.message_dict["title"]) from None

    def clean_body(self):
        try:
            return clean_body(self.cleaned_data.get("body", ""))
        except ValidationError as error:
            raise forms.ValidationError(error.message_dict["body"]) from None


class GuidelinesMixin(forms.Form):
    """Adds a guidelines checkbox to the composer for members who have not accepted them yet,
    so they can accept and post in one step without losing what they wrote."""

    def __init__(self, *args, ask_guidelines: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if ask_guidelines:
            self.fields["accept_guidelines"] = forms.BooleanField(
                label=GUIDELINES_LABEL,
                required=True,
                error_messages={"required": "Please read the guidelines and tick the box to post."},
            )


class GuidelinesAcceptForm(forms.Form):
    accept = forms.BooleanField(
        label=GUIDELINES_LABEL,
        error_messages={"required": "Please tick the box to accept the guidelines, or skip this step for now."},
    )


class SubmissionTokenMixin(forms.Form):
    """A hidden single-use token, new each time an empty composer is drawn, so a repeated
    submission of the same form (double click, retry) returns the post it already made."""

    submission_token = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_token", uuid.uuid4())


class ThreadForm(TextChecksMixin, SubmissionTokenMixin, GuidelinesMixin):
    title = forms.CharField(
        label="Title",
        required=False,  # the shared check gives the kinder message
        strip=True,
        help_text="A few words that tell others what you'd like to talk about.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    body = BodyField(label="Your post")
    notes = NotesField()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].widget.attrs["maxlength"] = str(settings.HEARTH_MAX_TITLE_LENGTH * 2)


class ReplyForm(TextChecksMixin, SubmissionTokenMixin, GuidelinesMixin):
    body = BodyField(label="Your reply")
    notes = NotesField()


class EditForm(TextChecksMixin, forms.Form):
    title = forms.CharField(label="Title", required=False)
    body = BodyField(label="Post")
    notes = NotesField()

    def __init__(self, *args, with_title: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not with_title:
            del self.fields["title"]


class NotePreferencesForm(forms.Form):
    """One show / collapse / hide choice per content note."""

    CHOICES = [("show", "Show"), ("collapse", "Collapse behind a notice"), ("hide", "Hide completely")]

    def __init__(self, *args, displays: dict[int, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.notes = active_content_notes()
        for note in self.notes:
            self.fields[f"note_{note.pk}"] = forms.ChoiceField(
                label=note.name,
                choices=self.CHOICES,
                initial=displays.get(note.pk, note.default_display),
                widget=forms.RadioSelect,
                help_text=note.description,
            )

    def displays(self) -> dict[int, str]:
        return {note.pk: self.cleaned_data[f"note_{note.pk}"] for note in self.notes}


class VolunteeringForm(forms.Form):
    """Where a member offers to help: which subforums (helper), and greeting newcomers (welcomer)."""

    helper_subforums = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Help in these spaces",
        help_text="When a thread here has waited a while with no reply, we'll let you know (a few times a day).",
    )
    welcomer = forms.BooleanField(
        required=False,
        label="Welcome new members",
        help_text="When someone's introduction has had no reply for a while, we'll let you know.",
    )

    def __init__(self, *args, subforums, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["helper_subforums"].choices = [(s.pk, s.name) for s in subforums]
