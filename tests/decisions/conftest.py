"""The people of decision making, and a decision at each point of its process."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from orchestrator.decisions import services
from orchestrator.decisions.models import Decision
from orchestrator.people import services as people_services
from orchestrator.people.models import Organisation, OrganisationKind, Role, User

from ..factories import OrganisationFactory, appoint, person, publish


@dataclass
class Council:
    product: Organisation
    advisors_org: Organisation
    board_org: Organisation
    vendor: Organisation  # an organisation one advisor declared an interest in
    people: dict[str, User] = field(default_factory=dict)

    def __getattr__(self, name: str) -> User:
        try:
            return self.people[name]
        except KeyError:
            raise AttributeError(name) from None


@pytest.fixture
def council(db) -> Council:
    product = OrganisationFactory(name="Product Team", kind=OrganisationKind.ORCHESTRATOR_TEAM)
    rne = OrganisationFactory(name="Research & Engagement", kind=OrganisationKind.ORCHESTRATOR_TEAM)
    portfolio = OrganisationFactory(
        name="Portfolio Management", kind=OrganisationKind.ORCHESTRATOR_TEAM
    )
    architecture = OrganisationFactory(
        name="Architecture Team", kind=OrganisationKind.ORCHESTRATOR_TEAM
    )
    advisors_org = OrganisationFactory(
        name="Independent Technical Advisors", kind=OrganisationKind.ORCHESTRATOR_TEAM
    )
    board_org = OrganisationFactory(name="The Board", kind=OrganisationKind.ORCHESTRATOR_TEAM)
    vendor = OrganisationFactory(name="Identity Vendor Ltd", kind=OrganisationKind.DELIVERY_PARTNER)
    c = Council(product, advisors_org, board_org, vendor)
    c.people.update(
        owner=person(Role.PRODUCT_OWNER, product, full_name="Priya Product"),
        portfolio=person(Role.PORTFOLIO_MANAGER, portfolio, full_name="Pat Portfolio"),
        architect=person(Role.ARCHITECT, architecture, full_name="Archie Architect"),
        triager=person(Role.RESEARCH_ENGAGEMENT, rne, full_name="Rhea Engagement"),
        advisor=person(Role.TECHNICAL_ADVISOR, advisors_org, full_name="Ada Advisor"),
        conflicted=person(Role.TECHNICAL_ADVISOR, advisors_org, full_name="Colin Conflicted"),
        board=person(Role.BOARD_MEMBER, board_org, full_name="Bea Board"),
        registered=person(full_name="Rob Registered"),
        outsider=person(Role.DELIVERY_PARTNER_MEMBER, vendor, full_name="Vera Vendor"),
    )
    chair = person(full_name="Charlotte Chair")
    appoint(chair, Role.TECHNICAL_ADVISOR, advisors_org, chair=True)
    c.people["chair"] = chair
    board_chair = person(full_name="Boris Boardchair")
    appoint(board_chair, Role.BOARD_MEMBER, board_org, chair=True)
    c.people["board_chair"] = board_chair
    # Colin declared an interest in the vendor, and it is published in the register.
    appointment = c.conflicted.appointments.get()
    declaration = people_services.declare_interests(
        actor=c.conflicted,
        appointment=appointment,
        interests="Non-executive director of Identity Vendor Ltd.",
        organisations=[vendor],
    )
    publish(declaration, by=c.triager)
    return c


def scheduled(c: Council, **kwargs) -> Decision:
    """A planned decision with two options, concerning the vendor."""
    values = {
        "actor": c.owner,
        "title": "Authentication Service: open-source pattern or operated service",
        "question": "Should the Authentication Service be an open-source pattern or an operated service?",
        "context": "Many parts of the shared digital infrastructure need to authenticate users.",
        "summary": "Scenario A or scenario B for the Authentication Service.",
        "decision_type": "delivery_approach",
        "scheduled_on": timezone.localdate() + dt.timedelta(days=30),
        "options": [
            {
                "title": "Open-source pattern",
                "benefits": "Cheap to adopt",
                "costs": "Low",
                "risks": "Fragmentation",
            },
            {
                "title": "Operated service",
                "benefits": "Resilient",
                "costs": "Higher",
                "risks": "Lock-in",
            },
        ],
        "concerns": [c.vendor],
    }
    values.update(kwargs)
    return services.schedule_decision(**values)


def advised(c: Council, *, option: str = "A", **kwargs) -> Decision:
    """A decision the advisors have advised on, recommending option `option`."""
    decision = scheduled(c, **kwargs)
    services.start_gathering_evidence(actor=c.owner, decision=decision)
    services.add_evidence(
        actor=c.architect,
        decision=decision,
        description="Options analysis",
        url="https://example.org/options",
    )
    services.request_advice(actor=c.owner, decision=decision, comment="Recommend one option.")
    chosen = decision.options.get(label=option)
    services.recommend(actor=c.advisor, decision=decision, option=chosen, reasoning="Best value.")
    services.consolidate(actor=c.chair, decision=decision, option=chosen, reasoning="We agree.")
    decision.refresh_from_db()
    return decision
