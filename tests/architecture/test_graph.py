"""The architecture as a graph: impact, neighbourhoods, single points of failure and cycles agree with
networkx on random graphs, and leave out (and never walk through) what the viewer may not see."""

from __future__ import annotations

import datetime as dt
import itertools

import networkx as nx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orchestrator.architecture import graph
from orchestrator.architecture.models import Element, Relationship
from orchestrator.core import bulk, services
from orchestrator.core.models import Item, Relation, Status

MAX_NODES = 25
TYPES = ["ApplicationComponent", "ApplicationService", "ApplicationProcess"]
_serial = itertools.count()


@pytest.fixture(autouse=True)
def _fresh_estate():
    """Each test starts without the impact walk's copy of the relationships of another."""
    graph.forget()
    yield
    graph.forget()


@pytest.fixture
def nodes(world, estate) -> list[Element]:
    """Twenty-five published, open elements of the estate's model, in a fixed order."""
    triage = bulk.TriageSpec(
        by=world.people["triager"],
        outcome="open",
        review_by=timezone.localdate() + dt.timedelta(days=90),
    )
    records = bulk.load_records(
        records=[
            bulk.RecordSpec(
                model=Element,
                owner=estate.team,
                created_by=estate.architect,
                title=f"Element {n:02d}",
                summary="An element of a random graph.",
                fields={
                    "model": estate.model,
                    "identifier": f"e{n}",
                    "archimate_type": TYPES[n % 3],
                    "layer": "application",
                },
                triage=triage,
                publish=True,
            )
            for n in range(MAX_NODES)
        ]
    )
    return [Element.objects.get(pk=r.pk) for r in records]


graphs = st.integers(min_value=1, max_value=MAX_NODES).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n, unique=False
        ),
        st.sets(st.integers(0, n - 1), max_size=n),
    )
)


class Built:
    """Relationships for `edges` among the first n elements, with `hidden` of them made drafts;
    removed again (and everything published again) on leaving."""

    def __init__(self, estate, nodes, n, edges, hidden):
        self.estate, self.nodes, self.n, self.edges, self.hidden = estate, nodes, n, edges, hidden

    def __enter__(self):
        serial = next(_serial)
        Relationship.objects.bulk_create(
            Relationship(
                model=self.estate.model,
                identifier=f"r{serial}-{k}",
                type=("Serving", "Flow", "Triggering", "Association")[k % 4],
                source=self.nodes[s],
                target=self.nodes[t],
                created_by=self.estate.architect,
            )
            for k, (s, t) in enumerate(self.edges)
        )
        Item.objects.filter(pk__in=[self.nodes[i].pk for i in self.hidden]).update(
            status=Status.DRAFT
        )
        graph.forget()  # written behind the audit chain's back, as no service would
        return self

    def __exit__(self, *exc):
        Relationship.objects.filter(model=self.estate.model).delete()
        Item.objects.filter(pk__in=[e.pk for e in self.nodes]).update(status=Status.PUBLISHED)
        graph.forget()

    def nx(self, *, without_hidden: bool) -> nx.MultiDiGraph:
        g = nx.MultiDiGraph()
        g.add_nodes_from(range(MAX_NODES))
        g.add_edges_from(self.edges)
        if without_hidden:
            g.remove_nodes_from(self.hidden)
        return g


def _index(nodes, found) -> set[int]:
    by_pk = {e.pk: i for i, e in enumerate(nodes)}
    return {by_pk[r.node.pk] for r in found}


@given(g=graphs, start=st.integers(0, MAX_NODES - 1))
@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
def test_impact_equals_descendants_and_ancestors(world, estate, nodes, g, start):
    n, edges, hidden = g
    start %= n
    with Built(estate, nodes, n, edges, hidden) as built:
        for persona, without_hidden in (("staff", False), ("anonymous", True)):
            user = world.people[persona]
            expected = built.nx(without_hidden=without_hidden)
            if start not in expected:
                continue  # the walk starts only from an element the viewer may see
            found = graph.impact(user, nodes[start])
            assert _index(nodes, found.downstream) == nx.descendants(expected, start)
            assert _index(nodes, found.upstream) == nx.ancestors(expected, start)
            by_pk = {e.pk: i for i, e in enumerate(nodes)}
            down = nx.single_source_shortest_path_length(expected, start)
            up = nx.single_source_shortest_path_length(expected.reverse(copy=False), start)
            assert {by_pk[r.node.pk]: r.distance for r in found.downstream} == {
                k: v for k, v in down.items() if k != start
            }
            assert {by_pk[r.node.pk]: r.distance for r in found.upstream} == {
                k: v for k, v in up.items() if k != start
            }
            if without_hidden:
                shown = {r.node.pk for r in (*found.downstream, *found.upstream)}
                assert not shown & {nodes[i].pk for i in hidden}


@given(g=graphs)
@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
def test_single_points_of_failure_and_cycles_agree_with_networkx(world, estate, nodes, g):
    n, edges, hidden = g
    with Built(estate, nodes, n, edges, hidden) as built:
        by_pk = {e.pk: i for i, e in enumerate(nodes)}
        for persona, without_hidden in (("staff", False), ("anonymous", True)):
            expected = built.nx(without_hidden=without_hidden)
            points, depended = graph.single_points_of_failure(world.people[persona], estate.model)
            assert {by_pk[p.pk] for p in points} == set(nx.articulation_points(nx.Graph(expected)))
            for d in depended:
                assert d.relationships_in == expected.in_degree(by_pk[d.node.pk])
            found = graph.cycles(world.people[persona], estate.model)
            assert sorted(sorted(by_pk[x.pk] for x in c) for c in found) == sorted(
                sorted(c) for c in nx.strongly_connected_components(expected) if len(c) > 1
            )


@given(g=graphs, start=st.integers(0, MAX_NODES - 1), depth=st.integers(1, 3))
@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
def test_neighbourhood_is_the_ego_graph(world, estate, nodes, g, start, depth):
    n, edges, hidden = g
    start %= n
    with Built(estate, nodes, n, edges, hidden) as built:
        expected = nx.Graph(built.nx(without_hidden=True))
        if start not in expected:
            return
        found = graph.neighbourhood(None, nodes[start], depth=depth)
        by_pk = {e.pk: i for i, e in enumerate(nodes)}
        assert {by_pk[x.pk] for x in found.nodes} == set(
            nx.ego_graph(expected, start, radius=depth)
        )
        assert found.nodes[0].pk == nodes[start].pk
        visible = {nodes[i].pk for i in range(MAX_NODES)} - {nodes[i].pk for i in hidden}
        for edge in found.edges:
            assert {edge.source.pk, edge.target.pk} <= visible


def _chain(estate, nodes, length, serial):
    Relationship.objects.bulk_create(
        Relationship(
            model=estate.model,
            identifier=f"chain{serial}-{k}",
            type="Serving",
            source=nodes[k],
            target=nodes[k + 1],
            created_by=estate.architect,
        )
        for k in range(length)
    )
    graph.forget()  # bulk_create sends no signal and appends no audit event


def test_impact_is_a_fixed_number_of_queries_whatever_its_size(world, estate, nodes):
    counts = []
    viewer = world.people["registered"]
    graph.impact(viewer, nodes[0])  # what the viewer's first read looks up about them once
    for serial, length in enumerate((3, 20)):
        _chain(estate, nodes, length, serial)
        graph.impact(viewer, nodes[0])  # the process reads the relationships again once
        with CaptureQueriesContext(connection) as queries:
            found = graph.impact(viewer, nodes[0])
            rows = found.downstream[: graph.IMPACT_PAGE]
        assert len(found.downstream) == length
        assert [r.distance for r in rows] == list(range(1, length + 1))
        counts.append(len(queries))
        Relationship.objects.all().delete()
    # The audit head, the viewer's visible set and one page of details.
    assert counts == [3, 3]
    assert not [q for q in queries.captured_queries if "RECURSIVE" in q["sql"].upper()]


def test_impact_sees_a_write_on_the_next_read(world, estate, nodes):
    """The walk's copy of the relationships is read again when the audit chain's head moves."""
    staff = world.people["staff"]
    _chain(estate, nodes, 1, "w")  # 0 → 1
    assert [r.node.pk for r in graph.impact(staff, nodes[0]).downstream] == [nodes[1].pk]
    # Written without a signal; the audit event of the next service call moves the head.
    Relationship.objects.bulk_create(
        [
            Relationship(
                model=estate.model,
                identifier="w-late",
                type="Serving",
                source=nodes[1],
                target=nodes[2],
                created_by=estate.architect,
            )
        ]
    )
    services.link_items(source=nodes[1], target=nodes[2], relation=Relation.DEPENDS_ON, actor=staff)
    found = graph.impact(staff, nodes[0])
    assert [(r.node.pk, r.distance) for r in found.downstream] == [
        (nodes[1].pk, 1),
        (nodes[2].pk, 2),
    ]


def test_a_walk_never_passes_through_a_hidden_element(world, estate, nodes):
    _chain(estate, nodes, 4, "x")  # 0 → 1 → 2 → 3 → 4
    Item.objects.filter(pk=nodes[2].pk).update(status=Status.DRAFT)
    graph.forget()  # written behind the audit chain's back, as no service would
    anonymous = graph.impact(None, nodes[0], direction="downstream")
    assert [r.node.pk for r in anonymous.downstream] == [nodes[1].pk]
    assert anonymous.upstream == []
    staff = graph.impact(world.people["staff"], nodes[0], direction="downstream")
    assert len(staff.downstream) == 4
    around = graph.neighbourhood(None, nodes[1], depth=3)
    assert {x.pk for x in around.nodes} == {nodes[0].pk, nodes[1].pk}


def test_neighbourhood_filters_by_type_and_layer_and_stops_at_its_limit(world, estate, nodes):
    Relationship.objects.bulk_create(
        Relationship(
            model=estate.model,
            identifier=f"star-{k}",
            type="Serving" if k % 2 else "Flow",
            source=nodes[0],
            target=nodes[k],
            created_by=estate.architect,
        )
        for k in range(1, 11)
    )
    serving = graph.neighbourhood(None, nodes[0], types=["Serving"])
    assert len(serving.nodes) == 6 and {e.type for e in serving.edges} == {"Serving"}
    assert len(graph.neighbourhood(None, nodes[0], layers=["business"]).nodes) == 1
    limited = graph.neighbourhood(None, nodes[0], limit=4)
    assert len(limited.nodes) == 4 and limited.truncated
    with pytest.raises(ValueError):
        graph.neighbourhood(None, nodes[0], depth=6)
    with pytest.raises(ValueError):
        graph.impact(None, nodes[0], direction="sideways")


def test_most_depended_on_counts_investments_the_viewer_may_see(world, estate, nodes):
    from orchestrator.planning.models import Investment

    staff = world.people["staff"]
    _chain(estate, nodes, 2, "d")
    investment = services.create_item(
        actor=staff,
        owner=world.team,
        model=Investment,
        title="A draft investment",
        summary="Depends on an element.",
        fields={"discovery_began": timezone.localdate()},
    )
    services.link_items(
        source=investment, target=nodes[2], relation=Relation.DEPENDS_ON, actor=staff
    )
    _, seen_by_staff = graph.single_points_of_failure(staff, estate.model)
    assert {d.node.pk: d.investments for d in seen_by_staff}[nodes[2].pk] == 1
    _, seen_by_anyone = graph.single_points_of_failure(None, estate.model)
    assert {d.node.pk: d.investments for d in seen_by_anyone}[nodes[2].pk] == 0


def test_staff_walk_skips_the_visibility_test_and_relationships_to_relationships(
    world, estate, nodes
):
    _chain(estate, nodes, 2, "s")  # 0 → 1 → 2
    aggregated = Relationship.objects.get(identifier="chains-0")
    # An association from element 3 to the relationship 0 → 1 ends at no element: not walked.
    Relationship.objects.create(
        model=estate.model,
        identifier="to-a-relationship",
        type="Association",
        source=nodes[3],
        target_relationship=aggregated,
        created_by=estate.architect,
    )
    for persona in ("staff", "anonymous"):
        graph.impact(world.people[persona], nodes[3])  # reads the relationships once
        with CaptureQueriesContext(connection) as queries:
            found = graph.impact(world.people[persona], nodes[3])
        assert found.downstream == [] and found.upstream == []
        # Staff and visitors walk against this process's visible sets: the audit head only.
        assert len(queries) == 1
    found = graph.impact(world.people["staff"], nodes[1])
    assert [(r.node.pk, r.distance) for r in found.downstream] == [(nodes[2].pk, 1)]
    assert [(r.node.pk, r.distance) for r in found.upstream] == [(nodes[0].pk, 1)]
    assert found.downstream_layers == [("application", "Application", 1)]
    assert graph.layer_counts([]) == []


def test_a_write_outside_the_architecture_keeps_the_walks_copy(world, estate, nodes):
    from orchestrator.planning.models import Investment

    staff = world.people["staff"]
    _chain(estate, nodes, 1, "k")  # 0 → 1
    graph.impact(staff, nodes[0])
    services.create_item(
        actor=staff,
        owner=world.team,
        model=Investment,
        title="An investment",
        summary="Nothing to do with the relationships.",
        fields={"discovery_began": timezone.localdate()},
    )
    with CaptureQueriesContext(connection) as queries:
        found = graph.impact(staff, nodes[0])
    assert len(found.downstream) == 1
    # The head, the events since and their records' kinds; not the architecture again.
    assert len(queries) == 3
    assert not [q for q in queries.captured_queries if "relationship" in q["sql"].lower()]
