"""The career coach's pages: their participants, one participant's plan and sessions, and session logs.

Only people with the coach role reach them (`hps.coach_participants`, a 404 for anyone else), and
participants and sessions are loaded only through `hps.coach_selectors`, so a participant the person
does not coach, or a session they did not log, is a 404 too. Every change goes through
`hps.coaching_services`.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.audit import audit_read
from core.decorators import permission_required_or_404
from hps import coaching_services
from hps.coach_forms import CoachingSessionForm
from hps.coach_selectors import (
    coached_participants,
    participant_coached_by,
    session_logged_by,
    sessions_against_target,
    sessions_for_coach,
)
from hps.meeting_services import scheme_last_day

coach_required = permission_required_or_404("hps.coach_participants")


def _call_service(form, service, **kwargs):
    """Run a service, putting its validation errors on the form. Returns None when it refused."""
    try:
        return service(**kwargs)
    except ValidationError as error:
        form.add_error(None, error)
        return None


def _session_values(form) -> dict:
    data = form.cleaned_data
    return {
        "held_on": data["held_on"],
        "duration_minutes": data["duration_minutes"],
        "notes": data["notes"],
        "agreed_actions": data["agreed_actions"],
    }


@coach_required
@require_http_methods(["GET", "HEAD"])
def coach_participants(request):
    """The participants the person coaches, with their sessions against the target."""
    rows = coached_participants(user=request.user, today=timezone.localdate())
    return render(request, "hps/coach/participants.html", {"rows": rows})


@never_cache
@coach_required
@require_http_methods(["GET", "HEAD"])
def coach_participant(request, pk):
    """One participant for their coach: the plan, key experiences and every session with its notes."""
    participant = participant_coached_by(user=request.user, pk=pk)
    sessions = list(sessions_for_coach(user=request.user, participant=participant))
    audit_read(actor=request.user, instance=participant, verb="participant_view_as_coach")
    return render(
        request,
        "hps/coach/participant.html",
        {
            "participant": participant,
            "plan": getattr(participant, "career_development_plan", None),
            "experiences": participant.key_experiences.all(),
            "sessions": sessions,
            "sessions_summary": sessions_against_target(len(sessions)),
            "closed_reason": coaching_services.closed_to_sessions(participant),
            "last_day": scheme_last_day(participant),
        },
    )


@never_cache
@coach_required
@require_http_methods(["GET", "HEAD", "POST"])
def coach_session_add(request, pk):
    """Log a session held with one of the coach's participants."""
    participant = participant_coached_by(user=request.user, pk=pk)
    closed_reason = coaching_services.closed_to_sessions(participant)
    if closed_reason is not None:
        messages.info(request, closed_reason)
        return redirect("hps:coach_participant", pk=participant.pk)
    form = CoachingSessionForm(request.POST if request.method == "POST" else None, participant=participant)
    if request.method == "POST" and form.is_valid():
        session = _call_service(
            form,
            coaching_services.coaching_session_log,
            participant=participant,
            by=request.user,
            **_session_values(form),
        )
        if session is not None:
            messages.success(request, f"Coaching session of {session.held_on:%-d %B %Y} saved")
            return redirect("hps:coach_participant", pk=participant.pk)
    return render(
        request,
        "hps/coach/session_form.html",
        {
            "form": form,
            "participant": participant,
            "session": None,
            "last_day": scheme_last_day(participant),
        },
    )


@never_cache
@coach_required
@require_http_methods(["GET", "HEAD", "POST"])
def coach_session_edit(request, pk):
    """Change a session the coach logged."""
    session = session_logged_by(user=request.user, pk=pk)
    participant = session.participant
    closed_reason = coaching_services.closed_to_sessions(participant)
    if closed_reason is not None:
        messages.info(request, closed_reason)
        return redirect("hps:coach_participant", pk=participant.pk)
    form = CoachingSessionForm(
        request.POST if request.method == "POST" else None,
        participant=participant,
        submit_text="Save changes",
        initial={
            "held_on": session.held_on,
            "duration_minutes": session.duration_minutes,
            "notes": session.notes,
            "agreed_actions": session.agreed_actions,
        },
    )
    if request.method == "POST" and form.is_valid():
        updated = _call_service(
            form,
            coaching_services.coaching_session_update,
            session=session,
            by=request.user,
            **_session_values(form),
        )
        if updated is not None:
            messages.success(request, f"Coaching session of {updated.held_on:%-d %B %Y} saved")
            return redirect("hps:coach_participant", pk=participant.pk)
    return render(
        request,
        "hps/coach/session_form.html",
        {
            "form": form,
            "participant": participant,
            "session": session,
            "last_day": scheme_last_day(participant),
        },
    )
