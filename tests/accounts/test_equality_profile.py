import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.forms import EQUALITY_QUESTIONS
from accounts.models import (
    AgeBand,
    EqualityProfile,
    EthnicCategory,
    GenderIdentity,
    ReligionGroup,
    Sex,
    SexualOrientation,
    YesNoNotStated,
)
from accounts.services import equality_profile_update
from core.models import AuditEvent
from tests.accounts.factories import EqualityProfileFactory, give_totp

pytestmark = pytest.mark.django_db

SUMMARY_URL = reverse("accounts:equality_profile")
EDIT_URL = reverse("accounts:equality_profile_edit")
TITLE_END = " \N{EN DASH} Scope for Growth \N{EN DASH} NHS</title>"

# A full set of answers, each one distinctive enough to spot on any page.
ANSWERS = {
    "ethnic_category": EthnicCategory.ASIAN_BANGLADESHI,
    "sex": Sex.FEMALE,
    "gender_identity": GenderIdentity.NON_BINARY,
    "gender_same_as_birth": YesNoNotStated.NO,
    "sexual_orientation": SexualOrientation.BISEXUAL,
    "religion_group": ReligionGroup.ZOROASTRIAN,
    "disability": YesNoNotStated.YES,
    "age_band": AgeBand.FROM_45_TO_54,
}
ANSWER_LABELS = [
    "Asian or Asian British - Bangladeshi",
    "Non-binary",
    "Bisexual",
    "Zoroastrian",
    "45 to 54",
]


def _post_data(**overrides):
    data = {name: str(value) for name, value in ANSWERS.items()}
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def _profile_values(user):
    profile = EqualityProfile.objects.filter(user=user).first()
    if profile is None:
        return None
    return {name: getattr(profile, name) for name in [*ANSWERS, "source"]}


@pytest.fixture
def owners_profile(individual):
    """The individual has answered every question, including religion: Zoroastrian."""
    return EqualityProfileFactory(user=individual, **ANSWERS)


# --- The summary page -------------------------------------------------------------------------------


def test_summary_explains_why_and_who_can_see_and_shows_not_answered(client, individual):
    client.force_login(individual)

    response = client.get(SUMMARY_URL)

    content = response.content.decode()
    assert response.status_code == 200
    assert f"<title>Your equality monitoring information{TITLE_END}" in content
    assert "treat everyone fairly" in content
    assert "Workforce Race Equality Standard and Workforce Disability Equality Standard" in content
    assert "Nobody can see your answers with your name on them" in content
    assert "your line manager, talent leads and the people who run this service" in content
    assert (
        "Where a total is so small that someone could be identified from it, the total is hidden" in content
    )
    assert 'You can answer "Prefer not to say" to any question' in content
    assert "You can change your answers at any time" in content
    assert content.count("Not answered") == 8
    assert [(answer.question, answer.answer) for answer in response.context["answers"]] == [
        (question.summary_label, "Not answered") for question in EQUALITY_QUESTIONS.values()
    ]


def test_summary_shows_the_owners_answers_with_change_links(client, individual, owners_profile):
    client.force_login(individual)

    response = client.get(SUMMARY_URL)

    content = response.content.decode()
    assert [(answer.question, answer.answer) for answer in response.context["answers"]] == [
        ("Ethnic group", "Asian or Asian British - Bangladeshi"),
        ("Sex", "Female"),
        ("Gender identity", "Non-binary"),
        ("Gender identity the same as sex registered at birth", "No"),
        ("Sexual orientation", "Bisexual"),
        ("Religion or belief", "Zoroastrian"),
        ("Disability or long-term health condition", "Yes"),
        ("Age", "45 to 54"),
    ]
    assert "Not answered" not in content
    assert (
        f'<a href="{EDIT_URL}#id_religion_group">Change'
        '<span class="nhsuk-u-visually-hidden"> religion or belief</span></a>'
    ) in content
    assert content.count(f'href="{EDIT_URL}#id_') == 8


def test_summary_shows_not_answered_for_questions_left_not_known(client, individual):
    EqualityProfileFactory(user=individual, religion_group=ReligionGroup.ZOROASTRIAN, source="esr")
    client.force_login(individual)

    response = client.get(SUMMARY_URL)

    answers = {answer.field_name: answer.answer for answer in response.context["answers"]}
    assert answers["religion_group"] == "Zoroastrian"
    assert [name for name, answer in answers.items() if answer == "Not answered"] == [
        name for name in ANSWERS if name != "religion_group"
    ]


def test_summary_page_query_count(client, individual, owners_profile, django_assert_num_queries):
    client.force_login(individual)

    with django_assert_num_queries(8):
        response = client.get(SUMMARY_URL)

    assert response.status_code == 200


def test_pages_with_answers_are_never_cached(client, individual, owners_profile):
    client.force_login(individual)

    for url in (SUMMARY_URL, EDIT_URL):
        cache_control = client.get(url)["Cache-Control"]

        assert "no-store" in cache_control
        assert "private" in cache_control


def test_anonymous_person_is_asked_to_sign_in(client):
    for url in (SUMMARY_URL, EDIT_URL):
        response = client.get(url)

        assert response.status_code == 302
        assert response["Location"] == f"{reverse('account_login')}?next={url}"


# --- The change form --------------------------------------------------------------------------------


def test_form_offers_prefer_not_to_say_for_every_question_and_never_not_known(client, individual):
    client.force_login(individual)

    response = client.get(EDIT_URL)

    content = response.content.decode()
    assert response.status_code == 200
    assert f"<title>Change your equality monitoring information{TITLE_END}" in content
    assert content.count('type="radio"') == 17 + 3 + 5 + 3 + 6 + 13 + 3 + 7
    assert content.count(">Prefer not to say</label>") == 8
    assert "Not known" not in content
    assert 'value="99"' not in content
    for question in EQUALITY_QUESTIONS.values():
        assert question.text in content
    assert (
        '<label class="nhsuk-label nhsuk-radios__label" for="id_ethnic_category">White - British</label>'
        in (content)
    )
    assert "checked" not in content


def test_form_shows_the_current_answers_and_leaves_unknown_ones_unselected(client, individual):
    EqualityProfileFactory(user=individual, religion_group=ReligionGroup.ZOROASTRIAN)
    client.force_login(individual)

    response = client.get(EDIT_URL)

    content = response.content.decode()
    assert response.context["form"].initial == {"religion_group": "J"}
    assert 'name="religion_group" type="radio" value="J" checked>' in content
    assert content.count(" checked>") == 1


def test_form_page_query_count(client, individual, owners_profile, django_assert_num_queries):
    client.force_login(individual)

    with django_assert_num_queries(8):
        response = client.get(EDIT_URL)

    assert response.status_code == 200


def test_owner_gives_answers_for_the_first_time(client, individual):
    client.force_login(individual)

    response = client.post(EDIT_URL, _post_data())

    assert response.status_code == 302
    assert response["Location"] == SUMMARY_URL
    assert _profile_values(individual) == {**ANSWERS, "source": "self"}
    summary = client.get(SUMMARY_URL).content.decode()
    assert "Your equality monitoring information has been saved" in summary
    assert "Zoroastrian" in summary


def test_owner_changes_answers(client, individual, owners_profile):
    client.force_login(individual)

    response = client.post(
        EDIT_URL, _post_data(religion_group=ReligionGroup.NOT_STATED, age_band=AgeBand.FROM_55_TO_64)
    )

    assert response.status_code == 302
    assert _profile_values(individual) == {
        **ANSWERS,
        "religion_group": ReligionGroup.NOT_STATED,
        "age_band": AgeBand.FROM_55_TO_64,
        "source": "self",
    }
    assert EqualityProfile.objects.filter(user=individual).count() == 1


def test_every_question_can_be_answered_prefer_not_to_say(client, individual):
    client.force_login(individual)
    prefer_not_to_say = {
        "ethnic_category": "Z",
        "sex": "9",
        "gender_identity": "Z",
        "gender_same_as_birth": "Z",
        "sexual_orientation": "Z",
        "religion_group": "M",
        "disability": "Z",
        "age_band": "Z",
    }

    response = client.post(EDIT_URL, prefer_not_to_say)

    assert response.status_code == 302
    assert _profile_values(individual) == {**prefer_not_to_say, "source": "self"}
    summary = client.get(SUMMARY_URL).content.decode()
    assert summary.count('<dd class="nhsuk-summary-list__value">Prefer not to say</dd>') == 8


@pytest.mark.parametrize(
    ("field_name", "value", "error"),
    [
        ("religion_group", "N", "Select your religion or belief, or &#x27;Prefer not to say&#x27;"),
        ("ethnic_category", "99", "Select your ethnic group, or &#x27;Prefer not to say&#x27;"),
        ("sex", "0", "Select your sex, or &#x27;Prefer not to say&#x27;"),
        ("age_band", "42", "Select your age group, or &#x27;Prefer not to say&#x27;"),
        ("gender_identity", "<script>", "Select your gender identity, or &#x27;Prefer not to say&#x27;"),
        ("disability", "", "Select whether you have a disability or long-term health condition"),
        ("sexual_orientation", None, "Select your sexual orientation, or &#x27;Prefer not to say&#x27;"),
    ],
)
def test_invalid_or_missing_answers_change_nothing(
    client, individual, owners_profile, field_name, value, error
):
    client.force_login(individual)
    before = _profile_values(individual)

    # Everything else is a change, so a save would show.
    response = client.post(
        EDIT_URL, _post_data(**{"religion_group": "L", "age_band": "Z", field_name: value})
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert content.startswith("<!DOCTYPE html>")
    assert "<title>Error: Change your equality monitoring information" in content
    assert '<h2 class="nhsuk-error-summary__heading">There is a problem</h2>' in content
    assert f'<a href="#id_{field_name}">{error}' in content
    assert _profile_values(individual) == before
    assert not AuditEvent.objects.filter(verb="equality_profile_update").exists()


def test_an_empty_form_saves_nothing_and_lists_every_question(client, individual):
    client.force_login(individual)

    response = client.post(EDIT_URL, {})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == list(EQUALITY_QUESTIONS)
    assert not EqualityProfile.objects.filter(user=individual).exists()


def test_form_ignores_attempts_to_write_someone_elses_profile(client, individual, stranger):
    client.force_login(stranger)

    response = client.post(f"{EDIT_URL}?user={individual.pk}", {**_post_data(), "user": individual.pk})

    assert response.status_code == 302
    assert _profile_values(individual) is None
    assert _profile_values(stranger) == {**ANSWERS, "source": "self"}


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_not_allowed(client, individual, method):
    client.force_login(individual)

    assert getattr(client, method)(EDIT_URL).status_code == 405
    assert getattr(client, method)(SUMMARY_URL).status_code == 405


# --- The service and its audit event -----------------------------------------------------------------


def test_service_creates_the_profile_and_audits_which_questions_changed_without_answers(individual):
    profile = equality_profile_update(user=individual, data=dict(ANSWERS))

    event = AuditEvent.objects.get(verb="equality_profile_update")
    assert (event.actor, event.action, event.object_type, event.object_id) == (
        individual,
        AuditEvent.Action.CREATE,
        "accounts.equalityprofile",
        str(profile.pk),
    )
    assert event.before is None
    assert event.after == {"changed_fields": sorted(ANSWERS)}
    assert event.object_repr == f"Equality profile {profile.pk}"
    _assert_no_answers_in(event)


def test_service_audits_only_the_changed_questions(individual, owners_profile):
    equality_profile_update(
        user=individual, data={**ANSWERS, "religion_group": ReligionGroup.NONE, "sex": Sex.NOT_SPECIFIED}
    )

    event = AuditEvent.objects.get(verb="equality_profile_update")
    assert event.action == AuditEvent.Action.UPDATE
    assert event.before is None
    assert event.after == {"changed_fields": ["religion_group", "sex"]}
    _assert_no_answers_in(event)


def test_service_records_that_the_person_confirmed_answers_imported_from_esr(individual):
    EqualityProfileFactory(user=individual, source=EqualityProfile.Source.ESR, **ANSWERS)

    equality_profile_update(user=individual, data=dict(ANSWERS))

    assert EqualityProfile.objects.get(user=individual).source == EqualityProfile.Source.SELF
    assert AuditEvent.objects.get(verb="equality_profile_update").after == {"changed_fields": ["source"]}


def test_saving_the_same_answers_again_writes_nothing(individual, owners_profile):
    updated_at = owners_profile.updated_at

    equality_profile_update(user=individual, data=dict(ANSWERS))

    assert EqualityProfile.objects.get(user=individual).updated_at == updated_at
    assert not AuditEvent.objects.filter(verb="equality_profile_update").exists()


def test_service_leaves_out_questions_not_given(individual, owners_profile):
    equality_profile_update(user=individual, data={"age_band": AgeBand.OVER_65})

    assert _profile_values(individual) == {**ANSWERS, "age_band": AgeBand.OVER_65, "source": "self"}


@pytest.mark.parametrize(
    "data",
    [
        {"religion_group": ReligionGroup.NOT_KNOWN},
        {"ethnic_category": "Q"},
        {"date_of_birth": "1980-01-01"},
        {"source": "esr"},
    ],
)
def test_service_refuses_codes_a_person_cannot_choose(individual, owners_profile, data):
    before = _profile_values(individual)

    with pytest.raises(ValidationError):
        equality_profile_update(user=individual, data=data)

    assert _profile_values(individual) == before
    assert not AuditEvent.objects.exists()


def _assert_no_answers_in(event):
    recorded = json.dumps([event.before, event.after, event.object_repr])
    for label in [*ANSWER_LABELS, "Female", "Yes"]:
        assert label not in recorded
    for code in {str(value) for value in ANSWERS.values()}:
        assert f'"{code}"' not in recorded


# --- Nobody else can see the answers -----------------------------------------------------------------


@pytest.fixture
def owner_with_answers(client, individual):
    """The individual gives their answers through the page, so the audit trail has an event too."""
    client.force_login(individual)
    assert client.post(EDIT_URL, _post_data()).status_code == 302
    client.logout()
    return individual


VIEWERS = ["line_manager", "talent_lead", "hps_administrator", "coach", "system_administrator", "stranger"]


@pytest.mark.parametrize("viewer_role", VIEWERS)
def test_nobody_else_sees_the_owners_answers_on_any_page(request, client, owner_with_answers, viewer_role):
    viewer = request.getfixturevalue(viewer_role)
    give_totp(viewer)
    client.force_login(viewer)
    pages = [
        reverse("core:home"),
        reverse("accounts:account"),
        SUMMARY_URL,
        EDIT_URL.replace("change/", "") + f"?user={owner_with_answers.pk}",
        reverse("admin:index"),
        reverse("admin:accounts_user_changelist"),
        reverse("admin:accounts_user_change", args=[owner_with_answers.pk]),
        reverse("admin:accounts_staffprofile_change", args=[owner_with_answers.staff_profile.pk]),
        reverse("admin:core_auditevent_changelist"),
    ]
    event = AuditEvent.objects.get(verb="equality_profile_update")
    pages.append(reverse("admin:core_auditevent_change", args=[event.pk]))

    for page in pages:
        response = client.get(page, follow=True)
        content = response.content.decode()
        assert response.status_code in {200, 403}, page
        for label in ANSWER_LABELS:
            assert label not in content, (page, label)
    summary = client.get(SUMMARY_URL)
    assert {answer.answer for answer in summary.context["answers"]} == {"Not answered"}


def test_system_administrator_reaches_the_owners_admin_pages_without_their_answers(
    client, owner_with_answers, system_administrator_with_mfa
):
    client.force_login(system_administrator_with_mfa)

    response = client.get(reverse("admin:accounts_user_change", args=[owner_with_answers.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert owner_with_answers.email in content
    assert "equality" not in content.lower()
    for label in ANSWER_LABELS:
        assert label not in content
