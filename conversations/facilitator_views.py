"""The facilitator's side of Scope for Growth: the team page, planning, preparation and recording.

Every conversation is loaded through the scoped selectors (`direct_reports_of`,
`conversation_facilitated_by`), so anyone who is not the person's current line manager or chosen
coach gets a 404 and changes nothing. Every write goes through `conversations.services`.

Recording takes several pages. The answers are kept as a JSON-safe draft in the session, keyed by the
conversation, until the facilitator saves them from the check-your-answers page.
"""

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from conversations.forms import (
    ActionForm,
    AspirationsForm,
    BarriersForm,
    HeldForm,
    NextConversationForm,
    PlanForm,
    PositionForm,
    PreparationForm,
    StrengthsForm,
    TeamFilterForm,
    record_input_from_draft,
)
from conversations.models import (
    Ambition,
    AspirationTimeframe,
    BarrierType,
    Conversation,
    DevelopmentAction,
    FacilitatorRole,
    GrowthCategory,
    ImpactLevel,
    LeadershipDimension,
    Readiness,
)
from conversations.selectors import (
    TEAM_STATUS_ORDERINGS,
    TeamDueness,
    TeamStatus,
    conversation_facilitated_by,
    direct_reports_of,
    latest_record,
    team_with_status,
)
from conversations.services import conversation_plan, conversation_preparation_update, conversation_record
from core.audit import audit_read
from core.decorators import permission_required_or_404
from core.forms import add_service_errors

TEAM_PAGE_SIZE = 25
TEAM_COLUMNS = [
    ("name", "Name"),
    ("job_title", "Job title"),
    ("band", "Band"),
    ("status", "Conversation"),
    ("next_due", "Next due"),
]
STATUS_TAG_COLOURS = {
    TeamStatus.NOT_HAD_ONE: "grey",
    TeamStatus.PLANNED: "blue",
    TeamStatus.AWAITING_AGREEMENT: "orange",
    TeamStatus.NOT_AGREED: "red",
    TeamStatus.AGREED: "green",
}
DUENESS_TAG_COLOURS = {TeamDueness.OVERDUE: "red", TeamDueness.DUE_SOON: "orange"}


def _posted(request):
    """The submitted data, or None for a GET (an empty POST is still a submission, with errors)."""
    return request.POST if request.method == "POST" else None


# Your team -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamColumn:
    label: str
    url_sort: str
    aria_sort: str


def _team_columns(ordering: str) -> list[TeamColumn]:
    """Each column's link sorts by it ascending, or descending when it is already sorted ascending."""
    columns = []
    for key, label in TEAM_COLUMNS:
        if ordering == key:
            columns.append(TeamColumn(label, f"-{key}", "ascending"))
        elif ordering == f"-{key}":
            columns.append(TeamColumn(label, key, "descending"))
        else:
            columns.append(TeamColumn(label, key, ""))
    return columns


@permission_required_or_404("conversations.view_team")
def team(request):
    ordering = request.GET.get("sort", "name")
    if ordering.removeprefix("-") not in TEAM_STATUS_ORDERINGS:
        ordering = "name"
    filter_form = TeamFilterForm(request.GET)
    status_filter = filter_form.cleaned_data["status"] if filter_form.is_valid() else ""
    if not filter_form.is_valid():
        filter_form = TeamFilterForm(initial={"sort": ordering})
    people = team_with_status(manager=request.user, ordering=ordering, status_filter=status_filter)
    page = Paginator(people, TEAM_PAGE_SIZE).get_page(request.GET.get("page"))
    for person in page.object_list:
        person.status_label = TeamStatus(person.status).label
        person.status_colour = STATUS_TAG_COLOURS[person.status]
        person.dueness_label = TeamDueness(person.dueness).label if person.dueness else ""
        person.dueness_colour = DUENESS_TAG_COLOURS.get(person.dueness, "")
        person.may_plan = person.is_direct_report and person.status in (
            TeamStatus.NOT_HAD_ONE,
            TeamStatus.AGREED,
        )
        person.may_record = person.latest_facilitator_id == request.user.pk and person.status in (
            TeamStatus.PLANNED,
            TeamStatus.NOT_AGREED,
        )
    return render(
        request,
        "conversations/team.html",
        {
            "page": page,
            "ordering": ordering,
            "columns": _team_columns(ordering),
            "filter_form": filter_form,
            "status_filter": status_filter,
        },
    )


# Planning and preparation ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def conversation_plan_create(request, user_id):
    profile = direct_reports_of(manager=request.user).filter(user_id=user_id).first()
    if profile is None:
        raise Http404
    individual = profile.user
    form = PlanForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            conversation = conversation_plan(
                facilitator=request.user,
                individual=individual,
                planned_for=form.cleaned_data["planned_for"],
                facilitator_role=FacilitatorRole.LINE_MANAGER,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"Conversation with {individual} planned for {conversation.planned_for:%-d %B %Y}"
            )
            return redirect("conversations:conversation_detail", pk=conversation.pk)
    return render(request, "conversations/plan.html", {"form": form, "individual": individual})


def _open_conversation_facilitated_by(user, pk) -> Conversation:
    conversation = conversation_facilitated_by(user=user, pk=pk)
    if conversation.status == Conversation.Status.CANCELLED:
        raise Http404
    return conversation


@require_http_methods(["GET", "POST"])
def conversation_preparation(request, pk):
    conversation = _open_conversation_facilitated_by(request.user, pk)
    form = PreparationForm(
        _posted(request), initial={"facilitator_preparation": conversation.facilitator_preparation}
    )
    if request.method == "POST" and form.is_valid():
        try:
            conversation_preparation_update(
                conversation=conversation, by=request.user, text=form.cleaned_data["facilitator_preparation"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your preparation notes have been saved")
            return redirect("conversations:conversation_detail", pk=conversation.pk)
    return render(request, "conversations/preparation.html", {"form": form, "conversation": conversation})


# Recording -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordStep:
    slug: str
    title: str
    form_class: type | None
    needs_held_on: bool = False


RECORD_STEPS = [
    RecordStep("held", HeldForm.title, HeldForm),
    RecordStep("strengths", StrengthsForm.title, StrengthsForm),
    RecordStep("aspirations", AspirationsForm.title, AspirationsForm),
    RecordStep("position", PositionForm.title, PositionForm, needs_held_on=True),
    RecordStep("barriers", BarriersForm.title, BarriersForm),
    RecordStep("plan", "Development plan", None, needs_held_on=True),
    RecordStep("next", NextConversationForm.title, NextConversationForm, needs_held_on=True),
]
RECORD_STEP_SLUGS = [step.slug for step in RECORD_STEPS]
# Where each answer is asked, to link a service error back to its page and field.
RECORD_FIELD_STEPS = {
    name: step.slug for step in RECORD_STEPS if step.form_class for name in step.form_class.base_fields
}
_DRAFT_SESSION_KEY = "conversation_record_draft:{pk}"


def _draft_key(conversation: Conversation) -> str:
    return _DRAFT_SESSION_KEY.format(pk=conversation.pk)


def _new_draft(conversation: Conversation, reader) -> dict:
    """A first draft: empty for a first record; the latest version and current plan when amending
    (reading the individual's record to copy it is audited)."""
    record = latest_record(conversation)
    if record is None:
        draft = {"completed": [], "actions": []}
        if conversation.planned_for <= timezone.localdate():
            draft["held_on"] = conversation.planned_for.isoformat()
        return draft
    audit_read(actor=reader, instance=record, verb="conversation_record_amend_start")
    actions = conversation.actions.exclude(status=DevelopmentAction.Status.DROPPED).order_by("due_on", "pk")
    return {
        # Every step but the last has a saved answer; the last asks what changed and why.
        "completed": RECORD_STEP_SLUGS[:-1],
        "held_on": record.held_on.isoformat(),
        "wellbeing_discussed": "yes" if record.wellbeing_discussed else "no",
        "support_signposted": "yes" if record.support_signposted else "no",
        "strengths": record.strengths,
        "strength_dimensions": [dimension.pk for dimension in record.strength_dimensions.all()],
        "ambition_depth": record.ambition_depth,
        "ambition_breadth": record.ambition_breadth,
        "ambition_stretch": record.ambition_stretch,
        "aspirations": record.aspirations,
        "aspiration_timeframe": record.aspiration_timeframe,
        "current_impact_level": record.current_impact_level_id,
        "current_growth_category": record.current_growth_category,
        "target_impact_level": record.target_impact_level_id,
        "target_growth_category": record.target_growth_category,
        "readiness": record.readiness,
        "barriers": [barrier.pk for barrier in record.barriers.all()],
        "barrier_notes": record.barrier_notes,
        "organisation_support": record.organisation_support,
        "actions": [
            {
                "action_id": action.pk,
                "description": action.description,
                "action_type": action.action_type,
                "owner": action.owner,
                "due_on": action.due_on.isoformat(),
                "leadership_dimension": action.leadership_dimension_id,
            }
            for action in actions
        ],
        "next_conversation_due": record.next_conversation_due.isoformat(),
    }


def _load_draft(request, conversation: Conversation) -> dict:
    draft = request.session.get(_draft_key(conversation))
    if not isinstance(draft, dict):
        draft = _new_draft(conversation, request.user)
        _save_draft(request, conversation, draft)
    return draft


def _save_draft(request, conversation: Conversation, draft: dict) -> None:
    request.session[_draft_key(conversation)] = draft


def _complete(draft: dict, step: RecordStep) -> None:
    if step.slug not in draft["completed"]:
        draft["completed"] = [slug for slug in RECORD_STEP_SLUGS if slug in {*draft["completed"], step.slug}]


def _step_url(conversation: Conversation, slug: str, *, from_check: bool = False) -> str:
    url = reverse("conversations:conversation_record", kwargs={"pk": conversation.pk, "step": slug})
    return f"{url}?from=check" if from_check else url


def _check_url(conversation: Conversation) -> str:
    return reverse("conversations:conversation_record_check", kwargs={"pk": conversation.pk})


def _first_incomplete_step(draft: dict) -> str | None:
    return next((slug for slug in RECORD_STEP_SLUGS if slug not in draft.get("completed", [])), None)


def _after_step(request, conversation: Conversation, step: RecordStep, draft: dict) -> str:
    """Back to the check page when changing an answer from there, otherwise the next step."""
    if request.GET.get("from") == "check" and _first_incomplete_step(draft) is None:
        return _check_url(conversation)
    index = RECORD_STEP_SLUGS.index(step.slug)
    if index + 1 < len(RECORD_STEPS):
        return _step_url(conversation, RECORD_STEP_SLUGS[index + 1])
    return _check_url(conversation)


def _back_url(request, conversation: Conversation, step: RecordStep) -> str:
    if request.GET.get("from") == "check":
        return _check_url(conversation)
    index = RECORD_STEP_SLUGS.index(step.slug)
    if index == 0:
        return reverse("conversations:conversation_detail", kwargs={"pk": conversation.pk})
    return _step_url(conversation, RECORD_STEP_SLUGS[index - 1])


@require_http_methods(["GET", "POST"])
def conversation_record_step(request, pk, step):
    conversation = _open_conversation_facilitated_by(request.user, pk)
    record_step = next((candidate for candidate in RECORD_STEPS if candidate.slug == step), None)
    if record_step is None:
        raise Http404
    draft = _load_draft(request, conversation)
    if record_step.needs_held_on and not draft.get("held_on"):
        return redirect(_step_url(conversation, "held"))
    if record_step.form_class is None:
        return _record_plan_step(request, conversation, record_step, draft)
    extra = (
        {"is_amending": conversation.records.exists()}
        if record_step.form_class is NextConversationForm
        else {}
    )
    form = record_step.form_class(_posted(request), conversation=conversation, draft=draft, **extra)
    if request.method == "POST" and form.is_valid():
        draft.update(form.draft_values())
        _complete(draft, record_step)
        _save_draft(request, conversation, draft)
        return redirect(_after_step(request, conversation, record_step, draft))
    return render(
        request,
        "conversations/record/step.html",
        {
            "form": form,
            "conversation": conversation,
            "step": record_step,
            "step_number": RECORD_STEP_SLUGS.index(record_step.slug) + 1,
            "step_count": len(RECORD_STEPS),
            "back_url": _back_url(request, conversation, record_step),
        },
    )


def _action_index(value, actions: list) -> int | None:
    """A 1-based action number from the request, or None when it is missing or not in the draft."""
    try:
        index = int(value)
    except (TypeError, ValueError):
        return None
    return index if 1 <= index <= len(actions) else None


def _record_plan_step(request, conversation: Conversation, step: RecordStep, draft: dict):
    actions = draft.setdefault("actions", [])
    held_on = datetime.date.fromisoformat(draft["held_on"])
    plan_url = _step_url(conversation, step.slug, from_check=request.GET.get("from") == "check")
    if request.method == "POST" and "remove" in request.POST:
        index = _action_index(request.POST["remove"], actions)
        if index is not None:
            actions.pop(index - 1)
            _save_draft(request, conversation, draft)
        return redirect(plan_url)

    change_index = _action_index(request.POST.get("index") or request.GET.get("change"), actions)
    changing = actions[change_index - 1] if change_index else None
    form = ActionForm(
        _posted(request),
        initial=_action_initial(changing) if changing else None,
        held_on=held_on,
        is_existing=bool(changing and changing.get("action_id")),
        submit_text="Save action" if changing else "Add action",
    )
    if request.method == "POST":
        is_continuing = "continue" in request.POST
        if is_continuing and changing is None and not form.has_answers():
            _complete(draft, step)
            _save_draft(request, conversation, draft)
            return redirect(_after_step(request, conversation, step, draft))
        if form.is_valid():
            values = form.draft_values()
            if changing:
                actions[change_index - 1] = {"action_id": changing.get("action_id"), **values}
            else:
                actions.append({"action_id": None, **values})
            if is_continuing:
                _complete(draft, step)
            _save_draft(request, conversation, draft)
            if is_continuing:
                return redirect(_after_step(request, conversation, step, draft))
            return redirect(plan_url)
    return render(
        request,
        "conversations/record/plan.html",
        {
            "form": form,
            "conversation": conversation,
            "step": step,
            "step_number": RECORD_STEP_SLUGS.index(step.slug) + 1,
            "step_count": len(RECORD_STEPS),
            "actions": _actions_for_display(actions, plan_url),
            "change_index": change_index,
            "form_action": plan_url,
            "back_url": _back_url(request, conversation, step),
        },
    )


def _action_initial(action: dict) -> dict:
    return {
        "description": action["description"],
        "action_type": action["action_type"],
        "owner": action["owner"],
        "due_on": datetime.date.fromisoformat(action["due_on"]),
        "leadership_dimension": action.get("leadership_dimension"),
    }


@dataclass(frozen=True)
class ActionRow:
    number: int
    change_url: str
    description: str
    action_type: str
    owner: str
    due_on: datetime.date | None
    leadership_dimension: str


def _actions_for_display(actions: list[dict], plan_url: str) -> list[ActionRow]:
    separator = "&" if "?" in plan_url else "?"
    dimensions = LeadershipDimension.objects.in_bulk(
        [action["leadership_dimension"] for action in actions if action.get("leadership_dimension")]
    )
    return [
        ActionRow(
            number=number,
            change_url=f"{plan_url}{separator}change={number}#action-form",
            description=action["description"],
            action_type=_label(DevelopmentAction.ActionType, action["action_type"]),
            owner=_label(DevelopmentAction.Owner, action["owner"]),
            due_on=datetime.date.fromisoformat(action["due_on"]) if action.get("due_on") else None,
            leadership_dimension=str(dimensions.get(action.get("leadership_dimension"), "")),
        )
        for number, action in enumerate(actions, start=1)
    ]


def _label(choices, value) -> str:
    return choices(value).label if value in choices.values else ""


@dataclass(frozen=True)
class SummaryRow:
    key: str
    value: str
    change_url: str
    change_text: str


@dataclass(frozen=True)
class ErrorItem:
    text: str
    href: str


def _date_text(value) -> str:
    return f"{datetime.date.fromisoformat(value):%-d %B %Y}" if value else ""


def _names(model, ids) -> str:
    objects = model.objects.in_bulk(ids or [])
    return "\n".join(str(objects[pk]) for pk in ids or [] if pk in objects) or "None"


def _record_summary(conversation: Conversation, draft: dict) -> list[tuple[str, list[SummaryRow]]]:
    def row(key: str, value: str, step: str, change_text: str) -> SummaryRow:
        return SummaryRow(key, value, _step_url(conversation, step, from_check=True), change_text)

    levels = ImpactLevel.objects.in_bulk(
        [pk for pk in (draft.get("current_impact_level"), draft.get("target_impact_level")) if pk]
    )
    yes_no = {"yes": "Yes", "no": "No"}
    sections = [
        (
            HeldForm.title,
            [
                row("Date held", _date_text(draft.get("held_on")), "held", "date the conversation was held"),
                row(
                    "Wellbeing discussed",
                    yes_no.get(draft.get("wellbeing_discussed"), ""),
                    "held",
                    "whether you discussed wellbeing",
                ),
                row(
                    "Support signposted",
                    yes_no.get(draft.get("support_signposted"), ""),
                    "held",
                    "whether support was signposted",
                ),
            ],
        ),
        (
            StrengthsForm.title,
            [
                row("Strengths", draft.get("strengths", ""), "strengths", "strengths"),
                row(
                    "Healthcare Leadership Model dimensions",
                    _names(LeadershipDimension, draft.get("strength_dimensions")),
                    "strengths",
                    "Healthcare Leadership Model dimensions",
                ),
            ],
        ),
        (
            AspirationsForm.title,
            [
                row(
                    "Growth in depth",
                    _label(Ambition, draft.get("ambition_depth")),
                    "aspirations",
                    "growth in depth",
                ),
                row(
                    "Growth in breadth",
                    _label(Ambition, draft.get("ambition_breadth")),
                    "aspirations",
                    "growth in breadth",
                ),
                row(
                    "Growth in stretch and complexity",
                    _label(Ambition, draft.get("ambition_stretch")),
                    "aspirations",
                    "growth in stretch and complexity",
                ),
                row("Aspirations", draft.get("aspirations", ""), "aspirations", "aspirations"),
                row(
                    "Timeframe",
                    _label(AspirationTimeframe, draft.get("aspiration_timeframe")),
                    "aspirations",
                    "timeframe",
                ),
            ],
        ),
        (
            PositionForm.title,
            [
                row(
                    "Current impact level",
                    str(levels.get(draft.get("current_impact_level"), "")),
                    "position",
                    "current impact level",
                ),
                row(
                    "Current growth category",
                    _label(GrowthCategory, draft.get("current_growth_category")),
                    "position",
                    "current growth category",
                ),
                row(
                    "Target impact level",
                    str(levels.get(draft.get("target_impact_level"), "")),
                    "position",
                    "target impact level",
                ),
                row(
                    "Target growth category",
                    _label(GrowthCategory, draft.get("target_growth_category")),
                    "position",
                    "target growth category",
                ),
                row(
                    "Readiness for a next step",
                    _label(Readiness, draft.get("readiness")),
                    "position",
                    "readiness for a next step",
                ),
            ],
        ),
        (
            BarriersForm.title,
            [
                row("Barriers", _names(BarrierType, draft.get("barriers")), "barriers", "barriers"),
                row(
                    "More about the barriers",
                    draft.get("barrier_notes") or "None",
                    "barriers",
                    "barrier notes",
                ),
                row(
                    "How the organisation could help",
                    draft.get("organisation_support") or "None",
                    "barriers",
                    "how the organisation could help",
                ),
            ],
        ),
    ]
    next_rows = [
        row(
            "Next conversation due",
            _date_text(draft.get("next_conversation_due")),
            "next",
            "date the next conversation is due",
        )
    ]
    if conversation.records.exists():
        next_rows.append(row("What changed and why", draft.get("change_reason", ""), "next", "what changed"))
    sections.append((NextConversationForm.title, next_rows))
    return sections


def _record_errors(conversation: Conversation, error: ValidationError) -> list[ErrorItem]:
    """The service's errors for the check page, each linking to the page and field it is about."""
    if not hasattr(error, "error_dict"):
        return [ErrorItem(message, "") for message in error.messages]
    items = []
    for name, messages_ in error.message_dict.items():
        if name.startswith("action_"):
            href = f"{_step_url(conversation, 'plan', from_check=True)}#{name.replace('_', '-')}"
        elif name in RECORD_FIELD_STEPS:
            href = f"{_step_url(conversation, RECORD_FIELD_STEPS[name], from_check=True)}#id_{name}"
        else:
            href = ""
        items.extend(ErrorItem(message, href) for message in messages_)
    return items


@require_http_methods(["GET", "POST"])
def conversation_record_check(request, pk):
    conversation = _open_conversation_facilitated_by(request.user, pk)
    draft = _load_draft(request, conversation)
    incomplete = _first_incomplete_step(draft)
    if incomplete is not None:
        return redirect(_step_url(conversation, incomplete))
    errors = []
    if request.method == "POST":
        data, actions, change_reason = record_input_from_draft(draft)
        try:
            conversation_record(
                conversation=conversation,
                by=request.user,
                data=data,
                actions=actions,
                change_reason=change_reason,
            )
        except ValidationError as error:
            errors = _record_errors(conversation, error)
        else:
            request.session.pop(_draft_key(conversation), None)
            messages.success(request, f"Record sent to {conversation.individual} to agree")
            return redirect("conversations:conversation_detail", pk=conversation.pk)
    return render(
        request,
        "conversations/record/check.html",
        {
            "conversation": conversation,
            "sections": _record_summary(conversation, draft),
            "actions": _actions_for_display(
                draft.get("actions", []), _step_url(conversation, "plan", from_check=True)
            ),
            "plan_url": _step_url(conversation, "plan", from_check=True),
            "back_url": _step_url(conversation, RECORD_STEP_SLUGS[-1]),
            "errors": errors,
        },
    )
