"""The plan in the API: objectives, metrics and measurements; investments, milestones, the RAID log
and escalations, responsibilities (RACI) and plan versions."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from ninja import Field, Path, Router, Schema, Status

from orchestrator.core.metadata import public_people
from orchestrator.core.models import Item
from orchestrator.core.selectors import get_visible_item
from orchestrator.engagement.models import Submission
from orchestrator.people.models import Organisation, Role, User
from orchestrator.people.selectors import is_staff
from orchestrator.planning import selectors, services
from orchestrator.planning.models import (
    Activity,
    Assignment,
    Direction,
    Escalation,
    Investment,
    Metric,
    Milestone,
    Objective,
    Phase,
    PlanVersion,
    Proximity,
    Raci,
    Risk,
)

from .api import WRITE_ERRORS, ItemOut, OptionalToken, Problem, RequireToken
from .representations import item_detail

router = Router(tags=["planning"], auth=RequireToken())

# What an id in a path may be: beyond a 64-bit integer the database cannot even look it up.
MAX_ID = 2**63 - 1
_SLUG = re.compile(r"^[-\w]{1,200}$", re.ASCII)
READ_ERRORS = {404: Problem, 422: Problem}


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


def _organisation(slug: str | None, field: str = "owner") -> Organisation | None:
    if slug is None:
        return None
    found = Organisation.objects.filter(slug=slug).first() if _SLUG.match(slug) else None
    if found is None:
        raise DjangoValidationError({field: f"No organisation “{slug}”."})
    return found


def _owner(slug: str) -> Organisation:
    owner = _organisation(slug)
    assert owner is not None
    return owner


def _seen(user: User, uid: str | None, kind: type[Item] | None = None) -> Any:
    """The record a uid names, if the caller may see it (and it is of `kind`); otherwise a 404."""
    return None if uid is None else get_visible_item(user, uid, kind)


def _created(user: User, item: Item) -> Status:
    return Status(201, item_detail(user, get_visible_item(user, item.uid)))


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
    return _created(request.auth, objective)


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
    return _created(request.auth, metric)


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


# --- Investments -------------------------------------------------------------------------------


class InvestmentIn(PlanItemIn):
    purpose: str = Field("", max_length=5000)
    capabilities: str = Field(
        "", max_length=5000, description="High-level capabilities and services"
    )
    phase: str = Field(Phase.DISCOVERY, description="One of: " + ", ".join(Phase.values))
    phase_dates: dict[str, dt.date | None] = Field(
        {},
        description='The date each phase began, by phase, e.g. {"discovery": "2025-01-06"}; '
        "the current phase needs one",
    )
    cost_low: str | int | None = Field(None, description="Pounds, a whole number")
    cost_high: str | int | None = Field(None, description="Pounds, a whole number")
    cost_confidence: str = Field("", description="low, medium or high; needed with a cost")
    technical_details_url: str = Field("", max_length=500)
    designated_sdi: bool = Field(False, description="Designated shared digital infrastructure")
    left_to_market: bool = Field(
        False, description="Decided not to be shared digital infrastructure: left to the market"
    )
    designated_by: str | None = Field(
        None,
        description="The uid of the decision that designated it, or left it to the market: one "
        "that has been taken (decided or reviewed)",
    )
    objectives: list[str] = Field([], description="uids of the objectives it serves")
    metrics: list[str] = Field([], description="uids of the success metrics that measure it")


# The body of both designations, an investment's and an architecture element's (which imports it
# from here): one schema, so OpenAPI has one `DesignationIn`.
class DesignationIn(Schema):
    designation: str = Field(..., description="shared, market or undecided")
    decision: str | None = Field(
        None,
        description="The uid of the decision that said so: one that has been taken (decided or "
        "reviewed); needed unless undecided",
    )


class InvestmentPlanIn(Schema):
    objectives: list[str] = Field(..., description="uids of the objectives it serves")
    metrics: list[str] = Field(..., description="uids of the success metrics that measure it")


class FeatureIn(Schema):
    name: str = Field(..., description="Up to 200 characters, once per investment")
    target_date: dt.date
    delivered_on: dt.date | None = None


class FeatureOut(Schema):
    name: str
    target_date: dt.date
    delivered_on: dt.date | None


def _feature(feature) -> dict[str, Any]:
    return {
        "name": feature.name,
        "target_date": feature.target_date,
        "delivered_on": feature.delivered_on,
    }


@router.post("/investments", response={201: ItemOut, **WRITE_ERRORS})
def create_investment(request, payload: InvestmentIn):
    """Add an investment in shared digital infrastructure, as a draft."""
    user = request.auth
    investment = services.create_investment(
        actor=user,
        owner=_owner(payload.owner),
        title=payload.title,
        summary=payload.summary,
        body=payload.body,
        purpose=payload.purpose,
        capabilities=payload.capabilities,
        phase=payload.phase,
        phase_dates=payload.phase_dates,
        cost_low=payload.cost_low,
        cost_high=payload.cost_high,
        cost_confidence=payload.cost_confidence,
        technical_details_url=payload.technical_details_url,
        designated_sdi=payload.designated_sdi,
        left_to_market=payload.left_to_market,
        designated_by=_seen(user, payload.designated_by),
        objectives=[_seen(user, uid, Objective) for uid in payload.objectives],
        metrics=[_seen(user, uid, Metric) for uid in payload.metrics],
    )
    return _created(user, investment)


@router.put("/investments/{uid}/plan", response={200: ItemOut, **WRITE_ERRORS})
def set_investment_plan(request, uid: str, payload: InvestmentPlanIn):
    """Say which objectives an investment serves and which metrics measure it (replacing the
    lists; records you cannot see stay as they are)."""
    user = request.auth
    investment = get_visible_item(user, uid, Investment)
    services.set_investment_plan(
        actor=user,
        investment=investment,
        objectives=[_seen(user, o, Objective) for o in payload.objectives],
        metrics=[_seen(user, m, Metric) for m in payload.metrics],
    )
    return item_detail(user, get_visible_item(user, uid))


@router.post("/investments/{uid}/designation", response={200: ItemOut, **WRITE_ERRORS})
def designate_investment(request, uid: str, payload: DesignationIn):
    """Designate an investment shared digital infrastructure or left to the market, or clear
    it (the Product Team)."""
    user = request.auth
    investment = get_visible_item(user, uid, Investment)
    services.designate_investment(
        actor=user,
        investment=investment,
        designation=payload.designation,
        decision=_seen(user, payload.decision or None),
    )
    return item_detail(user, get_visible_item(user, uid))


@router.post("/investments/{uid}/features", response={201: FeatureOut, **WRITE_ERRORS})
def add_feature(request, uid: str, payload: FeatureIn):
    """Add a feature the investment will deliver, with its target date."""
    feature = services.add_feature(
        actor=request.auth,
        investment=get_visible_item(request.auth, uid, Investment),
        name=payload.name,
        target_date=payload.target_date,
        delivered_on=payload.delivered_on,
    )
    return Status(201, _feature(feature))


@router.get(
    "/investments/{uid}/features",
    response={200: list[FeatureOut], **READ_ERRORS},
    auth=OptionalToken(),
)
def features(request, uid: str):
    """An investment's features, soonest first."""
    investment = get_visible_item(request.auth, uid, Investment)
    return [_feature(f) for f in investment.features.all()]


# --- The delivery roadmap ----------------------------------------------------------------------


class MilestoneIn(PlanItemIn):
    owner: str | None = Field(  # type: ignore[assignment]
        None, description="The slug of the owner organisation; the investment's owner if not given"
    )
    investment: str = Field(..., description="The uid of the investment it belongs to")
    planned_on: dt.date
    forecast_on: dt.date | None = None
    actual_on: dt.date | None = Field(None, description="Once reached; not in the future")
    phase: str = Field("", description="The phase it falls in: " + ", ".join(Phase.values))
    depends_on: list[str] = Field([], description="uids of milestones it cannot come before")


class MilestoneDependencyIn(Schema):
    depends_on: str = Field(..., description="The uid of the milestone it cannot come before")


@router.post("/milestones", response={201: ItemOut, **WRITE_ERRORS})
def create_milestone(request, payload: MilestoneIn):
    """Add a milestone of an investment's delivery, as a draft."""
    user = request.auth
    milestone = services.create_milestone(
        actor=user,
        investment=_seen(user, payload.investment, Investment),
        owner=_organisation(payload.owner),
        title=payload.title,
        summary=payload.summary,
        body=payload.body,
        phase=payload.phase,
        planned_on=payload.planned_on,
        forecast_on=payload.forecast_on,
        actual_on=payload.actual_on,
        depends_on=[_seen(user, uid, Milestone) for uid in payload.depends_on],
    )
    return _created(user, milestone)


@router.post("/milestones/{uid}/dependencies", response={201: ItemOut, **WRITE_ERRORS})
def add_milestone_dependency(request, uid: str, payload: MilestoneDependencyIn):
    """Say that this milestone cannot be reached before another; a cycle is refused."""
    user = request.auth
    services.add_milestone_dependency(
        actor=user,
        milestone=get_visible_item(user, uid, Milestone),
        prerequisite=get_visible_item(user, payload.depends_on, Milestone),
    )
    return Status(201, item_detail(user, get_visible_item(user, uid)))


@router.delete(
    "/milestones/{uid}/dependencies/{prerequisite}", response={204: None, **WRITE_ERRORS}
)
def remove_milestone_dependency(request, uid: str, prerequisite: str):
    """Remove a dependency between two milestones."""
    user = request.auth
    services.remove_milestone_dependency(
        actor=user,
        milestone=get_visible_item(user, uid, Milestone),
        prerequisite=get_visible_item(user, prerequisite, Milestone),
    )
    return Status(204, None)


# --- The RAID log ------------------------------------------------------------------------------


class RaidIn(PlanItemIn):
    investment: str | None = Field(None, description="The uid of the investment it concerns")
    managed_by: str = Field("", max_length=200, description="The role or organisation managing it")
    review_on: dt.date | None = Field(None, description="When it is next reviewed")


class RiskIn(RaidIn):
    cause: str = Field(..., max_length=2000)
    event: str = Field(..., max_length=2000)
    effect: str = Field(..., max_length=2000)
    likelihood: int = Field(..., description="1 (rare) to 5 (almost certain)")
    impact: int = Field(..., description="1 (minimal) to 5 (severe)")
    proximity: str = Field(Proximity.MEDIUM, description="One of: " + ", ".join(Proximity.values))
    mitigation: str = Field("", max_length=5000)
    residual_likelihood: int | None = Field(None, description="1 to 5, once mitigated")
    residual_impact: int | None = Field(None, description="1 to 5, once mitigated")
    identified_on: dt.date | None = Field(None, description="Today if not given")


class IssueIn(RaidIn):
    occurred_on: dt.date
    severity: int = Field(3, description="1 to 5")
    resolution: str = Field("", max_length=5000, description="What is being done")
    foreseen_by: str | None = Field(None, description="The uid of the risk that foresaw it")


class AssumptionIn(RaidIn):
    test: str = Field("", max_length=2000, description="How and by when it will be tested")


class DependencyIn(RaidIn):
    external: bool = Field(False, description="On an outside organisation")
    on_organisation: str | None = Field(
        None, description="The slug of the outside organisation, for an external dependency"
    )
    need_by: dt.date | None = None


class FromSubmissionIn(Schema):
    owner: str = Field(..., description="The slug of the organisation that will own the entry")


def _raid(user: User, payload: RaidIn) -> dict[str, Any]:
    return {
        "actor": user,
        "owner": _owner(payload.owner),
        "title": payload.title,
        "summary": payload.summary,
        "body": payload.body,
        "investment": _seen(user, payload.investment, Investment),
        "managed_by": payload.managed_by,
        "review_on": payload.review_on,
    }


@router.post("/risks", response={201: ItemOut, **WRITE_ERRORS})
def create_risk(request, payload: RiskIn):
    """Add a risk to the RAID log — cause, event, effect — scored 1–5, as a draft."""
    risk = services.create_risk(
        **_raid(request.auth, payload),
        cause=payload.cause,
        event=payload.event,
        effect=payload.effect,
        likelihood=payload.likelihood,
        impact=payload.impact,
        proximity=payload.proximity,
        mitigation=payload.mitigation,
        residual_likelihood=payload.residual_likelihood,
        residual_impact=payload.residual_impact,
        identified_on=payload.identified_on,
    )
    return _created(request.auth, risk)


@router.post("/issues", response={201: ItemOut, **WRITE_ERRORS})
def create_issue(request, payload: IssueIn):
    """Add an issue — something that has happened — naming the risk that foresaw it, if one did."""
    issue = services.create_issue(
        **_raid(request.auth, payload),
        occurred_on=payload.occurred_on,
        severity=payload.severity,
        resolution=payload.resolution,
        foreseen_by=_seen(request.auth, payload.foreseen_by, Risk),
    )
    return _created(request.auth, issue)


@router.post("/assumptions", response={201: ItemOut, **WRITE_ERRORS})
def create_assumption(request, payload: AssumptionIn):
    """Add an assumption the plan rests on, and how it will be tested."""
    assumption = services.create_assumption(**_raid(request.auth, payload), test=payload.test)
    return _created(request.auth, assumption)


@router.post("/dependencies", response={201: ItemOut, **WRITE_ERRORS})
def create_dependency(request, payload: DependencyIn):
    """Add a dependency: internal to the portfolio, or on a named outside organisation."""
    dependency = services.create_dependency(
        **_raid(request.auth, payload),
        external=payload.external,
        on_organisation=_organisation(payload.on_organisation, "on_organisation"),
        need_by=payload.need_by,
    )
    return _created(request.auth, dependency)


@router.post("/raid/from-submission/{uid}", response={201: ItemOut, **WRITE_ERRORS})
def log_submission(request, uid: str, payload: FromSubmissionIn):
    """Take an accepted risk or dependency submission into the RAID log, as a draft in its words."""
    user = request.auth
    entry = services.log_submission(
        actor=user, submission=_seen(user, uid, Submission), owner=_owner(payload.owner)
    )
    return _created(user, entry)


# --- Escalations to the Board ------------------------------------------------------------------


class EscalationIn(Schema):
    reason: str = Field(..., description="Why the Board needs to see it; up to 5,000 characters")


class EscalationResponseIn(Schema):
    response: str = Field(..., description="The Board's response; up to 5,000 characters")


class EscalationOut(Schema):
    id: int
    item: str = Field(..., description="The uid of the risk, issue or concern escalated")
    reason: str
    escalated_by: str
    escalated_at: dt.datetime
    open: bool = Field(..., description="True until the Board responds")
    response: str
    responded_by: str | None
    responded_at: dt.datetime | None


def _escalations(viewer: User | None, escalations: list[Escalation], uid: str) -> list[dict]:
    # People are named as the audit log names them: those in a public role, or to staff.
    ids = {e.escalated_by_id for e in escalations} | {e.responded_by_id for e in escalations}
    ids.discard(None)
    named = ids if is_staff(viewer) else public_people(ids)
    names = {u.pk: str(u) for u in User.objects.filter(pk__in=named)}

    def who(pk: int | None) -> str | None:
        return None if pk is None else names.get(pk, "a registered user")

    return [
        {
            "id": e.pk,
            "item": uid,
            "reason": e.reason,
            "escalated_by": who(e.escalated_by_id),
            "escalated_at": e.escalated_at,
            "open": e.is_open,
            "response": e.response,
            "responded_by": who(e.responded_by_id),
            "responded_at": e.responded_at,
        }
        for e in escalations
    ]


@router.post("/items/{uid}/escalations", response={201: EscalationOut, **WRITE_ERRORS})
def escalate(request, uid: str, payload: EscalationIn):
    """Escalate a risk, an issue or a stakeholder's concern to the Board, with a reason."""
    user = request.auth
    escalation = services.escalate(
        actor=user, item=get_visible_item(user, uid), reason=payload.reason
    )
    return Status(201, _escalations(user, [escalation], uid)[0])


@router.get(
    "/items/{uid}/escalations",
    response={200: list[EscalationOut], **READ_ERRORS},
    auth=OptionalToken(),
)
def escalations(request, uid: str):
    """A record's escalations to the Board and the Board's responses, newest first."""
    item = get_visible_item(request.auth, uid)
    return _escalations(request.auth, list(item.escalations.all()), uid)


@router.post("/escalations/{id}/response", response={200: EscalationOut, **WRITE_ERRORS})
def respond_to_escalation(
    request, payload: EscalationResponseIn, id: int = Path(..., ge=1, le=MAX_ID)
):
    """The Board: respond to an escalation (once)."""
    user = request.auth
    escalation = (
        Escalation.objects.filter(pk=id, item__in=Item.objects.visible_to(user).values("pk"))
        .select_related("item")
        .first()
    )
    if escalation is None:
        raise Http404("No such escalation")
    escalation = services.respond_to_escalation(
        actor=user, escalation=escalation, response=payload.response
    )
    return _escalations(user, [escalation], escalation.item.uid)[0]


# --- Responsibilities (RACI) -------------------------------------------------------------------


class ActivityIn(Schema):
    name: str = Field(..., description="Up to 300 characters")
    investment: str | None = Field(None, description="The uid of the investment it is part of")
    work_area: str = Field("", description="Or the Orchestrator's work area it is part of")


class AssignmentIn(Schema):
    part: str = Field(
        ...,
        description=", ".join(f"{v} ({label})" for v, label in Raci.choices)
        + "; an activity has one Accountable",
    )
    organisation: str | None = Field(None, description="The slug of the organisation")
    role: str = Field("", description="Or a role: " + ", ".join(Role.values))


class AssignmentOut(Schema):
    id: int
    part: str
    party: str = Field(..., description="The organisation's name or the role's")
    organisation: str | None = Field(..., description="The organisation's slug")
    role: str


class ActivityOut(Schema):
    id: int
    name: str
    investment: str | None = Field(..., description="The uid of its investment")
    work_area: str
    assignments: list[AssignmentOut]


def _activity(activity: Activity) -> dict[str, Any]:
    return {
        "id": activity.pk,
        "name": activity.name,
        "investment": activity.investment.uid if activity.investment_id else None,
        "work_area": activity.work_area,
        "assignments": [
            {
                "id": a.pk,
                "part": a.part,
                "party": str(a.organisation) if a.organisation_id else Role(a.role).label,
                "organisation": a.organisation.slug if a.organisation_id else None,
                "role": a.role,
            }
            for a in activity.assignments.all()
        ],
    }


def _visible_activity(user: User, pk: int) -> Activity:
    """An activity of a work area, or of an investment the caller may see; otherwise a 404."""
    activity = selectors.activities_of(user).filter(pk=pk).first()
    if activity is None:
        raise Http404("No such activity")
    return activity


@router.get(
    "/investments/{uid}/responsibilities",
    response={200: list[ActivityOut], **READ_ERRORS},
    auth=OptionalToken(),
)
def responsibilities(request, uid: str):
    """Who is Responsible, Accountable, Consulted and Informed for each of an investment's
    activities."""
    investment = get_visible_item(request.auth, uid, Investment)
    rows = selectors.activities_of(request.auth).filter(investment=investment)
    return [_activity(a) for a in rows]


@router.post("/activities", response={201: ActivityOut, **WRITE_ERRORS})
def add_activity(request, payload: ActivityIn):
    """Add an activity, of an investment or of a work area, to record its RACI."""
    user = request.auth
    activity = services.add_activity(
        actor=user,
        name=payload.name,
        investment=_seen(user, payload.investment, Investment),
        work_area=payload.work_area,
    )
    return Status(201, _activity(_visible_activity(user, activity.pk)))


@router.post("/activities/{id}/assignments", response={201: ActivityOut, **WRITE_ERRORS})
def assign(request, payload: AssignmentIn, id: int = Path(..., ge=1, le=MAX_ID)):
    """Give an organisation or a role its part in an activity; an activity has one Accountable."""
    user = request.auth
    activity = _visible_activity(user, id)
    services.assign(
        actor=user,
        activity=activity,
        part=payload.part,
        organisation=_organisation(payload.organisation, "organisation"),
        role=payload.role,
    )
    return Status(201, _activity(_visible_activity(user, id)))


@router.delete("/assignments/{id}", response={204: None, **WRITE_ERRORS})
def unassign(request, id: int = Path(..., ge=1, le=MAX_ID)):
    """Remove an organisation's or a role's part in an activity."""
    user = request.auth
    assignment = (
        Assignment.objects.filter(pk=id, activity__in=selectors.activities_of(user).values("pk"))
        .select_related("activity__investment", "organisation")
        .first()
    )
    if assignment is None:
        raise Http404("No such assignment")
    services.unassign(actor=user, assignment=assignment)
    return Status(204, None)


# --- Strategic plan versions -------------------------------------------------------------------


class PlanVersionIn(Schema):
    owner: str = Field(..., description="The slug of the owner organisation")
    summary: str = Field(..., max_length=2000, description="What changed since the last version")
    body: str = ""
    title: str = Field("", max_length=300, description="“Strategic plan, version N” if not given")


class Titled(Schema):
    uid: str
    title: str


class FieldChange(Schema):
    field: str
    before: Any
    after: Any


class ChangedRecord(Titled):
    fields: list[FieldChange]


class SectionDiffOut(Schema):
    name: str
    label: str
    added: list[Titled]
    removed: list[Titled]
    changed: list[ChangedRecord]


@router.post("/plan-versions", response={201: ItemOut, **WRITE_ERRORS})
def create_plan_version(request, payload: PlanVersionIn):
    """The Organisation Leader: number and snapshot the plan as the public sees it, as a draft
    version to triage and publish. Once published it cannot be changed."""
    version = services.create_plan_version(
        actor=request.auth,
        owner=_owner(payload.owner),
        summary=payload.summary,
        body=payload.body,
        title=payload.title,
    )
    return _created(request.auth, version)


@router.get(
    "/plan-versions/{a}/diff/{b}",
    response={200: list[SectionDiffOut], **READ_ERRORS},
    auth=OptionalToken(),
)
def plan_diff(request, a: str, b: str):
    """What changed in the plan from version `a` to version `b`, section by section."""
    older = get_visible_item(request.auth, a, PlanVersion)
    newer = get_visible_item(request.auth, b, PlanVersion)
    return [
        {
            "name": s.name,
            "label": s.label,
            "added": [{"uid": uid, "title": title} for uid, title in s.added],
            "removed": [{"uid": uid, "title": title} for uid, title in s.removed],
            "changed": [
                {
                    "uid": c.uid,
                    "title": c.title,
                    "fields": [{"field": f, "before": x, "after": y} for f, x, y in c.fields],
                }
                for c in s.changed
            ],
        }
        for s in selectors.plan_diff(older, newer)
    ]
