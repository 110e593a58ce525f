"""Writes to the plan — objectives, metrics, investments, milestones, RAID, RACI, versions; each audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from orchestrator.core import audit
from orchestrator.core.errors import Conflict, PermissionDenied, ValidationError
from orchestrator.core.models import Item, Link, Relation
from orchestrator.core.services import check_text, create_item, link_items
from orchestrator.decisions.selectors import designation_refusal
from orchestrator.engagement.models import Category, State, Submission

from .models import (
    Activity,
    Assignment,
    Assumption,
    Dependency,
    Direction,
    Escalation,
    Feature,
    Investment,
    Issue,
    Measurement,
    Metric,
    Milestone,
    Objective,
    Phase,
    PlanVersion,
    Raci,
    Risk,
)

if TYPE_CHECKING:
    from orchestrator.people.models import Organisation, User

T = TypeVar("T", bound=Item)

MAX_SOURCE = 500
MAX_REASON = 5000
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
    return _plan_item(
        actor=actor,
        model=Objective,
        owner=owner,
        title=title,
        summary=summary,
        body=body,
        fields={},
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
    # A target without a unit or a date is refused by Metric.clean, on creation and on every edit.
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
    return _plan_item(
        actor=actor,
        model=Metric,
        owner=owner,
        title=title,
        summary=summary,
        body=body,
        fields=fields,
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


# --- Shared steps ------------------------------------------------------------------------------


def _visible(actor: User, item: Item | None, field: str, what: str) -> None:
    """A record named in a write must be one the writer may see; otherwise it does not exist."""
    if item is not None and not Item.objects.visible_to(actor).filter(pk=item.pk).exists():
        raise ValidationError({field: f"No {what} you can see has that identifier."})


def _designating(actor: User, record: Item | None) -> None:
    """Designation names a decision that has been taken, and one the designer may see."""
    refusal = None if record is None else designation_refusal(actor, record)
    if refusal:
        raise ValidationError({"designated_by": refusal})


def _plan_item(
    *,
    actor: User,
    model: type[T],
    owner: Organisation,
    title: str,
    summary: str,
    body: str,
    fields: Mapping[str, Any],
) -> T:
    _require(actor)
    return create_item(
        actor=actor,
        owner=owner,
        model=model,
        title=title,
        summary=summary,
        body=body,
        fields=fields,
        permission="planning.maintain_plan",
    )


# --- Investments -------------------------------------------------------------------------------


@transaction.atomic
def create_investment(
    *,
    actor: User,
    owner: Organisation,
    title: str,
    summary: str = "",
    body: str = "",
    purpose: str = "",
    capabilities: str = "",
    phase: str = Phase.DISCOVERY,
    phase_dates: Mapping[str, dt.date | None] | None = None,
    cost_low: Any = None,
    cost_high: Any = None,
    cost_confidence: str = "",
    technical_details_url: str = "",
    designated_sdi: bool = False,
    left_to_market: bool = False,
    designated_by: Item | None = None,
    objectives: Iterable[Objective] = (),
    metrics: Iterable[Metric] = (),
) -> Investment:
    """An investment in shared digital infrastructure, as a draft until triaged and published.

    `phase_dates` gives the date each GOV.UK phase began, by phase (`{"discovery": date, …}`)."""
    _require(actor)
    errors: dict[str, str] = {}
    costs: dict[str, Decimal | None] = {}
    for name, value in (("cost_low", cost_low), ("cost_high", cost_high)):
        try:
            number = _number(name, value)
            costs[name] = None if number is None else number.quantize(Decimal("1"))
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})
    unknown = sorted(set(phase_dates or {}) - set(Phase.values))
    if unknown:
        errors["phase_dates"] = f"Not a phase: {', '.join(unknown)}; use {', '.join(Phase.values)}."
    if phase not in Phase.values:
        errors["phase"] = f"Choose a phase: {', '.join(Phase.values)}."
    if errors:
        raise ValidationError(errors)
    objectives, metrics = list(objectives), list(metrics)
    _designating(actor, designated_by)
    for objective in objectives:
        _visible(actor, objective, "objectives", "objective")
    for metric in metrics:
        _visible(actor, metric, "metrics", "metric")
    fields: dict[str, Any] = {
        "purpose": purpose,
        "capabilities": capabilities,
        "phase": phase,
        "cost_confidence": cost_confidence,
        "technical_details_url": technical_details_url,
        "designated_sdi": designated_sdi,
        "left_to_market": left_to_market,
        "designated_by": designated_by,
        **costs,
        **{f"{p}_began": d for p, d in (phase_dates or {}).items()},
    }
    investment = _plan_item(
        actor=actor,
        model=Investment,
        owner=owner,
        title=title,
        summary=summary,
        body=body,
        fields=fields,
    )
    investment.objectives.set(objectives)
    investment.metrics.set(metrics)
    if designated_by is not None:
        _link_designation(actor, designated_by, investment)
    return investment


def _link_designation(actor: User, decision: Item, investment: Investment) -> None:
    # The designation is also a link, so the decision's page shows what it designated.
    if Link.objects.filter(
        source=decision, target=investment, relation=Relation.REFERENCES
    ).exists():
        return
    link_items(
        source=decision,
        target=investment,
        relation=Relation.REFERENCES,
        actor=actor,
        note="left it to the market"
        if investment.left_to_market
        else "designated it shared digital infrastructure",
    )


# What the Product Team may say of an investment, as they say it of an architecture element.
DESIGNATIONS = ("shared", "market", "undecided")


@transaction.atomic
def designate_investment(
    *, actor: User, investment: Investment, designation: str, decision: Item | None
) -> Investment:
    """The Product Team say an investment is shared digital infrastructure, or left to the
    market, naming the decision that said so; `undecided` clears the designation."""
    if not actor.has_perm("planning.designate"):
        raise PermissionDenied(
            "Only the Product Team decide what is and is not shared digital infrastructure."
        )
    if designation not in DESIGNATIONS:
        raise ValidationError(
            {"designation": "Choose shared, market (left to the market) or undecided."}
        )
    _visible(actor, investment, "investment", "investment")
    if designation != "undecided" and decision is None:
        raise ValidationError({"designated_by": "Name the decision that designated it."})
    if designation != "undecided":
        _designating(actor, decision)
    investment = Investment.objects.select_for_update().get(pk=investment.pk)
    investment.designated_sdi = designation == "shared"
    investment.left_to_market = designation == "market"
    investment.designated_by = decision if designation != "undecided" else None
    investment.version += 1
    investment.updated_at = timezone.now()
    investment.full_clean()
    investment.save(
        update_fields=["designated_sdi", "left_to_market", "designated_by", "version", "updated_at"]
    )
    audit.append(
        actor=actor,
        action="investment.designated",
        item=investment,
        # The audit says what was stored: clearing a designation names no decision.
        data={
            "designation": designation,
            "decision": investment.designated_by.uid if investment.designated_by else None,
        },
    )
    if investment.designated_by is not None:
        _link_designation(actor, investment.designated_by, investment)
    return investment


@transaction.atomic
def set_investment_plan(
    *,
    actor: User,
    investment: Investment,
    objectives: Iterable[Objective],
    metrics: Iterable[Metric],
) -> Investment:
    """Say which objectives an investment serves and which success metrics measure it."""
    _require(actor)
    objectives, metrics = list(objectives), list(metrics)
    for objective in objectives:
        _visible(actor, objective, "objectives", "objective")
    for metric in metrics:
        _visible(actor, metric, "metrics", "metric")
    # Records the writer cannot see stay as they are: nobody can remove what they cannot see.
    hidden = ~Q(pk__in=Item.objects.visible_to(actor).values("pk"))
    investment.objectives.set(objectives + list(investment.objectives.filter(hidden)))
    investment.metrics.set(metrics + list(investment.metrics.filter(hidden)))
    Item.objects.filter(pk=investment.pk).update(updated_at=timezone.now())
    audit.append(
        actor=actor,
        action="investment.plan_set",
        item=investment,
        data={
            "objectives": sorted(o.uid for o in objectives),
            "metrics": sorted(m.uid for m in metrics),
        },
    )
    return investment


@transaction.atomic
def add_feature(
    *,
    actor: User,
    investment: Investment,
    name: str,
    target_date: dt.date | None,
    delivered_on: dt.date | None = None,
) -> Feature:
    """A feature the investment will deliver, with its expected timing."""
    _require(actor)
    name = (name or "").strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "Name the feature."
    elif len(name) > 200:
        errors["name"] = "Keep the feature's name to 200 characters."
    if target_date is None:
        errors["target_date"] = "Give the date the feature is expected."
    if delivered_on is not None and delivered_on > timezone.localdate():
        errors["delivered_on"] = "This date is in the future: it cannot have happened yet."
    check_text({"name": name})
    if errors:
        raise ValidationError(errors)
    if investment.features.filter(name=name).exists():
        raise Conflict(f"“{investment.title}” already has a feature called “{name}”.")
    feature = Feature.objects.create(
        investment=investment, name=name, target_date=target_date, delivered_on=delivered_on
    )
    Item.objects.filter(pk=investment.pk).update(updated_at=timezone.now())
    audit.append(
        actor=actor,
        action="feature.added",
        item=investment,
        data={
            "name": name,
            "target_date": target_date.isoformat(),
            "delivered_on": delivered_on.isoformat() if delivered_on else None,
        },
    )
    return feature


# --- The delivery roadmap ----------------------------------------------------------------------


@transaction.atomic
def create_milestone(
    *,
    actor: User,
    investment: Investment,
    title: str,
    planned_on: dt.date | None,
    summary: str = "",
    body: str = "",
    owner: Organisation | None = None,
    phase: str = "",
    forecast_on: dt.date | None = None,
    actual_on: dt.date | None = None,
    depends_on: Iterable[Milestone] = (),
) -> Milestone:
    """A milestone of an investment's delivery, owned by the investment's owner unless another is named."""
    _require(actor)
    _visible(actor, investment, "investment", "investment")
    if planned_on is None:
        raise ValidationError({"planned_on": "Give the date it is planned for."})
    if phase and phase not in Phase.values:
        raise ValidationError({"phase": f"Choose a phase: {', '.join(Phase.values)}."})
    milestone = _plan_item(
        actor=actor,
        model=Milestone,
        owner=owner or investment.owner,
        title=title,
        summary=summary,
        body=body,
        fields={
            "for_investment": investment,
            "phase": phase,
            "planned_on": planned_on,
            "forecast_on": forecast_on,
            "actual_on": actual_on,
        },
    )
    for prerequisite in depends_on:
        add_milestone_dependency(actor=actor, milestone=milestone, prerequisite=prerequisite)
    return milestone


def _reaches(start: Milestone, goal: Milestone) -> bool:
    """Whether `goal` is among the milestones `start` depends on, directly or not."""
    through = Milestone.depends_on.through
    seen, frontier = {start.pk}, {start.pk}
    while frontier:
        frontier = (
            set(
                through.objects.filter(from_milestone_id__in=frontier).values_list(
                    "to_milestone_id", flat=True
                )
            )
            - seen
        )
        if goal.pk in frontier:
            return True
        seen |= frontier
    return False


@transaction.atomic
def add_milestone_dependency(*, actor: User, milestone: Milestone, prerequisite: Milestone) -> None:
    """Say that `milestone` cannot be reached before `prerequisite` is. A cycle is refused."""
    _require(actor)
    _visible(actor, prerequisite, "depends_on", "milestone")
    if prerequisite.pk == milestone.pk:
        raise ValidationError({"depends_on": "A milestone cannot depend on itself."})
    if milestone.depends_on.filter(pk=prerequisite.pk).exists():
        raise Conflict(f"“{milestone.title}” already depends on “{prerequisite.title}”.")
    if _reaches(prerequisite, milestone):
        raise ValidationError(
            {
                "depends_on": (
                    f"“{prerequisite.title}” already depends on “{milestone.title}”, directly or "
                    "through others: this would make a cycle."
                )
            }
        )
    milestone.depends_on.add(prerequisite)
    Item.objects.filter(pk=milestone.pk).update(updated_at=timezone.now())
    audit.append(
        actor=actor,
        action="milestone.dependency_added",
        item=milestone,
        data={"depends_on": prerequisite.uid},
    )


@transaction.atomic
def remove_milestone_dependency(
    *, actor: User, milestone: Milestone, prerequisite: Milestone
) -> None:
    _require(actor)
    if not milestone.depends_on.filter(pk=prerequisite.pk).exists():
        raise Conflict(f"“{milestone.title}” does not depend on “{prerequisite.title}”.")
    milestone.depends_on.remove(prerequisite)
    audit.append(
        actor=actor,
        action="milestone.dependency_removed",
        item=milestone,
        data={"depends_on": prerequisite.uid},
    )


# --- The RAID log ------------------------------------------------------------------------------


def _raid_fields(
    *,
    actor: User,
    investment: Investment | None,
    managed_by: str,
    review_on: dt.date | None,
) -> dict[str, Any]:
    _visible(actor, investment, "investment", "investment")
    return {"for_investment": investment, "managed_by": managed_by, "review_on": review_on}


def _score(name: str, value: Any, *, required: bool = True) -> int | None:
    if value is None or value == "":
        if required:
            raise ValidationError({name: "Score it from 1 to 5."})
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError({name: f"Score it from 1 to 5 (not “{value}”)."}) from None


@transaction.atomic
def create_risk(
    *,
    actor: User,
    owner: Organisation,
    title: str,
    cause: str,
    event: str,
    effect: str,
    likelihood: Any,
    impact: Any,
    summary: str = "",
    body: str = "",
    proximity: str = "medium",
    mitigation: str = "",
    residual_likelihood: Any = None,
    residual_impact: Any = None,
    identified_on: dt.date | None = None,
    investment: Investment | None = None,
    managed_by: str = "",
    review_on: dt.date | None = None,
) -> Risk:
    """A risk in the RAID log — cause, event, effect — scored 1–5 for likelihood and impact."""
    errors: dict[str, str] = {}
    scores: dict[str, int | None] = {}
    for name, value, required in (
        ("likelihood", likelihood, True),
        ("impact", impact, True),
        ("residual_likelihood", residual_likelihood, False),
        ("residual_impact", residual_impact, False),
    ):
        try:
            scores[name] = _score(name, value, required=required)
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    return _plan_item(
        actor=actor,
        model=Risk,
        owner=owner,
        title=title,
        summary=summary,
        body=body,
        fields={
            "cause": cause,
            "event": event,
            "effect": effect,
            "mitigation": mitigation,
            "proximity": proximity,
            "identified_on": identified_on or timezone.localdate(),
            **scores,
            **_raid_fields(
                actor=actor, investment=investment, managed_by=managed_by, review_on=review_on
            ),
        },
    )


@transaction.atomic
def create_issue(
    *,
    actor: User,
    owner: Organisation,
    title: str,
    occurred_on: dt.date | None,
    severity: Any = 3,
    summary: str = "",
    body: str = "",
    resolution: str = "",
    foreseen_by: Risk | None = None,
    investment: Investment | None = None,
    managed_by: str = "",
    review_on: dt.date | None = None,
) -> Issue:
    """An issue: something that has happened, linked to the risk that foresaw it if one did."""
    if occurred_on is None:
        raise ValidationError({"occurred_on": "Give the date it happened."})
    _visible(actor, foreseen_by, "foreseen_by", "risk")
    issue = _plan_item(
        actor=actor,
        model=Issue,
        owner=owner,
        title=title,
        summary=summary,
        body=body,
        fields={
            "occurred_on": occurred_on,
            "severity": _score("severity", severity),
            "resolution": resolution,
            "foreseen_by": foreseen_by,
            **_raid_fields(
                actor=actor, investment=investment, managed_by=managed_by, review_on=review_on
            ),
        },
    )
    return issue


@transaction.atomic
def create_assumption(
    *,
    actor: User,
    owner: Organisation,
    title: str,
    summary: str = "",
    body: str = "",
    test: str = "",
    investment: Investment | None = None,
    managed_by: str = "",
    review_on: dt.date | None = None,
) -> Assumption:
    """An assumption the plan rests on, and how it will be tested."""
    return _plan_item(
        actor=actor,
        model=Assumption,
        owner=owner,
        title=title,
        summary=summary,
        body=body,
        fields={
            "test": test,
            **_raid_fields(
                actor=actor, investment=investment, managed_by=managed_by, review_on=review_on
            ),
        },
    )


@transaction.atomic
def create_dependency(
    *,
    actor: User,
    owner: Organisation,
    title: str,
    summary: str = "",
    body: str = "",
    external: bool = False,
    on_organisation: Organisation | None = None,
    need_by: dt.date | None = None,
    investment: Investment | None = None,
    managed_by: str = "",
    review_on: dt.date | None = None,
) -> Dependency:
    """A dependency: internal to the portfolio, or on a named outside organisation."""
    return _plan_item(
        actor=actor,
        model=Dependency,
        owner=owner,
        title=title,
        summary=summary,
        body=body,
        fields={
            "external": external,
            "on_organisation": on_organisation,
            "need_by": need_by,
            **_raid_fields(
                actor=actor, investment=investment, managed_by=managed_by, review_on=review_on
            ),
        },
    )


@transaction.atomic
def log_submission(
    *, actor: User, submission: Submission, owner: Organisation
) -> Risk | Dependency:
    """Take an accepted risk or dependency from the engagement channel into the RAID log.

    The new entry is a draft in the submission's words, linked to it (`references`), for the
    Portfolio Management Team to score and complete."""
    _require(actor)
    _visible(actor, submission, "submission", "submission")
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.state != State.ACCEPTED or submission.category not in (
        Category.RISK,
        Category.DEPENDENCY,
    ):
        raise Conflict("Only an accepted risk or dependency submission goes into the RAID log.")
    if Item.objects.filter(
        kind__in=[Risk.KIND, Dependency.KIND],
        outgoing_links__target=submission,
        outgoing_links__relation=Relation.REFERENCES,
    ).exists():
        raise Conflict("This submission is already in the RAID log.")
    about = submission.about.specific() if submission.about_id else None
    investment = about if isinstance(about, Investment) else None
    if investment is not None and not Item.objects.visible_to(actor).filter(pk=about.pk).exists():
        investment = None
    common = {
        "actor": actor,
        "owner": owner,
        "title": submission.title,
        "summary": f"Raised through the engagement channel: “{submission.title}”.",
        "body": "" if "body" in _redacted(submission) else submission.body,
        "investment": investment,
    }
    if submission.category == Category.RISK:
        entry: Risk | Dependency = create_risk(
            cause="To be completed from the submission.",
            event=submission.title,
            effect="To be completed from the submission.",
            likelihood=3,
            impact=3,
            **common,
        )
    else:
        entry = create_dependency(**common)
    link_items(source=entry, target=submission, relation=Relation.REFERENCES, actor=actor)
    audit.append(
        actor=actor,
        action="raid.logged_from_submission",
        item=entry,
        data={"submission": submission.uid, "kind": entry.kind},
    )
    return entry


def _redacted(item: Item) -> list[str]:
    triage = item.current_triage
    return list(triage.redacted_fields) if triage else []


ESCALATABLE = (Risk.KIND, Issue.KIND, Submission.KIND)


@transaction.atomic
def escalate(*, actor: User, item: Item, reason: str) -> Escalation:
    """Escalate a risk, an issue or a stakeholder's concern to the Board, with a reason."""
    if not actor.has_perm("planning.escalate"):
        raise PermissionDenied(
            "Only the Portfolio Management Team, the Organisation Leader and Research & "
            "Engagement escalate to the Board."
        )
    _visible(actor, item, "item", "record")
    if item.kind not in ESCALATABLE:
        raise ValidationError({"item": "Only a risk, an issue or a concern goes to the Board."})
    if item.kind == Submission.KIND and item.specific().category != Category.CONCERN:
        raise ValidationError({"item": "Of submissions, only a concern goes to the Board."})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the Board needs to see it."})
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": f"Keep the reason to {MAX_REASON:,} characters."})
    check_text({"reason": reason})
    if Escalation.objects.filter(item=item, responded_at__isnull=True).exists():
        raise Conflict("This is already with the Board, awaiting its response.")
    escalation = Escalation.objects.create(item=item, reason=reason, escalated_by=actor)
    Item.objects.filter(pk=item.pk).update(updated_at=timezone.now())
    audit.append(actor=actor, action="escalation.raised", item=item, data={"reason": reason})
    return escalation


@transaction.atomic
def respond_to_escalation(*, actor: User, escalation: Escalation, response: str) -> Escalation:
    """The Board's response to an escalation. It is given once."""
    if not actor.has_perm("planning.respond_to_escalation"):
        raise PermissionDenied("Only the Board responds to escalations.")
    escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
    if not escalation.is_open:
        raise Conflict("The Board has already responded to this escalation.")
    response = (response or "").strip()
    if not response:
        raise ValidationError({"response": "Write the Board's response."})
    if len(response) > MAX_REASON:
        raise ValidationError({"response": f"Keep the response to {MAX_REASON:,} characters."})
    check_text({"response": response})
    escalation.response = response
    escalation.responded_by = actor
    escalation.responded_at = timezone.now()
    escalation.save(update_fields=["response", "responded_by", "responded_at"])
    Item.objects.filter(pk=escalation.item_id).update(updated_at=timezone.now())
    audit.append(
        actor=actor,
        action="escalation.answered",
        item=escalation.item,
        data={"response": response, "escalated_at": escalation.escalated_at.isoformat()},
    )
    return escalation


# --- Responsibilities --------------------------------------------------------------------------


@transaction.atomic
def add_activity(
    *, actor: User, name: str, investment: Investment | None = None, work_area: str = ""
) -> Activity:
    """An activity whose RACI is recorded: of an investment, or of a work area."""
    _require(actor)
    name, work_area = (name or "").strip(), (work_area or "").strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "Name the activity."
    elif len(name) > 300:
        errors["name"] = "Keep the activity's name to 300 characters."
    if (investment is None) == (not work_area):
        errors["work_area"] = "Give either the investment or the work area the activity is in."
    elif len(work_area) > 200:
        errors["work_area"] = "Keep the work area to 200 characters."
    check_text({"name": name, "work_area": work_area})
    if errors:
        raise ValidationError(errors)
    _visible(actor, investment, "investment", "investment")
    activity = Activity.objects.create(investment=investment, work_area=work_area, name=name)
    audit.append(
        actor=actor,
        action="activity.added",
        item=investment,
        data={"activity": activity.pk, "name": name, "work_area": work_area},
    )
    return activity


@transaction.atomic
def assign(
    *,
    actor: User,
    activity: Activity,
    part: str,
    organisation: Organisation | None = None,
    role: str = "",
) -> Assignment:
    """Give an organisation or a role its part — R, A, C or I — in an activity. One Accountable."""
    from orchestrator.people.models import Role

    _require(actor)
    errors: dict[str, str] = {}
    if part not in Raci.values:
        errors["part"] = "Choose R (Responsible), A (Accountable), C (Consulted) or I (Informed)."
    if (organisation is None) == (not role):
        errors["organisation"] = "Name either an organisation or a role."
    elif role and role not in Role.values:
        errors["role"] = f"“{role}” is not a role."
    if errors:
        raise ValidationError(errors)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if part == Raci.ACCOUNTABLE:
        current = activity.assignments.filter(part=Raci.ACCOUNTABLE).first()
        if current is not None:
            raise ValidationError(
                {
                    "part": (
                        f"“{activity.name}” already has its one Accountable "
                        f"({_party(current)}); remove it first."
                    )
                }
            )
    same = activity.assignments.filter(part=part, organisation=organisation, role=role)
    if same.exists():
        raise Conflict("That part is already assigned.")
    assignment = Assignment.objects.create(
        activity=activity, part=part, organisation=organisation, role=role
    )
    audit.append(
        actor=actor,
        action="raci.assigned",
        item=activity.investment,
        data={
            "activity": activity.pk,
            "part": part,
            "organisation": organisation.slug if organisation else None,
            "role": role or None,
        },
    )
    return assignment


def _party(assignment: Assignment) -> str:
    if assignment.organisation_id:
        return str(assignment.organisation)
    from orchestrator.people.models import Role

    return Role(assignment.role).label


@transaction.atomic
def unassign(*, actor: User, assignment: Assignment) -> None:
    _require(actor)
    activity = assignment.activity
    Assignment.objects.filter(pk=assignment.pk).delete()
    audit.append(
        actor=actor,
        action="raci.unassigned",
        item=activity.investment,
        data={"activity": activity.pk, "part": assignment.part, "party": _party(assignment)},
    )


# --- Strategic plan versions -------------------------------------------------------------------


@transaction.atomic
def create_plan_version(
    *, actor: User, owner: Organisation, summary: str, body: str = "", title: str = ""
) -> PlanVersion:
    """Number and snapshot the plan as the public sees it now, as a draft version to be triaged
    and published. The snapshot never changes; once published, nothing of the version does."""
    from .selectors import plan_snapshot

    if not actor.has_perm("planning.publish_plan_version"):
        raise PermissionDenied("Only the Organisation Leader publishes versions of the plan.")
    # The lock makes numbering safe when two versions are made at once.
    last = PlanVersion.objects.select_for_update().order_by("-number").first()
    number = (last.number if last else 0) + 1
    return create_item(
        actor=actor,
        owner=owner,
        model=PlanVersion,
        title=title or f"Strategic plan, version {number}",
        summary=summary,
        body=body,
        fields={"number": number, "snapshot": plan_snapshot()},
        permission="planning.publish_plan_version",
    )
