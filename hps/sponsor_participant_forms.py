"""The sponsor's form for logging a sponsor meeting. It validates input only: `hps.meeting_services`
applies the rules (a date within the scheme, not in the future, not logged already).
"""

from django import forms

from core.forms import DateInputField, Field, Layout, NhsukFormHelper, Size, Submit
from hps.meeting_services import ENTER_MEETING_DATE

NOTES_MAX_LENGTH = 10_000


class SponsorMeetingForm(forms.Form):
    """The date of a meeting with the participant, and optional notes both of them can read."""

    held_on = DateInputField(
        label="Date of the meeting",
        help_text="For example, 15 3 2027",
        error_messages={
            "required": ENTER_MEETING_DATE,
            "incomplete": "Date of the meeting must include a %(missing)s",
            "invalid": "Date of the meeting must be a real date",
            "invalid_year": "Year must include 4 numbers",
        },
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"max_length": f"Notes must be {NOTES_MAX_LENGTH:,} characters or fewer"},
    )

    def __init__(self, *args, participant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "notes"
        ].help_text = f"What you talked about and agreed. {participant.user} can read these notes too."
        self.helper = NhsukFormHelper(self, label_size=Size.MEDIUM, legend_size=Size.MEDIUM)
        self.helper.layout = Layout(
            Field.date("held_on"),
            Field.textarea("notes"),
            Submit("Log the meeting", prevent_double_click=True),
        )
