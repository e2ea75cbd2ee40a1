"""The applicant's services: starting, each step's rules, signing, submitting and after."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import IntegratedCareSystem, PayBand, Role, Scope
from core.models import AuditEvent, Notification
from hps import applicant_services as services
from hps.applicant_services import SectionStatus, SponsorState, Step
from hps.eligibility import EligibilityAnswers
from hps.models import Application, ApplicationTransition, DevelopmentStream, SponsorInvitation
from tests.accounts.factories import (
    OrganisationFactory,
    RoleAssignmentFactory,
    StaffProfileFactory,
    UserFactory,
)
from tests.hps.factories import ApplicationFactory, CohortFactory, SponsorInvitationFactory

LONDON = ZoneInfo("Europe/London")
OPENS_ON = datetime.date(2027, 1, 4)
CLOSES_ON = datetime.date(2027, 2, 10)
NOW = datetime.datetime(2027, 2, 1, 9, 0, tzinfo=LONDON)

Status = Application.Status

ELIGIBLE = {
    "works_in_footprint": True,
    "pay_band": "AFC8B",
    "interested_in_senior_roles": True,
    "ready_to_learn": True,
    "compassionate_leadership": True,
    "career_transition": True,
}


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


def _band(code):
    return PayBand.objects.get(code=code)


@pytest.fixture
def hps_admin(db):
    user = UserFactory(email="cohort.admin@nhs.test")
    RoleAssignmentFactory(user=user, role=Role.HPS_ADMINISTRATOR, scope=Scope.NATIONAL)
    return user


@pytest.fixture
def cohort(db, hps_admin):
    """Staffordshire and Stoke-on-Trent, bands 8a to 8c."""
    return CohortFactory(
        name="Staffordshire intake 2027",
        opens_on=OPENS_ON,
        closes_on=CLOSES_ON,
        starts_on=datetime.date(2027, 4, 1),
        terms_version="2.1",
        eligible_pay_bands=[_band("AFC8A"), _band("AFC8B"), _band("AFC8C")],
        administrators=[hps_admin],
    )


@pytest.fixture
def trust(db):
    return OrganisationFactory(code="RLY", name="North Staffordshire Combined Healthcare NHS Trust")


@pytest.fixture
def applicant(trust):
    return StaffProfileFactory(
        user__email="imani.okafor@nhs.test",
        user__first_name="Imani",
        user__last_name="Okafor",
        organisation=trust,
        job_title="Head of nursing",
        pay_band=_band("AFC8A"),
    ).user


@pytest.fixture
def draft(applicant, cohort, trust):
    return ApplicationFactory(applicant=applicant, cohort=cohort, eligibility_answers=ELIGIBLE)


@pytest.fixture
def complete_draft(applicant, cohort, trust):
    return ApplicationFactory(
        complete=True,
        applicant=applicant,
        cohort=cohort,
        organisation=trust,
        pay_band=_band("AFC8B"),
        sponsor_email="morgan.ellis@nhs.test",
        applicant_signed_name="Imani Okafor",
    )


def _messages(error) -> dict:
    return error.value.message_dict


def _snapshot(application):
    """Everything an applicant service can change, to check a refusal changed nothing."""
    application.refresh_from_db()
    return (
        {
            field.name: getattr(application, field.attname)
            for field in Application._meta.concrete_fields
            if field.name != "updated_at"
        },
        list(ApplicationTransition.objects.order_by("pk").values()),
        SponsorInvitation.objects.count(),
        AuditEvent.objects.count(),
        Notification.objects.count(),
    )


# --- Starting ------------------------------------------------------------------------------------


def test_application_start_creates_a_draft_prefilled_from_the_staff_record(applicant, cohort, trust):
    application = services.application_start(applicant=applicant, cohort=cohort, answers=ELIGIBLE)

    assert (
        application.applicant,
        application.cohort,
        application.status,
        application.eligibility_answers,
        application.job_title,
        application.organisation,
        application.pay_band,
    ) == (applicant, cohort, Status.DRAFT, ELIGIBLE, "Head of nursing", trust, _band("AFC8A"))
    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.verb, event.object_id) == (
        applicant,
        AuditEvent.Action.CREATE,
        "application_start",
        str(application.pk),
    )
    assert ApplicationTransition.objects.count() == 0


def test_application_start_leaves_out_an_organisation_outside_the_footprint_and_a_band_outside_the_range(
    cohort,
):
    elsewhere = OrganisationFactory(
        code="RXW",
        name="Shrewsbury and Telford Hospital NHS Trust",
        integrated_care_system=IntegratedCareSystem.objects.get(code="QOC"),
    )
    person = StaffProfileFactory(
        user__email="pat@nhs.test",
        organisation=elsewhere,
        job_title="Deputy director",
        pay_band=_band("AFC8D"),
    ).user

    application = services.application_start(applicant=person, cohort=cohort, answers=ELIGIBLE)

    # The band comes from the eligibility answer instead; the organisation is left for them to choose.
    assert (application.job_title, application.organisation, application.pay_band) == (
        "Deputy director",
        None,
        _band("AFC8B"),
    )


def test_application_start_without_a_staff_record_uses_the_answered_band(cohort):
    person = UserFactory(email="no.profile@nhs.test")

    application = services.application_start(
        applicant=person, cohort=cohort, answers=EligibilityAnswers.from_mapping(ELIGIBLE)
    )

    assert (application.job_title, application.organisation, application.pay_band) == (
        "",
        None,
        _band("AFC8B"),
    )


def test_one_application_per_person_per_cohort_the_existing_one_is_returned_unchanged(
    draft, applicant, cohort
):
    before = _snapshot(draft)

    again = services.application_start(applicant=applicant, cohort=cohort, answers=ELIGIBLE)

    assert again == draft
    assert Application.objects.count() == 1
    assert _snapshot(draft) == before


def test_application_start_refuses_an_ineligible_answer_and_saves_nothing(applicant, cohort):
    with pytest.raises(ValidationError) as error:
        services.application_start(
            applicant=applicant, cohort=cohort, answers={**ELIGIBLE, "pay_band": "AFC8D"}
        )

    assert error.value.messages == [
        "Staffordshire intake 2027 is for middle level leaders in Band 8a, Band 8b or Band 8c. "
        "You told us your band is not one of these."
    ]
    assert Application.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_application_start_refuses_a_closed_cohort_and_saves_nothing(applicant, cohort):
    with (
        time_machine.travel(datetime.datetime(2027, 2, 11, 0, 1, tzinfo=LONDON), tick=False),
        pytest.raises(ValidationError) as error,
    ):
        services.application_start(applicant=applicant, cohort=cohort, answers=ELIGIBLE)

    assert error.value.messages == ["Applications to Staffordshire intake 2027 closed on 10 February 2027"]
    assert Application.objects.count() == 0


def test_application_start_refuses_a_cohort_not_open_yet(applicant, cohort):
    with (
        time_machine.travel(datetime.datetime(2027, 1, 3, 12, 0, tzinfo=LONDON), tick=False),
        pytest.raises(ValidationError) as error,
    ):
        services.application_start(applicant=applicant, cohort=cohort, answers=ELIGIBLE)

    assert error.value.messages == ["Applications to Staffordshire intake 2027 open on 4 January 2027"]
    assert Application.objects.count() == 0


# --- Role and organisation -----------------------------------------------------------------------


def test_role_update_saves_the_role_and_audits_the_change(draft, applicant, trust):
    services.application_role_update(
        application=draft,
        by=applicant,
        job_title="  Deputy   director ",
        organisation=trust,
        pay_band=_band("AFC8C"),
    )

    draft.refresh_from_db()
    assert (draft.job_title, draft.organisation, draft.pay_band) == ("Deputy director", trust, _band("AFC8C"))
    event = AuditEvent.objects.get()
    assert (event.verb, event.before, event.after) == (
        "application_role_update",
        {"job_title": "", "organisation": None, "pay_band": None},
        {"job_title": "Deputy director", "organisation": trust.pk, "pay_band": _band("AFC8C").pk},
    )


def test_role_update_with_nothing_changed_writes_no_audit_event(complete_draft, applicant, trust):
    services.application_role_update(
        application=complete_draft,
        by=applicant,
        job_title="Head of nursing",
        organisation=trust,
        pay_band=_band("AFC8B"),
    )

    assert AuditEvent.objects.count() == 0


def test_role_update_requires_every_answer(draft, applicant):
    before = _snapshot(draft)

    with pytest.raises(ValidationError) as error:
        services.application_role_update(
            application=draft, by=applicant, job_title="  ", organisation=None, pay_band=None
        )

    assert _messages(error) == {
        "job_title": ["Enter your job title"],
        "organisation": ["Select your organisation"],
        "pay_band": ["Select your pay band"],
    }
    assert _snapshot(draft) == before


def test_role_update_refuses_a_band_outside_the_cohorts_range_and_an_organisation_outside_its_footprint(
    draft, applicant
):
    elsewhere = OrganisationFactory(
        code="RXW", integrated_care_system=IntegratedCareSystem.objects.get(code="QOC")
    )
    before = _snapshot(draft)

    with pytest.raises(ValidationError) as error:
        services.application_role_update(
            application=draft,
            by=applicant,
            job_title="x" * 201,
            organisation=elsewhere,
            pay_band=_band("AFC8D"),
        )

    assert _messages(error) == {
        "job_title": ["Job title must be 200 characters or fewer"],
        "organisation": ["Select an organisation in Staffordshire and Stoke-on-Trent"],
        "pay_band": ["Your pay band must be Band 8a, Band 8b or Band 8c for this intake"],
    }
    assert _snapshot(draft) == before


def test_a_local_authority_grade_is_accepted_only_where_the_cohort_lists_it(draft, applicant, cohort, trust):
    with pytest.raises(ValidationError):
        services.application_role_update(
            application=draft,
            by=applicant,
            job_title="Principal officer",
            organisation=trust,
            pay_band=_band("LA"),
        )

    cohort.eligible_pay_bands.add(_band("LA"))
    services.application_role_update(
        application=draft,
        by=applicant,
        job_title="Principal officer",
        organisation=trust,
        pay_band=_band("LA"),
    )

    draft.refresh_from_db()
    assert draft.pay_band == _band("LA")


# --- Development stream --------------------------------------------------------------------------


def test_stream_update_saves_the_stream(draft, applicant):
    services.application_stream_update(application=draft, by=applicant, development_stream="2")

    draft.refresh_from_db()
    assert draft.development_stream == DevelopmentStream.STREAM_TWO


@pytest.mark.parametrize("value", [None, "", "3", "one"])
def test_stream_update_refuses_anything_but_stream_1_or_2(draft, applicant, value):
    before = _snapshot(draft)

    with pytest.raises(ValidationError) as error:
        services.application_stream_update(application=draft, by=applicant, development_stream=value)

    assert _messages(error) == {"development_stream": ["Select a development stream"]}
    assert _snapshot(draft) == before


# --- Supporting statements -----------------------------------------------------------------------


def _statements(**overrides):
    return {
        "motivation_statement": "I want to lead a whole service.",
        "leadership_statement": "I lead with compassion.",
        "transition_statement": "I am moving towards managing managers.",
        **overrides,
    }


def test_statements_of_exactly_500_words_are_saved(draft, applicant):
    five_hundred = " ".join(["word"] * 500)

    services.application_statements_update(
        application=draft, by=applicant, **_statements(motivation_statement=f"  {five_hundred}\n")
    )

    draft.refresh_from_db()
    assert draft.motivation_statement == five_hundred
    assert services.word_count(draft.motivation_statement) == 500


def test_empty_and_over_long_statements_are_refused_with_the_word_count(draft, applicant):
    before = _snapshot(draft)

    with pytest.raises(ValidationError) as error:
        services.application_statements_update(
            application=draft,
            by=applicant,
            **_statements(
                motivation_statement=" \n ",
                leadership_statement=" ".join(["word"] * 501),
                transition_statement="\n".join(["word"] * 640),
            ),
        )

    assert _messages(error) == {
        "motivation_statement": ["Enter why you want to join the scheme"],
        "leadership_statement": [
            "How you show compassionate and inclusive leadership must be 500 words or fewer. "
            "You have entered 501 words"
        ],
        "transition_statement": [
            "The career transition you are working towards must be 500 words or fewer. "
            "You have entered 640 words"
        ],
    }
    assert _snapshot(draft) == before


# --- Sponsor -------------------------------------------------------------------------------------


def test_sponsor_update_saves_the_email_in_lower_case(draft, applicant):
    services.application_sponsor_update(
        application=draft,
        by=applicant,
        sponsor_email="  Morgan.Ellis@NHS.test ",
        sponsor_relationship=Application.SponsorRelationship.LINE_MANAGER,
    )

    draft.refresh_from_db()
    assert (draft.sponsor_email, draft.sponsor_relationship) == ("morgan.ellis@nhs.test", "line_manager")


def test_a_sponsor_outside_the_applicants_organisation_domain_is_accepted(draft, applicant):
    services.application_sponsor_update(
        application=draft,
        by=applicant,
        sponsor_email="director@staffordshire.gov.uk",
        sponsor_relationship=Application.SponsorRelationship.SENIOR_SPONSOR,
    )

    draft.refresh_from_db()
    assert draft.sponsor_email == "director@staffordshire.gov.uk"


@pytest.mark.parametrize(
    ("email", "relationship", "expected"),
    [
        ("", "line_manager", {"sponsor_email": ["Enter your sponsor's email address"]}),
        (
            "morgan.ellis",
            "line_manager",
            {"sponsor_email": ["Enter an email address in the correct format, like name@example.com"]},
        ),
        (
            "morgan@@nhs.test",
            "line_manager",
            {"sponsor_email": ["Enter an email address in the correct format, like name@example.com"]},
        ),
        ("IMANI.OKAFOR@nhs.test", "line_manager", {"sponsor_email": ["Your sponsor must be someone else"]}),
        ("morgan.ellis@nhs.test", "", {"sponsor_relationship": ["Select who your sponsor is"]}),
        ("morgan.ellis@nhs.test", "friend", {"sponsor_relationship": ["Select who your sponsor is"]}),
    ],
)
def test_sponsor_update_refuses_bad_answers(draft, applicant, email, relationship, expected):
    before = _snapshot(draft)

    with pytest.raises(ValidationError) as error:
        services.application_sponsor_update(
            application=draft, by=applicant, sponsor_email=email, sponsor_relationship=relationship
        )

    assert _messages(error) == expected
    assert _snapshot(draft) == before


# --- Terms and conditions ------------------------------------------------------------------------


@pytest.fixture
def unsigned_draft(complete_draft):
    complete_draft.applicant_signed_name = ""
    complete_draft.applicant_signed_at = None
    complete_draft.applicant_terms_version = ""
    complete_draft.save()
    return complete_draft


def test_signing_stores_the_typed_name_the_time_and_the_terms_version(unsigned_draft, applicant):
    services.application_terms_sign(
        application=unsigned_draft, by=applicant, full_name="  imani   OKAFOR ", is_declaration_confirmed=True
    )

    unsigned_draft.refresh_from_db()
    assert (
        unsigned_draft.applicant_signed_name,
        unsigned_draft.applicant_signed_at,
        unsigned_draft.applicant_terms_version,
    ) == ("imani OKAFOR", NOW, "2.1")
    assert AuditEvent.objects.get().verb == "application_terms_sign"


def test_signing_with_a_name_that_does_not_match_the_account_is_refused(unsigned_draft, applicant):
    before = _snapshot(unsigned_draft)

    with pytest.raises(ValidationError) as error:
        services.application_terms_sign(
            application=unsigned_draft,
            by=applicant,
            full_name="Imani Okafor-Smith",
            is_declaration_confirmed=False,
        )

    assert _messages(error) == {
        "full_name": ["Enter your full name as it is on your account: Imani Okafor"],
        "is_declaration_confirmed": ["Confirm that you have read and agree to the terms and conditions"],
    }
    assert _snapshot(unsigned_draft) == before


def test_signing_with_no_name_is_refused(unsigned_draft, applicant):
    with pytest.raises(ValidationError) as error:
        services.application_terms_sign(
            application=unsigned_draft, by=applicant, full_name=" ", is_declaration_confirmed=True
        )

    assert _messages(error) == {"full_name": ["Enter your full name"]}


def test_signing_before_the_other_sections_are_complete_is_refused(draft, applicant):
    before = _snapshot(draft)

    with pytest.raises(ValidationError) as error:
        services.application_terms_sign(
            application=draft, by=applicant, full_name="Imani Okafor", is_declaration_confirmed=True
        )

    assert error.value.messages == ["Complete the other sections of your application before you sign"]
    assert _snapshot(draft) == before


# --- The task list -------------------------------------------------------------------------------


def _statuses(application):
    return [(section.step, section.status) for section in services.application_sections(application)]


def test_a_new_draft_has_every_section_incomplete_and_the_terms_cannot_start_yet(draft):
    assert _statuses(draft) == [
        (Step.ROLE, SectionStatus.INCOMPLETE),
        (Step.STREAM, SectionStatus.INCOMPLETE),
        (Step.STATEMENTS, SectionStatus.INCOMPLETE),
        (Step.SPONSOR, SectionStatus.INCOMPLETE),
        (Step.TERMS, SectionStatus.CANNOT_START_YET),
    ]
    assert services.is_ready_to_submit(draft) is False


def test_a_complete_draft_has_every_section_completed(complete_draft):
    assert {status for _step, status in _statuses(complete_draft)} == {SectionStatus.COMPLETED}
    assert services.is_ready_to_submit(complete_draft) is True


def test_a_signature_for_an_older_version_of_the_terms_leaves_the_terms_incomplete(complete_draft):
    complete_draft.applicant_terms_version = "2.0"

    assert _statuses(complete_draft)[-1] == (Step.TERMS, SectionStatus.INCOMPLETE)


# --- Editing after submitting, and someone else's draft --------------------------------------------


@pytest.mark.parametrize(
    ("service", "kwargs"),
    [
        (services.application_role_update, {"job_title": "Director", "organisation": None, "pay_band": None}),
        (services.application_stream_update, {"development_stream": 2}),
        (services.application_statements_update, _statements()),
        (
            services.application_sponsor_update,
            {"sponsor_email": "x@nhs.test", "sponsor_relationship": "line_manager"},
        ),
        (services.application_terms_sign, {"full_name": "Imani Okafor", "is_declaration_confirmed": True}),
    ],
)
def test_a_submitted_application_cannot_be_changed(applicant, cohort, service, kwargs):
    application = ApplicationFactory(awaiting_sponsor=True, applicant=applicant, cohort=cohort)
    before = _snapshot(application)

    with pytest.raises(ValidationError) as error:
        service(application=application, by=applicant, **kwargs)

    assert error.value.messages == ["You cannot change this application because it has been submitted"]
    assert _snapshot(application) == before


def test_someone_elses_draft_cannot_be_changed(draft, stranger):
    before = _snapshot(draft)

    with pytest.raises(PermissionDenied):
        services.application_stream_update(application=draft, by=stranger, development_stream=1)

    assert _snapshot(draft) == before


# --- Submitting ----------------------------------------------------------------------------------


def test_submit_moves_the_application_to_awaiting_sponsor_and_invites_the_sponsor(complete_draft, applicant):
    application = services.application_submit(application=complete_draft, by=applicant)

    assert (application.status, application.submitted_at) == (Status.AWAITING_SPONSOR, NOW)
    assert list(
        ApplicationTransition.objects.order_by("pk").values_list("from_status", "to_status", "by", "at")
    ) == [
        (Status.DRAFT, Status.SUBMITTED, applicant.pk, NOW),
        (Status.SUBMITTED, Status.AWAITING_SPONSOR, applicant.pk, NOW),
    ]
    invitation = SponsorInvitation.objects.get()
    assert (invitation.application, invitation.email, invitation.used_at) == (
        application,
        "morgan.ellis@nhs.test",
        None,
    )
    notification = Notification.objects.get(recipient=applicant)
    assert (notification.event_key, notification.title, notification.body, notification.url) == (
        f"hps-application-{application.pk}-submitted",
        "Your application to Staffordshire intake 2027 has been submitted",
        "We have asked morgan.ellis@nhs.test to confirm they support your application and to sign the "
        "terms and conditions.",
        f"/hps/applications/{application.pk}/",
    )


def test_submit_on_the_closing_day_is_accepted(complete_draft, applicant):
    with time_machine.travel(datetime.datetime(2027, 2, 10, 23, 59, tzinfo=LONDON), tick=False):
        application = services.application_submit(application=complete_draft, by=applicant)

    assert application.status == Status.AWAITING_SPONSOR


def test_submit_after_the_closing_date_is_refused_and_changes_nothing(complete_draft, applicant):
    before = _snapshot(complete_draft)

    with (
        time_machine.travel(datetime.datetime(2027, 2, 11, 0, 0, tzinfo=LONDON), tick=False),
        pytest.raises(ValidationError) as error,
    ):
        services.application_submit(application=complete_draft, by=applicant)

    assert error.value.messages == [
        "Applications to Staffordshire intake 2027 closed on 10 February 2027. "
        "You can no longer submit this application"
    ]
    assert _snapshot(complete_draft) == before


def test_submit_refuses_incomplete_sections_and_says_which(draft, applicant):
    before = _snapshot(draft)

    with pytest.raises(ValidationError) as error:
        services.application_submit(application=draft, by=applicant)

    assert error.value.messages == [
        "Add your role and organisation",
        "Select a development stream",
        "Write your 3 supporting statements",
        "Name your sponsor",
        "Sign the terms and conditions",
    ]
    assert _snapshot(draft) == before


def test_submit_refuses_a_signature_of_an_older_version_of_the_terms(complete_draft, applicant):
    complete_draft.applicant_terms_version = "2.0"
    complete_draft.save()

    with pytest.raises(ValidationError) as error:
        services.application_submit(application=complete_draft, by=applicant)

    assert error.value.messages == ["Sign the terms and conditions"]


def test_submit_twice_is_refused_the_second_time(complete_draft, applicant):
    services.application_submit(application=complete_draft, by=applicant)
    before = _snapshot(complete_draft)

    with pytest.raises(ValidationError) as error:
        services.application_submit(application=complete_draft, by=applicant)

    assert error.value.messages == ["This application has already been submitted"]
    assert _snapshot(complete_draft) == before


def test_only_the_applicant_can_submit(complete_draft, stranger):
    before = _snapshot(complete_draft)

    with pytest.raises(PermissionDenied):
        services.application_submit(application=complete_draft, by=stranger)

    assert _snapshot(complete_draft) == before


# --- The sponsor after submitting ----------------------------------------------------------------


@pytest.fixture
def waiting(applicant, cohort):
    return ApplicationFactory(
        awaiting_sponsor=True, applicant=applicant, cohort=cohort, sponsor_email="morgan.ellis@nhs.test"
    )


def test_sponsor_status_waiting_then_declined(waiting):
    invitation = SponsorInvitationFactory(application=waiting, created_at=NOW)
    status = services.sponsor_status(waiting, services.latest_sponsor_invitation(waiting))
    assert (status.state, status.email, status.expires_at) == (
        SponsorState.WAITING,
        "morgan.ellis@nhs.test",
        NOW + datetime.timedelta(days=14),
    )

    invitation.declined_at = NOW
    invitation.decline_reason = "I am leaving the trust"
    invitation.used_at = NOW
    invitation.save()
    status = services.sponsor_status(waiting, services.latest_sponsor_invitation(waiting))
    assert (status.state, status.decline_reason, status.may_name_another) == (
        SponsorState.DECLINED,
        "I am leaving the trust",
        True,
    )


def test_sponsor_status_expired_and_signed(waiting):
    SponsorInvitationFactory(
        application=waiting, created_at=NOW, expires_at=NOW - datetime.timedelta(seconds=1)
    )
    assert services.sponsor_status(waiting, services.latest_sponsor_invitation(waiting)).state == (
        SponsorState.EXPIRED
    )

    waiting.sponsor_signed_at = NOW
    assert services.sponsor_status(waiting, None).state == SponsorState.SIGNED


def test_naming_another_sponsor_after_a_decline_sends_a_new_invitation(waiting, applicant):
    SponsorInvitationFactory(
        application=waiting, created_at=NOW, declined_at=NOW, used_at=NOW, decline_reason="Not my area"
    )

    services.application_sponsor_replace(
        application=waiting,
        by=applicant,
        sponsor_email="Sam.Senior@nhs.test",
        sponsor_relationship=Application.SponsorRelationship.SENIOR_SPONSOR,
    )

    waiting.refresh_from_db()
    assert (waiting.status, waiting.sponsor_email, waiting.sponsor_relationship, waiting.sponsor) == (
        Status.AWAITING_SPONSOR,
        "sam.senior@nhs.test",
        "senior_sponsor",
        None,
    )
    latest = services.latest_sponsor_invitation(waiting)
    assert (latest.email, latest.used_at, latest.declined_at) == ("sam.senior@nhs.test", None, None)
    assert SponsorInvitation.objects.count() == 2
    assert AuditEvent.objects.filter(verb="application_sponsor_replace").count() == 1


def test_the_sponsor_who_declined_cannot_be_named_again(waiting, applicant):
    SponsorInvitationFactory(
        application=waiting, created_at=NOW, declined_at=NOW, used_at=NOW, decline_reason="No"
    )
    before = _snapshot(waiting)

    with pytest.raises(ValidationError) as error:
        services.application_sponsor_replace(
            application=waiting,
            by=applicant,
            sponsor_email="MORGAN.ELLIS@nhs.test",
            sponsor_relationship="line_manager",
        )

    assert _messages(error) == {
        "sponsor_email": [
            "morgan.ellis@nhs.test has declined to sponsor you. Enter the email address of someone else"
        ]
    }
    assert _snapshot(waiting) == before


def test_the_sponsor_cannot_be_replaced_while_their_link_is_still_open(waiting, applicant):
    SponsorInvitationFactory(application=waiting, created_at=NOW)
    before = _snapshot(waiting)

    with pytest.raises(ValidationError) as error:
        services.application_sponsor_replace(
            application=waiting,
            by=applicant,
            sponsor_email="sam@nhs.test",
            sponsor_relationship="line_manager",
        )

    assert error.value.messages == ["You cannot change your sponsor now"]
    assert _snapshot(waiting) == before


def test_naming_yourself_as_the_new_sponsor_is_refused(waiting, applicant):
    SponsorInvitationFactory(application=waiting, created_at=NOW, expires_at=NOW - datetime.timedelta(days=1))

    with pytest.raises(ValidationError) as error:
        services.application_sponsor_replace(
            application=waiting,
            by=applicant,
            sponsor_email="imani.okafor@nhs.test",
            sponsor_relationship="line_manager",
        )

    assert _messages(error) == {"sponsor_email": ["Your sponsor must be someone else"]}


# --- Withdrawing and answering an offer ----------------------------------------------------------


def test_withdrawing_records_the_reason_and_tells_the_sponsor_and_administrators(
    applicant, cohort, hps_admin
):
    application = ApplicationFactory(eligibility_review=True, applicant=applicant, cohort=cohort)

    services.application_withdraw(application=application, by=applicant, reason="New job")

    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    assert ApplicationTransition.objects.get().reason == "New job"
    assert sorted(Notification.objects.values_list("recipient", "title")) == sorted(
        [
            (application.sponsor_id, f"Imani Okafor has withdrawn their application to {cohort.name}"),
            (hps_admin.pk, f"Imani Okafor has withdrawn their application to {cohort.name}"),
        ]
    )


def test_withdrawing_a_draft_tells_nobody(draft, applicant):
    services.application_withdraw(application=draft, by=applicant)

    draft.refresh_from_db()
    assert draft.status == Status.WITHDRAWN
    assert Notification.objects.count() == 0


def test_accepting_an_offer_tells_the_cohorts_administrators(applicant, cohort, hps_admin):
    application = ApplicationFactory(offered=True, applicant=applicant, cohort=cohort)

    services.application_offer_accept(application=application, by=applicant)

    application.refresh_from_db()
    assert application.status == Status.ACCEPTED
    notification = Notification.objects.get()
    assert (notification.recipient, notification.title, notification.event_key) == (
        hps_admin,
        f"Imani Okafor has accepted a place on {cohort.name}",
        f"hps-application-{application.pk}-offer-accepted-administrator-{hps_admin.pk}",
    )


def test_declining_an_offer_records_the_reason(applicant, cohort, hps_admin):
    application = ApplicationFactory(offered=True, applicant=applicant, cohort=cohort)

    services.application_offer_decline(application=application, by=applicant, reason="Caring duties")

    application.refresh_from_db()
    assert application.status == Status.DECLINED
    assert ApplicationTransition.objects.get().reason == "Caring duties"
    assert Notification.objects.get().title == f"Imani Okafor has declined a place on {cohort.name}"


def test_an_offer_cannot_be_accepted_before_it_is_made(applicant, cohort):
    application = ApplicationFactory(shortlisted=True, applicant=applicant, cohort=cohort)
    before = _snapshot(application)

    with pytest.raises(ValidationError):
        services.application_offer_accept(application=application, by=applicant)

    assert _snapshot(application) == before


# --- The home page -------------------------------------------------------------------------------


def test_scheme_home_lists_open_cohorts_with_their_footprint_and_the_persons_applications(
    applicant, cohort, draft
):
    CohortFactory(
        name="Closed intake",
        opens_on=datetime.date(2026, 1, 1),
        closes_on=datetime.date(2026, 2, 1),
        starts_on=datetime.date(2026, 4, 1),
    )
    joint = CohortFactory(
        name="Joint intake",
        opens_on=OPENS_ON,
        closes_on=datetime.date(2027, 3, 1),
        starts_on=datetime.date(2027, 5, 1),
        integrated_care_systems=list(IntegratedCareSystem.objects.filter(code__in=["QNC", "QOC"])),
    )

    home = services.scheme_home(user=applicant)

    assert [(item.cohort, item.footprint, item.application) for item in home.open_cohorts] == [
        (cohort, "Staffordshire and Stoke-on-Trent", draft),
        (joint, "Shropshire, Telford and Wrekin, Staffordshire and Stoke-on-Trent", None),
    ]
    assert [(item.application, item.tag_class) for item in home.applications] == [(draft, "nhsuk-tag--grey")]
    assert home.sponsored == []
