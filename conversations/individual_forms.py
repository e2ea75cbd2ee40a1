"""Forms for the individual's side of Scope for Growth and for following up plan actions.

Forms only validate input; the services in `conversations.services` decide what is allowed.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from conversations.models import DevelopmentAction, FacilitatorRole
from core.forms import DateInputField, Field, Layout, NhsukFormHelper, Size, Submit

YES = "yes"
NO = "no"
YES_NO_CHOICES = [(YES, "Yes"), (NO, "No")]
MESSAGE_MAX_LENGTH = 2000
TEXT_MAX_LENGTH = 10000


def yes_no_initial(value: bool | None) -> str | None:
    """The radio to pre-select for a stored yes/no answer."""
    if value is None:
        return None
    return YES if value else NO


def _yes_no_field(*, label: str, hint: str, error: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=hint,
        choices=YES_NO_CHOICES,
        coerce=lambda value: value == YES,
        widget=forms.RadioSelect,
        error_messages={"required": error, "invalid_choice": error},
    )


def _text_field(
    *, label: str, subject: str, hint: str = "", required: bool = True, error: str = "", max_length: int
) -> forms.CharField:
    """A textarea; `subject` names the answer in the "too long" message ("Comments must be ...")."""
    messages = {"max_length": f"{subject} must be {max_length:,} characters or fewer"}
    if error:
        messages["required"] = error
    return forms.CharField(
        label=label,
        help_text=hint,
        required=required,
        max_length=max_length,
        widget=forms.Textarea,
        error_messages=messages,
    )


class AgreeForm(forms.Form):
    comment = _text_field(
        label="Comments (optional)",
        subject="Comments",
        hint="Anything you want to add to the record. Your comment is kept with this version.",
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(self, label_size=Size.MEDIUM)
        self.helper.layout = Layout(Field.textarea("comment"), Submit("Agree this record"))


class DisagreeForm(forms.Form):
    def __init__(self, *args, facilitator, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"] = _text_field(
            label="What do you not agree with?",
            subject="What you do not agree with",
            hint=f"Say what you think the record should say instead. {facilitator} will see this, "
            "and it stays in the history of this record.",
            error="Enter what you do not agree with",
            max_length=MESSAGE_MAX_LENGTH,
        )
        self.helper = NhsukFormHelper(self, label_size=Size.MEDIUM)
        self.helper.layout = Layout(Field.textarea("comment"), Submit("Send"))


def _also_the_line_manager(conversation) -> str:
    """With a coach, the current line manager may also see the conversation (DESIGN section 5)."""
    if conversation.facilitator_role == FacilitatorRole.COACH:
        return ", and so can your line manager if they can see this conversation"
    return ""


class ReflectionForm(forms.Form):
    def __init__(self, *args, conversation, **kwargs):
        super().__init__(*args, **kwargs)
        facilitator = conversation.facilitator
        self.fields["reflection"] = _text_field(
            label="Your reflection",
            subject="Your reflection",
            hint="You might think about what you are good at and enjoy, what you would like to do more of, "
            "where you would like to be in a few years and what might be holding you back.",
            error="Enter your reflection",
            max_length=TEXT_MAX_LENGTH,
        )
        self.fields["is_shared"] = _yes_no_field(
            label=f"Share your reflection with {facilitator}?",
            hint=f"If you choose yes, {facilitator} can read it before your conversation"
            f"{_also_the_line_manager(conversation)}. If you choose no, only you can read it.",
            error=f"Select yes if you want to share your reflection with {facilitator}",
        )
        self.helper = NhsukFormHelper(self, label_size=Size.MEDIUM, legend_size=Size.MEDIUM)
        self.helper.layout = Layout(
            Field.textarea("reflection", rows=8), Field.radios("is_shared", inline=True), Submit("Save")
        )


class WellbeingNotesForm(forms.Form):
    def __init__(self, *args, conversation, **kwargs):
        super().__init__(*args, **kwargs)
        facilitator = conversation.facilitator
        self.fields["notes"] = _text_field(
            label="Your wellbeing notes",
            subject="Your wellbeing notes",
            hint="Your own notes about your health and wellbeing. They are not part of the record.",
            error="Enter your wellbeing notes",
            max_length=TEXT_MAX_LENGTH,
        )
        self.fields["is_shared"] = _yes_no_field(
            label=f"Share your wellbeing notes with {facilitator}?",
            hint=f"If you choose no, only you can read them. If you choose yes, {facilitator} can read them"
            f"{_also_the_line_manager(conversation)}.",
            error=f"Select yes if you want to share your wellbeing notes with {facilitator}",
        )
        self.helper = NhsukFormHelper(self, label_size=Size.MEDIUM, legend_size=Size.MEDIUM)
        self.helper.layout = Layout(
            Field.textarea("notes", rows=8), Field.radios("is_shared", inline=True), Submit("Save")
        )


class ConversationRequestForm(forms.Form):
    message = _text_field(
        label="What would you like to talk about? (optional)",
        subject="Your message",
        hint="Your line manager will see this in their notifications.",
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(self, label_size=Size.MEDIUM)
        self.helper.layout = Layout(Field.textarea("message"), Submit("Ask for a conversation"))


class CoachConversationForm(forms.Form):
    def __init__(self, *args, coaches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coach"] = forms.ModelChoiceField(
            label="Who would you like to have your conversation with?",
            queryset=coaches,
            empty_label=None,
            widget=forms.RadioSelect,
            error_messages={"required": "Select a coach", "invalid_choice": "Select a coach from the list"},
        )
        self.fields["planned_for"] = DateInputField(
            label="When would you like to have the conversation?",
            help_text="For example, 15 3 2027. The coach can agree another date with you.",
            error_messages={
                "required": "Enter the date of the conversation",
                "incomplete": "Date of the conversation must include a %(missing)s",
                "invalid": "Date of the conversation must be a real date",
                "invalid_year": "Year must include 4 numbers",
            },
        )
        self.helper = NhsukFormHelper(self, legend_size=Size.MEDIUM)
        self.helper.layout = Layout(
            Field.radios("coach"), Field.date("planned_for"), Submit("Plan the conversation")
        )

    def clean_planned_for(self):
        planned_for = self.cleaned_data["planned_for"]
        if planned_for < timezone.localdate():
            raise ValidationError("Date of the conversation must be today or in the future")
        return planned_for


class GrowthSharingForm(forms.Form):
    is_history_shared_with_new_managers = _yes_no_field(
        label="Can a new line manager see records you made with a previous manager?",
        hint="Your line manager can always see the conversations they have with you and any held since "
        "they became your line manager. A previous line manager cannot see your records after you move.",
        error="Select yes if a new line manager can see records you made with a previous manager",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(self, legend_size=Size.MEDIUM)
        self.helper.layout = Layout(
            Field.radios("is_history_shared_with_new_managers"), Submit("Save your choice")
        )


class ActionProgressForm(forms.Form):
    note = _text_field(
        label="What progress has been made?",
        subject="Your progress note",
        hint="For example, what you did, what you learnt and what happens next.",
        error="Enter what progress has been made",
        max_length=MESSAGE_MAX_LENGTH,
    )
    status = forms.ChoiceField(
        label="Where is this action now?",
        choices=DevelopmentAction.Status.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the status of the action",
            "invalid_choice": "Select the status of the action",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(self, label_size=Size.MEDIUM, legend_size=Size.MEDIUM)
        self.helper.layout = Layout(Field.textarea("note"), Field.radios("status"), Submit("Save progress"))


class ConfirmForm(forms.Form):
    """A form with no fields, for confirming an action such as cancelling a conversation."""

    def __init__(self, *args, button: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(self)
        self.helper.layout = Layout(Submit(button))
