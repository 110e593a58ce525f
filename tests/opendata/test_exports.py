"""The bulk exports: /data/items.jsonl and /data/items.csv."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from orchestrator.api.services import create_token, revoke_token
from orchestrator.core import exports, services
from orchestrator.core.models import Item
from orchestrator.core.selectors import REDACTED

from ..conftest import client_for
from ..factories import document, published
from .conftest import body, csv_rows, get, jsonl, token_for

JSONL, CSV = "/data/items.jsonl", "/data/items.csv"
HIDDEN = ["registered", "restricted", "closed", "draft"]


def _uids_jsonl(response) -> list[str]:
    return [row["uid"] for row in jsonl(response)]


def _uids_csv(response) -> list[str]:
    return [row["uid"] for row in csv_rows(response)]


def test_anonymous_exports_hold_every_open_published_record_and_nothing_else(world):
    staff, triager = world.people["staff"], world.people["triager"]
    more = [
        published(author=staff, owner=world.team, by=triager, title=f"Open {n}") for n in range(3)
    ]
    expected = {world.records["open"].uid, *(i.uid for i in more)}
    assert set(Item.objects.visible_to(None).values_list("uid", flat=True)) == expected
    jl, cs = get(JSONL), get(CSV)
    assert jl.status_code == cs.status_code == 200
    assert sorted(_uids_jsonl(jl)) == sorted(expected)
    assert sorted(_uids_csv(cs)) == sorted(expected)
    for record in HIDDEN:
        item = world.records[record]
        for response in (jl, cs):
            text = body(response).decode()
            assert item.uid not in text
            assert item.title not in text


@pytest.mark.parametrize("persona", ["registered", "member", "outsider", "staff", "author"])
def test_a_token_holder_exports_exactly_what_they_may_see(world, persona):
    user = world.people[persona]
    expected = set(Item.objects.visible_to(user).values_list("uid", flat=True))
    token = token_for(user)
    for path, uids in ((JSONL, _uids_jsonl), (CSV, _uids_csv)):
        response = Client().get(path, HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 200
        assert sorted(uids(response)) == sorted(expected)
        assert set(response["Cache-Control"].split(", ")) == {"private", "no-store"}
        assert "Authorization" in response["Vary"]


def test_rows_come_oldest_first_with_the_records_fields_and_dublin_core(world, site_url):
    rows = jsonl(get(JSONL, world.people["staff"]))
    assert [r["uid"] for r in rows] == list(
        Item.objects.order_by("pk").values_list("uid", flat=True)
    )
    row = next(r for r in rows if r["uid"] == world.records["open"].uid)
    assert set(row) == {*exports.RECORD_FIELDS, "dublin_core"}
    assert set(row["dublin_core"]) == set(exports.DC_ELEMENTS)
    assert row["url"] == f"https://skb.example.org/k/{row['uid']}"
    assert row["owner"] == "Product Team"
    assert row["visibility"] == "open" and row["status"] == "published"
    assert row["published_at"].endswith("Z")
    assert row["dublin_core"]["rights"].startswith("Open Government Licence v3.0")


@pytest.mark.parametrize("persona", ["anonymous", "registered", "member", "staff", "author"])
def test_each_row_is_the_apis_record(world, persona):
    """Export rows are built without model instances; they must still say what the API says."""
    staff, triager = world.people["staff"], world.people["triager"]
    open_item, closed = world.records["open"], world.records["closed"]
    services.link_items(source=open_item, target=closed, relation="depends_on", actor=staff)
    other = published(author=staff, owner=world.team, by=triager, title="Another open record")
    services.link_items(source=other, target=open_item, relation="references", actor=staff)
    services.link_items(source=open_item, target=other, relation="serves", actor=staff)
    user = world.people[persona]
    client = client_for(user)
    rows = jsonl(get(JSONL, user))
    assert rows
    for row in rows:
        api = client.get(f"/api/v1/items/{row['uid']}").json()
        assert row["dublin_core"] == api["dublin_core"], row["uid"]
        for name in ("uid", "kind", "title", "summary", "visibility", "status", "version"):
            assert row[name] == api[name], name
        assert row["owner"] == api["owner"]["name"]
        assert row["redacted_fields"] == api["redacted_fields"]
        assert row["updated_at"] == api["updated_at"]


def test_a_link_names_only_records_the_reader_may_see(world):
    staff = world.people["staff"]
    open_item, closed = world.records["open"], world.records["closed"]
    services.link_items(source=open_item, target=closed, relation="depends_on", actor=staff)
    services.link_items(source=closed, target=open_item, relation="references", actor=staff)
    (row,) = jsonl(get(JSONL))
    assert row["dublin_core"]["relation"] == []
    (row,) = [r for r in jsonl(get(JSONL, staff)) if r["uid"] == open_item.uid]
    assert [u.rsplit("/", 1)[1] for u in row["dublin_core"]["relation"]] == [closed.uid] * 2


@pytest.fixture
def redacted(world):
    """An open record whose summary its triage redacts, written by a Delivery Partner member."""
    author, triager = world.people["author"], world.people["triager"]
    item = document(
        author=author,
        owner=world.author_org,
        title="A record with a redacted summary",
        summary="The redacted secret summary",
    )
    services.triage_item(
        item=item,
        actor=triager,
        outcome="open",
        redacted_fields=["summary"],
        review_by=timezone.localdate() + dt.timedelta(days=30),
    )
    services.publish_item(item=item, actor=triager)
    return item


@pytest.mark.parametrize(
    ("persona", "sees"),
    [("anonymous", False), ("registered", False), ("member", False), ("author", True)],
)
def test_a_redacted_field_never_reaches_an_export_for_someone_who_may_not_see_it(
    world, redacted, persona, sees
):
    user = world.people[persona]
    for path in (JSONL, CSV):
        response = get(path, user)
        text = body(response).decode()
        assert ("The redacted secret summary" in text) == sees, path
    (row,) = [r for r in jsonl(get(JSONL, user)) if r["uid"] == redacted.uid]
    if sees:
        assert row["summary"] == "The redacted secret summary"
        assert row["redacted_fields"] == []
    else:
        assert row["summary"] == REDACTED
        assert row["dublin_core"]["description"] == REDACTED
        assert row["redacted_fields"] == ["summary"]
    (line,) = [r for r in csv_rows(get(CSV, user)) if r["uid"] == redacted.uid]
    assert line["summary"] == line["dc_description"] == (row["summary"])


def test_a_bad_or_revoked_token_is_refused_not_read_as_anonymous(world):
    user = world.people["registered"]
    record, token = create_token(actor=user, name="soon revoked")
    revoke_token(actor=user, token=record)
    for path in (JSONL, CSV, f"{CSV}?kind=document"):
        for header in (
            f"Bearer {token}",
            "Bearer orch_not-a-token",
            "Basic dXNlcjpwYXNz",
            "Bearer",
        ):
            response = Client().get(path, HTTP_AUTHORIZATION=header)
            assert response.status_code == 401, (path, header)
            assert response["Content-Type"].startswith("text/plain")
            assert "Authorization: Bearer" in response.text or "token" in response.text
            assert world.records["open"].uid not in response.text


def test_a_browser_session_does_not_widen_the_open_data(world):
    client = client_for(world.people["staff"])
    assert _uids_jsonl(client.get(JSONL)) == [world.records["open"].uid]
    assert _uids_csv(client.get(CSV)) == [world.records["open"].uid]


def test_headers_name_the_file_and_its_type(world):
    jl, cs = get(JSONL), get(CSV)
    assert jl["Content-Type"] == "application/x-ndjson; charset=utf-8"
    assert jl["Content-Disposition"] == 'attachment; filename="orchestrator-records.jsonl"'
    assert cs["Content-Type"].startswith("text/csv; charset=utf-8")
    assert cs["Content-Disposition"] == 'attachment; filename="orchestrator-records.csv"'
    assert jl.streaming and cs.streaming
    shared = get(f"{CSV}?kind=document", world.people["staff"])
    assert (
        shared["Content-Disposition"] == 'attachment; filename="orchestrator-document-shared.csv"'
    )


def test_head_gives_the_headers_without_reading_the_records(world):
    with CaptureQueriesContext(connection) as ctx:
        response = Client().head(JSONL)
        assert body(response) == b""
    assert response["Content-Type"] == "application/x-ndjson; charset=utf-8"
    assert not [q for q in ctx.captured_queries if "core_item" in q["sql"]]


def test_csv_is_rfc_4180_with_a_header_and_utf_8(world):
    staff, triager = world.people["staff"], world.people["triager"]
    item = published(
        author=staff, owner=world.team, by=triager, title='Quotes "inside", commas, and ünïcödé'
    )
    services.update_item(
        item=item, actor=staff, version=item.version, changes={"summary": "Two\nlines"}
    )
    raw = body(get(CSV))
    text = raw.decode("utf-8")
    header, _, rest = text.partition("\r\n")
    assert header.split(",") == list(exports.CSV_COLUMNS)
    assert '"Quotes ""inside"", commas, and ünïcödé"' in rest
    assert '"Two\nlines"' in rest
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert all(len(r) == len(exports.CSV_COLUMNS) for r in rows)
    (row,) = [r for r in csv_rows(get(CSV)) if r["uid"] == item.uid]
    assert row["title"] == 'Quotes "inside", commas, and ünïcödé'
    assert row["summary"] == "Two\nlines"


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_csv_cells_that_would_run_as_a_formula_are_neutralised(world, start):
    staff, triager = world.people["staff"], world.people["triager"]
    item = published(
        author=staff, owner=world.team, by=triager, title=f'{start}HYPERLINK("http://x")'
    )
    services.update_item(
        item=item,
        actor=staff,
        version=item.version,
        changes={"summary": f"{start}1+1", "subject": f"{start}cmd, safe"},
    )
    (row,) = [r for r in csv_rows(get(CSV)) if r["uid"] == item.uid]
    assert row["title"] == row["dc_title"] == f'\'{start}HYPERLINK("http://x")'
    assert row["summary"] == row["dc_description"] == f"'{start}1+1"
    assert row["dc_subject"] == f"'{start}cmd; safe"
    # The JSON Lines carry the text as it is: no spreadsheet reads them.
    (line,) = [r for r in jsonl(get(JSONL)) if r["uid"] == item.uid]
    assert line["title"] == f'{start}HYPERLINK("http://x")'


def test_neutralise_leaves_ordinary_text_alone():
    assert exports.neutralise("Plain") == "Plain"
    assert exports.neutralise("") == ""
    assert exports.neutralise("a=b") == "a=b"
    assert exports.neutralise("\tx") == "'\tx"


def test_an_empty_knowledge_base_exports_valid_empty_files(db):
    jl, cs = get(JSONL), get(CSV)
    assert jl.status_code == cs.status_code == 200
    assert body(jl) == b""
    assert body(cs).decode() == ",".join(exports.CSV_COLUMNS) + "\r\n"


def test_one_kind_at_a_time_and_bad_parameters_say_how_to_put_them_right(world):
    assert _uids_jsonl(get(f"{JSONL}?kind=document")) == [world.records["open"].uid]
    assert _uids_jsonl(get(f"{JSONL}?kind=declaration")) == []
    response = get(f"{JSONL}?kind=nonsense")
    assert response.status_code == 400
    assert "document" in response.text
    response = get(f"{CSV}?page=2")
    assert response.status_code == 400
    assert "kind" in response.text


def test_keyset_chunks_cover_every_record_once_in_order(world):
    staff, triager = world.people["staff"], world.people["triager"]
    items = [
        published(author=staff, owner=world.team, by=triager, title=f"Chunked {n}")
        for n in range(7)
    ]
    for a, b in itertools.pairwise(items):
        services.link_items(source=a, target=b, relation="depends_on", actor=staff)
    whole = list(exports.records(staff))
    for size in (1, 2, 3, 50):
        assert list(exports.records(staff, chunk_size=size)) == whole
    assert [r["uid"] for r in whole] == list(
        Item.objects.order_by("pk").values_list("uid", flat=True)
    )


def _queries(path: str, token: str | None) -> int:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    with CaptureQueriesContext(connection) as ctx:
        response = Client().get(path, **headers)
        body(response)
    return len(ctx.captured_queries)


@pytest.mark.parametrize("persona", ["anonymous", "member", "staff"])
@pytest.mark.parametrize("path", [JSONL, CSV])
def test_the_export_query_count_does_not_grow_with_the_rows(
    world, persona, path, django_assert_max_num_queries
):
    staff, triager = world.people["staff"], world.people["triager"]
    user = world.people[persona]
    token = token_for(user) if user else None

    def grow(n: int) -> None:
        for i in range(n):
            item = published(author=staff, owner=world.team, by=triager, title=f"Grown {i}")
            services.link_items(
                source=item, target=world.records["open"], relation="depends_on", actor=staff
            )
            services.link_items(
                source=world.records["closed"], target=item, relation="affects", actor=staff
            )

    grow(1)
    _queries(path, token)  # a token's first use is written down (once a minute): not counted
    before = _queries(path, token)
    grow(12)
    with django_assert_max_num_queries(before):
        body(Client().get(path, **({"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {})))
    assert _queries(path, token) == before
