"""Forms for the participant's pages. They parse input, with the services' own messages so every
missing answer is shown at once; `hps.participant_services` and `hps.meeting_services` apply the
scheme's rules (dates within the scheme, days a week) and their messages are shown on the fields with
`add_service_errors`.

Choices that point at other records (a key experience, a workshop) come from the participant's own
records, so a forged id is not a valid choice.
"""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError

from accounts.models import PayBand
from core.forms import DateInputField, Field, Layout, NhsukFormHelper, Size, Submit
from hps.meeting_services import ENTER_MEETING_DATE
from hps.models import KeyExperience
from hps.participant_services import (
    DAYS_PER_WEEK_MAX,
    DAYS_PER_WEEK_MIN,
    DAYS_TOO_FEW,
    DAYS_TOO_MANY,
    DAYS_TOO_PRECISE,
    ENTER_DAYS,
    ENTER_ENDS_ON,
    ENTER_ENTRY_DATE,
    ENTER_ENTRY_TEXT,
    ENTER_EXPERIENCE_REFLECTION,
    ENTER_HOST,
    ENTER_JOB_TITLE,
    ENTER_OBJECTIVES,
    ENTER_ORGANISATION,
    ENTER_STARTED_ON,
    ENTER_STARTS_ON,
    LINK_NOT_YOURS,
    SELECT_EXPERIENCE_TYPE,
    SELECT_PROMOTION,
    leadership_dimension_choices,
)

YES, NO = "yes", "no"
YES_NO_CHOICES = [(YES, "Yes"), (NO, "No")]
NOT_LINKED = ""
EXPERIENCE_PREFIX, WORKSHOP_PREFIX = "experience-", "workshop-"
SELECT_DIMENSIONS = "Select Healthcare Leadership Model dimensions from the list"
DAYS_NOT_A_NUMBER = "Days per week must be a number, like 1 or 1.5"


def _yes_no(label: str, message: str, help_text: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        help_text=help_text,
        choices=YES_NO_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": message, "invalid_choice": message},
    )


def _textarea(label: str, *, help_text: str = "", required: bool = False, message: str = "", rows: int = 5):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        strip=True,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": message} if message else {},
    )


def _date(label: str, *, help_text: str, name: str, required: str) -> DateInputField:
    """A date field whose errors name it ("Start date must be a real date"); `required` is the message
    for a missing date."""
    return DateInputField(
        label=label,
        help_text=help_text,
        error_messages={
            "required": required,
            "incomplete": f"{name} must include a %(missing)s",
            "invalid": f"{name} must be a real date",
            "invalid_year": "Year must include 4 numbers",
        },
    )


class DimensionsField(forms.ModelMultipleChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            queryset=leadership_dimension_choices(),
            widget=forms.CheckboxSelectMultiple,
            required=False,
            error_messages={"invalid_choice": SELECT_DIMENSIONS, "invalid_pk_value": SELECT_DIMENSIONS},
            **kwargs,
        )


class CareerDevelopmentPlanForm(forms.Form):
    aspirations = _textarea(
        "Your career aspirations",
        help_text="The roles you are working towards, and by when.",
    )
    strengths = _textarea("Your strengths")
    areas_to_develop = _textarea("Areas to develop")
    leadership_dimensions = DimensionsField(
        label="Healthcare Leadership Model dimensions to focus on",
        help_text="Select all that apply.",
    )
    planned_experiences = _textarea(
        "Key experiences you plan",
        help_text="For example, a secondment to the integrated care board, or shadowing an executive.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(self, label_size=Size.MEDIUM, legend_size=Size.MEDIUM)
        self.helper.layout = Layout(
            Field.textarea("aspirations"),
            Field.textarea("strengths"),
            Field.textarea("areas_to_develop"),
            Field.checkboxes("leadership_dimensions"),
            Field.textarea("planned_experiences"),
            Submit("Save plan"),
        )


class LearningLogEntryForm(forms.Form):
    written_on = _date(
        "Date of the entry",
        help_text="For example, 15 3 2027",
        name="Date of the entry",
        required=ENTER_ENTRY_DATE,
    )
    text = _textarea("Your reflection", required=True, message=ENTER_ENTRY_TEXT, rows=8)
    leadership_dimensions = DimensionsField(
        label="Healthcare Leadership Model dimensions (optional)",
        help_text="Select any the entry is about.",
    )
    is_shared_with_sponsor = _yes_no(
        "Share this entry with your sponsor?",
        "Select yes if you want to share this entry with your sponsor",
        help_text="Your learning log is private to you unless you share an entry.",
    )

    def __init__(self, *args, experiences, workshops, **kwargs):
        super().__init__(*args, **kwargs)
        self.experiences = {f"{EXPERIENCE_PREFIX}{experience.pk}": experience for experience in experiences}
        self.workshops = {f"{WORKSHOP_PREFIX}{workshop.pk}": workshop for workshop in workshops}
        choices = [(NOT_LINKED, "Not linked")]
        if self.experiences:
            choices.append(
                ("Your key experiences", [(key, str(value)) for key, value in self.experiences.items()])
            )
        if self.workshops:
            choices.append(
                (
                    "Workshops of your cohort",
                    [
                        (key, f"{value.title} ({value.held_on:%-d %B %Y})")
                        for key, value in self.workshops.items()
                    ],
                )
            )
        self.fields["linked_to"] = forms.ChoiceField(
            label="Is the entry about a key experience or a workshop? (optional)",
            choices=choices,
            required=False,
            error_messages={"invalid_choice": LINK_NOT_YOURS},
        )
        self.order_fields(
            ["written_on", "text", "leadership_dimensions", "linked_to", "is_shared_with_sponsor"]
        )
        self.helper = NhsukFormHelper(self, label_size=Size.MEDIUM, legend_size=Size.MEDIUM)
        self.helper.layout = Layout(
            Field.date("written_on"),
            Field.textarea("text"),
            Field.checkboxes("leadership_dimensions", small=True),
            Field.select("linked_to"),
            Field.radios("is_shared_with_sponsor", inline=True),
            Submit("Save entry"),
        )

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        linked_to = data["linked_to"]
        return {
            "written_on": data["written_on"],
            "text": data["text"],
            "leadership_dimensions": data["leadership_dimensions"],
            "key_experience": self.experiences.get(linked_to),
            "workshop": self.workshops.get(linked_to),
            "is_shared_with_sponsor": data["is_shared_with_sponsor"] == YES,
        }

    @staticmethod
    def initial_for(entry) -> dict:
        linked_to = NOT_LINKED
        if entry.key_experience_id:
            linked_to = f"{EXPERIENCE_PREFIX}{entry.key_experience_id}"
        elif entry.workshop_id:
            linked_to = f"{WORKSHOP_PREFIX}{entry.workshop_id}"
        return {
            "written_on": entry.written_on,
            "text": entry.text,
            "leadership_dimensions": list(entry.leadership_dimensions.all()),
            "linked_to": linked_to,
            "is_shared_with_sponsor": YES if entry.is_shared_with_sponsor else NO,
        }


class DaysPerWeekField(forms.CharField):
    """A number of days a week from 1 to 5, like 1 or 1.5 (the service checks the range again)."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            number = Decimal(value.replace(" ", ""))
        except InvalidOperation:
            raise ValidationError(DAYS_NOT_A_NUMBER, code="invalid") from None
        if not number.is_finite():
            raise ValidationError(DAYS_NOT_A_NUMBER, code="invalid")
        if number < DAYS_PER_WEEK_MIN:
            raise ValidationError(DAYS_TOO_FEW, code="min_value")
        if number > DAYS_PER_WEEK_MAX:
            raise ValidationError(DAYS_TOO_MANY, code="max_value")
        if number != number.quantize(Decimal("0.1")):
            raise ValidationError(DAYS_TOO_PRECISE, code="precision")
        return number.quantize(Decimal("0.1"))


class KeyExperienceForm(forms.Form):
    experience_type = forms.ChoiceField(
        label="Type of experience",
        choices=KeyExperience.ExperienceType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": SELECT_EXPERIENCE_TYPE, "invalid_choice": SELECT_EXPERIENCE_TYPE},
    )
    host_organisation = forms.CharField(
        label="Host organisation",
        help_text="Where the experience takes place. It can be your own organisation.",
        error_messages={"required": ENTER_HOST},
    )
    starts_on = _date(
        "Start date", help_text="For example, 1 5 2027", name="Start date", required=ENTER_STARTS_ON
    )
    ends_on = _date("End date", help_text="For example, 31 8 2027", name="End date", required=ENTER_ENDS_ON)
    days_per_week = DaysPerWeekField(
        label="Days per week",
        help_text="At least 1 day a week. You can use a decimal, like 1.5.",
        error_messages={"required": ENTER_DAYS},
    )
    objectives = _textarea(
        "Objectives",
        help_text="What you want to learn or achieve.",
        required=True,
        message=ENTER_OBJECTIVES,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(self, label_size=Size.MEDIUM, legend_size=Size.MEDIUM)
        self.helper.layout = Layout(
            Field.radios("experience_type"),
            Field.text("host_organisation"),
            Field.date("starts_on"),
            Field.date("ends_on"),
            Field.text("days_per_week", width=3, inputmode="decimal"),
            Field.textarea("objectives"),
            Submit("Save experience"),
        )


class ReflectionForm(forms.Form):
    reflection = _textarea(
        "Reflection",
        help_text="What you learnt, what went well and what you would do differently.",
        required=True,
        message=ENTER_EXPERIENCE_REFLECTION,
        rows=10,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(self)
        self.helper.layout = Layout(
            Field.textarea("reflection", label_size=Size.MEDIUM), Submit("Save reflection")
        )


class SponsorMeetingForm(forms.Form):
    held_on = _date(
        "Date of the meeting",
        help_text="For example, 15 3 2027",
        name="Date of the meeting",
        required=ENTER_MEETING_DATE,
    )
    notes = _textarea(
        "Notes (optional)",
        help_text="What you talked about. Your sponsor can see these notes.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(self, label_size=Size.MEDIUM, legend_size=Size.MEDIUM)
        self.helper.layout = Layout(Field.date("held_on"), Field.textarea("notes"), Submit("Log meeting"))


class PortfolioChoiceForm(forms.Form):
    """Whether a coaching session's notes go in the portfolio: posted by a button."""

    is_in_portfolio = forms.ChoiceField(
        choices=YES_NO_CHOICES,
        error_messages={
            "required": "Select whether to include the notes",
            "invalid_choice": "Select whether to include the notes",
        },
    )


class _PayBandField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class DestinationForm(forms.Form):
    started_on = _date(
        "Date you started the role",
        help_text="For example, 1 9 2028",
        name="Date you started the role",
        required=ENTER_STARTED_ON,
    )
    job_title = forms.CharField(label="Job title", error_messages={"required": ENTER_JOB_TITLE})
    organisation_name = forms.CharField(label="Organisation", error_messages={"required": ENTER_ORGANISATION})
    pay_band = _PayBandField(
        label="Pay band (optional)",
        queryset=PayBand.objects.order_by("sort_order", "code"),
        required=False,
        empty_label="Not given",
        error_messages={"invalid_choice": "Select a pay band from the list"},
    )
    is_promotion = _yes_no("Is the role a promotion?", SELECT_PROMOTION)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(self, label_size=Size.MEDIUM, legend_size=Size.MEDIUM)
        self.helper.layout = Layout(
            Field.date("started_on"),
            Field.text("job_title", autocomplete="organization-title"),
            Field.text("organisation_name", autocomplete="organization"),
            Field.select("pay_band"),
            Field.radios("is_promotion", inline=True),
            Submit("Save role"),
        )

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {**data, "is_promotion": data["is_promotion"] == YES}

    @staticmethod
    def initial_for(destination) -> dict:
        return {
            "started_on": destination.started_on,
            "job_title": destination.job_title,
            "organisation_name": destination.organisation_name,
            "pay_band": destination.pay_band_id,
            "is_promotion": YES if destination.is_promotion else NO,
        }
