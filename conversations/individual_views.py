"""The individual's side of Scope for Growth, and the conversation pages everyone involved shares.

"Your growth", asking for a conversation, the sharing choice, agreeing or disagreeing with a record,
the reflection and wellbeing notes are the individual's own. The conversation detail and history
pages, action progress and cancelling are shared with the facilitator (and the current line manager
where DESIGN section 5 allows). Everything is loaded through scoped selectors: anything outside the
reader's scope is a 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from conversations import services
from conversations.individual_forms import (
    ActionProgressForm,
    AgreeForm,
    CoachConversationForm,
    ConfirmForm,
    ConversationRequestForm,
    DisagreeForm,
    GrowthSharingForm,
    ReflectionForm,
    WellbeingNotesForm,
    yes_no_initial,
)
from conversations.individual_selectors import (
    action_for,
    actions_of,
    coaches_for,
    format_date,
    growth_overview,
    is_history_shared,
    record_history,
    record_sections,
)
from conversations.models import Conversation, ConversationRecord, FacilitatorRole
from conversations.selectors import (
    conversation_for,
    conversation_of_individual,
    latest_record,
    may_see_facilitator_preparation,
    may_see_reflection,
    may_see_wellbeing_notes,
    own_staff_profile,
    records_of,
)
from core.audit import audit_read
from core.decorators import permission_required_or_404
from core.forms import add_service_errors

#: The first step of the facilitator's multi-step record form (`conversations:conversation_record`).
RECORD_FIRST_STEP = "held"

GET_AND_POST = ["GET", "HEAD", "POST"]


def _bound_on_post(request, form_class, **kwargs):
    """The form bound to the POST data, or unbound with `initial` on a GET (an empty POST is still bound)."""
    if request.method == "POST":
        kwargs.pop("initial", None)
        return form_class(request.POST, **kwargs)
    return form_class(**kwargs)


# --- Your growth ----------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "HEAD"])
@permission_required_or_404("conversations.view_own_growth")
def growth(request):
    """The person's role, position and aspiration, conversations and open development actions."""
    return render(
        request,
        "conversations/growth.html",
        {"profile": own_staff_profile(user=request.user), "overview": growth_overview(user=request.user)},
    )


@never_cache
@require_http_methods(GET_AND_POST)
@permission_required_or_404("conversations.view_own_growth")
def conversation_request(request):
    """Ask the line manager for a conversation: they get a notification."""
    profile = own_staff_profile(user=request.user)
    form = _bound_on_post(request, ConversationRequestForm)
    if request.method == "POST" and form.is_valid():
        try:
            services.conversation_request(individual=request.user, message=form.cleaned_data["message"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"We have asked {profile.line_manager} to plan a conversation with you")
            return redirect("conversations:growth")
    return render(request, "conversations/individual/request.html", {"form": form, "profile": profile})


@never_cache
@require_http_methods(GET_AND_POST)
@permission_required_or_404("conversations.view_own_growth")
def conversation_with_coach(request):
    """Plan a conversation with a coach instead of the line manager."""
    coaches = coaches_for(user=request.user)
    form = _bound_on_post(request, CoachConversationForm, coaches=coaches)
    if request.method == "POST" and form.is_valid():
        coach = form.cleaned_data["coach"]
        try:
            conversation = services.conversation_plan(
                facilitator=coach,
                individual=request.user,
                planned_for=form.cleaned_data["planned_for"],
                facilitator_role=FacilitatorRole.COACH,
                requested_by_individual=True,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Your conversation with {coach} is planned for {format_date(conversation.planned_for)}",
            )
            return redirect("conversations:conversation_detail", pk=conversation.pk)
    return render(
        request, "conversations/individual/coach.html", {"form": form, "has_coaches": coaches.exists()}
    )


@never_cache
@require_http_methods(GET_AND_POST)
@permission_required_or_404("conversations.view_own_growth")
def growth_sharing(request):
    """Whether a new line manager may see records made with a previous one."""
    form = _bound_on_post(
        request,
        GrowthSharingForm,
        initial={"is_history_shared_with_new_managers": yes_no_initial(is_history_shared(user=request.user))},
    )
    if request.method == "POST" and form.is_valid():
        is_shared = form.cleaned_data["is_history_shared_with_new_managers"]
        services.growth_sharing_update(user=request.user, is_history_shared_with_new_managers=is_shared)
        if is_shared:
            messages.success(request, "A new line manager will be able to see your earlier records")
        else:
            messages.success(request, "A new line manager will only see records made since they took over")
        return redirect("conversations:growth")
    return render(request, "conversations/individual/sharing.html", {"form": form})


# --- One conversation -----------------------------------------------------------------------------


def _audit_read_by_others(request, conversation: Conversation, verb: str) -> None:
    if request.user.pk != conversation.individual_id:
        audit_read(actor=request.user, instance=conversation, verb=verb)


@never_cache
@require_http_methods(["GET", "HEAD"])
def conversation_detail(request, pk):
    """The latest record of a conversation, its plan and what the reader may do next."""
    conversation = conversation_for(user=request.user, pk=pk)
    record = latest_record(conversation)
    user = request.user
    is_individual = user.pk == conversation.individual_id
    is_facilitator = user.pk == conversation.facilitator_id
    is_open = conversation.status != Conversation.Status.CANCELLED
    _audit_read_by_others(request, conversation, "conversation_read")
    return render(
        request,
        "conversations/detail.html",
        {
            "conversation": conversation,
            "record": record,
            "sections": record_sections(record) if record else [],
            "actions": list(actions_of(conversation)),
            "is_individual": is_individual,
            "is_facilitator": is_facilitator,
            "is_awaiting_agreement": (
                conversation.status == Conversation.Status.AWAITING_AGREEMENT
                and record is not None
                and record.individual_response == ConversationRecord.Response.PENDING
            ),
            "can_see_wellbeing_notes": may_see_wellbeing_notes(user=user, conversation=conversation),
            "can_see_reflection": may_see_reflection(user=user, conversation=conversation),
            "can_see_preparation": may_see_facilitator_preparation(user=user, conversation=conversation),
            "can_record": is_facilitator and is_open,
            "can_nominate": is_facilitator and is_open and record is not None,
            "can_cancel": (is_individual or is_facilitator)
            and conversation.status == Conversation.Status.PLANNED
            and record is None,
            "record_first_step": RECORD_FIRST_STEP,
        },
    )


@never_cache
@require_http_methods(["GET", "HEAD"])
def conversation_history(request, pk):
    """Every version of the record, newest first, with what changed each time."""
    conversation = conversation_for(user=request.user, pk=pk)
    versions = record_history(records_of(conversation))
    _audit_read_by_others(request, conversation, "conversation_history_read")
    return render(
        request,
        "conversations/history.html",
        {
            "conversation": conversation,
            "versions": versions,
            "is_individual": request.user.pk == conversation.individual_id,
        },
    )


@never_cache
@require_http_methods(GET_AND_POST)
def conversation_agree(request, pk):
    """The individual agrees the latest version, which locks it."""
    conversation = conversation_of_individual(user=request.user, pk=pk)
    form = _bound_on_post(request, AgreeForm)
    if request.method == "POST" and form.is_valid():
        try:
            services.conversation_agree(
                conversation=conversation, by=request.user, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "You have agreed this record")
            return redirect("conversations:conversation_detail", pk=conversation.pk)
    return render(
        request,
        "conversations/individual/agree.html",
        {"form": form, "conversation": conversation, "record": latest_record(conversation)},
    )


@never_cache
@require_http_methods(GET_AND_POST)
def conversation_disagree(request, pk):
    """The individual says what they do not agree with; the facilitator can then record a new version."""
    conversation = conversation_of_individual(user=request.user, pk=pk)
    form = _bound_on_post(request, DisagreeForm, facilitator=conversation.facilitator)
    if request.method == "POST" and form.is_valid():
        try:
            services.conversation_disagree(
                conversation=conversation, by=request.user, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"We have told {conversation.facilitator} that you do not agree with this record"
            )
            return redirect("conversations:conversation_detail", pk=conversation.pk)
    return render(
        request,
        "conversations/individual/disagree.html",
        {"form": form, "conversation": conversation, "record": latest_record(conversation)},
    )


@never_cache
@require_http_methods(GET_AND_POST)
def conversation_reflection(request, pk):
    """The individual's own reflection before the conversation, shared only if they choose."""
    conversation = conversation_of_individual(user=request.user, pk=pk)
    initial = {}
    if conversation.individual_reflection:
        initial = {
            "reflection": conversation.individual_reflection,
            "is_shared": yes_no_initial(conversation.is_reflection_shared),
        }
    form = _bound_on_post(request, ReflectionForm, conversation=conversation, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.conversation_reflection_update(
                conversation=conversation,
                by=request.user,
                text=form.cleaned_data["reflection"],
                is_shared=form.cleaned_data["is_shared"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your reflection has been saved")
            return redirect("conversations:conversation_detail", pk=conversation.pk)
    return render(
        request, "conversations/individual/reflection.html", {"form": form, "conversation": conversation}
    )


@never_cache
@require_http_methods(GET_AND_POST)
def conversation_wellbeing(request, pk):
    """The individual's wellbeing notes: private to them unless they share them."""
    conversation = conversation_of_individual(user=request.user, pk=pk)
    initial = {}
    if conversation.wellbeing_notes:
        initial = {
            "notes": conversation.wellbeing_notes,
            "is_shared": yes_no_initial(conversation.is_wellbeing_notes_shared),
        }
    form = _bound_on_post(request, WellbeingNotesForm, conversation=conversation, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.conversation_wellbeing_notes_update(
                conversation=conversation,
                by=request.user,
                notes=form.cleaned_data["notes"],
                is_shared=form.cleaned_data["is_shared"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your wellbeing notes have been saved")
            return redirect("conversations:conversation_detail", pk=conversation.pk)
    return render(
        request, "conversations/individual/wellbeing.html", {"form": form, "conversation": conversation}
    )


@never_cache
@require_http_methods(GET_AND_POST)
def conversation_cancel(request, pk):
    """Cancel a planned conversation with nothing recorded: the individual or the facilitator."""
    conversation = conversation_for(user=request.user, pk=pk)
    if request.user.pk not in (conversation.individual_id, conversation.facilitator_id):
        raise Http404
    form = _bound_on_post(request, ConfirmForm, button="Cancel the conversation")
    if request.method == "POST" and form.is_valid():
        try:
            services.conversation_cancel(conversation=conversation, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The conversation has been cancelled")
            return redirect("conversations:conversation_detail", pk=conversation.pk)
    return render(
        request, "conversations/individual/cancel.html", {"form": form, "conversation": conversation}
    )


# --- Development plan -----------------------------------------------------------------------------


@never_cache
@require_http_methods(GET_AND_POST)
def action_progress(request, pk):
    """Log progress on a development action: the individual, or the facilitator or manager who can see it."""
    action = action_for(user=request.user, pk=pk)
    is_individual = request.user.pk == action.individual_id
    form = _bound_on_post(request, ActionProgressForm, initial={"status": action.status})
    if request.method == "POST" and form.is_valid():
        try:
            services.development_action_progress_add(
                action=action,
                by=request.user,
                note=form.cleaned_data["note"],
                status=form.cleaned_data["status"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your progress update has been saved")
            if is_individual and request.user.has_perm("conversations.view_own_growth"):
                return redirect("conversations:growth")
            return redirect("conversations:conversation_detail", pk=action.conversation_id)
    elif not is_individual:
        audit_read(actor=request.user, instance=action, verb="development_action_read")
    return render(
        request,
        "conversations/individual/action_progress.html",
        {"form": form, "action": action, "is_individual": is_individual},
    )
