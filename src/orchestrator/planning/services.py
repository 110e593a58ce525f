"""Writes to the plan: objectives, success metrics and their measurements. Each checks, validates, audits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from orchestrator.core import audit
from orchestrator.core.errors import Conflict, PermissionDenied, ValidationError
from orchestrator.core.models import Item
from orchestrator.core.services import create_item

from .models import Direction, Measurement, Metric, Objective

if TYPE_CHECKING:
    from orchestrator.people.models import Organisation, User

MAX_SOURCE = 500
# Ten digits before the point, four after: what the columns hold.
LIMIT = Decimal("1e16")


def _require(actor: User) -> None:
    if not actor.has_perm("planning.maintain_plan"):
        raise PermissionDenied(
            "Only the Portfolio Management Team and the Organisation Leader maintain the plan."
        )


def _number(name: str, value: Any, *, required: bool = False) -> Decimal | None:
    if value is None or value == "":
        if required:
            raise ValidationError({name: "Give a number."})
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({name: f"“{value}” is not a number."}) from None
    if not number.is_finite() or abs(number) >= LIMIT:
        raise ValidationError({name: "Give a finite number under 10¹⁶."})
    return number.quantize(Decimal("0.0001"))


def create_objective(
    *, actor: User, owner: Organisation, title: str, summary: str = "", body: str = ""
) -> Objective:
    """A strategic objective, as a draft until triaged and published."""
    _require(actor)
    return create_item(
        actor=actor,
        owner=owner,
        model=Objective,
        title=title,
        summary=summary,
        body=body,
        permission="planning.maintain_plan",
    )


def _metric_fields(
    *,
    actor: User,
    unit: str,
    direction: str,
    baseline: Any,
    target: Any,
    target_date: dt.date | None,
    measures: Objective | None,
) -> dict[str, Any]:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {"unit": (unit or "").strip(), "target_date": target_date}
    if direction not in Direction.values:
        errors["direction"] = "Say whether higher or lower is better."
    values["direction"] = direction
    for name, value in (("baseline", baseline), ("target", target)):
        try:
            values[name] = _number(name, value)
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if values.get("target") is not None and not values["unit"]:
        errors["unit"] = "A metric with a target needs a unit: say what the numbers count."
    if values.get("target") is not None and target_date is None:
        errors["target_date"] = "Say by when the target should be reached."
    if measures is not None:
        seen = Item.objects.visible_to(actor).filter(pk=measures.pk).exists()
        measures = Objective.objects.filter(pk=measures.pk).first() if seen else None
        if measures is None:
            errors["measures"] = "No objective you can see has that identifier."
    if errors:
        raise ValidationError(errors)
    values["measures"] = measures
    return values


@transaction.atomic
def create_metric(
    *,
    actor: User,
    owner: Organisation,
    title: str,
    summary: str = "",
    body: str = "",
    unit: str = "",
    direction: str = Direction.HIGHER,
    baseline: Any = None,
    target: Any = None,
    target_date: dt.date | None = None,
    measures: Objective | None = None,
) -> Metric:
    """A success metric, as a draft until triaged and published."""
    _require(actor)
    fields = _metric_fields(
        actor=actor,
        unit=unit,
        direction=direction,
        baseline=baseline,
        target=target,
        target_date=target_date,
        measures=measures,
    )
    return create_item(
        actor=actor,
        owner=owner,
        model=Metric,
        title=title,
        summary=summary,
        body=body,
        fields=fields,
        permission="planning.maintain_plan",
    )


@transaction.atomic
def record_measurement(
    *, actor: User, metric: Metric, value: Any, measured_on: dt.date | None, source: str
) -> Measurement:
    """A measurement of a metric on a date, with where it came from. One a day per metric."""
    _require(actor)
    errors: dict[str, str] = {}
    try:
        number = _number("value", value, required=True)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if measured_on is None:
        errors["measured_on"] = "Give the date it was measured."
    elif measured_on > timezone.localdate():
        errors["measured_on"] = "A measurement cannot be dated in the future."
    source = (source or "").strip()
    if not source:
        errors["source"] = "Say where the number comes from."
    elif len(source) > MAX_SOURCE:
        errors["source"] = f"Keep the source to {MAX_SOURCE} characters."
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            measurement = Measurement.objects.create(
                metric=metric,
                value=number,
                measured_on=measured_on,
                source=source,
                recorded_by=actor,
            )
    except IntegrityError:
        raise Conflict(
            f"This metric already has a measurement on {measured_on:%-d %B %Y}."
        ) from None
    Item.objects.filter(pk=metric.pk).update(updated_at=timezone.now())
    # Numbers go into the audit chain as text: its canonical JSON has no floats.
    audit.append(
        actor=actor,
        action="measurement.recorded",
        item=metric,
        data={"value": str(number), "measured_on": measured_on.isoformat(), "source": source},
    )
    return measurement
