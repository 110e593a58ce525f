"""The delivery roadmap in a real browser: axe-core with and without a critical path, at desktop
width and at 320 px, the timeline's text alternative, and a milestone's page."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from orchestrator.people.models import Role
from orchestrator.planning import services

from ..factories import person, publish
from .test_accessibility import assert_accessible, visit

PHONE = {"viewport": {"width": 320, "height": 640}, "has_touch": True, "is_mobile": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
TODAY = dt.date.today()


def day(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


@pytest.fixture
def plan(world):
    portfolio = person(Role.PORTFOLIO_MANAGER, world.team, full_name="Pat Portfolio")
    triager = world.people["triager"]

    def investment(title):
        made = services.create_investment(
            actor=portfolio,
            owner=world.team,
            title=title,
            summary="Why it is needed.",
            phase_dates={"discovery": day(-800)},
        )
        return publish(made, by=triager).specific()

    def milestone(investment, title, planned, **kwargs):
        made = services.create_milestone(
            actor=portfolio,
            investment=investment,
            title=title,
            summary="What will be true.",
            planned_on=day(planned),
            **kwargs,
        )
        return publish(made, by=triager).specific()

    grid = investment("Grid data service with a long name that will not fit in its lane")
    market = investment("Market messaging")
    a = milestone(grid, "Discovery done", -120, actual_on=day(-100), phase="discovery")
    b = milestone(grid, "Alpha done", 20, forecast_on=day(45), depends_on=[a], phase="alpha")
    c = milestone(market, "Standards agreed", 30, forecast_on=day(90), depends_on=[a])
    d = milestone(grid, "Beta opens", 150, depends_on=[b, c], phase="beta")
    milestone(market, "Reached early", -60, actual_on=day(-70))
    return SimpleNamespace(portfolio=portfolio, a=a, b=b, c=c, d=d)


PAGES = [
    ("roadmap", None, lambda p: "/roadmap"),
    ("roadmap-critical-path", None, lambda p: f"/roadmap?to={p.d.uid}"),
    ("roadmap-filtered", None, lambda p: "/roadmap?phase=alpha"),
    ("roadmap-nothing-matches", None, lambda p: "/roadmap?phase=live"),
    ("roadmap-signed-in", "portfolio", lambda p: f"/roadmap?to={p.c.uid}"),
    ("milestone", None, lambda p: p.d.get_absolute_url()),
    ("milestone-as-maintainer", "portfolio", lambda p: p.b.get_absolute_url()),
]


@pytest.mark.parametrize(("who", "target"), [p[1:] for p in PAGES], ids=[p[0] for p in PAGES])
def test_roadmap_page_is_accessible_and_fits_a_phone(new_context, sign_in, plan, who, target):
    for options in (DESKTOP, PHONE):
        context = new_context(**options)
        if who:
            sign_in(context, getattr(plan, who))
        page = context.new_page()
        visit(page, target(plan))
        assert_accessible(page)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_bad_filters_are_accessible(page, plan):
    visit(page, "/roadmap?phase=banana&investment=nothing", status=400)
    assert page.get_by_role("alert").filter(has_text="There is a problem").count() == 1
    assert_accessible(page)


def test_the_timeline_has_a_text_alternative_and_a_table(page, plan):
    visit(page, f"/roadmap?to={plan.d.uid}")
    chart = page.get_by_role(
        "img",
        name="Delivery roadmap: 5 milestones of 2 investments, with the critical path to Beta opens",
    )
    assert chart.count() == 1
    table = page.get_by_role("table").filter(has_text="Standards agreed").last
    assert table.get_by_role("row").count() == 1 + 5
    path = page.get_by_role("table").filter(has_text="earliest first")
    assert path.get_by_role("row").count() == 1 + 3
    # The timeline scrolls in its own region on a narrow screen, from the keyboard too.
    region = page.get_by_role("region", name="Timeline (scrolls sideways on a narrow screen)")
    assert region.get_attribute("tabindex") == "0"


def test_choosing_a_critical_path_from_the_table(page, plan):
    visit(page, "/roadmap")
    page.get_by_role("link", name="Critical path to Beta opens").click()
    assert page.get_by_role("heading", name="Critical path to Beta opens").is_visible()
    page.get_by_role("link", name="Show the roadmap without the critical path").click()
    assert page.get_by_role("heading", name="Critical path to Beta opens").count() == 0
