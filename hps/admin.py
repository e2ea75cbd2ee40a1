"""High Potential Scheme cohorts in the Django admin, for system administrators: read only.

Cohorts are set up and changed by their HPS administrators in the service (`/hps/administer/`), where
the rules and the audit trail apply. Applications are not listed here: they hold applicants' personal
statements, which only the cohort's administrators read (and every read is audited).
"""

from django.contrib import admin

from hps.models import Cohort


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ("name", "opens_on", "closes_on", "starts_on", "capacity", "terms_version")
    search_fields = ("name",)
    ordering = ("-opens_on", "name")
    fields = (
        "name",
        "integrated_care_systems",
        "eligible_pay_bands",
        "opens_on",
        "closes_on",
        "starts_on",
        "capacity",
        "terms_version",
        "terms_text",
        "administrators",
        "created_by",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
