"""Dependency analysis in the API: neighbourhoods, impact, single points of failure and cycles."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.datastructures import MultiValueDict
from ninja import Field, Router, Schema

from orchestrator.architecture import graph
from orchestrator.architecture.models import ArchitectureModel, Element
from orchestrator.architecture.views_map import ImpactForm, MapForm
from orchestrator.core.selectors import get_visible_item

from .api import OptionalToken, Problem, _reject_unknown

router = Router(tags=["architecture"], auth=OptionalToken())

READ_ERRORS = {404: Problem, 422: Problem}


class NodeOut(Schema):
    uid: str
    title: str
    type: str = Field(..., description="The ArchiMate element type")
    layer: str
    url: str


class EdgeOut(Schema):
    identifier: str
    type: str = Field(..., description="The ArchiMate relationship type")
    source: str = Field(..., description="The uid of the source element")
    target: str = Field(..., description="The uid of the target element")


class NeighbourhoodOut(Schema):
    element: str
    depth: int
    truncated: bool = Field(..., description="True when the map stopped at its limit of elements")
    nodes: list[NodeOut]
    edges: list[EdgeOut]


class ReachedOut(NodeOut):
    distance: int = Field(..., description="The fewest relationships between the two elements")


class LayerCountOut(Schema):
    layer: str
    count: int


class ImpactOut(Schema):
    element: str
    direction: str
    downstream_count: int = Field(..., description="All of them the caller may see, not the page")
    upstream_count: int = Field(..., description="All of them the caller may see, not the page")
    downstream_layers: list[LayerCountOut]
    upstream_layers: list[LayerCountOut]
    offset: int
    limit: int
    downstream: list[ReachedOut] = Field(
        ...,
        description="Reached by following relationships from source to target: `limit` of them "
        "from `offset`, nearest first",
    )
    upstream: list[ReachedOut] = Field(
        ...,
        description="Reaching the element by following relationships from source to target: "
        "`limit` of them from `offset`, nearest first",
    )


class DependedOut(NodeOut):
    relationships_in: int
    investments: int


class AnalysisOut(Schema):
    model: str
    elements: int
    relationships: int
    single_points_of_failure: list[NodeOut]
    most_depended_on: list[DependedOut]
    cycles: list[list[NodeOut]]


class WindowForm(forms.Form):
    """Which of an impact's elements to list: `limit` of each list from `offset`, nearest first."""

    offset = forms.IntegerField(
        required=False,
        min_value=0,
        error_messages={"invalid": "Give the offset as a whole number, from 0."},
    )
    limit = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=graph.IMPACT_MAX_LIMIT,
        error_messages={
            "invalid": f"Give the limit as a whole number from 1 to {graph.IMPACT_MAX_LIMIT}.",
        },
    )


def _element(user, uid: str) -> Element:
    item = get_visible_item(user, uid)
    if not isinstance(item, Element):
        raise Http404("No such element")
    return item


def _cleaned(form) -> dict:
    if not form.is_valid():
        raise DjangoValidationError({name: list(errors) for name, errors in form.errors.items()})
    return form.cleaned_data


def _split(request, name: str) -> list[str]:
    # `?types=Serving,Flow` and `?types=Serving&types=Flow` both work.
    return [part for value in request.GET.getlist(name) for part in value.split(",") if part]


@router.get("/elements/{uid}/neighbourhood", response={200: NeighbourhoodOut, **READ_ERRORS})
def neighbourhood(request, uid: str):
    """The elements within `depth` (1–5) relationships of an element, either way, and the
    relationships among them; `types` and `layers` (repeated, or comma-separated) narrow it.
    Only elements and relationships the caller may see; the walk never passes through others."""
    _reject_unknown(request, {"depth", "types", "layers"})
    element = _element(request.auth, uid)
    data = MultiValueDict(
        {
            "depth": request.GET.getlist("depth")[-1:],
            "types": _split(request, "types"),
            "layers": _split(request, "layers"),
        }
    )
    options = _cleaned(MapForm(data))
    found = graph.neighbourhood(
        request.auth,
        element,
        depth=options["depth"],
        types=options["types"] or None,
        layers=options["layers"] or None,
    )
    return {
        "element": element.uid,
        "depth": found.depth,
        "truncated": found.truncated,
        "nodes": [n.as_json() for n in found.nodes],
        "edges": [e.as_json() for e in found.edges],
    }


@router.get("/elements/{uid}/impact", response={200: ImpactOut, **READ_ERRORS})
def impact(request, uid: str):
    """Everything downstream of an element (reached by following relationships from source to
    target, transitively) and upstream (reaching it that way), each with its distance, nearest
    first. `direction` is both (the default), downstream or upstream. The counts (in all and by
    layer) are of every element the caller may see; the lists are `limit` (default 200, at most
    1000) of them from `offset` (default 0)."""
    _reject_unknown(request, {"direction", "offset", "limit"})
    element = _element(request.auth, uid)
    direction = _cleaned(ImpactForm(request.GET))["direction"]
    window = _cleaned(WindowForm(request.GET))
    offset = window["offset"] or 0
    limit = graph.IMPACT_PAGE if window["limit"] is None else window["limit"]
    found = graph.impact(request.auth, element, direction=direction)

    def page(rows):
        return [{**r.node.as_json(), "distance": r.distance} for r in rows[offset : offset + limit]]

    return {
        "element": element.uid,
        "direction": direction,
        "downstream_count": len(found.downstream),
        "upstream_count": len(found.upstream),
        "downstream_layers": [{"layer": k, "count": n} for k, _, n in found.downstream_layers],
        "upstream_layers": [{"layer": k, "count": n} for k, _, n in found.upstream_layers],
        "offset": offset,
        "limit": limit,
        "downstream": page(found.downstream),
        "upstream": page(found.upstream),
    }


@router.get("/models/{uid}/analysis", response={200: AnalysisOut, **READ_ERRORS})
def analysis(request, uid: str):
    """A model's single points of failure (articulation points of what the caller may see), its
    most depended-on elements and its cycles (strongly connected groups of more than one)."""
    _reject_unknown(request, set())
    model = get_visible_item(request.auth, uid, ArchitectureModel)
    found = graph.analysis(request.auth, model)
    return {
        "model": model.uid,
        "elements": found.elements,
        "relationships": found.relationships,
        "single_points_of_failure": [n.as_json() for n in found.articulation_points],
        "most_depended_on": [
            {
                **d.node.as_json(),
                "relationships_in": d.relationships_in,
                "investments": d.investments,
            }
            for d in found.most_depended_on
        ],
        "cycles": [[n.as_json() for n in cycle] for cycle in found.cycles],
    }
