"""The plan through the API: investments, milestones, the RAID log, escalations, RACI and plan
versions — each written through its service with a token, each refusal a 4xx naming the field."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orchestrator.core.models import AuditEvent, Item
from orchestrator.engagement import services as engagement
from orchestrator.people.models import Role
from orchestrator.planning import services
from orchestrator.planning.models import (
    Activity,
    Assignment,
    Escalation,
    Feature,
    Investment,
    Milestone,
    PlanVersion,
    Risk,
)

from ..factories import OrganisationFactory, decided, person, publish
from .test_api import _bearer

TODAY = timezone.localdate()


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def call(method: str, path: str, user=None, data=None):
    """One API call, with a token for `user` (or none)."""
    headers = _bearer(user) if user is not None else {}
    send = getattr(Client(), method)
    if data is None and method in ("get", "delete"):
        return send(f"/api/v1{path}", **headers)
    return send(f"/api/v1{path}", data or {}, content_type="application/json", **headers)


def detail(response) -> str:
    return str(response.json()["detail"])


@pytest.fixture
def portfolio(world):
    # A portfolio manager in the Product Team: maintains the plan.
    return person(Role.PORTFOLIO_MANAGER, world.team, full_name="Pat Portfolio")


@pytest.fixture
def leader(world):
    # The Organisation Leader: publishes versions of the plan.
    return person(Role.ORGANISATION_LEADER, world.team, full_name="Lee Leader")


@pytest.fixture
def board(world):
    # A Board member: responds to escalations.
    return person(Role.BOARD_MEMBER, world.team, full_name="Bo Board")


@pytest.fixture
def token(portfolio):
    # The portfolio manager's token: one for all of a property test's examples.
    return _bearer(portfolio)


@pytest.fixture
def plan(world, portfolio):
    """Open, published plan records, and draft ones that only staff and their authors see."""

    def published(item):
        return publish(item, by=world.people["triager"]).specific()

    def investment(title):
        return services.create_investment(
            actor=portfolio,
            owner=world.team,
            title=title,
            summary="A register of flexibility assets.",
            purpose="Let every flexibility market see the same assets.",
            capabilities="Register, look up.",
            phase="alpha",
            phase_dates={"discovery": days(-200), "alpha": days(-100)},
        )

    objective = published(
        services.create_objective(actor=portfolio, owner=world.team, title="Data flows freely")
    )
    metric = published(
        services.create_metric(
            actor=portfolio,
            owner=world.team,
            title="Organisations sharing data",
            unit="organisations",
            target="120",
            target_date=days(700),
        )
    )
    open_investment = published(investment("Flexibility asset register"))
    draft_investment = investment("A draft investment")

    def milestone(title, of=open_investment):
        return services.create_milestone(
            actor=portfolio, investment=of, title=title, planned_on=days(60), phase="alpha"
        )

    first, second = published(milestone("Private beta")), published(milestone("Public beta"))
    risk = published(
        services.create_risk(
            actor=portfolio,
            owner=world.team,
            title="Suppliers do not connect",
            cause="No incentive.",
            event="Few suppliers connect.",
            effect="The register is incomplete.",
            likelihood=3,
            impact=4,
            investment=open_investment,
        )
    )
    draft_risk = services.create_risk(
        actor=portfolio,
        owner=world.team,
        title="A draft risk",
        cause="c",
        event="e",
        effect="f",
        likelihood=2,
        impact=2,
    )
    work_area = services.add_activity(actor=portfolio, name="Run the RAID log", work_area="PMO")
    hidden_activity = services.add_activity(
        actor=portfolio, name="Hidden work", investment=draft_investment
    )
    return SimpleNamespace(
        objective=objective,
        metric=metric,
        investment=open_investment,
        draft_investment=draft_investment,
        first=first,
        second=second,
        risk=risk,
        draft_risk=draft_risk,
        work_area=work_area,
        hidden_activity=hidden_activity,
    )


def _state() -> tuple[int, int]:
    """How many records and how many audit events of the plan there are (tokens aside)."""
    return Item.objects.count(), AuditEvent.objects.exclude(action__startswith="token.").count()


def _events(action: str, uid: str) -> int:
    return AuditEvent.objects.filter(action=action, item_uid=uid).count()


# --- Investments -------------------------------------------------------------------------------


def test_an_investment_is_added_with_every_field(world, portfolio, plan):
    decision = decided(owner=world.people["staff"], by=world.people["triager"])
    response = call(
        "post",
        "/investments",
        portfolio,
        {
            "owner": world.team.slug,
            "title": "Data sharing infrastructure",
            "summary": "Shared rails for energy data.",
            "purpose": "Let organisations share data safely.",
            "capabilities": "Discovery, access control, audit.",
            "phase": "beta",
            "phase_dates": {"discovery": days(-300), "alpha": days(-200), "beta": days(-10)},
            "cost_low": "1000000",
            "cost_high": 5000000,
            "cost_confidence": "medium",
            "technical_details_url": "https://example.org/dsi",
            "designated_sdi": True,
            "designated_by": decision.uid,
            "objectives": [plan.objective.uid],
            "metrics": [plan.metric.uid],
        },
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["kind"] == "investment" and data["status"] == "draft"
    assert data["fields"]["purpose"] == "Let organisations share data safely."
    assert data["attributes"]["phase"] == "beta"
    assert data["attributes"]["beta_began"] == days(-10).isoformat()
    assert data["attributes"]["cost_high"] == "5000000"
    assert data["attributes"]["designated_sdi"] is True
    investment = Investment.objects.get(uid=data["uid"])
    assert list(investment.objectives.all()) == [plan.objective]
    assert list(investment.metrics.all()) == [plan.metric]
    assert investment.designated_by_id == decision.pk
    assert _events("item.created", investment.uid) == 1
    # The designating record's page shows what it designated.
    assert any(link["uid"] == decision.uid for link in data["links"])


def test_an_investments_phase_dates_out_of_order_are_refused_naming_the_phase(world, portfolio):
    before = Item.objects.count()
    response = call(
        "post",
        "/investments",
        portfolio,
        {
            "owner": world.team.slug,
            "title": "Backwards",
            "phase": "alpha",
            "phase_dates": {"discovery": days(-10), "alpha": days(-50)},
            "cost_low": "10",
        },
    )
    assert response.status_code == 422
    errors = response.json()["detail"]
    assert "alpha_began" in errors and "cost_confidence" in errors
    assert Item.objects.count() == before


def test_an_investment_designated_by_a_record_that_is_no_decision_taken_is_a_422(world, portfolio):
    before = Item.objects.count()
    response = call(
        "post",
        "/investments",
        portfolio,
        {
            "owner": world.team.slug,
            "title": "Designated by a paper",
            "phase_dates": {"discovery": days(-10)},
            "designated_sdi": True,
            "designated_by": world.records["open"].uid,
        },
    )
    assert response.status_code == 422
    assert response.json()["detail"] == {
        "designated_by": ["Name a decision that has been taken: “The open record” is a document."]
    }
    assert Item.objects.count() == before


def test_an_unknown_phase_or_a_cost_that_is_not_a_number_is_a_422(world, portfolio):
    response = call(
        "post",
        "/investments",
        portfolio,
        {
            "owner": world.team.slug,
            "title": "Odd",
            "phase_dates": {"gamma": days(-1)},
            "cost_low": "lots",
        },
    )
    assert response.status_code == 422
    assert {"phase_dates", "cost_low"} <= set(response.json()["detail"])


def test_the_plan_of_an_investment_is_replaced(world, portfolio, plan):
    response = call(
        "put",
        f"/investments/{plan.investment.uid}/plan",
        portfolio,
        {"objectives": [plan.objective.uid], "metrics": [plan.metric.uid]},
    )
    assert response.status_code == 200
    assert list(plan.investment.objectives.all()) == [plan.objective]
    assert list(plan.investment.metrics.all()) == [plan.metric]
    assert _events("investment.plan_set", plan.investment.uid) == 1
    # A uid of another kind is no objective: a 404, and nothing changes.
    wrong = call(
        "put",
        f"/investments/{plan.investment.uid}/plan",
        portfolio,
        {"objectives": [plan.metric.uid], "metrics": []},
    )
    assert wrong.status_code == 404
    assert list(plan.investment.metrics.all()) == [plan.metric]


def test_features_are_added_and_read_by_anyone_who_may_see_the_investment(world, portfolio, plan):
    path = f"/investments/{plan.investment.uid}/features"
    made = call("post", path, portfolio, {"name": "Bulk upload", "target_date": days(90)})
    assert made.status_code == 201
    assert made.json() == {
        "name": "Bulk upload",
        "target_date": days(90).isoformat(),
        "delivered_on": None,
    }
    assert _events("feature.added", plan.investment.uid) == 1
    assert call("get", path).json()[0]["name"] == "Bulk upload"
    again = call("post", path, portfolio, {"name": "Bulk upload", "target_date": days(90)})
    assert again.status_code == 409
    future = call(
        "post",
        path,
        portfolio,
        {"name": "Search", "target_date": days(9), "delivered_on": days(3)},
    )
    assert future.status_code == 422 and "delivered_on" in future.json()["detail"]
    assert Feature.objects.filter(investment=plan.investment).count() == 1
    hidden = f"/investments/{plan.draft_investment.uid}/features"
    assert call("get", hidden).status_code == 404
    assert call("get", hidden, world.people["outsider"]).status_code == 404
    assert call("get", hidden, portfolio).status_code == 200


# --- Milestones --------------------------------------------------------------------------------


def test_a_milestone_is_added_with_its_dependencies(world, portfolio, plan):
    response = call(
        "post",
        "/milestones",
        portfolio,
        {
            "investment": plan.investment.uid,
            "title": "Live",
            "summary": "Open to every supplier.",
            "phase": "alpha",
            "planned_on": days(200),
            "forecast_on": days(230),
            "depends_on": [plan.first.uid, plan.second.uid],
        },
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["attributes"]["forecast_on"] == days(230).isoformat()
    milestone = Milestone.objects.get(uid=data["uid"])
    assert milestone.for_investment == plan.investment
    assert milestone.owner == plan.investment.owner
    assert set(milestone.depends_on.all()) == {plan.first, plan.second}
    assert _events("milestone.dependency_added", milestone.uid) == 2


@pytest.mark.parametrize(
    ("field", "dates", "message"),
    [
        ("forecast_on", {"forecast_on": -150}, "before alpha began"),
        ("actual_on", {"actual_on": 5}, "in the future"),
    ],
)
def test_a_milestone_date_that_cannot_be_is_refused_and_nothing_is_left(
    world, portfolio, plan, field, dates, message
):
    before = Milestone.objects.count()
    response = call(
        "post",
        "/milestones",
        portfolio,
        {
            "investment": plan.investment.uid,
            "title": "Impossible",
            "phase": "alpha",
            "planned_on": days(30),
            "depends_on": [plan.first.uid],
            **{name: days(n) for name, n in dates.items()},
        },
    )
    assert response.status_code == 422
    assert field in response.json()["detail"] and message in detail(response)
    assert Milestone.objects.count() == before
    assert not Item.objects.filter(title="Impossible").exists()


def test_a_cycle_of_milestone_dependencies_is_a_422_naming_depends_on(world, portfolio, plan):
    first, second = plan.first, plan.second
    made = call(
        "post", f"/milestones/{second.uid}/dependencies", portfolio, {"depends_on": first.uid}
    )
    assert made.status_code == 201
    assert list(second.depends_on.all()) == [first]
    cycle = call(
        "post", f"/milestones/{first.uid}/dependencies", portfolio, {"depends_on": second.uid}
    )
    assert cycle.status_code == 422
    assert "cycle" in cycle.json()["detail"]["depends_on"][0]
    assert not first.depends_on.exists()
    itself = call(
        "post", f"/milestones/{first.uid}/dependencies", portfolio, {"depends_on": first.uid}
    )
    assert itself.status_code == 422 and "depends_on" in itself.json()["detail"]
    again = call(
        "post", f"/milestones/{second.uid}/dependencies", portfolio, {"depends_on": first.uid}
    )
    assert again.status_code == 409


def test_a_milestone_dependency_is_removed(world, portfolio, plan):
    services.add_milestone_dependency(
        actor=portfolio, milestone=plan.second, prerequisite=plan.first
    )
    path = f"/milestones/{plan.second.uid}/dependencies/{plan.first.uid}"
    assert call("delete", path, portfolio).status_code == 204
    assert not plan.second.depends_on.exists()
    assert _events("milestone.dependency_removed", plan.second.uid) == 1
    assert call("delete", path, portfolio).status_code == 409


# --- The RAID log ------------------------------------------------------------------------------


def _risk(world, **changes):
    return {
        "owner": world.team.slug,
        "title": "Data is withheld",
        "cause": "Commercial worries.",
        "event": "Suppliers withhold data.",
        "effect": "Forecasts are wrong.",
        "likelihood": 4,
        "impact": 5,
        **changes,
    }


def test_a_risk_is_added_to_the_raid_log(world, portfolio, plan):
    response = call(
        "post",
        "/risks",
        portfolio,
        _risk(
            world,
            investment=plan.investment.uid,
            proximity="near",
            mitigation="Talk to them.",
            residual_likelihood=2,
            residual_impact=3,
            managed_by="Portfolio Management Team",
            review_on=days(30),
        ),
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["attributes"]["score"] == 20 and data["attributes"]["residual_score"] == 6
    assert data["fields"]["event"] == "Suppliers withhold data."
    assert Risk.objects.get(uid=data["uid"]).for_investment == plan.investment


@pytest.mark.parametrize(
    "changes",
    [
        {"likelihood": 6},
        {"impact": 0},
        {"likelihood": 10**30},
        {"residual_impact": 9},
    ],
)
def test_a_score_outside_one_to_five_is_refused_naming_it(world, portfolio, changes):
    before = Risk.objects.count()
    response = call("post", "/risks", portfolio, _risk(world, title="Badly scored", **changes))
    assert response.status_code == 422
    (field,) = changes
    assert field in response.json()["detail"] and "1 to 5" in detail(response)
    assert Risk.objects.count() == before


def test_an_issue_names_the_risk_that_foresaw_it(world, portfolio, plan):
    response = call(
        "post",
        "/issues",
        portfolio,
        {
            "owner": world.team.slug,
            "title": "Two suppliers withdrew",
            "occurred_on": TODAY,
            "severity": 4,
            "foreseen_by": plan.risk.uid,
        },
    )
    assert response.status_code == 201, response.json()
    assert response.json()["attributes"]["foreseen"] is True
    # A risk identified after the issue happened did not foresee it.
    late = call(
        "post",
        "/issues",
        portfolio,
        {
            "owner": world.team.slug,
            "title": "Long ago",
            "occurred_on": days(-400),
            "foreseen_by": plan.risk.uid,
        },
    )
    assert late.status_code == 422 and "foreseen_by" in late.json()["detail"]
    future = call(
        "post",
        "/issues",
        portfolio,
        {"owner": world.team.slug, "title": "Tomorrow", "occurred_on": days(1), "severity": 7},
    )
    assert future.status_code == 422
    assert {"occurred_on", "severity"} <= set(future.json()["detail"])


def test_an_assumption_and_a_dependency_are_added(world, portfolio, plan):
    assumption = call(
        "post",
        "/assumptions",
        portfolio,
        {"owner": world.team.slug, "title": "Suppliers will share", "test": "Ask ten of them."},
    )
    assert assumption.status_code == 201
    assert assumption.json()["fields"]["test"] == "Ask ten of them."
    outside = OrganisationFactory(name="Network Operator")
    dependency = call(
        "post",
        "/dependencies",
        portfolio,
        {
            "owner": world.team.slug,
            "title": "Network data feed",
            "external": True,
            "on_organisation": outside.slug,
            "need_by": days(120),
            "investment": plan.investment.uid,
        },
    )
    assert dependency.status_code == 201, dependency.json()
    assert dependency.json()["attributes"]["external"] is True
    nobody = call(
        "post",
        "/dependencies",
        portfolio,
        {"owner": world.team.slug, "title": "On nobody", "external": True},
    )
    assert nobody.status_code == 422 and "on_organisation" in nobody.json()["detail"]
    unknown = call(
        "post",
        "/dependencies",
        portfolio,
        {"owner": world.team.slug, "title": "x", "external": True, "on_organisation": "no-such"},
    )
    assert unknown.status_code == 422 and "on_organisation" in unknown.json()["detail"]
    assert not Item.objects.filter(title__in=["On nobody", "x"]).exists()


def test_an_accepted_risk_submission_goes_into_the_raid_log_once(world, portfolio, plan):
    submission = engagement.raise_submission(
        actor=world.people["registered"],
        category="risk",
        title="Smart meter data may be lost",
        text="If the feed fails, a month of data goes.",
        about=plan.investment,
    )
    path = f"/raid/from-submission/{submission.uid}"
    early = call("post", path, portfolio, {"owner": world.team.slug})
    assert early.status_code == 409
    engagement.resolve_submission(
        actor=world.people["triager"], submission=submission, decision="accept"
    )
    made = call("post", path, portfolio, {"owner": world.team.slug})
    assert made.status_code == 201, made.json()
    assert made.json()["kind"] == "risk"
    assert submission.uid in [link["uid"] for link in made.json()["links"]]
    assert _events("raid.logged_from_submission", made.json()["uid"]) == 1
    assert call("post", path, portfolio, {"owner": world.team.slug}).status_code == 409
    wrong_kind = call("post", f"/raid/from-submission/{plan.risk.uid}", portfolio, {"owner": "x"})
    assert wrong_kind.status_code == 404


# --- Escalations -------------------------------------------------------------------------------


def test_a_risk_is_escalated_to_the_board_which_responds_once(world, portfolio, board, plan):
    path = f"/items/{plan.risk.uid}/escalations"
    made = call("post", path, portfolio, {"reason": "It threatens the whole register."})
    assert made.status_code == 201, made.json()
    escalation = made.json()
    assert escalation["open"] is True and escalation["escalated_by"] == "Pat Portfolio"
    assert call("post", path, portfolio, {"reason": "Again."}).status_code == 409
    blank = call("post", f"/items/{plan.draft_risk.uid}/escalations", portfolio, {"reason": " "})
    assert blank.status_code == 422 and "reason" in blank.json()["detail"]
    response_path = f"/escalations/{escalation['id']}/response"
    refused = call("post", response_path, portfolio, {"response": "Noted."})
    assert refused.status_code == 403
    answered = call("post", response_path, board, {"response": "Fund the incentive scheme."})
    assert answered.status_code == 200
    assert answered.json()["open"] is False and answered.json()["responded_by"] == "Bo Board"
    assert call("post", response_path, board, {"response": "Twice."}).status_code == 409
    # Anyone who may see the risk reads its escalations.
    listed = call("get", path).json()
    assert [e["response"] for e in listed] == ["Fund the incentive scheme."]
    assert _events("escalation.raised", plan.risk.uid) == 1
    assert _events("escalation.answered", plan.risk.uid) == 1


def test_only_risks_issues_and_concerns_go_to_the_board(world, portfolio, plan):
    response = call(
        "post", f"/items/{plan.investment.uid}/escalations", portfolio, {"reason": "Why not."}
    )
    assert response.status_code == 422 and "item" in response.json()["detail"]
    assert not Escalation.objects.exists()


def test_the_escalations_of_a_hidden_record_are_not_found(world, portfolio, board, plan):
    escalation = services.escalate(actor=portfolio, item=plan.draft_risk, reason="Hidden.")
    assert call("get", f"/items/{plan.draft_risk.uid}/escalations").status_code == 404
    outsider = world.people["outsider"]
    response = call("post", f"/escalations/{escalation.pk}/response", outsider, {"response": "x"})
    assert response.status_code == 404
    assert call("post", "/escalations/999999/response", board, {"response": "x"}).status_code == 404
    huge = call("post", f"/escalations/{10**30}/response", board, {"response": "x"})
    assert huge.status_code == 422


# --- Responsibilities --------------------------------------------------------------------------


def test_an_activity_gets_one_accountable_and_is_read_with_its_investment(world, portfolio, plan):
    made = call(
        "post",
        "/activities",
        portfolio,
        {"name": "Run the register", "investment": plan.investment.uid},
    )
    assert made.status_code == 201, made.json()
    activity = made.json()
    assert activity["investment"] == plan.investment.uid and activity["assignments"] == []
    path = f"/activities/{activity['id']}/assignments"
    accountable = call("post", path, portfolio, {"part": "A", "organisation": world.team.slug})
    assert accountable.status_code == 201
    assert accountable.json()["assignments"][0]["party"] == "Product Team"
    second = call("post", path, portfolio, {"part": "A", "role": Role.PORTFOLIO_MANAGER})
    assert second.status_code == 422
    assert "Accountable" in second.json()["detail"]["part"][0]
    responsible = call("post", path, portfolio, {"part": "R", "role": Role.PORTFOLIO_MANAGER})
    assert responsible.status_code == 201
    neither = call("post", path, portfolio, {"part": "C"})
    assert neither.status_code == 422 and "organisation" in neither.json()["detail"]
    listed = call("get", f"/investments/{plan.investment.uid}/responsibilities").json()
    assert [(a["part"], a["party"]) for a in listed[0]["assignments"]] == [
        ("A", "Product Team"),
        ("R", "Portfolio manager (Portfolio Management Team)"),
    ]
    removed = call("delete", f"/assignments/{listed[0]['assignments'][0]['id']}", portfolio)
    assert removed.status_code == 204
    assert Assignment.objects.filter(activity_id=activity["id"]).count() == 1
    assert _events("raci.unassigned", plan.investment.uid) == 1


def test_an_activity_of_a_work_area_needs_no_investment(world, portfolio):
    made = call("post", "/activities", portfolio, {"name": "Publish the plan", "work_area": "PMO"})
    assert made.status_code == 201 and made.json()["investment"] is None
    both = call("post", "/activities", portfolio, {"name": "Nowhere"})
    assert both.status_code == 422 and "work_area" in both.json()["detail"]
    assert not Activity.objects.filter(name="Nowhere").exists()


def test_the_responsibilities_of_a_hidden_investment_are_not_found(world, portfolio, plan):
    services.assign(
        actor=portfolio, activity=plan.hidden_activity, part="A", organisation=world.team
    )
    hidden = plan.draft_investment.uid
    assert call("get", f"/investments/{hidden}/responsibilities").status_code == 404
    outsider = world.people["outsider"]
    path = f"/activities/{plan.hidden_activity.pk}/assignments"
    assert call("post", path, outsider, {"part": "C", "role": "board_member"}).status_code == 404
    assignment = plan.hidden_activity.assignments.get()
    assert call("delete", f"/assignments/{assignment.pk}", outsider).status_code == 404
    assert Assignment.objects.filter(pk=assignment.pk).exists()


# --- Plan versions -----------------------------------------------------------------------------


def test_a_plan_version_is_numbered_and_once_published_cannot_be_edited(
    world, leader, portfolio, plan
):
    made = call(
        "post",
        "/plan-versions",
        leader,
        {"owner": world.team.slug, "summary": "The first plan."},
    )
    assert made.status_code == 201, made.json()
    assert made.json()["attributes"]["number"] == 1
    assert made.json()["title"] == "Strategic plan, version 1"
    refused = call(
        "post", "/plan-versions", portfolio, {"owner": world.team.slug, "summary": "Mine."}
    )
    assert refused.status_code == 403
    version = publish(
        PlanVersion.objects.get(uid=made.json()["uid"]), by=world.people["triager"]
    ).specific()
    edit = call(
        "patch",
        f"/items/{version.uid}",
        leader,
        {"version": version.version, "summary": "Changed."},
    )
    assert edit.status_code == 409 and "cannot be changed" in detail(edit)
    assert PlanVersion.objects.get(pk=version.pk).summary == "The first plan."


def test_the_difference_between_two_plan_versions(world, leader, portfolio, plan):
    first = publish(
        services.create_plan_version(actor=leader, owner=world.team, summary="First."),
        by=world.people["triager"],
    )
    services.create_objective(actor=portfolio, owner=world.team, title="Unpublished, unseen")
    later = publish(
        services.create_objective(actor=portfolio, owner=world.team, title="Markets clear fast"),
        by=world.people["triager"],
    )
    second = publish(
        services.create_plan_version(actor=leader, owner=world.team, summary="Second."),
        by=world.people["triager"],
    )
    response = call("get", f"/plan-versions/{first.uid}/diff/{second.uid}")
    assert response.status_code == 200
    sections = {s["name"]: s for s in response.json()}
    assert sections["objectives"]["added"] == [{"uid": later.uid, "title": later.title}]
    assert sections["investments"] == {
        "name": "investments",
        "label": "Investments",
        "added": [],
        "removed": [],
        "changed": [],
    }
    draft = services.create_plan_version(actor=leader, owner=world.team, summary="Third.")
    assert call("get", f"/plan-versions/{first.uid}/diff/{draft.uid}").status_code == 404
    not_a_version = call("get", f"/plan-versions/{first.uid}/diff/{plan.objective.uid}")
    assert not_a_version.status_code == 404


# --- Editing the kinds' own fields (PATCH /items/{uid} with `fields`) ---------------------------


@pytest.mark.parametrize(
    ("record", "fields", "field", "message"),
    [
        ("first", {"forecast_on": days(-150).isoformat()}, "forecast_on", "before alpha began"),
        ("first", {"actual_on": days(3).isoformat()}, "actual_on", "in the future"),
        ("first", {"planned_on": None}, "planned_on", "cannot be null"),
        ("first", {"forecast_on": 20250101}, "forecast_on", "date"),
        ("risk", {"likelihood": 9}, "likelihood", "1 to 5"),
        ("risk", {"impact": "0"}, "impact", "1 to 5"),
        ("risk", {"likelihood": "high"}, "likelihood", "integer"),
        ("risk", {"score": 4}, "score", "cannot be changed"),
        ("investment", {"alpha_began": days(-300).isoformat()}, "alpha_began", "before"),
        ("investment", {"cost_low": 50, "cost_high": "10"}, "cost_high", "below"),
        ("investment", {"cost_low": {"a": 1}}, "cost_low", "text, a number"),
        ("metric", {"unit": ""}, "unit", "needs a unit"),
    ],
)
def test_an_edit_that_cannot_be_is_refused_naming_the_field(
    world, portfolio, plan, record, fields, field, message
):
    item = getattr(plan, record)
    response = call(
        "patch", f"/items/{item.uid}", portfolio, {"version": item.version, "fields": fields}
    )
    assert response.status_code == 422, response.json()
    assert field in response.json()["detail"] and message in detail(response)
    assert Item.objects.get(pk=item.pk).version == item.version


def test_the_kinds_own_fields_are_edited_with_numbers_as_numbers_or_text(world, portfolio, plan):
    milestone = plan.first
    response = call(
        "patch",
        f"/items/{milestone.uid}",
        portfolio,
        {"version": milestone.version, "fields": {"forecast_on": days(75).isoformat()}},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["attributes"]["forecast_on"] == days(75).isoformat()
    investment = plan.investment
    costs = call(
        "patch",
        f"/items/{investment.uid}",
        portfolio,
        {
            "version": investment.version,
            "title": "Renamed",
            "fields": {"cost_low": 100000, "cost_high": "250000", "cost_confidence": "low"},
        },
    )
    assert costs.status_code == 200, costs.json()
    assert costs.json()["title"] == "Renamed"
    assert costs.json()["attributes"]["cost_low"] == "100000"
    risk = call(
        "patch",
        f"/items/{plan.risk.uid}",
        portfolio,
        {"version": plan.risk.version, "fields": {"likelihood": 5, "mitigation": "Pay them."}},
    )
    assert risk.status_code == 200 and risk.json()["attributes"]["score"] == 20


def test_a_metric_target_with_no_unit_is_refused(world, portfolio):
    response = call(
        "post",
        "/metrics",
        portfolio,
        {"owner": world.team.slug, "title": "Unitless", "target": "5", "target_date": days(90)},
    )
    assert response.status_code == 422 and "unit" in response.json()["detail"]
    assert not Item.objects.filter(title="Unitless").exists()


# --- Who may call what -------------------------------------------------------------------------


def _writes(world, plan):
    """Every write, with a payload a permitted caller could send, on records anyone may see."""
    team = world.team.slug
    return [
        ("post", "/objectives", {"owner": team, "title": "x"}),
        ("post", "/investments", {"owner": team, "title": "x"}),
        ("put", f"/investments/{plan.investment.uid}/plan", {"objectives": [], "metrics": []}),
        (
            "post",
            f"/investments/{plan.investment.uid}/features",
            {"name": "x", "target_date": days(9)},
        ),
        (
            "post",
            "/milestones",
            {"investment": plan.investment.uid, "title": "x", "planned_on": days(9)},
        ),
        ("post", f"/milestones/{plan.second.uid}/dependencies", {"depends_on": plan.first.uid}),
        ("delete", f"/milestones/{plan.second.uid}/dependencies/{plan.first.uid}", None),
        ("post", "/risks", _risk(world)),
        ("post", "/issues", {"owner": team, "title": "x", "occurred_on": TODAY}),
        ("post", "/assumptions", {"owner": team, "title": "x"}),
        ("post", "/dependencies", {"owner": team, "title": "x"}),
        ("post", f"/items/{plan.risk.uid}/escalations", {"reason": "x"}),
        ("post", "/activities", {"name": "x", "work_area": "PMO"}),
        (
            "post",
            f"/activities/{plan.work_area.pk}/assignments",
            {"part": "I", "role": "corporate"},
        ),
        ("post", "/plan-versions", {"owner": team, "summary": "x"}),
    ]


def test_every_write_needs_a_token(world, plan):
    for method, path, data in _writes(world, plan):
        response = call(method, path, None, data)
        assert response.status_code == 401, (method, path)
        assert response.json()["detail"]
    assert call("post", "/escalations/1/response", None, {"response": "x"}).status_code == 401
    assert call("delete", "/assignments/1").status_code == 401
    assert call("post", f"/raid/from-submission/{plan.risk.uid}", None, {}).status_code == 401


@pytest.mark.parametrize("who", ["registered", "outsider"])
def test_a_stakeholder_may_read_the_plan_but_not_write_it(world, portfolio, plan, who):
    stakeholder = world.people[who]
    assignment = services.assign(
        actor=portfolio, activity=plan.work_area, part="A", role=Role.PORTFOLIO_MANAGER
    )
    escalation = services.escalate(actor=portfolio, item=plan.risk, reason="Look.")
    writes = [
        *_writes(world, plan),
        ("delete", f"/assignments/{assignment.pk}", None),
        ("post", f"/escalations/{escalation.pk}/response", {"response": "x"}),
    ]
    before = _state()
    for method, path, data in writes:
        response = call(method, path, stakeholder, data)
        assert response.status_code == 403, (method, path, response.json())
        assert response.json()["detail"]
    assert _state() == before
    for path in (
        f"/investments/{plan.investment.uid}/features",
        f"/investments/{plan.investment.uid}/responsibilities",
        f"/items/{plan.risk.uid}/escalations",
    ):
        assert call("get", path, stakeholder).status_code == 200


def test_a_hidden_referenced_record_is_a_404_not_a_403(world, plan):
    outsider = world.people["outsider"]
    team, hidden = world.team.slug, plan.draft_investment.uid
    for method, path, data in [
        ("put", f"/investments/{hidden}/plan", {"objectives": [], "metrics": []}),
        ("post", f"/investments/{hidden}/features", {"name": "x", "target_date": days(9)}),
        ("post", "/milestones", {"investment": hidden, "title": "x", "planned_on": days(9)}),
        ("post", "/risks", _risk(world, investment=hidden)),
        (
            "post",
            "/issues",
            {"owner": team, "title": "x", "occurred_on": TODAY, "foreseen_by": plan.draft_risk.uid},
        ),
        ("post", "/activities", {"name": "x", "investment": hidden}),
        ("post", f"/items/{plan.draft_risk.uid}/escalations", {"reason": "x"}),
        ("post", "/investments", {"owner": team, "title": "x", "objectives": [hidden]}),
    ]:
        response = call(method, path, outsider, data)
        assert response.status_code == 404, (method, path, response.json())
        assert response.json() == {"detail": "Not found"}


# --- Whatever is sent, never a server error ----------------------------------------------------

# Anything JSON can carry, NUL characters and lone surrogates included: the services refuse them.
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=12)
    | st.dates(min_value=dt.date(1, 1, 1)).map(dt.date.isoformat)
)
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(), children),
    max_leaves=6,
)
EDITABLE = sorted(
    {*Milestone.EDIT_FIELDS, *Risk.EDIT_FIELDS, *Investment.EDIT_FIELDS, "unit", "nonsense"}
)


@given(
    record=st.sampled_from(["first", "risk", "investment", "metric"]),
    fields=st.dictionaries(st.sampled_from(EDITABLE), json_values, min_size=1, max_size=4),
)
@settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
def test_no_edit_of_a_kinds_own_fields_is_a_server_error(token, plan, record, fields):
    item = Item.objects.get(pk=getattr(plan, record).pk)
    response = Client().patch(
        f"/api/v1/items/{item.uid}",
        {"version": item.version, "fields": fields},
        content_type="application/json",
        **token,
    )
    assert response.status_code in (200, 422), response.content
    if response.status_code == 422:
        assert set(response.json()["detail"]) <= {*fields, "__all__"}
        assert Item.objects.get(pk=item.pk).version == item.version


CREATES = ["/investments", "/milestones", "/risks", "/issues", "/assumptions", "/dependencies"]
BODY_FIELDS = sorted(
    {"investment", "planned_on", "forecast_on", "actual_on", "phase", "depends_on", "cause"}
    | {"event", "effect", "likelihood", "impact", "occurred_on", "foreseen_by", "external"}
    | {"on_organisation", "phase_dates", "cost_low", "cost_high", "objectives", "review_on"}
)


@given(
    path=st.sampled_from(CREATES),
    body=st.dictionaries(st.sampled_from(BODY_FIELDS), json_values, max_size=6),
    title=st.text(max_size=20),
)
@settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
def test_no_body_sent_to_the_plan_is_a_server_error(world, token, plan, path, body, title):
    before = Item.objects.count()
    response = Client().post(
        f"/api/v1{path}",
        {"owner": world.team.slug, "title": title, **body},
        content_type="application/json",
        **token,
    )
    assert response.status_code in (201, 404, 409, 422), response.content
    if response.status_code != 201:
        assert Item.objects.count() == before
