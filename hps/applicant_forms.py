"""Forms for the applicant's pages: the eligibility questions and each step of the application.

They validate input only, with the same NHS-style messages as `hps.applicant_services`, which applies
the rules again when it saves. Choices (organisations, bands) come from the intake, so a forged value
outside it is not a valid choice.
"""

from django import forms
from django.core.exceptions import ValidationError

from core.forms import HTML, Field, Layout, NhsukFormHelper, Size, Submit
from hps.applicant_services import (
    JOB_TITLE_MAX_LENGTH,
    STATEMENTS,
    band_outside_range_message,
    clean_sponsor,
    organisation_outside_footprint_message,
    statement_error,
)
from hps.eligibility import (
    ANOTHER_BAND,
    PAY_BAND_QUESTION,
    STREAM_DESCRIPTIONS,
    YES_NO_QUESTIONS,
    CohortRules,
    Criterion,
    EligibilityAnswers,
    footprint_text,
)
from hps.models import Application, DevelopmentStream

YES, NO = "yes", "no"
YES_NO_CHOICES = [(YES, "Yes"), (NO, "No")]

RADIOS_WITH_HINTS_TEMPLATE = "hps/applicant/_radios_with_hints.html"
CHARACTER_COUNT_TEMPLATE = "hps/applicant/_character_count.html"

#: Up to this many organisations are shown as radios; more become a drop-down list.
MAX_RADIOS = 10

_YES_NO_REQUIRED = {
    Criterion.FOOTPRINT: "Select yes if you work in an NHS or health and care funded role in this area",
    Criterion.SENIOR_ROLES: "Select yes if you are interested in progressing to senior leadership roles",
    Criterion.READY_TO_LEARN: "Select yes if you are ready and willing to learn and develop",
    Criterion.COMPASSIONATE_LEADERSHIP: (
        "Select yes if you can show compassionate and inclusive leadership values and style"
    ),
    Criterion.CAREER_TRANSITION: "Select yes if you are working towards one of the two career transitions",
}


def _yes_no(criterion: Criterion, help_text: str = "") -> forms.ChoiceField:
    message = _YES_NO_REQUIRED[criterion]
    return forms.ChoiceField(
        label=YES_NO_QUESTIONS[criterion],
        help_text=help_text,
        choices=YES_NO_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": message, "invalid_choice": message},
    )


class EligibilityForm(forms.Form):
    """The scheme's eligibility questions for one intake."""

    def __init__(self, *args, rules: CohortRules, **kwargs):
        super().__init__(*args, **kwargs)
        self.rules = rules
        band_message = "Select your pay band, or select another band"
        self.fields[Criterion.FOOTPRINT] = _yes_no(
            Criterion.FOOTPRINT,
            help_text=f"This intake is for people who work in {footprint_text(rules)}.",
        )
        self.fields[Criterion.PAY_BAND] = forms.ChoiceField(
            label=PAY_BAND_QUESTION,
            help_text="Or the equivalent in your pay structure.",
            choices=[*rules.eligible_bands, (ANOTHER_BAND, "Another band")],
            widget=forms.RadioSelect,
            error_messages={"required": band_message, "invalid_choice": band_message},
        )
        self.fields[Criterion.SENIOR_ROLES] = _yes_no(Criterion.SENIOR_ROLES)
        self.fields[Criterion.READY_TO_LEARN] = _yes_no(Criterion.READY_TO_LEARN)
        self.fields[Criterion.COMPASSIONATE_LEADERSHIP] = _yes_no(Criterion.COMPASSIONATE_LEADERSHIP)
        self.fields[Criterion.CAREER_TRANSITION] = _yes_no(
            Criterion.CAREER_TRANSITION,
            help_text=(
                "Development stream 1: moving towards managing a range of teams, or becoming a senior "
                "technical expert. Development stream 2: moving towards leading a whole function or service."
            ),
        )
        self.helper = NhsukFormHelper(self, legend_size=Size.MEDIUM)
        self.helper.layout = Layout(
            Field.radios(Criterion.FOOTPRINT, inline=True),
            Field.radios(Criterion.PAY_BAND),
            Field.radios(Criterion.SENIOR_ROLES, inline=True),
            Field.radios(Criterion.READY_TO_LEARN, inline=True),
            Field.radios(Criterion.COMPASSIONATE_LEADERSHIP, inline=True),
            Field.radios(Criterion.CAREER_TRANSITION, inline=True),
            Submit("Continue"),
        )

    def answers(self) -> EligibilityAnswers:
        data = self.cleaned_data
        return EligibilityAnswers(
            pay_band=data[Criterion.PAY_BAND],
            **{criterion.value: data[criterion] == YES for criterion in YES_NO_QUESTIONS},
        )


class _NamedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class RoleForm(forms.Form):
    job_title = forms.CharField(
        label="Job title",
        max_length=JOB_TITLE_MAX_LENGTH,
        error_messages={
            "required": "Enter your job title",
            "max_length": f"Job title must be {JOB_TITLE_MAX_LENGTH} characters or fewer",
        },
    )

    def __init__(self, *args, cohort, organisations, pay_bands, **kwargs):
        super().__init__(*args, **kwargs)
        organisation_widget = forms.RadioSelect() if organisations.count() <= MAX_RADIOS else forms.Select()
        outside = organisation_outside_footprint_message(cohort)
        self.fields["organisation"] = _NamedChoiceField(
            label="Organisation",
            help_text="The organisation that employs you. It must be in this intake's area.",
            queryset=organisations,
            widget=organisation_widget,
            empty_label="Select your organisation",
            error_messages={"required": "Select your organisation", "invalid_choice": outside},
        )
        self.fields["pay_band"] = _NamedChoiceField(
            label="Pay band",
            queryset=pay_bands,
            widget=forms.RadioSelect,
            empty_label=None,
            error_messages={
                "required": "Select your pay band",
                "invalid_choice": band_outside_range_message(cohort),
            },
        )
        organisation_field = (
            Field.radios("organisation")
            if isinstance(organisation_widget, forms.RadioSelect)
            else Field.select("organisation")
        )
        self.helper = NhsukFormHelper(self, label_size=Size.MEDIUM, legend_size=Size.MEDIUM)
        self.helper.layout = Layout(
            Field.text("job_title", autocomplete="organization-title"),
            organisation_field,
            Field.radios("pay_band"),
            Submit("Save and continue"),
        )


class RadioSelectWithHints(forms.RadioSelect):
    """Radios whose items carry a hint, with item ids as the `nhsuk` pack gives them (`id_x`, `id_x-2`)."""

    def __init__(self, *args, hints: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.hints = hints

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["hint"] = self.hints.get(str(value), "")
        base_id = (attrs or {}).get("id") or self.attrs.get("id")
        if base_id:
            option["attrs"]["id"] = base_id if index == 0 else f"{base_id}-{index + 1}"
        return option


class StreamForm(forms.Form):
    development_stream = forms.TypedChoiceField(
        label="Which development stream are you applying for?",
        help_text="Choose the stream that fits your current level of leadership experience.",
        choices=DevelopmentStream.choices,
        coerce=int,
        widget=RadioSelectWithHints(
            hints={str(stream.value): description for stream, description in STREAM_DESCRIPTIONS.items()}
        ),
        error_messages={
            "required": "Select a development stream",
            "invalid_choice": "Select a development stream",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(self)
        self.helper.layout = Layout(
            Field(
                "development_stream",
                template=RADIOS_WITH_HINTS_TEMPLATE,
                legend_size=Size.LARGE,
                is_page_heading=True,
            ),
            Submit("Save and continue"),
        )


class StatementsForm(forms.Form):
    """The three supporting statements, each with a word count (at most 500 words)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for statement in STATEMENTS:
            field = forms.CharField(
                label=statement.question,
                help_text=statement.hint,
                required=False,
                strip=True,
                widget=forms.Textarea(attrs={"rows": 8}),
            )
            # Read by the character count template (`data-maxwords`).
            field.max_words = Application.STATEMENT_WORD_LIMIT
            self.fields[statement.field] = field
        self.helper = NhsukFormHelper(self)
        self.helper.layout = Layout(
            *(
                Field(statement.field, template=CHARACTER_COUNT_TEMPLATE, label_size=Size.MEDIUM)
                for statement in STATEMENTS
            ),
            Submit("Save and continue"),
        )

    def clean(self):
        cleaned = super().clean()
        for statement in STATEMENTS:
            if statement.field in cleaned and (
                message := statement_error(statement, cleaned[statement.field])
            ):
                self.add_error(statement.field, message)
        return cleaned


class SponsorForm(forms.Form):
    sponsor_relationship = forms.ChoiceField(
        label="Who is your sponsor?",
        help_text=(
            "Your line manager, or another senior leader in your organisation who supports your application."
        ),
        choices=Application.SponsorRelationship.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select who your sponsor is",
            "invalid_choice": "Select who your sponsor is",
        },
    )
    sponsor_email = forms.CharField(
        label="Your sponsor's email address",
        help_text=(
            "When you submit your application, we will email them a link to confirm they support you and to "
            "sign the terms and conditions."
        ),
        max_length=254,
        widget=forms.EmailInput,
        error_messages={
            "required": "Enter your sponsor's email address",
            "max_length": "Enter an email address in the correct format, like name@example.com",
        },
    )

    def __init__(self, *args, applicant, submit_text="Save and continue", **kwargs):
        super().__init__(*args, **kwargs)
        self.applicant = applicant
        self.helper = NhsukFormHelper(self, legend_size=Size.MEDIUM, label_size=Size.MEDIUM)
        self.helper.layout = Layout(
            Field.radios("sponsor_relationship"),
            Field.text("sponsor_email", autocomplete="off", spellcheck="false"),
            Submit(submit_text),
        )

    def clean(self):
        cleaned = super().clean()
        try:
            email, _relationship = clean_sponsor(
                self.applicant, cleaned.get("sponsor_email", ""), cleaned.get("sponsor_relationship", "")
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                if name not in self.errors:
                    self.add_error(name, messages[0])
        else:
            cleaned["sponsor_email"] = email
        return cleaned


class TermsForm(forms.Form):
    full_name = forms.CharField(
        label="Your full name",
        help_text="Type your name as it is on your account. This is your signature.",
        max_length=200,
        error_messages={
            "required": "Enter your full name",
            "max_length": "Full name must be 200 characters or fewer",
        },
    )
    is_declaration_confirmed = forms.BooleanField(
        label=(
            "I have read and agree to the terms and conditions, and the information in my application is true"
        ),
        error_messages={"required": "Confirm that you have read and agree to the terms and conditions"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(self, label_size=Size.MEDIUM)
        self.helper.layout = Layout(
            Field.text("full_name", autocomplete="name", spellcheck="false"),
            Field.checkboxes("is_declaration_confirmed"),
            Submit("Sign and continue"),
        )


class ReasonForm(forms.Form):
    """An optional reason, for withdrawing or declining an offer."""

    reason = forms.CharField(
        label="Why? (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="This helps the people who run the scheme. Do not include personal medical details.",
    )

    def __init__(self, *args, label: str, submit_text: str, warning: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.helper = NhsukFormHelper(self, label_size=Size.MEDIUM)
        button = (
            HTML(
                '<button class="nhsuk-button nhsuk-button--warning" data-module="nhsuk-button" '
                f'type="submit" data-prevent-double-click="true">{submit_text}</button>'
            )
            if warning
            else Submit(submit_text, prevent_double_click=True)
        )
        self.helper.layout = Layout(Field.textarea("reason"), button)
