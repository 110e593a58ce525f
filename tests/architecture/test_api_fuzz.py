"""Whatever is sent to the architecture's API — bodies to its creates, parameters to its reads — the
answer is never a server error, and nothing of a refused request is kept."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orchestrator.architecture.models import Relationship
from orchestrator.core.models import Item

from ..api.test_api import _bearer
from ..api.test_planning_api import json_values
from .test_pages import build_dsi

FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@pytest.fixture
def dsi(estate, world):
    return build_dsi(estate.architect, estate.model, world)


@pytest.fixture
def token(estate):
    return _bearer(estate.architect)


def _creates(dsi) -> list[str]:
    model = dsi["model"].uid
    return [
        "/api/v1/architecture/models",
        f"/api/v1/architecture/models/{model}/elements",
        "/api/v1/architecture/relationships",
        f"/api/v1/architecture/models/{model}/states",
        f"/api/v1/architecture/models/{model}/states/{dsi['as_is'].pk}/members",
        "/api/v1/architecture/traces",
        f"/api/v1/architecture/elements/{dsi['search'].uid}/designation",
    ]


FIELDS = sorted(
    {"owner", "title", "identifier", "archimate_type", "fields", "source", "target", "type"}
    | {"access_type", "modifier", "is_directed", "name", "kind", "elements", "remove"}
    | {"relation", "designation", "decision", "summary"}
)


@given(
    which=st.integers(min_value=0, max_value=6),
    body=st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=6),
)
@FUZZ
def test_no_body_sent_to_the_architecture_is_a_server_error(dsi, token, which, body):
    before = (Item.objects.count(), Relationship.objects.count())
    response = Client().post(
        _creates(dsi)[which], json.dumps(body), content_type="application/json", **token
    )
    assert response.status_code in (200, 201, 403, 404, 409, 422), response.content
    if response.status_code >= 400:
        assert (Item.objects.count(), Relationship.objects.count()) == before


READS = ["gap", "relationships", "neighbourhood", "impact", "analysis"]
PARAMS = ["before", "after", "offset", "limit", "depth", "types", "layers", "direction"]


@given(
    read=st.sampled_from(READS),
    params=st.dictionaries(st.sampled_from(PARAMS), st.text(max_size=12), max_size=4),
)
@FUZZ
def test_no_query_string_sent_to_the_architecture_is_a_server_error(dsi, read, params):
    model, element = dsi["model"].uid, dsi["catalogue"].uid
    path = {
        "gap": f"/api/v1/architecture/models/{model}/gap",
        "relationships": f"/api/v1/architecture/models/{model}/relationships",
        "neighbourhood": f"/api/v1/architecture/elements/{element}/neighbourhood",
        "impact": f"/api/v1/architecture/elements/{element}/impact",
        "analysis": f"/api/v1/architecture/models/{model}/analysis",
    }[read]
    response = Client().get(path, params)
    assert response.status_code in (200, 400, 404, 422), response.content
