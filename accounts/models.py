"""People, organisations, reference data, equality monitoring and role assignments."""

import rules
from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.models import TimeStampedModel


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in with their email address."""

    username = None
    email = models.EmailField("email address", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        ordering = ["last_name", "first_name", "email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def is_system_administrator(self) -> bool:
        return self.is_active and self.is_superuser

    def has_perm(self, perm, obj=None) -> bool:
        """Domain permissions come only from `rules`: a superuser gets no bypass to people's records.

        Django's own model permissions (the admin) keep the usual superuser behaviour.
        """
        if rules.perm_exists(perm):
            return self.is_active and rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)


class ReferenceDataQuerySet(models.QuerySet):
    def current(self, on=None):
        """Rows valid on a date (today by default)."""
        on = on or timezone.localdate()
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on)
        )


class ReferenceData(models.Model):
    """Seeded, admin-editable lookup data with validity dates."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    objects = ReferenceDataQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Region(ReferenceData):
    """An NHS England region (ODS code such as Y60)."""


class IntegratedCareSystem(ReferenceData):
    """An integrated care system and its board. `code` is the ICB's ODS code, such as QNC."""

    ons_code = models.CharField("ONS code", max_length=9, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="integrated_care_systems")

    class Meta(ReferenceData.Meta):
        verbose_name = "integrated care system"


class OrganisationType(ReferenceData):
    """Kind of employing organisation: NHS trust, ICB, local authority and so on."""


class PayBand(ReferenceData):
    """An Agenda for Change band or another pay structure. `sort_order` orders bands by seniority."""

    sort_order = models.PositiveSmallIntegerField(default=0)
    is_agenda_for_change = models.BooleanField(default=True)

    class Meta(ReferenceData.Meta):
        ordering = ["sort_order"]


class StaffGroup(ReferenceData):
    """An NHS workforce statistics staff group, flagged clinical or non-clinical (WRES indicator 1)."""

    is_clinical = models.BooleanField()


class Organisation(ReferenceData):
    """An employing organisation. `code` is its ODS code."""

    organisation_type = models.ForeignKey(OrganisationType, on_delete=models.PROTECT, related_name="+")
    integrated_care_system = models.ForeignKey(
        IntegratedCareSystem, on_delete=models.PROTECT, related_name="organisations"
    )


class StaffProfile(TimeStampedModel):
    """A person's employment: where they work, their band and group, and who manages them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="staff_profiles")
    job_title = models.CharField(max_length=200)
    pay_band = models.ForeignKey(PayBand, on_delete=models.PROTECT, related_name="+")
    staff_group = models.ForeignKey(StaffGroup, on_delete=models.PROTECT, related_name="+")
    line_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="direct_report_profiles",
    )
    # When the current line manager took over: their view of older records depends on it.
    line_manager_since = models.DateField(null=True, blank=True)
    esr_assignment_number = models.CharField("ESR assignment number", max_length=20, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(line_manager=models.F("user")), name="staff_profile_not_own_line_manager"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.job_title}, {self.organisation})"


class EthnicCategory(models.TextChoices):
    """NHS Data Dictionary ETHNIC CATEGORY (2001 census, 16+1) with Z not stated and 99 not known."""

    WHITE_BRITISH = "A", "White - British"
    WHITE_IRISH = "B", "White - Irish"
    WHITE_OTHER = "C", "White - Any other White background"
    MIXED_WHITE_BLACK_CARIBBEAN = "D", "Mixed - White and Black Caribbean"
    MIXED_WHITE_BLACK_AFRICAN = "E", "Mixed - White and Black African"
    MIXED_WHITE_ASIAN = "F", "Mixed - White and Asian"
    MIXED_OTHER = "G", "Mixed - Any other mixed background"
    ASIAN_INDIAN = "H", "Asian or Asian British - Indian"
    ASIAN_PAKISTANI = "J", "Asian or Asian British - Pakistani"
    ASIAN_BANGLADESHI = "K", "Asian or Asian British - Bangladeshi"
    ASIAN_OTHER = "L", "Asian or Asian British - Any other Asian background"
    BLACK_CARIBBEAN = "M", "Black or Black British - Caribbean"
    BLACK_AFRICAN = "N", "Black or Black British - African"
    BLACK_OTHER = "P", "Black or Black British - Any other Black background"
    CHINESE = "R", "Other ethnic groups - Chinese"
    OTHER = "S", "Other ethnic groups - Any other ethnic group"
    NOT_STATED = "Z", "Prefer not to say"
    NOT_KNOWN = "99", "Not known"


class Sex(models.TextChoices):
    """Sex (ISO 5218 as used by the NHS), with 'prefer not to say' for staff self-declaration."""

    MALE = "1", "Male"
    FEMALE = "2", "Female"
    NOT_SPECIFIED = "9", "Prefer not to say"
    NOT_KNOWN = "0", "Not known"


class GenderIdentity(models.TextChoices):
    """NHS Data Dictionary GENDER IDENTITY CODE."""

    MALE = "1", "Male (including trans man)"
    FEMALE = "2", "Female (including trans woman)"
    NON_BINARY = "3", "Non-binary"
    OTHER = "4", "Other (not listed)"
    NOT_STATED = "Z", "Prefer not to say"
    NOT_KNOWN = "X", "Not known"


class YesNoNotStated(models.TextChoices):
    YES = "Y", "Yes"
    NO = "N", "No"
    NOT_STATED = "Z", "Prefer not to say"
    NOT_KNOWN = "X", "Not known"


class SexualOrientation(models.TextChoices):
    """NHS Data Dictionary PERSON STATED SEXUAL ORIENTATION CODE, plus X not recorded."""

    HETEROSEXUAL = "1", "Heterosexual or straight"
    GAY_OR_LESBIAN = "2", "Gay or lesbian"
    BISEXUAL = "3", "Bisexual"
    OTHER = "4", "Other sexual orientation not listed"
    UNSURE = "U", "Not sure"
    NOT_STATED = "Z", "Prefer not to say"
    NOT_KNOWN = "X", "Not known"


class ReligionGroup(models.TextChoices):
    """NHS Data Dictionary RELIGIOUS OR OTHER BELIEF SYSTEM AFFILIATION GROUP CODE."""

    BAHAI = "A", "Baha'i"
    BUDDHIST = "B", "Buddhist"
    CHRISTIAN = "C", "Christian"
    HINDU = "D", "Hindu"
    JAIN = "E", "Jain"
    JEWISH = "F", "Jewish"
    MUSLIM = "G", "Muslim"
    PAGAN = "H", "Pagan"
    SIKH = "I", "Sikh"
    ZOROASTRIAN = "J", "Zoroastrian"
    OTHER = "K", "Other"
    NONE = "L", "No religion"
    NOT_STATED = "M", "Prefer not to say"
    NOT_KNOWN = "N", "Not known"


class AgeBand(models.TextChoices):
    UNDER_25 = "U25", "Under 25"
    FROM_25_TO_34 = "25_34", "25 to 34"
    FROM_35_TO_44 = "35_44", "35 to 44"
    FROM_45_TO_54 = "45_54", "45 to 54"
    FROM_55_TO_64 = "55_64", "55 to 64"
    OVER_65 = "65P", "65 or over"
    NOT_STATED = "Z", "Prefer not to say"
    NOT_KNOWN = "X", "Not known"


class EqualityProfile(TimeStampedModel):
    """Equality monitoring answers (UK GDPR special category data).

    Kept apart from every other table. Only its owner reads or changes it through the service;
    reporting reads it only in aggregate. Age band only: never a date of birth.
    """

    class Source(models.TextChoices):
        SELF = "self", "Declared by the person"
        ESR = "esr", "Imported from ESR"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="equality_profile"
    )
    ethnic_category = models.CharField(max_length=2, choices=EthnicCategory, default=EthnicCategory.NOT_KNOWN)
    sex = models.CharField(max_length=1, choices=Sex, default=Sex.NOT_KNOWN)
    gender_identity = models.CharField(max_length=1, choices=GenderIdentity, default=GenderIdentity.NOT_KNOWN)
    gender_same_as_birth = models.CharField(
        "gender identity the same as sex registered at birth",
        max_length=1,
        choices=YesNoNotStated,
        default=YesNoNotStated.NOT_KNOWN,
    )
    sexual_orientation = models.CharField(
        max_length=1, choices=SexualOrientation, default=SexualOrientation.NOT_KNOWN
    )
    religion_group = models.CharField(
        "religion or belief", max_length=1, choices=ReligionGroup, default=ReligionGroup.NOT_KNOWN
    )
    disability = models.CharField(max_length=1, choices=YesNoNotStated, default=YesNoNotStated.NOT_KNOWN)
    age_band = models.CharField(max_length=5, choices=AgeBand, default=AgeBand.NOT_KNOWN)
    source = models.CharField(max_length=4, choices=Source, default=Source.SELF)

    def __str__(self) -> str:
        return f"Equality profile {self.pk}"


class Role(models.TextChoices):
    TALENT_LEAD = "talent_lead", "Talent lead"
    HPS_ADMINISTRATOR = "hps_administrator", "HPS programme administrator"
    COACH = "coach", "Career coach"


class Scope(models.TextChoices):
    NATIONAL = "national", "National"
    REGION = "region", "Region"
    ICS = "ics", "Integrated care system"
    ORGANISATION = "organisation", "Organisation"


class RoleAssignmentQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))


class RoleAssignment(TimeStampedModel):
    """A role given to a person, limited to an organisation, an ICS, a region or all of England."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(max_length=30, choices=Role)
    scope = models.CharField(max_length=20, choices=Scope)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    integrated_care_system = models.ForeignKey(
        IntegratedCareSystem, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    valid_from = models.DateField(default=timezone.localdate)
    valid_to = models.DateField(null=True, blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="role_assignment_scope_matches_target",
                condition=(
                    Q(
                        scope="national",
                        region__isnull=True,
                        integrated_care_system__isnull=True,
                        organisation__isnull=True,
                    )
                    | Q(
                        scope="region",
                        region__isnull=False,
                        integrated_care_system__isnull=True,
                        organisation__isnull=True,
                    )
                    | Q(
                        scope="ics",
                        region__isnull=True,
                        integrated_care_system__isnull=False,
                        organisation__isnull=True,
                    )
                    | Q(
                        scope="organisation",
                        region__isnull=True,
                        integrated_care_system__isnull=True,
                        organisation__isnull=False,
                    )
                ),
            )
        ]

    def __str__(self) -> str:
        target = self.organisation or self.integrated_care_system or self.region or "England"
        return f"{self.get_role_display()} for {target}"
