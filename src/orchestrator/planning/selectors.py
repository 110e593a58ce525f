"""Reads of the plan, each starting from what the viewer may see."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from orchestrator.core.measures import Measure
from orchestrator.core.models import Item

from .charts import line_chart
from .models import (
    Activity,
    Assignment,
    Dependency,
    Investment,
    Issue,
    Metric,
    Milestone,
    Objective,
    PlanVersion,
    Raci,
    RaidStatus,
    Risk,
)

if TYPE_CHECKING:
    from orchestrator.people.models import User


def visible(model: type[Item], user: User | None) -> QuerySet:
    """The records of one kind that `user` may see."""
    return model.objects.visible_to(user)


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
    """An objective's page: the metrics of it, and the investments serving it, the viewer may see."""
    return {
        "objective": objective,
        "metrics": list(visible(Metric, user).filter(measures=objective).order_by("title")),
        "investments": list(
            visible(Investment, user).filter(objectives=objective).order_by("title")
        ),
    }


# --- Investments and responsibilities ----------------------------------------------------------


def activities_of(user: User | None, investments: QuerySet | None = None) -> QuerySet:
    """RACI activities the viewer may see: of visible investments, and every work area's."""
    seen = Item.objects.visible_to(user).values("pk")
    scope = Q(investment__isnull=True) | Q(investment__in=seen)
    queryset = Activity.objects.filter(scope)
    if investments is not None:
        queryset = queryset.filter(investment__in=investments)
    return queryset.select_related("investment").prefetch_related("assignments__organisation")


@dataclass
class MatrixRow:
    activity: Activity
    parts: dict[str, list[Assignment]]

    @property
    def cells(self) -> list[tuple[str, list[Assignment]]]:
        """R, A, C and I in that order, each with its assignments."""
        return [(part, self.parts.get(part, [])) for part in Raci.values]

    @property
    def accountable(self) -> Assignment | None:
        found = self.parts.get(Raci.ACCOUNTABLE, [])
        return found[0] if found else None


def raci_rows(activities) -> list[MatrixRow]:
    rows = []
    for activity in activities:
        parts: dict[str, list[Assignment]] = defaultdict(list)
        for assignment in activity.assignments.all():
            parts[assignment.part].append(assignment)
        rows.append(MatrixRow(activity=activity, parts=dict(parts)))
    return rows


def investment_panel(user: User | None, investment: Investment) -> dict:
    """An investment's page: features, phases, objectives and metrics, milestones, RACI, the
    designating decision and RAID entries — each only where the viewer may see it."""
    seen = Item.objects.visible_to(user).values("pk")
    designation = (
        Item.objects.visible_to(user).filter(pk=investment.designated_by_id).first()
        if investment.designated_by_id
        else None
    )
    raid = {
        model.KIND_PLURAL: visible(model, user)
        .filter(for_investment=investment)
        .exclude(raid_status=RaidStatus.CLOSED)
        .count()
        for model in (Risk, Issue, Dependency)
    }
    return {
        "investment": investment,
        "cost": _cost(investment),
        "features": list(investment.features.all()),
        "objectives": list(investment.objectives.filter(pk__in=seen).order_by("title")),
        "metrics": list(investment.metrics.filter(pk__in=seen).order_by("title")),
        "milestones": list(
            visible(Milestone, user).filter(for_investment=investment).order_by("planned_on")[:50]
        ),
        "raci": raci_rows(activities_of(user).filter(investment=investment)),
        "designation": designation,
        "open_raid": raid,
        "can_plan": bool(user and user.has_perm("planning.maintain_plan")),
        "can_designate": bool(user and user.has_perm("planning.designate")),
    }


def _cost(investment: Investment) -> str:
    low, high = investment.cost_low, investment.cost_high
    if low is None and high is None:
        return "Not estimated"
    text = " to ".join("£?" if v is None else f"£{v:,.0f}" for v in (low, high))
    if investment.cost_confidence:
        text += f" ({investment.get_cost_confidence_display().lower()} confidence)"
    return text


def responsibilities(
    user: User | None, *, organisation=None, investment: Investment | None = None
) -> list[MatrixRow]:
    """Who is responsible for delivering what, across the sector: every visible activity's RACI,
    optionally only those of one investment or those where one organisation has a part."""
    activities = activities_of(user)
    if investment is not None:
        activities = activities.filter(investment=investment)
    if organisation is not None:
        activities = activities.filter(assignments__organisation=organisation).distinct()
    return raci_rows(activities.order_by("investment__title", "work_area", "name"))


# --- Planning measures -------------------------------------------------------------------------


def planning_measures(user: User | None, *, today: dt.date | None = None) -> list[Measure]:
    """The planning measures, computed from the records the viewer may see (never typed in)."""
    today = today or timezone.localdate()
    issues = visible(Issue, user)
    due = visible(Milestone, user).filter(planned_on__lte=today)
    on_time = due.filter(actual_on__isnull=False, actual_on__lte=F("planned_on"))
    investments = visible(Investment, user)
    accountable = Assignment.objects.filter(
        activity__investment=OuterRef("pk"), part=Raci.ACCOUNTABLE
    )
    unaccountable = Activity.objects.filter(investment=OuterRef("pk")).exclude(
        Exists(Assignment.objects.filter(activity=OuterRef("pk"), part=Raci.ACCOUNTABLE))
    )
    seen_metrics = Item.objects.visible_to(user).filter(kind=Metric.KIND).values("pk")
    complete = (
        investments.annotate(n=Count("metrics", filter=Q(metrics__in=seen_metrics)))
        .filter(n__gt=0)
        .filter(Exists(accountable))
        .exclude(Exists(unaccountable))
    )
    risks = visible(Risk, user).exclude(raid_status=RaidStatus.CLOSED)
    return [
        Measure(
            "Issues that had been identified as risks beforehand",
            issues.filter(foreseen_by__isnull=False).count(),
            issues.count(),
            "Of the issues in the RAID log, those linked to a risk identified on or before the day "
            "the issue happened.",
        ),
        Measure(
            "Milestones reached on time",
            on_time.count(),
            due.count(),
            "Of the milestones planned for today or earlier, those reached on or before their "
            "planned date.",
        ),
        Measure(
            "Investments with success metrics and a named Accountable",
            complete.count(),
            investments.count(),
            "Investments measured by at least one success metric, with RACI activities that each "
            "name their one Accountable.",
        ),
        Measure(
            "Open risks past their review date",
            risks.filter(review_on__lt=today).count(),
            risks.count(),
            "Of the risks not closed, those whose review date has passed.",
            higher_is_better=False,
        ),
    ]


# --- Strategic plan versions -------------------------------------------------------------------


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _number(value) -> str | None:
    return None if value is None else f"{value.normalize():f}"


def plan_snapshot() -> dict[str, Any]:
    """The plan as the public sees it now: what a plan version fixes.

    Only open, published records go in, so a version can be shown to anyone without revealing
    what was withheld when it was made."""
    public = Item.objects.visible_to(None).values("pk")

    def kind(model):
        return model.objects.filter(pk__in=public).order_by("uid")

    latest: dict[int, tuple[str, str]] = {}
    metrics = list(kind(Metric).prefetch_related("measurements"))
    for metric in metrics:
        measurements = list(metric.measurements.all())
        if measurements:
            last = measurements[-1]
            latest[metric.pk] = (_number(last.value), last.measured_on.isoformat())
    risks = kind(Risk)
    return {
        "taken_at": timezone.now().isoformat(),
        "objectives": {o.uid: {"title": o.title, "summary": o.summary} for o in kind(Objective)},
        "metrics": {
            m.uid: {
                "title": m.title,
                "unit": m.unit,
                "target": _number(m.target),
                "target_date": _date(m.target_date),
                "latest": latest.get(m.pk, (None, None))[0],
                "latest_on": latest.get(m.pk, (None, None))[1],
            }
            for m in metrics
        },
        "investments": {
            i.uid: {
                "title": i.title,
                "phase": i.phase,
                "cost_low": _number(i.cost_low),
                "cost_high": _number(i.cost_high),
                "designated_sdi": i.designated_sdi,
            }
            for i in kind(Investment)
        },
        "milestones": {
            m["uid"]: {
                "title": m["title"],
                "investment": m["for_investment__uid"],
                "planned_on": _date(m["planned_on"]),
                "forecast_on": _date(m["forecast_on"]),
                "actual_on": _date(m["actual_on"]),
            }
            for m in kind(Milestone).values(
                "uid", "title", "for_investment__uid", "planned_on", "forecast_on", "actual_on"
            )
        },
        "raid": {
            "open": {
                model.KIND: kind(model).exclude(raid_status=RaidStatus.CLOSED).count()
                for model in (Risk, Issue, Dependency)
            },
            "high_risks": {
                r["uid"]: {"title": r["title"], "score": r["likelihood"] * r["impact"]}
                for r in risks.exclude(raid_status=RaidStatus.CLOSED)
                .filter(likelihood__gte=4, impact__gte=4)
                .values("uid", "title", "likelihood", "impact")
            },
        },
    }


SECTIONS = (
    ("objectives", "Strategic objectives"),
    ("metrics", "Success metrics"),
    ("investments", "Investments"),
    ("milestones", "Milestones"),
)


FIELD_LABELS = {
    "title": "Title",
    "summary": "Summary",
    "unit": "Unit",
    "target": "Target",
    "target_date": "Target date",
    "latest": "Latest measurement",
    "latest_on": "Latest measured on",
    "phase": "Phase",
    "cost_low": "Cost from (£)",
    "cost_high": "Cost to (£)",
    "designated_sdi": "Designated shared digital infrastructure",
    "investment": "Investment",
    "planned_on": "Planned",
    "forecast_on": "Forecast",
    "actual_on": "Reached",
    "score": "Score",
}


@dataclass
class Change:
    uid: str
    title: str
    fields: list[tuple[str, Any, Any]]


@dataclass
class SectionDiff:
    name: str
    label: str
    added: list[tuple[str, str]]
    removed: list[tuple[str, str]]
    changed: list[Change]

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def plan_diff(older: PlanVersion, newer: PlanVersion) -> list[SectionDiff]:
    """What changed in the plan between two versions: records added, removed and changed."""
    diffs = []
    for name, label in (*SECTIONS, ("high_risks", "High risks (likelihood and impact 4 or more)")):
        a = _section(older.snapshot, name)
        b = _section(newer.snapshot, name)
        changed = []
        for uid in sorted(set(a) & set(b)):
            fields = [
                (FIELD_LABELS.get(field, field), a[uid].get(field), b[uid].get(field))
                for field in sorted(set(a[uid]) | set(b[uid]))
                if a[uid].get(field) != b[uid].get(field)
            ]
            if fields:
                changed.append(Change(uid=uid, title=b[uid].get("title", uid), fields=fields))
        diffs.append(
            SectionDiff(
                name=name,
                label=label,
                added=[(uid, b[uid].get("title", uid)) for uid in sorted(set(b) - set(a))],
                removed=[(uid, a[uid].get("title", uid)) for uid in sorted(set(a) - set(b))],
                changed=changed,
            )
        )
    return diffs


def _section(snapshot: dict, name: str) -> dict[str, dict]:
    if name == "high_risks":
        return snapshot.get("raid", {}).get("high_risks", {})
    return snapshot.get(name, {})


def plan_versions(user: User | None) -> QuerySet:
    return visible(PlanVersion, user).order_by("-number")


def plan_version_panel(user: User | None, version: PlanVersion) -> dict:
    """A plan version's page: what it fixed, and what changed since the version before it."""
    previous = plan_versions(user).filter(number__lt=version.number).first()
    snapshot = version.snapshot
    return {
        "version": version,
        "counts": [(label, len(snapshot.get(name, {}))) for name, label in SECTIONS],
        "open_raid": snapshot.get("raid", {}).get("open", {}),
        "previous": previous,
        "diff": plan_diff(previous, version) if previous else None,
    }


def designated_investments(user: User | None) -> dict[str, list[Investment]]:
    """The investments the viewer may see that the Product Team designated shared digital
    infrastructure, and those it left to the market."""
    seen = Investment.objects.visible_to(user).order_by("title")
    return {
        "shared": list(seen.filter(designated_sdi=True)[:200]),
        "market": list(seen.filter(left_to_market=True)[:200]),
    }
