"""Django admin for the plan, read-only: it changes through the planning services."""

from django.contrib import admin

from orchestrator.core.admin import ItemAdmin, ReadOnlyAdmin

from .models import Measurement, Metric, Objective


@admin.register(Objective)
class ObjectiveAdmin(ItemAdmin):
    pass


@admin.register(Metric)
class MetricAdmin(ItemAdmin):
    pass


@admin.register(Measurement)
class MeasurementAdmin(ReadOnlyAdmin):
    list_display = ["metric", "measured_on", "value", "source"]
