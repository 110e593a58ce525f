"""The architecture API: building a model, ArchiMate's rules as 422s, states, gap analysis, visibility."""

from __future__ import annotations

import json

from django.test import Client

from orchestrator.architecture.models import Element, Relationship

from ..api.test_api import _bearer
from ..factories import decided
from .test_pages import dsi  # noqa: F401  (fixture)


def _post(client, url, data, headers):
    return client.post(url, json.dumps(data), content_type="application/json", **headers)


def test_an_architect_builds_a_model_through_the_api(estate):
    client, auth = Client(), _bearer(estate.architect)
    model = _post(
        client,
        "/api/v1/architecture/models",
        {"owner": estate.team.slug, "title": "Flexibility", "identifier": "flex-ea"},
        auth,
    )
    assert model.status_code == 201, model.content
    uid = model.json()["uid"]
    a = _post(
        client,
        f"/api/v1/architecture/models/{uid}/elements",
        {"archimate_type": "ApplicationComponent", "title": "Flexibility register"},
        auth,
    )
    b = _post(
        client,
        f"/api/v1/architecture/models/{uid}/elements",
        {
            "archimate_type": "Requirement",
            "title": "Register every flexible asset",
            "fields": {"category": "functional", "acceptance_criterion": "All assets listed."},
        },
        auth,
    )
    assert a.status_code == b.status_code == 201
    assert b.json()["kind"] == "requirement"
    rel = _post(
        client,
        "/api/v1/architecture/relationships",
        {"source": a.json()["uid"], "target": b.json()["uid"], "type": "Realization"},
        auth,
    )
    assert rel.status_code == 201 and rel.json()["type"] == "Realization"


def test_a_forbidden_relationship_is_a_422_naming_the_rule(estate):
    client, auth = Client(), _bearer(estate.architect)
    uid = estate.model.uid
    goal = _post(
        client,
        f"/api/v1/architecture/models/{uid}/elements",
        {"archimate_type": "Goal", "title": "G"},
        auth,
    ).json()["uid"]
    data = _post(
        client,
        f"/api/v1/architecture/models/{uid}/elements",
        {"archimate_type": "DataObject", "title": "D"},
        auth,
    ).json()["uid"]
    page = _post(
        client,
        "/api/v1/architecture/relationships",
        {"source": goal, "target": data, "type": "Access"},
        auth,
    )
    assert page.status_code == 422
    assert "Access goes from behaviour" in json.dumps(page.json())
    assert not Relationship.objects.exists()


def test_unknown_type_and_others_writing_are_refused(estate, world):
    client = Client()
    uid = estate.model.uid
    page = _post(
        client,
        f"/api/v1/architecture/models/{uid}/elements",
        {"archimate_type": "Spaceship", "title": "X"},
        _bearer(estate.architect),
    )
    assert page.status_code == 422
    page = _post(
        client,
        f"/api/v1/architecture/models/{uid}/elements",
        {"archimate_type": "Node", "title": "X"},
        _bearer(world.people["staff"]),
    )
    assert page.status_code == 403
    assert not Element.objects.exists()


def test_gap_analysis_in_the_api_hides_what_the_caller_may_not_see(dsi, world):  # noqa: F811
    url = f"/api/v1/architecture/models/{dsi['model'].uid}/gap?before={dsi['as_is'].pk}&after={dsi['to_be'].pk}"
    public = Client().get(url).json()
    assert dsi["secret"].uid not in json.dumps(public)
    assert set(public["added"]) == {dsi["search"].uid, dsi["registry"].uid}
    staff = Client().get(url, **_bearer(world.people["staff"])).json()
    assert staff["removed"] == [dsi["secret"].uid]
    assert Client().get(url.replace("before=", "before=9")).status_code == 404


def test_relationships_list_only_those_with_both_ends_visible(dsi, world):  # noqa: F811
    url = f"/api/v1/architecture/models/{dsi['model'].uid}/relationships"
    assert len(Client().get(url).json()) == 1
    assert len(Client().get(url, **_bearer(world.people["staff"])).json()) == 2


def test_a_designation_naming_a_record_that_is_not_a_decision_taken_is_a_422(dsi, world):  # noqa: F811
    client, auth = Client(), _bearer(world.people["staff"])
    url = f"/api/v1/architecture/elements/{dsi['search'].uid}/designation"
    response = _post(
        client, url, {"designation": "shared", "decision": world.records["open"].uid}, auth
    )
    assert response.status_code == 422
    assert response.json()["detail"] == {
        "designated_by": ["Name a decision that has been taken: “The open record” is a document."]
    }
    assert Element.objects.get(pk=dsi["search"].pk).designated_by is None
    taken = decided(owner=world.people["staff"], by=world.people["triager"])
    response = _post(client, url, {"designation": "shared", "decision": taken.uid}, auth)
    assert response.status_code == 200, response.content
    assert response.json()["attributes"]["sdi_designation"] == "shared"
