"""The sponsor's side of an application: the emailed link, accounts by invitation, signing and declining."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import EqualityProfile, User
from core.models import AuditEvent, Notification
from hps import sponsor_services
from hps.models import Application, ApplicationTransition, SponsorInvitation
from hps.sponsor_services import (
    SponsorLinkApplicationClosed,
    SponsorLinkExpired,
    SponsorLinkForSomeoneElse,
    SponsorLinkNotValid,
    SponsorLinkUsed,
)
from tests.accounts.factories import (
    TEST_PASSWORD,
    EqualityProfileFactory,
    UserFactory,
    give_totp,
)
from tests.hps.factories import ApplicationFactory, CohortFactory, SponsorInvitationFactory

LONDON = ZoneInfo("Europe/London")
NOW = datetime.datetime(2027, 2, 10, 10, 30, tzinfo=LONDON)
TOKEN = "valid-token-for-morgan"
LINK_PATTERN = re.compile(r"https?://\S+/hps/sponsor/invitation/(?P<token>[A-Za-z0-9_-]+)/")
SET_PASSWORD_PATTERN = re.compile(r"https?://[^/\s]+(?P<path>/account/password/reset/key/\S+/)")

Status = Application.Status


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def cohort(db):
    return CohortFactory(name="Staffordshire and Stoke-on-Trent November 2027", terms_version="2.1")


@pytest.fixture
def applicant(db):
    return UserFactory(email="amara.osei@nhs.test", first_name="Amara", last_name="Osei")


@pytest.fixture
def sponsor(db):
    return UserFactory(email="morgan.ellis@nhs.test", first_name="Morgan", last_name="Ellis")


@pytest.fixture
def application(cohort, applicant):
    return ApplicationFactory(
        awaiting_sponsor=True,
        applicant=applicant,
        cohort=cohort,
        sponsor_email="morgan.ellis@nhs.test",
        job_title="Head of nursing",
        motivation_statement="I want to lead a whole service.",
        leadership_statement="I lead with compassion.",
        transition_statement="I am moving towards managing managers.",
    )


@pytest.fixture
def invitation(application):
    return SponsorInvitationFactory(application=application, token=TOKEN, created_at=NOW)


@pytest.fixture
def linked(application, invitation, sponsor):
    """The sponsor has followed their link: they are the application's sponsor."""
    application.sponsor = sponsor
    application.save()
    return application


def _state():
    """Everything the sponsor's pages can change, to check that a refused request changed nothing."""
    return (
        list(Application.objects.order_by("pk").values()),
        list(ApplicationTransition.objects.order_by("pk").values()),
        list(SponsorInvitation.objects.order_by("pk").values()),
        list(User.objects.order_by("pk").values("pk", "email", "password")),
        AuditEvent.objects.count(),
        Notification.objects.count(),
    )


def _errors(response) -> dict:
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


# --- Sending the invitation ---------------------------------------------------------------------


def test_invitation_to_an_existing_account_stores_only_a_hash_and_emails_a_working_link(
    application, sponsor, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = sponsor_services.sponsor_invitation_send(application=application)

    assert (invitation.email, invitation.created_at, invitation.expires_at, invitation.used_at) == (
        "morgan.ellis@nhs.test",
        NOW,
        NOW + datetime.timedelta(days=14),
        None,
    )
    assert [message.to for message in mailoutbox] == [["morgan.ellis@nhs.test"]]
    message = mailoutbox[0]
    assert message.subject == (
        "Scope for Growth: Amara Osei has asked you to sponsor their High Potential Scheme application"
    )
    assert "Amara Osei has asked you to sponsor their application to the NHS High Potential Scheme, " in (
        message.body
    )
    assert "Staffordshire and Stoke-on-Trent November 2027." in message.body
    assert "expires on 24 February 2027" in message.body
    assert "set your password" not in message.body
    token = LINK_PATTERN.search(message.body)["token"]
    assert len(token) >= 43
    assert invitation.token_hash == SponsorInvitation.hash_token(token)
    assert not SponsorInvitation.objects.filter(token_hash=token).exists()
    assert User.objects.filter(email="morgan.ellis@nhs.test").count() == 1
    event = AuditEvent.objects.get(verb="sponsor_invitation_send")
    assert (event.actor, event.object_id) == (application.applicant, str(invitation.pk))
    assert token not in str(event.after)


def test_no_set_password_link_is_signed_without_a_secret_key(
    application, settings, mailoutbox, django_capture_on_commit_callbacks, caplog
):
    application.sponsor_email = "new.sponsor@nhs.test"
    application.save()
    settings.SECRET_KEY_FROM_ENVIRONMENT = False
    settings.TESTING = False
    settings.DEBUG = False

    with django_capture_on_commit_callbacks(execute=True):
        sponsor_services.sponsor_invitation_send(application=application)

    # The email task refuses (and is logged); no email with an unusable link goes out.
    assert mailoutbox == []
    assert "Set SECRET_KEY (or DEBUG=true for local development)." in caplog.text


def test_a_new_sponsor_gets_an_account_with_no_password_and_a_link_to_set_one(
    client, application, mailoutbox, django_capture_on_commit_callbacks
):
    application.sponsor_email = "New.Sponsor@NHS.test"
    application.save()

    with django_capture_on_commit_callbacks(execute=True):
        invitation = sponsor_services.sponsor_invitation_send(application=application)

    new_sponsor = User.objects.get(email="new.sponsor@nhs.test")
    assert (new_sponsor.is_active, new_sponsor.has_usable_password()) == (True, False)
    assert invitation.email == "new.sponsor@nhs.test"
    assert AuditEvent.objects.filter(
        verb="user_create_for_sponsor_invitation", object_id=str(new_sponsor.pk)
    ).exists()
    body = mailoutbox[0].body
    assert "We have created an account for you in Scope for Growth with this email address" in body
    assert "This link to set your password works for 3 days." in body

    # The set-password link works: allauth takes the key, then asks for the new password.
    set_password_path = SET_PASSWORD_PATTERN.search(body)["path"]
    response = client.get(set_password_path)
    assert response.status_code == 302
    response = client.post(response["Location"], {"password1": TEST_PASSWORD, "password2": TEST_PASSWORD})
    assert response.status_code == 302
    new_sponsor.refresh_from_db()
    assert new_sponsor.check_password(TEST_PASSWORD)

    # They can then sign in and follow the invitation link to the application.
    assert client.login(email="new.sponsor@nhs.test", password=TEST_PASSWORD)
    response = client.get(LINK_PATTERN.search(body)[0])
    assert response.status_code == 302
    assert response["Location"] == reverse("hps:sponsor_application", kwargs={"pk": application.pk})
    application.refresh_from_db()
    assert application.sponsor == new_sponsor


def test_a_new_invitation_supersedes_the_earlier_link(application, invitation, sponsor):
    newer = sponsor_services.sponsor_invitation_send(application=application)

    invitation.refresh_from_db()
    assert invitation.used_at == NOW
    assert newer.used_at is None
    with pytest.raises(SponsorLinkUsed):
        sponsor_services.sponsor_invitation_accept(token=TOKEN, user=sponsor)


def test_naming_another_sponsor_unlinks_the_previous_one(linked, sponsor):
    linked.sponsor_email = "other.sponsor@nhs.test"
    linked.save()

    invitation = sponsor_services.sponsor_invitation_send(application=linked)

    linked.refresh_from_db()
    assert (linked.sponsor, invitation.email) == (None, "other.sponsor@nhs.test")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": Status.ELIGIBILITY_REVIEW}, "This application is no longer waiting for a sponsor"),
        ({"status": Status.WITHDRAWN}, "This application is no longer waiting for a sponsor"),
        ({"sponsor_email": ""}, "Enter your sponsor's email address"),
        ({"sponsor_email": "AMARA.OSEI@nhs.test"}, "Enter the email address of your sponsor, not your own"),
    ],
)
def test_invitation_send_is_refused_with_a_clear_message(application, changes, message):
    Application.objects.filter(pk=application.pk).update(**changes)
    before = _state()

    with pytest.raises(ValidationError) as error:
        sponsor_services.sponsor_invitation_send(application=application)

    assert error.value.messages == [message]
    assert _state() == before


# --- Following the link -------------------------------------------------------------------------


def test_following_the_link_links_the_sponsor_to_the_application(invitation, application, sponsor):
    linked = sponsor_services.sponsor_invitation_accept(token=TOKEN, user=sponsor)

    application.refresh_from_db()
    assert (linked, application.sponsor, application.status) == (
        application,
        sponsor,
        Status.AWAITING_SPONSOR,
    )
    event = AuditEvent.objects.get(verb="application_sponsor_link")
    assert (event.actor, event.before, event.after) == (
        sponsor,
        {"sponsor": None},
        {"sponsor": sponsor.pk, "invitation": invitation.pk},
    )


def test_the_email_address_is_compared_whatever_its_case(application, sponsor):
    SponsorInvitationFactory(application=application, token=TOKEN, email="Morgan.Ellis@NHS.test")

    assert sponsor_services.sponsor_invitation_accept(token=TOKEN, user=sponsor) == application


def test_following_the_link_again_before_signing_changes_nothing(linked, sponsor):
    before = _state()

    assert sponsor_services.sponsor_invitation_accept(token=TOKEN, user=sponsor) == linked
    assert _state() == before


def _expire(invitation):
    invitation.expires_at = NOW - datetime.timedelta(seconds=1)
    invitation.save()


def _use(invitation):
    invitation.used_at = NOW - datetime.timedelta(hours=1)
    invitation.save()


def _withdraw(invitation):
    Application.objects.filter(pk=invitation.application_id).update(status=Status.WITHDRAWN)


LINK_FAILURES = [
    # (name, how the link is spoilt, token, who follows it, error, status code, message)
    ("unknown", None, "no-such-token", "sponsor", SponsorLinkNotValid, 404, "This link is not valid"),
    ("tampered", None, TOKEN + "x", "sponsor", SponsorLinkNotValid, 404, "This link is not valid"),
    ("expired", _expire, TOKEN, "sponsor", SponsorLinkExpired, 410, "This link has expired"),
    ("used", _use, TOKEN, "sponsor", SponsorLinkUsed, 410, "This link has already been used"),
    (
        "different person",
        None,
        TOKEN,
        "stranger",
        SponsorLinkForSomeoneElse,
        404,
        "This link is for a different person",
    ),
    (
        "applicant",
        None,
        TOKEN,
        "applicant",
        SponsorLinkForSomeoneElse,
        404,
        "This link is for a different person",
    ),
    (
        "withdrawn",
        _withdraw,
        TOKEN,
        "sponsor",
        SponsorLinkApplicationClosed,
        410,
        "This application is no longer waiting for a sponsor",
    ),
]


@pytest.mark.parametrize(
    ("spoil", "token", "who", "error"),
    [(spoil, token, who, error) for _name, spoil, token, who, error, _status, _message in LINK_FAILURES],
    ids=[failure[0] for failure in LINK_FAILURES],
)
def test_a_link_that_cannot_be_used_is_refused_and_changes_nothing(
    request, invitation, sponsor, spoil, token, who, error
):
    if spoil is not None:
        spoil(invitation)
    user = request.getfixturevalue(who)
    before = _state()

    with pytest.raises(error):
        sponsor_services.sponsor_invitation_accept(token=token, user=user)

    assert _state() == before


@pytest.mark.parametrize(
    ("spoil", "token", "who", "status_code", "message"),
    [
        (spoil, token, who, status_code, message)
        for _name, spoil, token, who, _error, status_code, message in LINK_FAILURES
    ],
    ids=[failure[0] for failure in LINK_FAILURES],
)
def test_the_link_page_explains_why_a_link_cannot_be_used(
    client, request, invitation, sponsor, spoil, token, who, status_code, message
):
    if spoil is not None:
        spoil(invitation)
    client.force_login(request.getfixturevalue(who))
    before = _state()

    response = client.get(reverse("hps:sponsor_invitation", kwargs={"token": token}))

    assert response.status_code == status_code
    assert response.context["error"].message == message
    assert f"<h1>{message}</h1>" in response.content.decode()
    assert f"<title>{message} – Scope for Growth – NHS</title>" in response.content.decode()
    assert _state() == before


def test_the_link_sends_someone_signed_out_to_sign_in_and_back(client, invitation):
    link = reverse("hps:sponsor_invitation", kwargs={"token": TOKEN})

    response = client.get(link)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={link}"
    assert Application.objects.get().sponsor is None


def test_the_link_takes_the_sponsor_to_the_application(client, invitation, application, sponsor):
    client.force_login(sponsor)

    response = client.get(reverse("hps:sponsor_invitation", kwargs={"token": TOKEN}))

    assert response.status_code == 302
    assert response["Location"] == reverse("hps:sponsor_application", kwargs={"pk": application.pk})
    application.refresh_from_db()
    assert application.sponsor == sponsor


def test_the_link_cannot_be_reused_after_signing(client, linked, sponsor):
    sponsor_services.sponsor_sign(application=linked, by=sponsor, full_name="Morgan Ellis", confirms=True)
    client.force_login(sponsor)

    response = client.get(reverse("hps:sponsor_invitation", kwargs={"token": TOKEN}))

    assert response.status_code == 410
    assert response.context["error"].message == "This link has already been used"


# --- Signing -----------------------------------------------------------------------------------


def test_signing_stores_the_signature_and_moves_the_application_to_eligibility_review(
    linked, invitation, sponsor, applicant
):
    signed = sponsor_services.sponsor_sign(
        application=linked, by=sponsor, full_name="  morgan   ELLIS ", confirms=True
    )

    linked.refresh_from_db()
    assert signed == linked
    assert (
        linked.status,
        linked.sponsor_signed_name,
        linked.sponsor_signed_at,
        linked.sponsor_terms_version,
    ) == (Status.ELIGIBILITY_REVIEW, "morgan ELLIS", NOW, "2.1")
    transition = ApplicationTransition.objects.get(application=linked)
    assert (transition.from_status, transition.to_status, transition.by, transition.at) == (
        Status.AWAITING_SPONSOR,
        Status.ELIGIBILITY_REVIEW,
        sponsor,
        NOW,
    )
    invitation.refresh_from_db()
    assert invitation.used_at == NOW
    assert list(AuditEvent.objects.order_by("pk").values_list("verb", flat=True)) == [
        "application_sponsor_signature",
        "application_sponsor_sign",
    ]
    notification = Notification.objects.get()
    assert (notification.recipient, notification.title, notification.url) == (
        applicant,
        "Your sponsor has signed your High Potential Scheme application",
        reverse("hps:application_detail", kwargs={"pk": linked.pk}),
    )


def test_a_sponsor_whose_account_has_no_name_may_sign_with_the_name_they_type(application, invitation):
    nameless = UserFactory(email="morgan.ellis@nhs.test", first_name="", last_name="")
    application.sponsor = nameless
    application.save()

    sponsor_services.sponsor_sign(
        application=application, by=nameless, full_name="Morgan Ellis", confirms=True
    )

    application.refresh_from_db()
    assert (application.status, application.sponsor_signed_name) == (
        Status.ELIGIBILITY_REVIEW,
        "Morgan Ellis",
    )


@pytest.mark.parametrize(
    ("full_name", "confirms", "errors"),
    [
        (
            "",
            False,
            {
                "full_name": ["Enter your full name"],
                "confirms": [
                    "Confirm that you support this application and agree to the terms and conditions"
                ],
            },
        ),
        (
            "Morgan Elis",
            True,
            {"full_name": ["Enter your full name as it is shown on your account: Morgan Ellis"]},
        ),
        (
            "Morgan Ellis",
            False,
            {"confirms": ["Confirm that you support this application and agree to the terms and conditions"]},
        ),
    ],
)
def test_signing_needs_the_sponsors_name_and_the_declaration(linked, sponsor, full_name, confirms, errors):
    before = _state()

    with pytest.raises(ValidationError) as error:
        sponsor_services.sponsor_sign(application=linked, by=sponsor, full_name=full_name, confirms=confirms)

    assert error.value.message_dict == errors
    assert _state() == before


def test_signing_twice_is_refused_and_changes_nothing(linked, sponsor):
    sponsor_services.sponsor_sign(application=linked, by=sponsor, full_name="Morgan Ellis", confirms=True)
    before = _state()

    with pytest.raises(ValidationError) as error:
        sponsor_services.sponsor_sign(application=linked, by=sponsor, full_name="Morgan Ellis", confirms=True)

    assert error.value.messages == ["You have already signed this application"]
    assert _state() == before


def test_only_the_linked_sponsor_can_sign(application, invitation, sponsor):
    before = _state()

    with pytest.raises(PermissionDenied):
        sponsor_services.sponsor_sign(
            application=application, by=sponsor, full_name="Morgan Ellis", confirms=True
        )

    assert _state() == before


# --- Declining ---------------------------------------------------------------------------------


def test_declining_records_the_reason_and_leaves_the_application_waiting_for_a_sponsor(
    linked, invitation, sponsor, applicant
):
    sponsor_services.sponsor_decline(application=linked, by=sponsor, reason="  I am leaving the trust. ")

    linked.refresh_from_db()
    invitation.refresh_from_db()
    assert (linked.status, linked.sponsor, linked.sponsor_signed_at) == (Status.AWAITING_SPONSOR, None, None)
    assert (invitation.declined_at, invitation.decline_reason, invitation.used_at) == (
        NOW,
        "I am leaving the trust.",
        NOW,
    )
    assert not ApplicationTransition.objects.exists()
    event = AuditEvent.objects.get()
    assert (event.actor, event.verb, event.before, event.after) == (
        sponsor,
        "application_sponsor_decline",
        {"sponsor": sponsor.pk},
        {"sponsor": None, "invitation": invitation.pk, "decline_reason": "I am leaving the trust."},
    )
    notification = Notification.objects.get()
    assert (notification.recipient, notification.title, notification.body) == (
        applicant,
        "Your sponsor cannot support your High Potential Scheme application",
        "Morgan Ellis has declined to sponsor your application to Staffordshire and Stoke-on-Trent "
        "November 2027. The reason they gave: I am leaving the trust.\n\n"
        "Name another sponsor from your application, or withdraw it.",
    )
    with pytest.raises(SponsorLinkUsed):
        sponsor_services.sponsor_invitation_accept(token=TOKEN, user=sponsor)


def test_declining_needs_a_reason(linked, sponsor):
    before = _state()

    with pytest.raises(ValidationError) as error:
        sponsor_services.sponsor_decline(application=linked, by=sponsor, reason="   ")

    assert error.value.message_dict == {"reason": ["Enter the reason you cannot sponsor this application"]}
    assert _state() == before


def test_declining_after_signing_is_refused(linked, sponsor):
    sponsor_services.sponsor_sign(application=linked, by=sponsor, full_name="Morgan Ellis", confirms=True)
    before = _state()

    with pytest.raises(ValidationError) as error:
        sponsor_services.sponsor_decline(application=linked, by=sponsor, reason="Changed my mind")

    assert error.value.messages == ["You have already signed this application"]
    assert _state() == before


# --- Pages -------------------------------------------------------------------------------------


@pytest.fixture
def other_sponsor(cohort):
    """The sponsor of another application to the same cohort."""
    user = UserFactory(email="other.sponsor@nhs.test")
    ApplicationFactory(awaiting_sponsor=True, cohort=cohort, sponsor=user, sponsor_email=user.email)
    return user


@pytest.fixture
def cohort_administrator(hps_administrator, cohort):
    """An HPS administrator who runs the cohort (with MFA, so only scope decides what they see)."""
    cohort.administrators.add(hps_administrator)
    give_totp(hps_administrator)
    return hps_administrator


REFUSED = ["anonymous", "applicant", "other_sponsor", "cohort_administrator", "stranger"]


def _sign_in(client, request, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))


def _assert_refused(response, role):
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("role", [*REFUSED, "sponsor"])
@pytest.mark.parametrize("page", ["sponsor_application", "sponsor_sign", "sponsor_decline"])
def test_only_the_sponsor_sees_the_sponsor_pages(client, request, linked, role, page):
    _sign_in(client, request, role)

    response = client.get(reverse(f"hps:{page}", kwargs={"pk": linked.pk}))

    if role == "sponsor":
        assert response.status_code == 200
    else:
        _assert_refused(response, role)


@pytest.mark.parametrize("role", REFUSED)
@pytest.mark.parametrize(
    ("page", "data"),
    [
        ("sponsor_sign", {"full_name": "Morgan Ellis", "confirms": "true"}),
        ("sponsor_decline", {"reason": "Not my team"}),
    ],
)
def test_a_forged_post_by_anyone_but_the_sponsor_changes_nothing(client, request, linked, role, page, data):
    _sign_in(client, request, role)
    client.get(reverse("core:home"))  # settles anything signing in writes (sessions, MFA records)
    before = _state()

    response = client.post(reverse(f"hps:{page}", kwargs={"pk": linked.pk}), data)

    _assert_refused(response, role)
    assert _state() == before


def test_the_application_page_shows_the_application_and_terms_but_no_equality_answers(
    client, linked, sponsor, applicant
):
    EqualityProfileFactory(
        user=applicant,
        ethnic_category=EqualityProfile._meta.get_field("ethnic_category").choices[0][0],
    )
    ethnic_group = EqualityProfile._meta.get_field("ethnic_category").choices[0][1]
    client.force_login(sponsor)

    response = client.get(reverse("hps:sponsor_application", kwargs={"pk": linked.pk}))

    content = response.content.decode()
    for text in (
        "Application from Amara Osei",
        "Head of nursing",
        "<h3>Why do you want to join the High Potential Scheme?</h3>",
        "I want to lead a whole service.",
        "I lead with compassion.",
        "I am moving towards managing managers.",
        "Version 2.1",
        "Your sponsor agrees to meet you monthly.",
        "Confirm your support and sign",
        reverse("hps:sponsor_decline", kwargs={"pk": linked.pk}),
    ):
        assert text in content
    assert ethnic_group not in content
    assert "Ethnic" not in content
    event = AuditEvent.objects.get(verb="application_view_as_sponsor")
    assert (event.actor, event.action, event.object_id) == (sponsor, AuditEvent.Action.READ, str(linked.pk))


def test_the_sponsor_signs_from_the_page_and_sees_a_confirmation(client, linked, sponsor):
    client.force_login(sponsor)
    sign_url = reverse("hps:sponsor_sign", kwargs={"pk": linked.pk})

    response = client.post(sign_url, {"full_name": "Morgan Ellis", "confirms": "true"})

    assert response.status_code == 302
    assert response["Location"] == reverse("hps:sponsor_signed", kwargs={"pk": linked.pk})
    linked.refresh_from_db()
    assert (linked.status, linked.sponsor_terms_version) == (Status.ELIGIBILITY_REVIEW, "2.1")
    confirmation = client.get(response["Location"]).content.decode()
    assert '<h1 class="nhsuk-panel__heading">Application signed</h1>' in confirmation
    assert "You signed as Morgan Ellis on 10 February 2027" in confirmation
    page = client.get(reverse("hps:sponsor_application", kwargs={"pk": linked.pk})).content.decode()
    assert "You signed this application as Morgan Ellis on 10 February 2027" in page
    assert sign_url not in page

    # Signing again, by a resent form: a clear error and nothing changed.
    before = _state()
    again = client.post(sign_url, {"full_name": "Morgan Ellis", "confirms": "true"})
    assert again.status_code == 200
    assert _errors(again) == {"__all__": ["You have already signed this application"]}
    assert _state() == before
    # Opening the sign page once signed goes back to the application.
    assert client.get(sign_url)["Location"] == reverse("hps:sponsor_application", kwargs={"pk": linked.pk})


def test_the_sign_page_shows_each_problem(client, linked, sponsor):
    client.force_login(sponsor)
    before = _state()

    response = client.post(reverse("hps:sponsor_sign", kwargs={"pk": linked.pk}), {"full_name": ""})

    assert response.status_code == 200
    assert _errors(response) == {
        "full_name": ["Enter your full name"],
        "confirms": ["Confirm that you support this application and agree to the terms and conditions"],
    }
    assert "<title>Error: Confirm your support and sign – Scope for Growth – NHS</title>" in (
        response.content.decode()
    )
    assert _state() == before


def test_the_sponsor_declines_from_the_page(client, linked, sponsor, invitation):
    client.force_login(sponsor)

    response = client.post(
        reverse("hps:sponsor_decline", kwargs={"pk": linked.pk}),
        {"reason": "I am leaving the trust."},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("hps:sponsor_list"), 302)]
    assert (
        "You have declined to sponsor the application from Amara Osei. We have told them, so that they can "
        "name another sponsor."
    ) in response.content.decode()
    linked.refresh_from_db()
    invitation.refresh_from_db()
    assert (linked.status, linked.sponsor, invitation.decline_reason) == (
        Status.AWAITING_SPONSOR,
        None,
        "I am leaving the trust.",
    )
    assert client.get(reverse("hps:sponsor_application", kwargs={"pk": linked.pk})).status_code == 404


def test_the_decline_page_needs_a_reason(client, linked, sponsor):
    client.force_login(sponsor)
    before = _state()

    response = client.post(reverse("hps:sponsor_decline", kwargs={"pk": linked.pk}), {"reason": ""})

    assert _errors(response) == {"reason": ["Enter the reason you cannot sponsor this application"]}
    assert _state() == before


def test_the_list_shows_only_the_applications_the_person_sponsors(client, linked, sponsor, other_sponsor):
    client.force_login(sponsor)

    response = client.get(reverse("hps:sponsor_list"))

    assert [application.pk for application in response.context["page"].object_list] == [linked.pk]
    assert "1 application</caption>" in response.content.decode()


#: Session, user, role assignments (MFA check), the count, the header's team link, the page, and the
#: session save (three statements).
SPONSOR_LIST_QUERIES = 9


@pytest.mark.parametrize("count", [1, 6])
def test_the_sponsor_list_query_count_does_not_grow(
    client, django_assert_num_queries, cohort, sponsor, count
):
    for _ in range(count):
        ApplicationFactory(awaiting_sponsor=True, cohort=CohortFactory(), sponsor=sponsor)
    client.force_login(sponsor)

    with django_assert_num_queries(SPONSOR_LIST_QUERIES):
        response = client.get(reverse("hps:sponsor_list"))

    assert len(response.context["page"].object_list) == count
