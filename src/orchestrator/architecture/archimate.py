"""ArchiMate 3.1: its element types by layer and aspect, its eleven relationships, and which are allowed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Layer(StrEnum):
    STRATEGY = "strategy"
    BUSINESS = "business"
    APPLICATION = "application"
    TECHNOLOGY = "technology"
    PHYSICAL = "physical"
    MOTIVATION = "motivation"
    IMPLEMENTATION = "implementation_migration"
    OTHER = "other"


LAYER_LABELS = {
    Layer.STRATEGY: "Strategy",
    Layer.BUSINESS: "Business",
    Layer.APPLICATION: "Application",
    Layer.TECHNOLOGY: "Technology",
    Layer.PHYSICAL: "Physical",
    Layer.MOTIVATION: "Motivation",
    Layer.IMPLEMENTATION: "Implementation and migration",
    Layer.OTHER: "Other (grouping, location, junctions)",
}


class Aspect(StrEnum):
    """The generic metamodel's categories (ArchiMate 3.1 §4), which decide what may relate to what."""

    ACTIVE = "active structure"
    BEHAVIOUR = "behaviour"  # internal behaviour: process, function, interaction
    EVENT = "event"
    SERVICE = "service"
    PASSIVE = "passive structure"
    MOTIVATION = "motivation"
    STRATEGY_BEHAVIOUR = "strategy behaviour"  # capability, value stream, course of action
    RESOURCE = "resource"
    COMPOSITE = "composite"  # product, plateau's relatives: elements that aggregate others
    IMPLEMENTATION = "implementation"
    PLATEAU = "plateau"
    GAP = "gap"
    GROUPING = "grouping"
    LOCATION = "location"
    JUNCTION = "junction"


@dataclass(frozen=True, slots=True)
class ElementType:
    name: str  # as written in the exchange format's xsi:type
    layer: Layer
    aspect: Aspect

    @property
    def label(self) -> str:
        return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", self.name)


def _types(layer: Layer, **by_aspect: str) -> list[ElementType]:
    return [
        ElementType(name, layer, Aspect[aspect.upper()])
        for aspect, names in by_aspect.items()
        for name in names.split()
    ]


ELEMENT_TYPES: dict[str, ElementType] = {
    t.name: t
    for t in [
        *_types(
            Layer.STRATEGY,
            resource="Resource",
            strategy_behaviour="Capability ValueStream CourseOfAction",
        ),
        *_types(
            Layer.BUSINESS,
            active="BusinessActor BusinessRole BusinessCollaboration BusinessInterface",
            behaviour="BusinessProcess BusinessFunction BusinessInteraction",
            event="BusinessEvent",
            service="BusinessService",
            passive="BusinessObject Contract Representation",
            composite="Product",
        ),
        *_types(
            Layer.APPLICATION,
            active="ApplicationComponent ApplicationCollaboration ApplicationInterface",
            behaviour="ApplicationFunction ApplicationInteraction ApplicationProcess",
            event="ApplicationEvent",
            service="ApplicationService",
            passive="DataObject",
        ),
        *_types(
            Layer.TECHNOLOGY,
            active=(
                "Node Device SystemSoftware TechnologyCollaboration TechnologyInterface Path "
                "CommunicationNetwork"
            ),
            behaviour="TechnologyFunction TechnologyProcess TechnologyInteraction",
            event="TechnologyEvent",
            service="TechnologyService",
            passive="Artifact",
        ),
        *_types(
            Layer.PHYSICAL,
            active="Equipment Facility DistributionNetwork",
            passive="Material",
        ),
        *_types(
            Layer.MOTIVATION,
            motivation=(
                "Stakeholder Driver Assessment Goal Outcome Principle Requirement Constraint "
                "Meaning Value"
            ),
        ),
        *_types(
            Layer.IMPLEMENTATION,
            implementation="WorkPackage Deliverable ImplementationEvent",
            plateau="Plateau",
            gap="Gap",
        ),
        *_types(Layer.OTHER, grouping="Grouping", location="Location"),
        *_types(Layer.OTHER, junction="AndJunction OrJunction"),
    ]
}

# The exchange format writes junctions as xsi:type "AndJunction" / "OrJunction"; ArchiMate 2.1 and some
# tools write "Junction" with a type attribute, which the importer maps.
JUNCTIONS = frozenset({"AndJunction", "OrJunction"})

RELATIONSHIP_TYPES = (
    "Composition",
    "Aggregation",
    "Assignment",
    "Realization",
    "Serving",
    "Access",
    "Influence",
    "Triggering",
    "Flow",
    "Specialization",
    "Association",
)
RELATIONSHIP_LABELS = {
    "Composition": "is composed of",
    "Aggregation": "aggregates",
    "Assignment": "is assigned to",
    "Realization": "realises",
    "Serving": "serves",
    "Access": "accesses",
    "Influence": "influences",
    "Triggering": "triggers",
    "Flow": "flows to",
    "Specialization": "specialises",
    "Association": "is associated with",
}
RELATIONSHIP_INVERSE_LABELS = {
    "Composition": "is part of",
    "Aggregation": "is aggregated by",
    "Assignment": "is assigned from",
    "Realization": "is realised by",
    "Serving": "is served by",
    "Access": "is accessed by",
    "Influence": "is influenced by",
    "Triggering": "is triggered by",
    "Flow": "receives a flow from",
    "Specialization": "is specialised by",
    "Association": "is associated with",
}
ACCESS_TYPES = ("Access", "Read", "Write", "ReadWrite")

# "Relationship" stands for a relationship as the end of another (ArchiMate 3.1 §5.1: an association
# may connect to a relationship, and an aggregation or composition from a grouping or location).
RELATIONSHIP_END = "Relationship"

_CORE = {Aspect.ACTIVE, Aspect.BEHAVIOUR, Aspect.EVENT, Aspect.SERVICE, Aspect.PASSIVE}
_DYNAMIC = {Aspect.BEHAVIOUR, Aspect.EVENT, Aspect.SERVICE}
_STRUCTURE_OR_BEHAVIOUR = {Aspect.ACTIVE, Aspect.BEHAVIOUR, Aspect.EVENT, Aspect.SERVICE}
# Layers ordered so that a lower one may serve or realise a higher (§12, cross-layer dependencies).
_STACK = {
    Layer.PHYSICAL: 0,
    Layer.TECHNOLOGY: 0,
    Layer.APPLICATION: 1,
    Layer.BUSINESS: 2,
    Layer.STRATEGY: 3,
}


def _aspect(type_name: str) -> Aspect | None:
    if type_name == RELATIONSHIP_END:
        return None
    return ELEMENT_TYPES[type_name].aspect


def refusal(relationship: str, source: str, target: str) -> str | None:
    """Why ArchiMate does not allow `relationship` from a `source` type to a `target` type, or None.

    This encodes the generic metamodel and the derivation rules of ArchiMate 3.1 (chapters 4–5 and 12,
    and Appendix B's table in the shape of its rules), a documented subset described in decision 0006:
    it refuses what the specification plainly forbids and allows what its derivations allow, and it
    accepts every relationship in the sample models of the conformance suite.
    """
    if relationship not in RELATIONSHIP_TYPES:
        return (
            f"“{relationship}” is not an ArchiMate relationship; use one of "
            f"{', '.join(RELATIONSHIP_TYPES)}."
        )
    for end, name in (("source", source), ("target", target)):
        if name != RELATIONSHIP_END and name not in ELEMENT_TYPES:
            return f"The {end} type “{name}” is not an ArchiMate 3.1 element type."
    if relationship == "Association":
        return None  # §5.4.1: an association may relate any two concepts, relationships included
    s, t = _aspect(source), _aspect(target)
    rule = _RULES[relationship]
    # Junctions carry relationships of one type through (§5.5.1); groupings may hold anything (§4.5).
    if Aspect.JUNCTION in (s, t) or Aspect.GROUPING in (s, t):
        return None
    if relationship == "Specialization":
        if source != target:
            return (
                "Specialization relates two elements of the same type (ArchiMate 3.1 §5.4.2): "
                f"a {_label(source)} cannot specialise a {_label(target)}."
            )
        return None
    if t is None or s is None:
        if relationship in _STRUCTURAL and s in {Aspect.LOCATION, Aspect.PLATEAU}:
            return None
        return (
            f"Only association, or aggregation and composition from a grouping, location or plateau, "
            f"may end at a relationship (ArchiMate 3.1 §5.1); this is {relationship.lower()}."
        )
    return rule(source, target, s, t)


def _label(type_name: str) -> str:
    return ELEMENT_TYPES[type_name].label if type_name in ELEMENT_TYPES else type_name


def _layer(type_name: str) -> Layer:
    return ELEMENT_TYPES[type_name].layer


def _structural(source: str, target: str, s: Aspect, t: Aspect) -> str | None:
    # §5.1.1–2: the whole and its parts are of the same type, or the parts are what the whole may hold
    # (a product aggregates services, contracts and passive structure; a plateau or a location
    # aggregates core elements; a work package composes work packages and deliverables …).
    if source == target:
        return None
    if s in {Aspect.LOCATION, Aspect.PLATEAU, Aspect.COMPOSITE}:
        return None
    if s == Aspect.GAP or t == Aspect.GAP:
        return None if s == t else "A gap is composed only of gaps (ArchiMate 3.1 §13.2.4)."
    if s == Aspect.MOTIVATION or t == Aspect.MOTIVATION:
        if s == t:
            return None
        return (
            "Composition and aggregation join motivation elements only to motivation elements "
            f"(ArchiMate 3.1 §6.4); a {_label(source)} cannot hold a {_label(target)}."
        )
    if s == Aspect.IMPLEMENTATION or t == Aspect.IMPLEMENTATION:
        if s == t:
            return None
        return f"A {_label(source)} cannot be composed of or aggregate a {_label(target)} (ArchiMate 3.1 §13)."
    if s in _STRUCTURE_OR_BEHAVIOUR and t == Aspect.PASSIVE and _layer(source) == _layer(target):
        return None
    if s in {Aspect.RESOURCE, Aspect.STRATEGY_BEHAVIOUR} or t in {
        Aspect.RESOURCE,
        Aspect.STRATEGY_BEHAVIOUR,
    }:
        if {s, t} <= {Aspect.RESOURCE, Aspect.STRATEGY_BEHAVIOUR}:
            return None
        return (
            f"A strategy element and a {_label(target if s in {Aspect.RESOURCE, Aspect.STRATEGY_BEHAVIOUR} else source)} "
            "are related by realisation or association, not composition (ArchiMate 3.1 §7.5)."
        )
    if s == t or (s in _STRUCTURE_OR_BEHAVIOUR and t in _STRUCTURE_OR_BEHAVIOUR):
        if s == Aspect.PASSIVE or t == Aspect.PASSIVE:
            return None if s == t else _passive_whole(source, target)
        return None
    if s == Aspect.PASSIVE and t == Aspect.PASSIVE:
        return None
    return _passive_whole(source, target)


def _passive_whole(source: str, target: str) -> str:
    return (
        f"A {_label(source)} cannot be composed of or aggregate a {_label(target)}: passive "
        "structure holds only passive structure (ArchiMate 3.1 §5.1)."
    )


def _assignment(source: str, target: str, s: Aspect, t: Aspect) -> str | None:
    # §5.2.2: active structure is assigned to behaviour (and an actor to a role, a node or device to an
    # artefact it hosts, a resource to a capability, a role or actor to a work package or deliverable).
    if s == Aspect.ACTIVE and t in {Aspect.BEHAVIOUR, Aspect.EVENT, Aspect.SERVICE, Aspect.ACTIVE}:
        return None
    if (
        s == Aspect.ACTIVE
        and t == Aspect.PASSIVE
        and _layer(target)
        in {
            Layer.TECHNOLOGY,
            Layer.PHYSICAL,
        }
    ):
        return None
    if s == Aspect.ACTIVE and t in {Aspect.IMPLEMENTATION, Aspect.STRATEGY_BEHAVIOUR}:
        return None
    if s == Aspect.RESOURCE and t == Aspect.STRATEGY_BEHAVIOUR:
        return None
    if s == Aspect.LOCATION:
        return None
    return (
        "Assignment goes from active structure to the behaviour it performs (ArchiMate 3.1 §5.2.2); "
        f"a {_label(source)} cannot be assigned to a {_label(target)}."
    )


def _realization(source: str, target: str, s: Aspect, t: Aspect) -> str | None:
    # §5.2.3: behaviour realises services, structure realises structure, anything core realises
    # motivation and strategy elements, and implementation realises the architecture it delivers.
    if t == Aspect.MOTIVATION:
        if s == Aspect.MOTIVATION and _motivation_realises(source, target):
            return None
        if s != Aspect.MOTIVATION and target in _REALISABLE_MOTIVATION:
            return None
        return (
            f"A {_label(source)} cannot realise a {_label(target)} (ArchiMate 3.1 §6.4: core "
            "elements realise requirements, constraints, principles, goals and outcomes)."
        )
    if s == Aspect.MOTIVATION:
        return (
            f"A motivation element realises only other motivation elements (ArchiMate 3.1 §6.4); "
            f"a {_label(source)} cannot realise a {_label(target)}."
        )
    if s in {Aspect.IMPLEMENTATION, Aspect.PLATEAU, Aspect.LOCATION}:
        return None
    if t in {Aspect.RESOURCE, Aspect.STRATEGY_BEHAVIOUR}:
        return None
    if t == Aspect.PLATEAU or t == Aspect.GAP or t == Aspect.IMPLEMENTATION:
        if s == Aspect.IMPLEMENTATION:
            return None
        return f"A {_label(source)} cannot realise a {_label(target)} (ArchiMate 3.1 §13)."
    if s in {Aspect.RESOURCE, Aspect.STRATEGY_BEHAVIOUR}:
        if t in {Aspect.RESOURCE, Aspect.STRATEGY_BEHAVIOUR}:
            return None
        return f"A {_label(source)} is realised by the core layers, not the reverse (ArchiMate 3.1 §7.5)."
    if s == Aspect.PASSIVE:
        if (
            t in {Aspect.PASSIVE, Aspect.ACTIVE, Aspect.COMPOSITE}
            or _layer(source) == Layer.TECHNOLOGY
        ):
            return None
        return (
            f"A {_label(source)} realises only passive structure or, as an artefact, an application "
            f"component (ArchiMate 3.1 §12.2); not a {_label(target)}."
        )
    if t == Aspect.PASSIVE and s != Aspect.PASSIVE:
        return (
            f"Passive structure is realised by passive structure (ArchiMate 3.1 §12); a {_label(source)} "
            f"cannot realise a {_label(target)}."
        )
    if s in _CORE | {Aspect.COMPOSITE} and t in _CORE | {Aspect.COMPOSITE}:
        if _STACK.get(_layer(source), 9) <= _STACK.get(_layer(target), 9) or _layer(
            source
        ) == _layer(target):
            return None
        return (
            f"Realisation runs up the layers, from technology to application to business "
            f"(ArchiMate 3.1 §12): a {_label(source)} cannot realise a {_label(target)}."
        )
    return f"A {_label(source)} cannot realise a {_label(target)}."


_REALISABLE_MOTIVATION = frozenset(
    {"Requirement", "Constraint", "Principle", "Goal", "Outcome", "Value", "Meaning"}
)


def _motivation_realises(source: str, target: str) -> bool:
    # §6.4: an outcome realises a goal, a principle or requirement realises an outcome or a goal, a
    # requirement realises a principle … (realisation runs from the concrete to the abstract).
    order = {"Requirement": 0, "Constraint": 0, "Principle": 1, "Outcome": 2, "Goal": 3}
    return source in order and target in order and order[source] <= order[target]


def _serving(source: str, target: str, s: Aspect, t: Aspect) -> str | None:
    # §5.3.1: services and interfaces serve the behaviour and structure that use them, within a layer
    # and upwards; derived serving lets any core behaviour or active structure serve another.
    if s in _STRUCTURE_OR_BEHAVIOUR | {Aspect.COMPOSITE, Aspect.LOCATION} and t in (
        _STRUCTURE_OR_BEHAVIOUR | {Aspect.COMPOSITE}
    ):
        return None
    if {s, t} <= {Aspect.RESOURCE, Aspect.STRATEGY_BEHAVIOUR} or (
        s in _STRUCTURE_OR_BEHAVIOUR and t == Aspect.STRATEGY_BEHAVIOUR
    ):
        return None
    return (
        "Serving goes from behaviour or active structure to what uses it (ArchiMate 3.1 §5.3.1); "
        f"a {_label(source)} cannot serve a {_label(target)}."
    )


def _access(source: str, target: str, s: Aspect, t: Aspect) -> str | None:
    # §5.3.2: behaviour (and, derived, the active structure performing it) accesses passive structure.
    if t == Aspect.PASSIVE and s in _STRUCTURE_OR_BEHAVIOUR | {
        Aspect.RESOURCE,
        Aspect.STRATEGY_BEHAVIOUR,
        Aspect.COMPOSITE,
        Aspect.LOCATION,
    }:
        return None
    return (
        "Access goes from behaviour or active structure to a passive structure element such as a "
        f"business object or data object (ArchiMate 3.1 §5.3.2); a {_label(source)} cannot access a "
        f"{_label(target)}."
    )


def _influence(source: str, target: str, s: Aspect, t: Aspect) -> str | None:
    # §5.3.3: influence runs between motivation elements, and from core elements to motivation ones.
    if t == Aspect.MOTIVATION:
        return None
    return (
        "Influence ends at a motivation element such as a goal, principle or requirement (ArchiMate "
        f"3.1 §5.3.3); a {_label(target)} is not one."
    )


def _dynamic(source: str, target: str, s: Aspect, t: Aspect) -> str | None:
    # §5.4: triggering and flow relate behaviour and events (and, derived, the active structure
    # performing them), strategy behaviour to strategy behaviour, and work to work in implementation.
    allowed = _STRUCTURE_OR_BEHAVIOUR | {Aspect.COMPOSITE, Aspect.LOCATION}
    if s in allowed and t in allowed:
        return None
    if (
        s in {Aspect.STRATEGY_BEHAVIOUR, Aspect.RESOURCE}
        and t in {Aspect.STRATEGY_BEHAVIOUR} | _DYNAMIC
    ):
        return None
    if s in {Aspect.IMPLEMENTATION, Aspect.PLATEAU} and t in {
        Aspect.IMPLEMENTATION,
        Aspect.PLATEAU,
    }:
        return None
    return (
        "Triggering and flow relate behaviour and events, and the active structure performing them "
        f"(ArchiMate 3.1 §5.4); not a {_label(source)} and a {_label(target)}."
    )


_STRUCTURAL = {"Composition", "Aggregation"}
_RULES = {
    "Composition": _structural,
    "Aggregation": _structural,
    "Assignment": _assignment,
    "Realization": _realization,
    "Serving": _serving,
    "Access": _access,
    "Influence": _influence,
    "Triggering": _dynamic,
    "Flow": _dynamic,
    "Specialization": None,  # handled before the table
}
