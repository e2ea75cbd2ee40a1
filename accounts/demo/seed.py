"""Writing the demo plan to the database: a few bulk queries, matched on codes and email addresses."""

from dataclasses import asdict, dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.demo.organisations import OrganisationPlan, Post
from accounts.demo.plan import DEFAULT_STAFF_COUNT, DEMO_EMAIL_DOMAIN, DemoPlan, DemoSignIn, build_plan
from accounts.models import (
    EqualityProfile,
    IntegratedCareSystem,
    Organisation,
    OrganisationType,
    PayBand,
    Region,
    RoleAssignment,
    Scope,
    StaffGroup,
    StaffProfile,
    User,
)
from accounts.roles import requires_mfa

# Published in the README and printed by the command: demo sign-ins only, never in production.
DEMO_PASSWORD = "scope-for-growth-demo"  # noqa: S105
# A fixed salt keeps the demo password's hash the same from one run to the next, so seeding again
# writes nothing and signs nobody out. It is only ever used for this published demo password.
_DEMO_PASSWORD_SALT = "scopeforgrowthdemosalt1"  # noqa: S105

_USER_FIELDS = ["first_name", "last_name", "is_active", "is_staff", "is_superuser", "password"]
_STAFF_PROFILE_FIELDS = [
    "organisation_id",
    "job_title",
    "pay_band_id",
    "staff_group_id",
    "line_manager_id",
    "esr_assignment_number",
    "is_active",
]


class MissingReferenceDataError(Exception):
    """Reference data the demo needs is not in the database (the seed migration has not run)."""


@dataclass(frozen=True)
class SeedResult:
    organisation_count: int
    staff_count: int
    equality_profile_count: int
    created_user_count: int
    updated_user_count: int
    sign_ins: tuple[DemoSignIn, ...]
    has_demo_password: bool
    # Emails of the sign-ins that must set up an authenticator app before they see anything.
    needs_authenticator_app: frozenset[str]


@dataclass(frozen=True)
class _ReferenceData:
    regions: dict[str, Region]
    integrated_care_systems: dict[str, IntegratedCareSystem]
    organisation_types: dict[str, OrganisationType]
    pay_bands: dict[str, PayBand]
    staff_groups: dict[str, StaffGroup]


def seed_demo(*, staff_count: int = DEFAULT_STAFF_COUNT, with_demo_password: bool) -> SeedResult:
    """Create or bring back the demo organisations, staff and sign-ins; running it again changes nothing.

    The demo sign-ins get `DEMO_PASSWORD` when `with_demo_password` is true and an unusable password
    otherwise. Generated staff never get a usable password. Equality answers are only added for people
    who have none, so answers someone has changed themselves are kept. Raises ValueError for a staff
    count out of range and MissingReferenceDataError before writing anything if reference data is missing.
    """
    plan = build_plan(staff_count)
    with transaction.atomic():
        reference = _load_reference_data(plan)
        organisations = _save_organisations(plan, reference)
        users, created_count, updated_count = _save_users(plan, with_demo_password=with_demo_password)
        _save_staff_profiles(plan, users, organisations, reference)
        equality_profile_count = _add_missing_equality_profiles(plan, users)
        _save_role_assignments(plan, users, organisations, reference)
    sign_in_emails = {sign_in.email for sign_in in plan.sign_ins}
    return SeedResult(
        organisation_count=len(plan.organisations),
        staff_count=len(plan.people),
        equality_profile_count=equality_profile_count,
        created_user_count=created_count,
        updated_user_count=updated_count,
        sign_ins=plan.sign_ins,
        has_demo_password=with_demo_password,
        needs_authenticator_app=frozenset(email for email in sign_in_emails if requires_mfa(users[email])),
    )


def _posts(organisation: OrganisationPlan) -> list[Post]:
    posts = [organisation.chief_executive]
    for directorate in organisation.directorates:
        posts.append(directorate.director)
        for service in directorate.services:
            posts.append(service.head)
            for team in service.teams:
                posts.extend([team.manager, *team.members])
    return posts


def _load_reference_data(plan: DemoPlan) -> _ReferenceData:
    posts = [post for organisation in plan.organisations for post in _posts(organisation)]
    role_plans = [sign_in.role for sign_in in plan.sign_ins if sign_in.role]
    needed = {
        "regions": (
            Region,
            {"Y60"} | {role.target_code for role in role_plans if role.scope == Scope.REGION},
        ),
        "integrated_care_systems": (
            IntegratedCareSystem,
            {organisation.integrated_care_system for organisation in plan.organisations}
            | {role.target_code for role in role_plans if role.scope == Scope.ICS},
        ),
        "organisation_types": (
            OrganisationType,
            {organisation.organisation_type for organisation in plan.organisations},
        ),
        "pay_bands": (PayBand, {post.pay_band for post in posts}),
        "staff_groups": (StaffGroup, {post.staff_group for post in posts}),
    }
    found = {}
    missing = []
    for name, (model, codes) in needed.items():
        found[name] = model.objects.in_bulk(sorted(codes), field_name="code")
        if absent := sorted(codes - found[name].keys()):
            missing.append(f"{model._meta.verbose_name_plural} {', '.join(absent)}")
    if missing:
        raise MissingReferenceDataError(
            f"Reference data is missing ({'; '.join(missing)}). "
            "Run `python manage.py migrate` to load it, then run seed_demo again."
        )
    return _ReferenceData(**found)


def _save_organisations(plan: DemoPlan, reference: _ReferenceData) -> dict[str, Organisation]:
    organisations = {}
    for organisation in plan.organisations:
        organisations[organisation.code], _ = Organisation.objects.update_or_create(
            code=organisation.code,
            defaults={
                "name": organisation.name,
                "organisation_type": reference.organisation_types[organisation.organisation_type],
                "integrated_care_system": reference.integrated_care_systems[
                    organisation.integrated_care_system
                ],
            },
        )
    return organisations


def _demo_users() -> dict[str, User]:
    return {user.email: user for user in User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}")}


def _save_users(plan: DemoPlan, *, with_demo_password: bool) -> tuple[dict[str, User], int, int]:
    sign_ins = {sign_in.email: sign_in for sign_in in plan.sign_ins}
    demo_password_hash = (
        make_password(DEMO_PASSWORD, salt=_DEMO_PASSWORD_SALT) if with_demo_password else None
    )
    wanted = [(person.email, person.first_name, person.last_name) for person in plan.people]
    wanted += [
        (sign_in.email, sign_in.first_name, sign_in.last_name)
        for sign_in in plan.sign_ins
        if sign_in.is_system_administrator
    ]
    existing = _demo_users()
    to_create, to_update = [], []
    for email, first_name, last_name in wanted:
        sign_in = sign_ins.get(email)
        is_administrator = bool(sign_in and sign_in.is_system_administrator)
        user = existing.get(email) or User(email=email, password=make_password(None))
        before = [getattr(user, name) for name in _USER_FIELDS]
        user.first_name, user.last_name = first_name, last_name
        user.is_active = True
        user.is_staff = user.is_superuser = is_administrator
        if sign_in and demo_password_hash:
            user.password = demo_password_hash
        elif sign_in and user.has_usable_password():
            user.set_unusable_password()
        if user.pk is None:
            to_create.append(user)
        elif [getattr(user, name) for name in _USER_FIELDS] != before:
            to_update.append(user)
    User.objects.bulk_create(to_create)
    User.objects.bulk_update(to_update, _USER_FIELDS)
    return _demo_users(), len(to_create), len(to_update)


def _save_staff_profiles(
    plan: DemoPlan,
    users: dict[str, User],
    organisations: dict[str, Organisation],
    reference: _ReferenceData,
) -> None:
    existing = {
        profile.user_id: profile
        for profile in StaffProfile.objects.filter(user__email__endswith=f"@{DEMO_EMAIL_DOMAIN}")
    }
    now = timezone.now()
    to_create, to_update = [], []
    for person in plan.people:
        user = users[person.email]
        wanted = {
            "organisation_id": organisations[person.organisation_code].pk,
            "job_title": person.post.title,
            "pay_band_id": reference.pay_bands[person.post.pay_band].pk,
            "staff_group_id": reference.staff_groups[person.post.staff_group].pk,
            "line_manager_id": users[person.manager_email].pk if person.manager_email else None,
            "esr_assignment_number": person.esr_assignment_number,
            "is_active": True,
        }
        profile = existing.get(user.pk)
        if profile is None:
            to_create.append(StaffProfile(user=user, **wanted))
        elif any(getattr(profile, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(profile, name, value)
            profile.updated_at = now
            to_update.append(profile)
    StaffProfile.objects.bulk_create(to_create)
    StaffProfile.objects.bulk_update(to_update, [*_STAFF_PROFILE_FIELDS, "updated_at"])


def _add_missing_equality_profiles(plan: DemoPlan, users: dict[str, User]) -> int:
    """Add planned answers only for people without a profile; return how many demo staff have one."""
    user_ids_with_profile = set(
        EqualityProfile.objects.filter(user__email__endswith=f"@{DEMO_EMAIL_DOMAIN}").values_list(
            "user_id", flat=True
        )
    )
    to_create = [
        EqualityProfile(user=users[person.email], **asdict(person.equality))
        for person in plan.people
        if person.equality and users[person.email].pk not in user_ids_with_profile
    ]
    EqualityProfile.objects.bulk_create(to_create)
    planned_user_ids = {users[person.email].pk for person in plan.people}
    return len(planned_user_ids & user_ids_with_profile) + len(to_create)


def _save_role_assignments(
    plan: DemoPlan,
    users: dict[str, User],
    organisations: dict[str, Organisation],
    reference: _ReferenceData,
) -> None:
    for sign_in in plan.sign_ins:
        if sign_in.role is None:
            continue
        role = sign_in.role
        RoleAssignment.objects.get_or_create(
            user=users[sign_in.email],
            role=role.role,
            scope=role.scope,
            region=reference.regions[role.target_code] if role.scope == Scope.REGION else None,
            integrated_care_system=(
                reference.integrated_care_systems[role.target_code] if role.scope == Scope.ICS else None
            ),
            organisation=organisations[role.target_code] if role.scope == Scope.ORGANISATION else None,
            valid_to=None,
        )
