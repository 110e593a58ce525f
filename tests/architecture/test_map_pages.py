"""The dependency map, impact and analysis pages, a view's diagram and their API, for each persona:
a hidden element is a 404 and a hidden neighbour is absent everywhere; bad parameters are a 400."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pytest

from orchestrator.architecture import services
from orchestrator.architecture.models import Element, View
from orchestrator.core import services as core_services

from ..conftest import client_for
from ..factories import publish

PERSONAS = ["anonymous", "registered", "member", "outsider", "staff", "author"]
# Only Orchestrator staff see the Architecture Team's drafts.
SEES_DRAFTS = {"staff"}
HIDDEN = "Hidden substation telemetry"


@dataclass
class Estate:
    model: object
    a: Element  # serves b and h
    b: Element
    c: Element  # reached from a only through h
    h: Element  # a draft
    view: View


@pytest.fixture
def mapped(world, estate) -> Estate:
    architect, triager = estate.architect, world.people["triager"]
    publish(estate.model, by=triager)

    def element(title, kind="ApplicationComponent", *, published=True):
        made = services.create_element(
            actor=architect, model=estate.model, archimate_type=kind, title=title, summary="S"
        )
        if published:
            publish(made, by=triager)
        return Element.objects.get(pk=made.pk)

    a = element("Market data hub")
    b = element("Settlement service", "ApplicationService")
    c = element("Meter registry")
    h = element(HIDDEN, published=False)
    services.relate(actor=architect, source=a, target=b, type="Serving", identifier="r-ab")
    services.relate(actor=architect, source=a, target=h, type="Flow", identifier="r-ah")
    services.relate(actor=architect, source=h, target=c, type="Flow", identifier="r-hc")
    services.relate(actor=architect, source=c, target=a, type="Flow", identifier="r-ca")
    content = {
        "nodes": [
            {
                "identifier": "n-group",
                "type": "Container",
                "x": 0,
                "y": 0,
                "w": 500,
                "h": 300,
                "label": {"en": "Market systems"},
                "children": [
                    {
                        "identifier": "n-a",
                        "type": "Element",
                        "elementRef": a.identifier,
                        "x": 20,
                        "y": 40,
                        "w": 120,
                        "h": 55,
                        "style": {"fillColor": {"r": 23, "g": 200, "b": 255}},
                        "children": [],
                    },
                    {
                        "identifier": "n-h",
                        "type": "Element",
                        "elementRef": h.identifier,
                        "x": 300,
                        "y": 40,
                        "w": 120,
                        "h": 55,
                        "children": [],
                    },
                ],
            },
            {
                "identifier": "n-b",
                "type": "Element",
                "elementRef": b.identifier,
                "x": 20,
                "y": 200,
                "w": 120,
                "h": 55,
                "children": [],
            },
        ],
        "connections": [
            {
                "identifier": "c-ab",
                "type": "Relationship",
                "relationshipRef": "r-ab",
                "source": "n-a",
                "target": "n-b",
                "bendpoints": [{"x": 200, "y": 120}],
            },
            {
                "identifier": "c-ah",
                "type": "Relationship",
                "relationshipRef": "r-ah",
                "source": "n-a",
                "target": "n-h",
                "bendpoints": [],
            },
        ],
    }
    view = core_services.create_item(
        actor=architect,
        owner=estate.team,
        model=View,
        title="Market systems view",
        summary="The market's systems.",
        fields={"model": estate.model, "identifier": "view-1", "content": content},
        permission="architecture.maintain",
    )
    publish(view, by=triager)
    return Estate(estate.model, a, b, c, h, View.objects.get(pk=view.pk))


def _map_data(response) -> dict:
    found = re.search(
        r'<script id="map-data" type="application/json">(.*?)</script>', response.text, re.S
    )
    assert found, "the map's data is embedded"
    return json.loads(found.group(1))


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_map_shows_only_what_the_persona_may_see(world, mapped, persona):
    client = client_for(world.people[persona])
    response = client.get(f"/k/{mapped.a.uid}/map?depth=2")
    assert response.status_code == 200
    data = _map_data(response)
    uids = {n["data"]["id"] for n in data["nodes"]}
    rows = re.findall(r'<tr class="govuk-table__row" data-uid="([^"]+)"', response.text)
    assert set(rows) == uids and len(rows) == len(uids)
    if persona in SEES_DRAFTS:
        assert uids == {mapped.a.uid, mapped.b.uid, mapped.c.uid, mapped.h.uid}
        assert HIDDEN in response.text
    else:
        # c is still there: it serves a directly (c → a); only the path through h is gone.
        assert uids == {mapped.a.uid, mapped.b.uid, mapped.c.uid}
        assert HIDDEN not in response.text and mapped.h.uid not in response.text
        for edge in data["edges"]:
            assert mapped.h.uid not in (edge["data"]["source"], edge["data"]["target"])
    hidden = client.get(f"/k/{mapped.h.uid}/map")
    assert hidden.status_code == (200 if persona in SEES_DRAFTS else 404)


@pytest.mark.parametrize("persona", PERSONAS)
def test_impact_lists_upstream_and_downstream_with_distances(world, mapped, persona):
    client = client_for(world.people[persona])
    response = client.get(f"/k/{mapped.a.uid}/impact")
    assert response.status_code == 200
    text = response.text
    downstream = re.findall(
        r'data-uid="([^"]+)">.*?numeric">(\d+)</td>',
        text.split('id="downstream-table"')[1].split("</table>")[0],
    )
    if persona in SEES_DRAFTS:
        assert dict(downstream) == {
            mapped.b.uid: "1",
            mapped.h.uid: "1",
            mapped.c.uid: "2",
        }
    else:
        assert dict(downstream) == {mapped.b.uid: "1"}
        assert HIDDEN not in text
    assert "Upstream" in text
    api = client.get(f"/api/v1/architecture/elements/{mapped.a.uid}/impact")
    assert api.status_code == 200
    body = api.json()
    assert body["downstream_count"] == len(downstream)
    assert {r["uid"] for r in body["upstream"]} == {mapped.c.uid} | (
        {mapped.h.uid} if persona in SEES_DRAFTS else set()
    )
    hidden = client.get(f"/k/{mapped.h.uid}/impact")
    assert hidden.status_code == (200 if persona in SEES_DRAFTS else 404)
    hidden_api = client.get(f"/api/v1/architecture/elements/{mapped.h.uid}/impact")
    assert hidden_api.status_code == (200 if persona in SEES_DRAFTS else 404)
    if hidden_api.status_code == 404:
        assert hidden_api.json() == {"detail": "Not found"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_analysis_finds_the_cycle_and_single_points_of_failure(world, mapped, persona):
    client = client_for(world.people[persona])
    response = client.get(f"/k/{mapped.model.uid}/analysis")
    assert response.status_code == 200
    api = client.get(f"/api/v1/architecture/models/{mapped.model.uid}/analysis").json()
    points = {n["uid"] for n in api["single_points_of_failure"]}
    cycles = [{n["uid"] for n in c} for c in api["cycles"]]
    if persona in SEES_DRAFTS:
        assert cycles == [{mapped.a.uid, mapped.h.uid, mapped.c.uid}]
        assert points == {mapped.a.uid}
    else:
        assert cycles == []  # the cycle runs through the hidden element
        assert points == {mapped.a.uid}  # b and c hang off a
        assert HIDDEN not in response.text
        assert api["elements"] == 3
    assert 'id="cycles"' in response.text
    assert client.get(f"/k/{mapped.a.uid}/analysis").status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_views_diagram_leaves_out_hidden_elements_and_their_connections(world, mapped, persona):
    response = client_for(world.people[persona]).get(f"/k/{mapped.view.uid}")
    assert response.status_code == 200
    text = response.text
    svg = text.split('<svg viewBox="')[1].split("</svg>")[0] if '<svg viewBox="' in text else ""
    assert 'role="img"' in svg and "<title" in svg
    # Names wrap to fit their boxes, a line to a <text>.
    assert ">Market data hub<" in svg and ">Settlement<" in svg and ">Market systems<" in svg
    # Children are drawn where their (absolute) coordinates say, over their container.
    assert '<rect x="20.0" y="40.0" width="120.0" height="55.0" fill="#17c8ff"' in svg
    assert svg.index('data-node="n-group"') < svg.index('data-node="n-a"')
    connections = re.findall(r'data-connection="([^"]+)" points="([^"]+)"', svg)
    if persona in SEES_DRAFTS:
        assert ">Hidden<" in svg and ">substation<" in svg
        assert {c for c, _ in connections} == {"c-ab", "c-ah"}
    else:
        assert HIDDEN not in text and 'data-node="n-h"' not in svg
        assert {c for c, _ in connections} == {"c-ab"}
    # The polyline goes through its bendpoint.
    assert "200,120" in dict(connections)["c-ab"].split()
    assert 'id="view-elements"' in text and 'id="view-relationships"' in text


@pytest.mark.parametrize(
    "query, field",
    [
        ("depth=9", "depth"),
        ("depth=0", "depth"),
        ("depth=two", "depth"),
        ("depth=%00", "depth"),
        ("types=Bogus", "types"),
        ("types=%00", "types"),
        ("layers=sideways", "layers"),
        ("colour=blue", None),
    ],
)
def test_bad_map_parameters_are_a_400_with_the_message(world, mapped, query, field):
    client = client_for(None)
    response = client.get(f"/k/{mapped.a.uid}/map?{query}")
    assert response.status_code == 400
    assert "There is a problem" in response.text
    if field:
        assert f'id="id_{field}' in response.text and "govuk-error-message" in response.text
    api = client.get(f"/api/v1/architecture/elements/{mapped.a.uid}/neighbourhood?{query}")
    assert api.status_code in (400, 422)
    assert "detail" in api.json()
    if field:
        assert field in json.dumps(api.json()["detail"])


def test_bad_impact_direction_is_a_400(world, mapped):
    client = client_for(None)
    assert client.get(f"/k/{mapped.a.uid}/impact?direction=sideways").status_code == 400
    api = client.get(f"/api/v1/architecture/elements/{mapped.a.uid}/impact?direction=%00")
    assert api.status_code == 422
    assert "direction" in api.json()["detail"]


def test_the_neighbourhood_api_filters_and_hides(world, mapped):
    client = client_for(None)
    url = f"/api/v1/architecture/elements/{mapped.a.uid}/neighbourhood"
    body = client.get(url, {"depth": 2}).json()
    assert {n["uid"] for n in body["nodes"]} == {mapped.a.uid, mapped.b.uid, mapped.c.uid}
    assert mapped.h.uid not in json.dumps(body)
    serving = client.get(url, {"types": "Serving,Triggering"}).json()
    assert {n["uid"] for n in serving["nodes"]} == {mapped.a.uid, mapped.b.uid}
    staff = client_for(world.people["staff"]).get(url, {"layers": "application"}).json()
    assert mapped.h.uid in {n["uid"] for n in staff["nodes"]}
    assert (
        client.get(f"/api/v1/architecture/elements/{mapped.h.uid}/neighbourhood").status_code == 404
    )
    not_an_element = world.records["open"].uid
    assert (
        client.get(f"/api/v1/architecture/elements/{not_an_element}/neighbourhood").status_code
        == 404
    )
    assert client.get(f"/k/{not_an_element}/map").status_code == 404
    assert client.get("/api/v1/architecture/models/nonsense/analysis").status_code == 404


def test_the_map_form_keeps_the_choices(world, mapped):
    response = client_for(None).get(
        f"/k/{mapped.a.uid}/map", {"depth": 3, "types": ["Serving"], "layers": ["application"]}
    )
    assert response.status_code == 200
    assert 'value="3"' in response.text
    assert re.search(r'value="Serving"[^>]*checked', response.text)
    assert {n["data"]["id"] for n in _map_data(response)["nodes"]} == {
        mapped.a.uid,
        mapped.b.uid,
    }


def test_impact_pages_its_lists_and_keeps_the_whole_counts(world, mapped, monkeypatch):
    from orchestrator.architecture import graph

    monkeypatch.setattr(graph, "IMPACT_PAGE", 2)
    client = client_for(world.people["staff"])
    first = client.get(f"/k/{mapped.a.uid}/impact")
    assert first.status_code == 200
    table = first.text.split('id="downstream-table"')[1].split("</table>")[0]
    # Nearest first: b and h at distance 1 (by title), then c at 2 on the next page.
    assert re.findall(r'data-uid="([^"]+)"', table) == [mapped.h.uid, mapped.b.uid]
    assert '<span id="downstream-count">3</span>' in first.text
    assert "Elements downstream 1 to 2 of 3, nearest first." in first.text
    assert "of the elements you can see" in first.text
    assert 'id="downstream-layers"' in first.text and "Application: 3" in first.text
    assert "downstream_page=2#downstream" in first.text
    second = client.get(f"/k/{mapped.a.uid}/impact", {"downstream_page": 2})
    table = second.text.split('id="downstream-table"')[1].split("</table>")[0]
    assert re.findall(r'data-uid="([^"]+)"', table) == [mapped.c.uid]
    assert "Elements downstream 3 to 3 of 3" in second.text
    beyond = client.get(f"/k/{mapped.a.uid}/impact", {"downstream_page": 9})
    assert beyond.status_code == 200 and "3 to 3 of 3" in beyond.text
    for bad in ({"downstream_page": 0}, {"upstream_page": "two"}, {"page": 2}):
        assert client.get(f"/k/{mapped.a.uid}/impact", bad).status_code == 400

    url = f"/api/v1/architecture/elements/{mapped.a.uid}/impact"
    whole = client.get(url).json()
    assert whole["limit"] == 2 and whole["offset"] == 0 and whole["downstream_count"] == 3
    assert whole["downstream_layers"] == [{"layer": "application", "count": 3}]
    assert [r["distance"] for r in whole["downstream"]] == [1, 1]
    rest = client.get(url, {"offset": 2, "limit": 5}).json()
    assert [r["uid"] for r in rest["downstream"]] == [mapped.c.uid] and rest["upstream"] == []
    listed = [r["uid"] for r in whole["downstream"]] + [r["uid"] for r in rest["downstream"]]
    assert sorted(listed) == sorted([mapped.b.uid, mapped.c.uid, mapped.h.uid])
    for bad in ({"offset": -1}, {"limit": 0}, {"limit": 1001}, {"limit": "%00"}, {"page": 1}):
        response = client.get(url, bad)
        assert response.status_code == 422 and "detail" in response.json()


def test_a_visitors_counts_leave_out_what_they_may_not_see(world, mapped):
    body = client_for(None).get(f"/api/v1/architecture/elements/{mapped.a.uid}/impact").json()
    assert body["downstream_count"] == 1 and body["upstream_count"] == 1
    assert body["downstream_layers"] == [{"layer": "application", "count": 1}]
    assert mapped.h.uid not in json.dumps(body)
