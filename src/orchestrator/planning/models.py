"""Strategic objectives and success metrics, with the measurements that show progress."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from orchestrator.core.models import Item


class Direction(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class Objective(Item):
    """A strategic objective of the Orchestrator's plan."""

    KIND = "objective"
    KIND_LABEL = "Strategic objective"
    KIND_PLURAL = "Strategic objectives"
    REQUIRED_FIELDS = ("summary", "body")
    MIN_BODY_LENGTH = 200
    GUIDANCE = (
        "State the objective as an outcome for the energy system, say why it matters, and name the "
        "success metrics that will show whether it is being met."
    )


class Metric(Item):
    """A success metric: what is measured, in what unit, which way is better, from where to where."""

    KIND = "metric"
    KIND_LABEL = "Success metric"
    KIND_PLURAL = "Success metrics"
    ATTRIBUTES = ("unit", "direction", "baseline", "target", "target_date")
    REQUIRED_FIELDS = ("summary", "unit")
    GUIDANCE = (
        "Say what is counted and how, in which unit, whether higher or lower is better, the baseline, "
        "and the target with the date it should be reached; record each measurement with its source."
    )

    # Not `objective`: every Item already has that name, for the objective it may itself be.
    measures = models.ForeignKey(
        Objective,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="metrics",
        help_text="The objective this metric shows progress towards",
    )
    unit = models.CharField(max_length=60, blank=True, help_text="e.g. %, organisations, days")
    direction = models.CharField(max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    baseline = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    target = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    target_date = models.DateField(null=True, blank=True)


class Measurement(models.Model):
    """One measurement of a metric, on a date, from a named source."""

    metric = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="measurements")
    value = models.DecimalField(max_digits=20, decimal_places=4)
    measured_on = models.DateField()
    source = models.CharField(max_length=500)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["measured_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["metric", "measured_on"], name="one_measurement_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.metric_id} = {self.value} on {self.measured_on}"
