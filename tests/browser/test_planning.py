"""The plan in a real browser: a metric's chart and table, the objective, the forms — axe-core and 320 px."""

from __future__ import annotations

import datetime as dt

import pytest

from orchestrator.people.models import Role
from orchestrator.planning import services

from ..factories import person, publish
from .test_accessibility import assert_accessible, visit

PHONE = {"viewport": {"width": 320, "height": 640}, "has_touch": True, "is_mobile": True}


@pytest.fixture
def plan(world):
    portfolio = person(Role.PORTFOLIO_MANAGER, world.team, full_name="Pat Portfolio")
    triager = world.people["triager"]

    def open_(item):
        return publish(item, by=triager).specific()

    objective = open_(
        services.create_objective(
            actor=portfolio, owner=world.team, title="Data flows freely", summary="Why."
        )
    )
    metric = services.create_metric(
        actor=portfolio,
        owner=world.team,
        title="Organisations sharing data",
        summary="How many.",
        unit="organisations",
        baseline="3",
        target="120",
        target_date=dt.date.today() + dt.timedelta(days=700),
        measures=objective,
    )
    for days, value in ((300, "3"), (200, "12"), (100, "31")):
        services.record_measurement(
            actor=portfolio,
            metric=metric,
            value=value,
            measured_on=dt.date.today() - dt.timedelta(days=days),
            source="DSI register",
        )
    return {"portfolio": portfolio, "objective": objective, "metric": open_(metric)}


PAGES = [
    ("metric", None, lambda p: p["metric"].get_absolute_url()),
    ("objective", None, lambda p: p["objective"].get_absolute_url()),
    ("metric-as-maintainer", "portfolio", lambda p: p["metric"].get_absolute_url()),
    ("measure-form", "portfolio", lambda p: p["metric"].get_absolute_url() + "/measurements/new"),
    ("new-metric", "portfolio", lambda p: "/planning/metrics/new"),
    ("new-objective", "portfolio", lambda p: "/planning/objectives/new"),
]


@pytest.mark.parametrize(("who", "target"), [p[1:] for p in PAGES], ids=[p[0] for p in PAGES])
def test_planning_page_is_accessible_and_fits_a_phone(
    new_context, sign_in, world, plan, who, target
):
    for options in ({}, PHONE):
        context = new_context(**options)
        if who:
            sign_in(context, plan[who])
        page = context.new_page()
        visit(page, target(plan))
        assert_accessible(page)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_chart_has_a_text_alternative_and_a_table(page, plan):
    page.goto(plan["metric"].get_absolute_url())
    chart = page.get_by_role("img", name="Organisations sharing data over time")
    assert chart.count() == 1
    assert page.get_by_role("table").filter(has_text="DSI register").count() == 1
