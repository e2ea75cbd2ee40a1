"""Forms for talent pools, nomination and the critical roles register.

They validate input only. Choices (organisations, pools, people) come from the scoped selectors, so a
forged value outside the talent lead's scope is simply not a valid choice. The services apply the
business rules (unique names, who may be nominated or added as a successor).
"""

from django import forms

from accounts.models import Organisation, StaffProfile
from conversations.models import Successor, TalentPool
from conversations.talent_selectors import SuccessorCandidate
from conversations.talent_services import MEMBERSHIP_STATUSES_TO_SET, NAME_MAX_LENGTH, TITLE_MAX_LENGTH
from core.forms import Field, Layout, NhsukFormHelper, Size, Submit

#: Up to this many choices are shown as radios; more become a drop-down list.
MAX_RADIOS = 10

EMAIL_INVALID = "Enter an email address in the correct format, like name@example.com"


def _choice_widget(choice_count: int) -> forms.Widget:
    return forms.RadioSelect() if choice_count <= MAX_RADIOS else forms.Select()


def _choice_layout(name: str, widget: forms.Widget) -> Field:
    if isinstance(widget, forms.RadioSelect):
        return Field.radios(name, legend_size=Size.MEDIUM)
    return Field.select(name, label_size=Size.MEDIUM)


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.name


class TalentPoolForm(forms.Form):
    """Create a pool (with its organisation) or change its name and description."""

    name = forms.CharField(
        label="Name of the talent pool",
        max_length=NAME_MAX_LENGTH,
        help_text="For example, Aspiring ward managers",
        error_messages={
            "required": "Enter a name for the talent pool",
            "max_length": f"Name must be {NAME_MAX_LENGTH} characters or fewer",
        },
    )
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Who the pool is for and what it offers its members.",
    )

    def __init__(self, *args, organisations=None, submit_text="Create talent pool", **kwargs):
        super().__init__(*args, **kwargs)
        fields = [
            Field.text("name", label_size=Size.MEDIUM),
            Field.textarea("description", label_size=Size.MEDIUM),
        ]
        if organisations is not None:
            widget = _choice_widget(organisations.count())
            self.fields["organisation"] = OrganisationChoiceField(
                label="Which organisation is the talent pool for?",
                queryset=organisations.order_by("name"),
                widget=widget,
                empty_label="Select an organisation",
                error_messages={
                    "required": "Select the organisation the talent pool is for",
                    "invalid_choice": "Select the organisation the talent pool is for",
                },
            )
            fields.append(_choice_layout("organisation", widget))
        self.helper = NhsukFormHelper(self)
        self.helper.layout = Layout(*fields, Submit(submit_text))


class MembershipStatusForm(forms.Form):
    status = forms.ChoiceField(
        label="What is their status in the talent pool?",
        choices=[(status.value, status.label) for status in MEMBERSHIP_STATUSES_TO_SET],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether they accepted, declined or left the pool",
            "invalid_choice": "Select whether they accepted, declined or left the pool",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(self)
        self.helper.layout = Layout(Field.radios("status", legend_size=Size.MEDIUM), Submit("Save status"))


class PoolChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: TalentPool) -> str:
        return obj.name


class NominationForm(forms.Form):
    """Nominate the person in a conversation to one of the open pools of their organisation."""

    pool = PoolChoiceField(
        label="Which talent pool are you nominating them to?",
        queryset=TalentPool.objects.none(),
        widget=forms.RadioSelect,
        error_messages={"required": "Select a talent pool", "invalid_choice": "Select a talent pool"},
    )
    reason = forms.CharField(
        label="Why are you nominating them? (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The talent lead will see this. Say what their strengths are and what the pool offers.",
    )

    def __init__(self, *args, pools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pool"].queryset = pools
        self.helper = NhsukFormHelper(self)
        self.helper.layout = Layout(
            Field.radios("pool", legend_size=Size.MEDIUM),
            Field.textarea("reason", label_size=Size.MEDIUM),
            Submit("Nominate"),
        )


class CriticalRoleForm(forms.Form):
    """Add a critical role (choosing its organisation) or change one (whose organisation is fixed)."""

    title = forms.CharField(
        label="Title of the role",
        max_length=TITLE_MAX_LENGTH,
        help_text="For example, Director of nursing",
        error_messages={
            "required": "Enter the title of the role",
            "max_length": f"Title must be {TITLE_MAX_LENGTH} characters or fewer",
        },
    )
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Why the role is critical and what it needs.",
    )
    incumbent = forms.EmailField(
        label="Email address of the person in the role now (optional)",
        required=False,
        help_text="They must work at the organisation. Leave this empty if the role is vacant.",
        error_messages={"invalid": EMAIL_INVALID},
    )

    def __init__(
        self, *args, organisations=None, organisation=None, submit_text="Add critical role", **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        fields = [Field.text("title", label_size=Size.MEDIUM)]
        if organisations is not None:
            widget = _choice_widget(organisations.count())
            self.fields["organisation"] = OrganisationChoiceField(
                label="Which organisation is the role in?",
                queryset=organisations.order_by("name"),
                widget=widget,
                empty_label="Select an organisation",
                error_messages={
                    "required": "Select the organisation the role is in",
                    "invalid_choice": "Select the organisation the role is in",
                },
            )
            fields.append(_choice_layout("organisation", widget))
        # Keep the field order of the page: title, organisation, description, incumbent.
        self.order_fields(["title", "organisation", "description", "incumbent"])
        fields += [
            Field.textarea("description", label_size=Size.MEDIUM),
            Field.text("incumbent", label_size=Size.MEDIUM, autocomplete="off", spellcheck="false"),
        ]
        self.helper = NhsukFormHelper(self)
        self.helper.layout = Layout(*fields, Submit(submit_text))

    def clean(self):
        cleaned_data = super().clean()
        organisation = cleaned_data.get("organisation", self.organisation)
        email = cleaned_data.get("incumbent")
        if not email:
            cleaned_data["incumbent"] = None
        elif organisation is not None:
            profile = (
                StaffProfile.objects.filter(
                    organisation=organisation, is_active=True, user__email__iexact=email
                )
                .select_related("user")
                .first()
            )
            if profile is None:
                self.add_error(
                    "incumbent", f"Enter the email address of someone who works at {organisation.name}"
                )
            else:
                cleaned_data["incumbent"] = profile.user
        return cleaned_data


class SuccessorForm(forms.Form):
    """Choose a successor from the eligible people of the role's organisation, and their readiness."""

    individual = forms.TypedChoiceField(
        label="Who is a possible successor?",
        coerce=int,
        error_messages={"required": "Select a person", "invalid_choice": "Select a person from the list"},
    )
    readiness = forms.ChoiceField(
        label="When will they be ready for the role?",
        choices=Successor._meta.get_field("readiness").choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select when they will be ready for the role",
            "invalid_choice": "Select when they will be ready for the role",
        },
    )

    def __init__(self, *args, candidates: list[SuccessorCandidate], **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {candidate.user.pk: candidate for candidate in candidates}
        widget = _choice_widget(len(candidates))
        choices = [(candidate.user.pk, candidate.label) for candidate in candidates]
        if isinstance(widget, forms.Select):
            choices = [("", "Select a person"), *choices]
        field = self.fields["individual"]
        widget.is_required = True
        field.widget = widget
        field.choices = choices
        field.help_text = (
            "People who work at the organisation and are in one of your talent pools, or whose latest "
            "career conversation says they are ready for a next step."
        )
        self.helper = NhsukFormHelper(self)
        self.helper.layout = Layout(
            _choice_layout("individual", widget),
            Field.radios("readiness", legend_size=Size.MEDIUM),
            Submit("Add successor"),
        )

    def clean_individual(self):
        return self.candidates[self.cleaned_data["individual"]].user
