"""Forms for HPS administrators. They validate input only: `hps.admin_services` applies the rules.

Choices (ICSs, pay bands, organisations) come from the selectors, so a forged value outside them is
simply not a valid choice.
"""

from django import forms

from accounts.models import IntegratedCareSystem, Organisation, PayBand
from core.csv_upload import CsvUploadForm
from core.forms import DateInputField, Field, Layout, NhsukFormHelper, Size, Submit
from hps.admin_selectors import QUEUE_STATUSES, SORT_ORDERS
from hps.admin_services import (
    CAPACITY_MAX,
    ENTER_COMPLETED_ON,
    ENTER_RESULT,
    NAME_MAX_LENGTH,
    REASON_REQUIRED,
    RESULT_MAX_LENGTH,
    RESULT_TOO_LONG,
    TERMS_VERSION_MAX_LENGTH,
)
from hps.models import DevelopmentStream

#: The bands most intakes take, ticked when a cohort is created: Agenda for Change 8a to 8d.
DEFAULT_BAND_CODES = ("AFC8A", "AFC8B", "AFC8C", "AFC8D")


#: The largest CSV of assessment results accepted, in bytes.
class NameChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


def _date_field(label: str, what: str, hint: str) -> DateInputField:
    return DateInputField(
        label=label,
        help_text=hint,
        error_messages={
            "required": f"Enter the date {what}",
            "incomplete": f"{label} must include a %(missing)s",
            "invalid": f"{label} must be a real date",
            "invalid_year": "Year must include 4 numbers",
        },
    )


class CohortForm(forms.Form):
    """A cohort's settings, for creating it or changing it."""

    name = forms.CharField(
        label="Name of the cohort",
        max_length=NAME_MAX_LENGTH,
        help_text="For example, Staffordshire and Stoke-on-Trent November 2026 intake",
        error_messages={
            "required": "Enter a name for the cohort",
            "max_length": f"Name must be {NAME_MAX_LENGTH} characters or fewer",
        },
    )
    integrated_care_systems = NameChoiceField(
        label="ICS footprint",
        help_text="Select each integrated care system whose staff may apply.",
        queryset=IntegratedCareSystem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one integrated care system",
            "invalid_choice": "Select integrated care systems from the list",
            "invalid_pk_value": "Select integrated care systems from the list",
            "invalid_list": "Select integrated care systems from the list",
        },
    )
    eligible_pay_bands = NameChoiceField(
        label="Eligible pay bands",
        help_text=(
            "Most intakes are for bands 8a to 8d. Some take 8a to 8c, and some take local authority "
            "grades or other equivalent pay structures."
        ),
        queryset=PayBand.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one pay band",
            "invalid_choice": "Select pay bands from the list",
            "invalid_pk_value": "Select pay bands from the list",
            "invalid_list": "Select pay bands from the list",
        },
    )
    opens_on = _date_field("Applications open", "applications open", "For example, 1 9 2026")
    closes_on = _date_field("Applications close", "applications close", "For example, 30 9 2026")
    starts_on = _date_field(
        "Scheme starts", "the scheme starts", "The scheme lasts 24 months. For example, 1 11 2026"
    )
    capacity = forms.IntegerField(
        label="Number of places",
        min_value=1,
        max_value=CAPACITY_MAX,
        help_text="Intakes usually have about 20 places.",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter the number of places",
            "invalid": "Number of places must be a whole number, like 20",
            "min_value": "Number of places must be 1 or more",
            "max_value": f"Number of places must be {CAPACITY_MAX} or fewer",
        },
    )
    terms_text = forms.CharField(
        label="Terms and conditions",
        help_text="Applicants and their sponsors read and sign this text.",
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": "Enter the terms and conditions"},
    )
    terms_version = forms.CharField(
        label="Terms and conditions version",
        max_length=TERMS_VERSION_MAX_LENGTH,
        help_text=(
            "For example, 1.0. Once someone has signed a version, change the terms and conditions only "
            "with a new version number."
        ),
        error_messages={
            "required": "Enter the version of the terms and conditions",
            "max_length": f"Version must be {TERMS_VERSION_MAX_LENGTH} characters or fewer",
        },
    )

    def __init__(self, *args, integrated_care_systems, pay_bands, submit_text="Create cohort", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["integrated_care_systems"].queryset = integrated_care_systems
        self.fields["eligible_pay_bands"].queryset = pay_bands
        if not self.is_bound and "eligible_pay_bands" not in self.initial:
            self.initial["eligible_pay_bands"] = [
                band.pk for band in pay_bands if band.code in DEFAULT_BAND_CODES
            ]
        self.helper = NhsukFormHelper(self, label_size=Size.MEDIUM, legend_size=Size.MEDIUM)
        self.helper.layout = Layout(
            Field.text("name"),
            Field.checkboxes("integrated_care_systems", small=True),
            Field.checkboxes("eligible_pay_bands", small=True),
            Field.date("opens_on"),
            Field.date("closes_on"),
            Field.date("starts_on"),
            Field.text("capacity", width=4),
            Field.textarea("terms_text"),
            Field.text("terms_version", width=10),
            Submit(submit_text, prevent_double_click=True),
        )


#: The button of each decision's form.
DECISION_BUTTONS = {
    "invite_to_assessment": "Confirm eligibility and invite to the assessment",
    "reject_eligibility": "Reject as not eligible",
    "record_assessment": "Record the assessment",
    "shortlist": "Shortlist",
    "offer": "Offer a place",
    "mark_unsuccessful": "Mark as unsuccessful",
    "record_acceptance": "Record that the applicant accepted",
    "record_decline": "Record that the applicant declined",
}

REASON_LABELS = {
    "reject_eligibility": "Why is the application not eligible?",
    "mark_unsuccessful": "Why was the application not successful?",
    "record_decline": "How did the applicant decline the offer?",
}


class DecisionForm(forms.Form):
    """The details a decision needs: a reason for a rejection, the date and result of an assessment."""

    def __init__(self, *args, name: str, **kwargs):
        super().__init__(*args, **kwargs)
        fields = []
        if name in REASON_LABELS:
            self.fields["reason"] = forms.CharField(
                label=REASON_LABELS[name],
                help_text="The applicant will see this reason.",
                widget=forms.Textarea(attrs={"rows": 5}),
                error_messages={"required": REASON_REQUIRED[name]},
            )
            fields.append(Field.textarea("reason", label_size=Size.MEDIUM))
        if name == "record_assessment":
            self.fields["completed_on"] = DateInputField(
                label="Date the assessment was completed",
                help_text="For example, 15 10 2026",
                error_messages={
                    "required": ENTER_COMPLETED_ON,
                    "incomplete": "Date the assessment was completed must include a %(missing)s",
                    "invalid": "Date the assessment was completed must be a real date",
                    "invalid_year": "Year must include 4 numbers",
                },
            )
            self.fields["result"] = forms.CharField(
                label="Result",
                max_length=RESULT_MAX_LENGTH,
                help_text="As the assessment reports it, for example Recommended",
                error_messages={"required": ENTER_RESULT, "max_length": RESULT_TOO_LONG},
            )
            fields += [Field.date("completed_on", legend_size=Size.MEDIUM), Field.text("result")]
        self.helper = NhsukFormHelper(self, label_size=Size.MEDIUM)
        self.helper.layout = Layout(*fields, Submit(DECISION_BUTTONS[name], prevent_double_click=True))


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.name


class QueueFilterForm(forms.Form):
    """The review queue's filters and sort order, sent by GET."""

    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "All statuses"), *((status.value, status.label) for status in QUEUE_STATUSES)],
        error_messages={"invalid_choice": "Select a status from the list"},
    )
    organisation = OrganisationChoiceField(
        label="Organisation",
        required=False,
        queryset=Organisation.objects.none(),
        empty_label="All organisations",
        error_messages={"invalid_choice": "Select an organisation from the list"},
    )
    development_stream = forms.TypedChoiceField(
        label="Development stream",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", "All streams"),
            *((stream.value, f"Stream {stream.value}") for stream in DevelopmentStream),
        ],
        error_messages={"invalid_choice": "Select a development stream from the list"},
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[(value, label) for value, (label, _ordering) in SORT_ORDERS.items()],
        error_messages={"invalid_choice": "Select a sort order from the list"},
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.helper = NhsukFormHelper(self, label_size=Size.SMALL)
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Field.select("status"),
            Field.select("organisation"),
            Field.select("development_stream"),
            Field.select("sort"),
            Submit("Apply filters", secondary=True),
        )


class AssessmentImportForm(CsvUploadForm):
    """A CSV file of assessment results. `hps.csv_import` reads and checks its rows."""
