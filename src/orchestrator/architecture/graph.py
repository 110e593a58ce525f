"""Reads of the architecture as a graph: neighbourhoods, impact, single points of failure and cycles."""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import networkx as nx
from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from orchestrator.core.models import Item, Link, Relation

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
    downstream: list[Reached]
    upstream: list[Reached]

    @property
    def downstream_layers(self) -> list[tuple[str, str, int]]:
        return layer_counts(self.downstream)

    @property
    def upstream_layers(self) -> list[tuple[str, str, int]]:
        return layer_counts(self.upstream)


def layer_counts(rows: Iterable[Reached]) -> list[tuple[str, str, int]]:
    """How many of `rows` are in each layer, as (layer, its label, count), in ArchiMate's order of
    layers, leaving out layers with none."""
    counted = Counter(r.node.layer for r in rows)
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


def _visible_check(user: User | None, column: str) -> tuple[str, tuple]:
    """SQL true when the element whose id is in `column` is one `user` may see ("" when they see
    every element, as staff do, so their walk skips the check altogether).

    It is `Item.objects.visible_to(user)` narrowed to that one id, so PostgreSQL and SQLite test
    each element reached with a lookup by primary key. Building the viewer's whole visible set
    as a CTE instead had each step of the walk scan all of it: 73,000 rows a step for a visitor
    at national scale, most of the time an impact took."""
    visible = Item.objects.visible_to(user)
    if not visible.query.where:
        return "", ()
    # `column` is one of the two chosen by _walks, never input.
    at = RawSQL(column, ())  # noqa: S611
    sql, params = visible.filter(pk=at).order_by().values("pk").query.sql_with_params()
    return f"AND EXISTS ({sql})", tuple(params)


def _walks(user: User | None, start: int, direction: str) -> tuple[dict, dict, dict[int, Node]]:
    """The visible elements reachable from `start` downstream (following relationships source →
    target) and upstream (target → source), each with its shortest distance, and their details.

    One statement. A recursive CTE a direction gathers the reachable set, each element once (UNION,
    not UNION ALL, so cycles end), testing each element reached for visibility, so a walk never
    passes through a hidden one. The statement then returns the relationships among each set and
    the details of every element in them; a breadth-first pass here turns the relationships into
    distances. Carrying the distance in the CTE instead would make an element reached by paths of
    many lengths (any cycle) a row per length, which does not scale. Each step uses the
    foreign-key index on source_id (or target_id)."""
    table = connection.ops.quote_name(Relationship._meta.db_table)
    items = connection.ops.quote_name(Item._meta.db_table)
    elements = connection.ops.quote_name(Element._meta.db_table)
    ctes, selects, params, reached = [], [], [], []
    postgresql = connection.vendor == "postgresql"
    for name, near, far in (("down", "source_id", "target_id"), ("up", "target_id", "source_id")):
        if direction not in (name + "stream", "both"):
            continue
        check, check_params = _visible_check(user, f"r.{far}")
        aggregate = f"array_agg(r.{far})" if postgresql else f"group_concat(r.{far})"
        # Only identifiers chosen here and Django's own compiled SQL are interpolated.
        ctes.append(
            f"""{name}(id) AS (
                SELECT CAST(%s AS BIGINT)
                UNION
                SELECT r.{far} FROM {name} JOIN {table} r ON r.{near} = {name}.id
                WHERE r.{far} IS NOT NULL {check}
            )"""  # noqa: S608
        )
        params += [start, *check_params]
        # Every visible element a relationship out of the set leads to is in the set, so joining
        # the set again finds the same relationships as the walk did, without testing visibility.
        # A row per element with the list of where it leads, not a row per relationship: a third
        # as many rows for Python to read.
        selects.append(
            f"""SELECT '{name}', {name}.id, {aggregate}, NULL, NULL, NULL, NULL
                FROM {name} JOIN {table} r ON r.{near} = {name}.id
                JOIN {name} seen ON seen.id = r.{far} GROUP BY {name}.id"""  # noqa: S608
        )
        reached.append(f"SELECT id FROM {name}")  # noqa: S608
    selects.append(
        f"""SELECT 'node', i.id, NULL, i.uid, i.title, e.archimate_type, e.layer
            FROM {items} i JOIN {elements} e ON e.item_ptr_id = i.id
            WHERE i.id IN ({" UNION ".join(reached)}) AND i.id <> %s"""  # noqa: S608
    )
    params.append(start)
    sql = f"WITH RECURSIVE {', '.join(ctes)} {' UNION ALL '.join(selects)}"
    adjacent: dict[str, dict[int, list[int]]] = {"down": {}, "up": {}}
    nodes: dict[int, Node] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for what, pk, *rest in cursor.fetchall():
            if what == "node":
                nodes[pk] = Node(pk, *rest[1:])
            else:
                # SQLite's group_concat gives "12,34"; PostgreSQL's array_agg a list.
                ahead = rest[0]
                adjacent[what][pk] = ahead if postgresql else [int(x) for x in ahead.split(",")]
    down, up = (_distances(adjacent[name], start) for name in ("down", "up"))
    return down, up, nodes


def _distances(adjacent: dict[int, list[int]], start: int) -> dict[int, int]:
    distances = {start: 0}
    queue = deque([start])
    while queue:
        at = queue.popleft()
        step = distances[at] + 1
        for nxt in adjacent.get(at, ()):
            if nxt not in distances:
                distances[nxt] = step
                queue.append(nxt)
    del distances[start]
    return distances


def impact(user: User | None, element: Element, *, direction: str = "both") -> Impact:
    """Everything that a change to `element` may reach, as far as `user` may see.

    *Downstream* is every element reachable by following relationships from source to target,
    transitively: what the element serves, realises, flows or triggers to, accesses, influences,
    or is composed of. *Upstream* is every element from which the element is reachable that way:
    what serves, realises, flows to or triggers it, and the wholes it is part of. For serving,
    realisation, flow and triggering, downstream is what a failure of the element affects and upstream
    what it relies on. Each comes with its distance (the fewest relationships between them), nearest
    first. `direction` is "downstream", "upstream" or "both". Elements the user may not see are
    left out, and the walks do not pass through them. One query, whatever the size."""
    if direction not in DIRECTIONS:
        raise ValueError(f"direction is one of {', '.join(DIRECTIONS)}")
    centre = _node(element)
    down, up, nodes = _walks(user, centre.pk, direction)

    def listed(distances: dict[int, int]) -> list[Reached]:
        rows = [Reached(nodes[pk], d) for pk, d in distances.items() if pk in nodes]
        return sorted(rows, key=lambda r: (r.distance, r.node.title.casefold(), r.node.uid))

    return Impact(centre, direction, listed(down), listed(up))


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
