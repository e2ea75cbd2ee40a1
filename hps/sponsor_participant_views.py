"""The sponsor's pages for the participants they sponsor: milestones, shared log entries and meetings.

A sponsor needs no role: they are whoever the participant's record names. Participants and meetings
are loaded only through `hps.sponsor_participant_selectors`, so anyone else's is a 404. Coaching
sessions appear only as a count, never their dates or notes. Meetings are logged and confirmed
through `hps.meeting_services`, which the participant's own pages use too.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from core.audit import audit_read
from hps import meeting_services
from hps.meeting_services import long_date, scheme_last_day
from hps.progress import participant_progress
from hps.sponsor_participant_forms import SponsorMeetingForm
from hps.sponsor_participant_selectors import (
    meeting_sponsored_by,
    meetings_for_sponsor,
    participant_sponsored_by,
    shared_learning_log,
    sponsored_participants,
)


@require_http_methods(["GET", "HEAD"])
def sponsor_participants(request):
    """The participants the person sponsors, with their sponsor meetings and what waits for them."""
    rows = sponsored_participants(user=request.user, today=timezone.localdate())
    return render(request, "hps/sponsoring/participants.html", {"rows": rows})


@never_cache
@require_http_methods(["GET", "HEAD"])
def sponsor_participant(request, pk):
    """One participant for their sponsor: milestones, key experiences, shared log entries, meetings."""
    participant = participant_sponsored_by(user=request.user, pk=pk)
    progress = participant_progress(participant, today=timezone.localdate())
    audit_read(actor=request.user, instance=participant, verb="participant_view_as_sponsor")
    return render(
        request,
        "hps/sponsoring/participant.html",
        {
            "participant": participant,
            "last_day": scheme_last_day(participant),
            "progress": progress,
            "experiences": participant.key_experiences.all(),
            "log_entries": shared_learning_log(user=request.user, participant=participant),
            "meetings": meetings_for_sponsor(participant=participant),
        },
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def sponsor_meeting_add(request, pk):
    """Log a meeting with the participant; they are asked to confirm it."""
    participant = participant_sponsored_by(user=request.user, pk=pk)
    form = SponsorMeetingForm(request.POST if request.method == "POST" else None, participant=participant)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = meeting_services.sponsor_meeting_log(
                participant=participant,
                by=request.user,
                held_on=form.cleaned_data["held_on"],
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"Meeting of {long_date(meeting.held_on)} logged. "
                f"We have asked {participant.user} to confirm it.",
            )
            return redirect("hps:sponsor_participant", pk=participant.pk)
    return render(
        request,
        "hps/sponsoring/meeting_form.html",
        {"form": form, "participant": participant, "last_day": scheme_last_day(participant)},
    )


@require_POST
def sponsor_meeting_confirm(request, pk):
    """Confirm a meeting the participant logged."""
    meeting = meeting_sponsored_by(user=request.user, pk=pk)
    try:
        meeting_services.sponsor_meeting_confirm(meeting=meeting, by=request.user)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
    else:
        messages.success(request, f"Meeting of {long_date(meeting.held_on)} confirmed")
    return redirect("hps:sponsor_participant", pk=meeting.participant_id)
