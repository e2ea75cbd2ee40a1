"""The applicant's pages: who may open them, the journey from eligibility to submit, and after."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import NoReverseMatch, reverse

from accounts.models import PayBand, Role, Scope
from core.models import AuditEvent, Notification
from hps.models import Application, ApplicationTransition, SponsorInvitation
from tests.accounts.factories import (
    OrganisationFactory,
    RoleAssignmentFactory,
    StaffProfileFactory,
    UserFactory,
    give_totp,
)
from tests.hps.factories import ApplicationFactory, CohortFactory, SponsorInvitationFactory

LONDON = ZoneInfo("Europe/London")
NOW = datetime.datetime(2027, 2, 1, 9, 0, tzinfo=LONDON)
CLOSES_ON = datetime.date(2027, 2, 10)

Status = Application.Status

ELIGIBLE_POST = {
    "works_in_footprint": "yes",
    "pay_band": "AFC8B",
    "interested_in_senior_roles": "yes",
    "ready_to_learn": "yes",
    "compassionate_leadership": "yes",
    "career_transition": "yes",
}


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


def _band(code):
    return PayBand.objects.get(code=code)


def _hps_administrator(email):
    user = UserFactory(email=email)
    RoleAssignmentFactory(user=user, role=Role.HPS_ADMINISTRATOR, scope=Scope.NATIONAL)
    give_totp(user)
    return user


@pytest.fixture
def cohort_admin(db):
    return _hps_administrator("cohort.admin@nhs.test")


@pytest.fixture
def cohort(cohort_admin):
    return CohortFactory(
        name="Staffordshire intake 2027",
        opens_on=datetime.date(2027, 1, 4),
        closes_on=CLOSES_ON,
        starts_on=datetime.date(2027, 4, 1),
        terms_version="2.1",
        terms_text="You will take part for 24 months.\n\nYour employer releases you one day a week.",
        eligible_pay_bands=[_band("AFC8A"), _band("AFC8B"), _band("AFC8C")],
        administrators=[cohort_admin],
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
def draft(applicant, cohort):
    return ApplicationFactory(applicant=applicant, cohort=cohort)


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


@pytest.fixture
def other_applicant(cohort):
    """Someone with their own application to the same intake."""
    person = UserFactory(email="other.applicant@nhs.test")
    ApplicationFactory(applicant=person, cohort=cohort)
    return person


@pytest.fixture
def sponsor_of_another_application(cohort):
    person = UserFactory(email="other.sponsor@nhs.test")
    ApplicationFactory(eligibility_review=True, cohort=cohort, sponsor=person)
    return person


@pytest.fixture
def administrator_of_another_cohort(db):
    person = _hps_administrator("other.admin@nhs.test")
    CohortFactory(name="Another intake", administrators=[person])
    return person


def _state():
    """Everything the applicant's pages can change."""
    return (
        list(Application.objects.order_by("pk").values()),
        list(ApplicationTransition.objects.order_by("pk").values()),
        list(SponsorInvitation.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
        Notification.objects.count(),
    )


def _text(response) -> str:
    return response.content.decode()


def _errors(response) -> dict:
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


# --- Who may open each page ----------------------------------------------------------------------

REFUSED = [
    "anonymous",
    "other_applicant",
    "sponsor_of_another_application",
    "administrator_of_another_cohort",
    "cohort_admin",
]


def _pages(application):
    pk = application.pk
    return [
        reverse("hps:application_detail", kwargs={"pk": pk}),
        *(
            reverse("hps:application_step", kwargs={"pk": pk, "step": step})
            for step in ("role", "stream", "statements", "sponsor", "terms")
        ),
        reverse("hps:application_check", kwargs={"pk": pk}),
        reverse("hps:application_withdraw", kwargs={"pk": pk}),
        reverse("hps:application_offer_accept", kwargs={"pk": pk}),
        reverse("hps:application_offer_decline", kwargs={"pk": pk}),
    ]


@pytest.mark.parametrize("role", REFUSED)
@pytest.mark.parametrize("method", ["get", "post"])
def test_only_the_applicant_can_open_or_post_to_their_application_pages(
    client, request, complete_draft, role, method
):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    before = _state()

    # The application page only reads: a POST to it is refused before anything is looked up.
    pages = _pages(complete_draft) if method == "get" else _pages(complete_draft)[1:]
    for url in pages:
        response = getattr(client, method)(url, ELIGIBLE_POST if method == "post" else None)
        if role == "anonymous":
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("account_login")), url
        else:
            assert response.status_code == 404, url

    assert _state() == before


def test_the_applicant_can_open_every_page_of_their_complete_draft(client, applicant, complete_draft):
    client.force_login(applicant)
    pages = _pages(complete_draft)

    assert [client.get(url).status_code for url in pages[:8]] == [200] * 8
    # An offer can be answered only once it is made: those pages send the applicant back.
    assert [client.get(url).status_code for url in pages[8:]] == [302, 302]


@pytest.mark.parametrize("role", ["anonymous", "applicant", "other_applicant", "cohort_admin"])
def test_home_and_eligibility_pages_need_only_a_signed_in_person(client, request, cohort, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    urls = [reverse("hps:home"), reverse("hps:eligibility", kwargs={"pk": cohort.pk})]

    responses = [client.get(url) for url in urls]

    if role == "anonymous":
        assert [response.status_code for response in responses] == [302, 302]
        assert all(response["Location"].startswith(reverse("account_login")) for response in responses)
    elif role == "other_applicant":
        # They already applied: the eligibility page takes them to their application.
        assert [response.status_code for response in responses] == [200, 302]
    else:
        assert [response.status_code for response in responses] == [200, 200]


def test_an_unknown_cohort_or_step_is_a_404(client, applicant, draft):
    client.force_login(applicant)

    assert client.get(reverse("hps:eligibility", kwargs={"pk": 999_999})).status_code == 404
    assert client.get(f"/hps/applications/{draft.pk}/nonsense/").status_code == 404
    assert client.get("/hps/applications/999999/role/").status_code == 404


# --- The home page -------------------------------------------------------------------------------


def test_home_explains_the_scheme_and_lists_open_cohorts_and_the_persons_applications(
    client, applicant, cohort, draft
):
    client.force_login(applicant)

    response = client.get(reverse("hps:home"))

    text = _text(response)
    for expected in (
        "The scheme lasts 24 months. It follows a 70:20:10 model:",
        "Development stream 1: moving towards managing a range of teams, or senior technical expert",
        "Development stream 2: moving towards leading a whole function or service",
        "For a leader moving towards leading a whole function or service",
        "You and your sponsor both sign the scheme's terms and conditions.",
        '<td class="nhsuk-table__cell">Staffordshire intake 2027</td>',
        '<td class="nhsuk-table__cell">Staffordshire and Stoke-on-Trent</td>',
        '<td class="nhsuk-table__cell">10 February 2027</td>',
        f'<a href="/hps/applications/{draft.pk}/">Go to your application',
        '<strong class="nhsuk-tag nhsuk-tag--grey">Draft</strong>',
    ):
        assert expected in text
    assert "You run High Potential Scheme intakes" not in text


def test_home_offers_the_eligibility_check_for_a_cohort_not_applied_to(client, stranger, cohort):
    client.force_login(stranger)

    text = _text(client.get(reverse("hps:home")))

    assert f'<a href="/hps/cohorts/{cohort.pk}/eligibility/">Check if you can apply' in text
    assert "Your applications" not in text


def test_home_links_administrators_to_their_cohorts_when_that_page_exists(client, cohort_admin):
    client.force_login(cohort_admin)

    text = _text(client.get(reverse("hps:home")))

    try:
        url = reverse("hps:cohort_list")
    except NoReverseMatch:
        assert "You run High Potential Scheme intakes" not in text
    else:
        assert f'<a href="{url}">Go to your intakes and their applications</a>' in text


def test_home_lists_applications_the_person_sponsors_when_the_sponsor_page_exists(client, cohort):
    sponsor = UserFactory(email="morgan.ellis@nhs.test")
    application = ApplicationFactory(awaiting_sponsor=True, cohort=cohort, sponsor=sponsor)
    client.force_login(sponsor)

    text = _text(client.get(reverse("hps:home")))

    try:
        url = reverse("hps:sponsor_application", kwargs={"pk": application.pk})
    except NoReverseMatch:
        assert "Applications you sponsor" not in text
    else:
        assert "Applications you sponsor" in text
        assert f'<a href="{url}">{application.applicant}</a>' in text


@pytest.mark.parametrize("count", [1, 6])
def test_home_query_count_does_not_grow(client, django_assert_num_queries, applicant, count):
    for index in range(count):
        cohort = CohortFactory(name=f"Intake {index}")
        ApplicationFactory(applicant=applicant, cohort=cohort)
        ApplicationFactory(awaiting_sponsor=True, cohort=cohort, sponsor=applicant)
    client.force_login(applicant)
    client.get(reverse("hps:home"))

    with django_assert_num_queries(9):
        response = client.get(reverse("hps:home"))

    assert len(response.context["home"].open_cohorts) == count
    assert len(response.context["home"].applications) == count


# --- Eligibility ---------------------------------------------------------------------------------


def test_eligibility_page_shows_the_footprint_and_the_cohorts_bands(client, applicant, cohort):
    client.force_login(applicant)

    response = client.get(reverse("hps:eligibility", kwargs={"pk": cohort.pk}))

    text = _text(response)
    assert "This intake is for people who work in Staffordshire and Stoke-on-Trent." in text
    assert [label for _value, label in response.context["form"].fields["pay_band"].choices] == [
        "Band 8a",
        "Band 8b",
        "Band 8c",
        "Another band",
    ]


def test_an_eligible_answer_starts_the_draft_and_opens_it(client, applicant, cohort, trust):
    client.force_login(applicant)

    response = client.post(reverse("hps:eligibility", kwargs={"pk": cohort.pk}), ELIGIBLE_POST)

    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/hps/applications/{application.pk}/"
    assert (application.applicant, application.status, application.organisation, application.job_title) == (
        applicant,
        Status.DRAFT,
        trust,
        "Head of nursing",
    )
    assert application.eligibility_answers["pay_band"] == "AFC8B"


def test_an_ineligible_answer_explains_why_and_saves_nothing(client, applicant, cohort):
    client.force_login(applicant)

    response = client.post(
        reverse("hps:eligibility", kwargs={"pk": cohort.pk}),
        {**ELIGIBLE_POST, "pay_band": "another", "ready_to_learn": "no"},
    )

    text = _text(response)
    assert response.status_code == 200
    assert "You cannot apply to this intake" in text
    assert (
        "Staffordshire intake 2027 is for middle level leaders in Band 8a, Band 8b or Band 8c. "
        "You told us your band is not one of these." in text
    )
    assert (
        "The scheme asks you to learn and develop your leadership skills and behaviours over 24 months."
        in text
    )
    assert "talk to your line manager" in text.lower()
    assert "HPS Careers Hub" in text
    assert Application.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_a_forged_band_outside_the_cohort_is_an_error_and_saves_nothing(client, applicant, cohort):
    client.force_login(applicant)

    response = client.post(
        reverse("hps:eligibility", kwargs={"pk": cohort.pk}), {**ELIGIBLE_POST, "pay_band": "AFC8D"}
    )

    assert response.status_code == 200
    assert _errors(response) == {"pay_band": ["Select your pay band, or select another band"]}
    assert "<title>Error: " in _text(response)
    assert Application.objects.count() == 0


def test_unanswered_eligibility_questions_are_errors(client, applicant, cohort):
    client.force_login(applicant)

    response = client.post(reverse("hps:eligibility", kwargs={"pk": cohort.pk}), {})

    assert _errors(response) == {
        "works_in_footprint": [
            "Select yes if you work in an NHS or health and care funded role in this area"
        ],
        "pay_band": ["Select your pay band, or select another band"],
        "interested_in_senior_roles": [
            "Select yes if you are interested in progressing to senior leadership roles"
        ],
        "ready_to_learn": ["Select yes if you are ready and willing to learn and develop"],
        "compassionate_leadership": [
            "Select yes if you can show compassionate and inclusive leadership values and style"
        ],
        "career_transition": ["Select yes if you are working towards one of the two career transitions"],
    }


def test_a_closed_cohort_says_so_and_saves_nothing(client, applicant, cohort):
    with time_machine.travel(datetime.datetime(2027, 2, 11, 9, 0, tzinfo=LONDON), tick=False):
        client.force_login(applicant)
        shown = client.get(reverse("hps:eligibility", kwargs={"pk": cohort.pk}))
        posted = client.post(reverse("hps:eligibility", kwargs={"pk": cohort.pk}), ELIGIBLE_POST)

    for response in (shown, posted):
        assert response.status_code == 200
        assert "This intake is not open for applications" in _text(response)
        assert "Applications to Staffordshire intake 2027 closed on 10 February 2027." in _text(response)
    assert Application.objects.count() == 0


def test_eligibility_for_a_cohort_already_applied_to_goes_to_the_application(
    client, applicant, draft, cohort
):
    client.force_login(applicant)

    response = client.post(reverse("hps:eligibility", kwargs={"pk": cohort.pk}), ELIGIBLE_POST)

    assert response["Location"] == f"/hps/applications/{draft.pk}/"
    assert Application.objects.count() == 1


# --- The application page ------------------------------------------------------------------------


def test_a_new_draft_shows_the_task_list(client, applicant, draft):
    client.force_login(applicant)

    text = _text(client.get(reverse("hps:application_detail", kwargs={"pk": draft.pk})))

    assert text.count('<strong class="nhsuk-tag nhsuk-tag--blue">Incomplete</strong>') == 4
    assert text.count("nhsuk-task-list__status--cannot-start-yet") == 2
    assert f'href="/hps/applications/{draft.pk}/role/"' in text
    assert f'href="/hps/applications/{draft.pk}/terms/"' not in text
    assert 'href="/account/equality-monitoring/"' in text
    assert "Assessors never see it" in text


def test_a_complete_draft_offers_check_and_submit(client, applicant, complete_draft):
    client.force_login(applicant)

    text = _text(client.get(reverse("hps:application_detail", kwargs={"pk": complete_draft.pk})))

    # 5 sections, equality monitoring, and check and submit: none of them "cannot start yet".
    assert text.count('<div class="nhsuk-task-list__status" id="section-') == 7
    assert f'href="/hps/applications/{complete_draft.pk}/check/"' in text


def test_a_submitted_application_shows_its_status_history_and_sponsor(client, applicant, cohort):
    application = ApplicationFactory(
        awaiting_sponsor=True, applicant=applicant, cohort=cohort, sponsor_email="morgan.ellis@nhs.test"
    )
    ApplicationTransition.objects.create(
        application=application, from_status=Status.DRAFT, to_status=Status.SUBMITTED, by=applicant, at=NOW
    )
    SponsorInvitationFactory(application=application, created_at=NOW)
    client.force_login(applicant)

    text = _text(client.get(reverse("hps:application_detail", kwargs={"pk": application.pk})))

    assert '<strong class="nhsuk-tag nhsuk-tag--yellow">Waiting for sponsor</strong>' in text
    assert "Waiting for morgan.ellis@nhs.test to sign." in text
    assert '<td class="nhsuk-table__cell">1 February 2027</td>' in text
    assert '<td class="nhsuk-table__cell">Submitted</td>' in text
    assert "withdraw your application" in text


def test_a_declined_sponsor_shows_the_reason_and_a_way_to_name_another(client, applicant, cohort):
    application = ApplicationFactory(awaiting_sponsor=True, applicant=applicant, cohort=cohort)
    SponsorInvitationFactory(
        application=application, created_at=NOW, declined_at=NOW, used_at=NOW, decline_reason="I am retiring"
    )
    client.force_login(applicant)

    text = _text(client.get(reverse("hps:application_detail", kwargs={"pk": application.pk})))

    assert "The reason they gave: I am retiring" in text
    assert (
        f'href="/hps/applications/{application.pk}/sponsor/" role="button" draggable="false">'
        "Name another sponsor" in text
    )


@pytest.mark.parametrize("transitions", [1, 8])
def test_application_page_query_count_does_not_grow(
    client, django_assert_num_queries, applicant, cohort, transitions
):
    application = ApplicationFactory(awaiting_sponsor=True, applicant=applicant, cohort=cohort)
    for _index in range(transitions):
        ApplicationTransition.objects.create(
            application=application, from_status=Status.DRAFT, to_status=Status.SUBMITTED, by=applicant
        )
    SponsorInvitationFactory(application=application)
    client.force_login(applicant)
    client.get(reverse("hps:application_detail", kwargs={"pk": application.pk}))

    with django_assert_num_queries(7):
        response = client.get(reverse("hps:application_detail", kwargs={"pk": application.pk}))

    assert len(response.context["history"]) == transitions


def test_draft_page_query_count(client, django_assert_num_queries, applicant, complete_draft):
    client.force_login(applicant)
    client.get(reverse("hps:application_detail", kwargs={"pk": complete_draft.pk}))

    with django_assert_num_queries(5):
        client.get(reverse("hps:application_detail", kwargs={"pk": complete_draft.pk}))


# --- The steps -----------------------------------------------------------------------------------


def _step(application, step):
    return reverse("hps:application_step", kwargs={"pk": application.pk, "step": step})


def test_role_step_is_prefilled_and_saves_then_goes_to_the_stream(client, applicant, draft, trust):
    client.force_login(applicant)

    shown = client.get(_step(draft, "role"))
    saved = client.post(
        _step(draft, "role"),
        {"job_title": "Deputy director", "organisation": trust.pk, "pay_band": _band("AFC8C").pk},
    )

    assert [label for _value, label in shown.context["form"].fields["pay_band"].choices] == [
        "Band 8a",
        "Band 8b",
        "Band 8c",
    ]
    assert saved["Location"] == _step(draft, "stream")
    draft.refresh_from_db()
    assert (draft.job_title, draft.organisation, draft.pay_band) == ("Deputy director", trust, _band("AFC8C"))


def test_a_forged_band_outside_the_range_is_an_error_and_changes_nothing(client, applicant, draft, trust):
    client.force_login(applicant)
    before = _state()

    response = client.post(
        _step(draft, "role"),
        {"job_title": "Deputy director", "organisation": trust.pk, "pay_band": _band("AFC8D").pk},
    )

    assert response.status_code == 200
    assert _errors(response) == {
        "pay_band": ["Your pay band must be Band 8a, Band 8b or Band 8c for this intake"]
    }
    assert _state() == before


def test_stream_step_shows_the_scheme_descriptions_as_hints(client, applicant, draft):
    client.force_login(applicant)

    text = _text(client.get(_step(draft, "stream")))

    assert (
        '<div class="nhsuk-hint nhsuk-radios__hint" id="id_development_stream-item-hint">'
        "For a leader moving towards managing a range of teams." in text
    )
    assert (
        'id="id_development_stream-2-item-hint">'
        "For a leader moving towards leading a whole function or service" in text
    )


def test_statements_step_has_word_counts_and_refuses_over_long_text(client, applicant, draft):
    client.force_login(applicant)
    before = _state()

    shown = client.get(_step(draft, "statements"))
    response = client.post(
        _step(draft, "statements"),
        {
            "motivation_statement": "",
            "leadership_statement": " ".join(["word"] * 520),
            "transition_statement": "I want to lead a service.",
        },
    )

    assert _text(shown).count('data-maxwords="500" data-count-type="words"') == 3
    assert _text(shown).count("You can enter up to 500 words") == 3
    assert _errors(response) == {
        "motivation_statement": ["Enter why you want to join the scheme"],
        "leadership_statement": [
            "How you show compassionate and inclusive leadership must be 500 words or fewer. "
            "You have entered 520 words"
        ],
    }
    assert _state() == before


def test_sponsor_step_refuses_the_applicant_naming_themselves(client, applicant, draft):
    client.force_login(applicant)
    before = _state()

    response = client.post(
        _step(draft, "sponsor"),
        {"sponsor_relationship": "line_manager", "sponsor_email": "Imani.Okafor@nhs.test"},
    )

    assert _errors(response) == {"sponsor_email": ["Your sponsor must be someone else"]}
    assert _state() == before


def test_sponsor_step_refuses_an_invalid_email(client, applicant, draft):
    client.force_login(applicant)

    response = client.post(
        _step(draft, "sponsor"), {"sponsor_relationship": "line_manager", "sponsor_email": "morgan"}
    )

    assert _errors(response) == {
        "sponsor_email": ["Enter an email address in the correct format, like name@example.com"]
    }


def test_the_terms_step_cannot_start_before_the_other_sections(client, applicant, draft):
    client.force_login(applicant)
    before = _state()

    response = client.post(
        _step(draft, "terms"), {"full_name": "Imani Okafor", "is_declaration_confirmed": "true"}
    )

    assert response["Location"] == f"/hps/applications/{draft.pk}/"
    assert _state() == before


def test_terms_step_shows_the_terms_and_refuses_a_name_that_does_not_match(client, applicant, complete_draft):
    complete_draft.applicant_signed_at = None
    complete_draft.save()
    client.force_login(applicant)
    before = _state()

    shown = client.get(_step(complete_draft, "terms"))
    response = client.post(
        _step(complete_draft, "terms"), {"full_name": "Someone Else", "is_declaration_confirmed": "true"}
    )

    assert "<p>You will take part for 24 months.</p>" in _text(shown)
    assert "Terms and conditions (version 2.1)" in _text(shown)
    assert _errors(response) == {"full_name": ["Enter your full name as it is on your account: Imani Okafor"]}
    assert _state() == before


def test_signing_the_terms_goes_to_check_your_answers(client, applicant, complete_draft):
    client.force_login(applicant)

    response = client.post(
        _step(complete_draft, "terms"), {"full_name": "IMANI okafor", "is_declaration_confirmed": "true"}
    )

    assert response["Location"] == f"/hps/applications/{complete_draft.pk}/check/"
    complete_draft.refresh_from_db()
    assert (complete_draft.applicant_signed_name, complete_draft.applicant_signed_at) == ("IMANI okafor", NOW)


def test_a_change_from_check_your_answers_returns_there(client, applicant, complete_draft):
    client.force_login(applicant)

    response = client.post(f"{_step(complete_draft, 'stream')}?from=check", {"development_stream": "2"})

    assert response["Location"] == f"/hps/applications/{complete_draft.pk}/check/"


@pytest.mark.parametrize("step", ["role", "stream", "statements", "sponsor", "terms"])
def test_a_forged_post_to_a_submitted_application_changes_nothing(client, applicant, cohort, trust, step):
    application = ApplicationFactory(awaiting_sponsor=True, applicant=applicant, cohort=cohort)
    SponsorInvitationFactory(application=application)
    client.force_login(applicant)
    before = _state()

    response = client.post(
        _step(application, step),
        {
            "job_title": "Forged",
            "organisation": trust.pk,
            "pay_band": _band("AFC8A").pk,
            "development_stream": "2",
            "motivation_statement": "Forged",
            "leadership_statement": "Forged",
            "transition_statement": "Forged",
            "sponsor_relationship": "line_manager",
            "sponsor_email": "forged@nhs.test",
            "full_name": "Imani Okafor",
            "is_declaration_confirmed": "true",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == f"/hps/applications/{application.pk}/"
    assert _state() == before


def test_someone_elses_draft_id_is_a_404_and_changes_nothing(client, stranger, draft):
    client.force_login(stranger)
    before = _state()

    responses = [
        client.post(_step(draft, "stream"), {"development_stream": "2"}),
        client.post(reverse("hps:application_check", kwargs={"pk": draft.pk})),
        client.post(reverse("hps:application_withdraw", kwargs={"pk": draft.pk})),
    ]

    assert [response.status_code for response in responses] == [404, 404, 404]
    assert _state() == before


# --- Check your answers and submit ---------------------------------------------------------------


def test_check_your_answers_lists_every_answer_with_change_links(client, applicant, complete_draft):
    client.force_login(applicant)

    text = _text(client.get(reverse("hps:application_check", kwargs={"pk": complete_draft.pk})))

    for expected in (
        '<dd class="nhsuk-summary-list__value">Head of nursing</dd>',
        '<dd class="nhsuk-summary-list__value">North Staffordshire Combined Healthcare NHS Trust</dd>',
        '<dd class="nhsuk-summary-list__value">Band 8b</dd>',
        "Development stream 1: moving towards managing a range of teams, or senior technical expert",
        '<dd class="nhsuk-summary-list__value">morgan.ellis@nhs.test</dd>',
        f'<a href="/hps/applications/{complete_draft.pk}/role/?from=check">Change',
        f'<a href="/hps/applications/{complete_draft.pk}/terms/?from=check">Change',
        "Submit application",
    ):
        assert expected in text


def test_check_your_answers_waits_for_every_section(client, applicant, draft):
    client.force_login(applicant)

    response = client.get(reverse("hps:application_check", kwargs={"pk": draft.pk}))

    assert response["Location"] == f"/hps/applications/{draft.pk}/"


def test_submitting_sends_the_application_to_the_sponsor(client, applicant, complete_draft):
    client.force_login(applicant)

    response = client.post(reverse("hps:application_check", kwargs={"pk": complete_draft.pk}))

    assert response["Location"] == f"/hps/applications/{complete_draft.pk}/"
    complete_draft.refresh_from_db()
    assert (complete_draft.status, complete_draft.submitted_at) == (Status.AWAITING_SPONSOR, NOW)
    assert SponsorInvitation.objects.get().email == "morgan.ellis@nhs.test"
    followed = client.get(response["Location"])
    assert "Application submitted. We have asked morgan.ellis@nhs.test to sign" in _text(followed)
    assert "Waiting for morgan.ellis@nhs.test to sign." in _text(followed)


def test_submitting_after_the_closing_date_shows_why_and_changes_nothing(client, applicant, complete_draft):
    before = _state()

    with time_machine.travel(datetime.datetime(2027, 2, 11, 8, 0, tzinfo=LONDON), tick=False):
        client.force_login(applicant)
        response = client.post(reverse("hps:application_check", kwargs={"pk": complete_draft.pk}))

    assert response.status_code == 200
    text = _text(response)
    assert "<title>Error: " in text
    assert (
        "<li>Applications to Staffordshire intake 2027 closed on 10 February 2027. "
        "You can no longer submit this application</li>" in text
    )
    assert _state() == before


# --- After submitting ----------------------------------------------------------------------------


def test_naming_another_sponsor_sends_a_new_invitation(client, applicant, cohort):
    application = ApplicationFactory(awaiting_sponsor=True, applicant=applicant, cohort=cohort)
    SponsorInvitationFactory(
        application=application, created_at=NOW, declined_at=NOW, used_at=NOW, decline_reason="No"
    )
    client.force_login(applicant)

    shown = client.get(_step(application, "sponsor"))
    response = client.post(
        _step(application, "sponsor"),
        {"sponsor_relationship": "senior_sponsor", "sponsor_email": "sam@nhs.test"},
    )

    assert "Name another sponsor" in _text(shown)
    assert response["Location"] == f"/hps/applications/{application.pk}/"
    assert SponsorInvitation.objects.order_by("-pk").first().email == "sam@nhs.test"
    application.refresh_from_db()
    assert (application.status, application.sponsor_email) == (Status.AWAITING_SPONSOR, "sam@nhs.test")


def test_withdrawing_asks_for_confirmation_then_withdraws(client, applicant, cohort):
    application = ApplicationFactory(eligibility_review=True, applicant=applicant, cohort=cohort)
    client.force_login(applicant)
    url = reverse("hps:application_withdraw", kwargs={"pk": application.pk})

    shown = client.get(url)
    response = client.post(url, {"reason": "I have a new job"})

    assert "Are you sure you want to withdraw your application?" in _text(shown)
    assert response["Location"] == f"/hps/applications/{application.pk}/"
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    assert ApplicationTransition.objects.get().reason == "I have a new job"


def test_a_withdrawn_application_cannot_be_withdrawn_again(client, applicant, cohort):
    application = ApplicationFactory(withdrawn=True, applicant=applicant, cohort=cohort)
    client.force_login(applicant)
    before = _state()

    response = client.post(reverse("hps:application_withdraw", kwargs={"pk": application.pk}))

    assert response["Location"] == f"/hps/applications/{application.pk}/"
    assert _state() == before


def test_an_offer_can_be_accepted(client, applicant, cohort):
    application = ApplicationFactory(offered=True, applicant=applicant, cohort=cohort)
    client.force_login(applicant)

    detail = client.get(reverse("hps:application_detail", kwargs={"pk": application.pk}))
    response = client.post(reverse("hps:application_offer_accept", kwargs={"pk": application.pk}))

    assert "You have been offered a place" in _text(detail)
    assert response["Location"] == f"/hps/applications/{application.pk}/"
    application.refresh_from_db()
    assert application.status == Status.ACCEPTED


def test_an_offer_can_be_declined_with_a_reason(client, applicant, cohort):
    application = ApplicationFactory(offered=True, applicant=applicant, cohort=cohort)
    client.force_login(applicant)

    client.post(
        reverse("hps:application_offer_decline", kwargs={"pk": application.pk}), {"reason": "Caring duties"}
    )

    application.refresh_from_db()
    assert application.status == Status.DECLINED
    assert ApplicationTransition.objects.get().reason == "Caring duties"


def test_a_forged_accept_before_an_offer_changes_nothing(client, applicant, cohort):
    application = ApplicationFactory(shortlisted=True, applicant=applicant, cohort=cohort)
    client.force_login(applicant)
    before = _state()

    response = client.post(reverse("hps:application_offer_accept", kwargs={"pk": application.pk}))

    assert response["Location"] == f"/hps/applications/{application.pk}/"
    assert _state() == before
