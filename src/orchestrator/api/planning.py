"""The plan in the API: add strategic objectives and success metrics, record and read measurements."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import Field, Router, Schema, Status

from orchestrator.core.selectors import get_visible_item
from orchestrator.people.models import Organisation
from orchestrator.planning import services
from orchestrator.planning.models import Direction, Metric, Objective

from .api import WRITE_ERRORS, ItemOut, OptionalToken, RequireToken
from .representations import item_detail

router = Router(tags=["planning"], auth=RequireToken())


class PlanItemIn(Schema):
    owner: str = Field(..., description="The slug of the owner organisation")
    title: str = Field(..., max_length=300)
    summary: str = Field("", max_length=2000)
    body: str = ""


class MetricIn(PlanItemIn):
    unit: str = Field("", max_length=60)
    direction: str = Field(Direction.HIGHER, description="higher or lower (which is better)")
    baseline: str | None = Field(None, description="A number, as text")
    target: str | None = Field(None, description="A number, as text")
    target_date: dt.date | None = None
    measures: str | None = Field(None, description="The uid of the objective it measures")


class MeasurementIn(Schema):
    value: str = Field(..., description="A number, as text")
    measured_on: dt.date
    source: str = Field(..., max_length=500)


class MeasurementOut(Schema):
    measured_on: dt.date
    value: str
    source: str


def _owner(slug: str) -> Organisation:
    owner = Organisation.objects.filter(slug=slug).first()
    if owner is None:
        raise DjangoValidationError({"owner": f"No organisation “{slug}”."})
    return owner


@router.post("/objectives", response={201: ItemOut, **WRITE_ERRORS})
def create_objective(request, payload: PlanItemIn):
    """Add a strategic objective, as a draft."""
    objective = services.create_objective(
        actor=request.auth,
        owner=_owner(payload.owner),
        title=payload.title,
        summary=payload.summary,
        body=payload.body,
    )
    return Status(201, item_detail(request.auth, get_visible_item(request.auth, objective.uid)))


@router.post("/metrics", response={201: ItemOut, **WRITE_ERRORS})
def create_metric(request, payload: MetricIn):
    """Add a success metric, as a draft; a target needs a unit and a date."""
    measures = (
        get_visible_item(request.auth, payload.measures, Objective) if payload.measures else None
    )
    metric = services.create_metric(
        actor=request.auth,
        owner=_owner(payload.owner),
        title=payload.title,
        summary=payload.summary,
        body=payload.body,
        unit=payload.unit,
        direction=payload.direction,
        baseline=payload.baseline,
        target=payload.target,
        target_date=payload.target_date,
        measures=measures,
    )
    return Status(201, item_detail(request.auth, get_visible_item(request.auth, metric.uid)))


@router.post("/metrics/{uid}/measurements", response={201: MeasurementOut, **WRITE_ERRORS})
def record_measurement(request, uid: str, payload: MeasurementIn):
    """Record a measurement of a metric (one a day), with its source."""
    metric = get_visible_item(request.auth, uid, Metric)
    m = services.record_measurement(
        actor=request.auth,
        metric=metric,
        value=payload.value,
        measured_on=payload.measured_on,
        source=payload.source,
    )
    return Status(
        201, {"measured_on": m.measured_on, "value": f"{m.value.normalize():f}", "source": m.source}
    )


@router.get(
    "/metrics/{uid}/measurements",
    response={200: list[MeasurementOut], 404: dict},
    auth=OptionalToken(),
)
def measurements(request, uid: str):
    """A metric's measurements, oldest first: the numbers its chart draws."""
    metric = get_visible_item(request.auth, uid, Metric)
    return [
        {"measured_on": m.measured_on, "value": f"{m.value.normalize():f}", "source": m.source}
        for m in metric.measurements.all()
    ]
