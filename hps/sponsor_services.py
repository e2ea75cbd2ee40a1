"""Writes for the sponsor's side of an application: the invitation, signing and declining.

The applicant names a sponsor by email. `sponsor_invitation_send` creates a single-use link that
expires after 14 days (only a hash of its token is stored) and emails it when the transaction
commits, creating an account for a sponsor who has none. The sponsor follows the link, signs in and
is linked to the application (`sponsor_invitation_accept`), then signs the terms and conditions
(`sponsor_sign`, which moves the application on to eligibility review) or declines with a reason
(`sponsor_decline`, which leaves it waiting for the applicant to name another sponsor).
"""

import datetime
import secrets

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat, timezone

from accounts.models import User
from config.secret_key import require_secret_key
from core.audit import audit, snapshot
from core.models import AuditEvent
from core.notifications import absolute_url, notify
from hps.models import Application, SponsorInvitation
from hps.services import application_transition

#: Statuses in which an application waits for its sponsor (the applicant's submit service may send the
#: invitation just before or just after moving the application to "awaiting sponsor").
INVITABLE_STATUSES = (Application.Status.SUBMITTED, Application.Status.AWAITING_SPONSOR)
SIGNATURE_FIELDS = ["sponsor", "sponsor_signed_name", "sponsor_signed_at", "sponsor_terms_version"]
NAME_MAX_LENGTH = Application._meta.get_field("sponsor_signed_name").max_length

NOT_WAITING = "This application is no longer waiting for a sponsor"
ALREADY_SIGNED = "You have already signed this application"
ENTER_NAME = "Enter your full name"
CONFIRM_DECLARATION = "Confirm that you support this application and agree to the terms and conditions"
ENTER_REASON = "Enter the reason you cannot sponsor this application"


# --- Invitation link errors --------------------------------------------------------------------


class SponsorLinkError(Exception):
    """A sponsor link that cannot be used. `message` is shown to the person; `is_gone` means the link
    existed but cannot be used any more (the page answers 410 Gone rather than 404)."""

    code = "not_valid"
    message = "This link is not valid"
    is_gone = False

    def __str__(self) -> str:
        return self.message


class SponsorLinkNotValid(SponsorLinkError):
    code = "not_valid"


class SponsorLinkUsed(SponsorLinkError):
    code = "used"
    message = "This link has already been used"
    is_gone = True


class SponsorLinkExpired(SponsorLinkError):
    code = "expired"
    message = "This link has expired"
    is_gone = True


class SponsorLinkForSomeoneElse(SponsorLinkError):
    code = "different_person"
    message = "This link is for a different person"


class SponsorLinkApplicationClosed(SponsorLinkError):
    code = "closed"
    message = NOT_WAITING
    is_gone = True


# --- Helpers -----------------------------------------------------------------------------------


def _long_date(value: datetime.date) -> str:
    return dateformat.format(value, "j F Y")


def _normalise_name(name: str) -> str:
    return " ".join((name or "").split()).casefold()


def _applicant_application_url(application: Application) -> str:
    """The applicant's own page for the application, for the links in their notifications."""
    return reverse("hps:application_detail", kwargs={"pk": application.pk})


def _invitation_url(token: str) -> str:
    return absolute_url(reverse("hps:sponsor_invitation", kwargs={"token": token}))


def _set_password_url(user) -> str:
    """allauth's "reset password from key" link, used here to set the first password.

    The key is signed with SECRET_KEY, and this runs in the Celery worker, which (unlike the web
    server) cannot refuse to start without one: refuse here rather than email a link that cannot work.
    """
    require_secret_key()
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )
    return absolute_url(path)


def _sponsor_account_for_invitation(email: str, *, applicant):
    """The account of the person invited, created (with no usable password) if they have none."""
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        return user
    user = User.objects.create_user(email, password=None)
    audit(
        actor=applicant,
        action=AuditEvent.Action.CREATE,
        verb="user_create_for_sponsor_invitation",
        instance=user,
        after=snapshot(user, fields=["email", "is_active"]),
    )
    return user


# --- Sending the invitation ---------------------------------------------------------------------


@transaction.atomic
def sponsor_invitation_send(*, application: Application) -> SponsorInvitation:
    """Invite the sponsor the applicant named to support the application.

    Earlier open invitations for the application are marked used (superseded), so only the newest
    link works, and a previously linked sponsor with another email address is unlinked. An account
    is created for a sponsor who has none. The email, with the link and (for a new account) a link
    to set a password, is sent by a task when the transaction commits.
    """
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("applicant", "cohort", "sponsor")
        .get(pk=application.pk)
    )
    email = (application.sponsor_email or "").strip().lower()
    if application.status not in INVITABLE_STATUSES or application.is_sponsor_signed:
        raise ValidationError(NOT_WAITING)
    if not email:
        raise ValidationError({"sponsor_email": "Enter your sponsor's email address"})
    if email == application.applicant.email.lower():
        raise ValidationError({"sponsor_email": "Enter the email address of your sponsor, not your own"})

    now = timezone.now()
    superseded = application.sponsor_invitations.filter(used_at__isnull=True).update(used_at=now)
    before = snapshot(application, fields=["sponsor"])
    if application.sponsor is not None and application.sponsor.email.lower() != email:
        application.sponsor = None
        application.save(update_fields=["sponsor", "updated_at"])

    _sponsor_account_for_invitation(email, applicant=application.applicant)
    token = secrets.token_urlsafe(32)
    invitation = SponsorInvitation.objects.create(
        application=application,
        email=email,
        token_hash=SponsorInvitation.hash_token(token),
        created_at=now,
        expires_at=now + datetime.timedelta(days=SponsorInvitation.VALID_FOR_DAYS),
    )
    audit(
        actor=application.applicant,
        action=AuditEvent.Action.CREATE,
        verb="sponsor_invitation_send",
        instance=invitation,
        before={**before, "superseded_invitations": superseded},
        after={
            **snapshot(application, fields=["sponsor"]),
            "application": application.pk,
            "email": email,
            "expires_at": invitation.expires_at.isoformat(),
        },
    )

    from hps.tasks import send_sponsor_invitation_email_task

    # Robust: the invitation is saved whatever the broker says; the applicant can send it again.
    transaction.on_commit(lambda: send_sponsor_invitation_email_task.delay(invitation.pk, token), robust=True)
    return invitation


def sponsor_invitation_email_send(*, invitation_id: int, token: str) -> bool:
    """Email the invitation to the sponsor; return whether an email was sent.

    Nothing is sent for an invitation that no longer exists, has been used, superseded or has
    expired, or whose token does not match (the task is given the token, never the database). A
    sponsor whose account has no usable password yet gets a link to set one.
    """
    invitation = (
        SponsorInvitation.objects.select_related("application__applicant", "application__cohort")
        .filter(pk=invitation_id, used_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if invitation is None or not secrets.compare_digest(
        invitation.token_hash, SponsorInvitation.hash_token(token)
    ):
        return False
    application = invitation.application
    sponsor = User.objects.filter(email__iexact=invitation.email, is_active=True).first()
    needs_password = sponsor is not None and not sponsor.has_usable_password()
    context = {
        "service_name": settings.SERVICE_NAME,
        "applicant": application.applicant,
        "cohort": application.cohort,
        "invitation_url": _invitation_url(token),
        "expires_on": _long_date(timezone.localdate(invitation.expires_at)),
        "email": invitation.email,
        "set_password_url": _set_password_url(sponsor) if needs_password else "",
        "set_password_days": settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60),
        "password_reset_url": absolute_url(reverse("account_reset_password")),
    }
    subject = render_to_string("email/hps_sponsor_invitation_subject.txt", context).strip()
    body = render_to_string("email/hps_sponsor_invitation_message.txt", context)
    EmailMessage(subject=" ".join(subject.split()), body=body, to=[invitation.email]).send()
    return True


# --- Following the link -------------------------------------------------------------------------


@transaction.atomic
def sponsor_invitation_accept(*, token: str, user) -> Application:
    """Link the signed-in person to the application as its sponsor, from their invitation link.

    Raises a `SponsorLinkError` and changes nothing when the link is not valid, has been used or
    superseded, has expired, is for someone else, or the application no longer waits for a sponsor.
    """
    invitation = (
        SponsorInvitation.objects.select_for_update(of=("self",))
        .select_related("application")
        .filter(token_hash=SponsorInvitation.hash_token(token or ""))
        .first()
    )
    if invitation is None:
        raise SponsorLinkNotValid
    if invitation.used_at is not None:
        raise SponsorLinkUsed
    if invitation.expires_at <= timezone.now():
        raise SponsorLinkExpired
    if not user.is_authenticated or user.email.lower() != invitation.email.lower():
        raise SponsorLinkForSomeoneElse
    application = Application.objects.select_for_update().get(pk=invitation.application_id)
    if application.status not in INVITABLE_STATUSES or application.is_sponsor_signed:
        raise SponsorLinkApplicationClosed
    if application.sponsor_id != user.pk:
        before = snapshot(application, fields=["sponsor"])
        application.sponsor = user
        application.save(update_fields=["sponsor", "updated_at"])
        audit(
            actor=user,
            action=AuditEvent.Action.UPDATE,
            verb="application_sponsor_link",
            instance=application,
            before=before,
            after={**snapshot(application, fields=["sponsor"]), "invitation": invitation.pk},
        )
    return application


# --- Signing or declining -----------------------------------------------------------------------


def _lock_for_sponsor(application: Application, by) -> Application:
    """The application, locked, after checking that `by` is its sponsor and it waits for them."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("applicant", "cohort")
        .get(pk=application.pk)
    )
    if not by.is_authenticated or application.sponsor_id != by.pk:
        # The views load applications through `application_sponsored_by`; this is the safety net.
        raise PermissionDenied
    if application.is_sponsor_signed:
        raise ValidationError(ALREADY_SIGNED)
    if application.status != Application.Status.AWAITING_SPONSOR:
        raise ValidationError(NOT_WAITING)
    return application


@transaction.atomic
def sponsor_sign(*, application: Application, by, full_name: str, confirms: bool) -> Application:
    """The sponsor confirms their support and signs the cohort's terms and conditions.

    The typed name must be the sponsor's name on their account (when it has one) and the declaration
    must be confirmed. The signature is stored with the terms version, the invitation is marked used,
    the application moves to eligibility review and the applicant is told.
    """
    application = _lock_for_sponsor(application, by)
    full_name = " ".join((full_name or "").split())
    errors = {}
    account_name = by.get_full_name().strip()
    if not full_name:
        errors["full_name"] = ENTER_NAME
    elif len(full_name) > NAME_MAX_LENGTH:
        errors["full_name"] = f"Full name must be {NAME_MAX_LENGTH} characters or fewer"
    elif account_name and _normalise_name(full_name) != _normalise_name(account_name):
        errors["full_name"] = f"Enter your full name as it is shown on your account: {account_name}"
    if not confirms:
        errors["confirms"] = CONFIRM_DECLARATION
    if errors:
        raise ValidationError(errors)

    now = timezone.now()
    before = snapshot(application, fields=SIGNATURE_FIELDS)
    application.sponsor_signed_name = full_name
    application.sponsor_signed_at = now
    application.sponsor_terms_version = application.cohort.terms_version
    application.save(
        update_fields=["sponsor_signed_name", "sponsor_signed_at", "sponsor_terms_version", "updated_at"]
    )
    used = application.sponsor_invitations.filter(used_at__isnull=True).update(used_at=now)
    audit(
        actor=by,
        action=AuditEvent.Action.UPDATE,
        verb="application_sponsor_signature",
        instance=application,
        before=before,
        after={**snapshot(application, fields=SIGNATURE_FIELDS), "invitations_used": used},
    )
    application = application_transition(application=application, name="sponsor_sign", by=by)
    notify(
        recipient=application.applicant,
        event_key=f"hps-sponsor-signed:{application.pk}:to:{application.applicant_id}",
        title="Your sponsor has signed your High Potential Scheme application",
        body=(
            f"{by} confirmed their support for your application to {application.cohort} and signed "
            "the terms and conditions. We will now check that you are eligible for the scheme."
        ),
        url=_applicant_application_url(application),
    )
    return application


@transaction.atomic
def sponsor_decline(*, application: Application, by, reason: str) -> SponsorInvitation | None:
    """The sponsor declines to support the application, with a reason.

    The decline is recorded on their invitation (which can no longer be used) and they are unlinked.
    The application stays waiting for a sponsor, and the applicant is asked to name another one.
    Returns the invitation the decline was recorded on (None if the sponsor was never invited).
    """
    application = _lock_for_sponsor(application, by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ENTER_REASON})

    now = timezone.now()
    invitation = (
        application.sponsor_invitations.select_for_update()
        .filter(email__iexact=by.email, declined_at__isnull=True)
        .order_by("-created_at", "-pk")
        .first()
    )
    if invitation is not None:
        invitation.declined_at = now
        invitation.decline_reason = reason
        invitation.used_at = invitation.used_at or now
        invitation.save(update_fields=["declined_at", "decline_reason", "used_at"])
    before = snapshot(application, fields=["sponsor"])
    application.sponsor = None
    application.save(update_fields=["sponsor", "updated_at"])
    audit(
        actor=by,
        action=AuditEvent.Action.UPDATE,
        verb="application_sponsor_decline",
        instance=application,
        before=before,
        after={
            **snapshot(application, fields=["sponsor"]),
            "invitation": invitation.pk if invitation is not None else None,
            "decline_reason": reason,
        },
    )
    # One event per declined invitation (an application set up without one: per sponsor and time).
    event = f"{invitation.pk}" if invitation is not None else f"{application.pk}-{by.pk}-{now.isoformat()}"
    notify(
        recipient=application.applicant,
        event_key=f"hps-sponsor-declined:{event}:to:{application.applicant_id}",
        title="Your sponsor cannot support your High Potential Scheme application",
        body=(
            f"{by} has declined to sponsor your application to {application.cohort}. "
            f"The reason they gave: {reason}\n\n"
            "Name another sponsor from your application, or withdraw it."
        ),
        url=_applicant_application_url(application),
    )
    return invitation
