"""Reads of the plan, each starting from what the viewer may see."""

from __future__ import annotations

from typing import TYPE_CHECKING

from orchestrator.core.models import Item

from .charts import line_chart
from .models import Metric, Objective

if TYPE_CHECKING:
    from orchestrator.people.models import User


def metric_panel(user: User | None, metric: Metric) -> dict:
    """A metric's page: its objective (if the viewer may see it), measurements and their chart."""
    measurements = list(metric.measurements.all())
    objective = (
        Item.objects.visible_to(user).filter(pk=metric.measures_id).first()
        if metric.measures_id
        else None
    )
    return {
        "metric": metric,
        "objective": objective,
        "measurements": measurements,
        "chart": line_chart(metric, measurements),
        "can_measure": bool(user and user.has_perm("planning.maintain_plan")),
    }


def objective_panel(user: User | None, objective: Objective) -> dict:
    """An objective's page: the metrics of it that the viewer may see."""
    visible = Item.objects.visible_to(user).values("pk")
    return {
        "objective": objective,
        "metrics": list(
            Metric.objects.filter(measures=objective, pk__in=visible).order_by("title")
        ),
    }
