"""Investments, milestones, the RAID rules, RACI, plan versions and the planning measures: services and pages."""

from __future__ import annotations

import datetime as dt

import pytest

from orchestrator.core.errors import Conflict, PermissionDenied, ValidationError
from orchestrator.core.models import AuditEvent
from orchestrator.core.services import update_item
from orchestrator.people.models import Role
from orchestrator.planning import selectors, services
from orchestrator.planning.models import Activity, Investment, Milestone, PlanVersion, Risk

from ..conftest import client_for
from ..factories import decided, person, publish

TODAY = dt.date.today()
DAY = dt.timedelta(days=1)


@pytest.fixture
def portfolio(world):
    return person(Role.PORTFOLIO_MANAGER, world.team, full_name="Pat Portfolio")


@pytest.fixture
def leader(world):
    return person(Role.ORGANISATION_LEADER, world.team, full_name="Lee Leader")


def _open(world, item, outcome="open", **triage):
    return publish(item, by=world.people["triager"], outcome=outcome, **triage).specific()


def _investment(world, portfolio, title="Data Sharing Infrastructure", **fields):
    values = {
        "summary": "Shared data sharing.",
        "purpose": "Let the sector share data safely.",
        "capabilities": "Trust framework; identity; discovery.",
        "phase": "alpha",
        "phase_dates": {"discovery": TODAY - 400 * DAY, "alpha": TODAY - 100 * DAY},
        **fields,
    }
    return services.create_investment(actor=portfolio, owner=world.team, title=title, **values)


def _milestone(world, portfolio, investment, title, planned, **fields):
    return services.create_milestone(
        actor=portfolio,
        investment=investment,
        title=title,
        summary="x",
        planned_on=planned,
        **fields,
    )


def _errors(excinfo) -> dict:
    return excinfo.value.message_dict


# --- Investments -------------------------------------------------------------------------------


def test_an_investment_holds_every_field_the_report_lists(world, portfolio):
    decision = decided(owner=world.people["staff"], by=world.people["triager"])
    investment = _investment(
        world,
        portfolio,
        cost_low="2000000",
        cost_high="8000000",
        cost_confidence="low",
        technical_details_url="https://example.org/dsi",
        designated_sdi=True,
        designated_by=decision,
    )
    services.add_feature(
        actor=portfolio, investment=investment, name="Trust framework", target_date=TODAY + 90 * DAY
    )
    investment = _open(world, investment)
    page = client_for(None).get(investment.get_absolute_url())
    text = page.content.decode()
    for shown in (
        "Let the sector share data safely.",
        "Trust framework; identity; discovery.",
        "£2,000,000 to £8,000,000 (low confidence)",
        "https://example.org/dsi",
        "Designated",
        decision.title,
        "Trust framework",
        "Alpha",
    ):
        assert shown in text
    assert AuditEvent.objects.filter(action="feature.added", item_uid=investment.uid).exists()


@pytest.mark.parametrize(
    "fields, field",
    [
        (
            {"phase_dates": {"discovery": TODAY - 10 * DAY, "alpha": TODAY - 20 * DAY}},
            "alpha_began",
        ),
        ({"phase_dates": {"discovery": TODAY + 10 * DAY}, "phase": "discovery"}, "discovery_began"),
        ({"phase": "beta"}, "beta_began"),
        ({"cost_low": "9", "cost_high": "2", "cost_confidence": "low"}, "cost_high"),
        ({"cost_low": "9"}, "cost_confidence"),
        ({"cost_low": "lots", "cost_confidence": "low"}, "cost_low"),
        ({"designated_sdi": True}, "designated_by"),
        ({"phase": "gamma"}, "phase"),
    ],
)
def test_an_investment_that_cannot_be_is_refused_naming_the_field(world, portfolio, fields, field):
    with pytest.raises(ValidationError) as excinfo:
        _investment(world, portfolio, **fields)
    assert field in _errors(excinfo)
    assert not Investment.objects.exists()


def test_only_the_plans_maintainers_add_investments(world):
    with pytest.raises(PermissionDenied):
        _investment(world, world.people["member"])


# --- Designation: naming a decision that has been taken ----------------------------------------


def _question(world, title="Is the catalogue shared digital infrastructure?"):
    """A decision on the schedule, not yet taken."""
    from orchestrator.decisions import services as decisions

    return decisions.schedule_decision(
        actor=world.people["staff"],
        title=title,
        question=title,
        context="The sector's datasets are hard to find.",
        scheduled_on=TODAY + 30 * DAY,
        options=[{"title": "Yes"}, {"title": "No"}],
    )


def _advice_requested(world):
    from orchestrator.decisions import services as decisions

    decision = _question(world)
    decisions.start_gathering_evidence(actor=world.people["staff"], decision=decision)
    decisions.add_evidence(
        actor=world.people["staff"],
        decision=decision,
        description="Survey of catalogues",
        url="https://example.org/catalogues",
    )
    decisions.request_advice(actor=world.people["staff"], decision=decision)
    return decision


def _withdrawn(world):
    from orchestrator.decisions import services as decisions

    decision = _question(world)
    decisions.withdraw(actor=world.people["staff"], decision=decision, reason="Overtaken.")
    return decision


NOT_DECIDED = [
    (
        lambda world: world.records["open"],
        "Name a decision that has been taken: “The open record” is a document.",
    ),
    (
        _question,
        "Name a decision that has been taken: “Is the catalogue shared digital infrastructure?” "
        "is planned, not yet decided.",
    ),
    (
        _advice_requested,
        "Name a decision that has been taken: “Is the catalogue shared digital infrastructure?” "
        "is waiting for the advisors' advice, not yet decided.",
    ),
    (
        _withdrawn,
        "Name a decision that has been taken: “Is the catalogue shared digital infrastructure?” "
        "was withdrawn, and never decided.",
    ),
]


@pytest.mark.parametrize(
    "record, message", NOT_DECIDED, ids=["document", "planned", "advice", "withdrawn"]
)
def test_an_investment_is_designated_only_by_a_decision_that_has_been_taken(
    world, portfolio, record, message
):
    record = record(world)
    for flags in ({"designated_sdi": True}, {"left_to_market": True}):
        with pytest.raises(ValidationError) as excinfo:
            _investment(world, portfolio, designated_by=record, **flags)
        assert _errors(excinfo) == {"designated_by": [message]}
    assert not Investment.objects.exists()


def test_the_investment_form_says_the_designating_record_is_no_decision_taken(world, portfolio):
    page = client_for(portfolio).post(
        "/planning/investments/new",
        {
            "owner": world.team.pk,
            "title": "Data Sharing Infrastructure",
            "summary": "Shared data sharing.",
            "purpose": "Let the sector share data safely.",
            "capabilities": "Trust framework; identity; discovery.",
            "phase": "discovery",
            "discovery_began": (TODAY - 10 * DAY).isoformat(),
            "designated_sdi": "on",
            "designated_by": world.records["open"].uid,
        },
    )
    assert page.status_code == 400
    assert "“The open record” is a document." in page.content.decode()
    assert not Investment.objects.exists()


@pytest.fixture
def investment(world, portfolio):
    """A published investment, not yet designated."""
    return _open(world, _investment(world, portfolio))


def test_the_product_team_designate_an_investment_and_change_their_minds(world, investment):
    owner = world.people["staff"]
    shared = decided(owner=owner, by=world.people["triager"])
    services.designate_investment(
        actor=owner, investment=investment, designation="shared", decision=shared
    )
    investment.refresh_from_db()
    assert investment.designated_sdi and not investment.left_to_market
    assert investment.designated_by_id == shared.pk
    page = client_for(None).get(investment.get_absolute_url()).content.decode()
    assert "Designated by" in page and shared.title in page
    # The decision's record links to what it designated.
    assert investment.incoming_links.filter(
        source=shared, note="designated it shared digital infrastructure"
    ).exists()
    event = AuditEvent.objects.filter(action="investment.designated", item_uid=investment.uid)
    assert event.get().data == {"designation": "shared", "decision": shared.uid}

    market = decided(owner=owner, by=world.people["triager"], title="Leave it to the market")
    services.designate_investment(
        actor=owner, investment=investment, designation="market", decision=market
    )
    investment.refresh_from_db()
    assert investment.left_to_market and not investment.designated_sdi
    assert investment.incoming_links.filter(source=market, note="left it to the market").exists()
    assert "Left to the market" in client_for(None).get(investment.get_absolute_url()).text

    services.designate_investment(
        actor=owner, investment=investment, designation="undecided", decision=None
    )
    investment.refresh_from_db()
    assert not (investment.designated_sdi or investment.left_to_market)
    assert investment.designated_by is None


@pytest.mark.parametrize(
    "record, message", NOT_DECIDED, ids=["document", "planned", "advice", "withdrawn"]
)
def test_designating_an_investment_refuses_what_is_not_a_decision_taken(
    world, investment, record, message
):
    record = record(world)
    with pytest.raises(ValidationError) as excinfo:
        services.designate_investment(
            actor=world.people["staff"],
            investment=investment,
            designation="shared",
            decision=record,
        )
    assert _errors(excinfo) == {"designated_by": [message]}
    investment.refresh_from_db()
    assert not investment.designated_sdi and investment.designated_by is None
    assert not AuditEvent.objects.filter(action="investment.designated").exists()


def test_designating_an_investment_needs_the_product_team_and_a_decision(
    world, portfolio, investment
):
    shared = decided(owner=world.people["staff"], by=world.people["triager"])
    with pytest.raises(PermissionDenied, match="Only the Product Team"):
        services.designate_investment(
            actor=portfolio, investment=investment, designation="shared", decision=shared
        )
    with pytest.raises(ValidationError) as excinfo:
        services.designate_investment(
            actor=world.people["staff"], investment=investment, designation="shared", decision=None
        )
    assert "designated_by" in _errors(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        services.designate_investment(
            actor=world.people["staff"], investment=investment, designation="yes", decision=shared
        )
    assert "designation" in _errors(excinfo)
    investment.refresh_from_db()
    assert not investment.designated_sdi


def test_a_decision_the_designer_cannot_see_is_refused_as_if_it_did_not_exist(world, investment):
    from ..factories import UserFactory

    # A superuser with no appointment is not staff: a closed decision is hidden from them.
    admin = UserFactory(is_superuser=True)
    closed = decided(owner=world.people["staff"], by=world.people["triager"], outcome="closed")
    with pytest.raises(ValidationError) as excinfo:
        services.designate_investment(
            actor=admin, investment=investment, designation="shared", decision=closed
        )
    assert _errors(excinfo) == {"designated_by": ["No decision you can see has that identifier."]}
    investment.refresh_from_db()
    assert investment.designated_by is None


# --- Milestones --------------------------------------------------------------------------------


def test_a_milestone_cannot_be_reached_in_the_future_or_forecast_before_its_phase(world, portfolio):
    investment = _investment(world, portfolio)
    with pytest.raises(ValidationError) as excinfo:
        _milestone(world, portfolio, investment, "Alpha ends", TODAY, actual_on=TODAY + DAY)
    assert "actual_on" in _errors(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        _milestone(
            world,
            portfolio,
            investment,
            "Alpha ends",
            TODAY,
            phase="alpha",
            forecast_on=TODAY - 200 * DAY,
        )
    assert "forecast_on" in _errors(excinfo)
    assert "before alpha began" in _errors(excinfo)["forecast_on"][0]
    assert not Milestone.objects.exists()


def test_an_edit_is_checked_by_the_same_rules(world, portfolio):
    investment = _investment(world, portfolio)
    milestone = _milestone(world, portfolio, investment, "Alpha ends", TODAY + 30 * DAY)
    with pytest.raises(ValidationError) as excinfo:
        update_item(
            item=milestone,
            actor=portfolio,
            version=milestone.version,
            changes={"actual_on": (TODAY + 5 * DAY).isoformat()},
        )
    assert "actual_on" in _errors(excinfo)
    update_item(
        item=milestone,
        actor=portfolio,
        version=milestone.version,
        changes={"forecast_on": (TODAY + 60 * DAY).isoformat()},
    )
    milestone.refresh_from_db()
    assert milestone.forecast_on == TODAY + 60 * DAY
    assert milestone.slipped_days == 30


def test_a_cycle_in_milestone_dependencies_is_refused(world, portfolio):
    investment = _investment(world, portfolio)
    a = _milestone(world, portfolio, investment, "A", TODAY + 10 * DAY)
    b = _milestone(world, portfolio, investment, "B", TODAY + 20 * DAY, depends_on=[a])
    c = _milestone(world, portfolio, investment, "C", TODAY + 30 * DAY, depends_on=[b])
    with pytest.raises(ValidationError) as excinfo:
        services.add_milestone_dependency(actor=portfolio, milestone=a, prerequisite=c)
    assert "cycle" in _errors(excinfo)["depends_on"][0]
    assert not a.depends_on.exists()
    with pytest.raises(ValidationError):
        services.add_milestone_dependency(actor=portfolio, milestone=a, prerequisite=a)


def test_the_dependency_page_shows_a_cycle_as_a_form_error(world, portfolio):
    investment = _investment(world, portfolio)
    a = _milestone(world, portfolio, investment, "A", TODAY + 10 * DAY)
    b = _milestone(world, portfolio, investment, "B", TODAY + 20 * DAY, depends_on=[a])
    response = client_for(portfolio).post(f"/k/{a.uid}/depends-on", {"prerequisite": b.uid})
    assert response.status_code == 400
    assert "would make a cycle" in response.content.decode()


# --- RAID rules --------------------------------------------------------------------------------


@pytest.mark.parametrize("field, value", [("likelihood", 0), ("impact", 6), ("likelihood", "x")])
def test_a_risk_scored_outside_one_to_five_is_refused(world, portfolio, field, value):
    values = {"likelihood": 3, "impact": 3, field: value}
    with pytest.raises(ValidationError) as excinfo:
        services.create_risk(
            actor=portfolio, owner=world.team, title="R", cause="c", event="e", effect="f", **values
        )
    assert field in _errors(excinfo)
    assert not Risk.objects.exists()


def test_an_issue_is_foreseen_only_by_a_risk_identified_before_it_happened(world, portfolio):
    risk = services.create_risk(
        actor=portfolio,
        owner=world.team,
        title="Suppliers may not adopt",
        cause="c",
        event="e",
        effect="f",
        likelihood=4,
        impact=4,
        identified_on=TODAY - 10 * DAY,
    )
    with pytest.raises(ValidationError) as excinfo:
        services.create_issue(
            actor=portfolio,
            owner=world.team,
            title="Adoption stalled",
            occurred_on=TODAY - 20 * DAY,
            foreseen_by=risk,
        )
    assert "foreseen_by" in _errors(excinfo)
    issue = services.create_issue(
        actor=portfolio,
        owner=world.team,
        title="Adoption stalled",
        occurred_on=TODAY,
        foreseen_by=risk,
    )
    assert issue.foreseen


def test_a_new_risk_form_names_the_bad_field(world, portfolio):
    response = client_for(portfolio).post(
        "/planning/risks/new",
        {
            "owner": world.team.pk,
            "title": "A risk",
            "summary": "s",
            "cause": "c",
            "event": "e",
            "effect": "f",
            "likelihood": "7",
            "impact": "3",
            "proximity": "near",
        },
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Risk.objects.exists()


# --- Responsibilities --------------------------------------------------------------------------


def test_an_activity_has_exactly_one_accountable(world, portfolio):
    investment = _investment(world, portfolio)
    activity = services.add_activity(
        actor=portfolio, investment=investment, name="Run the trust framework"
    )
    services.assign(actor=portfolio, activity=activity, part="A", organisation=world.team)
    with pytest.raises(ValidationError) as excinfo:
        services.assign(actor=portfolio, activity=activity, part="A", organisation=world.named_org)
    assert "part" in _errors(excinfo)
    assert "already has its one Accountable" in _errors(excinfo)["part"][0]
    services.assign(actor=portfolio, activity=activity, part="R", organisation=world.named_org)
    services.assign(actor=portfolio, activity=activity, part="I", role=Role.BOARD_MEMBER)
    assert activity.assignments.count() == 3


def test_the_assign_page_refuses_a_second_accountable_with_a_message(world, portfolio):
    activity = services.add_activity(
        actor=portfolio, work_area="Cyber security", name="Threat model"
    )
    services.assign(actor=portfolio, activity=activity, part="A", organisation=world.team)
    response = client_for(portfolio).post(
        f"/responsibilities/activities/{activity.pk}",
        {"part": "A", "organisation": world.other_org.pk},
    )
    assert response.status_code == 400
    assert "already has its one Accountable" in response.content.decode()


def test_responsibilities_show_only_activities_of_investments_the_viewer_may_see(world, portfolio):
    shown = _open(world, _investment(world, portfolio, title="Open investment"))
    hidden = _open(
        world,
        _investment(world, portfolio, title="Closed investment"),
        outcome="closed",
        sensitivities=[{"category": "security", "finding": "f", "mitigation": "restrict"}],
        rationale="Security.",
    )
    for investment, name in ((shown, "Visible activity"), (hidden, "Secret activity")):
        activity = services.add_activity(actor=portfolio, investment=investment, name=name)
        services.assign(actor=portfolio, activity=activity, part="A", organisation=world.named_org)
    page = client_for(None).get("/responsibilities", {"organisation": world.named_org.slug})
    text = page.content.decode()
    assert "Visible activity" in text and "Secret activity" not in text
    assert "1 activity you can see" in text
    assert (
        client_for(world.people["staff"])
        .get("/responsibilities")
        .content.decode()
        .count("Secret activity")
        == 1
    )
    for nonsense in ("nobody", "a\x00b", "x" * 5000):
        bad = client_for(None).get("/responsibilities", {"organisation": nonsense})
        assert bad.status_code == 400 and "No organisation" in bad.content.decode()


# --- Plan versions -----------------------------------------------------------------------------


def test_a_plan_version_snapshots_the_open_plan_and_cannot_change_once_published(
    world, portfolio, leader
):
    first = _open(world, _investment(world, portfolio, title="Open investment"))
    secret = _open(
        world,
        _investment(world, portfolio, title="Closed investment"),
        outcome="closed",
        sensitivities=[{"category": "security", "finding": "f", "mitigation": "restrict"}],
        rationale="Security.",
    )
    v1 = _open(
        world, services.create_plan_version(actor=leader, owner=world.team, summary="First.")
    )
    assert v1.number == 1
    assert first.uid in v1.snapshot["investments"]
    assert secret.uid not in v1.snapshot["investments"]
    second = _open(world, _investment(world, portfolio, title="Second investment"))
    update_item(item=first, actor=portfolio, version=first.version, changes={"phase": "alpha"})
    v2 = _open(
        world, services.create_plan_version(actor=leader, owner=world.team, summary="Second.")
    )
    diff = {d.name: d for d in selectors.plan_diff(v1, v2)}
    assert [uid for uid, _ in diff["investments"].added] == [second.uid]
    with pytest.raises(Conflict):
        update_item(item=v1, actor=leader, version=v1.version, changes={"summary": "Rewritten"})
    page = client_for(None).get("/plan/compare", {"from": 1, "to": 2})
    assert page.status_code == 200 and "Second investment" in page.content.decode()
    assert "Closed investment" not in page.content.decode()
    edit = client_for(leader).post(
        f"/k/{v1.uid}/edit",
        {"title": v1.title, "summary": "Changed", "body": "", "version": v1.version},
    )
    assert edit.status_code == 409
    assert PlanVersion.objects.get(pk=v1.pk).summary == "First."


def test_only_the_organisation_leader_publishes_plan_versions(world, portfolio):
    with pytest.raises(PermissionDenied):
        services.create_plan_version(actor=portfolio, owner=world.team, summary="x")
    assert client_for(portfolio).get("/plan/versions/new").status_code == 403


def test_comparing_nonsense_versions_is_a_clear_4xx(world):
    for nonsense in ("x", "²", "9" * 30, "1\x00"):
        assert (
            client_for(None).get("/plan/compare", {"from": nonsense, "to": "2"}).status_code == 400
        )
    assert client_for(None).get("/plan/compare", {"from": "1", "to": "2"}).status_code == 404


# --- Measures ----------------------------------------------------------------------------------


def test_measures_are_computed_from_the_records_the_viewer_may_see(world, portfolio):
    investment = _open(world, _investment(world, portfolio))
    risk = _open(
        world,
        services.create_risk(
            actor=portfolio,
            owner=world.team,
            title="R",
            cause="c",
            event="e",
            effect="f",
            likelihood=4,
            impact=4,
            identified_on=TODAY - 30 * DAY,
            review_on=TODAY - DAY,
        ),
    )
    _open(
        world,
        services.create_issue(
            actor=portfolio, owner=world.team, title="Foreseen", occurred_on=TODAY, foreseen_by=risk
        ),
    )
    _open(
        world,
        services.create_issue(
            actor=portfolio, owner=world.team, title="Unforeseen", occurred_on=TODAY
        ),
    )
    _open(
        world,
        services.create_issue(actor=portfolio, owner=world.team, title="Hidden", occurred_on=TODAY),
        outcome="closed",
        sensitivities=[{"category": "security", "finding": "f", "mitigation": "restrict"}],
        rationale="Security.",
    )
    _open(
        world,
        _milestone(
            world, portfolio, investment, "On time", TODAY - 20 * DAY, actual_on=TODAY - 20 * DAY
        ),
    )
    _open(
        world,
        _milestone(
            world, portfolio, investment, "Late", TODAY - 10 * DAY, actual_on=TODAY - 5 * DAY
        ),
    )
    public = {m.name: m for m in selectors.planning_measures(None)}
    assert (
        public["Issues that had been identified as risks beforehand"].numerator,
        public["Issues that had been identified as risks beforehand"].denominator,
    ) == (1, 2)
    assert public["Milestones reached on time"].percent == "50%"
    assert public["Open risks past their review date"].numerator == 1
    assert public["Investments with success metrics and a named Accountable"].numerator == 0
    staff = {m.name: m for m in selectors.planning_measures(world.people["staff"])}
    assert staff["Issues that had been identified as risks beforehand"].denominator == 3
    page = client_for(None).get("/measures").content.decode()
    assert "1 of 2" in page and "50%" in page


def test_an_investment_counts_as_complete_with_a_metric_and_accountables(world, portfolio):
    metric = _open(
        world,
        services.create_metric(actor=portfolio, owner=world.team, title="M", summary="s", unit="%"),
    )
    investment = _open(world, _investment(world, portfolio, metrics=[metric]))
    activity = services.add_activity(actor=portfolio, investment=investment, name="Build")

    def measure() -> int:
        measures = {m.name: m for m in selectors.planning_measures(None)}
        return measures["Investments with success metrics and a named Accountable"].numerator

    assert measure() == 0
    services.assign(actor=portfolio, activity=activity, part="A", organisation=world.team)
    assert measure() == 1
    Activity.objects.create(investment=investment, name="Unowned")
    assert measure() == 0


def test_a_records_json_names_its_plan_relations_only_where_the_reader_may_see_them(
    world, portfolio
):
    investment = _open(world, _investment(world, portfolio))
    seen = _open(world, _milestone(world, portfolio, investment, "Seen", TODAY + 10 * DAY))
    hidden = _milestone(world, portfolio, investment, "Hidden draft", TODAY + 5 * DAY)
    later = _open(
        world,
        _milestone(
            world, portfolio, investment, "Later", TODAY + 20 * DAY, depends_on=[seen, hidden]
        ),
    )
    public = client_for(None).get(f"/api/v1/items/{later.uid}").json()["relations"]
    assert public == {"for_investment": investment.uid, "depends_on": [seen.uid]}
    staff = client_for(world.people["staff"]).get(f"/api/v1/items/{later.uid}").json()
    assert sorted(staff["relations"]["depends_on"]) == sorted([seen.uid, hidden.uid])


def test_a_redacted_purpose_is_not_shown_on_the_investment_page(world, portfolio):
    investment = _investment(world, portfolio, purpose="A commercially sensitive purpose.")
    investment = _open(
        world,
        investment,
        redacted_fields=["purpose"],
        sensitivities=[{"category": "commercial", "finding": "f", "mitigation": "redact"}],
        rationale="Commercial.",
    )
    assert "commercially sensitive" not in client_for(None).get(investment.get_absolute_url()).text
    staff = client_for(world.people["staff"]).get(investment.get_absolute_url())
    assert "A commercially sensitive purpose." in staff.text
