"""Solution architectures through their services: scoping, the sign-off state machine and who may
move it, the audit trail, freezing when signed off, tracing and the conformance report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from orchestrator.architecture import services, solutions
from orchestrator.architecture.models import (
    ArchitectureModel,
    Element,
    Principle,
    Scope,
    SignOff,
    SignOffStep,
    SolutionArchitecture,
)
from orchestrator.core.errors import Conflict, PermissionDenied, ValidationError
from orchestrator.core.models import AuditEvent, Link, Relation
from orchestrator.core.services import update_item
from orchestrator.people.models import Organisation, OrganisationKind, Role, User
from orchestrator.planning import services as planning
from orchestrator.planning.models import Investment

from ..factories import OrganisationFactory, person, publish

TODAY = dt.date.today()


@dataclass
class Work:
    """An enterprise architecture, a work package, the Design Body given its design, and people."""

    team: Organisation
    architect: User
    enterprise: ArchitectureModel
    catalogue: Element  # an open enterprise element designs refine
    open_principle: Principle
    closed_principle: Principle  # staff only: Design Bodies never see it
    availability: Element  # an enterprise constraint: availability ≥ 99.9 %
    investment: Investment
    body: Organisation  # the Design Body the design is given to
    member: User
    rival: User  # a member of another Design Body
    partner: Organisation  # a Delivery Partner, for low-level designs
    partner_member: User
    triager: User
    solution: SolutionArchitecture


def make_work(world) -> Work:
    triager = world.people["triager"]
    team = OrganisationFactory(name="Architecture Team", kind=OrganisationKind.ORCHESTRATOR_TEAM)
    architect = person(Role.ARCHITECT, team, full_name="Archie Tect")
    portfolio = person(Role.PORTFOLIO_MANAGER, world.team, full_name="Pat Portfolio")
    enterprise = services.create_model(
        actor=architect, owner=team, title="Energy system architecture", identifier="model-ea"
    )

    def element(archimate_type, title, outcome="open", **fields):
        made = services.create_element(
            actor=architect,
            model=enterprise,
            archimate_type=archimate_type,
            title=title,
            summary=f"{title}.",
            fields=fields or None,
        )
        return publish(made, by=triager, outcome=outcome).specific()

    catalogue = element("ApplicationComponent", "Data catalogue")
    open_principle = element(
        "Principle", "Open by default", rationale="Presumed open.", implications="Publish."
    )
    closed_principle = element(
        "Principle", "Protect critical sites", "closed", rationale="CNI.", implications="Hide."
    )
    availability = element(
        "Constraint", "Always available", measure="availability", threshold=Decimal("99.9")
    )
    investment = publish(
        planning.create_investment(
            actor=portfolio,
            owner=world.team,
            title="Data sharing infrastructure",
            summary="Share data safely.",
            purpose="p",
            capabilities="c",
            phase_dates={"discovery": TODAY - dt.timedelta(days=60)},
        ),
        by=triager,
    ).specific()
    rival_body = OrganisationFactory(name="Rival Design Body", kind=OrganisationKind.DESIGN_BODY)
    rival = person(Role.DESIGN_BODY_MEMBER, rival_body, full_name="Ravi Rival")
    solution = solutions.create_solution_architecture(
        actor=architect,
        investment=investment,
        design_body=world.named_org,
        title="Data sharing: high-level design",
        summary="How data sharing is built.",
    )
    return Work(
        team=team,
        architect=architect,
        enterprise=enterprise,
        catalogue=catalogue,
        open_principle=open_principle,
        closed_principle=closed_principle,
        availability=availability,
        investment=investment,
        body=world.named_org,
        member=world.people["member"],
        rival=rival,
        partner=world.other_org,
        partner_member=world.people["outsider"],
        triager=triager,
        solution=solution,
    )


@pytest.fixture
def work(world) -> Work:
    return make_work(world)


def refresh(solution: SolutionArchitecture) -> SolutionArchitecture:
    return SolutionArchitecture.objects.get(pk=solution.pk)


def put_in(work: Work, state: str) -> SolutionArchitecture:
    """Move the work's design to `state` by the legal route."""
    s = work.solution
    if state == SignOff.DRAFT:
        return s
    s = solutions.submit_for_sign_off(actor=work.member, solution=s)
    if state == SignOff.CHANGES_REQUESTED:
        s = solutions.request_changes(actor=work.architect, solution=s, comment="Say more.")
    elif state == SignOff.SIGNED_OFF:
        s = solutions.sign_off(actor=work.architect, solution=s)
    return s


# --- Scoping ----------------------------------------------------------------------------------


def test_the_architecture_team_scope_a_design_with_its_own_model(work):
    s = refresh(work.solution)
    assert s.sign_off == SignOff.DRAFT and s.scope == Scope.SOLUTION
    assert s.owner == work.body and s.design_body == work.body
    model = s.architecture
    assert model.scope == Scope.SOLUTION and model.owner == work.body
    assert model.identifier == f"sa-{s.uid.lower()}"
    assert ArchitectureModel.objects.get(pk=model.pk).solution == s
    assert list(s.sign_off_steps.values_list("to_state", flat=True)) == [SignOff.DRAFT]
    event = AuditEvent.objects.get(action="solution.scoped", item_uid=s.uid)
    assert event.data["design_body"] == work.body.slug
    assert event.data["investment"] == work.investment.uid


def test_only_the_architecture_team_scope_a_design(work):
    with pytest.raises(PermissionDenied):
        solutions.create_solution_architecture(
            actor=work.member, investment=work.investment, design_body=work.body, title="Mine"
        )


def test_a_design_body_of_the_wrong_kind_is_refused_with_a_message(work):
    before = SolutionArchitecture.objects.count()
    with pytest.raises(ValidationError) as caught:
        solutions.create_solution_architecture(
            actor=work.architect, investment=work.investment, design_body=work.partner, title="X"
        )
    message = caught.value.message_dict["design_body"][0]
    assert "delivery partner, not a design body" in message
    assert SolutionArchitecture.objects.count() == before
    assert (
        not ArchitectureModel.objects.filter(scope=Scope.SOLUTION)
        .exclude(pk=work.solution.architecture_id)
        .exists()
    )


def test_bad_service_agreements_are_named(work):
    with pytest.raises(ValidationError) as caught:
        solutions.create_solution_architecture(
            actor=work.architect,
            investment=work.investment,
            design_body=work.body,
            title="X",
            agreements={"availability": "lots", "latency_ms": "2.5"},
        )
    errors = caught.value.message_dict
    assert "number" in errors["availability"][0] and "whole" in errors["latency_ms"][0]


def test_a_member_of_the_design_body_edits_it_through_update_item(work):
    s = update_item(
        item=work.solution,
        actor=work.member,
        version=work.solution.version,
        changes={"functional_requirements": "Find datasets.", "availability": "99.95"},
    )
    assert refresh(s).availability == Decimal("99.95")
    with pytest.raises(PermissionDenied):
        update_item(item=s, actor=work.rival, version=s.version, changes={"summary": "Mine"})


# --- The sign-off state machine ---------------------------------------------------------------

MOVES = {
    "submit": (solutions.submit_for_sign_off, "member"),
    "request_changes": (solutions.request_changes, "architect"),
    "sign_off": (solutions.sign_off, "architect"),
}
LEGAL = {
    (SignOff.DRAFT, "submit"): SignOff.SUBMITTED,
    (SignOff.CHANGES_REQUESTED, "submit"): SignOff.SUBMITTED,
    (SignOff.SUBMITTED, "request_changes"): SignOff.CHANGES_REQUESTED,
    (SignOff.SUBMITTED, "sign_off"): SignOff.SIGNED_OFF,
}


@pytest.mark.parametrize("state", SignOff.values)
@pytest.mark.parametrize("move", MOVES)
def test_every_transition_from_every_state(work, state, move):
    s = put_in(work, state)
    service, who = MOVES[move]
    actor = getattr(work, who)
    steps = SignOffStep.objects.filter(solution=s).count()
    if (state, move) in LEGAL:
        moved = service(actor=actor, solution=s, comment="Looked at it.")
        assert refresh(moved).sign_off == LEGAL[(state, move)]
        assert SignOffStep.objects.filter(solution=s).count() == steps + 1
    else:
        with pytest.raises(Conflict) as caught:
            service(actor=actor, solution=s, comment="Looked at it.")
        assert SignOff(state).label.lower() in caught.value.message
        assert refresh(s).sign_off == state
        assert SignOffStep.objects.filter(solution=s).count() == steps


@pytest.mark.parametrize(
    ("who", "move", "allowed"),
    [
        ("member", "submit", True),
        ("architect", "submit", True),
        ("rival", "submit", False),
        ("partner_member", "submit", False),
        ("anonymous", "submit", False),
        ("member", "request_changes", False),
        ("member", "sign_off", False),
        ("rival", "sign_off", False),
        ("anonymous", "sign_off", False),
        ("architect", "sign_off", True),
        ("architect", "request_changes", True),
    ],
)
def test_who_may_move_it(work, who, move, allowed):
    s = work.solution if move == "submit" else put_in(work, SignOff.SUBMITTED)
    actor = AnonymousUser() if who == "anonymous" else getattr(work, who)
    service = MOVES[move][0]
    before = refresh(s).sign_off
    if allowed:
        service(actor=actor, solution=s, comment="Fine.")
        assert refresh(s).sign_off != before
    else:
        with pytest.raises(PermissionDenied):
            service(actor=actor, solution=s, comment="Fine.")
        assert refresh(s).sign_off == before


def test_asking_for_changes_needs_a_comment(work):
    s = put_in(work, SignOff.SUBMITTED)
    with pytest.raises(ValidationError) as caught:
        solutions.request_changes(actor=work.architect, solution=s, comment="  ")
    assert "comment" in caught.value.message_dict
    assert refresh(s).sign_off == SignOff.SUBMITTED


def test_each_step_is_audited_and_recorded(work):
    s = solutions.submit_for_sign_off(actor=work.member, solution=work.solution, comment="Ready.")
    s = solutions.request_changes(actor=work.architect, solution=s, comment="Add recovery.")
    s = solutions.submit_for_sign_off(actor=work.member, solution=s, comment="Added.")
    s = solutions.sign_off(actor=work.architect, solution=s, comment="Agreed.")
    events = list(
        AuditEvent.objects.filter(item_uid=s.uid, action__startswith="solution.")
        .order_by("seq")
        .values_list("action", "actor_id", "data")
    )
    assert [(a, by) for a, by, _ in events] == [
        ("solution.scoped", work.architect.pk),
        ("solution.submitted", work.member.pk),
        ("solution.changes_requested", work.architect.pk),
        ("solution.submitted", work.member.pk),
        ("solution.signed_off", work.architect.pk),
    ]
    assert events[2][2] == {
        "from": "submitted",
        "to": "changes_requested",
        "comment": "Add recovery.",
    }
    steps = list(s.sign_off_steps.values_list("to_state", "by_id", "comment"))
    assert steps[1:] == [
        ("submitted", work.member.pk, "Ready."),
        ("changes_requested", work.architect.pk, "Add recovery."),
        ("submitted", work.member.pk, "Added."),
        ("signed_off", work.architect.pk, "Agreed."),
    ]
    # Each move is a new version, so an edit from the page as it was is refused as stale.
    assert refresh(s).version == work.solution.version + 4


def test_a_signed_off_design_is_frozen(work):
    s = put_in(work, SignOff.SIGNED_OFF)
    elements = Element.objects.count()
    with pytest.raises(Conflict, match="signed off"):
        solutions.add_element(
            actor=work.member, solution=s, archimate_type="Node", title="A server"
        )
    with pytest.raises(Conflict, match="signed off"):
        solutions.update_solution(
            actor=work.member, solution=s, version=s.version, changes={"summary": "Changed"}
        )
    with pytest.raises(Conflict, match="signed off"):
        solutions.address_principle(actor=work.member, solution=s, principle=work.open_principle)
    # Nor by the generic edit (the record's edit page, PATCH) nor straight on its model.
    with pytest.raises(Conflict, match="signed off"):
        update_item(item=s, actor=work.member, version=s.version, changes={"summary": "Changed"})
    with pytest.raises(Conflict, match="signed off"):
        services.create_element(
            actor=work.member, model=s.architecture, archimate_type="Node", title="A server"
        )
    assert Element.objects.count() == elements
    assert refresh(s).summary == "How data sharing is built."


# --- Tracing and conformance ------------------------------------------------------------------


def test_an_element_is_added_and_traced_to_what_it_refines(work):
    element = solutions.add_element(
        actor=work.member,
        solution=work.solution,
        archimate_type="ApplicationComponent",
        title="Catalogue service",
        refines=work.catalogue,
    )
    assert element.model_id == work.solution.architecture_id and element.owner == work.body
    assert Link.objects.filter(
        source=element, target=work.catalogue, relation=Relation.REFINES
    ).exists()
    with pytest.raises(PermissionDenied):
        solutions.add_element(
            actor=work.rival, solution=work.solution, archimate_type="Node", title="Mine"
        )


def test_an_element_cannot_trace_to_another_design(work):
    other = solutions.create_solution_architecture(
        actor=work.architect, investment=work.investment, design_body=work.body, title="Other"
    )
    theirs = solutions.add_element(
        actor=work.member, solution=other, archimate_type="Node", title="Their node"
    )
    with pytest.raises(ValidationError) as caught:
        solutions.add_element(
            actor=work.member,
            solution=work.solution,
            archimate_type="Node",
            title="Mine",
            refines=theirs,
        )
    assert "enterprise architecture" in caught.value.message_dict["refines"][0]
    assert not Element.objects.filter(title="Mine").exists()


def test_the_conformance_report(work):
    member, s = work.member, work.solution
    traced = solutions.add_element(
        actor=member,
        solution=s,
        archimate_type="ApplicationComponent",
        title="Catalogue",
        refines=work.catalogue,
    )
    untraced = solutions.add_element(
        actor=member, solution=s, archimate_type="Node", title="Database server"
    )
    nfr = solutions.add_element(
        actor=member,
        solution=s,
        archimate_type="Requirement",
        title="Available in working hours",
        fields={"category": "non_functional", "measure": "availability", "threshold": "99.5"},
        refines=work.availability,
    )
    s = solutions.update_solution(
        actor=member,
        solution=s,
        version=s.version,
        changes={"availability": "99.5", "latency_ms": 200},
    )
    report = solutions.conformance(member, s)
    assert report.untraced == [untraced]
    assert [t.targets for t in report.elements if t.element == traced] == [
        [("refines", work.catalogue)]
    ]
    assert report.unaddressed == [work.open_principle]
    weaker = {(type(w.what).__name__, w.than.pk, w.measure) for w in report.weaker}
    assert weaker == {
        ("Requirement", work.availability.pk, "availability"),
        ("Agreement", work.availability.pk, "availability"),
    }
    assert nfr.pk in {w.what.pk for w in report.weaker if hasattr(w.what, "pk")}
    assert not report.conforms

    solutions.address_principle(actor=member, solution=s, principle=work.open_principle)
    solutions.trace_element(actor=member, solution=s, element=untraced, refines=work.catalogue)
    s = solutions.update_solution(
        actor=member, solution=s, version=refresh(s).version, changes={"availability": "99.95"}
    )
    report = solutions.conformance(member, refresh(s))
    assert report.untraced == [] and report.unaddressed == []
    assert [type(w.what).__name__ for w in report.weaker] == ["Requirement"]


def test_a_hidden_principle_is_never_listed(work):
    for_member = solutions.conformance(work.member, work.solution)
    assert work.closed_principle not in for_member.unaddressed + for_member.addressed
    for_anyone = solutions.conformance(None, work.solution)
    assert work.closed_principle not in for_anyone.unaddressed
    # The Architecture Team see it, and are told it is not addressed.
    assert work.closed_principle in solutions.conformance(work.architect, work.solution).unaddressed
    with pytest.raises(ValidationError):
        solutions.address_principle(
            actor=work.member, solution=work.solution, principle=work.closed_principle
        )


def test_an_element_addresses_a_principle(work):
    element = solutions.add_element(
        actor=work.member, solution=work.solution, archimate_type="Node", title="Open API"
    )
    solutions.address_principle(
        actor=work.member, solution=work.solution, principle=work.open_principle, by=element
    )
    assert work.open_principle in solutions.conformance(work.member, work.solution).addressed
    with pytest.raises(Conflict):
        solutions.address_principle(
            actor=work.member, solution=work.solution, principle=work.open_principle, by=element
        )


# --- Low-level designs ------------------------------------------------------------------------


def test_a_low_level_design_follows_a_submitted_solution_and_traces_to_it(work):
    with pytest.raises(ValidationError) as caught:
        solutions.create_solution_architecture(
            actor=work.architect,
            investment=work.investment,
            design_body=work.partner,
            title="Low-level",
            scope=Scope.LOW_LEVEL,
            follows=work.solution,
        )
    assert "draft" in caught.value.message_dict["follows"][0]
    high = solutions.add_element(
        actor=work.member,
        solution=work.solution,
        archimate_type="ApplicationComponent",
        title="Catalogue",
        refines=work.catalogue,
    )
    solution = put_in(work, SignOff.SUBMITTED)
    # The Delivery Partner sees the design it follows once it is triaged for them.
    for item in (solution, high):
        publish(item, by=work.triager, outcome="restricted", restricted_to=[work.partner])
    solution = refresh(solution)
    low = solutions.create_solution_architecture(
        actor=work.architect,
        investment=work.investment,
        design_body=work.partner,
        title="Data sharing: low-level design",
        scope=Scope.LOW_LEVEL,
        follows=solution,
        agreements={"availability": "99.0"},
    )
    assert low.architecture.scope == Scope.LOW_LEVEL
    assert low.architecture.identifier.startswith("lld-")
    # Its elements trace to the solution architecture's, not the enterprise's.
    with pytest.raises(ValidationError) as caught:
        solutions.add_element(
            actor=work.partner_member,
            solution=low,
            archimate_type="ApplicationComponent",
            title="Catalogue (Postgres)",
            refines=work.catalogue,
        )
    assert "solution architecture it follows" in caught.value.message_dict["refines"][0]
    mine = solutions.add_element(
        actor=work.partner_member,
        solution=low,
        archimate_type="ApplicationComponent",
        title="Catalogue (Postgres)",
        refines=high,
    )
    loose = solutions.add_element(
        actor=work.partner_member, solution=low, archimate_type="Node", title="VM"
    )
    report = solutions.conformance(work.architect, low)
    assert report.traces_to == "solution architecture"
    assert report.untraced == [loose]
    assert [e.element for e in report.elements if e.targets] == [mine]
    assert {type(w.than).__name__ for w in report.weaker} == {"Constraint"}
    # The Design Body cannot write the Delivery Partner's design.
    with pytest.raises(PermissionDenied):
        solutions.submit_for_sign_off(actor=work.member, solution=low)
    solutions.submit_for_sign_off(actor=work.partner_member, solution=low)


def test_visible_solutions_filter_and_hide(work, world):
    assert list(solutions.visible_solutions(work.member)) == [work.solution]
    # A draft: not seen by another Design Body, nor by anyone signed out.
    assert list(solutions.visible_solutions(work.rival)) == []
    assert list(solutions.visible_solutions(None)) == []
    assert list(solutions.visible_solutions(work.architect, SignOff.SUBMITTED)) == []
    put_in(work, SignOff.SUBMITTED)
    assert list(solutions.visible_solutions(work.architect, SignOff.SUBMITTED)) == [work.solution]
