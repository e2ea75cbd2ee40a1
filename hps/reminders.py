"""The daily High Potential Scheme reminder scan (`send_hps_reminders_task`, 07:15 London time).

- A sponsor who has not responded 5 days after their invitation: the sponsor is reminded when they have
  an active account (the invitation creates one, so this is almost always the case); otherwise the
  applicant is told that their sponsor has not responded yet, so that they can chase them or name
  another sponsor. Once per invitation.
- An application still in draft in the 7 days before its cohort closes: the applicant. Once per
  application and closing date.
- A digest for each cohort administrator of the applications waiting for their decision (eligibility
  review, assessment complete, shortlisted) in the cohorts they run: once per administrator per day.

The scan finds everything with a fixed number of queries (one per kind of reminder, plus one for the
sponsors' accounts), then creates the notifications with `core.notifications.notify_many`, so its cost
does not grow with the number of reminders. Each notification names its event in its unique
`event_key`, so a re-run or a retried task never sends a reminder twice.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils import dateformat, timezone

from accounts.models import Role, RoleAssignment, User
from core.notifications import Notice, notify_many
from hps.models import Application, Cohort, SponsorInvitation

#: A sponsor is reminded when they have not responded this many days after their invitation.
SPONSOR_REMINDER_DAYS = 5
#: A draft application is reminded once when its cohort closes within this many days (once per
#: closing date: a cohort whose closing date moves gets a new reminder).
DRAFT_REMINDER_DAYS = 7
#: Statuses in which an application waits for an administrator's decision, in the order of the digest.
WAITING_FOR_DECISION = (
    Application.Status.ELIGIBILITY_REVIEW,
    Application.Status.ASSESSMENT_COMPLETE,
    Application.Status.SHORTLISTED,
)
DIGEST_WORDING = {
    Application.Status.ELIGIBILITY_REVIEW: "waiting for an eligibility decision",
    Application.Status.ASSESSMENT_COMPLETE: "with the assessment complete",
    Application.Status.SHORTLISTED: "shortlisted, waiting for an offer or outcome",
}


@dataclass(frozen=True)
class HpsReminderSummary:
    """How many notifications one scan created, by kind of reminder."""

    sponsor_not_responded: int = 0
    draft_closing_soon: int = 0
    administrator_digest: int = 0

    @property
    def total(self) -> int:
        return self.sponsor_not_responded + self.draft_closing_soon + self.administrator_digest


def send_hps_reminders(*, today: datetime.date | None = None) -> HpsReminderSummary:
    """Notify everyone with a High Potential Scheme reminder due on `today` (default: today, London).

    Only active people are reminded. Emails follow each person's preference, after the scan commits.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        kinds = {
            "sponsor_not_responded": _sponsor_notices(today),
            "draft_closing_soon": _draft_notices(today),
            "administrator_digest": _digest_notices(today),
        }
        created_keys = {
            notification.event_key
            for notification in notify_many([notice for notices in kinds.values() for notice in notices])
        }
    return HpsReminderSummary(
        **{
            kind: sum(notice.event_key in created_keys for notice in notices)
            for kind, notices in kinds.items()
        }
    )


def _long_date(value: datetime.date) -> str:
    return dateformat.format(value, "j F Y")


def _start_of(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of a day, in the service's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _applicant_url(application_id: int) -> str:
    return reverse("hps:application_detail", kwargs={"pk": application_id})


def _sponsor_notices(today: datetime.date) -> list[Notice]:
    """Open invitations sent 5 days ago or more, still unanswered: two queries."""
    # Sent on or before the day 5 days ago: before midnight (local time) at the start of 4 days ago.
    sent_before = _start_of(today - datetime.timedelta(days=SPONSOR_REMINDER_DAYS - 1))
    invitations = list(
        SponsorInvitation.objects.filter(
            used_at__isnull=True,
            declined_at__isnull=True,
            created_at__lt=sent_before,
            expires_at__gt=timezone.now(),
            application__status=Application.Status.AWAITING_SPONSOR,
            application__sponsor_signed_at__isnull=True,
            application__applicant__is_active=True,
        )
        .annotate(
            sponsor_id=Subquery(
                User.objects.filter(email__iexact=OuterRef("email"), is_active=True).values("pk")[:1]
            )
        )
        .select_related("application__applicant", "application__cohort")
        .order_by("pk")
    )
    sponsors = User.objects.in_bulk({invitation.sponsor_id for invitation in invitations} - {None})
    notices = []
    for invitation in invitations:
        application = invitation.application
        sent_on = _long_date(timezone.localdate(invitation.created_at))
        expires_on = _long_date(timezone.localdate(invitation.expires_at))
        sponsor = sponsors.get(invitation.sponsor_id)
        if sponsor is not None:
            is_linked = application.sponsor_id == sponsor.pk
            notices.append(
                Notice(
                    recipient=sponsor,
                    event_key=f"hps-sponsor-reminder:{invitation.pk}:to:{sponsor.pk}",
                    title="Please respond to a request to sponsor a High Potential Scheme application",
                    body=(
                        f"{application.applicant} asked you on {sent_on} to sponsor their application "
                        f"to {application.cohort}. Read the application, then confirm your support and "
                        "sign, or decline. Use the link in the email we sent you: it works until "
                        f"{expires_on}."
                    ),
                    url=(
                        reverse("hps:sponsor_application", kwargs={"pk": application.pk}) if is_linked else ""
                    ),
                )
            )
        else:
            applicant = application.applicant
            notices.append(
                Notice(
                    recipient=applicant,
                    event_key=f"hps-sponsor-reminder:{invitation.pk}:to:{applicant.pk}",
                    title="Your sponsor has not responded yet",
                    body=(
                        f"We asked {invitation.email} on {sent_on} to sponsor your application to "
                        f"{application.cohort}. Remind them to use the link in our email before "
                        f"{expires_on}, or name another sponsor."
                    ),
                    url=_applicant_url(application.pk),
                )
            )
    return notices


def _draft_notices(today: datetime.date) -> list[Notice]:
    """Drafts in cohorts closing within 7 days: one query."""
    applications = (
        Application.objects.filter(
            status=Application.Status.DRAFT,
            applicant__is_active=True,
            cohort__closes_on__gte=today,
            cohort__closes_on__lte=today + datetime.timedelta(days=DRAFT_REMINDER_DAYS),
        )
        .select_related("applicant", "cohort")
        .order_by("pk")
    )
    notices = []
    for application in applications.iterator():
        closes_on = _long_date(application.cohort.closes_on)
        notices.append(
            Notice(
                recipient=application.applicant,
                event_key=(
                    f"hps-draft-closing:{application.pk}:{application.cohort.closes_on.isoformat()}"
                    f":to:{application.applicant_id}"
                ),
                title=f"Submit your High Potential Scheme application by {closes_on}",
                body=(
                    f"Your application to {application.cohort} is still a draft. Finish it and submit it "
                    f"by the end of {closes_on}. You cannot submit it after that."
                ),
                url=_applicant_url(application.pk),
            )
        )
    return notices


def _digest_notices(today: datetime.date) -> list[Notice]:
    """One digest per cohort administrator with applications waiting for a decision: two queries."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        Application.objects.filter(status__in=WAITING_FOR_DECISION)
        .values("cohort_id", "status")
        .annotate(number=Count("pk"))
        .order_by()
    ):
        counts[row["cohort_id"]][row["status"]] = row["number"]
    if not counts:
        return []
    administrations = (
        Cohort.administrators.through.objects.filter(cohort_id__in=counts, user__is_active=True)
        .filter(
            Exists(
                RoleAssignment.objects.current(today).filter(
                    user=OuterRef("user_id"), role=Role.HPS_ADMINISTRATOR
                )
            )
        )
        .select_related("user", "cohort")
        .order_by("user_id", "cohort__name", "cohort_id")
    )
    cohorts_by_administrator: dict[int, list[Cohort]] = defaultdict(list)
    administrators = {}
    for administration in administrations:
        administrators[administration.user_id] = administration.user
        cohorts_by_administrator[administration.user_id].append(administration.cohort)
    notices = []
    for user_id, cohorts in cohorts_by_administrator.items():
        total = sum(sum(counts[cohort.pk].values()) for cohort in cohorts)
        lines = []
        for cohort in cohorts:
            parts = [
                f"{counts[cohort.pk][status]} {DIGEST_WORDING[status]}"
                for status in WAITING_FOR_DECISION
                if counts[cohort.pk].get(status)
            ]
            lines.append(f"{cohort.name}: {'; '.join(parts)}.")
        notices.append(
            Notice(
                recipient=administrators[user_id],
                event_key=f"hps-administrator-digest:{today.isoformat()}:to:{user_id}",
                title=(
                    f"{total} High Potential Scheme application{'s' if total != 1 else ''} "
                    f"{'are' if total != 1 else 'is'} waiting for a decision"
                ),
                body="\n".join(lines),
                url=_review_queue_url(),
            )
        )
    return notices


def _review_queue_url() -> str:
    return reverse("hps:cohort_list")
