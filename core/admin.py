"""The Django admin: for system administrators only, reached through the service's own sign-in.

The admin's own sign-in form takes a password and nothing else, so it would step around the
authenticator app that system administrators must use. Its sign-in page therefore sends people to
the service's sign-in (django-allauth, with MFA), and the whole admin is closed to everyone but
system administrators (the `core.use_admin` rule), whatever their `is_staff` flag or model permissions.
"""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from core.audit import audit, snapshot
from core.models import AuditEvent

admin.site.site_header = "Scope for Growth administration"
admin.site.site_title = "Scope for Growth administration"
admin.site.index_title = "Users, organisations, roles and reference data"


def has_admin_permission(request) -> bool:
    """Only system administrators may use any page of the admin."""
    return request.user.is_authenticated and request.user.has_perm("core.use_admin")


@login_not_required
def admin_sign_in(request, extra_context=None):
    """Replace the admin's password-only sign-in with the service's sign-in, which asks for MFA."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("admin:index")
    if not request.user.is_authenticated:
        return redirect_to_login(next_url)
    if has_admin_permission(request):
        return redirect(next_url)
    raise PermissionDenied


# The default site is set up by django.contrib.admin before this module is imported; these two
# attributes are read when the admin URLs are built and on every admin request.
admin.site.has_permission = has_admin_permission
admin.site.login = admin_sign_in


def _concrete_snapshot(instance) -> dict:
    return snapshot(instance, fields=[field.name for field in instance._meta.concrete_fields])


def _stored_snapshot(instance) -> dict | None:
    if instance.pk is None:
        return None
    stored = type(instance)._default_manager.filter(pk=instance.pk).first()
    return _concrete_snapshot(stored) if stored is not None else None


def _verb(instance, action: str) -> str:
    return f"admin_{instance._meta.model_name}_{action}"


class AuditedModelAdmin(admin.ModelAdmin):
    """A ModelAdmin that writes an audit event for every add, change and delete, inlines included."""

    def save_model(self, request, obj, form, change):
        before = _stored_snapshot(obj) if change else None
        super().save_model(request, obj, form, change)
        audit(
            actor=request.user,
            action=AuditEvent.Action.UPDATE if change else AuditEvent.Action.CREATE,
            verb=_verb(obj, "change" if change else "add"),
            instance=obj,
            before=before,
            after=_concrete_snapshot(obj),
        )

    def delete_model(self, request, obj):
        self._audit_delete(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self._audit_delete(request, obj)
        super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        for deleted_form in formset.deleted_forms:
            if deleted_form.instance.pk is not None:
                # The form has already copied its data onto the instance: record what was stored.
                self._audit_delete(
                    request, deleted_form.instance, before=_stored_snapshot(deleted_form.instance)
                )
        befores = {
            initial_form.instance.pk: _stored_snapshot(initial_form.instance)
            for initial_form in formset.initial_forms
            if initial_form.has_changed()
        }
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            audit(
                actor=request.user,
                action=AuditEvent.Action.CREATE,
                verb=_verb(obj, "add"),
                instance=obj,
                after=_concrete_snapshot(obj),
            )
        for obj, _changed_fields in formset.changed_objects:
            audit(
                actor=request.user,
                action=AuditEvent.Action.UPDATE,
                verb=_verb(obj, "change"),
                instance=obj,
                before=befores.get(obj.pk),
                after=_concrete_snapshot(obj),
            )

    def _audit_delete(self, request, obj, *, before=None):
        audit(
            actor=request.user,
            action=AuditEvent.Action.DELETE,
            verb=_verb(obj, "delete"),
            instance=obj,
            before=before or _concrete_snapshot(obj),
        )


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit trail, read-only: nobody adds, changes or deletes an audit event through the admin."""

    list_display = ("occurred_at", "actor", "action", "verb", "object_type", "object_id", "object_repr")
    list_filter = ("action",)
    search_fields = ("verb", "object_type", "object_id", "object_repr", "actor__email")
    list_select_related = ("actor",)
    ordering = ("-occurred_at", "-id")
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
