"""The enterprise architecture in the API: models, elements, relationships, states and gap analysis."""

from __future__ import annotations

from django.http import Http404
from ninja import Field, Query, Router, Schema, Status

from orchestrator.architecture import selectors, services
from orchestrator.architecture.models import ArchitectureModel, Element, Relationship, State
from orchestrator.core.models import Item
from orchestrator.core.selectors import get_visible_item

from .api import WRITE_ERRORS, ItemOut, OptionalToken, Problem, RequireToken
from .planning import MAX_ID, DesignationIn, _owner
from .representations import item_detail

router = Router(tags=["architecture"], auth=RequireToken())
READ_ERRORS = {404: Problem, 422: Problem}


class ModelIn(Schema):
    owner: str = Field(..., description="The slug of the owner organisation")
    title: str = Field(..., max_length=300)
    identifier: str = Field(..., max_length=200, pattern=r"^[-\w.]+$")
    summary: str = Field("", max_length=2000)
    body: str = ""


class ElementIn(Schema):
    archimate_type: str = Field(..., description="An ArchiMate 3.1 element type, e.g. Node")
    title: str = Field(..., max_length=300)
    summary: str = Field("", max_length=2000)
    body: str = ""
    identifier: str = Field("", max_length=200, pattern=r"^([-\w.]+)?$")
    fields: dict[str, str | float | None] = Field(
        default_factory=dict,
        description="The kind's own fields: a principle's rationale and implications, a "
        "requirement's category, acceptance_criterion, measure and threshold …",
    )


class RelationshipIn(Schema):
    source: str = Field(..., description="The uid of the source element")
    target: str = Field(..., description="The uid of the target element")
    type: str = Field(..., description="One of ArchiMate's eleven relationships, e.g. Serving")
    identifier: str = Field("", max_length=200, pattern=r"^([-\w.]+)?$")
    name: str = Field("", max_length=300)
    access_type: str = ""
    modifier: str = Field("", max_length=20)
    is_directed: bool | None = None


class RelationshipOut(Schema):
    identifier: str
    type: str
    source: str | None
    target: str | None
    name: str
    access_type: str
    modifier: str


class StateIn(Schema):
    name: str = Field(..., max_length=200)
    kind: str = Field(..., description="baseline, transition or target")
    description: str = Field("", max_length=5000)


class StateOut(Schema):
    id: int
    name: str
    kind: str
    position: int
    elements: int = Field(..., description="How many elements you can see are in it")


class MembersIn(Schema):
    elements: list[str] = Field(default_factory=list, description="uids of elements")
    remove: bool = False


class TraceIn(Schema):
    source: str
    target: str
    relation: str = Field("refines", description="refines, realises or addresses")
    note: str = Field("", max_length=500)


def _relationship_out(r: Relationship) -> dict:
    return {
        "identifier": r.identifier,
        "type": r.type,
        "source": r.source.uid if r.source_id else None,
        "target": r.target.uid if r.target_id else None,
        "name": r.name,
        "access_type": r.access_type,
        "modifier": r.modifier,
    }


def _created(user, item: Item) -> Status:
    return Status(201, item_detail(user, get_visible_item(user, item.uid)))


@router.post("/models", response={201: ItemOut, **WRITE_ERRORS})
def create_model(request, payload: ModelIn):
    """Start an architecture model, as a draft (the Architecture Team)."""
    model = services.create_model(
        actor=request.auth,
        owner=_owner(payload.owner),
        title=payload.title,
        identifier=payload.identifier,
        summary=payload.summary,
        body=payload.body,
    )
    return _created(request.auth, model)


@router.post("/models/{uid}/elements", response={201: ItemOut, **WRITE_ERRORS})
def create_element(request, uid: str, payload: ElementIn):
    """Add an element to a model; principles, constraints and requirements become their own kinds."""
    model = get_visible_item(request.auth, uid, ArchitectureModel)
    fields = dict(payload.fields)
    if "source_record" in fields:
        fields["source_record"] = get_visible_item(request.auth, str(fields["source_record"]))
    element = services.create_element(
        actor=request.auth,
        model=model,
        archimate_type=payload.archimate_type,
        title=payload.title,
        summary=payload.summary,
        body=payload.body,
        identifier=payload.identifier,
        fields=fields,
    )
    return _created(request.auth, element)


@router.post("/relationships", response={201: RelationshipOut, **WRITE_ERRORS})
def create_relationship(request, payload: RelationshipIn):
    """Relate two elements of one model; a relationship ArchiMate forbids is a 422 naming the rule."""
    source = get_visible_item(request.auth, payload.source, Element)
    target = get_visible_item(request.auth, payload.target, Element)
    rel = services.relate(
        actor=request.auth,
        source=source,
        target=target,
        type=payload.type,
        identifier=payload.identifier,
        name=payload.name,
        access_type=payload.access_type,
        modifier=payload.modifier,
        is_directed=payload.is_directed,
    )
    return Status(201, _relationship_out(rel))


@router.get(
    "/models/{uid}/relationships",
    response={200: list[RelationshipOut], **READ_ERRORS},
    auth=OptionalToken(),
)
def relationships(request, uid: str, offset: int = Query(0, ge=0, le=10_000_000)):
    """A model's relationships you may see (both ends visible), 500 at a time from `offset`."""
    model = get_visible_item(request.auth, uid, ArchitectureModel)
    rows = (
        selectors.visible_relationships(request.auth, model)
        .select_related("source", "target")
        .order_by("pk")[offset : offset + 500]
    )
    return [_relationship_out(r) for r in rows]


@router.get(
    "/models/{uid}/states", response={200: list[StateOut], **READ_ERRORS}, auth=OptionalToken()
)
def states(request, uid: str):
    """A model's states (as-is, transitions, to-be), with how many elements you can see in each."""
    model = get_visible_item(request.auth, uid, ArchitectureModel)
    return [
        {"id": s.pk, "name": s.name, "kind": s.kind, "position": s.position, "elements": s.n}
        for s in selectors.model_panel(request.auth, model)["states"]
    ]


@router.post("/models/{uid}/states", response={201: StateOut, **WRITE_ERRORS})
def create_state(request, uid: str, payload: StateIn):
    """Add a state to a model."""
    model = get_visible_item(request.auth, uid, ArchitectureModel)
    state = services.create_state(
        actor=request.auth,
        model=model,
        name=payload.name,
        kind=payload.kind,
        description=payload.description,
    )
    return Status(
        201,
        {
            "id": state.pk,
            "name": state.name,
            "kind": state.kind,
            "position": state.position,
            "elements": 0,
        },
    )


def _state(user, model_uid: str, state_id: int) -> State:
    model = get_visible_item(user, model_uid, ArchitectureModel)
    state = State.objects.filter(model=model, pk=state_id).first() if state_id <= MAX_ID else None
    if state is None:
        raise Http404("No such state of this model.")
    return state


@router.post("/models/{uid}/states/{state_id}/members", response={200: StateOut, **WRITE_ERRORS})
def place(request, uid: str, state_id: int, payload: MembersIn):
    """Put elements in a state (or take them out, with `remove`)."""
    state = _state(request.auth, uid, state_id)
    elements = [get_visible_item(request.auth, e, Element) for e in payload.elements]
    services.place_in_state(
        actor=request.auth, state=state, elements=elements, remove=payload.remove
    )
    n = state.elements.filter(pk__in=Element.objects.visible_to(request.auth).values("pk")).count()
    return {
        "id": state.pk,
        "name": state.name,
        "kind": state.kind,
        "position": state.position,
        "elements": n,
    }


class GapOut(Schema):
    before: str
    after: str
    added: list[str]
    removed: list[str]
    changed: dict[str, list[str]]
    relationships_added: list[str]
    relationships_removed: list[str]


@router.get("/models/{uid}/gap", response={200: GapOut, **READ_ERRORS}, auth=OptionalToken())
def gap(request, uid: str, before: int = Query(..., ge=1), after: int = Query(..., ge=1)):
    """Gap analysis between two states of a model: element uids added, removed and changed."""
    b, a = _state(request.auth, uid, before), _state(request.auth, uid, after)
    result = selectors.gap_analysis(request.auth, before=b, after=a)
    return {
        "before": b.name,
        "after": a.name,
        "added": [e.uid for e in result.added],
        "removed": [e.uid for e in result.removed],
        "changed": {e.uid: changes for e, changes in result.changed},
        "relationships_added": [r.identifier for r in result.relationships_added],
        "relationships_removed": [r.identifier for r in result.relationships_removed],
    }


@router.post("/traces", response={201: dict, **WRITE_ERRORS})
def trace(request, payload: TraceIn):
    """Trace a record to what it refines, realises or addresses."""
    source = get_visible_item(request.auth, payload.source)
    target = get_visible_item(request.auth, payload.target)
    link = services.trace(
        actor=request.auth,
        source=source.kind_model.objects.get(pk=source.pk),
        target=target,
        relation=payload.relation,
        note=payload.note,
    )
    return Status(201, {"source": source.uid, "relation": link.relation, "target": target.uid})


@router.post("/elements/{uid}/designation", response={200: ItemOut, **WRITE_ERRORS})
def designate(request, uid: str, payload: DesignationIn):
    """Designate an element shared digital infrastructure or left to the market (the Product Team)."""
    element = get_visible_item(request.auth, uid, Element)
    decision = get_visible_item(request.auth, payload.decision) if payload.decision else None
    services.designate(
        actor=request.auth, element=element, designation=payload.designation, decision=decision
    )
    return item_detail(request.auth, get_visible_item(request.auth, uid))
