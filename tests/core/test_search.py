"""Search: ranked, highlighted, kept current by the services, and never a way to see hidden records."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from orchestrator.core import search, services
from orchestrator.core.models import Visibility

from ..conftest import client_for
from ..factories import document, published
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


# -- when very many records match ------------------------------------------------------------------


@pytest.fixture(params=["walk", "index"])
def few_candidates(request, monkeypatch, world):
    """`results` as if the knowledge base were huge: only the 2 newest matches are candidates.

    On PostgreSQL, the probe looks at one record, then walks back by the primary key ("walk")
    or asks the GIN index ("index") for the rest.
    """
    monkeypatch.setattr(search, "CANDIDATES", 2)
    monkeypatch.setattr(search, "MIN_SAMPLE", 2)
    monkeypatch.setattr(search, "PROBE", 1)
    monkeypatch.setattr(search, "DENSE", 0.0 if request.param == "walk" else 2.0)
    staff, triager = world.people["staff"], world.people["triager"]
    for n in range(4):
        published(author=staff, owner=world.team, by=triager, title=f"Another open record {n}")
    return world


def _every_page(user, q, per_page=2, **filters):
    found = search.results(user, q, filters)
    pages = [found[start : start + per_page] for start in range(0, 20, per_page)]
    return found, [item for page in pages for item in page]


@pytest.mark.parametrize("persona", PERSONAS)
def test_past_the_candidates_every_visible_match_comes_once_in_batches_of_recency(
    few_candidates, persona
):
    user = few_candidates.people[persona]
    found, items = _every_page(user, "record")
    ranked = list(search.search(user, "record"))
    assert found.truncated
    assert len(items) == len({i.pk for i in items})  # no record twice across pages
    assert {i.pk for i in items} == {i.pk for i in ranked}  # every visible match, nothing hidden
    # The 2 newest matches (whoever may see them) first, then the next 4, then the next 8: each
    # batch best first.
    newest = sorted(i.pk for i in search.search(few_candidates.people["staff"], "record"))[::-1]
    batches, size = [], 2
    while newest:
        batches.append(set(newest[:size]))
        newest, size = newest[size:], size * 2
    expected = [i.pk for batch in batches for i in ranked if i.pk in batch]
    assert [i.pk for i in items] == expected


def test_past_the_candidates_counts_are_estimates_and_say_so(few_candidates):
    staff = few_candidates.people["staff"]
    found = search.results(staff, "record")
    assert found.truncated and not found.facets_exact
    assert not found.exact and found.count() >= 2
    page = client_for(staff).get("/search?q=record").text
    assert "About " in page and "(about " in page and "the counts are estimates" in page
    api = client_for(staff).get("/api/v1/items?q=record").json()
    assert api["count_exact"] is False and api["count"] == found.count()


def test_a_narrow_filter_past_the_candidates_is_counted_exactly(few_candidates):
    staff = few_candidates.people["staff"]
    found, items = _every_page(staff, "record", visibility=Visibility.CLOSED)
    assert found.exact and found.count() == 1
    assert [i.pk for i in items] == [few_candidates.records["closed"].pk]
    page = client_for(staff).get("/search?q=record&visibility=closed").text
    assert "1 result for" in page and few_candidates.records["closed"].uid in page


def test_facets_list_the_most_frequent_values_and_the_chosen_one(world, monkeypatch):
    from orchestrator.portal import views

    monkeypatch.setattr(views, "FACET_LIMIT", 1)
    staff = client_for(world.people["staff"])
    # The Product Team owns four records, the draft's author's organisation one.
    page = staff.get("/search?q=record").text
    assert "Product Team (4)" in page and "Author Partner (1)" not in page and "and 1 more" in page
    page = staff.get("/search", {"q": "record", "owner": world.author_org.slug}).text
    assert "Product Team (4)" in page and "Author Partner (1)" in page


def test_results_refuse_an_unknown_filter(world):
    with pytest.raises(ValueError, match="title"):
        search.results(None, "record", {"title": "x"})
