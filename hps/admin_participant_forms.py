"""Forms for the HPS administrator's participant pages. They validate input only:
`hps.participant_admin_services` applies the rules (dates within the scheme, who may be assigned).

Choices come from the selectors (current coaches, the cohort's participants), so a forged id outside
them is not a valid choice.
"""

from django import forms

from core.forms import DateInputField, Field, Layout, NhsukFormHelper, Size, Submit
from hps.models import FinalPanel, ReadinessAssessment
from hps.participant_admin_services import (
    FEEDBACK_MAX_LENGTH,
    PANEL_MEMBERS_MAX_LENGTH,
    REASON_MAX_LENGTH,
    REASON_TOO_LONG,
    SELECT_COACH,
    WORKSHOP_TITLE_MAX_LENGTH,
    completion_exception_missing,
)

EMAIL_FORMAT = "Enter an email address in the correct format, like name@nhs.net"


def _date_field(label: str, required_message: str, hint: str) -> DateInputField:
    return DateInputField(
        label=label,
        help_text=hint,
        error_messages={
            "required": required_message,
            "incomplete": f"{label} must include a %(missing)s",
            "invalid": f"{label} must be a real date",
            "invalid_year": "Year must include 4 numbers",
        },
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj} ({obj.email})" if obj.get_full_name() else obj.email


class CoachForm(forms.Form):
    coach = PersonChoiceField(
        label="Career coach",
        queryset=None,
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": SELECT_COACH, "invalid_choice": SELECT_COACH},
    )

    def __init__(self, *args, coaches, participant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = coaches
        self.fields["coach"].label = f"Who is {participant.user}'s career coach?"
        self.fields["coach"].help_text = "People with the career coach role in this service."
        self.helper = NhsukFormHelper(self)
        self.helper.layout = Layout(
            Field.radios("coach", is_page_heading=True), Submit("Save coach", prevent_double_click=True)
        )


class PersonEmailForm(forms.Form):
    """The email address of someone who already has an account: a sponsor or a mentor or buddy."""

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={"invalid": EMAIL_FORMAT, "max_length": EMAIL_FORMAT},
    )

    def __init__(self, *args, what: str, participant, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["email"]
        field.label = f"What is the email address of {participant.user}'s {what}?"
        field.help_text = "They must already have an account in this service."
        field.error_messages["required"] = f"Enter the {what}'s email address"
        field.widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        self.helper = NhsukFormHelper(self)
        self.helper.layout = Layout(
            Field.text("email", is_page_heading=True),
            Submit(f"Save {what}", prevent_double_click=True),
        )


class ReadinessNeedForm(forms.Form):
    is_needed = forms.TypedChoiceField(
        coerce=lambda value: value == "yes",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, participant, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["is_needed"]
        field.label = f"Does {participant.user} need a readiness assessment?"
        field.help_text = (
            "Some aspirations need one towards the end of the scheme. It is then needed to complete."
        )
        message = f"Select yes if {participant.user} needs a readiness assessment"
        field.error_messages.update({"required": message, "invalid_choice": message})
        self.helper = NhsukFormHelper(self, legend_size=Size.MEDIUM)
        self.helper.layout = Layout(
            Field.radios("is_needed", inline=True), Submit("Save", prevent_double_click=True)
        )


class ReadinessAssessmentForm(forms.Form):
    assessed_on = _date_field(
        "Date of the assessment", "Enter the date of the assessment", "For example, 3 11 2028"
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=ReadinessAssessment.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the outcome of the assessment",
            "invalid_choice": "Select the outcome of the assessment",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(self, legend_size=Size.MEDIUM)
        self.helper.layout = Layout(
            Field.date("assessed_on"),
            Field.radios("outcome"),
            Submit("Record the assessment", prevent_double_click=True),
        )


#: Pausing, withdrawing and resuming: the question asked and the button.
STATUS_ACTIONS = {
    "pause": ("Why is {name} pausing their place?", "Pause their place"),
    "withdraw": ("Why is {name} withdrawing from the scheme?", "Withdraw from the scheme"),
    "resume": ("Why is {name} resuming their place?", "Resume their place"),
}

STATUS_REASON_MISSING = {
    "pause": "Enter why {name} is pausing their place",
    "withdraw": "Enter why {name} is withdrawing from the scheme",
    "resume": "Enter why {name} is resuming their place",
}


class StatusReasonForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=REASON_MAX_LENGTH,
        error_messages={"max_length": REASON_TOO_LONG},
    )

    def __init__(self, *args, action: str, participant, **kwargs):
        super().__init__(*args, **kwargs)
        question, button = STATUS_ACTIONS[action]
        field = self.fields["reason"]
        field.label = question.format(name=participant.user)
        field.help_text = f"{participant.user} will see this reason."
        field.error_messages["required"] = STATUS_REASON_MISSING[action].format(name=participant.user)
        self.helper = NhsukFormHelper(self)
        self.helper.layout = Layout(
            Field.textarea("reason", is_page_heading=True), Submit(button, prevent_double_click=True)
        )


class CompleteForm(forms.Form):
    """Confirms completion. When a requirement is unmet it asks for the exception reason."""

    def __init__(self, *args, participant, is_complete: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_complete:
            self.fields["exception_reason"] = forms.CharField(
                label=f"Why is {participant.user} completing without meeting every requirement?",
                help_text="We keep this as the reason for an exception to the scheme's requirements.",
                widget=forms.Textarea(attrs={"rows": 5}),
                max_length=REASON_MAX_LENGTH,
                error_messages={
                    "required": completion_exception_missing(participant),
                    "max_length": REASON_TOO_LONG,
                },
            )
        self.helper = NhsukFormHelper(self, label_size=Size.MEDIUM)
        fields = [] if is_complete else [Field.textarea("exception_reason")]
        self.helper.layout = Layout(*fields, Submit("Mark as complete", prevent_double_click=True))


class WorkshopForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=WORKSHOP_TITLE_MAX_LENGTH,
        help_text="For example, Leading inclusively and with compassion",
        error_messages={
            "required": "Enter the title of the workshop",
            "max_length": f"Title must be {WORKSHOP_TITLE_MAX_LENGTH} characters or fewer",
        },
    )
    held_on = _date_field("Date of the workshop", "Enter the date of the workshop", "For example, 14 9 2027")
    is_core = forms.TypedChoiceField(
        label="Is it a core or a local workshop?",
        help_text="Every participant needs to attend the core workshops to complete the scheme.",
        coerce=lambda value: value == "core",
        choices=[("core", "Core workshop"), ("local", "Local workshop")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether it is a core or a local workshop",
            "invalid_choice": "Select whether it is a core or a local workshop",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(self, label_size=Size.MEDIUM, legend_size=Size.MEDIUM)
        self.helper.layout = Layout(
            Field.text("title"),
            Field.date("held_on"),
            Field.radios("is_core"),
            Submit("Schedule the workshop", prevent_double_click=True),
        )


class ParticipantsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(obj.user)


class AttendanceForm(forms.Form):
    participants = ParticipantsChoiceField(
        label="Who attended?",
        help_text="Select everyone who attended. Clear anyone who did not.",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Select people from this cohort",
            "invalid_pk_value": "Select people from this cohort",
            "invalid_list": "Select people from this cohort",
        },
    )

    def __init__(self, *args, participants, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["participants"]
        field.queryset = participants
        self.helper = NhsukFormHelper(self, legend_size=Size.MEDIUM)
        self.helper.layout = Layout(
            Field.checkboxes("participants"), Submit("Save attendance", prevent_double_click=True)
        )


class FinalPanelForm(forms.Form):
    held_on = _date_field("Date of the panel", "Enter the date of the panel", "For example, 9 2 2029")
    panel_members = forms.CharField(
        label="Panel members",
        help_text="One name and role per line, for example Dr Ada Okafor, chief executive",
        max_length=PANEL_MEMBERS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Enter the panel members, one per line",
            "max_length": f"Panel members must be {PANEL_MEMBERS_MAX_LENGTH:,} characters or fewer",
        },
    )

    def __init__(self, *args, is_rescheduling: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(self, label_size=Size.MEDIUM, legend_size=Size.MEDIUM)
        button = "Save the new date and panel" if is_rescheduling else "Schedule the panel"
        self.helper.layout = Layout(
            Field.date("held_on"), Field.textarea("panel_members"), Submit(button, prevent_double_click=True)
        )


class PanelOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=FinalPanel.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the outcome of the panel",
            "invalid_choice": "Select the outcome of the panel",
        },
    )
    feedback = forms.CharField(
        label="The panel's feedback",
        help_text="The participant will see this.",
        max_length=FEEDBACK_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": "Enter the panel's feedback",
            "max_length": f"Feedback must be {FEEDBACK_MAX_LENGTH:,} characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(self, label_size=Size.MEDIUM, legend_size=Size.MEDIUM)
        self.helper.layout = Layout(
            Field.radios("outcome"),
            Field.textarea("feedback"),
            Submit("Record the outcome", prevent_double_click=True),
        )


class ProgressFilterForm(forms.Form):
    behind = forms.BooleanField(label="Only people who are behind", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(self)
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Field.checkboxes("behind", small=True), Submit("Apply filter", secondary=True)
        )
