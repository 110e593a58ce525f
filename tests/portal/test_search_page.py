"""The search page: the "last changed" facet, and a fixed number of queries however many match."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from orchestrator.core import search
from orchestrator.core.models import Item

from ..conftest import client_for
from ..factories import published


def _age(item, days: int) -> None:
    Item.objects.filter(pk=item.pk).update(updated_at=timezone.now() - dt.timedelta(days=days))


def test_the_last_changed_facet_counts_and_narrows(world):
    _age(world.records["open"], 60)
    fresh = published(
        author=world.people["staff"],
        owner=world.team,
        by=world.people["triager"],
        title="A fresh record",
    )
    client = client_for(None)
    page = client.get("/search?q=record").content.decode()
    facet = page.split("Last changed")[1].split("</ul>")[0]
    assert "In the last week (1)" in facet and "In the last year (2)" in facet
    narrowed = client.get("/search?q=record&changed=week").content.decode()
    # Titles are shown with the matched word marked.
    assert "A fresh <mark>record</mark>" in narrowed and "The open <mark>" not in narrowed
    assert fresh.title
    assert "1 result for" in narrowed
    # A window nobody offered narrows nothing.
    assert "The open <mark>" in client.get("/search?q=record&changed=decade").content.decode()


def test_the_facet_counts_only_visible_records(world):
    staff = search.results(world.people["staff"], "record").facets()["changed"]
    anonymous = search.results(None, "record").facets()["changed"]
    assert dict(staff)["day"] == 5 and dict(anonymous)["day"] == 1


def test_the_changed_filter_applies_past_the_candidates_too(world, monkeypatch):
    # With fewer candidates than matches, later pages rank every match in the database.
    monkeypatch.setattr(search, "CANDIDATES", 1)
    monkeypatch.setattr(search, "MIN_SAMPLE", 1)
    for i in range(3):
        published(
            author=world.people["staff"],
            owner=world.team,
            by=world.people["triager"],
            title=f"Record {i}",
        )
    _age(world.records["open"], 60)
    found = search.results(None, "record", {"changed": "week"})
    everything = [item.pk for item in found[0:10]]
    assert world.records["open"].pk not in everything
    assert len(everything) == 3


def _page_queries(client, path: str) -> tuple[int, int]:
    """The page's queries apart from finding the candidates, and the candidate searches. On
    PostgreSQL `_pg_candidates` searches one, two or three ranges of ids (each in a transaction
    of its own planner settings), as the ids and the share of matches fall: a bounded number,
    but not one fixed by the matches alone."""
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    sql = [q["sql"] for q in ctx.captured_queries]
    searching = [
        s for s in sql if s.startswith(("SET LOCAL", "SAVEPOINT", "RELEASE SAVEPOINT"))
        or ("core_searchentry" in s and "to_tsquery" in s)
    ]  # fmt: skip
    candidates = sum("to_tsquery" in s for s in searching)
    return len(sql) - len(searching), candidates


@pytest.fixture(params=["new ids", "ids a long way on"])
def ids(request, db):
    """Records numbered from the start, or as after many other tests (PostgreSQL does not wind a
    sequence back with a rolled-back test): how far the search walks back depends on the ids."""
    if request.param == "new ids" and connection.vendor == "postgresql":
        # Wound back to just past the records there are: a full run's rolled-back tests have
        # taken more than 100,000 ids by the time this one runs.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('core_item', 'id'),"
                " COALESCE((SELECT MAX(id) FROM core_item), 0) + 1, false)"
            )
    if request.param == "ids a long way on":
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT setval(pg_get_serial_sequence('core_item', 'id'), 100000)")
            else:
                # AUTOINCREMENT numbers from the table's row in sqlite_sequence.
                cursor.execute("DELETE FROM sqlite_sequence WHERE name = 'core_item'")
                cursor.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES ('core_item', 100000)"
                )
    return request.param


def test_the_search_page_asks_a_fixed_number_of_queries(ids, world):
    assert (world.records["open"].pk > 100_000) == (ids == "ids a long way on")
    client = client_for(world.people["registered"])
    before, _ = _page_queries(client, "/search?q=record")
    for i in range(15):
        published(
            author=world.people["staff"],
            owner=world.team,
            by=world.people["triager"],
            title=f"Record {i}",
        )
    after, candidates = _page_queries(client, "/search?q=record")
    assert after == before and candidates <= 3
    narrowed, candidates = _page_queries(client, "/search?q=record&kind=document&changed=week")
    assert narrowed <= before + 1 and candidates <= 3
