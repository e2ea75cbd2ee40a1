"""Forms for the sponsor: sign the terms and conditions, or decline with a reason.

They validate input only; `hps.sponsor_services` checks the name against the sponsor's account and
whether the application still waits for them.
"""

from django import forms

from core.forms import Field, Layout, NhsukFormHelper, Size, Submit
from hps.sponsor_services import CONFIRM_DECLARATION, ENTER_NAME, ENTER_REASON, NAME_MAX_LENGTH

REASON_MAX_LENGTH = 2000


class SponsorSignForm(forms.Form):
    """The sponsor types their full name and confirms the declaration."""

    full_name = forms.CharField(
        label="Your full name",
        max_length=NAME_MAX_LENGTH,
        help_text="Typing your name here is your signature.",
        error_messages={
            "required": ENTER_NAME,
            "max_length": f"Full name must be {NAME_MAX_LENGTH} characters or fewer",
        },
    )
    confirms = forms.BooleanField(
        label="I support this application and agree to the High Potential Scheme terms and conditions",
        error_messages={"required": CONFIRM_DECLARATION},
    )

    def __init__(self, *args, terms_version: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if terms_version:
            self.fields["confirms"].help_text = f"Terms and conditions version {terms_version}"
        self.helper = NhsukFormHelper(self)
        self.helper.layout = Layout(
            Field.text("full_name", label_size=Size.MEDIUM, autocomplete="name", spellcheck="false"),
            Field.checkboxes("confirms"),
            Submit("Confirm your support and sign", prevent_double_click=True),
        )


class SponsorDeclineForm(forms.Form):
    """The sponsor says why they cannot support the application (the applicant is told)."""

    reason = forms.CharField(
        label="Why can you not sponsor this application?",
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="We will send your reason to the applicant, so that they can name another sponsor.",
        error_messages={
            "required": ENTER_REASON,
            "max_length": f"Reason must be {REASON_MAX_LENGTH} characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(self)
        self.helper.layout = Layout(
            Field.textarea("reason", label_size=Size.MEDIUM, is_page_heading=False),
            Submit("Decline to sponsor", prevent_double_click=True),
        )
