"""Reads of the architecture as a graph: neighbourhoods, impact, single points of failure and cycles."""

from __future__ import annotations

import itertools
import sys
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import networkx as nx
from django.apps import apps
from django.db import connection
from django.db.models import Q
from django.db.models.signals import post_delete, post_save

from orchestrator.core.models import AuditEvent, AuditHead, Item, Link, Relation

from .archimate import ELEMENT_TYPES, LAYER_LABELS, RELATIONSHIP_LABELS, Layer
from .models import ArchitectureModel, Element, Relationship

if TYPE_CHECKING:
    from orchestrator.people.models import User

MAX_DEPTH = 5
DEFAULT_LIMIT = 300
# How many reached elements an impact page (or the API, unless asked for more) lists at once.
IMPACT_PAGE = 200
IMPACT_MAX_LIMIT = 1000
# How many of the most depended-on elements an analysis lists.
MOST_DEPENDED_ON = 20
# The core.Link relations by which an investment says it needs an element.
INVESTMENT_RELATIONS = (Relation.DEPENDS_ON, Relation.REALISES)
DIRECTIONS = ("both", "downstream", "upstream")
LAYERS = tuple(layer.value for layer in Layer)
_NODE_FIELDS = ("pk", "uid", "title", "archimate_type", "layer")


@dataclass(frozen=True, slots=True)
class Node:
    pk: int
    uid: str
    title: str
    archimate_type: str
    layer: str

    @property
    def url(self) -> str:
        return f"/k/{self.uid}"

    @property
    def type_label(self) -> str:
        found = ELEMENT_TYPES.get(self.archimate_type)
        return found.label if found else self.archimate_type

    @property
    def layer_label(self) -> str:
        try:
            return LAYER_LABELS[Layer(self.layer)]
        except ValueError:
            return self.layer

    def as_json(self) -> dict:
        return {
            "uid": self.uid,
            "title": self.title,
            "type": self.archimate_type,
            "layer": self.layer,
            "url": self.url,
        }


@dataclass(frozen=True, slots=True)
class Edge:
    pk: int
    identifier: str
    type: str
    source: Node
    target: Node

    @property
    def label(self) -> str:
        return RELATIONSHIP_LABELS.get(self.type, self.type)

    def as_json(self) -> dict:
        return {
            "identifier": self.identifier,
            "type": self.type,
            "source": self.source.uid,
            "target": self.target.uid,
        }


@dataclass(slots=True)
class Neighbourhood:
    centre: Node
    depth: int
    nodes: list[Node]
    edges: list[Edge]
    # Whether `limit` stopped the walk before it had taken every element within `depth`.
    truncated: bool = False
    distances: dict[int, int] = field(default_factory=dict)

    def cytoscape(self) -> dict:
        """The map as cytoscape.js elements, for `json_script`."""
        return {
            "centre": self.centre.uid,
            "nodes": [
                {
                    "data": {
                        "id": n.uid,
                        "label": n.title,
                        "type": n.type_label,
                        "layer": n.layer,
                        "url": n.url,
                        "distance": self.distances.get(n.pk, 0),
                    }
                }
                for n in self.nodes
            ],
            "edges": [
                {
                    "data": {
                        "id": f"r{e.pk}",
                        "source": e.source.uid,
                        "target": e.target.uid,
                        "type": e.type,
                    }
                }
                for e in self.edges
            ],
        }


@dataclass(frozen=True, slots=True)
class Reached:
    node: Node
    distance: int


@dataclass(slots=True)
class Impact:
    element: Node
    direction: str
    # Sequences of Reached (a ReachedList from impact), nearest first.
    downstream: Sequence[Reached]
    upstream: Sequence[Reached]
    # How many of each are in each layer, counted without fetching their details.
    downstream_by_layer: Counter[str] = field(default_factory=Counter)
    upstream_by_layer: Counter[str] = field(default_factory=Counter)

    @property
    def downstream_layers(self) -> list[tuple[str, str, int]]:
        return _ordered_layers(self.downstream_by_layer)

    @property
    def upstream_layers(self) -> list[tuple[str, str, int]]:
        return _ordered_layers(self.upstream_by_layer)


def layer_counts(rows: Iterable[Reached]) -> list[tuple[str, str, int]]:
    """How many of `rows` are in each layer, as (layer, its label, count), in ArchiMate's order of
    layers, leaving out layers with none."""
    return _ordered_layers(Counter(r.node.layer for r in rows))


def _ordered_layers(counted: Counter[str]) -> list[tuple[str, str, int]]:
    ordered = [layer for layer in LAYERS if layer in counted]
    ordered += sorted(set(counted) - set(LAYERS))
    labels = {layer.value: label for layer, label in LAYER_LABELS.items()}
    return [(layer, labels.get(layer, layer), counted[layer]) for layer in ordered]


@dataclass(frozen=True, slots=True)
class Depended:
    node: Node
    relationships_in: int
    investments: int


@dataclass(slots=True)
class Analysis:
    model: ArchitectureModel
    elements: int
    relationships: int
    articulation_points: list[Node]
    most_depended_on: list[Depended]
    cycles: list[list[Node]]


def _nodes(user: User | None, pks: Iterable[int]) -> dict[int, Node]:
    """The elements among `pks` that `user` may see, by primary key."""
    pks = list(pks)
    found: dict[int, Node] = {}
    # Chunks keep `IN (…)` under SQLite's limit on variables in one statement.
    for start in range(0, len(pks), 900):
        rows = (
            Element.objects.visible_to(user)
            .filter(pk__in=pks[start : start + 900])
            .values_list(*_NODE_FIELDS)
        )
        found.update((row[0], Node(*row)) for row in rows)
    return found


def _node(element: Element) -> Node:
    return Node(*(getattr(element, name) for name in _NODE_FIELDS))


def _by_title(nodes: Iterable[Node]) -> list[Node]:
    return sorted(nodes, key=lambda n: (n.title.casefold(), n.uid))


def neighbourhood(
    user: User | None,
    element: Element,
    *,
    depth: int = 1,
    types: Sequence[str] | None = None,
    layers: Sequence[str] | None = None,
    limit: int = DEFAULT_LIMIT,
) -> Neighbourhood:
    """The elements `user` may see within `depth` relationships of `element` (either way), and the
    visible relationships among them, of `types` only (all if none) and to elements in `layers` only
    (all if none; the element itself is always there). A walk never passes through an element the
    user may not see, nor one of a layer left out. At most `limit` elements; `truncated` says so."""
    if not 1 <= depth <= MAX_DEPTH:
        raise ValueError(f"depth is from 1 to {MAX_DEPTH}")
    centre = _node(element)
    relationships = Relationship.objects.visible_to(user).filter(
        source__isnull=False, target__isnull=False
    )
    if types:
        relationships = relationships.filter(type__in=list(types))
    distances = {centre.pk: 0}
    frontier = [centre.pk]
    truncated = False
    for step in range(1, depth + 1):
        if not frontier:
            break
        out = Q(source_id__in=frontier)
        into = Q(target_id__in=frontier)
        if layers:
            out &= Q(target__layer__in=list(layers))
            into &= Q(source__layer__in=list(layers))
        found: list[int] = []
        for source, target in (
            relationships.filter(out | into).values_list("source_id", "target_id").order_by("pk")
        ):
            for pk in (source, target):
                if pk not in distances:
                    if len(distances) >= limit:
                        truncated = True
                        break
                    distances[pk] = step
                    found.append(pk)
        frontier = found
    nodes = _nodes(user, distances)
    edges = [
        Edge(pk, identifier, type_, nodes[source], nodes[target])
        for pk, identifier, type_, source, target in relationships.filter(
            source_id__in=list(nodes), target_id__in=list(nodes)
        )
        .values_list("pk", "identifier", "type", "source_id", "target_id")
        .order_by("type", "pk")
    ]
    ordered = [centre, *_by_title(n for pk, n in nodes.items() if pk != centre.pk)]
    return Neighbourhood(centre, depth, ordered, edges, truncated, distances)


# -- impact: a walk over a per-process copy of the relationships --------------------------------


@dataclass(slots=True)
class _Estate:
    """What every impact walk needs about the whole architecture, read once per process (about
    4 s and 43 MB at national scale: 104,000 elements, 313,000 relationships) and read again when
    the audit chain's head moves past an event about an element or a model (every write appends
    to the chain, in its transaction), so the next read after a write sees it."""

    key: tuple
    down: dict[int, tuple[int, ...]]
    up: dict[int, tuple[int, ...]]
    layer: dict[int, str]
    # Each element's place in (title casefolded, uid) order, so a walk sorts without the titles.
    rank: dict[int, int]
    everyone: frozenset[int]  # what a visitor may see
    every: frozenset[int]  # every element, as staff see them


_estate: _Estate | None = None
_estate_lock = threading.Lock()
# Saves and deletes of the architecture in this process: a write not yet on the audit chain
# (inside its transaction, before its event) still makes this process's next read start again.
_writes = itertools.count()
_written = [0]


def _wrote(sender, **kwargs) -> None:
    if issubclass(sender, (Element, Relationship, ArchitectureModel)):
        _written[0] = next(_writes) + 1


post_save.connect(_wrote, dispatch_uid="architecture-graph-estate-save")
post_delete.connect(_wrote, dispatch_uid="architecture-graph-estate-delete")


def forget() -> None:
    """Drop this process's copy of the architecture; the next impact reads it again."""
    global _estate
    with _estate_lock:
        _estate = None


def _key() -> tuple:
    head = AuditHead.objects.filter(pk=1).values_list("seq", "hash").first() or (0, "")
    return (*head, _written[0], connection.alias, connection.settings_dict.get("NAME"))


def _fetch(queryset) -> list[tuple]:
    # A cursor rather than the ORM's values_list: 400,000 rows read in a third of the time.
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _load(key: tuple) -> _Estate:
    rows = _fetch(Element.objects.order_by().values_list("pk", "layer", "title", "uid"))
    # The same int object for each element everywhere: 600,000 fewer of them at national scale.
    same = {row[0]: row[0] for row in rows}
    down: dict[int, list[int]] = {}
    up: dict[int, list[int]] = {}
    for source, target in _fetch(
        Relationship.objects.filter(source__isnull=False, target__isnull=False)
        .order_by()
        .values_list("source_id", "target_id")
    ):
        source, target = same.get(source, source), same.get(target, target)
        down.setdefault(source, []).append(target)
        up.setdefault(target, []).append(source)
    rows.sort(key=lambda r: (r[2].casefold(), r[3]))
    visitors = Element.objects.visible_to(None).order_by().values_list("pk")
    return _Estate(
        key=key,
        down={k: tuple(v) for k, v in down.items()},
        up={k: tuple(v) for k, v in up.items()},
        layer={row[0]: sys.intern(row[1]) for row in rows},
        rank={row[0]: n for n, row in enumerate(rows)},
        everyone=frozenset(same.get(pk, pk) for (pk,) in _fetch(visitors)),
        every=frozenset(same),
    )


def _architecture_kinds() -> set[str]:
    """The kinds whose audit events may change the walk's copy: every kind of element (principles,
    constraints … are elements too) and models, which relationship events name when a
    relationship does not start at an element."""
    return {
        m.KIND
        for m in apps.get_models()
        if issubclass(m, Element) or issubclass(m, ArchitectureModel)
    }


# Beyond this many audit events since the copy was read, read it again rather than look.
_MOST_EVENTS = 500


def _still_current(estate: _Estate, key: tuple) -> bool:
    """Whether only records outside the architecture were written since `estate` was read, so the
    head has moved on the same chain (not back, as a rollback takes it) by events about other
    kinds alone: then the copy stands, and one busy part of the platform does not make every
    worker read the whole architecture again."""
    seq, digest, *rest = estate.key
    new_seq, _, *new_rest = key
    if rest != new_rest or not seq < new_seq <= seq + _MOST_EVENTS:
        return False
    events = list(
        AuditEvent.objects.filter(seq__gte=seq, seq__lte=new_seq)
        .order_by("seq")
        .values_list("seq", "hash", "item_uid")
    )
    if len(events) != new_seq - seq + 1 or events[0][:2] != (seq, digest):
        return False
    uids = {uid for _, _, uid in events[1:]}
    if "" in uids:
        return False  # an event about no one record: it may be about any of them
    kinds = dict(Item.objects.filter(uid__in=uids).values_list("uid", "kind"))
    # A uid no longer there was deleted: it may have been an element.
    return len(kinds) == len(uids) and not _architecture_kinds() & set(kinds.values())


def _current() -> _Estate:
    global _estate
    key = _key()
    with _estate_lock:
        if _estate is not None and _estate.key != key and _still_current(_estate, key):
            _estate.key = key
        if _estate is None or _estate.key != key:
            _estate = _load(key)
        return _estate


def _visible(user: User | None, estate: _Estate) -> frozenset[int] | set[int]:
    """The elements `user` may see: a visitor's and staff's from the copy (staff are those whom
    `visible_to` does not filter, as `people.selectors.is_staff` decides), anyone else's read."""
    if user is None or not user.is_authenticated:
        return estate.everyone
    visible = Element.objects.visible_to(user)
    if not visible.query.where:
        return estate.every
    return set(visible.order_by().values_list("pk", flat=True))


def _distances(
    adjacent: dict[int, tuple[int, ...]], start: int, visible: frozenset[int] | set[int]
) -> dict[int, int]:
    """Breadth-first from `start`, entering only elements in `visible`: each one's fewest steps."""
    distances = {start: 0}
    frontier = [start]
    step = 0
    while frontier:
        step += 1
        found = []
        for at in frontier:
            for nxt in adjacent.get(at, ()):
                if nxt not in distances and nxt in visible:
                    distances[nxt] = step
                    found.append(nxt)
        frontier = found
    del distances[start]
    return distances


class ReachedList(Sequence):
    """The elements an impact reaches one way, nearest first, as a list whose rows fetch their
    details (uid, title …) only when asked for: a page shows 200 of what may be 16,000."""

    __slots__ = ("_details", "_order")

    def __init__(self, order: list[tuple[int, int]], details: _Details) -> None:
        self._order = order  # (pk, distance)
        self._details = details

    def __len__(self) -> int:
        return len(self._order)

    def __getitem__(self, index):
        if isinstance(index, slice):
            wanted = self._order[index]
            nodes = self._details.fetch(pk for pk, _ in wanted)
            return [Reached(nodes[pk], d) for pk, d in wanted if pk in nodes]
        pk, distance = self._order[index]
        return Reached(self._details.fetch([pk])[pk], distance)

    def __iter__(self):
        for start in range(0, len(self._order), 900):
            yield from self[start : start + 900]

    def __eq__(self, other) -> bool:
        if isinstance(other, Sequence):
            return list(self) == list(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"<ReachedList of {len(self._order)}>"


class _Details:
    """The details of reached elements, fetched as the user may see them and kept for the call."""

    __slots__ = ("_known", "_user")

    def __init__(self, user: User | None) -> None:
        self._user = user
        self._known: dict[int, Node] = {}

    def fetch(self, pks: Iterable[int]) -> dict[int, Node]:
        missing = [pk for pk in pks if pk not in self._known]
        if missing:
            self._known.update(_nodes(self._user, missing))
        return self._known


def impact(user: User | None, element: Element, *, direction: str = "both") -> Impact:
    """Everything that a change to `element` may reach, as far as `user` may see.

    *Downstream* is every element reachable by following relationships from source to target,
    transitively: what the element serves, realises, flows or triggers to, accesses, influences,
    or is composed of. *Upstream* is every element from which the element is reachable that way:
    what serves, realises, flows to or triggers it, and the wholes it is part of. For serving,
    realisation, flow and triggering, downstream is what a failure of the element affects and upstream
    what it relies on. Each comes with its distance (the fewest relationships between them), nearest
    first. `direction` is "downstream", "upstream" or "both". Elements the user may not see are
    left out, and the walks do not pass through them.

    The walk is over this process's copy of the relationships (`_Estate`), checked against the
    audit chain's head with one query a call; a viewer who is neither a visitor nor sees
    everything costs one more, for their visible set. The details of the elements listed are
    fetched only for the rows shown, one query a page."""
    if direction not in DIRECTIONS:
        raise ValueError(f"direction is one of {', '.join(DIRECTIONS)}")
    centre = _node(element)
    estate = _current()
    visible = _visible(user, estate)
    details = _Details(user)
    rank = estate.rank
    lists, counts = {}, {}
    for name, adjacent in (("downstream", estate.down), ("upstream", estate.up)):
        distances = _distances(adjacent, centre.pk, visible) if direction in (name, "both") else {}
        order = sorted(distances.items(), key=lambda pd: (pd[1], rank.get(pd[0], -1)))
        lists[name] = ReachedList(order, details)
        counts[name] = Counter(estate.layer.get(pk, "") for pk in distances)
    return Impact(
        centre,
        direction,
        lists["downstream"],
        lists["upstream"],
        counts["downstream"],
        counts["upstream"],
    )


def model_graph(
    user: User | None, model: ArchitectureModel
) -> tuple[nx.MultiDiGraph, dict[int, Node]]:
    """The part of `model` that `user` may see, as a directed graph of element primary keys with an
    edge for each relationship between elements."""
    nodes = {
        row[0]: Node(*row)
        for row in Element.objects.visible_to(user).filter(model=model).values_list(*_NODE_FIELDS)
    }
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(
        (s, t)
        for s, t in Relationship.objects.visible_to(user)
        .filter(model=model, source__isnull=False, target__isnull=False)
        .values_list("source_id", "target_id")
        if s in nodes and t in nodes
    )
    return graph, nodes


def _investment_counts(user: User | None, pks: Iterable[int]) -> Counter[int]:
    """For each element, how many distinct investments `user` may see relate to it by core.Link."""
    investments = Item.objects.visible_to(user).filter(kind="investment").values("pk")
    pairs: set[tuple[int, int]] = set()
    pks = list(pks)
    for start in range(0, len(pks), 900):
        chunk = pks[start : start + 900]
        links = Link.objects.filter(relation__in=INVESTMENT_RELATIONS)
        pairs.update(
            links.filter(target_id__in=chunk, source_id__in=investments).values_list(
                "target_id", "source_id"
            )
        )
        pairs.update(
            links.filter(source_id__in=chunk, target_id__in=investments).values_list(
                "source_id", "target_id"
            )
        )
    return Counter(element for element, _ in pairs)


def single_points_of_failure(
    user: User | None, model: ArchitectureModel, *, graph=None
) -> tuple[list[Node], list[Depended]]:
    """The articulation points of the part of `model` that `user` may see (taken undirected: an
    element whose loss splits what is connected), and the elements most depended on (by incoming
    relationships, then by investments linking to them that the user may see)."""
    if graph is None:
        graph = model_graph(user, model)
    digraph, nodes = graph
    points = _by_title(nodes[pk] for pk in nx.articulation_points(nx.Graph(digraph)))
    incoming = {pk: digraph.in_degree(pk) for pk in digraph.nodes}
    investments = _investment_counts(user, [pk for pk, n in incoming.items() if n] or list(nodes))
    depended = [
        Depended(nodes[pk], incoming[pk], investments.get(pk, 0))
        for pk in nodes
        if incoming[pk] or investments.get(pk)
    ]
    depended.sort(
        key=lambda d: (-d.relationships_in, -d.investments, d.node.title.casefold(), d.node.uid)
    )
    return points, depended[:MOST_DEPENDED_ON]


def cycles(user: User | None, model: ArchitectureModel, *, graph=None) -> list[list[Node]]:
    """The strongly connected components of more than one element in the part of `model` that
    `user` may see: groups of elements each of which reaches every other. Largest first."""
    if graph is None:
        graph = model_graph(user, model)
    digraph, nodes = graph
    found = [
        _by_title(nodes[pk] for pk in component)
        for component in nx.strongly_connected_components(digraph)
        if len(component) > 1
    ]
    return sorted(found, key=lambda c: (-len(c), c[0].title.casefold(), c[0].uid))


def analysis(user: User | None, model: ArchitectureModel) -> Analysis:
    """Single points of failure, the most depended on and cycles of `model`, as `user` sees it."""
    graph = model_graph(user, model)
    points, depended = single_points_of_failure(user, model, graph=graph)
    return Analysis(
        model=model,
        elements=graph[0].number_of_nodes(),
        relationships=graph[0].number_of_edges(),
        articulation_points=points,
        most_depended_on=depended,
        cycles=cycles(user, model, graph=graph),
    )
