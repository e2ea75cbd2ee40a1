"""The HPS administrator's pages: who may see them, what they show, and the decisions made from them."""

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from accounts.models import (
    EthnicCategory,
    GenderIdentity,
    IntegratedCareSystem,
    PayBand,
    Region,
    ReligionGroup,
    Role,
    Scope,
    SexualOrientation,
)
from core.models import AuditEvent, Notification
from hps.eligibility import EligibilityAnswers
from hps.models import Application, ApplicationTransition, Cohort, DevelopmentStream
from tests.accounts.factories import (
    EqualityProfileFactory,
    OrganisationFactory,
    RoleAssignmentFactory,
    UserFactory,
    give_totp,
)
from tests.hps.factories import ApplicationFactory, CohortFactory

LONDON = ZoneInfo("Europe/London")
NOW = datetime.datetime(2027, 2, 10, 10, 30, tzinfo=LONDON)

Status = Application.Status

ELIGIBLE_ANSWERS = EligibilityAnswers(
    works_in_footprint=True,
    pay_band="AFC8A",
    interested_in_senior_roles=True,
    ready_to_learn=True,
    compassionate_leadership=True,
    career_transition=True,
).as_json()

#: Equality answers given to the applicant: their labels must never appear on an administrator's page.
EQUALITY_LABELS = ["Bangladeshi", "Zoroastrian", "Bisexual", "Non-binary"]


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def administrator(hps_administrator):
    give_totp(hps_administrator)
    return hps_administrator


@pytest.fixture
def cohort(administrator):
    return CohortFactory(
        name="Staffordshire and Stoke-on-Trent November 2027", administrators=[administrator]
    )


@pytest.fixture
def application(cohort):
    applicant = UserFactory(email="amara.osei@nhs.test", first_name="Amara", last_name="Osei")
    EqualityProfileFactory(
        user=applicant,
        ethnic_category=EthnicCategory.ASIAN_BANGLADESHI,
        religion_group=ReligionGroup.ZOROASTRIAN,
        sexual_orientation=SexualOrientation.BISEXUAL,
        gender_identity=GenderIdentity.NON_BINARY,
    )
    return ApplicationFactory(
        cohort=cohort,
        applicant=applicant,
        eligibility_review=True,
        eligibility_answers=ELIGIBLE_ANSWERS,
        sponsor__email="morgan.ellis@nhs.test",
        sponsor_email="morgan.ellis@nhs.test",
        job_title="Head of nursing",
        motivation_statement="I want to lead a whole service.",
    )


@pytest.fixture
def applicant(application):
    return application.applicant


@pytest.fixture
def sponsor(application):
    return application.sponsor


@pytest.fixture
def other_administrator(db):
    """An HPS administrator (with MFA) who runs a different cohort."""
    user = UserFactory(email="other.admin@nhs.test")
    RoleAssignmentFactory(user=user, role=Role.HPS_ADMINISTRATOR, scope=Scope.NATIONAL)
    give_totp(user)
    CohortFactory(name="Devon March 2027", administrators=[user])
    return user


def _state():
    """Everything the administrator's pages can change, to check that a refused request changed nothing."""
    return (
        list(Cohort.objects.order_by("pk").values()),
        list(Application.objects.order_by("pk").values()),
        list(ApplicationTransition.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
        Notification.objects.count(),
    )


def _errors(response) -> dict:
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


def _sign_in(client, request, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))


def _assert_refused(response, role):
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == 404


REFUSED = [
    "anonymous",
    "applicant",
    "sponsor",
    "other_administrator",
    "talent_lead_with_mfa",
    "system_administrator_with_mfa",
]


def _cohort_urls(cohort):
    return [
        reverse("hps:cohort_detail", kwargs={"pk": cohort.pk}),
        reverse("hps:cohort_edit", kwargs={"pk": cohort.pk}),
        reverse("hps:application_queue", kwargs={"pk": cohort.pk}),
        reverse("hps:assessment_import", kwargs={"pk": cohort.pk}),
        reverse("hps:application_export", kwargs={"pk": cohort.pk}),
    ]


def _application_urls(application):
    return [
        reverse("hps:application_review", kwargs={"pk": application.pk}),
        reverse("hps:application_act", kwargs={"pk": application.pk, "name": "invite_to_assessment"}),
    ]


# --- Who may see what ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", REFUSED)
def test_only_the_cohorts_administrator_sees_its_pages(client, request, role, cohort, application):
    _sign_in(client, request, role)
    before = _state()

    for url in _cohort_urls(cohort) + _application_urls(application):
        _assert_refused(client.get(url), role)

    assert _state() == before


def test_the_cohorts_administrator_sees_every_page(client, administrator, cohort, application):
    client.force_login(administrator)

    for url in _cohort_urls(cohort) + _application_urls(application):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    ("role", "status_code"),
    [
        ("applicant", 404),
        ("sponsor", 404),
        ("talent_lead_with_mfa", 404),
        ("system_administrator_with_mfa", 404),
        ("other_administrator", 200),
        ("administrator", 200),
    ],
)
def test_the_cohort_list_and_create_pages_are_for_hps_administrators(
    client, request, role, status_code, application
):
    _sign_in(client, request, role)

    for url in (reverse("hps:cohort_list"), reverse("hps:cohort_create")):
        assert client.get(url).status_code == status_code


def test_an_hps_administrator_must_set_up_an_authenticator_app_first(client, hps_administrator):
    client.force_login(hps_administrator)

    response = client.get(reverse("hps:cohort_list"))

    assert (response.status_code, response["Location"]) == (302, reverse("mfa_activate_totp"))


@pytest.mark.parametrize("role", REFUSED)
def test_refused_people_cannot_post_decisions_changes_imports_or_exports(
    client, request, role, cohort, application
):
    _sign_in(client, request, role)
    before = _state()
    upload = io.BytesIO(f"application_id,completed_on,result\n{application.pk},2027-02-09,Pass\n".encode())
    upload.name = "results.csv"

    responses = [
        client.post(
            reverse("hps:application_act", kwargs={"pk": application.pk, "name": "invite_to_assessment"})
        ),
        client.post(
            reverse("hps:application_act", kwargs={"pk": application.pk, "name": "reject_eligibility"}),
            {"reason": "Forged"},
        ),
        client.post(reverse("hps:cohort_edit", kwargs={"pk": cohort.pk}), _cohort_post(name="Taken over")),
        client.post(reverse("hps:application_export", kwargs={"pk": cohort.pk})),
        client.post(reverse("hps:assessment_import", kwargs={"pk": cohort.pk}), {"file": upload}),
    ]

    for response in responses:
        _assert_refused(response, role)
    assert _state() == before


@pytest.mark.parametrize(
    "role", ["applicant", "sponsor", "talent_lead_with_mfa", "system_administrator_with_mfa"]
)
def test_people_who_are_not_hps_administrators_cannot_create_a_cohort(client, request, role, application):
    _sign_in(client, request, role)
    before = _state()

    response = client.post(reverse("hps:cohort_create"), _cohort_post())

    assert response.status_code == 404
    assert _state() == before


def test_draft_applications_are_not_shown_to_administrators(client, administrator, cohort):
    draft = ApplicationFactory(cohort=cohort)
    client.force_login(administrator)

    assert client.get(reverse("hps:application_review", kwargs={"pk": draft.pk})).status_code == 404
    assert AuditEvent.objects.count() == 0


# --- Cohorts ------------------------------------------------------------------------------------


def _date_post(prefix, value):
    return {
        f"{prefix}-day": str(value.day),
        f"{prefix}-month": str(value.month),
        f"{prefix}-year": str(value.year),
    }


def _cohort_post(**overrides):
    data = {
        "name": "Shropshire, Telford and Wrekin March 2027",
        "integrated_care_systems": [
            str(pk)
            for pk in IntegratedCareSystem.objects.filter(code__in=["QNC", "QOC"]).values_list(
                "pk", flat=True
            )
        ],
        "eligible_pay_bands": [
            str(pk) for pk in PayBand.objects.filter(code__in=["AFC8A", "AFC8B"]).values_list("pk", flat=True)
        ],
        **_date_post("opens_on", datetime.date(2027, 3, 1)),
        **_date_post("closes_on", datetime.date(2027, 3, 31)),
        **_date_post("starts_on", datetime.date(2027, 6, 1)),
        "capacity": "25",
        "terms_text": "You agree to take part for 24 months.",
        "terms_version": "1.0",
    }
    return {**data, **overrides}


def test_the_create_page_ticks_bands_8a_to_8d_and_offers_the_ics_in_scope(client, db):
    midlands_admin = UserFactory(email="midlands.admin@nhs.test")
    RoleAssignmentFactory(
        user=midlands_admin,
        role=Role.HPS_ADMINISTRATOR,
        scope=Scope.REGION,
        region=Region.objects.get(code="Y60"),
    )
    give_totp(midlands_admin)
    client.force_login(midlands_admin)

    response = client.get(reverse("hps:cohort_create"))

    form = response.context["form"]
    ticked = PayBand.objects.filter(pk__in=form["eligible_pay_bands"].value())
    assert sorted(ticked.values_list("code", flat=True)) == ["AFC8A", "AFC8B", "AFC8C", "AFC8D"]
    offered = list(form.fields["integrated_care_systems"].queryset)
    assert offered == list(IntegratedCareSystem.objects.current().filter(region__code="Y60").order_by("name"))
    assert "Local authority grade" in response.text


def test_creating_a_cohort_makes_the_creator_its_administrator(client, administrator):
    client.force_login(administrator)

    response = client.post(reverse("hps:cohort_create"), _cohort_post())

    cohort = Cohort.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("hps:cohort_detail", kwargs={"pk": cohort.pk})
    assert list(cohort.administrators.all()) == [administrator]
    assert sorted(cohort.eligible_pay_bands.values_list("code", flat=True)) == ["AFC8A", "AFC8B"]


def test_the_create_page_explains_each_problem(client, administrator):
    client.force_login(administrator)

    response = client.post(
        reverse("hps:cohort_create"),
        _cohort_post(
            name="",
            integrated_care_systems=[],
            eligible_pay_bands=["999999"],
            **{"closes_on-day": "31", "closes_on-month": "2"},
            capacity="twenty",
            terms_version="",
        ),
    )

    assert response.status_code == 200
    assert _errors(response) == {
        "name": ["Enter a name for the cohort"],
        "integrated_care_systems": ["Select at least one integrated care system"],
        "eligible_pay_bands": ["Select pay bands from the list"],
        "closes_on": ["Applications close must be a real date"],
        "capacity": ["Number of places must be a whole number, like 20"],
        "terms_version": ["Enter the version of the terms and conditions"],
    }
    assert response.text.count('<h2 class="nhsuk-error-summary__heading">There is a problem</h2>') == 1
    assert "<title>Error: Create a cohort" in response.text
    assert not Cohort.objects.exists()


def test_the_create_page_shows_the_date_order_rules(client, administrator):
    client.force_login(administrator)

    response = client.post(
        reverse("hps:cohort_create"),
        _cohort_post(
            **_date_post("closes_on", datetime.date(2027, 2, 1)),
            **_date_post("starts_on", datetime.date(2027, 1, 1)),
        ),
    )

    assert _errors(response) == {
        "closes_on": ["The date applications close must be after the date they open"],
        "starts_on": ["The date the scheme starts must be after the date applications close"],
    }
    assert not Cohort.objects.exists()


def test_changing_a_cohort_saves_it(client, administrator, cohort):
    client.force_login(administrator)

    response = client.post(
        reverse("hps:cohort_edit", kwargs={"pk": cohort.pk}),
        _cohort_post(name="Renamed intake", capacity="15"),
    )

    assert response["Location"] == reverse("hps:cohort_detail", kwargs={"pk": cohort.pk})
    cohort.refresh_from_db()
    assert (cohort.name, cohort.capacity) == ("Renamed intake", 15)


def test_changing_signed_terms_without_a_new_version_is_refused_with_a_clear_error(
    client, administrator, cohort, application
):
    client.force_login(administrator)
    before = _state()

    response = client.post(
        reverse("hps:cohort_edit", kwargs={"pk": cohort.pk}),
        _cohort_post(name=cohort.name, terms_text="Rewritten terms", terms_version=cohort.terms_version),
    )

    assert response.status_code == 200
    assert _errors(response) == {
        "terms_version": [
            "Enter a new version number: people have already signed version 1.0 of the terms and conditions, "
            "so that version cannot change"
        ]
    }
    assert _state() == before


def test_the_cohort_list_shows_counts_by_status(client, administrator, cohort, application):
    ApplicationFactory(cohort=cohort, offered=True)
    ApplicationFactory(cohort=cohort, shortlisted=True)
    ApplicationFactory(cohort=cohort)  # a draft: not counted
    client.force_login(administrator)

    response = client.get(reverse("hps:cohort_list"))

    listed = response.context["page"].object_list[0]
    assert (listed.application_count, listed.waiting_count, listed.offered_count, listed.accepted_count) == (
        3,
        2,
        1,
        0,
    )


def test_the_cohort_page_shows_every_status_count(client, administrator, cohort, application):
    ApplicationFactory(cohort=cohort, offered=True)
    client.force_login(administrator)

    response = client.get(reverse("hps:cohort_detail", kwargs={"pk": cohort.pk}))

    counts = {item.status: item.count for item in response.context["counts"]}
    assert counts == {
        "submitted": 0,
        "awaiting_sponsor": 0,
        "eligibility_review": 1,
        "ineligible": 0,
        "assessment_invited": 0,
        "assessment_complete": 0,
        "shortlisted": 0,
        "offered": 1,
        "accepted": 0,
        "declined": 0,
        "unsuccessful": 0,
        "withdrawn": 0,
    }


COHORT_LIST_QUERIES = 8


@pytest.mark.parametrize("count", [1, 12])
def test_the_cohort_list_costs_the_same_queries_whatever_the_number_of_cohorts(
    client, django_assert_num_queries, administrator, count
):
    for _number in range(count):
        cohort = CohortFactory(administrators=[administrator])
        ApplicationFactory.create_batch(3, cohort=cohort, offered=True)
    client.force_login(administrator)
    url = reverse("hps:cohort_list")
    client.get(url)

    with django_assert_num_queries(COHORT_LIST_QUERIES):
        response = client.get(url)

    assert len(response.context["page"].object_list) == count
    assert response.context["page"].object_list[0].offered_count == 3


# --- The review queue ---------------------------------------------------------------------------

QUEUE_QUERIES = 9


@pytest.mark.parametrize("count", [5, 60])
def test_the_queue_costs_the_same_queries_for_5_or_60_applications(
    client, django_assert_num_queries, administrator, cohort, count
):
    ApplicationFactory.create_batch(count, cohort=cohort, eligibility_review=True)
    client.force_login(administrator)
    url = reverse("hps:application_queue", kwargs={"pk": cohort.pk})
    client.get(url)

    with django_assert_num_queries(QUEUE_QUERIES):
        response = client.get(url)

    assert len(response.context["page"].object_list) == min(count, 25)
    assert response.context["page"].paginator.count == count


def test_the_queue_pages_by_25_and_never_lists_drafts(client, administrator, cohort):
    ApplicationFactory.create_batch(30, cohort=cohort, submitted=True)
    ApplicationFactory.create_batch(3, cohort=cohort)
    client.force_login(administrator)
    url = reverse("hps:application_queue", kwargs={"pk": cohort.pk})

    first = client.get(url)
    second = client.get(url, {"page": 2})

    assert first.context["page"].paginator.count == 30
    assert (len(first.context["page"].object_list), len(second.context["page"].object_list)) == (25, 5)


def test_the_queue_filters_by_status_organisation_and_stream(client, administrator, cohort):
    trust = OrganisationFactory(code="RRE", name="Midlands Partnership University NHS Foundation Trust")
    wanted = ApplicationFactory(
        cohort=cohort, shortlisted=True, organisation=trust, development_stream=DevelopmentStream.STREAM_TWO
    )
    ApplicationFactory(
        cohort=cohort, shortlisted=True, organisation=trust, development_stream=DevelopmentStream.STREAM_ONE
    )
    ApplicationFactory(cohort=cohort, shortlisted=True, development_stream=DevelopmentStream.STREAM_TWO)
    ApplicationFactory(
        cohort=cohort, offered=True, organisation=trust, development_stream=DevelopmentStream.STREAM_TWO
    )
    client.force_login(administrator)

    response = client.get(
        reverse("hps:application_queue", kwargs={"pk": cohort.pk}),
        {"status": "shortlisted", "organisation": str(trust.pk), "development_stream": "2"},
    )

    assert list(response.context["page"].object_list) == [wanted]


def test_the_queue_sorts_by_name_and_by_submission(client, administrator, cohort):
    zara = ApplicationFactory(
        cohort=cohort,
        submitted=True,
        applicant__last_name="Young",
        submitted_at=NOW - datetime.timedelta(days=3),
    )
    adam = ApplicationFactory(
        cohort=cohort,
        submitted=True,
        applicant__last_name="Abbott",
        submitted_at=NOW - datetime.timedelta(days=1),
    )
    client.force_login(administrator)
    url = reverse("hps:application_queue", kwargs={"pk": cohort.pk})

    assert list(client.get(url, {"sort": "name"}).context["page"].object_list) == [adam, zara]
    assert list(client.get(url, {"sort": "submitted"}).context["page"].object_list) == [zara, adam]
    assert list(client.get(url, {"sort": "-submitted"}).context["page"].object_list) == [adam, zara]


def test_a_tampered_filter_gets_a_message_not_an_error_page(client, administrator, cohort, application):
    client.force_login(administrator)

    response = client.get(
        reverse("hps:application_queue", kwargs={"pk": cohort.pk}),
        {"status": "draft", "organisation": "abc", "development_stream": "9", "sort": "password"},
    )

    assert response.status_code == 200
    assert _errors(response) == {
        "status": ["Select a status from the list"],
        "organisation": ["Select an organisation from the list"],
        "development_stream": ["Select a development stream from the list"],
        "sort": ["Select a sort order from the list"],
    }
    assert list(response.context["page"].object_list) == [application]


def test_the_queue_does_not_list_another_cohorts_applications(
    client, administrator, cohort, other_administrator
):
    elsewhere = ApplicationFactory(cohort=Cohort.objects.get(name="Devon March 2027"), submitted=True)
    mine = ApplicationFactory(cohort=cohort, submitted=True)
    client.force_login(administrator)

    response = client.get(reverse("hps:application_queue", kwargs={"pk": cohort.pk}))

    assert list(response.context["page"].object_list) == [mine]
    assert client.get(reverse("hps:application_review", kwargs={"pk": elsewhere.pk})).status_code == 404


# --- One application ----------------------------------------------------------------------------


def test_every_view_of_an_application_is_audited(client, administrator, application):
    client.force_login(administrator)
    url = reverse("hps:application_review", kwargs={"pk": application.pk})

    client.get(url)
    client.get(url)
    client.get(reverse("hps:application_act", kwargs={"pk": application.pk, "name": "reject_eligibility"}))

    events = list(
        AuditEvent.objects.order_by("id").values_list("actor", "action", "verb", "object_type", "object_id")
    )
    assert events == [
        (administrator.pk, "read", "hps_application_review", "hps.application", str(application.pk)),
        (administrator.pk, "read", "hps_application_review", "hps.application", str(application.pk)),
        (administrator.pk, "read", "hps_application_decision_view", "hps.application", str(application.pk)),
    ]


def test_the_application_page_shows_the_checks_and_only_the_actions_open_now(
    client, administrator, application
):
    client.force_login(administrator)

    response = client.get(reverse("hps:application_review", kwargs={"pk": application.pk}))

    assert [check.is_passed for check in response.context["checks"]] == [True, True, True, True]
    assert [action["name"] for action in response.context["actions"]] == [
        "invite_to_assessment",
        "reject_eligibility",
    ]
    assert response.text.count('<strong class="nhsuk-tag nhsuk-tag--green">Pass</strong>') == 4
    assert "Confirm eligibility and invite to the assessment" in response.text
    assert "Offer a place" not in response.text
    assert "I want to lead a whole service." in response.text
    assert "Signed by" in response.text


def test_an_administrator_sees_no_actions_on_their_own_application(client, administrator, cohort):
    own = ApplicationFactory(cohort=cohort, applicant=administrator, eligibility_review=True)
    client.force_login(administrator)

    response = client.get(reverse("hps:application_review", kwargs={"pk": own.pk}))

    assert "This is your own application" in response.text
    assert "Confirm eligibility and invite to the assessment" not in response.text


def test_confirming_eligibility_from_the_page_invites_and_tells_the_applicant(
    client, administrator, application
):
    client.force_login(administrator)

    response = client.post(
        reverse("hps:application_act", kwargs={"pk": application.pk, "name": "invite_to_assessment"})
    )

    assert response["Location"] == reverse("hps:application_review", kwargs={"pk": application.pk})
    application.refresh_from_db()
    assert (application.status, application.assessment_invited_at) == (Status.ASSESSMENT_INVITED, NOW)
    assert Notification.objects.get().event_key == f"hps-application:{application.pk}:invite_to_assessment"
    assert list(AuditEvent.objects.values_list("action", "verb")) == [
        ("update", "application_invite_to_assessment")
    ]


def test_rejecting_without_a_reason_shows_an_error_and_changes_nothing(client, administrator, application):
    client.force_login(administrator)
    url = reverse("hps:application_act", kwargs={"pk": application.pk, "name": "reject_eligibility"})
    client.get(url)
    before = _state()

    response = client.post(url, {"reason": " "})

    assert response.status_code == 200
    assert _errors(response) == {"reason": ["Enter the reason the application is not eligible"]}
    # The page was read again (audited); nothing else changed.
    assert _state()[:3] == before[:3]
    assert Notification.objects.count() == before[4]


def test_recording_an_assessment_from_the_page(client, administrator, cohort):
    application = ApplicationFactory(
        cohort=cohort,
        assessment_invited=True,
        assessment_invited_at=datetime.datetime(2027, 2, 1, 9, 0, tzinfo=LONDON),
    )
    client.force_login(administrator)

    response = client.post(
        reverse("hps:application_act", kwargs={"pk": application.pk, "name": "record_assessment"}),
        {**_date_post("completed_on", datetime.date(2027, 2, 8)), "result": "Recommended"},
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.assessment_completed_on, application.assessment_result) == (
        Status.ASSESSMENT_COMPLETE,
        datetime.date(2027, 2, 8),
        "Recommended",
    )


@pytest.mark.parametrize("name", ["offer", "shortlist", "record_assessment", "mark_unsuccessful"])
def test_a_forged_decision_for_another_status_is_refused_with_a_message(
    client, administrator, application, name
):
    client.force_login(administrator)
    before = _state()

    response = client.post(
        reverse("hps:application_act", kwargs={"pk": application.pk, "name": name}),
        {"reason": "Forged", "result": "Forged", **_date_post("completed_on", NOW.date())},
        follow=True,
    )

    assert response.redirect_chain == [
        (reverse("hps:application_review", kwargs={"pk": application.pk}), 302)
    ]
    assert (
        "This application cannot be moved to that stage: its status is now eligibility review. "
        "Nothing was changed." in response.text
    )
    assert _state()[:3] == before[:3]
    assert Notification.objects.count() == 0


@pytest.mark.parametrize("name", ["withdraw", "accept_offer", "sponsor_sign", "delete"])
def test_a_decision_that_is_not_an_administrators_is_not_found(client, administrator, application, name):
    client.force_login(administrator)
    before = _state()

    response = client.post(reverse("hps:application_act", kwargs={"pk": application.pk, "name": name}))

    assert response.status_code == 404
    assert _state() == before


# --- Export ---------------------------------------------------------------------------------------


def test_the_export_page_warns_that_the_file_holds_personal_data(client, administrator, cohort, application):
    client.force_login(administrator)

    response = client.get(reverse("hps:application_export", kwargs={"pk": cohort.pk}))

    assert "This file contains personal data" in response.text
    assert "Store it securely" in response.text
    assert AuditEvent.objects.count() == 0


def test_the_export_streams_the_cohorts_applications_and_audits_the_row_count(
    client, administrator, cohort, application
):
    ApplicationFactory(cohort=cohort)  # a draft: not exported
    application.sponsor_signed_at = datetime.datetime(2027, 2, 3, 14, 5, tzinfo=LONDON)
    application.submitted_at = datetime.datetime(2027, 2, 2, 9, 15, tzinfo=LONDON)
    application.save()
    client.force_login(administrator)

    response = client.post(reverse("hps:application_export", kwargs={"pk": cohort.pk}))

    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="hps-applications-staffordshire-and-stoke-on-trent-november-2027-'
        '2027-02-10.csv"'
    )
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content.removeprefix("\ufeff"))))
    organisation = application.organisation
    assert rows == [
        [
            "Application ID",
            "Applicant name",
            "Email",
            "Organisation",
            "ODS code",
            "Pay band",
            "Development stream",
            "Status",
            "Submitted at",
            "Sponsor email",
            "Sponsor signed at",
            "Assessment completed on",
            "Assessment result",
        ],
        [
            str(application.pk),
            "Amara Osei",
            "amara.osei@nhs.test",
            organisation.name,
            organisation.code,
            "Band 8a",
            "Development stream 1",
            "Eligibility review",
            "2027-02-02 09:15",
            "morgan.ellis@nhs.test",
            "2027-02-03 14:05",
            "",
            "",
        ],
    ]
    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.verb, event.object_type, event.object_id, event.after) == (
        administrator,
        "read",
        "hps_applications_export",
        "hps.cohort",
        str(cohort.pk),
        {"cohort": cohort.pk, "rows": 1},
    )


# --- Equality data never shown ------------------------------------------------------------------


def test_no_equality_answer_appears_on_any_administrator_page_or_in_the_export(
    client, administrator, cohort, application
):
    client.force_login(administrator)
    pages = [
        reverse("hps:cohort_list"),
        reverse("hps:cohort_detail", kwargs={"pk": cohort.pk}),
        reverse("hps:cohort_edit", kwargs={"pk": cohort.pk}),
        reverse("hps:application_queue", kwargs={"pk": cohort.pk}),
        reverse("hps:application_review", kwargs={"pk": application.pk}),
        reverse("hps:application_act", kwargs={"pk": application.pk, "name": "invite_to_assessment"}),
        reverse("hps:application_act", kwargs={"pk": application.pk, "name": "reject_eligibility"}),
        reverse("hps:assessment_import", kwargs={"pk": cohort.pk}),
        reverse("hps:application_export", kwargs={"pk": cohort.pk}),
    ]
    texts = [client.get(url).text for url in pages]
    export = client.post(reverse("hps:application_export", kwargs={"pk": cohort.pk}))
    texts.append(b"".join(export.streaming_content).decode("utf-8"))

    assert "Amara Osei" in texts[4]
    for text in texts:
        for label in EQUALITY_LABELS:
            assert label not in text


# --- The Django admin ---------------------------------------------------------------------------


def test_system_administrators_can_list_cohorts_in_the_django_admin_but_not_change_them(
    client, system_administrator_with_mfa, cohort
):
    client.force_login(system_administrator_with_mfa)
    before = _state()

    listing = client.get(reverse("admin:hps_cohort_changelist"))
    page = client.get(reverse("admin:hps_cohort_change", args=[cohort.pk]))
    add = client.get(reverse("admin:hps_cohort_add"))
    change = client.post(reverse("admin:hps_cohort_change", args=[cohort.pk]), {"name": "Renamed"})

    assert listing.status_code == 200
    assert "Staffordshire and Stoke-on-Trent November 2027" in listing.text
    assert page.status_code == 200
    assert (add.status_code, change.status_code) == (403, 403)
    assert _state() == before
