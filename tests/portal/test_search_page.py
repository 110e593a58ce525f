"""The search page: the "last changed" facet, and a fixed number of queries however many match."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from orchestrator.core import search
from orchestrator.core.models import Item

from ..conftest import client_for
from ..factories import published
from .test_queries import _queries


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


def test_the_search_page_asks_a_fixed_number_of_queries(world):
    client = client_for(world.people["registered"])
    before = _queries(client, "/search?q=record")
    for i in range(15):
        published(
            author=world.people["staff"],
            owner=world.team,
            by=world.people["triager"],
            title=f"Record {i}",
        )
    assert _queries(client, "/search?q=record") == before
    assert _queries(client, "/search?q=record&kind=document&changed=week") <= before + 1
