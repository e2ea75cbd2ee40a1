"""The HPS administrator's participant pages: cohort progress (and its CSV export), one participant and
the actions on them, workshops and attendance, and the final panel.

Only current HPS administrators reach them (`hps.administer_cohorts`, a 404 for anyone else), and
everything is loaded through scoped selectors, so a participant, workshop or panel outside the cohorts
the administrator runs is a 404 too. Coaching notes never reach these pages: sessions are shown as a
date and a length.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.audit import audit_read
from core.decorators import permission_required_or_404
from hps import participant_admin_services as services
from hps.admin_participant_forms import (
    STATUS_ACTIONS,
    AttendanceForm,
    CoachForm,
    CompleteForm,
    FinalPanelForm,
    PanelOutcomeForm,
    PersonEmailForm,
    ProgressFilterForm,
    ReadinessAssessmentForm,
    ReadinessNeedForm,
    StatusReasonForm,
    WorkshopForm,
)
from hps.csv_export import csv_lines
from hps.meeting_services import scheme_last_day
from hps.models import FinalPanel, Participant
from hps.participant_admin_selectors import (
    PROGRESS_COLUMNS,
    ProgressRow,
    coaches,
    coaching_sessions_held,
    cohort_progress,
    final_panel_administered_by,
    participant_administered_by,
    workshop_administered_by,
    workshops_of,
)
from hps.participant_selectors import participants_administered_by
from hps.progress import participant_progress
from hps.selectors import cohort_administered_by

administer_required = permission_required_or_404("hps.administer_cohorts")

#: Which status each action needs and the service that does it.
STATUS_SERVICES = {
    "pause": services.participant_pause,
    "withdraw": services.participant_withdraw,
    "resume": services.participant_resume,
}
STATUS_ALLOWED_FROM = {
    "pause": {Participant.Status.ACTIVE},
    "withdraw": {Participant.Status.ACTIVE, Participant.Status.PAUSED},
    "resume": {Participant.Status.PAUSED},
}
STATUS_DONE = {
    "pause": "{name}'s place is paused",
    "withdraw": "{name} has been withdrawn from the scheme",
    "resume": "{name}'s place has resumed",
}


def _call_service(form, service, **kwargs):
    """Run a service, putting its validation errors on the form. Returns None when it refused."""
    try:
        return service(**kwargs)
    except ValidationError as error:
        form.add_error(None, error)
        return None


def _data(request):
    return request.POST if request.method == "POST" else None


def _to_participant(participant):
    return redirect("hps:admin_participant", pk=participant.pk)


def _action_page(request, participant, form, *, title: str, has_heading: bool = True, intro: str = ""):
    """A page with one form about the participant: the heading is the form's own unless `has_heading`."""
    return render(
        request,
        "hps/administer/participants/action.html",
        {
            "participant": participant,
            "cohort": participant.cohort,
            "form": form,
            "title": title,
            "has_heading": has_heading,
            "intro": intro,
        },
    )


# --- Cohort progress ----------------------------------------------------------------------------


@administer_required
@require_http_methods(["GET", "HEAD"])
def cohort_progress_view(request, pk):
    cohort = cohort_administered_by(user=request.user, pk=pk)
    form = ProgressFilterForm(request.GET or None)
    only_behind = form.is_valid() and form.cleaned_data["behind"]
    rows = cohort_progress(user=request.user, cohort=cohort, today=timezone.localdate())
    behind_count = sum(1 for row in rows if row.is_behind)
    shown = [row for row in rows if row.is_behind] if only_behind else rows
    return render(
        request,
        "hps/administer/participants/cohort_progress.html",
        {
            "cohort": cohort,
            "filter_form": form,
            "rows": shown,
            "columns": [label for _key, label in PROGRESS_COLUMNS],
            "participant_count": len(rows),
            "behind_count": behind_count,
            "only_behind": only_behind,
        },
    )


@never_cache
@administer_required
@require_http_methods(["GET", "HEAD", "POST"])
def cohort_progress_export(request, pk):
    cohort = cohort_administered_by(user=request.user, pk=pk)
    if request.method == "POST":
        lines = services.cohort_progress_export(cohort=cohort, by=request.user)
        response = StreamingHttpResponse(csv_lines(lines), content_type="text/csv; charset=utf-8")
        filename = f"hps-progress-{slugify(cohort.name)[:60]}-{timezone.localdate():%Y-%m-%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    count = participants_administered_by(user=request.user).filter(cohort=cohort).count()
    return render(
        request, "hps/administer/participants/cohort_progress_export.html", {"cohort": cohort, "count": count}
    )


# --- One participant ----------------------------------------------------------------------------


@never_cache
@administer_required
@require_http_methods(["GET", "HEAD"])
def participant_detail(request, pk):
    participant = participant_administered_by(user=request.user, pk=pk)
    audit_read(actor=request.user, instance=participant, verb="hps_participant_view")
    progress = participant_progress(participant, today=timezone.localdate())
    attended = {attendance.workshop_id for attendance in participant.workshop_attendances.all()}
    return render(
        request,
        "hps/administer/participants/participant.html",
        {
            "participant": participant,
            "cohort": participant.cohort,
            "progress": progress,
            "cells": ProgressRow(participant=participant, progress=progress).cells,
            "last_day": scheme_last_day(participant),
            "sessions": coaching_sessions_held(participant),
            "workshops": [
                {"workshop": workshop, "is_attended": workshop.pk in attended}
                for workshop in participant.cohort.workshops.all()
            ],
            "experiences": participant.key_experiences.all(),
            "panels": participant.final_panels.all(),
            "assessments": participant.readiness_assessments.all(),
            "is_open": participant.status in (Participant.Status.ACTIVE, Participant.Status.PAUSED),
            "status_actions": [
                {"name": name, "text": STATUS_ACTIONS[name][1]}
                for name, allowed in STATUS_ALLOWED_FROM.items()
                if participant.status in allowed
            ],
            "can_complete": participant.status == Participant.Status.ACTIVE,
            "has_scheduled_panel": any(not panel.outcome for panel in participant.final_panels.all()),
            "has_passed_panel": any(
                panel.outcome == FinalPanel.Outcome.PASSED for panel in participant.final_panels.all()
            ),
        },
    )


@never_cache
@administer_required
@require_http_methods(["GET", "HEAD", "POST"])
def participant_coach(request, pk):
    participant = participant_administered_by(user=request.user, pk=pk)
    form = CoachForm(
        _data(request),
        coaches=coaches(),
        participant=participant,
        initial={"coach": participant.coach_id},
    )
    if request.method == "POST" and form.is_valid():
        done = _call_service(
            form,
            services.participant_coach_assign,
            participant=participant,
            by=request.user,
            coach=form.cleaned_data["coach"],
        )
        if done is not None:
            messages.success(
                request, f"{form.cleaned_data['coach']} is now {participant.user}'s career coach"
            )
            return _to_participant(participant)
    return _action_page(request, participant, form, title="Career coach", has_heading=False)


def _person_view(request, pk, *, what: str, service, title: str, current):
    participant = participant_administered_by(user=request.user, pk=pk)
    person = current(participant)
    form = PersonEmailForm(
        _data(request), what=what, participant=participant, initial={"email": person.email if person else ""}
    )
    if request.method == "POST" and form.is_valid():
        done = _call_service(
            form, service, participant=participant, by=request.user, email=form.cleaned_data["email"]
        )
        if done is not None:
            messages.success(request, f"{current(done)} is now {participant.user}'s {what}")
            return _to_participant(participant)
    return _action_page(request, participant, form, title=title, has_heading=False)


@never_cache
@administer_required
@require_http_methods(["GET", "HEAD", "POST"])
def participant_sponsor(request, pk):
    return _person_view(
        request,
        pk,
        what="sponsor",
        service=services.participant_sponsor_assign,
        title="Sponsor",
        current=lambda participant: participant.sponsor,
    )


@never_cache
@administer_required
@require_http_methods(["GET", "HEAD", "POST"])
def participant_mentor(request, pk):
    return _person_view(
        request,
        pk,
        what="mentor or buddy",
        service=services.participant_mentor_assign,
        title="Mentor or buddy",
        current=lambda participant: participant.mentor,
    )


@never_cache
@administer_required
@require_http_methods(["GET", "HEAD", "POST"])
def participant_readiness_need(request, pk):
    participant = participant_administered_by(user=request.user, pk=pk)
    form = ReadinessNeedForm(
        _data(request),
        participant=participant,
        initial={"is_needed": "yes" if participant.needs_readiness_assessment else "no"},
    )
    if request.method == "POST" and form.is_valid():
        done = _call_service(
            form,
            services.participant_readiness_need_set,
            participant=participant,
            by=request.user,
            is_needed=form.cleaned_data["is_needed"],
        )
        if done is not None:
            messages.success(request, "Readiness assessment need saved")
            return _to_participant(participant)
    return _action_page(request, participant, form, title="Readiness assessment needed")


@never_cache
@administer_required
@require_http_methods(["GET", "HEAD", "POST"])
def participant_readiness_assessment(request, pk):
    participant = participant_administered_by(user=request.user, pk=pk)
    form = ReadinessAssessmentForm(_data(request))
    if request.method == "POST" and form.is_valid():
        done = _call_service(
            form,
            services.readiness_assessment_record,
            participant=participant,
            by=request.user,
            assessed_on=form.cleaned_data["assessed_on"],
            outcome=form.cleaned_data["outcome"],
        )
        if done is not None:
            messages.success(request, f"Readiness assessment recorded. {participant.user} has been told.")
            return _to_participant(participant)
    return _action_page(request, participant, form, title="Record a readiness assessment")


@never_cache
@administer_required
@require_http_methods(["GET", "HEAD", "POST"])
def participant_status(request, pk, action):
    if action not in STATUS_SERVICES:
        raise Http404
    participant = participant_administered_by(user=request.user, pk=pk)
    if participant.status not in STATUS_ALLOWED_FROM[action]:
        messages.error(
            request,
            f"{participant.user}'s place is {participant.get_status_display().lower()}, so you cannot "
            f"{action} it. Nothing was changed.",
        )
        return _to_participant(participant)
    form = StatusReasonForm(_data(request), action=action, participant=participant)
    if request.method == "POST" and form.is_valid():
        done = _call_service(
            form,
            STATUS_SERVICES[action],
            participant=participant,
            by=request.user,
            reason=form.cleaned_data["reason"],
        )
        if done is not None:
            messages.success(
                request, f"{STATUS_DONE[action].format(name=participant.user)}. They have been told."
            )
            return _to_participant(participant)
    return _action_page(request, participant, form, title=STATUS_ACTIONS[action][1], has_heading=False)


@never_cache
@administer_required
@require_http_methods(["GET", "HEAD", "POST"])
def participant_complete(request, pk):
    participant = participant_administered_by(user=request.user, pk=pk)
    if participant.status != Participant.Status.ACTIVE:
        messages.error(
            request,
            f"{participant.user}'s place is {participant.get_status_display().lower()}, so you cannot mark "
            "them as complete. Nothing was changed.",
        )
        return _to_participant(participant)
    progress = participant_progress(participant, today=timezone.localdate())
    form = CompleteForm(_data(request), participant=participant, is_complete=progress.is_complete)
    if request.method == "POST" and form.is_valid():
        done = _call_service(
            form,
            services.participant_complete,
            participant=participant,
            by=request.user,
            exception_reason=form.cleaned_data.get("exception_reason", ""),
        )
        if done is not None:
            messages.success(request, f"{participant.user} has completed the scheme. They have been told.")
            return _to_participant(participant)
    return render(
        request,
        "hps/administer/participants/complete.html",
        {"participant": participant, "cohort": participant.cohort, "progress": progress, "form": form},
    )


# --- The final panel ----------------------------------------------------------------------------


@never_cache
@administer_required
@require_http_methods(["GET", "HEAD", "POST"])
def final_panel_schedule(request, pk):
    participant = participant_administered_by(user=request.user, pk=pk)
    scheduled = next((panel for panel in participant.final_panels.all() if not panel.outcome), None)
    form = FinalPanelForm(
        _data(request),
        is_rescheduling=scheduled is not None,
        initial={"held_on": scheduled.held_on, "panel_members": scheduled.panel_members}
        if scheduled
        else None,
    )
    if request.method == "POST" and form.is_valid():
        panel = _call_service(
            form,
            services.final_panel_schedule,
            participant=participant,
            by=request.user,
            held_on=form.cleaned_data["held_on"],
            panel_members=form.cleaned_data["panel_members"],
        )
        if panel is not None:
            messages.success(
                request, f"Final panel on {panel.held_on:%-d %B %Y} saved. {participant.user} has been told."
            )
            return _to_participant(participant)
    title = "Change the final panel" if scheduled else "Schedule the final panel"
    return _action_page(request, participant, form, title=title)


@never_cache
@administer_required
@require_http_methods(["GET", "HEAD", "POST"])
def final_panel_outcome(request, pk):
    panel = final_panel_administered_by(user=request.user, pk=pk)
    participant = panel.participant
    form = PanelOutcomeForm(_data(request))
    if request.method == "POST" and form.is_valid():
        done = _call_service(
            form,
            services.final_panel_outcome_record,
            panel=panel,
            by=request.user,
            outcome=form.cleaned_data["outcome"],
            feedback=form.cleaned_data["feedback"],
        )
        if done is not None:
            messages.success(request, f"Panel outcome recorded. {participant.user} has been told.")
            return _to_participant(participant)
    return _action_page(
        request,
        participant,
        form,
        title="Record the outcome of the final panel",
        intro=f"The panel met on {panel.held_on:%-d %B %Y}: {', '.join(panel.panel_members.splitlines())}.",
    )


# --- Workshops ----------------------------------------------------------------------------------


@administer_required
@require_http_methods(["GET", "HEAD"])
def cohort_workshops(request, pk):
    cohort = cohort_administered_by(user=request.user, pk=pk)
    return render(
        request,
        "hps/administer/participants/workshops.html",
        {
            "cohort": cohort,
            "workshops": workshops_of(user=request.user, cohort=cohort),
            "participant_count": participants_administered_by(user=request.user)
            .filter(cohort=cohort)
            .count(),
            "today": timezone.localdate(),
        },
    )


@administer_required
@require_http_methods(["GET", "HEAD", "POST"])
def workshop_create(request, pk):
    cohort = cohort_administered_by(user=request.user, pk=pk)
    form = WorkshopForm(_data(request))
    if request.method == "POST" and form.is_valid():
        workshop = _call_service(
            form,
            services.workshop_schedule,
            cohort=cohort,
            by=request.user,
            title=form.cleaned_data["title"],
            held_on=form.cleaned_data["held_on"],
            is_core=form.cleaned_data["is_core"],
        )
        if workshop is not None:
            messages.success(
                request, f"{workshop.title} scheduled. The cohort's participants have been told."
            )
            return redirect("hps:cohort_workshops", pk=cohort.pk)
    return render(
        request,
        "hps/administer/participants/workshop_form.html",
        {"cohort": cohort, "form": form, "scheme_last_day": services.cohort_scheme_last_day(cohort)},
    )


@administer_required
@require_http_methods(["GET", "HEAD", "POST"])
def workshop_attendance(request, pk):
    workshop = workshop_administered_by(user=request.user, pk=pk)
    cohort = workshop.cohort
    form = AttendanceForm(
        _data(request),
        participants=participants_administered_by(user=request.user).filter(cohort=cohort),
        initial={"participants": list(workshop.attendances.values_list("participant_id", flat=True))},
    )
    is_held = workshop.held_on <= timezone.localdate()
    if request.method == "POST" and form.is_valid():
        done = _call_service(
            form,
            services.workshop_attendance_record,
            workshop=workshop,
            by=request.user,
            participants=form.cleaned_data["participants"],
        )
        if done is not None:
            messages.success(request, f"Attendance at {workshop.title} saved")
            return redirect("hps:cohort_workshops", pk=cohort.pk)
    return render(
        request,
        "hps/administer/participants/workshop_attendance.html",
        {"cohort": cohort, "workshop": workshop, "form": form, "is_held": is_held},
    )
