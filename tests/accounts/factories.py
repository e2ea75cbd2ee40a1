import time

import factory
from factory.django import DjangoModelFactory
from faker import Faker

from accounts.models import (
    EqualityProfile,
    IntegratedCareSystem,
    Organisation,
    OrganisationType,
    PayBand,
    Region,
    Role,
    RoleAssignment,
    Scope,
    StaffGroup,
    StaffProfile,
    User,
)

_FAKE = Faker("en_GB")
TEST_PASSWORD = "correct-horse-battery-staple"


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "Y60"
    name = "Midlands"


class IntegratedCareSystemFactory(DjangoModelFactory):
    class Meta:
        model = IntegratedCareSystem
        django_get_or_create = ("code",)

    code = "QNC"
    ons_code = "E54000010"
    name = "Staffordshire and Stoke-on-Trent"
    region = factory.SubFactory(RegionFactory)


class OrganisationTypeFactory(DjangoModelFactory):
    class Meta:
        model = OrganisationType
        django_get_or_create = ("code",)

    code = "NHS_FT"
    name = "NHS foundation trust"


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T{n:04d}")
    name = factory.Sequence(lambda n: f"Test NHS Foundation Trust {n}")
    organisation_type = factory.SubFactory(OrganisationTypeFactory)
    integrated_care_system = factory.SubFactory(IntegratedCareSystemFactory)


class PayBandFactory(DjangoModelFactory):
    class Meta:
        model = PayBand
        django_get_or_create = ("code",)

    code = "AFC6"
    name = "Band 6"
    sort_order = 60


class StaffGroupFactory(DjangoModelFactory):
    class Meta:
        model = StaffGroup
        django_get_or_create = ("code",)

    code = "NURSES"
    name = "Nurses and health visitors"
    is_clinical = True


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@nhs.test")
    first_name = factory.Faker("first_name", locale="en_GB")
    # Without apostrophes (O'Connor): tests compare names with HTML, which escapes them.
    last_name = factory.LazyFunction(lambda: _FAKE.last_name().replace("'", ""))
    password = factory.django.Password(TEST_PASSWORD)


class StaffProfileFactory(DjangoModelFactory):
    class Meta:
        model = StaffProfile
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    job_title = "Staff nurse"
    pay_band = factory.SubFactory(PayBandFactory)
    staff_group = factory.SubFactory(StaffGroupFactory)
    line_manager = None
    esr_assignment_number = factory.Sequence(lambda n: f"{10000000 + n}")
    is_active = True


class EqualityProfileFactory(DjangoModelFactory):
    class Meta:
        model = EqualityProfile
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)


class RoleAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = Role.TALENT_LEAD
    scope = Scope.NATIONAL


def give_totp(user) -> str:
    """Activate an authenticator app for the user and return its secret."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str) -> str:
    """The code an authenticator app would show now for this secret."""
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    counter = int(time.time()) // app_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))
