"""The career coach's form for a coaching session. It validates input only: `hps.coaching_services`
applies the rules (dates within the scheme and not in the future, sessions of up to 2 hours).
"""

from django import forms

from core.forms import DateInputField, Field, Layout, NhsukFormHelper, Size, Submit
from hps.coaching_services import (
    ACTIONS_TOO_LONG,
    DURATION_NOT_NUMBER,
    DURATION_TOO_LONG,
    DURATION_TOO_SHORT,
    ENTER_DURATION,
    ENTER_HELD_ON,
    MAX_MINUTES,
    NOTES_MAX_LENGTH,
    NOTES_TOO_LONG,
)


class CoachingSessionForm(forms.Form):
    """Date, length, private notes and agreed actions of one session."""

    held_on = DateInputField(
        label="Date of the session",
        help_text="For example, 15 3 2027",
        error_messages={
            "required": ENTER_HELD_ON,
            "incomplete": "Date of the session must include a %(missing)s",
            "invalid": "Date of the session must be a real date",
            "invalid_year": "Year must include 4 numbers",
        },
    )
    duration_minutes = forms.IntegerField(
        label="How long did the session last, in minutes?",
        help_text=f"A session can last up to {MAX_MINUTES} minutes (2 hours). For example, 90",
        min_value=1,
        max_value=MAX_MINUTES,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": ENTER_DURATION,
            "invalid": DURATION_NOT_NUMBER,
            "min_value": DURATION_TOO_SHORT,
            "max_value": DURATION_TOO_LONG,
        },
    )
    notes = forms.CharField(
        label="Notes",
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"max_length": NOTES_TOO_LONG},
    )
    agreed_actions = forms.CharField(
        label="Agreed actions",
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": ACTIONS_TOO_LONG},
    )

    def __init__(self, *args, participant, submit_text="Save session", **kwargs):
        super().__init__(*args, **kwargs)
        name = str(participant.user)
        self.fields["notes"].help_text = f"Only you and {name} can see these notes."
        self.fields[
            "agreed_actions"
        ].help_text = (
            f"What you and {name} agreed to do before the next session. Only you and {name} can see these."
        )
        self.helper = NhsukFormHelper(self, label_size=Size.MEDIUM, legend_size=Size.MEDIUM)
        self.helper.layout = Layout(
            Field.date("held_on"),
            Field.text("duration_minutes", width=3),
            Field.textarea("notes"),
            Field.textarea("agreed_actions"),
            Submit(submit_text, prevent_double_click=True),
        )
