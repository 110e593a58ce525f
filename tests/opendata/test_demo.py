"""The open-data channels over the demo dataset: several kinds, redactions, links, topics."""

from __future__ import annotations

import pytest
from pyshacl import validate
from rdflib import Graph

from orchestrator.core.models import Item, Topic
from orchestrator.demo import loader

from .conftest import body, get, jsonl
from .test_catalogue import SHAPE_SETS, _shapes


@pytest.fixture
def demo(db):
    return loader.load()


def test_no_channel_leaks_a_record_anonymous_visitors_may_not_see(demo):
    hidden = Item.objects.exclude(pk__in=Item.objects.visible_to(None).values("pk"))
    assert hidden.exists()
    paths = [
        "/data/items.jsonl",
        "/data/items.csv",
        "/data/catalog.ttl",
        "/data/catalog.jsonld",
        "/feeds/changes.atom",
        *(
            f"/feeds/kinds/{kind}.atom"
            for kind in Item.objects.values_list("kind", flat=True).distinct()
        ),
        *(f"/feeds/topics/{slug}.atom" for slug in Topic.objects.values_list("slug", flat=True)),
    ]
    texts = {}
    for path in paths:
        response = get(path)
        assert response.status_code == 200, path
        texts[path] = body(response).decode()
    # A title that a visible record shares (each consultation response is "Response to a
    # consultation") is shown for that record, so it says nothing of the hidden one.
    shared_titles = set(Item.objects.visible_to(None).values_list("title", flat=True))
    for item in hidden:
        for path, text in texts.items():
            assert item.uid not in text, f"{item.kind} {item.uid} on {path}"
            # Short titles could occur in other text by chance; the demo's are whole sentences.
            if len(item.title) > 20 and item.title not in shared_titles:
                assert item.title not in text, f"{item.kind} “{item.title}” on {path}"


def test_every_open_record_is_exported_and_its_twin_is_served(demo):
    open_uids = set(Item.objects.visible_to(None).values_list("uid", flat=True))
    rows = jsonl(get("/data/items.jsonl"))
    assert {r["uid"] for r in rows} == open_uids
    for uid in sorted(open_uids)[:10]:
        assert get(f"/k/{uid}.json").json()["uid"] == uid


def test_the_demo_catalogue_conforms(demo):
    graph = Graph().parse(data=body(get("/data/catalog.ttl")).decode(), format="turtle")
    for names in SHAPE_SETS.values():
        conforms, _, report = validate(graph, shacl_graph=_shapes(names), inference="none")
        assert conforms, report


def test_text_the_demo_redacts_is_in_no_anonymous_export(demo):
    redacted = [
        (item, name)
        for item in Item.objects.visible_to(None).select_related("current_triage")
        for name in item.current_triage.redacted_fields
        if name in {"summary", "body"} and len(getattr(item, name)) > 20
    ]
    assert redacted, "the demo redacts a field of an open record"
    texts = [body(get(path)).decode() for path in ("/data/items.jsonl", "/data/items.csv")]
    for item, name in redacted:
        for text in texts:
            assert getattr(item, name) not in text, f"{item.uid} {name}"
