"""Key pages ask the database a fixed number of times, however many links and events a record has."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from orchestrator.core import services

from ..conftest import client_for
from ..factories import published


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def _grow(world, item, n: int) -> None:
    staff, triager = world.people["staff"], world.people["triager"]
    for i in range(n):
        other = published(author=staff, owner=world.team, by=triager, title=f"Other {i}")
        services.link_items(source=item, target=other, relation="depends_on", actor=staff)
        services.link_items(source=other, target=item, relation="references", actor=staff)


def test_the_record_page_query_count_does_not_grow_with_links_or_history(world):
    item = world.records["open"]
    client = client_for(world.people["registered"])
    _grow(world, item, 1)
    before = _queries(client, f"/k/{item.uid}")
    _grow(world, item, 5)
    assert _queries(client, f"/k/{item.uid}") == before


def test_the_api_list_query_count_does_not_grow_with_the_page(world):
    client = client_for(None)
    before = _queries(client, "/api/v1/items?page_size=100")
    _grow(world, world.records["open"], 5)
    assert _queries(client, "/api/v1/items?page_size=100") == before


def test_the_api_item_query_count_does_not_grow_with_links(world):
    item = world.records["open"]
    client = client_for(None)
    _grow(world, item, 1)
    before = _queries(client, f"/api/v1/items/{item.uid}")
    _grow(world, item, 5)
    assert _queries(client, f"/api/v1/items/{item.uid}") == before


def test_the_audit_and_governance_pages_have_a_fixed_number_of_queries(world):
    client = client_for(world.people["member"])
    audit, governance = _queries(client, "/audit"), _queries(client, "/governance")
    _grow(world, world.records["open"], 5)
    assert _queries(client, "/audit") == audit
    assert _queries(client, "/governance") == governance
