"""Django admin for the plan, read-only: it changes through the planning services."""

from django.contrib import admin

from orchestrator.core.admin import ItemAdmin, ReadOnlyAdmin

from .models import (
    Activity,
    Assignment,
    Assumption,
    Dependency,
    Escalation,
    Feature,
    Investment,
    Issue,
    Measurement,
    Metric,
    Milestone,
    Objective,
    PlanVersion,
    Risk,
)

for model in (
    Objective,
    Metric,
    Investment,
    Milestone,
    Risk,
    Issue,
    Assumption,
    Dependency,
    PlanVersion,
):
    admin.site.register(model, ItemAdmin)


@admin.register(Measurement)
class MeasurementAdmin(ReadOnlyAdmin):
    list_display = ["metric", "measured_on", "value", "source"]


@admin.register(Feature)
class FeatureAdmin(ReadOnlyAdmin):
    list_display = ["investment", "name", "target_date", "delivered_on"]


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdmin):
    list_display = ["item", "escalated_at", "responded_at"]


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ["name", "investment", "work_area"]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ["activity", "part", "organisation", "role"]
