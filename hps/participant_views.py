"""The participant's own pages: "Your scheme" and the records kept over the 24 months.

Every page starts from `own_participation`: someone without a place on the scheme gets a 404, and
records are fetched only from the signed-in participant's own, so another person's ids are a 404 too.
Writes go through `hps.participant_services` and `hps.meeting_services`.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from core.decorators import permission_required_or_404
from core.forms import add_service_errors
from hps import meeting_services
from hps import participant_services as services
from hps.meeting_services import long_date
from hps.models import Participant
from hps.participant_forms import (
    YES,
    CareerDevelopmentPlanForm,
    DestinationForm,
    KeyExperienceForm,
    LearningLogEntryForm,
    PortfolioChoiceForm,
    ReflectionForm,
    SponsorMeetingForm,
)
from hps.participant_selectors import coaching_sessions_with_notes_for, own_participation

GET = ["GET", "HEAD"]
GET_AND_POST = ["GET", "HEAD", "POST"]

view_scheme_required = permission_required_or_404("hps.view_scheme")


def _participation(request) -> Participant:
    participant = own_participation(user=request.user)
    if participant is None:
        raise Http404
    return participant


def _posted(request):
    return request.POST if request.method == "POST" else None


def _own(queryset, pk):
    """One of the participant's own records, or 404."""
    record = queryset.filter(pk=pk).first()
    if record is None:
        raise Http404
    return record


# --- "Your scheme" ---------------------------------------------------------------------------


@never_cache
@view_scheme_required
@require_http_methods(GET)
def scheme(request):
    """Status, dates, the people supporting them, and progress against every requirement."""
    overview = services.scheme_overview(participant=_participation(request))
    return render(request, "hps/participant/scheme.html", {"overview": overview})


# --- Career development plan -----------------------------------------------------------------


@never_cache
@view_scheme_required
@require_http_methods(GET)
def plan(request):
    participant = _participation(request)
    return render(
        request,
        "hps/participant/plan.html",
        {"participant": participant, "plan": services.career_development_plan_of(participant)},
    )


@never_cache
@view_scheme_required
@require_http_methods(GET_AND_POST)
def plan_edit(request):
    participant = _participation(request)
    current = services.career_development_plan_of(participant)
    form = CareerDevelopmentPlanForm(
        _posted(request),
        initial={
            "aspirations": current.aspirations,
            "strengths": current.strengths,
            "areas_to_develop": current.areas_to_develop,
            "leadership_dimensions": list(current.leadership_dimensions.all()),
            "planned_experiences": current.planned_experiences,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.career_development_plan_update(participant=participant, by=request.user, **form.cleaned_data)
        messages.success(request, "Your career development plan has been saved")
        return redirect("hps:scheme_plan")
    return render(request, "hps/participant/plan_form.html", {"form": form})


# --- Learning log ----------------------------------------------------------------------------


@never_cache
@view_scheme_required
@require_http_methods(GET)
def log(request):
    """The learning log, newest first, a page at a time."""
    participant = _participation(request)
    entries = services.learning_log_page_entries(user=request.user, participant=participant)
    page = Paginator(entries, services.LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "hps/participant/log.html", {"participant": participant, "page": page})


def _entry_form(request, participant, initial=None):
    return LearningLogEntryForm(
        _posted(request),
        initial=initial,
        experiences=services.experiences_of(participant),
        workshops=services.linkable_workshops(participant),
    )


_LINK_ALIASES = {"key_experience": "linked_to", "workshop": "linked_to"}


@never_cache
@view_scheme_required
@require_http_methods(GET_AND_POST)
def log_entry_add(request):
    participant = _participation(request)
    form = _entry_form(request, participant)
    if request.method == "POST" and form.is_valid():
        try:
            services.learning_log_entry_create(
                participant=participant, by=request.user, **form.service_arguments()
            )
        except ValidationError as error:
            add_service_errors(form, error, aliases=_LINK_ALIASES)
        else:
            messages.success(request, "Your learning log entry has been saved")
            return redirect("hps:scheme_log")
    return render(request, "hps/participant/log_form.html", {"form": form, "is_new": True})


@never_cache
@view_scheme_required
@require_http_methods(GET_AND_POST)
def log_entry_edit(request, pk):
    participant = _participation(request)
    entry = _own(services.learning_log_page_entries(user=request.user, participant=participant), pk)
    form = _entry_form(request, participant, initial=LearningLogEntryForm.initial_for(entry))
    if request.method == "POST" and form.is_valid():
        try:
            services.learning_log_entry_update(entry=entry, by=request.user, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error, aliases=_LINK_ALIASES)
        else:
            messages.success(request, "Your learning log entry has been saved")
            return redirect("hps:scheme_log")
    return render(request, "hps/participant/log_form.html", {"form": form, "is_new": False})


# --- Key experiences -------------------------------------------------------------------------


@never_cache
@view_scheme_required
@require_http_methods(GET)
def experiences(request):
    participant = _participation(request)
    return render(
        request,
        "hps/participant/experiences.html",
        {"participant": participant, "experiences": services.experiences_of(participant)},
    )


@never_cache
@view_scheme_required
@require_http_methods(GET_AND_POST)
def experience_add(request):
    participant = _participation(request)
    form = KeyExperienceForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.key_experience_create(participant=participant, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your key experience has been saved")
            return redirect("hps:scheme_experiences")
    return render(request, "hps/participant/experience_form.html", {"form": form, "is_new": True})


@never_cache
@view_scheme_required
@require_http_methods(GET_AND_POST)
def experience_edit(request, pk):
    participant = _participation(request)
    experience = _own(services.experiences_of(participant), pk)
    form = KeyExperienceForm(
        _posted(request),
        initial={
            "experience_type": experience.experience_type,
            "host_organisation": experience.host_organisation,
            "starts_on": experience.starts_on,
            "ends_on": experience.ends_on,
            "days_per_week": experience.days_per_week,
            "objectives": experience.objectives,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.key_experience_update(experience=experience, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your key experience has been saved")
            return redirect("hps:scheme_experiences")
    return render(
        request,
        "hps/participant/experience_form.html",
        {"form": form, "is_new": False, "experience": experience},
    )


@never_cache
@view_scheme_required
@require_http_methods(GET_AND_POST)
def experience_reflection(request, pk):
    """The reflection at the end of an experience: once it has started."""
    participant = _participation(request)
    experience = _own(services.experiences_of(participant), pk)
    if not services.can_reflect_on(experience):
        return render(
            request,
            "hps/participant/reflection_not_yet.html",
            {"experience": experience, "starts_on": long_date(experience.starts_on)},
        )
    form = ReflectionForm(_posted(request), initial={"reflection": experience.reflection})
    if request.method == "POST" and form.is_valid():
        try:
            services.key_experience_reflection_save(
                experience=experience, by=request.user, reflection=form.cleaned_data["reflection"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your reflection has been saved")
            return redirect("hps:scheme_experiences")
    return render(request, "hps/participant/reflection_form.html", {"form": form, "experience": experience})


# --- Sponsor meetings ------------------------------------------------------------------------


@never_cache
@view_scheme_required
@require_http_methods(GET)
def meetings(request):
    """The meetings with the sponsor, the months without one, and those waiting for confirmation."""
    participant = _participation(request)
    return render(
        request,
        "hps/participant/meetings.html",
        {
            "participant": participant,
            "meetings": services.sponsor_meetings_of(participant),
            "missed_months": services.scheme_progress(participant).missed_sponsor_months,
        },
    )


@never_cache
@view_scheme_required
@require_http_methods(GET_AND_POST)
def meeting_log(request):
    participant = _participation(request)
    form = SponsorMeetingForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            meeting_services.sponsor_meeting_log(
                participant=participant,
                by=request.user,
                held_on=form.cleaned_data["held_on"],
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The meeting has been logged. Your sponsor will be asked to confirm it")
            return redirect("hps:scheme_meetings")
    return render(request, "hps/participant/meeting_form.html", {"form": form, "participant": participant})


@never_cache
@view_scheme_required
@require_POST
def meeting_confirm(request, pk):
    """Confirm a meeting the sponsor logged."""
    participant = _participation(request)
    meeting = _own(services.sponsor_meetings_of(participant), pk)
    try:
        meeting_services.sponsor_meeting_confirm(meeting=meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"You have confirmed the meeting of {long_date(meeting.held_on)}")
    return redirect("hps:scheme_meetings")


# --- Coaching sessions -----------------------------------------------------------------------


@never_cache
@view_scheme_required
@require_http_methods(GET)
def sessions(request):
    """The sessions with the coach, their notes and agreed actions, and the portfolio choice."""
    participant = _participation(request)
    return render(
        request,
        "hps/participant/sessions.html",
        {
            "participant": participant,
            "sessions": coaching_sessions_with_notes_for(user=request.user, participant=participant),
        },
    )


@never_cache
@view_scheme_required
@require_POST
def session_portfolio(request, pk):
    participant = _participation(request)
    session = _own(coaching_sessions_with_notes_for(user=request.user, participant=participant), pk)
    form = PortfolioChoiceForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["is_in_portfolio"][0])
        return redirect("hps:scheme_sessions")
    is_in_portfolio = form.cleaned_data["is_in_portfolio"] == YES
    services.coaching_session_portfolio_choose(
        session=session, by=request.user, is_in_portfolio=is_in_portfolio
    )
    held_on = long_date(session.held_on)
    messages.success(
        request,
        f"The notes of your session on {held_on} will be in your portfolio"
        if is_in_portfolio
        else f"The notes of your session on {held_on} will be left out of your portfolio",
    )
    return redirect("hps:scheme_sessions")


# --- Destinations ----------------------------------------------------------------------------


@never_cache
@view_scheme_required
@require_http_methods(GET)
def destinations(request):
    participant = _participation(request)
    return render(
        request,
        "hps/participant/destinations.html",
        {"participant": participant, "destinations": services.destinations_of(participant)},
    )


@never_cache
@view_scheme_required
@require_http_methods(GET_AND_POST)
def destination_add(request):
    participant = _participation(request)
    form = DestinationForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.destination_create(participant=participant, by=request.user, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your role has been saved")
            return redirect("hps:scheme_destinations")
    return render(request, "hps/participant/destination_form.html", {"form": form, "is_new": True})


@never_cache
@view_scheme_required
@require_http_methods(GET_AND_POST)
def destination_edit(request, pk):
    participant = _participation(request)
    destination = _own(services.destinations_of(participant), pk)
    form = DestinationForm(_posted(request), initial=DestinationForm.initial_for(destination))
    if request.method == "POST" and form.is_valid():
        try:
            services.destination_update(destination=destination, by=request.user, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your role has been saved")
            return redirect("hps:scheme_destinations")
    return render(request, "hps/participant/destination_form.html", {"form": form, "is_new": False})


# --- Portfolio PDF ---------------------------------------------------------------------------


@never_cache
@view_scheme_required
@require_http_methods(GET)
def portfolio(request):
    """The portfolio PDF of the whole journey (coaching notes only where the participant chose)."""
    download = services.portfolio_pdf_download(participant=_participation(request), by=request.user)
    response = HttpResponse(download.content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{download.filename}"'
    return response
