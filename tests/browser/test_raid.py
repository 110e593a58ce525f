"""The RAID log in a real browser: /raid with its heat maps, a risk's page, escalations and their
forms — axe-core finds nothing, on a desktop and on a 320 px phone, which never scrolls sideways."""

from __future__ import annotations

import datetime as dt

import pytest

from orchestrator.engagement import services as engagement
from orchestrator.people.models import OrganisationKind, Role
from orchestrator.planning import services

from ..factories import OrganisationFactory, person, publish
from .test_accessibility import assert_accessible, visit

PHONE = {"viewport": {"width": 320, "height": 640}, "has_touch": True, "is_mobile": True}
TODAY = dt.date.today()


@pytest.fixture
def log(world):
    portfolio = person(Role.PORTFOLIO_MANAGER, world.team, full_name="Pat Portfolio")
    board = person(
        Role.BOARD_MEMBER,
        OrganisationFactory(name="The Board", kind=OrganisationKind.ORCHESTRATOR_TEAM),
        full_name="Bea Board",
    )
    triager = world.people["triager"]

    def open_(item):
        return publish(item, by=triager).specific()

    investment = open_(
        services.create_investment(
            actor=portfolio,
            owner=world.team,
            title="Data sharing infrastructure",
            summary="s",
            purpose="p",
            capabilities="c",
            phase_dates={"discovery": TODAY - dt.timedelta(days=90)},
        )
    )
    risks = [
        open_(
            services.create_risk(
                actor=portfolio,
                owner=world.team,
                title=f"Risk with a long title that has to wrap on a phone, number {n}",
                summary="s",
                cause="A consent register nobody has scoped",
                event="Data cannot be shared lawfully",
                effect="The service launches late",
                likelihood=likelihood,
                impact=impact,
                residual_likelihood=max(1, likelihood - 2),
                residual_impact=impact,
                mitigation="Scope the register with Ofgem.",
                investment=investment,
                review_on=TODAY + dt.timedelta(days=30),
            )
        )
        for n, (likelihood, impact) in enumerate(((5, 5), (4, 3), (2, 2), (1, 4)))
    ]
    open_(
        services.create_issue(
            actor=portfolio,
            owner=world.team,
            title="Consent register missed its date",
            summary="s",
            occurred_on=TODAY,
            foreseen_by=risks[0],
            investment=investment,
        )
    )
    answered = services.escalate(actor=portfolio, item=risks[0], reason="Launch depends on it.")
    services.respond_to_escalation(
        actor=board, escalation=answered, response="Fund the register now."
    )
    waiting = services.escalate(actor=portfolio, item=risks[1], reason="Supplier slipping.")
    submission = engagement.raise_submission(
        actor=world.people["registered"],
        category="risk",
        title="Smart meter firmware unsigned",
        text="Firmware updates are not signed.",
        about=investment,
    )
    engagement.resolve_submission(actor=triager, submission=submission, decision="accept")
    return {
        "portfolio": portfolio,
        "board": board,
        "risk": risks[0],
        "waiting": waiting,
        "investment": investment,
    }


PAGES = [
    ("raid", None, lambda log: "/raid"),
    ("raid-as-planner", "portfolio", lambda log: "/raid"),
    ("raid-cell", None, lambda log: "/raid?likelihood=5&impact=5"),
    ("raid-bad-filter", None, lambda log: "/raid?min_score=lots&kind=elephant", 400),
    ("risk", None, lambda log: log["risk"].get_absolute_url()),
    ("risk-as-board", "board", lambda log: log["risk"].get_absolute_url()),
    ("escalations", None, lambda log: "/raid/escalations"),
    ("escalations-answered", None, lambda log: "/raid/escalations?state=answered"),
    ("escalate-form", "portfolio", lambda log: f"/k/{log['risk'].uid}/escalate"),
    ("respond-form", "board", lambda log: f"/raid/escalations/{log['waiting'].pk}/respond"),
]


@pytest.mark.parametrize(
    ("who", "target", "status"),
    [(p[1], p[2], p[3] if len(p) > 3 else 200) for p in PAGES],
    ids=[p[0] for p in PAGES],
)
def test_raid_page_is_accessible_and_fits_a_phone(
    new_context, sign_in, world, log, who, target, status
):
    for options in ({}, PHONE):
        context = new_context(**options)
        if who:
            sign_in(context, log[who])
        page = context.new_page()
        visit(page, target(log), status=status)
        assert_accessible(page)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_heat_map_has_a_text_alternative_and_its_squares_lead_to_their_risks(page, log):
    visit(page, "/raid")
    heat = page.get_by_role("group", name="Risks by likelihood and impact now")
    assert heat.count() == 1
    square = page.get_by_role("link", name="Likelihood 5, impact 5 (score 25, very high): 1 risk")
    square.first.click()
    page.wait_for_url("**/raid?likelihood=5&impact=5#entries")
    entries = page.get_by_role("region", name="RAID log entries")
    assert entries.get_by_role("link", name=log["risk"].title).count() == 1
    assert entries.get_by_role("link", name="Consent register missed its date").count() == 0
    page.get_by_text("This heat map as a table").first.click()
    assert page.get_by_role("table", name="Risks by likelihood and impact now: number of risks")


def test_a_portfolio_manager_escalates_by_the_form(context, sign_in, log):
    sign_in(context, log["portfolio"])
    page = context.new_page()
    visit(page, f"/k/{log['risk'].uid}/escalate")
    page.get_by_role("button", name="Escalate to the Board").click()
    assert page.get_by_role("link", name="Say why the Board needs to see it.").count() == 1
    page.get_by_label("Why does the Board need to see it?").fill("The register is still unscoped.")
    page.get_by_role("button", name="Escalate to the Board").click()
    page.wait_for_url(f"**{log['risk'].get_absolute_url()}")
    assert page.get_by_text("The register is still unscoped.").count() == 1
    assert_accessible(page)
