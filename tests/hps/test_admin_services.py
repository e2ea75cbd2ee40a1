"""HPS administrators' writes: setting up cohorts and deciding on applications."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import IntegratedCareSystem, PayBand, Region, Role, Scope
from core.models import AuditEvent, Notification
from hps import admin_services
from hps.admin_selectors import eligibility_checks, integrated_care_systems_in_scope
from hps.eligibility import EligibilityAnswers
from hps.models import Application, ApplicationTransition, Cohort
from hps.services import NOT_ALLOWED
from tests.accounts.factories import RoleAssignmentFactory, UserFactory
from tests.hps.factories import ApplicationFactory, CohortFactory

LONDON = ZoneInfo("Europe/London")
NOW = datetime.datetime(2027, 2, 10, 10, 30, tzinfo=LONDON)
TODAY = NOW.date()

Status = Application.Status

ELIGIBLE_ANSWERS = EligibilityAnswers(
    works_in_footprint=True,
    pay_band="AFC8A",
    interested_in_senior_roles=True,
    ready_to_learn=True,
    compassionate_leadership=True,
    career_transition=True,
).as_json()


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def administrator(hps_administrator):
    return hps_administrator


@pytest.fixture
def cohort(administrator):
    return CohortFactory(
        name="Staffordshire and Stoke-on-Trent November 2027", administrators=[administrator]
    )


@pytest.fixture
def applicant(db):
    return UserFactory(email="amara.osei@nhs.test", first_name="Amara", last_name="Osei")


def _application(cohort, applicant, **traits):
    traits.setdefault("eligibility_answers", ELIGIBLE_ANSWERS)
    return ApplicationFactory(cohort=cohort, applicant=applicant, **traits)


def _bands(*codes):
    return list(PayBand.objects.filter(code__in=codes).order_by("sort_order"))


def _ics(*codes):
    return list(IntegratedCareSystem.objects.filter(code__in=codes).order_by("code"))


def _cohort_values(**overrides):
    values = {
        "name": "Shropshire, Telford and Wrekin March 2027",
        "integrated_care_systems": _ics("QNC", "QOC"),
        "eligible_pay_bands": _bands("AFC8A", "AFC8B", "AFC8C"),
        "opens_on": datetime.date(2027, 3, 1),
        "closes_on": datetime.date(2027, 3, 31),
        "starts_on": datetime.date(2027, 6, 1),
        "capacity": 25,
        "terms_text": "You agree to take part for 24 months.",
        "terms_version": "1.0",
    }
    return {**values, **overrides}


def _state():
    return (
        list(Cohort.objects.order_by("pk").values()),
        list(Application.objects.order_by("pk").values()),
        ApplicationTransition.objects.count(),
        AuditEvent.objects.count(),
        Notification.objects.count(),
    )


# --- Creating a cohort --------------------------------------------------------------------------


def test_cohort_create_saves_the_settings_makes_the_creator_an_administrator_and_audits(administrator):
    cohort = admin_services.cohort_create(by=administrator, **_cohort_values(name="  Shropshire 2027 "))

    assert (
        cohort.name,
        cohort.opens_on,
        cohort.closes_on,
        cohort.starts_on,
        cohort.capacity,
        cohort.terms_version,
        cohort.created_by,
    ) == (
        "Shropshire 2027",
        datetime.date(2027, 3, 1),
        datetime.date(2027, 3, 31),
        datetime.date(2027, 6, 1),
        25,
        "1.0",
        administrator,
    )
    assert sorted(cohort.integrated_care_systems.values_list("code", flat=True)) == ["QNC", "QOC"]
    assert list(cohort.eligible_pay_bands.order_by("sort_order").values_list("code", flat=True)) == [
        "AFC8A",
        "AFC8B",
        "AFC8C",
    ]
    assert list(cohort.administrators.all()) == [administrator]
    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.verb, event.object_id) == (
        administrator,
        AuditEvent.Action.CREATE,
        "cohort_create",
        str(cohort.pk),
    )
    assert event.after["name"] == "Shropshire 2027"
    assert event.after["administrators"] == [administrator.pk]
    assert sorted(event.after["integrated_care_systems"]) == sorted(ics.pk for ics in _ics("QNC", "QOC"))


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": "  "}, "name", "Enter a name for the cohort"),
        ({"name": "x" * 201}, "name", "Name must be 200 characters or fewer"),
        (
            {"integrated_care_systems": []},
            "integrated_care_systems",
            "Select at least one integrated care system",
        ),
        ({"eligible_pay_bands": []}, "eligible_pay_bands", "Select at least one pay band"),
        (
            {"closes_on": datetime.date(2027, 3, 1)},
            "closes_on",
            "The date applications close must be after the date they open",
        ),
        (
            {"closes_on": datetime.date(2027, 2, 1)},
            "closes_on",
            "The date applications close must be after the date they open",
        ),
        (
            {"starts_on": datetime.date(2027, 3, 31)},
            "starts_on",
            "The date the scheme starts must be after the date applications close",
        ),
        ({"opens_on": None}, "opens_on", "Enter the date applications open"),
        ({"capacity": 0}, "capacity", "Number of places must be between 1 and 1000"),
        ({"capacity": 1001}, "capacity", "Number of places must be between 1 and 1000"),
        ({"terms_text": " "}, "terms_text", "Enter the terms and conditions"),
        ({"terms_version": ""}, "terms_version", "Enter the version of the terms and conditions"),
    ],
)
def test_cohort_create_refuses_wrong_settings_and_saves_nothing(administrator, overrides, field, message):
    before = _state()

    with pytest.raises(ValidationError) as error:
        admin_services.cohort_create(by=administrator, **_cohort_values(**overrides))

    assert error.value.message_dict == {field: [message]}
    assert _state() == before


def test_cohort_names_are_unique_whatever_their_case(administrator, cohort):
    with pytest.raises(ValidationError) as error:
        admin_services.cohort_create(
            by=administrator, **_cohort_values(name="staffordshire and stoke-on-trent NOVEMBER 2027")
        )

    assert error.value.message_dict == {
        "name": [
            "There is already a cohort called staffordshire and stoke-on-trent NOVEMBER 2027. "
            "Enter a different name"
        ]
    }


def test_a_regional_administrator_can_only_put_their_own_region_in_a_footprint(db):
    midlands = Region.objects.get(code="Y60")
    regional = UserFactory(email="regional@nhs.test")
    RoleAssignmentFactory(user=regional, role=Role.HPS_ADMINISTRATOR, scope=Scope.REGION, region=midlands)
    outside = IntegratedCareSystem.objects.exclude(region=midlands).first()
    before = _state()

    with pytest.raises(ValidationError) as error:
        admin_services.cohort_create(
            by=regional, **_cohort_values(integrated_care_systems=[*_ics("QNC"), outside])
        )

    assert error.value.message_dict == {
        "integrated_care_systems": ["Select integrated care systems from your own area"]
    }
    assert _state() == before
    assert set(integrated_care_systems_in_scope(regional)) == set(
        IntegratedCareSystem.objects.current().filter(region=midlands)
    )


def test_an_ics_administrator_has_only_that_ics_in_scope(db):
    ics = IntegratedCareSystem.objects.get(code="QNC")
    person = UserFactory(email="ics.admin@nhs.test")
    RoleAssignmentFactory(
        user=person, role=Role.HPS_ADMINISTRATOR, scope=Scope.ICS, integrated_care_system=ics
    )

    assert list(integrated_care_systems_in_scope(person)) == [ics]


def test_only_an_hps_administrator_can_create_a_cohort(talent_lead):
    before = _state()

    with pytest.raises(PermissionDenied):
        admin_services.cohort_create(by=talent_lead, **_cohort_values())

    assert _state() == before


# --- Changing a cohort --------------------------------------------------------------------------


def test_cohort_update_saves_the_changes_and_audits_before_and_after(administrator, cohort):
    admin_services.cohort_update(
        cohort=cohort,
        by=administrator,
        **_cohort_values(name=cohort.name, capacity=30, eligible_pay_bands=_bands("AFC8A", "LA")),
    )

    cohort.refresh_from_db()
    assert cohort.capacity == 30
    assert sorted(cohort.eligible_pay_bands.values_list("code", flat=True)) == ["AFC8A", "LA"]
    event = AuditEvent.objects.get(verb="cohort_update")
    assert (event.before["capacity"], event.after["capacity"]) == (20, 30)


def test_an_administrator_of_another_cohort_cannot_change_it(cohort):
    other = UserFactory(email="other.admin@nhs.test")
    RoleAssignmentFactory(user=other, role=Role.HPS_ADMINISTRATOR, scope=Scope.NATIONAL)
    before = _state()

    with pytest.raises(PermissionDenied):
        admin_services.cohort_update(cohort=cohort, by=other, **_cohort_values(name=cohort.name))

    assert _state() == before


def test_signed_terms_cannot_change_without_a_new_version(administrator, cohort, applicant):
    _application(cohort, applicant, submitted=True)
    before = _state()

    with pytest.raises(ValidationError) as error:
        admin_services.cohort_update(
            cohort=cohort,
            by=administrator,
            **_cohort_values(name=cohort.name, terms_text="New terms", terms_version="1.0"),
        )

    assert error.value.message_dict == {
        "terms_version": [
            "Enter a new version number: people have already signed version 1.0 of the terms and "
            "conditions, so that version cannot change"
        ]
    }
    assert _state() == before

    admin_services.cohort_update(
        cohort=cohort,
        by=administrator,
        **_cohort_values(name=cohort.name, terms_text="New terms", terms_version="1.1"),
    )
    cohort.refresh_from_db()
    assert (cohort.terms_text, cohort.terms_version) == ("New terms", "1.1")


def test_unsigned_terms_can_change_under_the_same_version(administrator, cohort, applicant):
    _application(cohort, applicant)  # a draft, not signed

    admin_services.cohort_update(
        cohort=cohort,
        by=administrator,
        **_cohort_values(name=cohort.name, terms_text="Corrected terms", terms_version="1.0"),
    )

    cohort.refresh_from_db()
    assert (cohort.terms_text, cohort.terms_version) == ("Corrected terms", "1.0")


def test_a_footprint_set_by_a_wider_administrator_can_be_kept(administrator, db):
    cohort = CohortFactory(integrated_care_systems=_ics("QNC", "QOC"))
    ics_admin = UserFactory(email="ics.admin@nhs.test")
    RoleAssignmentFactory(
        user=ics_admin,
        role=Role.HPS_ADMINISTRATOR,
        scope=Scope.ICS,
        integrated_care_system=IntegratedCareSystem.objects.get(code="QNC"),
    )
    cohort.administrators.add(ics_admin)

    admin_services.cohort_update(cohort=cohort, by=ics_admin, **_cohort_values(name=cohort.name, capacity=12))

    cohort.refresh_from_db()
    assert cohort.capacity == 12
    assert sorted(cohort.integrated_care_systems.values_list("code", flat=True)) == ["QNC", "QOC"]


# --- Decisions ----------------------------------------------------------------------------------


def _history(application):
    return list(application.transitions.values_list("from_status", "to_status", "by", "reason"))


def test_confirming_eligibility_invites_to_the_assessment_and_tells_the_applicant(
    administrator, cohort, applicant
):
    application = _application(cohort, applicant, eligibility_review=True)

    admin_services.application_decide(application=application, by=administrator, name="invite_to_assessment")

    application.refresh_from_db()
    assert (application.status, application.assessment_invited_at) == (Status.ASSESSMENT_INVITED, NOW)
    assert _history(application) == [
        (Status.ELIGIBILITY_REVIEW, Status.ASSESSMENT_INVITED, administrator.pk, "")
    ]
    notification = Notification.objects.get()
    assert (notification.recipient, notification.event_key, notification.title, notification.url) == (
        applicant,
        f"hps-application:{application.pk}:invite_to_assessment",
        "You are invited to the High Potential Scheme leadership potential assessment",
        f"/hps/applications/{application.pk}/",
    )


def test_rejecting_eligibility_needs_a_reason_and_changes_nothing_without_one(
    administrator, cohort, applicant
):
    application = _application(cohort, applicant, eligibility_review=True)
    before = _state()

    with pytest.raises(ValidationError) as error:
        admin_services.application_decide(
            application=application, by=administrator, name="reject_eligibility", reason="   "
        )

    assert error.value.message_dict == {"reason": ["Enter the reason the application is not eligible"]}
    assert _state() == before


def test_rejecting_eligibility_records_the_reason_and_tells_the_applicant_why(
    administrator, cohort, applicant
):
    application = _application(cohort, applicant, eligibility_review=True)

    admin_services.application_decide(
        application=application, by=administrator, name="reject_eligibility", reason=" Band 7 role "
    )

    application.refresh_from_db()
    assert application.status == Status.INELIGIBLE
    assert _history(application) == [
        (Status.ELIGIBILITY_REVIEW, Status.INELIGIBLE, administrator.pk, "Band 7 role")
    ]
    notification = Notification.objects.get()
    assert notification.title == "Your High Potential Scheme application is not eligible"
    assert notification.body == (
        "We have checked your application to Staffordshire and Stoke-on-Trent November 2027 and it does not "
        "meet the scheme's eligibility criteria. The reason: Band 7 role"
    )


def test_recording_the_assessment_stores_the_date_and_result_and_audits_them(
    administrator, cohort, applicant
):
    application = _application(
        cohort,
        applicant,
        assessment_invited=True,
        assessment_invited_at=datetime.datetime(2027, 2, 1, 9, 0, tzinfo=LONDON),
    )

    admin_services.application_decide(
        application=application,
        by=administrator,
        name="record_assessment",
        completed_on=datetime.date(2027, 2, 9),
        result=" Recommended ",
    )

    application.refresh_from_db()
    assert (application.status, application.assessment_completed_on, application.assessment_result) == (
        Status.ASSESSMENT_COMPLETE,
        datetime.date(2027, 2, 9),
        "Recommended",
    )
    event = AuditEvent.objects.get(verb="application_assessment_result")
    assert (event.before, event.after) == (
        {"assessment_completed_on": None, "assessment_result": ""},
        {"assessment_completed_on": "2027-02-09", "assessment_result": "Recommended"},
    )
    assert Notification.objects.get().event_key == f"hps-application:{application.pk}:record_assessment"


@pytest.mark.parametrize(
    ("completed_on", "result", "errors"),
    [
        (
            None,
            "",
            {
                "completed_on": ["Enter the date the assessment was completed"],
                "result": ["Enter the result of the assessment"],
            },
        ),
        (
            datetime.date(2027, 2, 11),
            "Recommended",
            {"completed_on": ["The date the assessment was completed must be today or in the past"]},
        ),
        (
            datetime.date(2027, 1, 31),
            "Recommended",
            {
                "completed_on": [
                    "The date the assessment was completed must be on or after the date of the invitation, "
                    "1 February 2027"
                ]
            },
        ),
        (datetime.date(2027, 2, 9), "x" * 101, {"result": ["Result must be 100 characters or fewer"]}),
    ],
)
def test_recording_the_assessment_refuses_a_missing_or_wrong_date_or_result(
    administrator, cohort, applicant, completed_on, result, errors
):
    application = _application(
        cohort,
        applicant,
        assessment_invited=True,
        assessment_invited_at=datetime.datetime(2027, 2, 1, 9, 0, tzinfo=LONDON),
    )
    before = _state()

    with pytest.raises(ValidationError) as error:
        admin_services.application_decide(
            application=application,
            by=administrator,
            name="record_assessment",
            completed_on=completed_on,
            result=result,
        )

    assert error.value.message_dict == errors
    assert _state() == before


@pytest.mark.parametrize(
    ("trait", "name", "reason", "status", "title"),
    [
        (
            "assessment_complete",
            "shortlist",
            "",
            Status.SHORTLISTED,
            "You have been shortlisted for the High Potential Scheme",
        ),
        (
            "assessment_complete",
            "mark_unsuccessful",
            "Other applicants scored higher",
            Status.UNSUCCESSFUL,
            "Your High Potential Scheme application was not successful",
        ),
        (
            "shortlisted",
            "offer",
            "",
            Status.OFFERED,
            "You have been offered a place on the High Potential Scheme",
        ),
        (
            "shortlisted",
            "mark_unsuccessful",
            "No places left",
            Status.UNSUCCESSFUL,
            "Your High Potential Scheme application was not successful",
        ),
    ],
)
def test_each_later_decision_moves_the_application_and_tells_the_applicant(
    administrator, cohort, applicant, trait, name, reason, status, title
):
    application = _application(cohort, applicant, **{trait: True})
    source = application.status

    admin_services.application_decide(application=application, by=administrator, name=name, reason=reason)

    application.refresh_from_db()
    assert application.status == status
    assert _history(application) == [(source, status, administrator.pk, reason)]
    notification = Notification.objects.get()
    assert (notification.recipient, notification.event_key, notification.title) == (
        applicant,
        f"hps-application:{application.pk}:{name}",
        title,
    )


def test_marking_unsuccessful_needs_a_reason(administrator, cohort, applicant):
    application = _application(cohort, applicant, shortlisted=True)
    before = _state()

    with pytest.raises(ValidationError) as error:
        admin_services.application_decide(application=application, by=administrator, name="mark_unsuccessful")

    assert error.value.message_dict == {"reason": ["Enter the reason the application was not successful"]}
    assert _state() == before


def test_the_offer_tells_the_applicant_when_the_scheme_starts(administrator, cohort, applicant):
    application = _application(cohort, applicant, shortlisted=True)

    admin_services.application_decide(application=application, by=administrator, name="offer")

    assert Notification.objects.get().body == (
        "We are pleased to offer you a place on Staffordshire and Stoke-on-Trent November 2027, starting on "
        f"{cohort.starts_on.day} {cohort.starts_on:%B %Y}. Accept or decline the offer from your application."
    )


@pytest.mark.parametrize(
    ("trait", "name"),
    [
        ("eligibility_review", "offer"),
        ("eligibility_review", "shortlist"),
        ("eligibility_review", "record_assessment"),
        ("assessment_invited", "invite_to_assessment"),
        ("offered", "offer"),
        ("awaiting_sponsor", "invite_to_assessment"),
        ("eligibility_review", "withdraw"),
        ("offered", "accept_offer"),
        ("eligibility_review", "not_a_transition"),
    ],
)
def test_a_decision_not_open_to_the_administrator_now_is_refused_and_changes_nothing(
    administrator, cohort, applicant, trait, name
):
    application = _application(cohort, applicant, **{trait: True})
    before = _state()

    with pytest.raises(ValidationError) as error:
        admin_services.application_decide(
            application=application,
            by=administrator,
            name=name,
            reason="Forged",
            completed_on=TODAY,
            result="Forged",
        )

    assert error.value.messages == [NOT_ALLOWED]
    assert _state() == before


def test_an_administrator_of_another_cohort_cannot_decide(cohort, applicant):
    application = _application(cohort, applicant, eligibility_review=True)
    other = UserFactory(email="other.admin@nhs.test")
    RoleAssignmentFactory(user=other, role=Role.HPS_ADMINISTRATOR, scope=Scope.NATIONAL)
    CohortFactory(administrators=[other])
    before = _state()

    with pytest.raises(ValidationError) as error:
        admin_services.application_decide(application=application, by=other, name="invite_to_assessment")

    assert error.value.messages == [NOT_ALLOWED]
    assert _state() == before


def test_an_administrator_cannot_decide_on_their_own_application(administrator, cohort):
    application = _application(cohort, administrator, eligibility_review=True)
    before = _state()

    with pytest.raises(ValidationError) as error:
        admin_services.application_decide(
            application=application, by=administrator, name="invite_to_assessment"
        )

    assert error.value.messages == ["You cannot make decisions on your own application"]
    assert _state() == before


# --- The automatic checks -----------------------------------------------------------------------


def test_the_automatic_checks_pass_for_an_eligible_application(cohort, applicant):
    application = _application(cohort, applicant, eligibility_review=True)

    checks = [(check.title, check.is_passed) for check in eligibility_checks(application)]

    assert checks == [
        ("Pay band", True),
        ("Organisation in the footprint", True),
        ("Eligibility questions", True),
        ("Sponsor's signature", True),
    ]


def test_the_automatic_checks_show_what_fails(cohort, applicant):
    outside = IntegratedCareSystem.objects.exclude(code="QNC").order_by("code").first()
    application = _application(
        cohort,
        applicant,
        submitted=True,
        pay_band=PayBand.objects.get(code="AFC7"),
        organisation__integrated_care_system=outside,
        eligibility_answers={**ELIGIBLE_ANSWERS, "ready_to_learn": False, "career_transition": False},
    )

    checks = [(check.title, check.is_passed, check.detail) for check in eligibility_checks(application)]

    assert checks == [
        ("Pay band", False, "Band 7 is not one of the cohort's eligible bands"),
        (
            "Organisation in the footprint",
            False,
            f"{application.organisation.name} is in {outside.name}, which is not in the cohort's footprint",
        ),
        ("Eligibility questions", False, "Not met: learning and development, career transition"),
        ("Sponsor's signature", False, "The sponsor has not signed yet"),
    ]


def test_an_administrator_records_an_acceptance_sent_by_email(administrator, cohort, applicant):
    application = ApplicationFactory(cohort=cohort, applicant=applicant, offered=True)

    admin_services.application_decide(application=application, by=administrator, name="record_acceptance")

    application.refresh_from_db()
    assert application.status == Application.Status.ACCEPTED
    transition = ApplicationTransition.objects.get(application=application, to_status="accepted")
    assert (transition.from_status, transition.by) == ("offered", administrator)
    assert (
        Notification.objects.get().title
        == "We have recorded that you accepted your High Potential Scheme place"
    )


def test_recording_a_decline_needs_how_the_applicant_declined(administrator, cohort, applicant):
    application = ApplicationFactory(cohort=cohort, applicant=applicant, offered=True)

    with pytest.raises(ValidationError) as error:
        admin_services.application_decide(application=application, by=administrator, name="record_decline")
    admin_services.application_decide(
        application=application, by=administrator, name="record_decline", reason="Phoned: moving abroad"
    )

    assert error.value.message_dict == {"reason": ["Enter how the applicant declined the offer"]}
    application.refresh_from_db()
    assert application.status == Application.Status.DECLINED
    assert ApplicationTransition.objects.get(application=application, to_status="declined").reason == (
        "Phoned: moving abroad"
    )
