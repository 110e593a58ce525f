"""Reads of the enterprise architecture for people: record panels, the shared estate, gap analysis."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Q

from orchestrator.core.models import Item, Link, Relation
from orchestrator.planning import selectors as planning_selectors

from .archimate import LAYER_LABELS, RELATIONSHIP_INVERSE_LABELS, RELATIONSHIP_LABELS, Layer
from .models import (
    ArchitectureModel,
    Element,
    Relationship,
    SdiDesignation,
    State,
    StateKind,
    View,
)

if TYPE_CHECKING:
    from orchestrator.people.models import User

TRACES = (Relation.REFINES, Relation.REALISES, Relation.ADDRESSES)


def visible_elements(user: User | None):
    return Element.objects.visible_to(user)


def visible_relationships(user: User | None, model: ArchitectureModel | None = None):
    qs = Relationship.objects.visible_to(user)
    if model is not None:
        qs = qs.filter(model=model)
    return qs


def layer_label(layer: str) -> str:
    return LAYER_LABELS.get(Layer(layer), layer) if layer in Layer._value2member_map_ else layer


@dataclass
class RelationshipRow:
    relationship: Relationship
    label: str  # how it reads from this element's side
    other: Element | None  # the element at the other end (None when that end is a relationship)


def _relationship_rows(user: User | None, element: Element) -> tuple[list, list]:
    rels = visible_relationships(user).select_related("source", "target")
    outgoing = [
        RelationshipRow(r, RELATIONSHIP_LABELS[r.type], r.target)
        for r in rels.filter(source=element).order_by("type", "target__title")
    ]
    incoming = [
        RelationshipRow(r, RELATIONSHIP_INVERSE_LABELS[r.type], r.source)
        for r in rels.filter(target=element).order_by("type", "source__title")
    ]
    return outgoing, incoming


def traces(user: User | None, item: Item) -> dict[str, list[tuple[str, Item]]]:
    """What a record traces to (refines, realises, addresses) and what traces to it, visible only."""
    seen = Item.objects.visible_to(user)
    out = [
        (link.get_relation_display(), link.target)
        for link in Link.objects.filter(source=item, relation__in=TRACES, target__in=seen)
        .select_related("target")
        .order_by("relation", "target__title")
    ]
    back = [
        (link.inverse_label, link.source)
        for link in Link.objects.filter(target=item, relation__in=TRACES, source__in=seen)
        .select_related("source")
        .order_by("relation", "source__title")
    ]
    return {"traces_to": out, "traced_from": back}


def element_panel(user: User | None, element: Element) -> dict:
    """An element's page: its type and layer, model, relationships, states, traces and designation."""
    outgoing, incoming = _relationship_rows(user, element)
    model = ArchitectureModel.objects.visible_to(user).filter(pk=element.model_id).first()
    states = list(State.objects.filter(model_id=element.model_id).order_by("position", "pk"))
    member_of = set(element.states.values_list("pk", flat=True))
    decision = (
        Item.objects.visible_to(user).filter(pk=element.designated_by_id).first()
        if element.designated_by_id
        else None
    )
    context = {
        "element": element,
        "architecture_model": model,
        "outgoing": outgoing,
        "incoming": incoming,
        "states": [(s, s.pk in member_of) for s in states],
        "designation_decision": decision,
        "can_maintain": bool(user and user.has_perm("architecture.maintain")),
        "can_designate": bool(user and user.has_perm("architecture.designate")),
        **traces(user, element),
    }
    source = getattr(element, "source_record_id", None)
    if source:
        context["source_record"] = Item.objects.visible_to(user).filter(pk=source).first()
    return context


def model_panel(user: User | None, model: ArchitectureModel) -> dict:
    """A model's page: what it holds by layer, its states and views — counted from what the viewer sees."""
    elements = visible_elements(user).filter(model=model)
    by_layer = [
        (layer_label(row["layer"]), row["layer"], row["n"])
        for row in elements.values("layer").annotate(n=Count("pk")).order_by("layer")
    ]
    states = list(
        State.objects.filter(model=model)
        .annotate(n=Count("elements", filter=Q(elements__in=elements.values("pk"))))
        .order_by("position", "pk")
    )
    views = View.objects.visible_to(user).filter(model=model).order_by("title")
    return {
        "architecture_model": model,
        "by_layer": by_layer,
        "element_count": sum(n for _, _, n in by_layer),
        "relationship_count": visible_relationships(user, model).count(),
        "states": states,
        "views": list(views[:100]),
        "can_maintain": bool(user and user.has_perm("architecture.maintain")),
        **_drafts(user, model),
    }


def _drafts(user: User | None, model: ArchitectureModel) -> dict:
    """For Research & Engagement: the model's draft elements and views, untriaged and triaged."""
    if not (user and user.has_perm("core.triage_item")):
        return {}
    from .services import draft_contents

    drafts = draft_contents(model)
    triaged = sum(1 for d in drafts if d.current_triage_id)
    return {"drafts_untriaged": len(drafts) - triaged, "drafts_triaged": triaged}


# --- Gap analysis -----------------------------------------------------------------------------


@dataclass
class Gap:
    """What differs between two states of a model, in what the viewer may see."""

    before: State
    after: State
    added: list[Element] = field(default_factory=list)
    removed: list[Element] = field(default_factory=list)
    changed: list[tuple[Element, list[str]]] = field(default_factory=list)
    relationships_added: list[Relationship] = field(default_factory=list)
    relationships_removed: list[Relationship] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (
            self.added
            or self.removed
            or self.changed
            or self.relationships_added
            or self.relationships_removed
        )


def gap_analysis(user: User | None, *, before: State, after: State) -> Gap:
    """Elements and relationships added and removed from `before` to `after`, and the elements in
    both whose relationships differ between them (changed), each only if the viewer may see it."""
    seen = visible_elements(user).filter(model=before.model_id)
    in_before = set(before.elements.filter(pk__in=seen.values("pk")).values_list("pk", flat=True))
    in_after = set(after.elements.filter(pk__in=seen.values("pk")).values_list("pk", flat=True))
    rels = visible_relationships(user).filter(model=before.model_id)
    rels_before = set(
        before.relationships.filter(pk__in=rels.values("pk")).values_list("pk", flat=True)
    )
    rels_after = set(
        after.relationships.filter(pk__in=rels.values("pk")).values_list("pk", flat=True)
    )
    added_rels = rels_after - rels_before
    removed_rels = rels_before - rels_after
    touched: dict[int, list[str]] = defaultdict(list)
    rel_rows = {
        r.pk: r
        for r in Relationship.objects.filter(pk__in=added_rels | removed_rels).select_related(
            "source", "target"
        )
    }
    for pk, r in rel_rows.items():
        verb = "gains" if pk in added_rels else "loses"
        for end, other in ((r.source_id, r.target), (r.target_id, r.source)):
            if end in in_before & in_after and other is not None:
                touched[end].append(f"{verb} “{RELATIONSHIP_LABELS[r.type]}” {other.title}")
    by_pk = Element.objects.in_bulk((in_before ^ in_after) | set(touched))

    def ordered(pks) -> list[Element]:
        return sorted((by_pk[pk] for pk in pks if pk in by_pk), key=lambda e: (e.layer, e.title))

    return Gap(
        before=before,
        after=after,
        added=ordered(in_after - in_before),
        removed=ordered(in_before - in_after),
        changed=[(e, sorted(touched[e.pk])) for e in ordered(touched)],
        relationships_added=sorted(
            (rel_rows[pk] for pk in added_rels), key=lambda r: (r.type, r.identifier)
        ),
        relationships_removed=sorted(
            (rel_rows[pk] for pk in removed_rels), key=lambda r: (r.type, r.identifier)
        ),
    )


# --- The shared estate at a glance --------------------------------------------------------------


@dataclass
class EstateRow:
    element: Element
    as_is: bool
    to_be: bool


def shared_estate(user: User | None) -> dict:
    """`/architecture`: the elements designated shared digital infrastructure, by layer, with whether
    each is in an as-is and in a to-be state; what is left to the market; the models."""
    seen = visible_elements(user)
    shared = list(
        seen.filter(sdi_designation=SdiDesignation.SHARED).order_by("layer", "title")[:500]
    )
    baseline = set(
        State.elements.through.objects.filter(
            element__in=[e.pk for e in shared], state__kind=StateKind.BASELINE
        ).values_list("element_id", flat=True)
    )
    target = set(
        State.elements.through.objects.filter(
            element__in=[e.pk for e in shared], state__kind=StateKind.TARGET
        ).values_list("element_id", flat=True)
    )
    by_layer: dict[str, list[EstateRow]] = defaultdict(list)
    for e in shared:
        by_layer[layer_label(e.layer)].append(EstateRow(e, e.pk in baseline, e.pk in target))
    counts = Counter(dict(seen.values_list("sdi_designation").annotate(n=Count("pk")).order_by()))
    return {
        "by_layer": dict(by_layer),
        "shared_count": counts.get(SdiDesignation.SHARED, 0),
        "market_count": counts.get(SdiDesignation.MARKET, 0),
        "undecided_count": counts.get(SdiDesignation.UNDECIDED, 0),
        "new_in_to_be": sum(1 for e in shared if e.pk in target and e.pk not in baseline),
        "retiring": sum(1 for e in shared if e.pk in baseline and e.pk not in target),
        "models": list(
            ArchitectureModel.objects.visible_to(user)
            .annotate(n=Count("elements", filter=Q(elements__in=seen.values("pk"))))
            .order_by("scope", "title")[:50]
        ),
        "market": list(seen.filter(sdi_designation=SdiDesignation.MARKET).order_by("title")[:50]),
        "investments": planning_selectors.designated_investments(user),
    }
