"""The participant's side of the scheme: their records, and the reads behind their pages.

Every write is the participant's own (anyone else gets PermissionDenied; the views 404 before that),
validates the scheme's rules with NHS-style messages (raised as a ValidationError keyed by field),
and leaves an audit event with the record before and after. Sponsor meetings are in
`hps.meeting_services`, shared with the sponsor's pages.

The pages' reads load everything they show in a fixed number of queries, whatever the number of
records.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from conversations.models import LeadershipDimension
from core.audit import audit, snapshot
from core.models import AuditEvent
from core.pdf import render_pdf
from hps.meeting_services import long_date, scheme_date_error, scheme_last_day
from hps.models import (
    CareerDevelopmentPlan,
    CoachingSession,
    Destination,
    KeyExperience,
    LearningLogEntry,
    Participant,
    SponsorMeeting,
    Workshop,
    WorkshopAttendance,
)
from hps.participant_selectors import coaching_sessions_with_notes_for, learning_log_for
from hps.progress import Progress, Requirement, participant_progress, participants_with_progress

NOT_YOURS = "Only the participant can change their own scheme records"

HOST_MAX_LENGTH = KeyExperience._meta.get_field("host_organisation").max_length
JOB_TITLE_MAX_LENGTH = Destination._meta.get_field("job_title").max_length
ORGANISATION_MAX_LENGTH = Destination._meta.get_field("organisation_name").max_length
DAYS_PER_WEEK_MIN = Decimal("1")
DAYS_PER_WEEK_MAX = Decimal("5")

ENTER_ENTRY_DATE = "Enter the date of the entry"
ENTER_ENTRY_TEXT = "Enter your reflection"
LINK_NOT_YOURS = "Select one of your key experiences or a workshop of your cohort"
LINK_BOTH = "Link the entry to a key experience or a workshop, not both"
SELECT_EXPERIENCE_TYPE = "Select the type of experience"
ENTER_HOST = "Enter the host organisation"
HOST_TOO_LONG = f"Host organisation must be {HOST_MAX_LENGTH} characters or fewer"
ENTER_STARTS_ON = "Enter the start date"
ENTER_ENDS_ON = "Enter the end date"
ENDS_BEFORE_START = "End date must be the same as or after the start date"
ENTER_DAYS = "Enter the number of days a week"
DAYS_TOO_FEW = "Days per week must be 1 or more"
DAYS_TOO_MANY = "Days per week must be 5 or fewer"
DAYS_TOO_PRECISE = "Days per week must be a whole number or have 1 decimal place, like 1.5"
ENTER_OBJECTIVES = "Enter the objectives of the experience"
ENTER_EXPERIENCE_REFLECTION = "Enter your reflection on the experience"
ENTER_STARTED_ON = "Enter the date you started the role"
STARTED_IN_FUTURE = "Date you started the role must be today or in the past"
ENTER_JOB_TITLE = "Enter the job title"
JOB_TITLE_TOO_LONG = f"Job title must be {JOB_TITLE_MAX_LENGTH} characters or fewer"
ENTER_ORGANISATION = "Enter the organisation"
ORGANISATION_TOO_LONG = f"Organisation must be {ORGANISATION_MAX_LENGTH} characters or fewer"
SELECT_PROMOTION = "Select yes if the role is a promotion"

PLAN_FIELDS = ["aspirations", "strengths", "areas_to_develop", "leadership_dimensions", "planned_experiences"]
ENTRY_FIELDS = [
    "written_on",
    "text",
    "leadership_dimensions",
    "key_experience",
    "workshop",
    "is_shared_with_sponsor",
]
EXPERIENCE_FIELDS = [
    "experience_type",
    "host_organisation",
    "starts_on",
    "ends_on",
    "days_per_week",
    "objectives",
    "reflection",
]
DESTINATION_FIELDS = ["started_on", "job_title", "organisation_name", "pay_band", "is_promotion"]

#: Learning log entries on one page of the log.
LOG_PAGE_SIZE = 20


def _require_own(participant: Participant, by) -> None:
    if not by.is_authenticated or by.pk != participant.user_id:
        raise PermissionDenied(NOT_YOURS)


def _raise_if(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


# --- "Your scheme" -----------------------------------------------------------------------------

#: Where each requirement's records are kept, for the links on "Your scheme".
REQUIREMENT_PAGES = {
    "coaching": "hps:scheme_sessions",
    "sponsor_meetings": "hps:scheme_meetings",
    "key_experiences": "hps:scheme_experiences",
    "learning_log": "hps:scheme_log",
    "career_development_plan": "hps:scheme_plan",
}


@dataclass(frozen=True)
class RequirementRow:
    """One requirement on "Your scheme": where the person is, a tag, and the page of its records."""

    requirement: Requirement
    tag_text: str
    tag_class: str
    url: str


@dataclass(frozen=True)
class SchemeOverview:
    participant: Participant
    progress: Progress
    rows: list[RequirementRow]
    meetings_to_confirm: int
    last_day: datetime.date


def requirement_tag(requirement: Requirement) -> tuple[str, str]:
    """The tag text and class for a requirement: done, behind or in progress."""
    if requirement.is_met:
        return "Done", "nhsuk-tag--green"
    if requirement.is_behind:
        return "Behind", "nhsuk-tag--red"
    return "In progress", "nhsuk-tag--blue"


def _with_progress(participant: Participant) -> Participant:
    """The participant again, with everything `participant_progress` reads loaded in a fixed number of
    queries."""
    return participants_with_progress(
        Participant.objects.filter(pk=participant.pk).select_related("mentor")
    ).get()


def meetings_to_confirm(participant: Participant) -> QuerySet[SponsorMeeting]:
    """Meetings the sponsor logged that the participant has not confirmed yet."""
    return participant.sponsor_meetings.filter(confirmed_at__isnull=True).exclude(
        logged_by_id=participant.user_id
    )


def scheme_overview(*, participant: Participant, today: datetime.date | None = None) -> SchemeOverview:
    """Everything "Your scheme" shows, in a fixed number of queries."""
    participant = _with_progress(participant)
    progress = participant_progress(participant, today=today or timezone.localdate())
    rows = []
    for requirement in progress.requirements:
        tag_text, tag_class = requirement_tag(requirement)
        page = REQUIREMENT_PAGES.get(requirement.key)
        rows.append(
            RequirementRow(
                requirement=requirement,
                tag_text=tag_text,
                tag_class=tag_class,
                url=reverse(page) if page else "",
            )
        )
    return SchemeOverview(
        participant=participant,
        progress=progress,
        rows=rows,
        meetings_to_confirm=meetings_to_confirm(participant).count(),
        last_day=scheme_last_day(participant),
    )


# --- Career development plan -----------------------------------------------------------------


def career_development_plan_of(participant: Participant) -> CareerDevelopmentPlan:
    """The participant's plan with its dimensions (an empty one if an old record has none)."""
    plan, _ = CareerDevelopmentPlan.objects.prefetch_related("leadership_dimensions").get_or_create(
        participant=participant
    )
    return plan


@transaction.atomic
def career_development_plan_update(
    *,
    participant: Participant,
    by,
    aspirations: str,
    strengths: str,
    areas_to_develop: str,
    leadership_dimensions,
    planned_experiences: str,
) -> CareerDevelopmentPlan:
    """Save the plan the participant keeps with their coach. Every part is optional until it is
    complete; the plan counts towards graduation once aspirations, strengths and areas to develop are
    all written."""
    _require_own(participant, by)
    plan, _ = CareerDevelopmentPlan.objects.select_for_update().get_or_create(participant=participant)
    before = snapshot(plan, fields=PLAN_FIELDS)
    plan.aspirations = aspirations.strip()
    plan.strengths = strengths.strip()
    plan.areas_to_develop = areas_to_develop.strip()
    plan.planned_experiences = planned_experiences.strip()
    plan.save()
    plan.leadership_dimensions.set(list(leadership_dimensions))
    audit(
        actor=by,
        action=AuditEvent.Action.UPDATE,
        verb="career_development_plan_update",
        instance=plan,
        before=before,
        after=snapshot(plan, fields=PLAN_FIELDS),
    )
    return plan


# --- Learning log ----------------------------------------------------------------------------


def learning_log_page_entries(*, user, participant: Participant) -> QuerySet[LearningLogEntry]:
    """The participant's log, newest first, with what each entry shows loaded alongside."""
    return (
        learning_log_for(user=user, participant=participant)
        .select_related("key_experience", "workshop")
        .prefetch_related("leadership_dimensions")
        .order_by("-written_on", "-id")
    )


def linkable_workshops(participant: Participant) -> QuerySet[Workshop]:
    return Workshop.objects.filter(cohort_id=participant.cohort_id).order_by("held_on", "title")


def _entry_errors(
    *, participant: Participant, by, written_on, text: str, key_experience, workshop
) -> dict[str, str]:
    errors = {}
    if written_on is None:
        errors["written_on"] = ENTER_ENTRY_DATE
    else:
        error = scheme_date_error(participant=participant, day=written_on, by=by)
        if error:
            errors["written_on"] = error
    if not text.strip():
        errors["text"] = ENTER_ENTRY_TEXT
    if key_experience is not None and key_experience.participant_id != participant.pk:
        errors["key_experience"] = LINK_NOT_YOURS
    if workshop is not None and workshop.cohort_id != participant.cohort_id:
        errors["workshop"] = LINK_NOT_YOURS
    if key_experience is not None and workshop is not None and not errors:
        errors["key_experience"] = LINK_BOTH
    return errors


def _save_entry(entry: LearningLogEntry, *, by, verb: str, action: str, before, leadership_dimensions):
    entry.save()
    entry.leadership_dimensions.set(list(leadership_dimensions))
    audit(
        actor=by,
        action=action,
        verb=verb,
        instance=entry,
        before=before,
        after=snapshot(entry, fields=ENTRY_FIELDS),
    )
    return entry


@transaction.atomic
def learning_log_entry_create(
    *,
    participant: Participant,
    by,
    written_on: datetime.date | None,
    text: str,
    leadership_dimensions=(),
    key_experience: KeyExperience | None = None,
    workshop: Workshop | None = None,
    is_shared_with_sponsor: bool = False,
) -> LearningLogEntry:
    """Add a dated reflection to the log, optionally tagged and linked to one experience or workshop."""
    _require_own(participant, by)
    _raise_if(
        _entry_errors(
            participant=participant,
            by=by,
            written_on=written_on,
            text=text,
            key_experience=key_experience,
            workshop=workshop,
        )
    )
    entry = LearningLogEntry(
        participant=participant,
        written_on=written_on,
        text=text.strip(),
        key_experience=key_experience,
        workshop=workshop,
        is_shared_with_sponsor=is_shared_with_sponsor,
    )
    return _save_entry(
        entry,
        by=by,
        verb="learning_log_entry_create",
        action=AuditEvent.Action.CREATE,
        before=None,
        leadership_dimensions=leadership_dimensions,
    )


@transaction.atomic
def learning_log_entry_update(
    *,
    entry: LearningLogEntry,
    by,
    written_on: datetime.date | None,
    text: str,
    leadership_dimensions=(),
    key_experience: KeyExperience | None = None,
    workshop: Workshop | None = None,
    is_shared_with_sponsor: bool = False,
) -> LearningLogEntry:
    """Change an entry of the log, with the same rules as adding one."""
    entry = LearningLogEntry.objects.select_for_update().select_related("participant").get(pk=entry.pk)
    participant = entry.participant
    _require_own(participant, by)
    _raise_if(
        _entry_errors(
            participant=participant,
            by=by,
            written_on=written_on,
            text=text,
            key_experience=key_experience,
            workshop=workshop,
        )
    )
    before = snapshot(entry, fields=ENTRY_FIELDS)
    entry.written_on = written_on
    entry.text = text.strip()
    entry.key_experience = key_experience
    entry.workshop = workshop
    entry.is_shared_with_sponsor = is_shared_with_sponsor
    return _save_entry(
        entry,
        by=by,
        verb="learning_log_entry_update",
        action=AuditEvent.Action.UPDATE,
        before=before,
        leadership_dimensions=leadership_dimensions,
    )


# --- Key experiences -------------------------------------------------------------------------


def _experience_errors(
    *,
    participant: Participant,
    by,
    experience_type: str,
    host_organisation: str,
    starts_on,
    ends_on,
    days_per_week,
    objectives: str,
) -> dict[str, str]:
    errors = {}
    if experience_type not in KeyExperience.ExperienceType.values:
        errors["experience_type"] = SELECT_EXPERIENCE_TYPE
    if not host_organisation.strip():
        errors["host_organisation"] = ENTER_HOST
    elif len(host_organisation.strip()) > HOST_MAX_LENGTH:
        errors["host_organisation"] = HOST_TOO_LONG
    # Experiences can be planned ahead, so only the scheme's dates limit them, not today.
    for field, day, label, missing in (
        ("starts_on", starts_on, "Start date", ENTER_STARTS_ON),
        ("ends_on", ends_on, "End date", ENTER_ENDS_ON),
    ):
        if day is None:
            errors[field] = missing
            continue
        error = scheme_date_error(participant=participant, day=day, by=by, label=label, is_past=False)
        if error:
            errors[field] = error
    if "starts_on" not in errors and "ends_on" not in errors and ends_on < starts_on:
        errors["ends_on"] = ENDS_BEFORE_START
    if days_per_week is None:
        errors["days_per_week"] = ENTER_DAYS
    elif days_per_week < DAYS_PER_WEEK_MIN:
        errors["days_per_week"] = DAYS_TOO_FEW
    elif days_per_week > DAYS_PER_WEEK_MAX:
        errors["days_per_week"] = DAYS_TOO_MANY
    elif days_per_week != days_per_week.quantize(Decimal("0.1")):
        errors["days_per_week"] = DAYS_TOO_PRECISE
    if not objectives.strip():
        errors["objectives"] = ENTER_OBJECTIVES
    return errors


@transaction.atomic
def key_experience_create(
    *,
    participant: Participant,
    by,
    experience_type: str,
    host_organisation: str,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
    days_per_week: Decimal | None,
    objectives: str,
) -> KeyExperience:
    """Record a key experience (placement, secondment, project...) within the scheme's 24 months, of at
    least one day a week."""
    _require_own(participant, by)
    _raise_if(
        _experience_errors(
            participant=participant,
            by=by,
            experience_type=experience_type,
            host_organisation=host_organisation,
            starts_on=starts_on,
            ends_on=ends_on,
            days_per_week=days_per_week,
            objectives=objectives,
        )
    )
    experience = KeyExperience.objects.create(
        participant=participant,
        experience_type=experience_type,
        host_organisation=host_organisation.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        days_per_week=days_per_week,
        objectives=objectives.strip(),
    )
    audit(
        actor=by,
        action=AuditEvent.Action.CREATE,
        verb="key_experience_create",
        instance=experience,
        after=snapshot(experience, fields=EXPERIENCE_FIELDS),
    )
    return experience


@transaction.atomic
def key_experience_update(
    *,
    experience: KeyExperience,
    by,
    experience_type: str,
    host_organisation: str,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
    days_per_week: Decimal | None,
    objectives: str,
) -> KeyExperience:
    """Change a key experience, with the same rules as recording one."""
    experience = KeyExperience.objects.select_for_update().select_related("participant").get(pk=experience.pk)
    _require_own(experience.participant, by)
    _raise_if(
        _experience_errors(
            participant=experience.participant,
            by=by,
            experience_type=experience_type,
            host_organisation=host_organisation,
            starts_on=starts_on,
            ends_on=ends_on,
            days_per_week=days_per_week,
            objectives=objectives,
        )
    )
    before = snapshot(experience, fields=EXPERIENCE_FIELDS)
    experience.experience_type = experience_type
    experience.host_organisation = host_organisation.strip()
    experience.starts_on = starts_on
    experience.ends_on = ends_on
    experience.days_per_week = days_per_week
    experience.objectives = objectives.strip()
    experience.save()
    audit(
        actor=by,
        action=AuditEvent.Action.UPDATE,
        verb="key_experience_update",
        instance=experience,
        before=before,
        after=snapshot(experience, fields=EXPERIENCE_FIELDS),
    )
    return experience


def can_reflect_on(experience: KeyExperience, *, today: datetime.date | None = None) -> bool:
    """A reflection can be written once the experience has started."""
    return experience.starts_on <= (today or timezone.localdate())


@transaction.atomic
def key_experience_reflection_save(*, experience: KeyExperience, by, reflection: str) -> KeyExperience:
    """Write (or rewrite) the reflection on an experience that has started."""
    experience = KeyExperience.objects.select_for_update().select_related("participant").get(pk=experience.pk)
    _require_own(experience.participant, by)
    if not can_reflect_on(experience):
        raise ValidationError(
            {
                "reflection": "You can add a reflection once the experience has started on "
                f"{long_date(experience.starts_on)}"
            }
        )
    if not reflection.strip():
        raise ValidationError({"reflection": ENTER_EXPERIENCE_REFLECTION})
    before = snapshot(experience, fields=["reflection"])
    experience.reflection = reflection.strip()
    experience.save(update_fields=["reflection", "updated_at"])
    audit(
        actor=by,
        action=AuditEvent.Action.UPDATE,
        verb="key_experience_reflection_save",
        instance=experience,
        before=before,
        after=snapshot(experience, fields=["reflection"]),
    )
    return experience


# --- Coaching sessions -----------------------------------------------------------------------


@transaction.atomic
def coaching_session_portfolio_choose(
    *, session: CoachingSession, by, is_in_portfolio: bool
) -> CoachingSession:
    """The participant chooses whether a session's notes go in their portfolio PDF (only they can)."""
    session = CoachingSession.objects.select_for_update().select_related("participant").get(pk=session.pk)
    _require_own(session.participant, by)
    before = snapshot(session, fields=["is_in_portfolio"])
    session.is_in_portfolio = is_in_portfolio
    session.save(update_fields=["is_in_portfolio", "updated_at"])
    audit(
        actor=by,
        action=AuditEvent.Action.UPDATE,
        verb="coaching_session_portfolio_choose",
        instance=session,
        before=before,
        after=snapshot(session, fields=["is_in_portfolio"]),
    )
    return session


# --- Destinations ----------------------------------------------------------------------------


def _destination_errors(
    *, participant: Participant, started_on, job_title: str, organisation_name: str, is_promotion
) -> dict[str, str]:
    errors = {}
    if started_on is None:
        errors["started_on"] = ENTER_STARTED_ON
    elif started_on < participant.starts_on:
        errors["started_on"] = (
            "Date you started the role must be on or after the start of your scheme, "
            f"{long_date(participant.starts_on)}"
        )
    elif started_on > timezone.localdate():
        errors["started_on"] = STARTED_IN_FUTURE
    if not job_title.strip():
        errors["job_title"] = ENTER_JOB_TITLE
    elif len(job_title.strip()) > JOB_TITLE_MAX_LENGTH:
        errors["job_title"] = JOB_TITLE_TOO_LONG
    if not organisation_name.strip():
        errors["organisation_name"] = ENTER_ORGANISATION
    elif len(organisation_name.strip()) > ORGANISATION_MAX_LENGTH:
        errors["organisation_name"] = ORGANISATION_TOO_LONG
    if is_promotion is None:
        errors["is_promotion"] = SELECT_PROMOTION
    return errors


@transaction.atomic
def destination_create(
    *,
    participant: Participant,
    by,
    started_on: datetime.date | None,
    job_title: str,
    organisation_name: str,
    pay_band=None,
    is_promotion: bool | None,
) -> Destination:
    """Record a role the participant moved to, during the scheme or after it."""
    _require_own(participant, by)
    _raise_if(
        _destination_errors(
            participant=participant,
            started_on=started_on,
            job_title=job_title,
            organisation_name=organisation_name,
            is_promotion=is_promotion,
        )
    )
    destination = Destination.objects.create(
        participant=participant,
        started_on=started_on,
        job_title=job_title.strip(),
        organisation_name=organisation_name.strip(),
        pay_band=pay_band,
        is_promotion=is_promotion,
    )
    audit(
        actor=by,
        action=AuditEvent.Action.CREATE,
        verb="destination_create",
        instance=destination,
        after=snapshot(destination, fields=DESTINATION_FIELDS),
    )
    return destination


@transaction.atomic
def destination_update(
    *,
    destination: Destination,
    by,
    started_on: datetime.date | None,
    job_title: str,
    organisation_name: str,
    pay_band=None,
    is_promotion: bool | None,
) -> Destination:
    """Change a recorded role, with the same rules as recording one."""
    destination = Destination.objects.select_for_update().select_related("participant").get(pk=destination.pk)
    _require_own(destination.participant, by)
    _raise_if(
        _destination_errors(
            participant=destination.participant,
            started_on=started_on,
            job_title=job_title,
            organisation_name=organisation_name,
            is_promotion=is_promotion,
        )
    )
    before = snapshot(destination, fields=DESTINATION_FIELDS)
    destination.started_on = started_on
    destination.job_title = job_title.strip()
    destination.organisation_name = organisation_name.strip()
    destination.pay_band = pay_band
    destination.is_promotion = is_promotion
    destination.save()
    audit(
        actor=by,
        action=AuditEvent.Action.UPDATE,
        verb="destination_update",
        instance=destination,
        before=before,
        after=snapshot(destination, fields=DESTINATION_FIELDS),
    )
    return destination


# --- Portfolio PDF ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PortfolioSession:
    """A coaching session in the portfolio: its notes only when the participant chose to include them."""

    held_on: datetime.date
    duration_minutes: int
    is_in_portfolio: bool
    notes: str
    agreed_actions: str


@dataclass(frozen=True)
class PortfolioDocument:
    participant: Participant
    name: str
    last_day: datetime.date
    rows: list[RequirementRow]
    progress: Progress
    plan: CareerDevelopmentPlan
    experiences: list[KeyExperience]
    workshops: list[Workshop]
    entries: list[LearningLogEntry]
    meetings: list[SponsorMeeting]
    sessions: list[PortfolioSession]
    panels: list
    assessments: list
    destinations: list[Destination]


@dataclass(frozen=True)
class PdfDownload:
    filename: str
    content: bytes


def portfolio_document(*, participant: Participant, by) -> PortfolioDocument:
    """The whole journey, for the participant's portfolio PDF. Only the participant may have it."""
    _require_own(participant, by)
    overview = scheme_overview(participant=participant)
    # Read the records from `participant`, not from the overview's copy: its prefetched rows carry only
    # the fields progress needs.
    sessions = [
        PortfolioSession(
            held_on=session.held_on,
            duration_minutes=session.duration_minutes,
            is_in_portfolio=session.is_in_portfolio,
            # The notes are copied only when chosen, so the template cannot show them by mistake.
            notes=session.notes if session.is_in_portfolio else "",
            agreed_actions=session.agreed_actions if session.is_in_portfolio else "",
        )
        for session in coaching_sessions_with_notes_for(user=by, participant=participant).order_by(
            "held_on", "id"
        )
    ]
    attended = (
        WorkshopAttendance.objects.filter(participant=participant)
        .select_related("workshop")
        .order_by("workshop__held_on", "workshop__title")
    )
    return PortfolioDocument(
        participant=overview.participant,
        name=str(overview.participant.user),
        last_day=overview.last_day,
        rows=overview.rows,
        progress=overview.progress,
        plan=career_development_plan_of(participant),
        experiences=list(participant.key_experiences.order_by("starts_on", "id")),
        workshops=[attendance.workshop for attendance in attended],
        entries=list(
            learning_log_page_entries(user=by, participant=participant).order_by("written_on", "id")
        ),
        meetings=list(participant.sponsor_meetings.order_by("held_on", "id")),
        sessions=sessions,
        panels=list(participant.final_panels.order_by("held_on", "id")),
        assessments=list(participant.readiness_assessments.order_by("assessed_on", "id")),
        destinations=list(participant.destinations.select_related("pay_band").order_by("started_on", "id")),
    )


def portfolio_pdf_download(*, participant: Participant, by) -> PdfDownload:
    """The portfolio PDF of the participant's whole journey."""
    document = portfolio_document(participant=participant, by=by)
    content = render_pdf(
        "pdf/hps_portfolio.html", {"document": document, "generated_at": timezone.localtime()}
    )
    return PdfDownload(
        filename=f"high-potential-scheme-portfolio-{timezone.localdate().isoformat()}.pdf", content=content
    )


# --- Reads for the other pages ---------------------------------------------------------------


def sponsor_meetings_of(participant: Participant) -> QuerySet[SponsorMeeting]:
    """The participant's sponsor meetings, newest first, with who logged and confirmed them."""
    return participant.sponsor_meetings.select_related("logged_by", "confirmed_by").order_by(
        "-held_on", "-id"
    )


def scheme_progress(participant: Participant) -> Progress:
    """Progress for pages that show a part of it (the missed sponsor months)."""
    return participant_progress(_with_progress(participant), today=timezone.localdate())


def leadership_dimension_choices() -> QuerySet[LeadershipDimension]:
    return LeadershipDimension.objects.order_by("order", "name")


def experiences_of(participant: Participant) -> QuerySet[KeyExperience]:
    return participant.key_experiences.order_by("starts_on", "id")


def destinations_of(participant: Participant) -> QuerySet[Destination]:
    return participant.destinations.select_related("pay_band").order_by("-started_on", "-id")
