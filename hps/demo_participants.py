"""A High Potential Scheme cohort under way for the demo (`manage.py seed_demo`).

"Staffordshire and Stoke-on-Trent HPS 2025 cohort" started about 10 months ago. About a dozen band 8a
to 8d demo staff in the Staffordshire and Stoke-on-Trent organisations are on it, each with an accepted
application and its full history of status changes, and records of the months so far: coaching
sessions, sponsor meetings (most months, some missed), key experiences (some with a reflection), the
core workshops with attendance, learning log entries and a partly written career development plan. One
participant is paused. The demo career coach coaches almost everyone, each participant's line manager
is their sponsor, and the demo sponsor sponsors at least one participant, so that each role's journey
can be shown. The demo HPS applicant is never a participant: their journey is applying.

Everything is decided by random generators with a fixed seed (one per person, seeded with their email
address), so the same demo people always give the same cohort. The cohort is found by its name: when it
is already there, nothing is changed or added, whatever people did with it in the demo since.

Seeding writes no audit events: it is made-up history written straight to the tables, not an action
anyone took, so the audit trail shows only what people did in the service.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import dateformat, timezone

from accounts.demo.plan import DEMO_EMAIL_DOMAIN, DEMO_SIGN_INS
from accounts.models import IntegratedCareSystem, PayBand, StaffProfile, User
from conversations.models import LeadershipDimension
from hps.demo import DEMO_ADMINISTRATOR_EMAIL, DEMO_TERMS_TEXT, DEMO_TERMS_VERSION
from hps.eligibility import EligibilityAnswers
from hps.models import (
    Application,
    ApplicationTransition,
    CareerDevelopmentPlan,
    CoachingSession,
    Cohort,
    DevelopmentStream,
    KeyExperience,
    LearningLogEntry,
    Participant,
    SponsorMeeting,
    Workshop,
    WorkshopAttendance,
)
from hps.progress import add_months

DEMO_PARTICIPANT_COHORT_NAME = "Staffordshire and Stoke-on-Trent HPS 2025 cohort"
DEMO_COACH_EMAIL = f"coach@{DEMO_EMAIL_DOMAIN}"
DEMO_SPONSOR_EMAIL = f"sponsor@{DEMO_EMAIL_DOMAIN}"
FOOTPRINT_CODE = "QNC"
BAND_CODES = ("AFC8A", "AFC8B", "AFC8C", "AFC8D")
#: How many demo staff join the cohort (fewer if the demo has fewer eligible people).
PARTICIPANT_COUNT = 12
#: How many of them the demo sponsor sponsors (their own direct reports), when they have that many.
DEMO_SPONSOR_PARTICIPANT_COUNT = 2
#: How long ago the cohort started, in months (from the first of a month).
MONTHS_UNDER_WAY = 10
# Any fixed value works; each person's generator is seeded with it and their email address.
RANDOM_SEED = "hps-demo-participants-2025"
SIGN_IN_EMAILS = frozenset(sign_in.email for sign_in in DEMO_SIGN_INS)

CORE_WORKSHOPS = (
    # (title, months after the start, day of the month)
    ("Leading inclusively and with compassion", 0, 20),
    ("Leading in an environment with complex systems", 3, 12),
    ("Career development: accessing tools", 7, 9),
)
NEXT_CORE_WORKSHOP = "Leading change across organisations"
LOCAL_WORKSHOP = ("Staffordshire action learning set: system pressures", 5, 15)

COACHING_NOTES = (
    "Explored what leading a whole service would ask of {first_name} compared with the current role. "
    "Used the Healthcare Leadership Model self-assessment to pick two dimensions to work on.",
    "Reviewed progress on the first key experience. {first_name} found it hard to influence without "
    "line authority; we worked through a stakeholder map for the next steering group.",
    "Talked about confidence in board-level settings and how to prepare a short, clear paper. Practised "
    "presenting the key message in two minutes.",
    "Looked back at 360 feedback: strong on compassion and team engagement, less visible to peers in other "
    "organisations. Agreed to seek a second experience outside the trust.",
    "Discussed balancing the scheme with a heavy operational winter. Agreed what to protect in the diary "
    "and what to say no to.",
    "Worked on the career development plan: aspirations for a deputy director role in three to five years "
    "and the experience needed to be credible for it.",
)
AGREED_ACTIONS = (
    "Ask the sponsor to introduce a contact in the ICB. Draft objectives for the next key experience.",
    "Complete the leadership self-assessment before the next session.",
    "Shadow a board meeting and write a learning log entry about it.",
    "Update the career development plan with the areas to develop agreed today.",
    "Book a conversation with a director in another organisation about their career path.",
)
MEETING_NOTES = (
    "Reviewed the month and the progress of the key experience.",
    "Talked about the next board paper and how to present it.",
    "Agreed protected time for the secondment.",
    "Discussed feedback from the coaching session and the plan.",
    "Short catch-up: the winter plan took most of the month.",
    "",
)
EXPERIENCES = (
    (
        KeyExperience.ExperienceType.SECONDMENT,
        "NHS Staffordshire and Stoke-on-Trent Integrated Care Board",
        "Support the urgent and emergency care programme: lead the review of discharge pathways across "
        "the two acute sites.",
    ),
    (
        KeyExperience.ExperienceType.PROJECT,
        "",
        "Lead a cross-directorate project to reduce agency spend, reporting to the executive team.",
    ),
    (
        KeyExperience.ExperienceType.STRETCH_ASSIGNMENT,
        "",
        "Act up as deputy director for the division during a vacancy: chair the divisional board and hold "
        "the budget.",
    ),
    (
        KeyExperience.ExperienceType.SHADOWING,
        "Midlands Partnership University NHS Foundation Trust",
        "Shadow the chief operating officer across board, committee and system meetings.",
    ),
    (
        KeyExperience.ExperienceType.PLACEMENT,
        "Stoke-on-Trent City Council",
        "A placement with adult social care commissioning to understand the council's side of hospital "
        "discharge.",
    ),
)
REFLECTIONS = (
    "Working outside my own organisation showed me how much I relied on knowing the system. I had to "
    "build trust from nothing, and learnt to listen for what each partner needed before proposing "
    "anything.",
    "Holding a budget and a board for the first time was harder than I expected. I learnt to bring "
    "difficult news early and to ask for help from peers, not just my line manager.",
    "Seeing decisions made at executive level changed how I write papers: shorter, clearer about the "
    "decision needed, and honest about the risks.",
)
LOG_ENTRIES = (
    "The workshop on compassionate leadership made me notice how often I jump to solutions. This week I "
    "tried asking the team what they needed first.",
    "Chaired my first system meeting. I over-prepared the content and under-prepared the people: next "
    "time I will talk to the key members beforehand.",
    "A difficult conversation about performance went better than I feared because I was clear about the "
    "standard and kind about the person.",
    "Presented to the executive team. The feedback was that I hid the recommendation on page four. "
    "Lead with the ask.",
    "Spent a day with the council's discharge team. Our processes make sense to us and to nobody else.",
    "Reflecting on the coaching session: I say yes to everything. Agreed three things I will stop doing.",
    "The complex systems workshop gave me a language for what I see every day: no single organisation can "
    "fix flow on its own.",
)
ASPIRATIONS = (
    "A deputy director of operations role within three years, then a director role.",
    "To lead a whole nursing service as a deputy chief nurse.",
    "A director of finance role in an NHS trust or the ICB within five years.",
    "To lead a system-wide programme at the ICB.",
)
STRENGTHS = (
    "Building and keeping strong teams; calm in a crisis; trusted by clinical colleagues.",
    "Clear analysis of complex information; credibility with the executive team.",
    "Compassionate leadership; good at bringing people with me through change.",
)
AREAS_TO_DEVELOP = (
    "Influencing peers in other organisations; presenting to boards.",
    "Strategic financial planning; confidence in system-level meetings.",
    "Delegating more; building a network outside my own organisation.",
)
PLANNED_EXPERIENCES = (
    "A secondment to the ICB; shadowing an executive director; a cross-organisation project.",
    "A stretch assignment acting up; a placement with the local authority.",
)
STATEMENTS = {
    "motivation_statement": (
        "I want to lead services that work for patients across organisational boundaries, and I need "
        "structured development and senior sponsorship to make that step."
    ),
    "leadership_statement": (
        "As {job_title}, I lead through a clear shared purpose and by developing my team. I stay visible "
        "and approachable, especially when the pressure is on."
    ),
    "transition_statement": (
        "I am moving from leading one service to leading a range of teams, and I want to understand the "
        "wider system to do it well."
    ),
}


@dataclass(frozen=True)
class ParticipantSeedResult:
    cohort: Cohort
    is_created: bool
    participant_count: int


@transaction.atomic
def seed_demo_participants(*, today: datetime.date | None = None) -> ParticipantSeedResult:
    """The demo cohort under way, with its participants and their records so far.

    Needs the demo people (`accounts.demo.seed_demo`). Writes no audit events (this is not anything a
    user did) and changes nothing when the cohort already exists.
    """
    today = today or timezone.localdate()
    existing = Cohort.objects.filter(name=DEMO_PARTICIPANT_COHORT_NAME).first()
    if existing is not None:
        return ParticipantSeedResult(
            cohort=existing, is_created=False, participant_count=existing.participants.count()
        )
    emails = [DEMO_ADMINISTRATOR_EMAIL, DEMO_COACH_EMAIL, DEMO_SPONSOR_EMAIL]
    people = {user.email: user for user in User.objects.filter(email__in=emails)}
    if len(people) < len(emails):
        missing = ", ".join(email for email in emails if email not in people)
        raise ValueError(f"The demo people are missing ({missing}). Run seed_demo to create them.")
    seeder = _CohortSeeder(
        today=today,
        administrator=people[DEMO_ADMINISTRATOR_EMAIL],
        coach=people[DEMO_COACH_EMAIL],
        demo_sponsor=people[DEMO_SPONSOR_EMAIL],
    )
    return seeder.seed()


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """A moment on a day, in the service's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _long_date(day: datetime.date) -> str:
    return dateformat.format(day, "j F Y")


def _month_starts(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months = []
    month = first.replace(day=1)
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


class _CohortSeeder:
    def __init__(self, *, today: datetime.date, administrator: User, coach: User, demo_sponsor: User):
        self.today = today
        self.administrator = administrator
        self.coach = coach
        self.demo_sponsor = demo_sponsor
        self.starts_on = add_months(today.replace(day=1), -MONTHS_UNDER_WAY)
        self.opens_on = add_months(self.starts_on, -5)
        self.closes_on = self.opens_on + datetime.timedelta(days=42)
        self.ends_on = add_months(self.starts_on, Cohort.SCHEME_LENGTH_MONTHS)
        self.dimensions = list(LeadershipDimension.objects.order_by("order"))

    def seed(self) -> ParticipantSeedResult:
        cohort = self._cohort()
        profiles = self._choose_participants()
        workshops = self._workshops(cohort)
        rows = _Rows()
        participant_ids = {profile.user_id for profile in profiles}
        mentors = [mentor for mentor in self._mentors() if mentor.user_id not in participant_ids]
        # Give the paused place and the missing coach to people the demo sign-ins do not depend on.
        others = [profile for profile in profiles if profile.line_manager_id != self.demo_sponsor.pk]
        paused_email = others[0].user.email if others else ""
        uncoached_email = others[-1].user.email if len(others) > 1 else ""
        for profile in profiles:
            rng = random.Random(f"{RANDOM_SEED}:{profile.user.email}")  # noqa: S311 - made-up data
            application = self._application(cohort, profile, rng)
            participant = Participant.objects.create(
                application=application,
                user=profile.user,
                cohort=cohort,
                coach=None if profile.user.email == uncoached_email else self.coach,
                sponsor=profile.line_manager,
                mentor=self._mentor_for(profile, mentors, rng),
                starts_on=self.starts_on,
                ends_on=self.ends_on,
                needs_readiness_assessment=rng.random() < 0.25,
            )
            last_active_day = self.today - datetime.timedelta(days=1)
            if profile.user.email == paused_email:
                paused_on = self.today - datetime.timedelta(days=rng.randint(35, 70))
                participant.status = Participant.Status.PAUSED
                participant.status_reason = (
                    f"Paused from {_long_date(paused_on)} during a period of extended leave. "
                    "To be reviewed with the sponsor on return."
                )
                participant.save(update_fields=["status", "status_reason"])
                last_active_day = paused_on - datetime.timedelta(days=1)
            _ParticipantRecords(
                seeder=self, participant=participant, rng=rng, rows=rows, last_day=last_active_day
            ).build(workshops)
        rows.save()
        return ParticipantSeedResult(cohort=cohort, is_created=True, participant_count=len(profiles))

    def _cohort(self) -> Cohort:
        cohort = Cohort.objects.create(
            name=DEMO_PARTICIPANT_COHORT_NAME,
            opens_on=self.opens_on,
            closes_on=self.closes_on,
            starts_on=self.starts_on,
            capacity=15,
            terms_version=DEMO_TERMS_VERSION,
            terms_text=DEMO_TERMS_TEXT,
            created_by=self.administrator,
        )
        cohort.integrated_care_systems.set(IntegratedCareSystem.objects.filter(code=FOOTPRINT_CODE))
        cohort.eligible_pay_bands.set(PayBand.objects.filter(code__in=BAND_CODES))
        cohort.administrators.add(self.administrator)
        Cohort.objects.filter(pk=cohort.pk).update(
            created_at=_at(self.opens_on - datetime.timedelta(days=30), 10)
        )
        return cohort

    def _choose_participants(self) -> list[StaffProfile]:
        """Band 8a to 8d demo staff in the footprint with a line manager, never a demo sign-in."""
        candidates = list(
            StaffProfile.objects.filter(
                is_active=True,
                user__is_active=True,
                user__email__endswith=f"@{DEMO_EMAIL_DOMAIN}",
                organisation__integrated_care_system__code=FOOTPRINT_CODE,
                pay_band__code__in=BAND_CODES,
                line_manager__isnull=False,
                line_manager__is_active=True,
                user__hps_participations__isnull=True,
            )
            .exclude(user__email__in=SIGN_IN_EMAILS)
            .select_related("user", "organisation", "pay_band", "line_manager")
            .order_by("user__email")
        )
        rng = random.Random(RANDOM_SEED)  # noqa: S311 - made-up data
        reporting_to_demo_sponsor = [
            profile for profile in candidates if profile.line_manager_id == self.demo_sponsor.pk
        ]
        chosen = rng.sample(
            reporting_to_demo_sponsor, min(DEMO_SPONSOR_PARTICIPANT_COUNT, len(reporting_to_demo_sponsor))
        )
        others = [profile for profile in candidates if profile not in chosen]
        chosen += rng.sample(others, min(PARTICIPANT_COUNT - len(chosen), len(others)))
        return sorted(chosen, key=lambda profile: profile.user.email)

    def _mentors(self) -> list[StaffProfile]:
        """Directors in the footprint, who may mentor a participant from another organisation."""
        return list(
            StaffProfile.objects.filter(
                is_active=True,
                user__is_active=True,
                user__email__endswith=f"@{DEMO_EMAIL_DOMAIN}",
                organisation__integrated_care_system__code=FOOTPRINT_CODE,
                job_title__startswith="Director",
            )
            .exclude(user__email__in=SIGN_IN_EMAILS)
            .select_related("user")
            .order_by("user__email")
        )

    def _mentor_for(self, profile: StaffProfile, mentors: list[StaffProfile], rng: random.Random):
        elsewhere = [mentor for mentor in mentors if mentor.organisation_id != profile.organisation_id]
        if not elsewhere or rng.random() >= 0.4:
            return None
        return rng.choice(elsewhere).user

    def _application(self, cohort: Cohort, profile: StaffProfile, rng: random.Random) -> Application:
        """An accepted application with every change of status, as the workflow would have made it."""
        user, sponsor = profile.user, profile.line_manager
        # Office hours, in the order the workflow allows: drafted, submitted (inviting the sponsor at once),
        # then signed by the sponsor a few days later, all before applications closed.
        drafted_on = self.opens_on + datetime.timedelta(days=rng.randint(0, 25))
        started = _at(drafted_on, rng.randint(8, 12), rng.randint(0, 59))
        submitted = _at(drafted_on + datetime.timedelta(days=rng.randint(1, 10)), rng.randint(13, 17))
        invited_sponsor = submitted + datetime.timedelta(minutes=2)
        sponsor_signed = _at(
            submitted.date() + datetime.timedelta(days=rng.randint(1, 6)), rng.randint(9, 17)
        )
        assessment_invited = _at(self.closes_on + datetime.timedelta(days=rng.randint(3, 7)), 10)
        assessed_on = assessment_invited.date() + datetime.timedelta(days=rng.randint(14, 21))
        assessment_recorded = _at(assessed_on + datetime.timedelta(days=2), 11)
        shortlisted = assessment_recorded + datetime.timedelta(days=rng.randint(5, 7))
        offered = shortlisted + datetime.timedelta(days=rng.randint(7, 10))
        accepted = offered + datetime.timedelta(days=rng.randint(1, 5), hours=rng.randint(1, 6))
        band = profile.pay_band.code
        application = Application.objects.create(
            applicant=user,
            cohort=cohort,
            status=Application.Status.ACCEPTED,
            eligibility_answers=EligibilityAnswers(
                works_in_footprint=True,
                pay_band=band,
                interested_in_senior_roles=True,
                ready_to_learn=True,
                compassionate_leadership=True,
                career_transition=True,
            ).as_json(),
            job_title=profile.job_title,
            organisation=profile.organisation,
            pay_band=profile.pay_band,
            development_stream=(
                DevelopmentStream.STREAM_ONE if band in ("AFC8A", "AFC8B") else DevelopmentStream.STREAM_TWO
            ),
            **{field: text.format(job_title=profile.job_title.lower()) for field, text in STATEMENTS.items()},
            sponsor_email=sponsor.email,
            sponsor_relationship=Application.SponsorRelationship.LINE_MANAGER,
            sponsor=sponsor,
            applicant_signed_name=user.get_full_name(),
            applicant_signed_at=submitted,
            applicant_terms_version=cohort.terms_version,
            sponsor_signed_name=sponsor.get_full_name(),
            sponsor_signed_at=sponsor_signed,
            sponsor_terms_version=cohort.terms_version,
            submitted_at=submitted,
            assessment_invited_at=assessment_invited,
            assessment_completed_on=assessed_on,
            assessment_result=rng.choice(["Strong potential", "Potential shown", "Strong potential"]),
        )
        Application.objects.filter(pk=application.pk).update(created_at=started, updated_at=accepted)
        Status = Application.Status
        ApplicationTransition.objects.bulk_create(
            ApplicationTransition(application=application, from_status=source, to_status=target, by=by, at=at)
            for source, target, by, at in [
                (Status.DRAFT, Status.SUBMITTED, user, submitted),
                (Status.SUBMITTED, Status.AWAITING_SPONSOR, user, invited_sponsor),
                (Status.AWAITING_SPONSOR, Status.ELIGIBILITY_REVIEW, sponsor, sponsor_signed),
                (
                    Status.ELIGIBILITY_REVIEW,
                    Status.ASSESSMENT_INVITED,
                    self.administrator,
                    assessment_invited,
                ),
                (
                    Status.ASSESSMENT_INVITED,
                    Status.ASSESSMENT_COMPLETE,
                    self.administrator,
                    assessment_recorded,
                ),
                (Status.ASSESSMENT_COMPLETE, Status.SHORTLISTED, self.administrator, shortlisted),
                (Status.SHORTLISTED, Status.OFFERED, self.administrator, offered),
                (Status.OFFERED, Status.ACCEPTED, user, accepted),
            ]
        )
        return application

    def _workshops(self, cohort: Cohort) -> list[Workshop]:
        """The core workshops held so far, a local one, and the next core workshop (not yet held)."""
        workshops = [
            Workshop(cohort=cohort, title=title, held_on=add_months(self.starts_on, months).replace(day=day))
            for title, months, day in CORE_WORKSHOPS
        ]
        title, months, day = LOCAL_WORKSHOP
        workshops.append(
            Workshop(
                cohort=cohort,
                title=title,
                held_on=add_months(self.starts_on, months).replace(day=day),
                is_core=False,
            )
        )
        workshops.append(
            Workshop(
                cohort=cohort, title=NEXT_CORE_WORKSHOP, held_on=self.today + datetime.timedelta(days=24)
            )
        )
        return Workshop.objects.bulk_create(workshops)


class _Rows:
    """Log rows collected for every participant, written with one insert per table."""

    def __init__(self):
        self.sessions: list[CoachingSession] = []
        self.meetings: list[SponsorMeeting] = []
        self.attendances: list[WorkshopAttendance] = []
        self.entries: list[tuple[LearningLogEntry, list[LeadershipDimension]]] = []

    def save(self) -> None:
        CoachingSession.objects.bulk_create(self.sessions)
        SponsorMeeting.objects.bulk_create(self.meetings)
        WorkshopAttendance.objects.bulk_create(self.attendances)
        LearningLogEntry.objects.bulk_create([entry for entry, _dimensions in self.entries])
        LearningLogEntry.leadership_dimensions.through.objects.bulk_create(
            LearningLogEntry.leadership_dimensions.through(
                learninglogentry_id=entry.pk, leadershipdimension_id=dimension.pk
            )
            for entry, dimensions in self.entries
            for dimension in dimensions
        )


class _ParticipantRecords:
    """One participant's records from the start of the scheme to `last_day` (yesterday, or the pause)."""

    def __init__(
        self, *, seeder: _CohortSeeder, participant: Participant, rng: random.Random, rows: _Rows, last_day
    ):
        self.seeder = seeder
        self.participant = participant
        self.rng = rng
        self.rows = rows
        self.last_day = last_day
        self.first_name = participant.user.first_name

    def build(self, workshops: list[Workshop]) -> None:
        self._coaching_sessions()
        self._sponsor_meetings()
        experiences = self._key_experiences()
        attended = self._attendance(workshops)
        self._learning_log(experiences, attended)
        self._plan()

    def _day_between(self, first: datetime.date, last: datetime.date) -> datetime.date:
        return first + datetime.timedelta(days=self.rng.randint(0, max(0, (last - first).days)))

    def _coaching_sessions(self) -> None:
        """Up to five sessions so far, spread from a few weeks after the start to the last few weeks."""
        if self.participant.coach is None:
            return
        count = self.rng.choices([1, 2, 3, 4, 5], weights=[1, 2, 3, 3, 1])[0]
        first = self.participant.starts_on + datetime.timedelta(days=self.rng.randint(14, 35))
        last = self.last_day - datetime.timedelta(days=self.rng.randint(7, 45))
        if first > self.last_day:
            return
        last = max(first, last)
        step = (last - first).days / max(1, count - 1)
        held_on = first
        for number in range(count):
            planned = first + datetime.timedelta(days=round(number * step) + self.rng.randint(-7, 7))
            held_on = min(max(planned, held_on), self.last_day)
            if number and held_on <= self.rows.sessions[-1].held_on:
                break
            self.rows.sessions.append(
                CoachingSession(
                    participant=self.participant,
                    coach=self.participant.coach,
                    held_on=held_on,
                    duration_minutes=self.rng.choice([60, 75, 90, 90, 105, 120]),
                    notes=COACHING_NOTES[number % len(COACHING_NOTES)].format(first_name=self.first_name),
                    agreed_actions=self.rng.choice(AGREED_ACTIONS),
                    is_in_portfolio=self.rng.random() < 0.5,
                )
            )

    def _sponsor_meetings(self) -> None:
        participant = self.participant
        is_demo_sponsor = participant.sponsor_id == self.seeder.demo_sponsor.pk
        meetings = []
        for month in _month_starts(participant.starts_on, self.last_day):
            # The demo sponsor has not met anyone yet this month, so that they can log a meeting.
            if is_demo_sponsor and month == self.seeder.today.replace(day=1):
                continue
            if self.rng.random() < 0.15:
                continue
            held_on = month.replace(day=self.rng.randint(3, 26))
            if held_on > self.last_day:
                continue
            meetings.append(held_on)
        for number, held_on in enumerate(meetings):
            is_latest = number == len(meetings) - 1
            # The demo sponsor's latest meeting was logged by the participant and waits for them to confirm.
            logged_by_participant = (is_demo_sponsor and is_latest) or self.rng.random() < 0.5
            logged_by = participant.user if logged_by_participant else participant.sponsor
            other = participant.sponsor if logged_by_participant else participant.user
            is_confirmed = not (is_latest and (is_demo_sponsor or self.rng.random() < 0.4))
            self.rows.meetings.append(
                SponsorMeeting(
                    participant=participant,
                    held_on=held_on,
                    notes=self.rng.choice(MEETING_NOTES),
                    logged_by=logged_by,
                    confirmed_by=other if is_confirmed else None,
                    confirmed_at=(
                        _at(min(held_on + datetime.timedelta(days=self.rng.randint(0, 3)), self.last_day), 17)
                        if is_confirmed
                        else None
                    ),
                )
            )

    def _key_experiences(self) -> list[KeyExperience]:
        participant = self.participant
        organisation_name = participant.application.organisation.name
        choices = self.rng.sample(range(len(EXPERIENCES)), 2)
        count = 2 if self.rng.random() < 0.5 else 1
        experiences = []
        starts_on = add_months(participant.starts_on, self.rng.randint(1, 3)) + datetime.timedelta(
            days=self.rng.randint(0, 10)
        )
        for index in choices[:count]:
            if starts_on > self.last_day:
                break
            experience_type, host, objectives = EXPERIENCES[index]
            ends_on = min(
                add_months(starts_on, self.rng.randint(3, 5)),
                participant.ends_on - datetime.timedelta(days=1),
            )
            has_ended = ends_on <= self.last_day
            experiences.append(
                KeyExperience.objects.create(
                    participant=participant,
                    experience_type=experience_type,
                    host_organisation=host or organisation_name,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    days_per_week=self.rng.choice(
                        [Decimal("1.0"), Decimal("1.5"), Decimal("2.0"), Decimal("2.5")]
                    ),
                    objectives=objectives,
                    reflection=self.rng.choice(REFLECTIONS) if has_ended and self.rng.random() < 0.7 else "",
                )
            )
            starts_on = ends_on - datetime.timedelta(days=self.rng.randint(0, 30))
        return experiences

    def _attendance(self, workshops: list[Workshop]) -> list[Workshop]:
        attended = [
            workshop
            for workshop in workshops
            if workshop.held_on <= self.last_day and self.rng.random() < 0.85
        ]
        self.rows.attendances.extend(
            WorkshopAttendance(
                workshop=workshop,
                participant=self.participant,
                recorded_by=self.seeder.administrator,
                recorded_at=_at(workshop.held_on, 17),
            )
            for workshop in attended
        )
        return attended

    def _learning_log(self, experiences: list[KeyExperience], attended: list[Workshop]) -> None:
        first, last = self.participant.starts_on, self.last_day
        count = self.rng.randint(2, 7)
        texts = self.rng.sample(LOG_ENTRIES, count)
        for text in texts:
            written_on = self._day_between(first, last)
            workshop = next(
                (
                    workshop
                    for workshop in attended
                    if workshop.held_on <= written_on <= workshop.held_on + datetime.timedelta(days=14)
                ),
                None,
            )
            experience = next(
                (
                    experience
                    for experience in experiences
                    if experience.starts_on <= written_on <= experience.ends_on
                ),
                None,
            )
            entry = LearningLogEntry(
                participant=self.participant,
                written_on=written_on,
                text=text,
                key_experience=experience if workshop is None else None,
                workshop=workshop,
                is_shared_with_sponsor=self.rng.random() < 0.3,
            )
            dimensions = self.rng.sample(
                self.seeder.dimensions, min(len(self.seeder.dimensions), self.rng.randint(0, 2))
            )
            self.rows.entries.append((entry, dimensions))

    def _plan(self) -> None:
        """Most plans have aspirations and strengths; about half are complete."""
        stage = self.rng.choices([0, 1, 2, 3], weights=[1, 2, 2, 5])[0]
        plan = CareerDevelopmentPlan.objects.create(
            participant=self.participant,
            aspirations=self.rng.choice(ASPIRATIONS) if stage >= 1 else "",
            strengths=self.rng.choice(STRENGTHS) if stage >= 2 else "",
            areas_to_develop=self.rng.choice(AREAS_TO_DEVELOP) if stage >= 3 else "",
            planned_experiences=self.rng.choice(PLANNED_EXPERIENCES) if stage >= 2 else "",
        )
        if stage >= 2 and self.seeder.dimensions:
            plan.leadership_dimensions.set(
                self.rng.sample(self.seeder.dimensions, min(2, len(self.seeder.dimensions)))
            )
