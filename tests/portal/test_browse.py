"""Browsing: kind, organisation and topic pages, recently changed, and curating topics."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from orchestrator.core import services, topics
from orchestrator.core.errors import Conflict, PermissionDenied, ValidationError
from orchestrator.core.models import AuditEvent, Item, ItemTopic, Topic

from ..conftest import client_for
from ..factories import published
from .test_queries import _queries

HIDDEN = ("registered", "restricted", "closed", "draft")


@pytest.fixture
def topic(world):
    t = topics.create_topic(
        actor=world.people["triager"], name="Data sharing", description="Sharing data."
    )
    for level in ("open", "registered", "restricted", "closed", "draft"):
        topics.file_item(actor=world.people["triager"], item=world.records[level], topic=t)
    return t


def _titles(world, content: str) -> set[str]:
    return {key for key, item in world.records.items() if item.title in content}


@pytest.mark.parametrize(
    "path",
    [
        "/browse",
        "/kinds/document",
        "/recent",
        "/topics",
        "/topics/data-sharing",
        "/organisations/product-team",
    ],
)
def test_anonymous_browsing_shows_open_records_only(world, topic, path):
    response = client_for(None).get(path)
    assert response.status_code == 200
    content = response.content.decode()
    assert not _titles(world, content) & set(HIDDEN)
    if path != "/browse" and path != "/topics":
        assert world.records["open"].title in content


def test_browse_counts_only_what_the_viewer_sees(world, topic):
    content = client_for(None).get("/browse").content.decode()
    assert "Data sharing</a> (1)" in content
    staff = client_for(world.people["staff"]).get("/browse").content.decode()
    assert "Data sharing</a> (5)" in staff


def test_a_restricted_record_is_listed_for_the_named_organisation_only(world, topic):
    title = world.records["restricted"].title
    assert title in client_for(world.people["member"]).get("/topics/data-sharing").content.decode()
    assert (
        title
        not in client_for(world.people["outsider"]).get("/topics/data-sharing").content.decode()
    )


def test_unknown_kind_topic_or_organisation_is_404(world):
    client = client_for(None)
    assert client.get("/kinds/nonsense").status_code == 404
    assert client.get("/topics/nonsense").status_code == 404
    assert client.get("/organisations/nonsense").status_code == 404


def test_organisation_page_shows_what_it_delivers_through_visible_links(world):
    staff, triager = world.people["staff"], world.people["triager"]
    delivered = published(author=staff, owner=world.team, by=triager, title="The delivered thing")
    services.link_items(
        source=world.records["open"], target=delivered, relation="delivers", actor=staff
    )
    hidden_target = world.records["closed"]
    services.link_items(
        source=world.records["open"], target=hidden_target, relation="delivers", actor=staff
    )
    content = client_for(None).get("/organisations/product-team").content.decode()
    delivers = content.split("What it delivers")[1].split("What it designs")[0]
    assert "The delivered thing" in delivers
    assert hidden_target.title not in content


def test_organisation_page_filters_by_kind(world):
    content = (
        client_for(world.people["staff"])
        .get("/organisations/product-team?kind=document")
        .content.decode()
    )
    assert world.records["open"].title in content
    # An unknown kind filter is ignored rather than an error.
    assert client_for(None).get("/organisations/product-team?kind=<script>").status_code == 200


def test_recent_filters_by_window(world):
    old = world.records["open"]
    Item.objects.filter(pk=old.pk).update(updated_at=timezone.now() - dt.timedelta(days=60))
    client = client_for(None)
    assert old.title in client.get("/recent").content.decode()
    assert old.title not in client.get("/recent?changed=month").content.decode()
    assert old.title in client.get("/recent?changed=year").content.decode()
    # A window nobody offered shows everything, not an error.
    assert client.get("/recent?changed=fortnight").status_code == 200


def test_browse_pages_paginate_and_survive_a_bad_page_number(world):
    for i in range(30):
        published(
            author=world.people["staff"],
            owner=world.team,
            by=world.people["triager"],
            title=f"Doc {i}",
        )
    client = client_for(None)
    first = client.get("/kinds/document").content.decode()
    assert "Page 1 of 2" in first
    assert client.get("/kinds/document?page=2").status_code == 200
    assert client.get("/kinds/document?page=999").status_code == 200
    assert client.get("/kinds/document?page=abc").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/browse",
        "/kinds/document",
        "/recent",
        "/topics/data-sharing",
        "/organisations/product-team",
    ],
)
def test_browse_pages_ask_a_fixed_number_of_queries(world, topic, path):
    client = client_for(world.people["registered"])
    before = _queries(client, path)
    for i in range(5):
        item = published(
            author=world.people["staff"],
            owner=world.team,
            by=world.people["triager"],
            title=f"More {i}",
        )
        topics.file_item(actor=world.people["triager"], item=item, topic=topic)
    assert _queries(client, path) == before


# Curating topics


def test_research_and_engagement_curate_topics_and_each_change_is_audited(world):
    triager = world.people["triager"]
    client = client_for(triager)
    response = client.post("/topics/new", {"name": "Flexibility markets", "description": "Flex."})
    assert response.status_code == 302
    t = Topic.objects.get(slug="flexibility-markets")
    item = world.records["open"]
    assert client.post(f"/k/{item.uid}/topics", {"topic": t.pk}).status_code == 302
    assert ItemTopic.objects.filter(item=item, topic=t).exists()
    assert "Flexibility markets" in client_for(None).get(f"/k/{item.uid}").content.decode()
    client.post(f"/k/{item.uid}/topics", {"remove": t.slug})
    assert not ItemTopic.objects.filter(item=item, topic=t).exists()
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))[-3:]
    assert actions == ["topic.created", "item.filed", "item.unfiled"]


def test_others_cannot_curate_topics(world, topic):
    for name in ("registered", "staff", "member"):
        client = client_for(world.people[name])
        assert client.get("/topics/new").status_code == 403
        assert (
            client.post(f"/k/{world.records['open'].uid}/topics", {"topic": topic.pk}).status_code
            == 403
        )
        with pytest.raises(PermissionDenied):
            topics.create_topic(actor=world.people[name], name="Mine")
    assert client_for(None).get("/topics/new").status_code == 302  # to sign in


def test_a_curator_cannot_file_a_record_they_cannot_see(world, topic):
    # Research & Engagement are staff and see everything; a hidden uid is still a 404 for others.
    assert (
        client_for(world.people["registered"])
        .get(f"/k/{world.records['closed'].uid}/topics")
        .status_code
        == 404
    )


def test_topic_names_are_checked(world, topic):
    triager = world.people["triager"]
    with pytest.raises(ValidationError):
        topics.create_topic(actor=triager, name="   ")
    with pytest.raises(ValidationError):
        topics.create_topic(actor=triager, name="x" * 201)
    with pytest.raises(ValidationError):
        topics.create_topic(actor=triager, name="!!!")
    for bad in ("Nul\x00", "Lone \ud800 surrogate"):
        with pytest.raises(ValidationError):
            topics.create_topic(actor=triager, name=bad)
        with pytest.raises(ValidationError):
            topics.create_topic(actor=triager, name="Fine", description=bad)
    with pytest.raises(Conflict):
        topics.create_topic(actor=triager, name="data SHARING")
    with pytest.raises(Conflict):
        topics.file_item(actor=triager, item=world.records["open"], topic=topic)
    response = client_for(triager).post("/topics/new", {"name": "Data sharing"})
    assert response.status_code == 200
    assert "There is already a topic called" in response.content.decode()
    assert Topic.objects.count() == 1


def test_renaming_a_topic_keeps_its_address(world, topic):
    client = client_for(world.people["triager"])
    response = client.post(
        "/topics/data-sharing/edit", {"name": "Sharing data", "description": "New."}
    )
    assert response.status_code == 302
    topic.refresh_from_db()
    assert (topic.name, topic.slug) == ("Sharing data", "data-sharing")
