"""Each record's JSON twin: /k/<uid>.json, and /k/<uid> asked for with Accept: application/json."""

from __future__ import annotations

import pytest
from django.test import Client

from ..conftest import client_for
from .conftest import token_for

PERSONAS = ["anonymous", "registered", "member", "staff", "author"]
RECORDS = ["open", "registered", "restricted", "closed", "draft"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_twin_is_the_apis_body_for_every_record_the_reader_may_see(world, persona):
    client = client_for(world.people[persona])
    for record in RECORDS:
        item = world.records[record]
        api = client.get(f"/api/v1/items/{item.uid}")
        twin = client.get(f"/k/{item.uid}.json")
        negotiated = client.get(f"/k/{item.uid}", HTTP_ACCEPT="application/json")
        assert twin.status_code == negotiated.status_code == api.status_code, record
        assert twin.content == negotiated.content == api.content, record
        assert twin["Content-Type"] == api["Content-Type"]
        if api.status_code == 404:
            assert twin.json() == {"detail": "Not found"}


def test_a_hidden_missing_or_malformed_record_is_a_json_404(world):
    client = Client()
    for uid in (world.records["closed"].uid, "0000000000", "not-a-uid", "x" * 200):
        for response in (
            client.get(f"/k/{uid}.json"),
            client.get(f"/k/{uid}", HTTP_ACCEPT="application/json"),
        ):
            assert response.status_code == 404
            assert response["Content-Type"] == "application/json; charset=utf-8"
            assert response.json() == {"detail": "Not found"}
            assert world.records["closed"].title not in response.text


def test_a_token_reads_the_twin_as_its_holder_and_a_bad_one_is_refused(world):
    item = world.records["restricted"]
    token = token_for(world.people["member"])
    response = Client().get(f"/k/{item.uid}.json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert response.json()["title"] == item.title
    response = Client().get(f"/k/{item.uid}.json", HTTP_AUTHORIZATION="Bearer orch_wrong")
    assert response.status_code == 401
    assert "detail" in response.json()


@pytest.mark.parametrize(
    "accept",
    [
        None,
        "text/html",
        "*/*",
        "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "application/json;q=0.5, text/html",
    ],
)
def test_browsers_still_get_the_page_which_points_at_its_twin(world, accept):
    item = world.records["open"]
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    response = Client().get(f"/k/{item.uid}", **headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Accept" in response["Vary"]
    twin = f"/k/{item.uid}.json"
    assert f'<link rel="alternate" type="application/json" href="{twin}">' in response.text
    assert response["Link"] == f'<{twin}>; rel="alternate"; type="application/json"'


def test_json_wins_when_preferred_and_every_variant_says_it_varies(world):
    item = world.records["open"]
    response = Client().get(f"/k/{item.uid}", HTTP_ACCEPT="text/html;q=0.5, application/json")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "Accept" in response["Vary"]
    hidden = Client().get(f"/k/{world.records['closed'].uid}")
    assert hidden.status_code == 404
    assert "Accept" in hidden["Vary"]
