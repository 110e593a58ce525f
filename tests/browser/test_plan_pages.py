"""The plan's pages in a real browser — investments, RACI, measures, plan versions, the forms —
with axe-core, at desktop width and at 320 px."""

from __future__ import annotations

import datetime as dt

import pytest

from orchestrator.people.models import Role
from orchestrator.planning import services

from ..factories import person, publish
from .test_accessibility import assert_accessible, visit

PHONE = {"viewport": {"width": 320, "height": 640}, "has_touch": True, "is_mobile": True}
TODAY = dt.date.today()


@pytest.fixture
def portfolio(world):
    portfolio = person(Role.PORTFOLIO_MANAGER, world.team, full_name="Pat Portfolio")
    leader = person(Role.ORGANISATION_LEADER, world.team, full_name="Lee Leader")
    triager = world.people["triager"]

    def open_(item):
        return publish(item, by=triager).specific()

    investment = open_(
        services.create_investment(
            actor=portfolio,
            owner=world.team,
            title="Data Sharing Infrastructure",
            summary="Shared data sharing.",
            purpose="Let the sector share data safely.",
            capabilities="Trust framework; onboarding; discovery.",
            phase="beta",
            phase_dates={
                "discovery": TODAY - dt.timedelta(days=700),
                "alpha": TODAY - dt.timedelta(days=400),
                "beta": TODAY - dt.timedelta(days=100),
            },
            cost_low="10000000",
            cost_high="40000000",
            cost_confidence="low",
        )
    )
    services.add_feature(
        actor=portfolio,
        investment=investment,
        name="Participant onboarding",
        target_date=TODAY + dt.timedelta(days=60),
    )
    open_(
        services.create_milestone(
            actor=portfolio,
            investment=investment,
            title="First participants onboarded",
            summary="Ten.",
            planned_on=TODAY + dt.timedelta(days=30),
            forecast_on=TODAY + dt.timedelta(days=75),
        )
    )
    activity = services.add_activity(actor=portfolio, investment=investment, name="Onboard")
    services.assign(actor=portfolio, activity=activity, part="A", organisation=world.team)
    services.assign(actor=portfolio, activity=activity, part="R", organisation=world.named_org)
    first = open_(services.create_plan_version(actor=leader, owner=world.team, summary="First."))
    open_(
        services.create_investment(
            actor=portfolio,
            owner=world.team,
            title="Automatic Asset Registration",
            summary="Assets.",
            phase="discovery",
            phase_dates={"discovery": TODAY - dt.timedelta(days=50)},
        )
    )
    second = open_(services.create_plan_version(actor=leader, owner=world.team, summary="Second."))
    return {
        "portfolio": portfolio,
        "leader": leader,
        "investment": investment,
        "activity": activity,
        "first": first,
        "second": second,
    }


PAGES = [
    ("investment", None, lambda p: p["investment"].get_absolute_url()),
    ("investment-as-planner", "portfolio", lambda p: p["investment"].get_absolute_url()),
    ("responsibilities", None, lambda p: "/responsibilities"),
    ("measures", None, lambda p: "/measures"),
    ("plan", None, lambda p: "/plan"),
    ("plan-version", None, lambda p: p["second"].get_absolute_url()),
    ("compare", None, lambda p: "/plan/compare?from=1&to=2"),
    ("new-investment", "portfolio", lambda p: "/planning/investments/new"),
    ("new-milestone", "portfolio", lambda p: "/planning/milestones/new"),
    ("new-risk", "portfolio", lambda p: "/planning/risks/new"),
    ("new-issue", "portfolio", lambda p: "/planning/issues/new"),
    ("new-dependency", "portfolio", lambda p: "/planning/dependencies/new"),
    ("assign", "portfolio", lambda p: f"/responsibilities/activities/{p['activity'].pk}"),
    ("new-plan-version", "leader", lambda p: "/plan/versions/new"),
    ("edit-investment", "portfolio", lambda p: p["investment"].get_absolute_url() + "/edit"),
]


@pytest.mark.parametrize(("who", "target"), [p[1:] for p in PAGES], ids=[p[0] for p in PAGES])
def test_plan_page_is_accessible_and_fits_a_phone(
    new_context, sign_in, world, portfolio, who, target
):
    for options in ({}, PHONE):
        context = new_context(**options)
        if who:
            sign_in(context, portfolio[who])
        page = context.new_page()
        visit(page, target(portfolio))
        assert_accessible(page)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_second_accountable_is_refused_on_the_page(new_context, sign_in, portfolio, world):
    context = new_context()
    sign_in(context, portfolio["portfolio"])
    page = context.new_page()
    visit(page, f"/responsibilities/activities/{portfolio['activity'].pk}")
    page.get_by_label("Accountable").check()
    page.get_by_label("Organisation", exact=True).select_option(label=world.other_org.name)
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("already has its one Accountable").first.is_visible()
    assert_accessible(page)


def test_comparing_versions_shows_what_was_added(page, portfolio):
    visit(page, "/plan")
    page.get_by_label("From version").select_option("1")
    page.get_by_label("To version").select_option("2")
    page.get_by_role("button", name="Compare").click()
    assert page.get_by_role("heading", name="What changed from version 1 to version 2").is_visible()
    assert page.get_by_role("link", name="Automatic Asset Registration").is_visible()
