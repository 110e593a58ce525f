"""The delivery roadmap: slippage marked, filters, critical paths, hidden milestones absent, and a
fixed number of queries however large the plan."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orchestrator.people.models import Role
from orchestrator.planning import roadmap, services

from ..conftest import client_for
from ..factories import person, publish

TODAY = dt.date.today()
BEGAN = TODAY - dt.timedelta(days=800)


def day(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


@dataclass
class Plan:
    world: object
    portfolio: object

    def investment(self, title: str, outcome: str = "open", **kwargs):
        investment = services.create_investment(
            actor=self.portfolio,
            owner=kwargs.pop("owner", self.world.team),
            title=title,
            summary="Why it is needed.",
            phase_dates={"discovery": BEGAN},
            **kwargs,
        )
        return self._publish(investment, outcome)

    def milestone(self, investment, title: str, planned: int, outcome: str = "open", **kwargs):
        for name in ("forecast_on", "actual_on"):
            if isinstance(kwargs.get(name), int):
                kwargs[name] = day(kwargs[name])
        milestone = services.create_milestone(
            actor=self.portfolio,
            investment=investment,
            title=title,
            summary="What will be true.",
            planned_on=day(planned),
            **kwargs,
        )
        return self._publish(milestone, outcome)

    def _publish(self, item, outcome: str):
        restricted = [self.world.named_org] if outcome == "restricted" else []
        return publish(
            item, by=self.world.people["triager"], outcome=outcome, restricted_to=restricted
        ).specific()


@pytest.fixture
def plan(world) -> Plan:
    return Plan(world, person(Role.PORTFOLIO_MANAGER, world.team, full_name="Pat Portfolio"))


def _diamond(plan: Plan, c_outcome: str = "open") -> SimpleNamespace:
    """D depends on B and C; B and C depend on A. C is expected last, so it drives D."""
    grid = plan.investment("Grid data service")
    market = plan.investment("Market messaging")
    a = plan.milestone(grid, "A: discovery done", 10)
    b = plan.milestone(grid, "B: alpha done", 20, depends_on=[a])
    c = plan.milestone(
        market, "C: standards agreed", 30, forecast_on=40, depends_on=[a], outcome=c_outcome
    )
    d = plan.milestone(grid, "D: beta opens", 60, depends_on=[b, c])
    return SimpleNamespace(grid=grid, market=market, a=a, b=b, c=c, d=d)


@pytest.fixture
def diamond(plan) -> SimpleNamespace:
    return _diamond(plan)


def _page(client, path: str = "/roadmap", status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, response.content.decode()[:2000]
    return response.content.decode()


def _svg(page: str) -> str:
    return page.split("<svg width=", 1)[1].split("</svg>", 1)[0]


def _rows(page: str) -> list[str]:
    table = page.split('id="milestones"', 1)[1]
    return re.findall(r'<tr class="govuk-table__row" data-uid="([^"]+)"', table)


def _path(page: str) -> list[str]:
    section = page.split('id="critical-path"', 1)[1].split("<tbody", 1)[1].split("</table>", 1)[0]
    return re.findall(r'<a class="govuk-link" href="/k/[^"]+">([^<]+)</a>', section)


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


# --- Slippage ----------------------------------------------------------------------------------


def test_slipped_milestones_are_marked_on_the_timeline_and_in_the_table(plan):
    investment = plan.investment("Digital spine")
    on_time = plan.milestone(investment, "On time", 30, forecast_on=30)
    forecast_late = plan.milestone(investment, "Forecast late", 40, forecast_on=70)
    reached_late = plan.milestone(investment, "Reached late", -60, actual_on=-20)
    early = plan.milestone(investment, "Reached early", -30, actual_on=-40)
    page = _page(client_for(None))
    svg = _svg(page)

    def marker(m) -> str:
        return svg.split(f'data-uid="{m.uid}"', 1)[1].split("</g>", 1)[0]

    assert 'role="img"' in svg[:400] and "<title id=" in svg and "<desc id=" in svg
    assert "slip" not in marker(on_time) and "slip" not in marker(early)
    assert 'class="orch-roadmap__slip orch-roadmap__slip--forecast"' in marker(forecast_late)
    assert "slipped 30 days" in marker(forecast_late)
    assert 'class="orch-roadmap__slip orch-roadmap__slip--actual"' in marker(reached_late)
    assert "reached" in marker(reached_late) and "slipped 40 days" in marker(reached_late)
    assert 'class="orch-roadmap__today"' in svg
    table = page.split('id="milestones"', 1)[1]
    assert "Slipped 30</strong>" in table and "Slipped 40</strong>" in table
    assert table.count("govuk-tag--red") == 2
    assert "4 milestones of 1 investment" in page
    assert "2 of them have slipped" in page
    assert "2 of the 4 milestones drawn have slipped" in svg


def test_the_timeline_has_month_ticks_for_a_short_plan_and_quarters_for_a_longer_one(plan):
    investment = plan.investment("Digital spine")
    plan.milestone(investment, "Soon", 60)
    short = roadmap.timeline(roadmap.roadmap_page(None).lanes, today=TODAY)
    assert len(short.ticks) >= 3 and all(t.label[:1] != "Q" for t in short.ticks)
    plan.milestone(investment, "Later", 700)
    long = roadmap.timeline(roadmap.roadmap_page(None).lanes, today=TODAY)
    assert all(t.label.startswith("Q") for t in long.ticks)
    assert long.ticks[0].x <= long.today_x <= long.ticks[-1].x
    assert len(long.ticks) <= roadmap.MAX_TICKS + 1


def test_an_empty_roadmap_says_so(world):
    page = _page(client_for(None))
    assert "There are no milestones you can see yet." in page
    assert "<svg width=" not in page


# --- Filters -----------------------------------------------------------------------------------


@pytest.fixture
def filtered(plan, world):
    grid = plan.investment("Grid data service")
    market = plan.investment("Market messaging")
    plan.milestone(grid, "Grid alpha", 10, phase="alpha")
    plan.milestone(grid, "Grid beta", 50, phase="beta", owner=world.named_org)
    plan.milestone(market, "Market alpha", 20, phase="alpha")
    return SimpleNamespace(grid=grid, market=market)


def _titles(page: str) -> set[str]:
    table = page.split('id="milestones"', 1)[1].split("</table>", 1)[0]
    found = re.findall(r'<a class="govuk-link" href="/k/[^"]+">([^<]+)</a>', table)
    return {t for t in found if t not in ("Grid data service", "Market messaging")}


def test_filters_narrow_the_roadmap_by_investment_organisation_and_phase(world, filtered):
    client = client_for(None)
    assert _titles(_page(client)) == {"Grid alpha", "Grid beta", "Market alpha"}
    by_investment = _page(client, f"/roadmap?investment={filtered.grid.uid}")
    assert _titles(by_investment) == {"Grid alpha", "Grid beta"}
    assert "Market messaging" not in _svg(by_investment)
    pasted = _page(client, f"/roadmap?investment=http://testserver/k/{filtered.grid.uid}/")
    assert _titles(pasted) == {"Grid alpha", "Grid beta"}
    assert _titles(_page(client, f"/roadmap?organisation={world.named_org.slug}")) == {"Grid beta"}
    assert _titles(_page(client, "/roadmap?phase=alpha")) == {"Grid alpha", "Market alpha"}
    both = _page(client, f"/roadmap?phase=alpha&investment={filtered.market.uid}")
    assert _titles(both) == {"Market alpha"}
    assert "1 milestone of 1 investment match your filters" in both


def test_filters_that_match_nothing_say_so(world, filtered):
    page = _page(client_for(None), f"/roadmap?phase=live&investment={filtered.grid.uid}")
    assert "No milestones you can see match these filters" in page
    assert "“Grid data service” has none that match the others" in page
    assert "<svg width=" not in page and "Clear the filters" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("phase=banana", "“banana” is not a phase: choose one of discovery, alpha"),
        ("organisation=nobody-at-all", "No organisation is responsible for milestones you can see"),
        ("investment=nosuchthing", "No investment you can see has the identifier “nosuchthing”"),
        ("investment=" + "x" * 300, "Ensure this value has at most 200 characters"),
        ("investment=%00", "Null characters are not allowed"),
        ("investment=%ff%fe", "No investment you can see"),
    ],
)
def test_bad_filter_values_get_a_clear_message_not_an_error(world, filtered, query, message):
    page = _page(client_for(None), f"/roadmap?{query}", status=400)
    assert "There is a problem" in page and message in page
    assert "<svg width=" not in page


def test_a_hidden_investment_is_no_filter_value(plan, world):
    hidden = plan.investment("Closed investment", outcome="closed")
    plan.milestone(hidden, "Closed milestone", 10, outcome="closed")
    page = _page(client_for(world.people["registered"]), f"/roadmap?investment={hidden.uid}", 400)
    assert f"No investment you can see has the identifier “{hidden.uid}”" in page
    assert "Closed investment" not in page and "Closed milestone" not in page
    staff = _page(client_for(world.people["staff"]), f"/roadmap?investment={hidden.uid}")
    assert "Closed milestone" in staff


def test_a_bad_page_number_gives_a_real_page(world, filtered):
    assert "Grid alpha" in _page(client_for(None), "/roadmap?page=banana")
    assert "Grid alpha" in _page(client_for(None), "/roadmap?page=999")


def test_the_roadmap_shows_twenty_investments_a_page(plan):
    investments = [plan.investment(f"Investment {i:02}") for i in range(21)]
    for i, investment in enumerate(investments):
        plan.milestone(investment, f"Milestone {i:02}", i)
    client = client_for(None)
    first, second = _page(client), _page(client, "/roadmap?page=2")
    assert len(_rows(first)) == 20 and len(_rows(second)) == 1
    assert "Milestone 20" in second and "Milestone 20" not in first
    assert "21 milestones of 21 investments" in first and "Page 1 of 2" in first


def test_a_lane_with_many_milestones_says_how_many_more_there_are(plan, monkeypatch):
    monkeypatch.setattr(roadmap, "MILESTONES_PER_LANE", 2)
    investment = plan.investment("Busy investment")
    for i in range(4):
        plan.milestone(investment, f"Step {i}", i * 10)
    page = _page(client_for(None))
    assert len(_rows(page)) == 2 and "Step 0" in page and "Step 3" not in page
    assert "Busy investment has 2 more milestones" in page
    assert "4 milestones of 1 investment" in page


# --- The critical path -------------------------------------------------------------------------


def test_the_critical_path_of_a_diamond_follows_the_prerequisite_expected_last(diamond):
    page = _page(client_for(None), f"/roadmap?to={diamond.d.uid}")
    assert _path(page) == [diamond.a.title, diamond.c.title, diamond.d.title]
    svg = _svg(page)
    assert svg.count("orch-roadmap__milestone--on-path") == 3
    assert 'class="orch-roadmap__path"' in svg
    assert f'data-uid="{diamond.b.uid}"' in svg  # on the timeline, but not on the path
    assert "with the critical path to D: beta opens" in svg
    assert "Show the roadmap without the critical path" in page


def test_the_critical_path_moves_when_another_prerequisite_slips(plan, diamond):
    # B now forecast after C: B drives D.
    from orchestrator.planning.models import Milestone

    Milestone.objects.filter(pk=diamond.b.pk).update(forecast_on=day(50))
    path = roadmap.critical_path(None, roadmap.find_milestone(None, diamond.d.uid))
    assert [m.title for m in path.steps] == [diamond.a.title, diamond.b.title, diamond.d.title]
    assert path.earliest_on == day(60) and not path.at_risk


def test_a_prerequisite_expected_after_the_milestone_puts_it_at_risk(plan, diamond):
    from orchestrator.planning.models import Milestone

    Milestone.objects.filter(pk=diamond.c.pk).update(forecast_on=day(90))
    page = _page(client_for(None), f"/roadmap?to={diamond.d.uid}")
    assert _path(page) == [diamond.a.title, diamond.c.title, diamond.d.title]
    assert f"expected to be reached on {day(90):%-d %B %Y}, after it is expected" in page


def test_the_chain_comes_first_whatever_the_filters(plan, diamond):
    # Other investments sort before the chain's; the chain's are still on the first page.
    for i in range(25):
        plan.milestone(plan.investment(f"Aardvark {i:02}"), f"Other {i}", 5, phase="beta")
    page = _page(client_for(None), f"/roadmap?phase=beta&to={diamond.d.uid}")
    rows = _rows(page)
    assert {diamond.a.uid, diamond.c.uid, diamond.d.uid} <= set(rows)
    assert diamond.b.uid not in rows  # not in beta, and not on the path
    assert len(_path(page)) == 3


def test_a_milestone_with_no_prerequisites_is_its_own_path(diamond):
    page = _page(client_for(None), f"/roadmap?to={diamond.a.uid}")
    assert _path(page) == [diamond.a.title]
    assert "It depends on no milestone you can see." in page


# --- Hidden milestones -------------------------------------------------------------------------


@pytest.fixture
def hidden(plan) -> SimpleNamespace:
    """The diamond with C restricted to the named organisation, and a closed investment with an
    open milestone."""
    diamond = _diamond(plan, c_outcome="restricted")
    closed = plan.investment("Secret substation", outcome="closed")
    orphan = plan.milestone(closed, "Open milestone, closed investment", 15)
    return SimpleNamespace(**vars(diamond), closed=closed, orphan=orphan)


@pytest.mark.parametrize("who", ["anonymous", "registered", "outsider"])
def test_a_hidden_milestone_is_nowhere_on_the_roadmap(world, hidden, who):
    client = client_for(world.people[who])
    for path in (
        "/roadmap",
        f"/roadmap?to={hidden.d.uid}",
        f"/roadmap?investment={hidden.market.uid}",
    ):
        response = client.get(path)
        page = response.content.decode()
        for secret in (hidden.c, hidden.orphan, hidden.closed):
            assert secret.uid not in page and secret.title not in page, path
    page = _page(client)
    assert "4 milestones" not in page and "3 milestones of 1 investment" in page
    assert "1 of them has slipped" not in page and "None has slipped." in page
    path = _page(client, f"/roadmap?to={hidden.d.uid}")
    assert _path(path) == [hidden.a.title, hidden.b.title, hidden.d.title]
    assert "3 of 3 milestones" not in path
    assert _svg(path).count("orch-roadmap__milestone--on-path") == 3
    assert client.get(f"/roadmap?to={hidden.c.uid}").status_code == 404
    assert client.get(f"/roadmap?to={hidden.orphan.uid}").status_code == 404
    assert client.get("/roadmap?to=nosuchthing").status_code == 404
    assert client.get("/roadmap?to=%00").status_code == 404
    page_d = _page(client, hidden.d.get_absolute_url())
    assert hidden.c.title not in page_d and hidden.b.title in page_d


def test_those_who_may_see_it_see_it_on_the_path(world, hidden):
    for who in ("member", "staff"):
        page = _page(client_for(world.people[who]), f"/roadmap?to={hidden.d.uid}")
        assert _path(page) == [hidden.a.title, hidden.c.title, hidden.d.title]
    member = _page(client_for(world.people["member"]))
    assert hidden.closed.title not in member and hidden.orphan.uid not in member


# --- A milestone's page ------------------------------------------------------------------------


def test_a_milestones_page_shows_its_dates_slip_prerequisites_and_dependants(diamond):
    page = _page(client_for(None), diamond.c.get_absolute_url())
    assert "Market messaging" in page and "Slipped 10 days" in page
    depends_on = page.split('id="depends-on"', 1)[1].split('id="dependants"', 1)[0]
    assert diamond.a.title in depends_on and diamond.d.title not in depends_on
    needed_by = page.split('id="dependants"', 1)[1]
    assert diamond.d.title in needed_by
    assert f"/roadmap?to={diamond.c.uid}#critical-path" in page
    assert f"/roadmap?investment={diamond.market.uid}" in page


def test_a_milestone_of_a_hidden_investment_names_no_investment(world, hidden):
    page = _page(client_for(None), hidden.orphan.get_absolute_url())
    assert "Not one you can see" in page and hidden.closed.title not in page
    assert "/roadmap?to=" not in page


def test_maintainers_are_offered_to_add_a_prerequisite(plan, diamond):
    page = _page(client_for(plan.portfolio), diamond.d.get_absolute_url())
    assert f"/k/{diamond.d.uid}/depends-on" in page
    assert f"/k/{diamond.d.uid}/depends-on" not in _page(
        client_for(None), diamond.d.get_absolute_url()
    )


# --- Queries -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "registered", "staff"])
def test_the_roadmap_asks_a_fixed_number_of_queries_however_large_the_plan(plan, world, who):
    client = client_for(world.people[who])

    def grow(n: int) -> None:
        for i in range(n):
            investment = plan.investment(f"Investment {i} of {n}")
            first = plan.milestone(investment, f"First {i}", i, forecast_on=i + 5)
            plan.milestone(investment, f"Second {i}", i + 20, depends_on=[first])
            plan.milestone(investment, f"Closed {i}", i + 30, outcome="closed")

    grow(2)
    paths = ["/roadmap", "/roadmap?phase=alpha", f"/roadmap?organisation={world.team.slug}"]
    before = [_queries(client, p) for p in paths]
    grow(6)
    assert [_queries(client, p) for p in paths] == before


def test_the_critical_path_costs_a_query_a_level_not_a_milestone(plan, world):
    client = client_for(world.people["registered"])
    investment = plan.investment("Wide investment")
    target = plan.milestone(investment, "Target", 100)
    level = [plan.milestone(investment, "First prerequisite", 50)]
    services.add_milestone_dependency(actor=plan.portfolio, milestone=target, prerequisite=level[0])
    before = _queries(client, f"/roadmap?to={target.uid}")
    # Wider, not deeper: five more prerequisites at the same level.
    for i in range(5):
        extra = plan.milestone(investment, f"Prerequisite {i}", 40 + i)
        services.add_milestone_dependency(
            actor=plan.portfolio, milestone=target, prerequisite=extra
        )
    assert _queries(client, f"/roadmap?to={target.uid}") == before
