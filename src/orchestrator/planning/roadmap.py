"""The delivery roadmap: visible milestones by investment, the timeline's geometry, critical paths."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from orchestrator.core.models import UID_PATTERN
from orchestrator.people.models import Organisation

from .models import Investment, Milestone

if TYPE_CHECKING:
    from orchestrator.people.models import User

# One page of the timeline: this many investments, each with at most this many milestones, so a
# page never draws more than a thousand markers however large the plan is.
INVESTMENTS_PER_PAGE = 20
MILESTONES_PER_LANE = 50
# A critical path walks the prerequisites one level (one query) at a time; these bound the walk.
MAX_PATH_LEVELS = 100
MAX_PATH_MILESTONES = 5000

_UID = re.compile(rf"^{UID_PATTERN}$")
# Only these columns reach the page: a milestone's body can be long, and a page has up to 1,000.
_COLUMNS = ("uid", "title", "phase", "planned_on", "forecast_on", "actual_on", "for_investment_id")


def shown_milestones(user: User | None) -> QuerySet[Milestone]:
    """The milestones the roadmap may show `user`: those the viewer may see, of investments the
    viewer may see. A lane is named after its investment, so a hidden investment has no lane, and
    its milestones are not drawn, listed, counted or walked through anywhere on the roadmap."""
    # Visibility is tested on each milestone's own row (it is an Item), not by a semi-join over
    # every visible record; the investments' subquery spans only investments.
    investments = Investment.objects.visible_to(user).values("pk")
    return Milestone.objects.visible_to(user).filter(for_investment_id__in=investments)


def find_investment(user: User | None, uid: str) -> Investment | None:
    """The investment with this identifier, if the viewer may see it."""
    if not _UID.match(uid):
        return None
    return Investment.objects.visible_to(user).filter(uid=uid).first()


def find_milestone(user: User | None, uid: str) -> Milestone | None:
    """The milestone with this identifier, if the roadmap may show it to the viewer."""
    if not _UID.match(uid):
        return None
    return shown_milestones(user).filter(uid=uid).select_related("for_investment").first()


def responsible_organisations(user: User | None) -> QuerySet[Organisation]:
    """The organisations responsible for (owning) at least one milestone the viewer may see."""
    return Organisation.objects.filter(pk__in=shown_milestones(user).values("owner_id")).order_by(
        "name"
    )


def filtered_milestones(
    user: User | None,
    *,
    investment: str = "",
    organisation: str = "",
    phase: str = "",
) -> QuerySet[Milestone]:
    """The milestones shown to `user` of the investment with uid `investment`, owned by the
    organisation with slug `organisation`, in `phase` (each ignored when empty)."""
    queryset = shown_milestones(user)
    if investment:
        queryset = queryset.filter(for_investment__uid=investment)
    if organisation:
        queryset = queryset.filter(owner__slug=organisation)
    if phase:
        queryset = queryset.filter(phase=phase)
    return queryset


# --- A page of the roadmap ---------------------------------------------------------------------


@dataclass
class LaneRows:
    """One investment and the milestones of it on this page, with how many it has in all."""

    investment: Investment
    milestones: list[Milestone]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.milestones)


@dataclass
class RoadmapPage:
    page: Page  # of investments
    lanes: list[LaneRows]
    milestones: int  # matching, across every page
    slipped: int  # of those, expected after planned


def _expected() -> Coalesce:
    return Coalesce("actual_on", "forecast_on", "planned_on")


def roadmap_page(
    user: User | None,
    *,
    investment: str = "",
    organisation: str = "",
    phase: str = "",
    page: str | int | None = None,
    chain: Sequence[Milestone] = (),
) -> RoadmapPage:
    """One page of investments (in title order) with their matching milestones (by planned date).

    The milestones of a critical path (`chain`) are always shown, whatever the filters, and the
    investments they belong to come first, so the whole chain is on the first page. A fixed number
    of queries: count and page the investments, fetch their milestones, total and slipped counts."""
    matching = filtered_milestones(
        user, investment=investment, organisation=organisation, phase=phase
    )
    chain_pks = [m.pk for m in chain]
    if chain_pks:
        matching = shown_milestones(user).filter(
            Q(pk__in=matching.values("pk")) | Q(pk__in=chain_pks)
        )
    investments = Investment.objects.filter(pk__in=matching.values("for_investment_id"))
    order = ["title", "uid"]
    if chain_pks:
        on_chain = {m.for_investment_id for m in chain}
        investments = investments.annotate(
            off_chain=Case(
                When(pk__in=on_chain, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        order.insert(0, "off_chain")
    paged = Paginator(investments.order_by(*order), INVESTMENTS_PER_PAGE).get_page(page)
    lane_of = {inv.pk: inv for inv in paged.object_list}

    # Each lane keeps its first milestones by planned date (the chain's first of all), and knows
    # how many it has: one query with window functions rather than one a lane.
    lane_order = [F("planned_on").asc(), F("pk").asc()]
    if chain_pks:
        lane_order.insert(
            0,
            Case(
                When(pk__in=chain_pks, then=Value(0)), default=Value(1), output_field=IntegerField()
            ),
        )
    rows = (
        matching.filter(for_investment_id__in=list(lane_of))
        .only(*_COLUMNS)
        .annotate(
            lane_rank=Window(
                RowNumber(), partition_by=[F("for_investment_id")], order_by=lane_order
            ),
            lane_total=Window(Count("pk"), partition_by=[F("for_investment_id")]),
        )
        .filter(lane_rank__lte=MILESTONES_PER_LANE)
        .order_by("for_investment_id", "planned_on", "pk")
    )
    grouped: dict[int, list[Milestone]] = defaultdict(list)
    totals: dict[int, int] = {}
    for milestone in rows:
        milestone.for_investment = lane_of[milestone.for_investment_id]
        grouped[milestone.for_investment_id].append(milestone)
        totals[milestone.for_investment_id] = milestone.lane_total
    lanes = [
        LaneRows(inv, grouped[inv.pk], totals.get(inv.pk, 0))
        for inv in paged.object_list
        if grouped[inv.pk]
    ]
    counts = matching.annotate(expected=_expected()).aggregate(
        milestones=Count("pk"), slipped=Count("pk", filter=Q(expected__gt=F("planned_on")))
    )
    return RoadmapPage(paged, lanes, counts["milestones"], counts["slipped"])


# --- The critical path -------------------------------------------------------------------------


@dataclass
class CriticalPath:
    """The chain of prerequisites that decides when `target` can be reached, earliest first."""

    target: Milestone
    steps: list[Milestone]
    # When the target can be reached at the earliest, given what it depends on: later than its own
    # expected date when a prerequisite is expected after it.
    earliest_on: dt.date
    # The walk stopped at its bounds before reaching the first prerequisites.
    cut_short: bool = False

    @property
    def at_risk(self) -> bool:
        return self.earliest_on > self.target.expected_on

    @property
    def pks(self) -> list[int]:
        return [m.pk for m in self.steps]


def _expected_of(dates: tuple[dt.date, dt.date | None, dt.date | None]) -> dt.date:
    planned, forecast, actual = dates
    return actual or forecast or planned


def critical_path(user: User | None, target: Milestone) -> CriticalPath:
    """The longest chain, by expected dates, of `depends_on` prerequisites ending at `target`.

    As in the critical path method: a milestone can be reached no earlier than its own expected date
    (actual, else forecast, else planned) nor before every prerequisite is reached; the prerequisite
    reached last drives it, and the path follows the drivers back from the target. Ties go to the
    longer chain. Only milestones the roadmap may show the viewer are walked, so a hidden one ends a
    chain as if it were not there. The walk is breadth-first: one query a level of prerequisites."""
    through = Milestone.depends_on.through
    shown = shown_milestones(user).values("pk")
    dates = {target.pk: (target.planned_on, target.forecast_on, target.actual_on)}
    prerequisites: dict[int, list[int]] = defaultdict(list)
    frontier = [target.pk]
    levels, cut_short = 0, False
    while frontier:
        if levels >= MAX_PATH_LEVELS or len(dates) > MAX_PATH_MILESTONES:
            cut_short = True
            break
        found = []
        for source, prerequisite, planned, forecast, actual in through.objects.filter(
            from_milestone_id__in=frontier, to_milestone_id__in=shown
        ).values_list(
            "from_milestone_id",
            "to_milestone_id",
            "to_milestone__planned_on",
            "to_milestone__forecast_on",
            "to_milestone__actual_on",
        ):
            prerequisites[source].append(prerequisite)
            if prerequisite not in dates:
                dates[prerequisite] = (planned, forecast, actual)
                found.append(prerequisite)
        frontier = found
        levels += 1

    # Earliest finish of each milestone, and the prerequisite that drives it, computed depth first
    # without recursion (chains can be long); the graph has no cycles (the services refuse them).
    best: dict[int, tuple[dt.date, int, int]] = {}  # pk -> (earliest, chain length, pk)
    driver: dict[int, int | None] = {}
    stack = [target.pk]
    while stack:
        pk = stack[-1]
        if pk in best:
            stack.pop()
            continue
        pending = [p for p in prerequisites.get(pk, ()) if p not in best]
        if pending:
            stack.extend(pending)
            continue
        stack.pop()
        own = _expected_of(dates[pk])
        candidates = [best[p] for p in prerequisites.get(pk, ())]
        if candidates:
            top = max(candidates)
            driver[pk] = top[2]
            best[pk] = (max(own, top[0]), top[1] + 1, pk)
        else:
            driver[pk] = None
            best[pk] = (own, 1, pk)

    order: list[int] = []
    pk: int | None = target.pk
    while pk is not None:
        order.append(pk)
        pk = driver.get(pk)
    order.reverse()
    fetched = {
        m.pk: m
        for m in shown_milestones(user)
        .filter(pk__in=order)
        .only(*_COLUMNS, "for_investment__uid", "for_investment__title")
        .select_related("for_investment")
    }
    fetched[target.pk] = target
    return CriticalPath(
        target=target,
        steps=[fetched[pk] for pk in order if pk in fetched],
        earliest_on=best[target.pk][0],
        cut_short=cut_short,
    )


# --- The timeline's geometry -------------------------------------------------------------------

WIDTH = 960
LEFT, RIGHT, TOP, BOTTOM = 208, 20, 44, 28
ROW = 20  # a sub-row of a lane: milestones that would overlap go one above another
MAX_ROWS = 4
LANE_PAD = 10
LABEL_CHARS = 27
MAX_TICKS = 12
TICK_STEPS = (1, 3, 12, 24, 60, 120)  # months: monthly, quarterly, then by years


@dataclass(frozen=True)
class Tick:
    x: float
    label: str
    year: str  # shown under the label where the year changes


@dataclass(frozen=True)
class Marker:
    milestone: Milestone
    x: float  # planned date
    y: float
    end_x: float | None  # actual, else forecast, where that differs from planned
    reached: bool  # the end is an actual date (solid), not a forecast (dashed)
    slipped_days: int
    on_path: bool
    label: str

    @property
    def diamond(self) -> str:
        return _diamond(self.x, self.y, 7)

    @property
    def ring(self) -> str:
        return _diamond(self.x, self.y, 12)

    @property
    def expected_x(self) -> float:
        return self.x if self.end_x is None else self.end_x


@dataclass(frozen=True)
class Lane:
    investment: Investment
    top: float
    height: float
    label: str
    markers: list[Marker]
    shaded: bool


@dataclass
class Timeline:
    width: int
    height: int
    left: int
    right_x: int
    top: int
    plot_bottom: float
    start: dt.date
    end: dt.date
    ticks: list[Tick]
    today_x: float | None
    lanes: list[Lane]
    path_d: str = ""
    markers: int = 0
    slipped: int = 0


def _diamond(x: float, y: float, r: float) -> str:
    return f"M {x} {y - r} L {x + r} {y} L {x} {y + r} L {x - r} {y} Z"


def _months(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def _add_months(day: dt.date, n: int) -> dt.date:
    years, month = divmod(day.month - 1 + n, 12)
    return dt.date(day.year + years, month + 1, 1)


def _align(day: dt.date, step: int) -> dt.date:
    """The start of the tick period (month, quarter, year or run of years) containing `day`."""
    if step < 12:
        return dt.date(day.year, (day.month - 1) // step * step + 1, 1)
    years = step // 12
    return dt.date(day.year // years * years, 1, 1)


def _label(day: dt.date, step: int) -> str:
    if step == 1:
        return f"{day:%b}"
    if step == 3:
        return f"Q{(day.month - 1) // 3 + 1}"
    return str(day.year)


def _axis(first: dt.date, last: dt.date) -> tuple[dt.date, dt.date, int]:
    """The axis' start and end, on tick boundaries, and the months between ticks."""
    for step in TICK_STEPS:
        start = _align(first, step)
        end = _add_months(_align(last, step), step)
        if _months(start, end) / step <= MAX_TICKS:
            return start, end, step
    return start, end, step


def _describe(m: Milestone, on_path: bool) -> str:
    parts = [f"{m.title}: planned {m.planned_on:%-d %B %Y}"]
    if m.actual_on:
        parts.append(f"reached {m.actual_on:%-d %B %Y}")
    elif m.forecast_on:
        parts.append(f"forecast {m.forecast_on:%-d %B %Y}")
    if m.slipped_days:
        parts.append(f"slipped {m.slipped_days} day{'s' if m.slipped_days != 1 else ''}")
    if on_path:
        parts.append("on the critical path")
    return "; ".join(parts)


def _truncate(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


def timeline(
    lanes: list[LaneRows], *, chain: Sequence[Milestone] = (), today: dt.date | None = None
) -> Timeline | None:
    """The geometry of one page of the roadmap: a time axis with month, quarter or year ticks, one
    lane per investment, a diamond per milestone at its planned date and, where its actual or
    forecast date differs, a bar to that date (solid when reached, dashed when forecast); a line for
    today; and the critical path (`chain`) ringed and joined. None when there is nothing to draw."""
    milestones = [m for lane in lanes for m in lane.milestones]
    if not milestones:
        return None
    today = today or timezone.localdate()
    days = [today]
    for m in milestones:
        days.extend(d for d in (m.planned_on, m.forecast_on, m.actual_on) if d)
    start, end, step = _axis(min(days), max(days))
    span = (end - start).days
    plot_w = WIDTH - LEFT - RIGHT

    def x(day: dt.date) -> float:
        return round(LEFT + plot_w * (day - start).days / span, 1)

    ticks = []
    day, previous_year = start, None
    while day <= end:
        year = str(day.year) if step < 12 and day.year != previous_year else ""
        ticks.append(Tick(x(day), _label(day, step), year))
        previous_year = day.year
        day = _add_months(day, step)

    on_path = {m.pk for m in chain}
    drawn: list[Lane] = []
    positions: dict[int, tuple[float, float]] = {}
    top = float(TOP)
    slipped = 0
    for index, lane in enumerate(lanes):
        # Pack the lane's milestones into sub-rows so that bars and diamonds do not overlap.
        placed: list[tuple[Milestone, float, float | None, int]] = []
        row_ends: list[float] = []
        for m in sorted(lane.milestones, key=lambda m: (min(m.planned_on, m.expected_on), m.pk)):
            px = x(m.planned_on)
            ex = x(m.expected_on) if m.expected_on != m.planned_on else None
            left, right = min(px, ex or px) - 9, max(px, ex or px) + 9
            row = next((i for i, e in enumerate(row_ends) if e < left), None)
            if row is None and len(row_ends) < MAX_ROWS:
                row_ends.append(right)
                row = len(row_ends) - 1
            elif row is None:
                row = min(range(len(row_ends)), key=row_ends.__getitem__)
            row_ends[row] = max(row_ends[row], right)
            placed.append((m, px, ex, row))
        height = max(40.0, len(row_ends) * ROW + 2 * LANE_PAD)
        markers = []
        for m, px, ex, row in placed:
            y = top + LANE_PAD + row * ROW + ROW / 2
            marker = Marker(
                milestone=m,
                x=px,
                y=y,
                end_x=ex,
                reached=m.actual_on is not None,
                slipped_days=m.slipped_days,
                on_path=m.pk in on_path,
                label=_describe(m, m.pk in on_path),
            )
            slipped += bool(m.slipped_days)
            markers.append(marker)
            positions[m.pk] = (marker.expected_x, y)
        drawn.append(
            Lane(
                investment=lane.investment,
                top=top,
                height=height,
                label=_truncate(lane.investment.title),
                markers=markers,
                shaded=index % 2 == 0,
            )
        )
        top += height

    # The chain, earliest first, joined where its milestones are on this page.
    path, joined = [], False
    for m in chain:
        if m.pk in positions:
            px, py = positions[m.pk]
            path.append(f"{'L' if joined else 'M'} {px} {py}")
            joined = True
        else:
            joined = False
    return Timeline(
        width=WIDTH,
        height=int(top + BOTTOM),
        left=LEFT,
        right_x=WIDTH - RIGHT,
        top=TOP,
        plot_bottom=top,
        start=start,
        end=end,
        ticks=ticks,
        today_x=x(today),
        lanes=drawn,
        path_d=" ".join(path) if len(positions.keys() & on_path) > 1 else "",
        markers=len(milestones),
        slipped=slipped,
    )


# --- A milestone's own page --------------------------------------------------------------------


def milestone_panel(user: User | None, milestone: Milestone) -> dict:
    """A milestone's page: its investment (if the viewer may see it), dates and slip, and the
    prerequisites and dependants of it the roadmap may show the viewer."""
    investment = Investment.objects.visible_to(user).filter(pk=milestone.for_investment_id).first()
    related = shown_milestones(user).only(*_COLUMNS).order_by("planned_on", "pk")
    return {
        "milestone": milestone,
        "investment": investment,
        "prerequisites": list(related.filter(dependants=milestone)),
        "dependants": list(related.filter(depends_on=milestone)),
        # The roadmap draws a milestone only in its investment's lane.
        "on_roadmap": investment is not None,
        "can_plan": bool(user and user.has_perm("planning.maintain_plan")),
    }
