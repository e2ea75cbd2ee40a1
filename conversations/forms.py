"""Forms for the facilitator's side of Scope for Growth: the team filter, planning, preparation, and the
steps of recording a conversation.

They validate input only; `conversations.services` applies the rules again when the record is saved.
The record is entered over several pages. Each step form reads its answers from, and writes them to, a
JSON-safe draft (ISO dates, ids) that the view keeps in the session until the record is saved.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils import timezone

from conversations.models import (
    Ambition,
    AspirationTimeframe,
    BarrierType,
    DevelopmentAction,
    FrameworkVersion,
    GrowthCategory,
    ImpactLevel,
    LeadershipDimension,
    Readiness,
)
from conversations.selectors import TEAM_STATUS_FILTERS
from conversations.services import ActionData, RecordData, default_next_conversation_due
from core.forms import DateInputField, Field, Layout, NhsukFormHelper, Size, Submit

YES_NO = [("yes", "Yes"), ("no", "No")]
DATE_HINT = "For example, 15 3 2027"
#: How far ahead a conversation can be planned.
MAX_PLANNING_DAYS = 2 * 366


def _date_errors(what: str) -> dict[str, str]:
    """NHS-style messages for a three-part date, `what` being, for example, "the date the action is due"."""
    subject = what[0].upper() + what[1:]
    return {
        "required": f"Enter {what}",
        "incomplete": f"{subject} must include a %(missing)s",
        "invalid": f"{subject} must be a real date",
        "invalid_year": "Year must include 4 numbers",
    }


def _radios(label: str, choices, *, required: str, help_text: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={"required": required, "invalid_choice": required},
    )


class TeamFilterForm(forms.Form):
    """The team page's filter (a GET form); `sort` carries the chosen column through."""

    status = forms.ChoiceField(
        label="Show people whose conversation is",
        choices=[("", "Any status"), *TEAM_STATUS_FILTERS],
        required=False,
    )
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(self, label_size=Size.SMALL)
        self.helper.form_method = "get"
        self.helper.layout = Layout(Field.select("status"), "sort", Submit("Apply", secondary=True))


class PlanForm(forms.Form):
    """When a line manager plans a conversation with one of their direct reports."""

    planned_for = DateInputField(
        label="When is the conversation planned for?",
        help_text=DATE_HINT,
        error_messages=_date_errors("the date the conversation is planned for"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(self)
        self.helper.layout = Layout(
            Field.date("planned_for", legend_size=Size.MEDIUM), Submit("Plan conversation")
        )

    def clean_planned_for(self):
        planned_for = self.cleaned_data["planned_for"]
        today = timezone.localdate()
        if planned_for < today:
            raise ValidationError("The date the conversation is planned for must be today or in the future")
        if planned_for > today + datetime.timedelta(days=MAX_PLANNING_DAYS):
            raise ValidationError("The conversation must be planned within the next 2 years")
        return planned_for


class PreparationForm(forms.Form):
    """The facilitator's private preparation notes (may be emptied)."""

    facilitator_preparation = forms.CharField(
        label="Your preparation notes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="For example, strengths you have seen, questions to ask and opportunities to suggest.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(self)
        self.helper.layout = Layout(
            Field.textarea("facilitator_preparation", label_size=Size.MEDIUM), Submit("Save notes")
        )


class RadioSelectWithHints(forms.RadioSelect):
    """Radios whose items carry the description of their model object as a hint.

    Item ids follow the `nhsuk` pack (`id_<name>`, then `id_<name>-2`...), so the error summary link
    focuses the first radio.
    """

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        option["hint"] = getattr(instance, "description", "") if instance is not None else ""
        base_id = (attrs or {}).get("id") or self.attrs.get("id")
        if base_id:
            option["attrs"]["id"] = base_id if index == 0 else f"{base_id}-{index + 1}"
        return option


RADIOS_WITH_HINTS_TEMPLATE = "conversations/record/radios_with_hints.html"


def _json_safe(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, (QuerySet, list, tuple)):
        return [_json_safe(item) for item in value]
    return value


def _parse_date(value) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


class RecordStepForm(forms.Form):
    """One page of the record: reads its initial answers from the draft and gives them back JSON-safe."""

    title = ""

    def __init__(self, *args, conversation, draft: dict, **kwargs):
        self.conversation = conversation
        self.draft = draft
        self.individual_name = str(conversation.individual)
        kwargs.setdefault("initial", self.initial_from_draft(draft))
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(self, label_size=Size.MEDIUM, legend_size=Size.MEDIUM)
        self.helper.layout = Layout(*self.layout_fields(), Submit("Continue"))

    @property
    def held_on(self) -> datetime.date | None:
        return _parse_date(self.draft.get("held_on"))

    def layout_fields(self) -> list:
        return list(self.fields)

    def initial_from_draft(self, draft: dict) -> dict:
        initial = {}
        for name, field in self.base_fields.items():
            if name not in draft:
                continue
            value = draft[name]
            initial[name] = _parse_date(value) if isinstance(field, DateInputField) else value
        return initial

    def draft_values(self) -> dict:
        """The cleaned answers, JSON-safe, to merge into the draft."""
        return {name: _json_safe(self.cleaned_data.get(name)) for name in self.fields}


class HeldForm(RecordStepForm):
    title = "Date and wellbeing check-in"

    held_on = DateInputField(
        label="When was the conversation held?",
        help_text=DATE_HINT,
        error_messages=_date_errors("the date the conversation was held"),
    )
    wellbeing_discussed = _radios(
        "Did you discuss wellbeing?", YES_NO, required="Select yes if you discussed wellbeing"
    )
    support_signposted = _radios(
        "Was support signposted?", YES_NO, required="Select yes if support was signposted"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wellbeing_discussed"].help_text = (
            f"Any wellbeing notes {self.individual_name} writes are private to them unless they choose "
            "to share them. Do not record details of their wellbeing here."
        )

    def layout_fields(self):
        return [
            Field.date("held_on"),
            Field.radios("wellbeing_discussed", inline=True),
            Field.radios("support_signposted", inline=True),
        ]

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise ValidationError("The date the conversation was held must be today or in the past")
        if FrameworkVersion.objects.in_force(on=held_on) is None:
            first = FrameworkVersion.objects.order_by("effective_from").first()
            if first is None:
                raise ValidationError("No version of the framework is in use yet")
            raise ValidationError(
                f"The date the conversation was held must be on or after {first.effective_from:%-d %B %Y}"
            )
        return held_on


class LeadershipDimensionChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            queryset=LeadershipDimension.objects.order_by("order"),
            widget=forms.CheckboxSelectMultiple,
            required=False,
            error_messages={
                "invalid_choice": "Select dimensions from the list",
                "invalid_pk_value": "Select dimensions from the list",
            },
            **kwargs,
        )


class StrengthsForm(RecordStepForm):
    title = "Strengths"

    strengths = forms.CharField(
        label="What strengths did you discuss?",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter the strengths you discussed"},
    )
    strength_dimensions = LeadershipDimensionChoiceField(
        label="Which Healthcare Leadership Model dimensions do these strengths show? (optional)",
        help_text="Select all that apply.",
    )

    def layout_fields(self):
        return [Field.textarea("strengths"), Field.checkboxes("strength_dimensions")]

    def clean_strengths(self):
        strengths = self.cleaned_data["strengths"].strip()
        if not strengths:
            raise ValidationError("Enter the strengths you discussed")
        return strengths


class AspirationsForm(RecordStepForm):
    title = "Aspirations"

    ambition_depth = _radios(
        "How much do they want to grow in depth?",
        Ambition.choices,
        help_text="Becoming more expert in their current field.",
        required="Select how much they want to grow in depth",
    )
    ambition_breadth = _radios(
        "How much do they want to grow in breadth?",
        Ambition.choices,
        help_text="Gaining experience in other areas, teams or professions.",
        required="Select how much they want to grow in breadth",
    )
    ambition_stretch = _radios(
        "How much do they want to grow in stretch and complexity?",
        Ambition.choices,
        help_text="Taking on bigger, more complex or more senior responsibilities.",
        required="Select how much they want to grow in stretch and complexity",
    )
    aspirations = forms.CharField(
        label="What are their aspirations?",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter their aspirations"},
    )
    aspiration_timeframe = _radios(
        "When would they like to achieve them?",
        AspirationTimeframe.choices,
        required="Select when they would like to achieve their aspirations",
    )

    def layout_fields(self):
        return [
            Field.radios("ambition_depth"),
            Field.radios("ambition_breadth"),
            Field.radios("ambition_stretch"),
            Field.textarea("aspirations"),
            Field.radios("aspiration_timeframe"),
        ]

    def clean_aspirations(self):
        aspirations = self.cleaned_data["aspirations"].strip()
        if not aspirations:
            raise ValidationError("Enter their aspirations")
        return aspirations


class ImpactLevelChoiceField(forms.ModelChoiceField):
    def __init__(self, *, required_message: str, **kwargs):
        super().__init__(
            queryset=ImpactLevel.objects.none(),
            widget=RadioSelectWithHints,
            error_messages={"required": required_message, "invalid_choice": required_message},
            **kwargs,
        )


class PositionForm(RecordStepForm):
    """Impact levels come from the framework version in force on the date the conversation was held."""

    title = "Position on the framework"

    current_impact_level = ImpactLevelChoiceField(
        label="What is their current impact level?", required_message="Select their current impact level"
    )
    current_growth_category = _radios(
        "In which growth category are they now?",
        GrowthCategory.choices,
        required="Select the growth category they are in now",
    )
    target_impact_level = ImpactLevelChoiceField(
        label="Which impact level do they want to reach?",
        required_message="Select the impact level they want to reach",
    )
    target_growth_category = _radios(
        "In which growth category do they want to grow?",
        GrowthCategory.choices,
        required="Select the growth category they want to grow in",
    )
    readiness = _radios(
        "How ready are they for a next step?",
        Readiness.choices,
        required="Select how ready they are for a next step",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        version = FrameworkVersion.objects.in_force(on=self.held_on) if self.held_on else None
        levels = version.impact_levels.order_by("order") if version else ImpactLevel.objects.none()
        self.framework_version = version
        for name in ("current_impact_level", "target_impact_level"):
            self.fields[name].queryset = levels
            self.fields[name].help_text = (
                f"From the {version.name}, in force on the date of the conversation." if version else ""
            )

    def layout_fields(self):
        return [
            Field("current_impact_level", template=RADIOS_WITH_HINTS_TEMPLATE),
            Field.radios("current_growth_category"),
            Field("target_impact_level", template=RADIOS_WITH_HINTS_TEMPLATE),
            Field.radios("target_growth_category"),
            Field.radios("readiness"),
        ]


class BarriersForm(RecordStepForm):
    title = "Barriers"

    barriers = forms.ModelMultipleChoiceField(
        label="What is holding them back? (optional)",
        queryset=BarrierType.objects.filter(is_active=True).order_by("order"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Select all that apply.",
        error_messages={
            "invalid_choice": "Select barriers from the list",
            "invalid_pk_value": "Select barriers from the list",
        },
    )
    barrier_notes = forms.CharField(
        label="Tell us more about the barriers (optional)", widget=forms.Textarea, required=False
    )
    organisation_support = forms.CharField(
        label="How could the organisation help? (optional)", widget=forms.Textarea, required=False
    )

    def layout_fields(self):
        return [
            Field.checkboxes("barriers"),
            Field.textarea("barrier_notes"),
            Field.textarea("organisation_support"),
        ]

    def draft_values(self):
        values = super().draft_values()
        values["barrier_notes"] = values["barrier_notes"].strip()
        values["organisation_support"] = values["organisation_support"].strip()
        return values


ACTION_ANSWER_KEYS = (
    "description",
    "action_type",
    "owner",
    "due_on-day",
    "due_on-month",
    "due_on-year",
    "leadership_dimension",
)


class ActionForm(forms.Form):
    """One action of the development plan, added or changed on the plan step."""

    description = forms.CharField(
        label="What is the action?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, shadow the matron for two night shifts.",
        error_messages={"required": "Enter what the action is"},
    )
    action_type = _radios(
        "What type of action is it?",
        DevelopmentAction.ActionType.choices,
        help_text=(
            "Experience is learning by doing, exposure is learning from others, "
            "and education is courses and study."
        ),
        required="Select the type of action",
    )
    owner = _radios(
        "Who owns the action?", DevelopmentAction.Owner.choices, required="Select who owns the action"
    )
    due_on = DateInputField(
        label="When is it due?",
        help_text=DATE_HINT,
        error_messages=_date_errors("the date the action is due"),
    )
    leadership_dimension = forms.ModelChoiceField(
        label="Which Healthcare Leadership Model dimension does it develop? (optional)",
        queryset=LeadershipDimension.objects.order_by("order"),
        required=False,
        empty_label="None",
        error_messages={"invalid_choice": "Select a dimension from the list"},
    )

    def __init__(self, *args, held_on: datetime.date | None, is_existing: bool, submit_text: str, **kwargs):
        self.held_on = held_on
        self.is_existing = is_existing
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(self, label_size=Size.SMALL, legend_size=Size.SMALL)
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field.textarea("description"),
            Field.radios("action_type"),
            Field.radios("owner"),
            Field.date("due_on"),
            Field.select("leadership_dimension"),
        )
        self.submit_text = submit_text

    def has_answers(self) -> bool:
        """Whether anything was typed or chosen (a blank form on "Continue" adds nothing)."""
        return any(str(self.data.get(key, "")).strip() for key in ACTION_ANSWER_KEYS)

    def clean_description(self):
        description = self.cleaned_data["description"].strip()
        if not description:
            raise ValidationError("Enter what the action is")
        return description

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if self.held_on and due_on < self.held_on:
            raise ValidationError(
                "The date the action is due must be on or after the date of the conversation"
            )
        # An action carried over from an earlier version may already be overdue; a new one may not.
        if not self.is_existing and due_on < timezone.localdate():
            raise ValidationError("The date the action is due must be today or in the future")
        return due_on

    def draft_values(self) -> dict:
        return {name: _json_safe(self.cleaned_data.get(name)) for name in self.fields}


class NextConversationForm(RecordStepForm):
    title = "Next conversation"

    next_conversation_due = DateInputField(
        label="When is the next conversation due?",
        error_messages=_date_errors("the date the next conversation is due"),
    )
    change_reason = forms.CharField(
        label="What changed and why?",
        widget=forms.Textarea,
        error_messages={"required": "Enter what changed and why"},
    )

    def __init__(self, *args, is_amending: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "next_conversation_due"
        ].help_text = f"Usually 12 months after this conversation. {DATE_HINT}"
        if is_amending:
            self.fields["change_reason"].help_text = (
                f"This is a new version of the record. {self.individual_name} will see what you write here "
                "with it."
            )
        else:
            del self.fields["change_reason"]
        self.helper.layout = Layout(*self.layout_fields(), Submit("Continue"))

    def initial_from_draft(self, draft):
        initial = super().initial_from_draft(draft)
        held_on = _parse_date(draft.get("held_on"))
        if not initial.get("next_conversation_due") and held_on:
            initial["next_conversation_due"] = default_next_conversation_due(held_on)
        return initial

    def layout_fields(self):
        fields = [Field.date("next_conversation_due")]
        if "change_reason" in self.fields:
            fields.append(Field.textarea("change_reason"))
        return fields

    def clean_next_conversation_due(self):
        due = self.cleaned_data["next_conversation_due"]
        if self.held_on and due <= self.held_on:
            raise ValidationError("The next conversation must be due after the date of this conversation")
        return due

    def clean_change_reason(self):
        reason = self.cleaned_data["change_reason"].strip()
        if not reason:
            raise ValidationError("Enter what changed and why")
        return reason


def record_input_from_draft(draft: dict) -> tuple[RecordData, list[ActionData], str]:
    """Turn a complete draft into the service's input. Ids that no longer exist resolve to nothing, and
    the service then says which answer to check."""
    impact_levels = ImpactLevel.objects.in_bulk(
        [pk for pk in (draft.get("current_impact_level"), draft.get("target_impact_level")) if pk]
    )
    dimension_ids = set(draft.get("strength_dimensions") or []) | {
        action["leadership_dimension"]
        for action in draft.get("actions", [])
        if action.get("leadership_dimension")
    }
    dimensions = LeadershipDimension.objects.in_bulk(dimension_ids)
    barriers = BarrierType.objects.filter(pk__in=draft.get("barriers") or [], is_active=True).order_by(
        "order"
    )
    data = RecordData(
        held_on=_parse_date(draft["held_on"]),
        wellbeing_discussed=draft["wellbeing_discussed"] == "yes",
        support_signposted=draft["support_signposted"] == "yes",
        strengths=draft["strengths"],
        ambition_depth=draft["ambition_depth"],
        ambition_breadth=draft["ambition_breadth"],
        ambition_stretch=draft["ambition_stretch"],
        aspirations=draft["aspirations"],
        aspiration_timeframe=draft["aspiration_timeframe"],
        current_impact_level=impact_levels.get(draft["current_impact_level"]),
        current_growth_category=draft["current_growth_category"],
        target_impact_level=impact_levels.get(draft["target_impact_level"]),
        target_growth_category=draft["target_growth_category"],
        readiness=draft["readiness"],
        next_conversation_due=_parse_date(draft["next_conversation_due"]),
        strength_dimensions=[
            dimensions[pk] for pk in draft.get("strength_dimensions") or [] if pk in dimensions
        ],
        barriers=list(barriers),
        barrier_notes=draft.get("barrier_notes") or "",
        organisation_support=draft.get("organisation_support") or "",
    )
    actions = [
        ActionData(
            description=action["description"],
            action_type=action["action_type"],
            owner=action["owner"],
            due_on=_parse_date(action["due_on"]),
            leadership_dimension=dimensions.get(action.get("leadership_dimension")),
            action_id=action.get("action_id"),
        )
        for action in draft.get("actions", [])
    ]
    return data, actions, draft.get("change_reason") or ""
