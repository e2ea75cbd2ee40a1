"""Scope for Growth reference data for system administrators.

The framework's impact-level labels are data (the official wording is not published), so a system
administrator edits them here. A level already used in a record cannot be deleted; the record keeps
pointing at the label it was agreed with.
"""

from django.contrib import admin

from conversations.models import BarrierType, FrameworkVersion, ImpactLevel, LeadershipDimension
from core.admin import AuditedModelAdmin


class ImpactLevelInline(admin.TabularInline):
    model = ImpactLevel
    extra = 0
    fields = ("order", "label", "description")


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(AuditedModelAdmin):
    list_display = ("name", "effective_from")
    ordering = ("-effective_from",)
    inlines = [ImpactLevelInline]


@admin.register(LeadershipDimension)
class LeadershipDimensionAdmin(AuditedModelAdmin):
    list_display = ("name", "code", "order")
    ordering = ("order",)


@admin.register(BarrierType)
class BarrierTypeAdmin(AuditedModelAdmin):
    list_display = ("name", "code", "order", "is_active")
    list_filter = ("is_active",)
    ordering = ("order",)
