"""Search: ranked, highlighted, kept current by the services, and never a way to see hidden records."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from orchestrator.core import search, services
from orchestrator.core.models import Visibility

from ..conftest import client_for
from ..factories import document
from ..test_visibility_matrix import PERSONAS, SEES


def _titles(user, q):
    return [item.title for item in search.search(user, q)]


@pytest.mark.parametrize("persona", PERSONAS)
def test_search_finds_only_what_the_viewer_may_see_on_every_channel(world, persona):
    # Every record in the world has "record" in its title.
    user = world.people[persona]
    expected = {world.records[r].title for r in world.records if persona in SEES[r]}
    assert set(_titles(user, "record")) == expected
    api = client_for(user).get("/api/v1/items?q=record&page_size=100").json()
    assert {row["title"] for row in api["items"]} == expected and api["count"] == len(expected)
    page = client_for(user).get("/search?q=record").text
    for name, item in world.records.items():
        assert (f'href="/k/{item.uid}"' in page) == (persona in SEES[name])
    assert f"{len(expected)} result" in page


def test_a_title_match_ranks_above_a_body_match(world):
    staff, team = world.people["staff"], world.team
    document(author=staff, owner=team, title="Notes", body="Mentions the flexibility market.")
    document(author=staff, owner=team, title="Flexibility market design", body="Detail.")
    assert _titles(staff, "flexibility")[:2] == ["Flexibility market design", "Notes"]


def test_the_index_follows_each_edit_in_the_same_transaction(world):
    item = world.records["open"]
    services.update_item(
        item=item,
        actor=world.people["staff"],
        version=1,
        changes={"body": "Now about interoperability."},
    )
    assert item.title in _titles(None, "interoperability")
    assert item.title not in _titles(None, "body text")  # the old body is gone


def test_the_last_word_matches_as_a_prefix(world):
    document(author=world.people["staff"], owner=world.team, title="Interoperability standards")
    assert "Interoperability standards" in _titles(world.people["staff"], "interop")


def test_a_redacted_field_cannot_be_found_by_its_text(world):
    item = document(
        author=world.people["staff"], owner=world.team, title="Survey", body="Respondent Jane Doe"
    )
    services.triage_item(
        item=item,
        actor=world.people["triager"],
        outcome=Visibility.OPEN,
        redacted_fields=["body"],
        sensitivities=[{"category": "personal_data", "finding": "A name.", "mitigation": "redact"}],
        review_by=timezone.localdate() + dt.timedelta(days=30),
    )
    services.publish_item(item=item, actor=world.people["triager"])
    assert _titles(None, "Jane") == []
    assert _titles(world.people["staff"], "Jane") == []
    assert "Survey" in _titles(None, "survey")


@pytest.mark.parametrize(
    "q", ['"', "AND OR NOT", "NEAR(a b)", "title:x", "*", "-x", "a' OR 1=1 --", "(((", "é ü ß", ""]
)
def test_any_query_text_is_safe(world, q):
    assert client_for(None).get("/search", {"q": q}).status_code == 200
    assert client_for(None).get("/api/v1/items", {"q": q}).status_code == 200


def test_matches_are_highlighted_and_escaped(world):
    document(author=world.people["staff"], owner=world.team, title="<b>Grid</b> <script>x</script>")
    html = str(search.highlight("<b>Grid</b> <script>x</script>", "grid"))
    assert "<mark>Grid</mark>" in html and "<script>" not in html and "&lt;script&gt;" in html


def test_facets_count_results_and_narrow_them(world):
    staff = client_for(world.people["staff"])
    page = staff.get("/search?q=record").text
    assert "Shared — named organisations (1)" in page and "Draft (1)" in page
    narrowed = staff.get("/search?q=record&visibility=closed").text
    assert "1 result for" in narrowed
    assert f'href="/k/{world.records["closed"].uid}"' in narrowed
    assert f'href="/k/{world.records["open"].uid}"' not in narrowed
    assert "The closed <mark>record</mark>" in narrowed
