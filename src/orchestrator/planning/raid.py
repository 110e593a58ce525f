"""Reads of the RAID log for people: entries of the four kinds, the heat map, panels, escalations."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.db.models import BigIntegerField, Count, F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404

from orchestrator.core.metadata import public_people
from orchestrator.core.models import Item, Link, Relation
from orchestrator.core.selectors import REDACTED, redacted_fields
from orchestrator.engagement.models import Category, State, Submission
from orchestrator.people.models import Organisation, Role
from orchestrator.people.selectors import (
    current_appointments,
    is_staff,
    longest_serving_organisation,
)

from .models import Assumption, Dependency, Escalation, Investment, Issue, RaidStatus, Risk
from .services import ESCALATABLE

if TYPE_CHECKING:
    from django.core.paginator import Page

    from orchestrator.people.models import User

RAID_MODELS: dict[str, type[Item]] = {m.KIND: m for m in (Risk, Issue, Assumption, Dependency)}
RAID_KINDS = tuple(RAID_MODELS)
SCORES = range(1, 6)
# How many of the accepted submissions waiting to be logged /raid lists at once, oldest first.
TO_LOG_SHOWN = 10


# --- Filters -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RaidFilters:
    """What the RAID log is narrowed to. Scores and heat-map cells concern risks only."""

    kind: str = ""
    raid_status: str = ""
    investment: Investment | None = None
    owner: Organisation | None = None
    min_score: int | None = None
    likelihood: int | None = None
    impact: int | None = None
    residual_likelihood: int | None = None
    residual_impact: int | None = None

    @property
    def params(self) -> dict[str, str]:
        """The filters as the query parameters of /raid, leaving out those not set."""
        values = {
            "kind": self.kind,
            "status": self.raid_status,
            "investment": self.investment.uid if self.investment else "",
            "owner": self.owner.slug if self.owner else "",
            "min_score": self.min_score,
            "likelihood": self.likelihood,
            "impact": self.impact,
            "residual_likelihood": self.residual_likelihood,
            "residual_impact": self.residual_impact,
        }
        return {k: str(v) for k, v in values.items() if v not in ("", None)}

    @property
    def query_string(self) -> str:
        return urlencode(self.params)

    @property
    def active(self) -> bool:
        return bool(self.params)

    @property
    def risks_only(self) -> bool:
        """Whether a filter only risks have (a score or a cell) is set."""
        return any(
            v is not None
            for v in (
                self.min_score,
                self.likelihood,
                self.impact,
                self.residual_likelihood,
                self.residual_impact,
            )
        )

    def without_cells(self) -> RaidFilters:
        return replace(
            self, likelihood=None, impact=None, residual_likelihood=None, residual_impact=None
        )


def _entry_field(name: str, kind: str, output_field: Any = None) -> Any:
    """A field every RAID entry has, read from the one kind chosen or from whichever kind it is."""
    if kind:
        return F(f"{kind}__{name}")
    return Coalesce(*(F(f"{k}__{name}") for k in RAID_KINDS), output_field=output_field)


def _cell_q(filters: RaidFilters) -> Q:
    """The heat-map cell chosen, as conditions on an entry's risk (an entry that is no risk fails)."""
    q = Q()
    for name in ("likelihood", "impact", "residual_likelihood", "residual_impact"):
        value = getattr(filters, name)
        if value is not None:
            q &= Q(**{f"risk__{name}": value})
    return q


# What a row of the list shows. Sorting every visible entry (tens of thousands) is cheaper without
# carrying each one's body and summary through the sort.
LISTED = ("uid", "kind", "title", "visibility", "status", "owner", "updated_at")


def raid_entries(user: User | None, filters: RaidFilters = RaidFilters()) -> QuerySet[Item]:
    """The RAID entries `user` may see, narrowed by `filters`: highest-scored risks first, then
    the most recently changed. Each carries `entry_status`, `entry_investment`, `entry_review_on`
    and (risks) `score`, so a page of them is one query whatever their kinds."""
    kind = filters.kind
    if filters.risks_only and kind not in ("", Risk.KIND):
        return Item.objects.none()
    if filters.risks_only:
        kind = Risk.KIND
    visible = Item.objects.visible_to(user)
    queryset = visible.filter(kind=kind) if kind else visible.filter(kind__in=RAID_KINDS)
    queryset = queryset.annotate(
        entry_status=_entry_field("raid_status", kind),
        entry_investment=_entry_field("for_investment", kind, BigIntegerField()),
        entry_review_on=_entry_field("review_on", kind),
        score=F("risk__likelihood") * F("risk__impact"),
    )
    if filters.owner is not None:
        queryset = queryset.filter(owner=filters.owner)
    if filters.raid_status:
        queryset = queryset.filter(entry_status=filters.raid_status)
    if filters.investment is not None:
        queryset = queryset.filter(entry_investment=filters.investment.pk)
    if filters.min_score is not None:
        queryset = queryset.filter(score__gte=filters.min_score)
    return (
        queryset.filter(_cell_q(filters))
        .select_related("owner")
        .only(*LISTED, "owner__name", "owner__slug")
        .order_by(F("score").desc(nulls_last=True), "-updated_at", "-id")
    )


@dataclass(frozen=True)
class RaidRow:
    item: Item
    investment: Item | None  # only if the viewer may see it
    band: str
    status_label: str


def raid_rows(user: User | None, page: Page) -> list[RaidRow]:
    """A page of `raid_entries` with the investment each concerns, where the viewer may see it."""
    items = list(page.object_list)
    wanted = {i.entry_investment for i in items if i.entry_investment}
    investments = (
        {i.pk: i for i in Item.objects.visible_to(user).filter(pk__in=wanted).only("uid", "title")}
        if wanted
        else {}
    )
    statuses = dict(RaidStatus.choices)
    return [
        RaidRow(
            item=i,
            investment=investments.get(i.entry_investment),
            band=band(i.score).label,
            status_label=statuses.get(i.entry_status, i.entry_status or ""),
        )
        for i in items
    ]


def raid_owners(user: User | None) -> QuerySet[Organisation]:
    """Organisations that own at least one RAID entry `user` may see, for the owner filter."""
    # The distinct owners first, then their organisations: as one semi-join, PostgreSQL walks every
    # organisation's records by index (seconds at national scale; see docs/performance.md).
    owned = set(
        Item.objects.visible_to(user)
        .filter(kind__in=RAID_KINDS)
        .order_by()
        .values_list("owner_id", flat=True)
        .distinct()
    )
    return Organisation.objects.filter(pk__in=owned).order_by("name")


# --- The heat map ------------------------------------------------------------------------------

# Small enough that the text stays readable when a 320 px phone scales the whole drawing down.
CELL = 56
LEFT, TOP, RIGHT, BOTTOM = 52, 8, 8, 104
WIDTH = LEFT + 5 * CELL + RIGHT
HEIGHT = TOP + 5 * CELL + BOTTOM
LEGEND_TOP = TOP + 5 * CELL + 60


@dataclass(frozen=True)
class Band:
    low: int
    high: int
    label: str
    fill: str
    text: str


# Score bands (likelihood × impact), most severe first. The darkest fill takes white text.
BANDS = (
    Band(15, 25, "Very high", "#d4351c", "#ffffff"),
    Band(10, 14, "High", "#fcd6c3", "#0b0c0c"),
    Band(5, 9, "Medium", "#fff7bf", "#0b0c0c"),
    Band(1, 4, "Low", "#cce2d8", "#0b0c0c"),
)
NO_BAND = Band(0, 0, "", "#ffffff", "#0b0c0c")


def band(score: int | None) -> Band:
    """The band a score falls in (NO_BAND for no score)."""
    for b in BANDS:
        if score is not None and b.low <= score <= b.high:
            return b
    return NO_BAND


@dataclass(frozen=True)
class HeatCell:
    likelihood: int
    impact: int
    count: int
    x: int
    y: int
    query: str  # the /raid query string that lists this cell's risks
    selected: bool

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def band(self) -> Band:
        return band(self.score)

    @property
    def centre(self) -> tuple[int, int]:
        return self.x + CELL // 2, self.y + CELL // 2


@dataclass(frozen=True)
class HeatMap:
    """A 5 × 5 likelihood × impact grid of counts of risks: likelihood up, impact along."""

    name: str  # "current" or "residual"
    title: str
    cells: list[HeatCell]
    total: int
    unscored: int  # risks without a score on this basis (only residual scores can be missing)
    width: int = WIDTH
    height: int = HEIGHT
    cell_size: int = CELL
    left: int = LEFT

    @property
    def band_counts(self) -> list[tuple[str, int]]:
        """How many risks fall in each band, most severe first: the chart's summary in words."""
        totals = {b.label: 0 for b in BANDS}
        for cell in self.cells:
            totals[cell.band.label] += cell.count
        return list(totals.items())

    @property
    def bands(self) -> tuple:
        return BANDS

    @property
    def rows(self) -> list[tuple[int, list[HeatCell]]]:
        """The cells as a table: likelihood 5 down to 1, each row by impact 1 to 5."""
        by = {(c.likelihood, c.impact): c for c in self.cells}
        return [(lk, [by[(lk, im)] for im in SCORES]) for lk in reversed(SCORES)]

    @property
    def likelihood_ticks(self) -> list[tuple[int, int]]:
        return [(lk, TOP + (5 - lk) * CELL + CELL // 2) for lk in SCORES]

    @property
    def impact_ticks(self) -> list[tuple[int, int]]:
        return [(im, LEFT + (im - 1) * CELL + CELL // 2) for im in SCORES]

    @property
    def grid_bottom(self) -> int:
        return TOP + 5 * CELL

    @property
    def axis_x(self) -> int:
        return LEFT + 5 * CELL // 2

    @property
    def axis_y(self) -> int:
        return TOP + 5 * CELL // 2

    @property
    def legend(self) -> list[tuple[int, int, Band]]:
        """Where each band's key goes beneath the grid, two to a row: x, y and the band."""
        return [
            (8 + (i % 2) * (WIDTH // 2), LEGEND_TOP + (i // 2) * 24, b) for i, b in enumerate(BANDS)
        ]


def _grid(
    name: str,
    title: str,
    counts: dict[tuple[int, int], int],
    unscored: int,
    filters: RaidFilters,
) -> HeatMap:
    likelihood_param, impact_param = (
        ("likelihood", "impact")
        if name == "current"
        else ("residual_likelihood", "residual_impact")
    )
    chosen = (getattr(filters, likelihood_param), getattr(filters, impact_param))
    base = filters.without_cells()
    cells = [
        HeatCell(
            likelihood=lk,
            impact=im,
            count=counts.get((lk, im), 0),
            x=LEFT + (im - 1) * CELL,
            y=TOP + (5 - lk) * CELL,
            query=urlencode({**base.params, likelihood_param: lk, impact_param: im}),
            selected=chosen == (lk, im),
        )
        for lk in reversed(SCORES)
        for im in SCORES
    ]
    return HeatMap(name, title, cells, sum(counts.values()), unscored)


def heat_maps(user: User | None, filters: RaidFilters = RaidFilters()) -> list[HeatMap]:
    """The current and residual heat maps of the risks `user` may see, narrowed by every filter
    but the cell chosen (so the whole grid stays in view). One GROUP BY query for both."""
    base = filters.without_cells()
    rows: list[tuple[int, int, int | None, int | None, int]] = []
    if base.kind in ("", Risk.KIND):
        risks = Risk.objects.visible_to(user)
        if base.owner is not None:
            risks = risks.filter(owner=base.owner)
        if base.raid_status:
            risks = risks.filter(raid_status=base.raid_status)
        if base.investment is not None:
            risks = risks.filter(for_investment=base.investment)
        if base.min_score is not None:
            risks = risks.alias(score=F("likelihood") * F("impact")).filter(
                score__gte=base.min_score
            )
        rows = list(
            risks.order_by()
            .values_list("likelihood", "impact", "residual_likelihood", "residual_impact")
            .annotate(n=Count("pk"))
        )
    current: dict[tuple[int, int], int] = {}
    residual: dict[tuple[int, int], int] = {}
    unassessed = 0
    for likelihood, impact, residual_likelihood, residual_impact, n in rows:
        current[(likelihood, impact)] = current.get((likelihood, impact), 0) + n
        if residual_likelihood is None or residual_impact is None:
            unassessed += n
        else:
            key = (residual_likelihood, residual_impact)
            residual[key] = residual.get(key, 0) + n
    return [
        _grid("current", "Risks by likelihood and impact now", current, 0, filters),
        _grid(
            "residual",
            "Risks by likelihood and impact once their mitigations work (residual)",
            residual,
            unassessed,
            filters,
        ),
    ]


# --- Escalations -------------------------------------------------------------------------------


@dataclass(frozen=True)
class EscalationView:
    escalation: Escalation
    escalated_by: str
    responded_by: str

    @property
    def item(self) -> Item:
        return self.escalation.item


PRIVATE = "a registered user"


def escalation_views(viewer: User | None, escalations: list[Escalation]) -> list[EscalationView]:
    """Escalations with who escalated and who answered, named as the audit log names people: if
    they hold or held an appointment (a public role), or the viewer is staff."""
    ids = {e.escalated_by_id for e in escalations} | {e.responded_by_id for e in escalations}
    ids.discard(None)
    named = ids if is_staff(viewer) else public_people(ids)

    def name(user: Any) -> str:
        if user is None:
            return ""
        return str(user) if user.pk in named else PRIVATE

    return [EscalationView(e, name(e.escalated_by), name(e.responded_by)) for e in escalations]


def _escalated(user: User | None) -> QuerySet[Item]:
    """The ids of escalated records `user` may see. Starting from the few escalated records keeps
    the database from listing every visible record first, as `IN (visible records)` made it do."""
    return (
        Item.objects.visible_to(user)
        .filter(pk__in=Escalation.objects.values("item_id"))
        .values("pk")
    )


def visible_escalations(user: User | None, *, answered: bool) -> QuerySet[Escalation]:
    """Escalations of records `user` may see: awaiting the Board (oldest first), or answered
    (most recently answered first)."""
    queryset = Escalation.objects.filter(
        item__in=_escalated(user), responded_at__isnull=not answered
    ).select_related("item", "item__owner", "escalated_by", "responded_by")
    if answered:
        return queryset.order_by("-responded_at", "-id")
    return queryset.order_by("escalated_at", "id")


def escalation_counts(user: User | None) -> dict[str, int]:
    """How many escalations of visible records await the Board, and how many it has answered."""
    return Escalation.objects.filter(item__in=_escalated(user)).aggregate(
        open=Count("pk", filter=Q(responded_at__isnull=True)),
        answered=Count("pk", filter=Q(responded_at__isnull=False)),
    )


def get_visible_escalation(user: User | None, escalation_id: int) -> Escalation:
    """The escalation, if `user` may see the record it concerns; otherwise 404."""
    if not 0 < escalation_id < 2**63:
        # Beyond any id a database holds (and SQLite's integers): no such escalation.
        raise Http404("No such escalation")
    escalation = (
        Escalation.objects.filter(pk=escalation_id, item__in=_escalated(user))
        .select_related("item", "escalated_by", "responded_by")
        .first()
    )
    if escalation is None:
        raise Http404("No such escalation")
    return escalation


def escalation_refusal(item: Item) -> str | None:
    """Why this record cannot go to the Board (the service's rule, said before the form is shown),
    or None if it can."""
    if item.kind not in ESCALATABLE:
        return (
            "Only a risk, an issue or a stakeholder's concern goes to the Board, and this record "
            f"is of another kind ({item.kind_label.lower()})."
        )
    if isinstance(item, Submission) and item.category != Category.CONCERN:
        return (
            "Of the submissions stakeholders raise, only a concern goes to the Board, and this "
            f"one is of another kind ({item.get_category_display().lower()})."
        )
    return None


def escalations_panel(user: User | None, item: Item) -> dict:
    """The escalations of a record the viewer can see, and whether they may escalate or respond."""
    escalations = list(
        Escalation.objects.filter(item=item).select_related("escalated_by", "responded_by")
    )
    awaiting = any(e.is_open for e in escalations)
    escalatable = escalation_refusal(item) is None
    return {
        "escalations": escalation_views(user, escalations),
        "escalatable": escalatable,
        # One escalation at a time: while the Board has it, it cannot go again.
        "can_escalate": escalatable
        and not awaiting
        and bool(user and user.has_perm("planning.escalate")),
        "can_respond": bool(user and user.has_perm("planning.respond_to_escalation")),
    }


# --- The kinds' panels -------------------------------------------------------------------------


def _entry(user: User | None, entry: Any) -> dict:
    """What every RAID entry's page shows: its investment (if visible) and escalations."""
    investment = (
        Item.objects.visible_to(user).filter(pk=entry.for_investment_id).first()
        if entry.for_investment_id
        else None
    )
    return {"entry": entry, "entry_investment": investment, **escalations_panel(user, entry)}


def risk_panel(user: User | None, risk: Risk) -> dict:
    """A risk's page: cause → event → effect, scores, proximity, mitigation, residual score, and
    the issues it became that the viewer may see."""
    hidden = redacted_fields(user, risk)
    text = {n: REDACTED if n in hidden else getattr(risk, n) for n in Risk.TEXT_FIELDS}
    return {
        **_entry(user, risk),
        "risk": risk,
        "text": text,
        "band": band(risk.score).label,
        "residual_band": band(risk.residual_score).label,
        "became_issues": list(
            Issue.objects.visible_to(user).filter(foreseen_by=risk).order_by("occurred_on", "id")
        ),
        # The panel shows the risk's four text fields itself (redacted as above), in the order a
        # risk is read; the record page would otherwise list them again beneath it.
        "kind_fields": [],
    }


def issue_panel(user: User | None, issue: Issue) -> dict:
    """An issue's page: whether it was foreseen, and the risk that foresaw it if visible."""
    risk = (
        Risk.objects.visible_to(user).filter(pk=issue.foreseen_by_id).first()
        if issue.foreseen_by_id
        else None
    )
    return {**_entry(user, issue), "issue": issue, "foreseen_by": risk}


def assumption_panel(user: User | None, assumption: Assumption) -> dict:
    return {**_entry(user, assumption), "assumption": assumption}


def dependency_panel(user: User | None, dependency: Dependency) -> dict:
    """A dependency's page: internal, or on which outside organisation, and by when."""
    organisation = (
        Organisation.objects.filter(pk=dependency.on_organisation_id).first()
        if dependency.on_organisation_id
        else None
    )
    return {**_entry(user, dependency), "dependency": dependency, "on_organisation": organisation}


# --- Submissions for the log -------------------------------------------------------------------


def submissions_to_log(user: User | None) -> QuerySet[Submission]:
    """Accepted risk and dependency submissions not yet in the RAID log, oldest first — for those
    who keep the log; nobody else has any."""
    if not (user and user.has_perm("planning.maintain_plan")):
        return Submission.objects.none()
    logged = Link.objects.filter(
        relation=Relation.REFERENCES, source__kind__in=[Risk.KIND, Dependency.KIND]
    ).values("target_id")
    return (
        Submission.objects.visible_to(user)
        .filter(state=State.ACCEPTED, category__in=[Category.RISK, Category.DEPENDENCY])
        .exclude(pk__in=logged)
        .order_by("decided_at", "id")
    )


PLANNING_ROLES = (Role.PORTFOLIO_MANAGER, Role.ORGANISATION_LEADER)


def log_owner(user: User) -> Organisation | None:
    """Who owns an entry taken from a submission: the planner's own team, or else the Portfolio
    Management Team's (a superuser may hold no appointment)."""
    for appointment in current_appointments(user):
        if appointment.role in PLANNING_ROLES:
            return appointment.organisation
    return longest_serving_organisation(Role.PORTFOLIO_MANAGER)
