"""Writes to the enterprise architecture: models, elements, relationships, states, traces, designations."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import transaction
from django.utils import timezone

from orchestrator.core import audit
from orchestrator.core.errors import Conflict, PermissionDenied, ValidationError
from orchestrator.core.models import Item, Link, Relation, new_uid
from orchestrator.core.services import check_text, create_item, link_items
from orchestrator.decisions.selectors import designation_refusal

from .archimate import ELEMENT_TYPES, RELATIONSHIP_TYPES
from .models import (
    ArchitectureModel,
    Constraint,
    Element,
    Principle,
    Relationship,
    Requirement,
    Scope,
    SdiDesignation,
    State,
    StateKind,
)

if TYPE_CHECKING:
    from orchestrator.people.models import Organisation, User

T = TypeVar("T", bound=Element)

# The kind of record an ArchiMate type becomes: the governance framework's own kinds, else `element`.
MODEL_FOR_TYPE: dict[str, type[Element]] = {
    "Principle": Principle,
    "Constraint": Constraint,
    "Requirement": Requirement,
}
# How a requirement or an element traces to what it refines, realises or addresses.
TRACE_RELATIONS = (Relation.REFINES, Relation.REALISES, Relation.ADDRESSES)


def require_maintainer(actor: User, model: ArchitectureModel | None = None) -> None:
    """The Architecture Team maintain the enterprise architecture; a solution's own model is kept by
    those who may author that solution architecture."""
    solution = getattr(model, "solution", None) if model is not None else None
    if solution is not None and model.scope != Scope.ENTERPRISE:
        refusal = solution.edit_refusal()
        if refusal:
            raise Conflict(refusal)
        if actor.has_perm("architecture.author_solution", solution):
            return
        raise PermissionDenied(
            "Only the Design Body the solution architecture is given to, or the Architecture "
            "Team, may change its model."
        )
    if not actor.has_perm("architecture.maintain"):
        raise PermissionDenied("Only the Architecture Team maintain the enterprise architecture.")


@transaction.atomic
def create_model(
    *,
    actor: User,
    owner: Organisation,
    title: str,
    identifier: str,
    summary: str = "",
    body: str = "",
    scope: str = Scope.ENTERPRISE,
    permission: str = "architecture.maintain",
    permission_object: Any = None,
) -> ArchitectureModel:
    """A new architecture model, as a draft until triaged and published."""
    if ArchitectureModel.objects.filter(identifier=identifier).exists():
        raise Conflict(f"A model with the identifier “{identifier}” already exists.")
    return create_item(
        actor=actor,
        owner=owner,
        model=ArchitectureModel,
        title=title,
        summary=summary,
        body=body,
        fields={"identifier": identifier, "scope": scope, "names": {"en": title}},
        permission=permission,
        permission_object=permission_object,
    )


def _new_identifier(prefix: str) -> str:
    return f"{prefix}-{new_uid().lower()}"


@transaction.atomic
def create_element(
    *,
    actor: User,
    model: ArchitectureModel,
    archimate_type: str,
    title: str,
    summary: str = "",
    body: str = "",
    identifier: str = "",
    owner: Organisation | None = None,
    fields: Mapping[str, Any] | None = None,
) -> Element:
    """An element of `model`; principles, constraints and requirements become their own kinds."""
    require_maintainer(actor, model)
    if archimate_type not in ELEMENT_TYPES:
        raise ValidationError(
            {"archimate_type": f"“{archimate_type}” is not an ArchiMate 3.1 element type."}
        )
    identifier = identifier or _new_identifier("id")
    if Element.objects.filter(model=model, identifier=identifier).exists():
        raise Conflict(f"The model already has an element “{identifier}”.")
    kind_model = MODEL_FOR_TYPE.get(archimate_type, Element)
    documentation = {"en": body} if body else {}
    return create_item(
        actor=actor,
        owner=owner or model.owner,
        model=kind_model,
        title=title,
        summary=summary,
        body=body,
        fields={
            "model": model,
            "identifier": identifier,
            "archimate_type": archimate_type,
            "names": {"en": title},
            "documentation": documentation,
            **(fields or {}),
        },
        permission="architecture.author_solution"
        if model.scope != Scope.ENTERPRISE
        else "architecture.maintain",
        permission_object=getattr(model, "solution", None),
    )


@transaction.atomic
def relate(
    *,
    actor: User,
    source: Element | Relationship,
    target: Element | Relationship,
    type: str,
    identifier: str = "",
    name: str = "",
    access_type: str = "",
    modifier: str = "",
    is_directed: bool | None = None,
) -> Relationship:
    """An ArchiMate relationship between two elements (or an element and a relationship) of one
    model; one ArchiMate does not allow is refused with the rule it breaks."""
    model = source.model
    require_maintainer(actor, model)
    if type not in RELATIONSHIP_TYPES:
        raise ValidationError(
            {
                "type": f"“{type}” is not an ArchiMate relationship; use one of {', '.join(RELATIONSHIP_TYPES)}."
            }
        )
    if target.model_id != model.pk:
        raise ValidationError({"target": "Both ends of a relationship belong to one model."})
    check_text({"name": name})
    identifier = identifier or _new_identifier("rel")
    if Relationship.objects.filter(model=model, identifier=identifier).exists():
        raise Conflict(f"The model already has a relationship “{identifier}”.")
    ends: dict[str, Any] = {}
    for end, value in (("source", source), ("target", target)):
        ends[end if isinstance(value, Element) else f"{end}_relationship"] = value
    relationship = Relationship(
        model=model,
        identifier=identifier,
        type=type,
        names={"en": name} if name else {},
        access_type=access_type,
        modifier=modifier,
        is_directed=is_directed,
        created_by=actor,
        **ends,
    )
    relationship.full_clean()
    relationship.save()
    audit.append(
        actor=actor,
        action="relationship.created",
        item=source if isinstance(source, Element) else model,
        data={
            "identifier": identifier,
            "type": type,
            "source": _end_ref(source),
            "target": _end_ref(target),
        },
    )
    return relationship


def _end_ref(end: Element | Relationship) -> str:
    return end.uid if isinstance(end, Element) else f"relationship:{end.identifier}"


@transaction.atomic
def remove_relationship(*, actor: User, relationship: Relationship) -> None:
    require_maintainer(actor, relationship.model)
    data = {"identifier": relationship.identifier, "type": relationship.type}
    item = relationship.source or relationship.model
    relationship.delete()
    audit.append(actor=actor, action="relationship.removed", item=item, data=data)


# --- States -----------------------------------------------------------------------------------


@transaction.atomic
def create_state(
    *,
    actor: User,
    model: ArchitectureModel,
    name: str,
    kind: str,
    position: int | None = None,
    description: str = "",
    plateau: Element | None = None,
) -> State:
    """An as-is, transition or to-be state of a model."""
    require_maintainer(actor, model)
    check_text({"name": name, "description": description})
    if not name.strip():
        raise ValidationError({"name": "Name the state, e.g. “As-is, 2026”."})
    if kind not in StateKind.values:
        raise ValidationError({"kind": "Choose as-is, a transition plateau or to-be."})
    if model.states.filter(name=name).exists():
        raise Conflict(f"The model already has a state called “{name}”.")
    if plateau is not None and (
        plateau.model_id != model.pk or plateau.archimate_type != "Plateau"
    ):
        raise ValidationError({"plateau": "Choose a plateau of this model."})
    if position is None:
        position = {StateKind.BASELINE: 0, StateKind.TRANSITION: 50, StateKind.TARGET: 100}[kind]
    state = State.objects.create(
        model=model,
        name=name.strip(),
        kind=kind,
        position=position,
        description=description,
        plateau=plateau,
    )
    audit.append(
        actor=actor,
        action="state.created",
        item=model,
        data={"state": state.name, "kind": kind},
    )
    return state


@transaction.atomic
def place_in_state(
    *,
    actor: User,
    state: State,
    elements: Sequence[Element] = (),
    relationships: Sequence[Relationship] = (),
    remove: bool = False,
) -> State:
    """Say that elements and relationships belong to a state (or, with `remove`, no longer do)."""
    require_maintainer(actor, state.model)
    for thing in [*elements, *relationships]:
        if thing.model_id != state.model_id:
            raise ValidationError({"state": "A state holds only its own model's contents."})
    if remove:
        state.elements.remove(*elements)
        state.relationships.remove(*relationships)
    else:
        state.elements.add(*elements)
        state.relationships.add(*relationships)
    audit.append(
        actor=actor,
        action="state.left" if remove else "state.joined",
        item=state.model,
        data={
            "state": state.name,
            "elements": [e.uid for e in elements],
            "relationships": [r.identifier for r in relationships],
        },
    )
    return state


# --- Traceability and designation -------------------------------------------------------------


@transaction.atomic
def trace(
    *, actor: User, source: Item, target: Item, relation: str = Relation.REFINES, note: str = ""
) -> Link:
    """Trace a record to what it refines, realises or addresses: a solution element to the
    enterprise element it refines, an element or investment to the requirement it meets."""
    if relation not in TRACE_RELATIONS:
        raise ValidationError({"relation": "Trace with “refines”, “realises” or “addresses”."})
    model = getattr(source, "model", None)
    solution = getattr(model, "solution", None) if isinstance(model, ArchitectureModel) else None
    if not (
        actor.has_perm("architecture.maintain")
        or (solution is not None and actor.has_perm("architecture.author_solution", solution))
        or (
            getattr(source, "kind", "") == "investment" and actor.has_perm("planning.maintain_plan")
        )
    ):
        raise PermissionDenied(
            "Only the Architecture Team, or the Design Body writing the design, trace its elements."
        )
    if Link.objects.filter(source=source, target=target, relation=relation).exists():
        raise Conflict("This trace is already recorded.")
    return link_items(source=source, target=target, relation=relation, actor=actor, note=note)


def _designating(actor: User, record: Item | None) -> None:
    """Designation names a decision that has been taken, and one the designer may see."""
    refusal = None if record is None else designation_refusal(actor, record)
    if refusal:
        raise ValidationError({"designated_by": refusal})


@transaction.atomic
def designate(*, actor: User, element: Element, designation: str, decision: Item | None) -> Element:
    """Say an element is shared digital infrastructure or left to the market, naming the decision
    that has been taken to say so."""
    if not actor.has_perm("architecture.designate"):
        raise PermissionDenied(
            "Only the Product Team decide what is and is not shared digital infrastructure."
        )
    if designation not in SdiDesignation.values:
        raise ValidationError({"designation": "Choose shared, left to the market, or undecided."})
    if designation != SdiDesignation.UNDECIDED and decision is None:
        raise ValidationError({"designated_by": "Name the decision that designated it."})
    if designation != SdiDesignation.UNDECIDED:
        _designating(actor, decision)
    element = Element.objects.select_for_update().get(pk=element.pk)
    element.sdi_designation = designation
    element.designated_by = decision if designation != SdiDesignation.UNDECIDED else None
    element.version += 1
    element.updated_at = timezone.now()
    element.full_clean()
    element.save(update_fields=["sdi_designation", "designated_by", "version", "updated_at"])
    audit.append(
        actor=actor,
        action="element.designated",
        item=element,
        # The audit says what was stored: clearing a designation names no decision.
        data={
            "designation": designation,
            "decision": element.designated_by.uid if element.designated_by else None,
        },
    )
    return element


# --- Triage of a model's contents -------------------------------------------------------------


def draft_contents(model: ArchitectureModel):
    """A model's elements and views that are still drafts (an import by the Architecture Team leaves
    them so, for Research & Engagement to triage)."""
    from orchestrator.core.models import Status

    from .models import View

    return [
        *Element.objects.filter(model=model, status=Status.DRAFT).order_by("pk"),
        *View.objects.filter(model=model, status=Status.DRAFT).order_by("pk"),
    ]


@transaction.atomic
def triage_contents(*, actor: User, model: ArchitectureModel, **triage: Any) -> int:
    """Give every draft element and view of a model the triage its model was given (the same
    outcome, findings, rationale and review date), so a model of a thousand elements is triaged
    once; each record's triage is recorded and audited as `triage_item` records it."""
    from orchestrator.core.services import triage_item

    if not actor.has_perm("core.triage_item"):
        raise PermissionDenied("Only Research & Engagement triage records.")
    drafts = [d for d in draft_contents(model) if d.current_triage_id is None]
    for record in drafts:
        triage_item(item=record, actor=actor, **triage)
    if drafts:
        audit.append(
            actor=actor,
            action="architecture.contents_triaged",
            item=model,
            data={"records": len(drafts), "outcome": triage.get("outcome")},
        )
    return len(drafts)


@transaction.atomic
def publish_contents(*, actor: User, model: ArchitectureModel) -> int:
    """Publish a model's triaged draft elements and views, as `publish_item` publishes each."""
    from orchestrator.core.services import publish_item

    if not actor.has_perm("core.publish_item"):
        raise PermissionDenied("Only Research & Engagement publish records.")
    triaged = [d for d in draft_contents(model) if d.current_triage_id is not None]
    for record in triaged:
        publish_item(item=record, actor=actor)
    return len(triaged)
