"""The demo's enterprise architecture: the Data Sharing Infrastructure, as-is and to-be, with its
governance framework, traced to the plan, and a diagram of it."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from orchestrator.architecture import services as architecture
from orchestrator.architecture import solutions
from orchestrator.architecture.models import Element, SdiDesignation, StateKind, View
from orchestrator.core import services as records
from orchestrator.core.models import Item, Relation

A, T, B = "as-is", "transition", "to-be"

# key, ArchiMate type, name, documentation, states it is in, extra fields
ELEMENTS = [
    (
        "prepare",
        "Capability",
        "Prepare data",
        "Describe, clean and license data so it can be shared: the DSI's first capability.",
        {T, B},
        {},
    ),
    (
        "trust",
        "Capability",
        "Trust data",
        "Know who is sharing and using data, and on what terms: the DSI's second capability.",
        {T, B},
        {},
    ),
    (
        "share",
        "Capability",
        "Share data",
        "Find, request and receive data across organisations: the DSI's third capability.",
        {A, T, B},
        {},
    ),
    (
        "provider",
        "BusinessActor",
        "Data provider",
        "A network company, supplier or other organisation publishing data.",
        {A, T, B},
        {},
    ),
    (
        "user",
        "BusinessActor",
        "Data user",
        "An innovator, network company, academic or regulator using shared data.",
        {A, T, B},
        {},
    ),
    (
        "discovery",
        "BusinessService",
        "Dataset discovery",
        "Finding which datasets exist, who holds them and on what terms.",
        {A, T, B},
        {},
    ),
    (
        "identity",
        "ApplicationComponent",
        "Identity and authentication service",
        "Authenticates the people and systems taking part in data sharing, once for all of it.",
        {T, B},
        {},
    ),
    (
        "catalogue",
        "ApplicationComponent",
        "Data catalogue",
        "The sector's catalogue of datasets, described with DCAT.",
        {A, T, B},
        {},
    ),
    (
        "registration",
        "ApplicationComponent",
        "Automatic asset registration",
        "Registers distributed energy assets automatically from the data already exchanged.",
        {B},
        {},
    ),
    (
        "bilateral",
        "ApplicationComponent",
        "Bilateral data exchange agreements",
        "Today's one-to-one agreements and file transfers between organisations.",
        {A},
        {},
    ),
    (
        "authenticate",
        "ApplicationService",
        "Authenticate a participant",
        "Confirms a participant's identity and the roles it holds in the trust framework.",
        {T, B},
        {},
    ),
    (
        "find",
        "ApplicationService",
        "Find a dataset",
        "Searches the catalogue by subject, holder, licence and coverage.",
        {A, T, B},
        {},
    ),
    (
        "register",
        "ApplicationService",
        "Register an asset",
        "Records an asset's location, capacity and owner in the register.",
        {B},
        {},
    ),
    (
        "metadata",
        "DataObject",
        "Dataset description (DCAT)",
        "What a dataset is, who holds it, its licence and how to get it.",
        {A, T, B},
        {},
    ),
    (
        "asset",
        "DataObject",
        "Asset record",
        "An asset's identity, location, capacity and connection.",
        {B},
        {},
    ),
    (
        "directory",
        "Node",
        "Trust framework directory",
        "Holds participants, their roles and their certificates.",
        {T, B},
        {},
    ),
    (
        "certificates",
        "TechnologyService",
        "Certificate issuing",
        "Issues and revokes the certificates participants authenticate with.",
        {T, B},
        {},
    ),
    (
        "beta",
        "WorkPackage",
        "DSI public beta",
        "Take the DSI from alpha into a public beta under the Orchestrator's oversight.",
        {T},
        {},
    ),
    (
        "plateau",
        "Plateau",
        "DSI in public beta",
        "The transition state: trust services live, asset registration still to come.",
        {T},
        {},
    ),
    (
        "open",
        "Principle",
        "Presumed open",
        "Designs, data and decisions are open unless triage finds a reason not to be.",
        {A, T, B},
        {
            "rationale": "The sector can only build on what it can see; openness is how the Orchestrator is held to account.",
            "implications": "Every design is published after triage; a design that cannot be shown says why in the withheld register.",
        },
    ),
    (
        "reuse",
        "Principle",
        "Reuse before build",
        "Use an open standard or an existing service before building a new one.",
        {A, T, B},
        {
            "rationale": "Shared digital infrastructure is costly to run; duplicating what exists wastes consumers' money.",
            "implications": "Solution architectures show the options they considered and why they reuse or build.",
        },
    ),
    (
        "availability",
        "Constraint",
        "Trust services available 99.9% of the time",
        "Participants cannot share data while trust services are down.",
        {T, B},
        {
            "rationale": "Outages stop every exchange at once.",
            "measure": "availability",
            "threshold": Decimal("99.9"),
        },
    ),
    (
        "latency",
        "Constraint",
        "Authentication answers within 300 ms",
        "Authentication sits in the path of every request.",
        {T, B},
        {
            "rationale": "Slow authentication slows every exchange.",
            "measure": "latency",
            "threshold": Decimal("300"),
        },
    ),
    (
        "once",
        "Requirement",
        "Participants authenticate once for all data sharing",
        "One identity, recognised by every data provider.",
        {T, B},
        {
            "category": "functional",
            "source_type": "researched_need",
            "acceptance_criterion": "A participant who has authenticated can request data from any two providers without signing in again.",
        },
    ),
    (
        "fast-catalogue",
        "Requirement",
        "The catalogue answers searches within 500 ms",
        "Searching must feel immediate.",
        {T, B},
        {
            "category": "non_functional",
            "measure": "latency",
            "threshold": Decimal("500"),
            "acceptance_criterion": "95% of catalogue searches answer within 500 ms under the expected load.",
        },
    ),
    (
        "recorded",
        "Requirement",
        "Every design decision is recorded openly",
        "A design process requirement for Design Bodies.",
        {A, T, B},
        {
            "category": "design_process",
            "acceptance_criterion": "Each solution architecture links the decision records behind its choices.",
        },
    ),
]

RELATIONSHIPS = [
    # source, type, target, states
    ("catalogue", "Realization", "prepare", {T, B}),
    ("identity", "Realization", "trust", {T, B}),
    ("catalogue", "Realization", "share", {A, T, B}),
    ("bilateral", "Realization", "share", {A}),
    ("identity", "Realization", "authenticate", {T, B}),
    ("catalogue", "Realization", "find", {A, T, B}),
    ("registration", "Realization", "register", {B}),
    ("find", "Realization", "discovery", {A, T, B}),
    ("discovery", "Serving", "user", {A, T, B}),
    ("authenticate", "Serving", "catalogue", {T, B}),
    ("authenticate", "Serving", "registration", {B}),
    ("authenticate", "Serving", "provider", {T, B}),
    ("catalogue", "Access", "metadata", {A, T, B}),
    ("registration", "Access", "asset", {B}),
    ("directory", "Serving", "identity", {T, B}),
    ("certificates", "Serving", "identity", {T, B}),
    ("bilateral", "Serving", "provider", {A}),
    ("identity", "Realization", "once", {T, B}),
    ("catalogue", "Realization", "fast-catalogue", {T, B}),
    ("beta", "Realization", "plateau", {T}),
    ("provider", "Association", "metadata", {A, T, B}),
]

SHARED = ["identity", "catalogue", "registration", "authenticate", "find", "directory"]

# A diagram of the to-be, laid out as an architect would in Archi: (element, x, y, fill colour).
VIEW = [
    ("user", 40, 30, (255, 255, 181)),
    ("provider", 400, 30, (255, 255, 181)),
    ("discovery", 40, 150, (255, 255, 181)),
    ("find", 40, 270, (181, 255, 255)),
    ("authenticate", 400, 270, (181, 255, 255)),
    ("catalogue", 40, 390, (181, 255, 255)),
    ("identity", 400, 390, (181, 255, 255)),
    ("registration", 760, 390, (181, 255, 255)),
    ("directory", 400, 510, (201, 231, 183)),
]


def load(
    *,
    orgs: dict,
    users: dict,
    publish_open: Callable[[Item], Item],
    designated_by: Item,
    investments: dict,
    progress: Callable[[str], None],
) -> dict[str, Element]:
    """Build the DSI's enterprise architecture through the services, and publish it; the shared
    elements, and the one left to the market, are designated by the decision `designated_by`."""
    architect, planner = users["architect"], users["portfolio"]
    team = orgs["Architecture Team"]
    model = architecture.create_model(
        actor=architect,
        owner=team,
        title="Energy data: enterprise architecture",
        identifier="energy-data-ea",
        summary="The Architecture Team's enterprise architecture of the sector's shared data "
        "infrastructure, starting with the Data Sharing Infrastructure (DSI).",
        body="As-is (2026), the DSI in public beta (the transition), and the to-be (2030). "
        "Download it as an ArchiMate exchange file to open it in Archi or another tool.",
    )
    publish_open(model)
    states = {
        A: architecture.create_state(
            actor=architect,
            model=model,
            name="As-is, 2026",
            kind=StateKind.BASELINE,
            description="Bilateral agreements and a catalogue in alpha.",
        ),
        B: architecture.create_state(
            actor=architect,
            model=model,
            name="To-be, 2030",
            kind=StateKind.TARGET,
            description="Trust, catalogue and asset registration as shared digital infrastructure.",
        ),
    }
    made: dict[str, Element] = {}
    for key, type_, name, doc, _, fields in ELEMENTS:
        element = architecture.create_element(
            actor=architect,
            model=model,
            archimate_type=type_,
            title=name,
            summary=doc,
            identifier=f"id-{key}",
            fields=fields,
        )
        publish_open(element)
        made[key] = Element.objects.get(pk=element.pk)
    states[T] = architecture.create_state(
        actor=architect,
        model=model,
        name="Transition: DSI in public beta, 2027",
        kind=StateKind.TRANSITION,
        plateau=made["plateau"],
        description="Trust services live; asset registration still to come.",
    )
    rels = []
    for source, type_, target, in_states in RELATIONSHIPS:
        rel = architecture.relate(
            actor=architect,
            source=made[source],
            target=made[target],
            type=type_,
            identifier=f"rel-{source}-{target}",
            access_type="Read"
            if type_ == "Access" and source == "catalogue"
            else ("Write" if type_ == "Access" else ""),
        )
        rels.append((rel, in_states))
    for label, state in states.items():
        architecture.place_in_state(
            actor=architect,
            state=state,
            elements=[made[e[0]] for e in ELEMENTS if label in e[4]],
            relationships=[r for r, in_states in rels if label in in_states],
        )
    for key in SHARED:
        architecture.designate(
            actor=users["product"],
            element=made[key],
            designation=SdiDesignation.SHARED,
            decision=designated_by,
        )
    architecture.designate(
        actor=users["product"],
        element=made["bilateral"],
        designation=SdiDesignation.MARKET,
        decision=designated_by,
    )
    # The plan's investments trace to the requirements they meet and depend on the elements.
    if "auth" in investments:
        architecture.trace(
            actor=planner,
            source=investments["auth"],
            target=made["once"],
            relation=Relation.REALISES,
        )
        records.link_items(
            source=investments["auth"],
            target=made["identity"],
            relation=Relation.DEPENDS_ON,
            actor=planner,
        )
    if "dsi" in investments:
        records.link_items(
            source=investments["dsi"],
            target=made["catalogue"],
            relation=Relation.DEPENDS_ON,
            actor=planner,
        )
    _view(architect=architect, model=model, made=made, publish_open=publish_open)
    if "auth" in investments:
        _solution(
            orgs=orgs,
            users=users,
            made=made,
            investment=investments["auth"],
            publish_open=publish_open,
        )
    progress(
        f"an enterprise architecture: {len(ELEMENTS)} elements, {len(RELATIONSHIPS)} "
        "relationships, three states and a view; a solution architecture awaiting changes"
    )
    return made


def _solution(*, orgs, users, made, investment, publish_open) -> None:
    """The Authentication Service's high-level design by the VirtualES Programme, sent back once by
    the Architecture Team: its availability falls short of the enterprise constraint."""
    architect, member = users["architect"], users["designbody"]
    solution = solutions.create_solution_architecture(
        actor=architect,
        investment=investment,
        design_body=orgs["VirtualES Programme"],
        title="Authentication Service: high-level solution architecture",
        summary="How participants in data sharing authenticate once, through a trust framework "
        "directory and certificates, for the Data Sharing Infrastructure.",
        functional_requirements="Participants register once and authenticate to any data "
        "provider; providers check a participant's roles in the trust framework directory; "
        "certificates are issued, renewed and revoked.",
        non_functional_requirements="Open standards only (OpenID Connect FAPI 2.0, X.509); "
        "authentication in the request path of every exchange.",
        agreements={
            "availability": "99.5",
            "latency_ms": 250,
            "support_hours": "24×7",
            "recovery_time_minutes": 60,
            "recovery_point_minutes": 5,
        },
    )
    for type_, title, refines in (
        ("ApplicationComponent", "OpenID provider", made["identity"]),
        ("ApplicationService", "Token issuing", made["authenticate"]),
        ("Node", "Directory cluster", made["directory"]),
        ("TechnologyService", "Certificate authority", made["certificates"]),
        ("ApplicationComponent", "Participant onboarding portal", None),
    ):
        element = solutions.add_element(
            actor=member,
            solution=solution,
            archimate_type=type_,
            title=title,
            summary=f"{title}, in the Authentication Service's design.",
            refines=refines,
        )
        publish_open(element)
    solutions.address_principle(actor=member, solution=solution, principle=made["open"])
    publish_open(solution.architecture)
    publish_open(solution)
    solution = type(solution).objects.get(pk=solution.pk)
    solutions.submit_for_sign_off(
        actor=member, solution=solution, comment="Ready for the Architecture Team's review."
    )
    solutions.request_changes(
        actor=architect,
        solution=type(solution).objects.get(pk=solution.pk),
        comment="Availability of 99.5% is below the enterprise constraint of 99.9% for trust "
        "services, and the onboarding portal is not traced to the enterprise architecture.",
    )


def _view(*, architect, model, made, publish_open) -> View:
    nodes, where = [], {}
    for key, x, y, (r, g, b) in VIEW:
        where[key] = f"n-{key}"
        nodes.append(
            {
                "identifier": f"n-{key}",
                "type": "Element",
                "elementRef": made[key].identifier,
                "x": x,
                "y": y,
                "w": 240,
                "h": 70,
                "style": {
                    "fillColor": {"r": r, "g": g, "b": b},
                    "lineColor": {"r": 92, "g": 92, "b": 92},
                },
                "children": [],
            }
        )
    connections = [
        {
            "identifier": f"c-{source}-{target}",
            "type": "Relationship",
            "relationshipRef": f"rel-{source}-{target}",
            "source": where[source],
            "target": where[target],
            "bendpoints": [],
        }
        for source, _type, target, in_states in RELATIONSHIPS
        if source in where and target in where and B in in_states
    ]
    view = records.create_item(
        actor=architect,
        owner=model.owner,
        model=View,
        title="Data Sharing Infrastructure, to-be",
        summary="The DSI's services and the components that realise them, as planned for 2030.",
        fields={
            "model": model,
            "identifier": "view-dsi-to-be",
            "names": {"en": "Data Sharing Infrastructure, to-be"},
            "content": {"nodes": nodes, "connections": connections},
        },
        permission="architecture.maintain",
    )
    publish_open(view)
    return view
