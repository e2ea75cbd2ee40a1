"""The daily reminders for High Potential Scheme participants (`send_participant_reminders_task`, 07:30).

Only active participants whose scheme has started are reminded, and only people with an active account
receive anything:

- Sponsor meeting: from the 20th of a month, no sponsor meeting logged in that calendar month. The
  participant and their sponsor. Once per participant per month.
- Coaching: no coaching session for 4 months, counted from the later of the scheme's start and the last
  session. The participant and their career coach. Once per participant and last session (or start).
- Key experience: ending within 14 days without a reflection. The participant. Once per experience and
  end date.
- Final panel: scheduled within 30 days, no outcome yet. The participant. Once per panel and date.
- Scheme end: the last day of the scheme within 60 days while requirements are unmet (computed by
  `hps.progress`). The participant and the cohort's administrators, with what is unmet. Once per
  participant and end date.

Sponsor meeting and coaching reminders stop once the scheme's 24 months are over.

The scan reads every participant with their records in a fixed number of queries
(`participants_with_progress`), one more for the administrators, then creates the notifications with
`core.notifications.notify_many`, so its cost does not grow with the number of participants. Each
notification names its event in its unique `event_key`, so a re-run or a retried task never sends a
reminder twice; email follows each person's preference.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.text import Truncator

from accounts.models import Role, RoleAssignment
from core.models import Notification
from core.notifications import Notice, notify_many
from hps.models import Cohort, Participant
from hps.progress import add_months, participant_progress, participants_with_progress

#: From this day of the month, a month without a logged sponsor meeting is reminded.
SPONSOR_MEETING_DAY = 20
#: A participant is reminded when they have had no coaching session for this many months.
COACHING_GAP_MONTHS = 4
#: A key experience without a reflection is reminded when it ends within this many days.
REFLECTION_DAYS = 14
#: A final panel is reminded when it is held within this many days.
FINAL_PANEL_DAYS = 30
#: Unmet requirements are reminded when the scheme's last day is within this many days.
SCHEME_END_DAYS = 60

TITLE_LENGTH = Notification._meta.get_field("title").max_length


@dataclass(frozen=True)
class ParticipantReminderSummary:
    """How many notifications one scan created, by kind of reminder."""

    sponsor_meeting_due: int = 0
    coaching_overdue: int = 0
    reflection_due: int = 0
    final_panel_soon: int = 0
    scheme_ending_unmet: int = 0

    @property
    def total(self) -> int:
        return (
            self.sponsor_meeting_due
            + self.coaching_overdue
            + self.reflection_due
            + self.final_panel_soon
            + self.scheme_ending_unmet
        )


def send_participant_reminders(*, today: datetime.date | None = None) -> ParticipantReminderSummary:
    """Notify everyone with a participant reminder due on `today` (default: today, London time)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        participants = list(
            participants_with_progress(
                Participant.objects.filter(
                    status=Participant.Status.ACTIVE, user__is_active=True, starts_on__lte=today
                ).order_by("pk")
            )
        )
        kinds = {
            "sponsor_meeting_due": _sponsor_meeting_notices(participants, today),
            "coaching_overdue": _coaching_notices(participants, today),
            "reflection_due": _reflection_notices(participants, today),
            "final_panel_soon": _final_panel_notices(participants, today),
            "scheme_ending_unmet": _scheme_end_notices(participants, today),
        }
        created_keys = {
            notification.event_key
            for notification in notify_many([notice for notices in kinds.values() for notice in notices])
        }
    return ParticipantReminderSummary(
        **{
            kind: sum(notice.event_key in created_keys for notice in notices)
            for kind, notices in kinds.items()
        }
    )


def _long_date(value: datetime.date) -> str:
    return dateformat.format(value, "j F Y")


def _title(text: str) -> str:
    # Names come from people's accounts and can be long; the title column is not.
    return Truncator(text).chars(TITLE_LENGTH)


def _name(user) -> str:
    return user.get_full_name() or user.email


def _is_active(user) -> bool:
    return user is not None and user.is_active


def _last_day(participant: Participant) -> datetime.date:
    """The last day of the 24 months: `ends_on` is the day after it."""
    return participant.ends_on - datetime.timedelta(days=1)


def _is_under_way(participant: Participant, today: datetime.date) -> bool:
    return participant.starts_on <= today < participant.ends_on


def _scheme_url(name: str = "hps:scheme", **kwargs) -> str:
    return reverse(name, kwargs=kwargs or None)


def _sponsor_url(participant: Participant) -> str:
    return reverse("hps:sponsor_participant", kwargs={"pk": participant.pk})


def _coach_url(participant: Participant) -> str:
    return reverse("hps:coach_participant", kwargs={"pk": participant.pk})


def _administrator_url(participant: Participant) -> str:
    return reverse("hps:admin_participant", kwargs={"pk": participant.pk})


def _sponsor_meeting_notices(participants: list[Participant], today: datetime.date) -> list[Notice]:
    if today.day < SPONSOR_MEETING_DAY:
        return []
    month = dateformat.format(today, "F Y")
    notices = []
    for participant in participants:
        if not _is_under_way(participant, today):
            continue
        if any(
            (meeting.held_on.year, meeting.held_on.month) == (today.year, today.month)
            for meeting in participant.sponsor_meetings.all()
        ):
            continue
        key = f"hps-participant-sponsor-meeting:{participant.pk}:{today:%Y-%m}"
        sponsor = participant.sponsor if _is_active(participant.sponsor) else None
        notices.append(
            Notice(
                recipient=participant.user,
                event_key=f"{key}:to:{participant.user_id}",
                title=_title(f"You have not logged a sponsor meeting in {month}"),
                body=(
                    "The High Potential Scheme asks you to meet your sponsor"
                    + (f", {_name(sponsor)}," if sponsor else "")
                    + f" at least once a month. Meet before the end of {month} and log the meeting."
                ),
                url=_scheme_url("hps:scheme_meetings"),
            )
        )
        if sponsor is not None:
            notices.append(
                Notice(
                    recipient=sponsor,
                    event_key=f"{key}:to:{sponsor.pk}",
                    title=_title(f"No sponsor meeting logged with {_name(participant.user)} in {month}"),
                    body=(
                        f"As their sponsor on the High Potential Scheme, you agreed to meet "
                        f"{_name(participant.user)} at least once a month. Meet before the end of {month} "
                        "and log the meeting."
                    ),
                    url=_sponsor_url(participant),
                )
            )
    return notices


def _coaching_notices(participants: list[Participant], today: datetime.date) -> list[Notice]:
    notices = []
    for participant in participants:
        if not _is_under_way(participant, today):
            continue
        last_session = max(
            (session.held_on for session in participant.coaching_sessions.all()),
            default=None,
        )
        has_met_coach = last_session is not None and last_session >= participant.starts_on
        since = last_session if has_met_coach else participant.starts_on
        if add_months(since, COACHING_GAP_MONTHS) > today:
            continue
        key = f"hps-participant-coaching:{participant.pk}:{since.isoformat()}"
        coach = participant.coach if _is_active(participant.coach) else None
        since_text = _long_date(since) if has_met_coach else None
        participant_since = since_text or f"your scheme started on {_long_date(since)}"
        notices.append(
            Notice(
                recipient=participant.user,
                event_key=f"{key}:to:{participant.user_id}",
                title=_title(f"You have not had a coaching session since {participant_since}"),
                body=(
                    "You meet your career coach six to eight times over the 2 years of the scheme. "
                    + (
                        f"Book your next session with {_name(coach)}."
                        if coach
                        else "You do not have a career coach yet: ask your programme administrator."
                    )
                ),
                url=_scheme_url("hps:scheme_sessions"),
            )
        )
        if coach is not None:
            coach_since = since_text or f"their scheme started on {_long_date(since)}"
            notices.append(
                Notice(
                    recipient=coach,
                    event_key=f"{key}:to:{coach.pk}",
                    title=_title(
                        f"{_name(participant.user)} has not had a coaching session since {coach_since}"
                    ),
                    body=(
                        "Participants meet their career coach six to eight times over the 2 years of the "
                        "scheme. Arrange their next session and log it."
                    ),
                    url=_coach_url(participant),
                )
            )
    return notices


def _reflection_notices(participants: list[Participant], today: datetime.date) -> list[Notice]:
    last_day = today + datetime.timedelta(days=REFLECTION_DAYS)
    notices = []
    for participant in participants:
        for experience in participant.key_experiences.all():
            if experience.reflection.strip() or not today <= experience.ends_on <= last_day:
                continue
            kind = experience.get_experience_type_display().lower()
            ends_on = _long_date(experience.ends_on)
            notices.append(
                Notice(
                    recipient=participant.user,
                    event_key=(
                        f"hps-participant-reflection:{experience.pk}:{experience.ends_on.isoformat()}"
                        f":to:{participant.user_id}"
                    ),
                    title=_title(f"Write a reflection on your {kind} before it ends on {ends_on}"),
                    body=(
                        f"Your {kind} at {experience.host_organisation} ends on {ends_on}. Add a reflection "
                        "on what you learnt: to complete the scheme you need at least two key experiences "
                        "with a reflection."
                    ),
                    url=_scheme_url("hps:scheme_experience_reflection", pk=experience.pk),
                )
            )
    return notices


def _final_panel_notices(participants: list[Participant], today: datetime.date) -> list[Notice]:
    last_day = today + datetime.timedelta(days=FINAL_PANEL_DAYS)
    notices = []
    for participant in participants:
        for panel in participant.final_panels.all():
            if panel.outcome or not today <= panel.held_on <= last_day:
                continue
            held_on = _long_date(panel.held_on)
            notices.append(
                Notice(
                    recipient=participant.user,
                    event_key=(
                        f"hps-participant-final-panel:{panel.pk}:{panel.held_on.isoformat()}"
                        f":to:{participant.user_id}"
                    ),
                    title=_title(f"Your final panel is on {held_on}"),
                    body=(
                        f"You present to a panel of senior system leaders on {held_on}. Prepare a "
                        "presentation of your reflections on what you have learnt on the scheme."
                    ),
                    url=_scheme_url(),
                )
            )
    return notices


def _scheme_end_notices(participants: list[Participant], today: datetime.date) -> list[Notice]:
    """Participants near the end with requirements unmet, and their cohorts' administrators: one query."""
    last_day_in_window = today + datetime.timedelta(days=SCHEME_END_DAYS)
    ending = []
    for participant in participants:
        if not today <= _last_day(participant) <= last_day_in_window:
            continue
        unmet = participant_progress(participant, today=today).unmet
        if unmet:
            ending.append((participant, unmet))
    if not ending:
        return []
    administrators = _administrators_by_cohort(
        {participant.cohort_id for participant, _unmet in ending}, today
    )
    notices = []
    for participant, unmet in ending:
        last_day = _long_date(_last_day(participant))
        count = f"{len(unmet)} requirement{'s' if len(unmet) != 1 else ''}"
        are = "are" if len(unmet) != 1 else "is"
        needs = "\n".join(f"- {requirement.label}: {requirement.summary}" for requirement in unmet)
        key = f"hps-participant-scheme-end:{participant.pk}:{_last_day(participant).isoformat()}"
        notices.append(
            Notice(
                recipient=participant.user,
                event_key=f"{key}:to:{participant.user_id}",
                title=_title(f"Your scheme ends on {last_day}: {count} {are} not met yet"),
                body=f"To complete the High Potential Scheme, you still need to meet:\n{needs}",
                url=_scheme_url(),
            )
        )
        for administrator in administrators[participant.cohort_id]:
            notices.append(
                Notice(
                    recipient=administrator,
                    event_key=f"{key}:to:{administrator.pk}",
                    title=_title(
                        f"{_name(participant.user)}'s scheme ends on {last_day} with {count} not met"
                    ),
                    body=f"{_name(participant.user)} ({participant.cohort}) still needs to meet:\n{needs}",
                    url=_administrator_url(participant),
                )
            )
    return notices


def _administrators_by_cohort(cohort_ids: set[int], today: datetime.date) -> dict[int, list]:
    """Active administrators of each cohort who hold the HPS administrator role today: one query."""
    administrations = (
        Cohort.administrators.through.objects.filter(cohort_id__in=cohort_ids, user__is_active=True)
        .filter(
            Exists(
                RoleAssignment.objects.current(today).filter(
                    user=OuterRef("user_id"), role=Role.HPS_ADMINISTRATOR
                )
            )
        )
        .select_related("user")
        .order_by("user_id")
    )
    administrators = defaultdict(list)
    for administration in administrations:
        administrators[administration.cohort_id].append(administration.user)
    return administrators
