"""The admin for system administrators: users, roles, staff profiles, organisations and reference data.

Equality monitoring answers are deliberately absent: `EqualityProfile` is not registered and no inline
shows it, so not even a system administrator can read one person's answers.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.forms import (
    RoleAssignmentAdminForm,
    StaffProfileAdminForm,
    UserAdminChangeForm,
    UserAdminCreationForm,
)
from accounts.models import (
    IntegratedCareSystem,
    Organisation,
    OrganisationType,
    PayBand,
    Region,
    RoleAssignment,
    StaffGroup,
    StaffProfile,
    User,
)
from core.admin import AuditedModelAdmin

# Permissions come from `rules` predicates and roles, never from Django's groups and permission tables
# (see accounts/backends.py), so groups would grant nothing: they are not offered.
admin.site.unregister(Group)


class ValidTodayListFilter(admin.SimpleListFilter):
    """Rows valid today, or rows that have ended or not yet started."""

    title = "valid today"
    parameter_name = "valid_today"

    def lookups(self, request, model_admin):
        return [("yes", "Yes"), ("no", "No")]

    def queryset(self, request, queryset):
        current = queryset.model.objects.current()
        if self.value() == "yes":
            return queryset.filter(pk__in=current.values("pk"))
        if self.value() == "no":
            return queryset.exclude(pk__in=current.values("pk"))
        return queryset


class ReferenceDataAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "valid_from", "valid_to")
    list_filter = (ValidTodayListFilter,)
    search_fields = ("code", "name")
    ordering = ("name",)


@admin.register(Region)
class RegionAdmin(ReferenceDataAdmin):
    pass


@admin.register(IntegratedCareSystem)
class IntegratedCareSystemAdmin(ReferenceDataAdmin):
    list_display = ("code", "ons_code", "name", "region", "valid_from", "valid_to")
    list_filter = ("region", ValidTodayListFilter)
    list_select_related = ("region",)
    search_fields = ("code", "ons_code", "name")


@admin.register(OrganisationType)
class OrganisationTypeAdmin(ReferenceDataAdmin):
    pass


@admin.register(PayBand)
class PayBandAdmin(ReferenceDataAdmin):
    list_display = ("code", "name", "sort_order", "is_agenda_for_change", "valid_from", "valid_to")
    list_filter = ("is_agenda_for_change", ValidTodayListFilter)
    ordering = ("sort_order",)


@admin.register(StaffGroup)
class StaffGroupAdmin(ReferenceDataAdmin):
    list_display = ("code", "name", "is_clinical", "valid_from", "valid_to")
    list_filter = ("is_clinical", ValidTodayListFilter)


@admin.register(Organisation)
class OrganisationAdmin(ReferenceDataAdmin):
    list_display = ("code", "name", "organisation_type", "integrated_care_system", "valid_from", "valid_to")
    list_filter = ("organisation_type", "integrated_care_system__region", ValidTodayListFilter)
    list_select_related = ("organisation_type", "integrated_care_system")
    autocomplete_fields = ("integrated_care_system",)


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    form = StaffProfileAdminForm
    fk_name = "user"
    can_delete = False
    extra = 0
    max_num = 1
    autocomplete_fields = ("organisation", "line_manager")
    fields = (
        "organisation",
        "job_title",
        "pay_band",
        "staff_group",
        "line_manager",
        "line_manager_since",
        "esr_assignment_number",
        "is_active",
    )


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    form = RoleAssignmentAdminForm
    fk_name = "user"
    extra = 0
    autocomplete_fields = ("region", "integrated_care_system", "organisation")
    fields = ("role", "scope", "region", "integrated_care_system", "organisation", "valid_from", "valid_to")


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):
    """People who can sign in. Passwords are changed through the separate password form."""

    form = UserAdminChangeForm
    add_form = UserAdminCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Personal details", {"fields": ("first_name", "last_name")}),
        (
            "Permissions",
            {
                "fields": ("is_active", "is_staff", "is_superuser"),
                "description": (
                    "Superusers are system administrators: they use this admin and must set up an "
                    "authenticator app. Give roles such as talent lead in the role assignments below."
                ),
            },
        ),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "first_name", "last_name", "usable_password", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")
    filter_horizontal = ()
    list_display = (
        "email",
        "first_name",
        "last_name",
        "organisation",
        "is_active",
        "is_superuser",
        "last_login",
    )
    list_filter = ("is_active", "is_staff", "is_superuser", "role_assignments__role")
    list_select_related = ("staff_profile__organisation",)
    search_fields = ("email", "first_name", "last_name")
    ordering = ("email",)
    inlines = (StaffProfileInline, RoleAssignmentInline)

    @admin.display(description="Organisation", ordering="staff_profile__organisation__name")
    def organisation(self, user):
        profile = getattr(user, "staff_profile", None)
        return profile.organisation if profile is not None else "-"

    def get_inlines(self, request, obj):
        # A person's employment and roles are added once the account exists.
        return self.inlines if obj is not None else ()


@admin.register(StaffProfile)
class StaffProfileAdmin(AuditedModelAdmin):
    form = StaffProfileAdminForm
    list_display = (
        "user",
        "job_title",
        "organisation",
        "pay_band",
        "staff_group",
        "line_manager",
        "is_active",
    )
    list_filter = ("is_active", "pay_band", "staff_group")
    list_select_related = ("user", "organisation", "pay_band", "staff_group", "line_manager")
    search_fields = (
        "user__email",
        "user__first_name",
        "user__last_name",
        "job_title",
        "esr_assignment_number",
    )
    autocomplete_fields = ("user", "organisation", "line_manager")
    ordering = ("user__email",)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedModelAdmin):
    form = RoleAssignmentAdminForm
    list_display = ("user", "role", "scope", "target", "valid_from", "valid_to", "is_current")
    list_filter = ("role", "scope")
    list_select_related = ("user", "region", "integrated_care_system", "organisation")
    search_fields = ("user__email", "user__first_name", "user__last_name")
    autocomplete_fields = ("user", "region", "integrated_care_system", "organisation")
    ordering = ("user__email", "role")

    @admin.display(description="Where")
    def target(self, assignment):
        return assignment.organisation or assignment.integrated_care_system or assignment.region or "England"

    @admin.display(description="Current", boolean=True)
    def is_current(self, assignment):
        today = timezone.localdate()
        return assignment.valid_from <= today and (
            assignment.valid_to is None or assignment.valid_to >= today
        )
