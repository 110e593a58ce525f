"""Atom feeds of recent changes, and the `visible_changes` selector behind them."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from orchestrator.core import changes, services, topics
from orchestrator.core.changes import visible_changes
from orchestrator.core.models import AuditEvent, Item

from ..factories import published
from .conftest import body, get, token_for

ATOM = "{http://www.w3.org/2005/Atom}"
HIDDEN = ["registered", "restricted", "closed", "draft"]


def _entries(response) -> list[ET.Element]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    root = ET.fromstring(body(response))
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{name}") is not None, name
    return root.findall(f"{ATOM}entry")


def _text(entry: ET.Element, name: str) -> str:
    element = entry.find(f"{ATOM}{name}")
    return "" if element is None else (element.text or "")


def _href(entry: ET.Element) -> str:
    return entry.find(f"{ATOM}link").get("href")


@pytest.fixture
def topic(world):
    """A topic with every record of the world filed under it."""
    triager = world.people["triager"]
    topic = topics.create_topic(actor=triager, name="Flexibility")
    for item in world.records.values():
        topics.file_item(actor=triager, item=item, topic=topic)
    return topic


def test_the_changes_feed_is_valid_atom_naming_each_change_newest_first(world, site_url):
    entries = _entries(get("/feeds/changes.atom"))
    item = world.records["open"]
    seqs = AuditEvent.objects.filter(item_uid=item.uid).order_by("-seq")
    assert len(entries) == seqs.count()
    ids = [_text(e, "id") for e in entries]
    assert ids == [f"https://skb.example.org/audit?seq={e.seq}" for e in seqs]
    for entry in entries:
        assert _href(entry) == f"https://skb.example.org/k/{item.uid}"
        assert item.title in _text(entry, "title")
        assert _text(entry, "updated")
        assert entry.find(f"{ATOM}author/{ATOM}name").text
        assert item.title in _text(entry, "summary")
    titles = [_text(e, "title") for e in entries]
    assert titles[0] == "Document “The open record” was published (Open)"
    assert titles[-1] == "Document “The open record” was created"
    assert "Document “The open record” was triaged: Open" in titles


def test_events_of_records_the_reader_may_not_see_are_left_out_entirely(world):
    staff = world.people["staff"]
    for record in HIDDEN:
        item = world.records[record]
        services.link_items(
            source=world.records["open"], target=item, relation="depends_on", actor=staff
        )
    response = get("/feeds/changes.atom")
    text = body(response).decode()
    for record in HIDDEN:
        item = world.records[record]
        assert item.uid not in text
        assert item.title not in text
    entries = _entries(response)
    assert all(_href(e).endswith(world.records["open"].uid) for e in entries)
    linked = [e for e in entries if "link.created" in ET.tostring(e, encoding="unicode")]
    assert len(linked) == len(HIDDEN)
    assert {_text(e, "title") for e in linked} == {
        "Document “The open record” was linked to another record"
    }


def test_a_link_to_a_record_the_reader_may_see_is_named(world):
    staff, triager = world.people["staff"], world.people["triager"]
    other = published(author=staff, owner=world.team, by=triager, title="The grid code")
    services.link_items(
        source=world.records["open"], target=other, relation="depends_on", actor=staff
    )
    titles = [_text(e, "title") for e in _entries(get("/feeds/changes.atom"))]
    assert titles[0] == "Document “The open record” now depends on “The grid code”"


def test_a_token_holder_reads_the_changes_they_may_see_and_a_bad_token_is_refused(world):
    token = token_for(world.people["member"])
    response = Client().get("/feeds/changes.atom", HTTP_AUTHORIZATION=f"Bearer {token}")
    text = body(response).decode()
    assert world.records["restricted"].uid in text
    assert world.records["closed"].uid not in text
    response = Client().get("/feeds/changes.atom", HTTP_AUTHORIZATION="Bearer orch_wrong")
    assert response.status_code == 401
    assert "token" in response.text


def test_a_kind_feed_holds_that_kind_only_and_an_unknown_kind_is_404(world):
    entries = _entries(get("/feeds/kinds/document.atom"))
    assert entries
    assert all(world.records["open"].uid in _href(e) for e in entries)
    assert _entries(get("/feeds/kinds/declaration.atom")) == []
    assert get("/feeds/kinds/nonsense.atom").status_code == 404


def test_a_topic_feed_holds_its_visible_records_only_and_an_unknown_topic_is_404(world, topic):
    response = get("/feeds/topics/flexibility.atom")
    entries = _entries(response)
    assert entries
    text = body(response).decode()
    for record in HIDDEN:
        assert world.records[record].uid not in text
    titles = [_text(e, "title") for e in entries]
    assert titles[0] == "Document “The open record” was filed under the topic “Flexibility”"
    assert get("/feeds/topics/no-such-topic.atom").status_code == 404


def test_text_that_xml_cannot_carry_does_not_break_the_feed(world):
    staff, triager = world.people["staff"], world.people["triager"]
    published(author=staff, owner=world.team, by=triager, title="Bell \x07 and <tags> & more")
    titles = [_text(e, "title") for e in _entries(get("/feeds/changes.atom"))]
    assert "Document “Bell  and <tags> & more” was published (Open)" in titles


def test_a_feed_holds_at_most_fifty_changes(world):
    staff, triager = world.people["staff"], world.people["triager"]
    for n in range(20):
        published(author=staff, owner=world.team, by=triager, title=f"Record {n}")
    assert len(_entries(get("/feeds/changes.atom"))) == 50


def _queries(path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert Client().get(path).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "path", ["/feeds/changes.atom", "/feeds/kinds/document.atom", "/feeds/topics/flexibility.atom"]
)
def test_the_feed_query_count_does_not_grow_with_its_entries(world, topic, path):
    staff, triager = world.people["staff"], world.people["triager"]
    before = _queries(path)
    for n in range(6):
        item = published(author=staff, owner=world.team, by=triager, title=f"More {n}")
        topics.file_item(actor=triager, item=item, topic=topic)
        services.link_items(
            source=item, target=world.records["open"], relation="serves", actor=staff
        )
    assert _queries(path) == before


# -- visible_changes ------------------------------------------------------------------------------


@pytest.fixture(params=["through the records", "walking the log"])
def strategy(request, monkeypatch):
    """Both ways `visible_changes` finds events must give the same answer."""
    if request.param == "walking the log":
        monkeypatch.setattr(changes, "PROBE", 0)
    return request.param


def _uids(events) -> list[str]:
    return [e.item_uid for e in events]


@pytest.mark.parametrize("persona", ["anonymous", "registered", "member", "staff", "author"])
def test_visible_changes_are_the_events_of_visible_records_newest_first(world, strategy, persona):
    user = world.people[persona]
    visible = set(Item.objects.visible_to(user).values_list("uid", flat=True))
    expected = list(
        AuditEvent.objects.filter(item_uid__in=visible)
        .order_by("-seq")
        .values_list("seq", flat=True)
    )
    got = visible_changes(user)
    assert [e.seq for e in got] == expected
    assert set(_uids(got)) == visible


def test_visible_changes_narrow_by_kind_topic_items_and_since(world, topic, strategy):
    staff = world.people["staff"]
    open_item = world.records["open"]
    assert set(_uids(visible_changes(staff, kind="document"))) == {
        i.uid for i in world.records.values()
    }
    assert list(visible_changes(staff, kind="declaration")) == []
    assert set(_uids(visible_changes(None, topic=topic))) == {open_item.uid}
    assert set(_uids(visible_changes(staff, items=[open_item]))) == {open_item.uid}
    assert set(_uids(visible_changes(staff, items=[open_item.uid, "0000000000"]))) == {
        open_item.uid
    }
    assert set(_uids(visible_changes(None, items=Item.objects.filter(pk=open_item.pk)))) == {
        open_item.uid
    }
    assert list(visible_changes(None, items=[world.records["closed"]])) == []
    latest = visible_changes(None).first()
    assert list(visible_changes(None, since=latest.seq)) == []
    assert [e.seq for e in visible_changes(None, since=latest.seq - 1)] == [latest.seq]
    assert list(visible_changes(None, since=timezone.now())) == []
    an_hour_ago = timezone.now() - dt.timedelta(hours=1)
    assert visible_changes(None, since=an_hour_ago).count() == visible_changes(None).count()
