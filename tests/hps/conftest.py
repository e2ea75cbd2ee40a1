"""Fixtures shared by the coach's and the sponsor's participant tests: one scheme under way."""

import datetime

import pytest

from tests.accounts.factories import UserFactory, give_totp
from tests.hps.factories import ParticipantFactory, UnderWayCohortFactory

SCHEME_STARTS_ON = datetime.date(2027, 3, 1)


@pytest.fixture
def administrator(hps_administrator):
    give_totp(hps_administrator)
    return hps_administrator


@pytest.fixture
def cohort(administrator):
    return UnderWayCohortFactory(
        name="Staffordshire and Stoke-on-Trent March 2027",
        starts_on=SCHEME_STARTS_ON,
        administrators=[administrator],
    )


@pytest.fixture
def sponsor(db):
    return UserFactory(email="morgan.ellis@nhs.test", first_name="Morgan", last_name="Ellis")


@pytest.fixture
def participant(cohort, coach, sponsor):
    user = UserFactory(email="amara.osei@nhs.test", first_name="Amara", last_name="Osei")
    return ParticipantFactory(user=user, cohort=cohort, coach=coach, sponsor=sponsor)


@pytest.fixture
def participant_user(participant):
    return participant.user
