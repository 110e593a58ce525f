"""The API: visibility-aware reads, token-authenticated writes, and clear 4xx errors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from orchestrator.api import services as tokens
from orchestrator.api.models import ApiToken
from orchestrator.core.models import Item, Status

from ..conftest import client_for


def _bearer(user) -> dict[str, str]:
    _, token = tokens.create_token(actor=user, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_tokens_are_stored_hashed(world):
    record, token = tokens.create_token(actor=world.people["staff"], name="script")
    stored = ApiToken.objects.get(pk=record.pk)
    assert token not in (stored.key_hash, stored.prefix)
    assert stored.key_hash == tokens.hash_token(token)


def test_a_token_reads_as_its_user(world):
    closed = world.records["closed"]
    assert Client().get(f"/api/v1/items/{closed.uid}").status_code == 404
    response = Client().get(f"/api/v1/items/{closed.uid}", **_bearer(world.people["staff"]))
    assert response.status_code == 200
    assert response.json()["dublin_core"]["rights"].startswith("Closed")


def test_a_wrong_or_revoked_token_is_a_401_not_anonymous(world):
    response = Client().get("/api/v1/items", HTTP_AUTHORIZATION="Bearer orch_nope")
    assert response.status_code == 401 and "not valid" in response.json()["detail"]
    record, token = tokens.create_token(actor=world.people["staff"], name="old")
    tokens.revoke_token(actor=world.people["staff"], token=record)
    assert Client().get("/api/v1/items", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_the_item_has_its_fifteen_dublin_core_elements(world):
    data = Client().get(f"/api/v1/items/{world.records['open'].uid}").json()
    assert set(data["dublin_core"]) == {
        "title",
        "creator",
        "subject",
        "description",
        "publisher",
        "contributor",
        "date",
        "type",
        "format",
        "identifier",
        "source",
        "language",
        "relation",
        "coverage",
        "rights",
    }
    assert "Open Government Licence" in data["dublin_core"]["rights"]


@pytest.mark.parametrize(
    "query",
    [
        "?colour=blue",
        "?page=0",
        "?page=abc",
        "?page_size=1000",
        "?kind=nonsense",
        "?page=99999999999999999999",
    ],
)
def test_unknown_or_malformed_parameters_are_a_422_with_detail(world, query):
    response = Client().get(f"/api/v1/items{query}")
    assert response.status_code == 422
    assert response.json()["detail"]


def test_the_list_filters_by_kind_and_paginates(world):
    data = Client().get("/api/v1/items?kind=document&page_size=1&page=1").json()
    assert data["count"] == 1 and data["pages"] == 1 and len(data["items"]) == 1
    staff = _bearer(world.people["staff"])
    data = Client().get("/api/v1/items?page_size=2&page=3", **staff).json()
    assert data["count"] == 5 and data["pages"] == 3 and len(data["items"]) == 1


def test_writing_needs_a_token(world):
    response = Client().post(
        "/api/v1/items", {"owner": "product-team", "title": "x"}, content_type="application/json"
    )
    assert response.status_code == 401


def test_create_triage_publish_through_the_api(world):
    staff, triager = _bearer(world.people["staff"]), _bearer(world.people["triager"])
    created = Client().post(
        "/api/v1/items",
        {"owner": "product-team", "title": "Via the API"},
        content_type="application/json",
        **staff,
    )
    assert created.status_code == 201
    uid = created.json()["uid"]
    assert created.json()["status"] == Status.DRAFT
    refused = Client().post(f"/api/v1/items/{uid}/publish", **triager)
    assert refused.status_code == 409 and "not been triaged" in refused.json()["detail"]
    review = (timezone.localdate() + dt.timedelta(days=60)).isoformat()
    bad = Client().post(
        f"/api/v1/items/{uid}/triage",
        {"outcome": "closed", "review_by": review},
        content_type="application/json",
        **triager,
    )
    assert bad.status_code == 422 and "rationale" in bad.json()["detail"]
    bad_level = Client().post(
        f"/api/v1/items/{uid}/triage",
        {"outcome": "secret", "review_by": review},
        content_type="application/json",
        **triager,
    )
    assert bad_level.status_code == 422 and "outcome" in bad_level.json()["detail"]
    ok = Client().post(
        f"/api/v1/items/{uid}/triage",
        {"outcome": "open", "review_by": review},
        content_type="application/json",
        **triager,
    )
    assert ok.status_code == 200
    assert Client().post(f"/api/v1/items/{uid}/publish", **triager).status_code == 200
    assert Client().get(f"/api/v1/items/{uid}").status_code == 200


def test_a_stale_version_is_a_409_showing_the_newer_version(world):
    uid = world.records["open"].uid
    staff = _bearer(world.people["staff"])
    first = Client().patch(
        f"/api/v1/items/{uid}",
        {"version": 1, "title": "First"},
        content_type="application/json",
        **staff,
    )
    assert first.status_code == 200 and first.json()["version"] == 2
    second = Client().patch(
        f"/api/v1/items/{uid}",
        {"version": 1, "title": "Second"},
        content_type="application/json",
        **staff,
    )
    assert second.status_code == 409
    assert second.json()["current"]["title"] == "First"
    assert Item.objects.get(uid=uid).title == "First"


def test_writing_to_a_hidden_record_is_a_404_and_to_a_visible_one_without_rights_a_403(world):
    outsider = _bearer(world.people["outsider"])
    closed, open_ = world.records["closed"], world.records["open"]
    hidden = Client().patch(
        f"/api/v1/items/{closed.uid}",
        {"version": 1, "title": "x"},
        content_type="application/json",
        **outsider,
    )
    assert hidden.status_code == 404
    seen = Client().patch(
        f"/api/v1/items/{open_.uid}",
        {"version": 1, "title": "x"},
        content_type="application/json",
        **outsider,
    )
    assert seen.status_code == 403


def test_malformed_json_is_a_4xx_not_a_500(world):
    response = Client().post(
        "/api/v1/items",
        "{not json",
        content_type="application/json",
        **_bearer(world.people["staff"]),
    )
    assert 400 <= response.status_code < 500


def test_a_body_over_one_megabyte_is_refused(world):
    response = Client().post(
        "/api/v1/items",
        {"owner": "product-team", "title": "Big", "body": "x" * 1_050_000},
        content_type="application/json",
        **_bearer(world.people["staff"]),
    )
    assert response.status_code == 422 and "1 MB" in str(response.json()["detail"])
    assert not Item.objects.filter(title="Big").exists()


def test_the_openapi_schema_describes_the_items_endpoints(db):
    schema = client_for(None).get("/api/v1/openapi.json").json()
    assert "/api/v1/items" in schema["paths"] and "/api/v1/items/{uid}" in schema["paths"]


def test_a_request_over_the_upload_limit_is_a_400_with_json(world):
    response = Client().post(
        "/api/v1/items",
        {"owner": "product-team", "title": "Huge", "body": "x" * 1_300_000},
        content_type="application/json",
        **_bearer(world.people["staff"]),
    )
    assert response.status_code == 400
    assert "1 MB" in response.json()["detail"]
    assert not Item.objects.filter(title="Huge").exists()


def test_linking_through_the_api(world):
    staff = _bearer(world.people["staff"])
    source, target = world.records["open"], world.records["closed"]
    made = Client().post(
        f"/api/v1/items/{source.uid}/links",
        {"relation": "affects", "target": target.uid},
        content_type="application/json",
        **staff,
    )
    assert made.status_code == 201
    assert [link["uid"] for link in made.json()["links"]] == [target.uid]
    # Anonymous readers of the open record do not see the link to the closed one.
    assert Client().get(f"/api/v1/items/{source.uid}").json()["links"] == []
    outsider = _bearer(world.people["outsider"])
    hidden = Client().post(
        f"/api/v1/items/{world.records['registered'].uid}/links",
        {"relation": "affects", "target": target.uid},
        content_type="application/json",
        **outsider,
    )
    assert hidden.status_code == 404
    bad = Client().post(
        f"/api/v1/items/{source.uid}/links",
        {"relation": "likes", "target": world.records["registered"].uid},
        content_type="application/json",
        **staff,
    )
    assert bad.status_code == 422 and "relation" in bad.json()["detail"]


@pytest.mark.parametrize("field", ["title", "summary", "body", "subject"])
def test_a_null_field_is_a_422_and_nothing_changes(world, field):
    item = world.records["open"]
    response = Client().patch(
        f"/api/v1/items/{item.uid}",
        {"version": 1, field: None},
        content_type="application/json",
        **_bearer(world.people["staff"]),
    )
    assert response.status_code == 422 and field in response.json()["detail"]
    assert Item.objects.get(pk=item.pk).version == 1


def test_nul_characters_are_refused_with_a_422_on_every_database(world):
    staff, triager = _bearer(world.people["staff"]), _bearer(world.people["triager"])
    created = Client().post(
        "/api/v1/items",
        {"owner": "product-team", "title": "Nul\x00"},
        content_type="application/json",
        **staff,
    )
    assert created.status_code == 422 and "NUL" in str(created.json()["detail"])
    surrogate = Client().post(
        "/api/v1/items",
        '{"owner": "product-team", "title": "x\\ud800"}',
        content_type="application/json",
        **staff,
    )
    assert surrogate.status_code == 422 and "title" in str(surrogate.json()["detail"])
    uid = world.records["draft"].uid
    review = (timezone.localdate() + dt.timedelta(days=60)).isoformat()
    triage = Client().post(
        f"/api/v1/items/{uid}/triage",
        {
            "outcome": "closed",
            "rationale": "x\x00",
            "review_by": review,
            "sensitivities": [{"category": "security", "finding": "y"}],
        },
        content_type="application/json",
        **triager,
    )
    assert triage.status_code == 422


def test_each_request_schema_has_a_name_of_its_own(db):
    """OpenAPI names a body or query schema by its class: two classes of one name would leave
    one endpoint described by the other's fields."""
    import importlib
    import inspect
    import pkgutil

    from ninja import Schema

    import orchestrator.api

    where: dict[str, list[str]] = {}
    for module in pkgutil.iter_modules(orchestrator.api.__path__):
        loaded = importlib.import_module(f"orchestrator.api.{module.name}")
        for obj in vars(loaded).values():
            if (
                inspect.isclass(obj)
                and issubclass(obj, Schema)
                and obj.__module__ == loaded.__name__
            ):
                where.setdefault(obj.__name__, []).append(loaded.__name__)
    assert {name: modules for name, modules in where.items() if len(modules) > 1} == {}
    schema = Client().get("/api/v1/openapi.json").json()
    body = schema["paths"]["/api/v1/solution-architectures/{uid}/elements"]["post"]["requestBody"]
    ref = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert "refines" in schema["components"]["schemas"][ref]["properties"]
