"""Writes for HPS administrators about participants: who supports them, workshops, the final panel,
readiness assessments, pausing, withdrawing, resuming and completing.

Every function here checks that `by` administers the participant's cohort, validates, writes an audit
event and tells the participant. Completion is never a checkbox: a participant is marked complete only
when `hps.progress` finds every requirement met, or with an exception reason the administrator gives.
Nothing here reads or writes coaching notes.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from core.audit import audit, snapshot
from core.models import AuditEvent
from core.notifications import Notice, notify, notify_many
from hps.csv_export import safe_cell
from hps.meeting_services import long_date, scheme_date_error
from hps.models import Cohort, FinalPanel, Participant, ReadinessAssessment, Workshop, WorkshopAttendance
from hps.participant_admin_selectors import PROGRESS_COLUMNS, coaches, cohort_progress
from hps.progress import add_months, participant_progress, participants_with_progress
from hps.selectors import cohorts_administered_by

NOT_YOUR_COHORT = "Only the cohort's HPS administrators can do this"
SELECT_COACH = "Select a coach from the list"
REASON_MAX_LENGTH = 2000
REASON_TOO_LONG = f"Reason must be {REASON_MAX_LENGTH:,} characters or fewer"
WORKSHOP_TITLE_MAX_LENGTH = Workshop._meta.get_field("title").max_length
PANEL_MEMBERS_MAX_LENGTH = 2000
FEEDBACK_MAX_LENGTH = 10_000

Status = Participant.Status

#: The audit snapshot of a participant: who supports them and where they are on the scheme.
PARTICIPANT_FIELDS = [
    "coach",
    "sponsor",
    "mentor",
    "status",
    "status_reason",
    "needs_readiness_assessment",
    "completion_exception_reason",
    "completed_at",
]


def _scheme_url() -> str:
    """The participant's "Your scheme" page, for the links in their notifications."""
    try:
        return reverse("hps:scheme")
    except NoReverseMatch:
        return ""


def _locked_participant(participant: Participant, by) -> Participant:
    """The participant row, locked, if `by` administers their cohort; PermissionDenied otherwise."""
    locked = (
        Participant.objects.select_for_update(of=("self",))
        .filter(pk=participant.pk, cohort__in=cohorts_administered_by(user=by).values("pk"))
        .select_related("user", "cohort")
        .first()
    )
    if locked is None:
        raise PermissionDenied(NOT_YOUR_COHORT)
    return locked


def _closed(participant: Participant) -> str | None:
    """Why nothing more can be recorded for the participant, or None when something can."""
    if participant.status == Status.WITHDRAWN:
        return f"{participant.user} has withdrawn from the scheme, so this cannot be changed"
    if participant.status == Status.COMPLETED:
        return f"{participant.user} has completed the scheme, so this cannot be changed"
    return None


def _check_open(participant: Participant) -> None:
    closed = _closed(participant)
    if closed is not None:
        raise ValidationError(closed, code="closed")


def _update(participant: Participant, *, by, verb: str, values: dict) -> AuditEvent | None:
    """Save the changed fields and audit them; None (and nothing written) when nothing changed."""
    before = snapshot(participant, fields=PARTICIPANT_FIELDS)
    for field, value in values.items():
        setattr(participant, field, value)
    after = snapshot(participant, fields=PARTICIPANT_FIELDS)
    if after == before:
        return None
    participant.save(update_fields=[*values, "updated_at"])
    return audit(
        actor=by, action=AuditEvent.Action.UPDATE, verb=verb, instance=participant, before=before, after=after
    )


def _tell(participant: Participant, event: AuditEvent, *, title: str, body: str) -> None:
    # The audit event's id makes the key unique, so a second change of the same kind is told too.
    notify(
        recipient=participant.user,
        event_key=f"hps-participant:{participant.pk}:{event.verb}:{event.pk}",
        title=title,
        body=body,
        url=_scheme_url(),
    )


# --- Who supports the participant ---------------------------------------------------------------


@transaction.atomic
def participant_coach_assign(*, participant: Participant, by, coach) -> Participant:
    """Make `coach` (someone with a current career coach role) the participant's coach, and tell both."""
    participant = _locked_participant(participant, by)
    _check_open(participant)
    if coach is None or not coaches().filter(pk=coach.pk).exists():
        raise ValidationError({"coach": SELECT_COACH})
    if coach.pk == participant.user_id:
        raise ValidationError({"coach": f"Select a coach other than {participant.user}"})
    event = _update(participant, by=by, verb="participant_coach_assign", values={"coach": coach})
    if event is not None:
        _tell(
            participant,
            event,
            title="You have a new career coach",
            body=f"{coach} is now your career coach on the High Potential Scheme. They will be in touch "
            "to arrange your sessions.",
        )
        notify(
            recipient=coach,
            event_key=f"hps-participant:{participant.pk}:coach_assigned:{event.pk}",
            title="You have a new High Potential Scheme participant",
            body=f"You are now {participant.user}'s career coach on {participant.cohort}.",
            url=_optional_url("hps:coach_participant", pk=participant.pk),
        )
    return participant


def _optional_url(name: str, **kwargs) -> str:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


def _person_by_email(participant: Participant, email: str, *, field: str, what: str):
    """The active account with this email address, or a ValidationError on `field` saying what is wrong."""
    email = (email or "").strip()
    if not email:
        raise ValidationError({field: f"Enter the {what}'s email address"})
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {field: "Enter an email address in the correct format, like name@nhs.net"}
        ) from None
    person = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
    if person is None:
        raise ValidationError(
            {
                field: f"There is no account with the email address {email}. Ask them to sign in to the "
                "service once, then try again"
            }
        )
    if person.pk == participant.user_id:
        raise ValidationError({field: f"Enter the email address of someone other than {participant.user}"})
    return person


@transaction.atomic
def participant_sponsor_assign(*, participant: Participant, by, email: str) -> Participant:
    """Make the person with this email address (an existing account) the participant's sponsor."""
    participant = _locked_participant(participant, by)
    _check_open(participant)
    sponsor = _person_by_email(participant, email, field="email", what="sponsor")
    event = _update(participant, by=by, verb="participant_sponsor_assign", values={"sponsor": sponsor})
    if event is not None:
        _tell(
            participant,
            event,
            title="Your High Potential Scheme sponsor has changed",
            body=f"{sponsor} is now your sponsor. Meet them at least once a month and log your meetings.",
        )
    return participant


@transaction.atomic
def participant_mentor_assign(*, participant: Participant, by, email: str) -> Participant:
    """Make the person with this email address (an existing account) the participant's mentor or buddy."""
    participant = _locked_participant(participant, by)
    _check_open(participant)
    mentor = _person_by_email(participant, email, field="email", what="mentor or buddy")
    event = _update(participant, by=by, verb="participant_mentor_assign", values={"mentor": mentor})
    if event is not None:
        _tell(
            participant,
            event,
            title="You have a mentor or buddy",
            body=f"{mentor} is now your mentor or buddy on the High Potential Scheme.",
        )
    return participant


# --- Readiness assessment -----------------------------------------------------------------------


@transaction.atomic
def participant_readiness_need_set(*, participant: Participant, by, is_needed: bool) -> Participant:
    """Record whether the participant's aspirations need a readiness assessment before they complete."""
    participant = _locked_participant(participant, by)
    _check_open(participant)
    event = _update(
        participant,
        by=by,
        verb="participant_readiness_need_set",
        values={"needs_readiness_assessment": bool(is_needed)},
    )
    if event is not None:
        _tell(
            participant,
            event,
            title="Readiness assessment" + (" needed" if is_needed else " not needed"),
            body=(
                "Your aspirations need a readiness assessment towards the end of the scheme. We will "
                "arrange it with you."
                if is_needed
                else "You do not need a readiness assessment to complete the scheme."
            ),
        )
    return participant


@transaction.atomic
def readiness_assessment_record(
    *, participant: Participant, by, assessed_on: datetime.date | None, outcome: str
) -> ReadinessAssessment:
    """Record a readiness assessment the participant took: its date (within the scheme, not in the future)
    and its outcome."""
    participant = _locked_participant(participant, by)
    _check_open(participant)
    errors = {}
    if assessed_on is None:
        errors["assessed_on"] = "Enter the date of the assessment"
    else:
        error = scheme_date_error(participant=participant, day=assessed_on, label="Date of the assessment")
        if error is not None:
            errors["assessed_on"] = error
    if outcome not in ReadinessAssessment.Outcome.values:
        errors["outcome"] = "Select the outcome of the assessment"
    if errors:
        raise ValidationError(errors)
    assessment = ReadinessAssessment.objects.create(
        participant=participant, assessed_on=assessed_on, outcome=outcome, recorded_by=by
    )
    event = audit(
        actor=by,
        action=AuditEvent.Action.CREATE,
        verb="readiness_assessment_record",
        instance=assessment,
        after=snapshot(assessment, fields=["participant", "assessed_on", "outcome"]),
    )
    _tell(
        participant,
        event,
        title="Your readiness assessment result has been recorded",
        body=f"Your readiness assessment on {long_date(assessed_on)}: {assessment.get_outcome_display()}.",
    )
    return assessment


# --- Pausing, withdrawing, resuming and completing ----------------------------------------------


def _reason(reason: str, *, missing: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": missing})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": REASON_TOO_LONG})
    return reason


def _change_status(
    participant: Participant,
    *,
    by,
    reason: str,
    allowed: tuple[str, ...],
    target: str,
    verb: str,
    refusal: str,
    missing: str,
    title: str,
    body: str,
) -> Participant:
    """Move a participant from one of the `allowed` statuses to `target` with a reason, and tell them.

    `refusal` starts the message when the place is in another status; `missing` asks for the reason;
    `body` may use {cohort} and {reason}.
    """
    participant = _locked_participant(participant, by)
    if participant.status not in allowed:
        raise ValidationError(
            f"{refusal} {participant.user}'s place is {participant.get_status_display().lower()}"
        )
    reason = _reason(reason, missing=missing)
    event = _update(participant, by=by, verb=verb, values={"status": target, "status_reason": reason})
    _tell(participant, event, title=title, body=body.format(cohort=participant.cohort, reason=reason))
    return participant


@transaction.atomic
def participant_pause(*, participant: Participant, by, reason: str) -> Participant:
    """Pause an active participant's place (for example for leave), with a reason."""
    return _change_status(
        participant,
        by=by,
        reason=reason,
        allowed=(Status.ACTIVE,),
        target=Status.PAUSED,
        verb="participant_pause",
        refusal="Only an active place can be paused.",
        missing=f"Enter why {participant.user} is pausing their place",
        title="Your High Potential Scheme place is paused",
        body="Your place on {cohort} is paused. The reason: {reason}",
    )


@transaction.atomic
def participant_resume(*, participant: Participant, by, reason: str) -> Participant:
    """Make a paused participant active again, with a reason."""
    return _change_status(
        participant,
        by=by,
        reason=reason,
        allowed=(Status.PAUSED,),
        target=Status.ACTIVE,
        verb="participant_resume",
        refusal="Only a paused place can be resumed.",
        missing=f"Enter why {participant.user} is resuming their place",
        title="Your High Potential Scheme place has resumed",
        body="Your place on {cohort} is active again. The reason: {reason}",
    )


@transaction.atomic
def participant_withdraw(*, participant: Participant, by, reason: str) -> Participant:
    """Withdraw an active or paused participant from the scheme, with a reason. It cannot be undone here."""
    return _change_status(
        participant,
        by=by,
        reason=reason,
        allowed=(Status.ACTIVE, Status.PAUSED),
        target=Status.WITHDRAWN,
        verb="participant_withdraw",
        refusal="Only an active or paused place can be withdrawn.",
        missing=f"Enter why {participant.user} is withdrawing from the scheme",
        title="You have been withdrawn from the High Potential Scheme",
        body="We have recorded that you have left {cohort}. The reason: {reason}",
    )


def completion_exception_missing(participant: Participant) -> str:
    return f"Enter why {participant.user} is completing without meeting every requirement"


@transaction.atomic
def participant_complete(
    *, participant: Participant, by, exception_reason: str = "", today: datetime.date | None = None
) -> Participant:
    """Mark an active participant as having completed the scheme.

    Allowed when `hps.progress` finds every requirement met on `today`; otherwise only with an
    `exception_reason`, which is kept on the participant and in the audit event. Raises ValidationError
    and changes nothing otherwise.
    """
    today = today or timezone.localdate()
    participant = _locked_participant(participant, by)
    if participant.status != Status.ACTIVE:
        raise ValidationError(
            f"Only an active participant can complete the scheme. {participant.user}'s "
            f"place is {participant.get_status_display().lower()}"
        )
    progress = participant_progress(
        participants_with_progress(Participant.objects.filter(pk=participant.pk)).get(), today=today
    )
    exception_reason = (exception_reason or "").strip()
    if progress.is_complete:
        exception_reason = ""
    elif not exception_reason:
        raise ValidationError({"exception_reason": completion_exception_missing(participant)})
    elif len(exception_reason) > REASON_MAX_LENGTH:
        raise ValidationError({"exception_reason": REASON_TOO_LONG})
    event = _update(
        participant,
        by=by,
        verb="participant_complete",
        values={
            "status": Status.COMPLETED,
            "status_reason": "",
            "completion_exception_reason": exception_reason,
            "completed_at": timezone.now(),
        },
    )
    event.after = {**event.after, "unmet": [requirement.key for requirement in progress.unmet]}
    event.save(update_fields=["after"])
    _tell(
        participant,
        event,
        title="Congratulations: you have completed the High Potential Scheme",
        body=f"We have recorded that you completed {participant.cohort}. Well done.",
    )
    return participant


# --- Workshops ----------------------------------------------------------------------------------


def cohort_scheme_last_day(cohort: Cohort) -> datetime.date:
    """The last day of the cohort's 24 months."""
    return add_months(cohort.starts_on, Cohort.SCHEME_LENGTH_MONTHS) - datetime.timedelta(days=1)


def _locked_cohort(cohort: Cohort, by) -> Cohort:
    locked = cohorts_administered_by(user=by).select_for_update().filter(pk=cohort.pk).first()
    if locked is None:
        raise PermissionDenied(NOT_YOUR_COHORT)
    return locked


@transaction.atomic
def workshop_schedule(
    *, cohort: Cohort, by, title: str, held_on: datetime.date | None, is_core: bool | None
) -> Workshop:
    """Add a core or local workshop to the cohort, on a date within its 24 months, and tell its active
    participants."""
    cohort = _locked_cohort(cohort, by)
    title = (title or "").strip()
    errors = {}
    if not title:
        errors["title"] = "Enter the title of the workshop"
    elif len(title) > WORKSHOP_TITLE_MAX_LENGTH:
        errors["title"] = f"Title must be {WORKSHOP_TITLE_MAX_LENGTH} characters or fewer"
    if held_on is None:
        errors["held_on"] = "Enter the date of the workshop"
    elif not cohort.starts_on <= held_on <= cohort_scheme_last_day(cohort):
        errors["held_on"] = (
            f"Date of the workshop must be within the scheme: {long_date(cohort.starts_on)} "
            f"to {long_date(cohort_scheme_last_day(cohort))}"
        )
    if is_core is None:
        errors["is_core"] = "Select whether it is a core or a local workshop"
    if errors:
        raise ValidationError(errors)
    workshop = Workshop.objects.create(cohort=cohort, title=title, held_on=held_on, is_core=is_core)
    event = audit(
        actor=by,
        action=AuditEvent.Action.CREATE,
        verb="workshop_schedule",
        instance=workshop,
        after=snapshot(workshop, fields=["cohort", "title", "held_on", "is_core"]),
    )
    kind = "core" if is_core else "local"
    notify_many(
        [
            Notice(
                recipient=participant.user,
                event_key=f"hps-workshop:{workshop.pk}:scheduled:{participant.pk}:{event.pk}",
                title=f"Workshop on {long_date(held_on)}: {title}",
                body=f"A {kind} workshop for {cohort} is on {long_date(held_on)}: {title}.",
                url=_scheme_url(),
            )
            for participant in cohort.participants.filter(status=Status.ACTIVE).select_related("user")
        ]
    )
    return workshop


@transaction.atomic
def workshop_attendance_record(*, workshop: Workshop, by, participants) -> Workshop:
    """Set who attended a workshop that has taken place: exactly `participants`, all from its cohort.

    The people newly recorded as attending are told. Raises ValidationError and changes nothing if the
    workshop is still to come or someone is not in the workshop's cohort.
    """
    cohort = _locked_cohort(workshop.cohort, by)
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk, cohort=cohort)
    if workshop.held_on > timezone.localdate():
        raise ValidationError(
            f"You can record attendance once the workshop has taken place, on {long_date(workshop.held_on)}"
        )
    chosen = {participant.pk: participant for participant in participants}
    in_cohort = set(cohort.participants.filter(pk__in=chosen).values_list("pk", flat=True))
    if set(chosen) - in_cohort:
        raise ValidationError({"participants": "Select people from this cohort"})
    before = sorted(workshop.attendances.values_list("participant_id", flat=True))
    added = [chosen[pk] for pk in sorted(set(chosen) - set(before))]
    removed = set(before) - set(chosen)
    if not added and not removed:
        return workshop
    workshop.attendances.filter(participant_id__in=removed).delete()
    WorkshopAttendance.objects.bulk_create(
        [
            WorkshopAttendance(workshop=workshop, participant=participant, recorded_by=by)
            for participant in added
        ]
    )
    event = audit(
        actor=by,
        action=AuditEvent.Action.UPDATE,
        verb="workshop_attendance_record",
        instance=workshop,
        before={"attended": before},
        after={"attended": sorted(chosen)},
    )
    notify_many(
        [
            Notice(
                recipient=participant.user,
                event_key=f"hps-workshop:{workshop.pk}:attended:{participant.pk}:{event.pk}",
                title=f"Attendance recorded: {workshop.title}",
                body=f"We have recorded that you attended {workshop.title} on {long_date(workshop.held_on)}.",
                url=_scheme_url(),
            )
            for participant in Participant.objects.filter(pk__in=[p.pk for p in added]).select_related("user")
        ]
    )
    return workshop


# --- The final panel ----------------------------------------------------------------------------


def _panel_members(text: str) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if not lines:
        raise ValidationError({"panel_members": "Enter the panel members, one per line"})
    members = "\n".join(lines)
    if len(members) > PANEL_MEMBERS_MAX_LENGTH:
        raise ValidationError(
            {"panel_members": f"Panel members must be {PANEL_MEMBERS_MAX_LENGTH:,} characters or fewer"}
        )
    return members


@transaction.atomic
def final_panel_schedule(
    *, participant: Participant, by, held_on: datetime.date | None, panel_members: str
) -> FinalPanel:
    """Schedule the participant's final presentation panel, or move the one already scheduled.

    The date must be within the scheme; it may be in the future. Raises ValidationError if the participant
    has already passed or left the scheme.
    """
    participant = _locked_participant(participant, by)
    _check_open(participant)
    if participant.final_panels.filter(outcome=FinalPanel.Outcome.PASSED).exists():
        raise ValidationError(f"{participant.user} has already passed the final panel")
    errors = {}
    if held_on is None:
        errors["held_on"] = "Enter the date of the panel"
    else:
        error = scheme_date_error(
            participant=participant, day=held_on, label="Date of the panel", is_past=False
        )
        if error is not None:
            errors["held_on"] = error
    try:
        members = _panel_members(panel_members)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    panel = participant.final_panels.filter(outcome="").order_by("-held_on", "-id").first()
    fields = ["participant", "held_on", "panel_members", "outcome"]
    if panel is None:
        panel = FinalPanel.objects.create(participant=participant, held_on=held_on, panel_members=members)
        event = audit(
            actor=by,
            action=AuditEvent.Action.CREATE,
            verb="final_panel_schedule",
            instance=panel,
            after=snapshot(panel, fields=fields),
        )
    else:
        before = snapshot(panel, fields=fields)
        panel.held_on = held_on
        panel.panel_members = members
        panel.save(update_fields=["held_on", "panel_members", "updated_at"])
        event = audit(
            actor=by,
            action=AuditEvent.Action.UPDATE,
            verb="final_panel_schedule",
            instance=panel,
            before=before,
            after=snapshot(panel, fields=fields),
        )
    _tell(
        participant,
        event,
        title=f"Your final presentation panel is on {long_date(held_on)}",
        body=f"You will present your reflections on your learning to a panel of senior system leaders on "
        f"{long_date(held_on)}.",
    )
    return panel


@transaction.atomic
def final_panel_outcome_record(*, panel: FinalPanel, by, outcome: str, feedback: str) -> FinalPanel:
    """Record whether the participant passed the panel or was asked to resubmit, with the panel's feedback.

    Only once the panel has met, and only once per panel (a resubmission is a new panel).
    """
    participant = _locked_participant(panel.participant, by)
    panel = FinalPanel.objects.select_for_update().get(pk=panel.pk, participant=participant)
    _check_open(participant)
    if panel.outcome:
        raise ValidationError("The outcome of this panel has already been recorded")
    if panel.held_on > timezone.localdate():
        raise ValidationError(
            f"You can record the outcome once the panel has met, on {long_date(panel.held_on)}"
        )
    feedback = (feedback or "").strip()
    errors = {}
    if outcome not in FinalPanel.Outcome.values:
        errors["outcome"] = "Select the outcome of the panel"
    if not feedback:
        errors["feedback"] = "Enter the panel's feedback"
    elif len(feedback) > FEEDBACK_MAX_LENGTH:
        errors["feedback"] = f"Feedback must be {FEEDBACK_MAX_LENGTH:,} characters or fewer"
    if errors:
        raise ValidationError(errors)
    before = snapshot(panel, fields=["outcome", "feedback"])
    panel.outcome = outcome
    panel.feedback = feedback
    panel.save(update_fields=["outcome", "feedback", "updated_at"])
    event = audit(
        actor=by,
        action=AuditEvent.Action.UPDATE,
        verb="final_panel_outcome_record",
        instance=panel,
        before=before,
        after=snapshot(panel, fields=["outcome", "feedback"]),
    )
    passed = outcome == FinalPanel.Outcome.PASSED
    _tell(
        participant,
        event,
        title="You passed your final presentation panel" if passed else "The panel has asked you to resubmit",
        body=(
            f"The panel of {long_date(panel.held_on)} "
            + ("passed your final presentation." if passed else "has asked you to present again.")
            + f" Their feedback: {feedback}"
        ),
    )
    return panel


# --- The cohort progress export -----------------------------------------------------------------


def cohort_progress_export(*, cohort: Cohort, by, today: datetime.date | None = None):
    """The cohort progress table as CSV rows (header first); audited with the number of people.

    `cohort` must be one `by` administers (the view loads it through `cohort_administered_by`); the
    participants are read through `participants_administered_by` all the same. No coaching notes, learning
    log text or reflections: only the figures the progress page shows.
    """
    today = today or timezone.localdate()
    rows = cohort_progress(user=by, cohort=cohort, today=today)
    header = ["Participant ID", "Name", "Email", "Status", "Career coach", "Sponsor", "Mentor or buddy"]
    for _key, label in PROGRESS_COLUMNS:
        header += [label, f"{label}: status"]
    header += ["Sponsor meetings missed", "Behind"]
    lines = [header]
    for row in rows:
        participant = row.participant
        values = [
            participant.pk,
            participant.user.get_full_name(),
            participant.user.email,
            participant.get_status_display(),
            participant.coach or "",
            participant.sponsor or "",
            participant.mentor or "",
        ]
        for cell in row.cells:
            values += [cell.summary, cell.state_label] if cell.requirement else ["", cell.state_label]
        values += [
            "; ".join(f"{month:%B %Y}" for month in row.progress.missed_sponsor_months),
            "Yes" if row.is_behind else "No",
        ]
        lines.append([safe_cell(value) for value in values])
    audit(
        actor=by,
        action=AuditEvent.Action.READ,
        verb="hps_cohort_progress_export",
        instance=cohort,
        after={"cohort": cohort.pk, "rows": len(rows)},
    )
    return lines
