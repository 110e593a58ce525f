"""Rows of the bulk open-data exports (`/data/items.jsonl`, `/data/items.csv`), in constant memory.

Every row is a record the viewer may see (`Item.objects.visible_to(user)`), with the redactions of
its triage applied (`core.selectors.redacted_fields`) and its fifteen Dublin Core elements
(`core.metadata.dublin_core`), whose `relation` names only linked records the viewer may also see.

Records are read a chunk at a time by keyset pagination on the primary key, so memory stays flat
whatever the size of the knowledge base; each chunk costs four queries however many rows it holds:
the records (as tuples, with their owner's and author's names and their triage's redactions joined),
their links in each direction, and which of their authors act in a public role.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef

from .metadata import dublin_core, public_people
from .models import Item, Link, kind_registry
from .selectors import REDACTED, redacted_fields, visible_items

if TYPE_CHECKING:
    from orchestrator.people.models import User

CHUNK_SIZE = 2000
# Rows are joined into pieces of about this many before they are handed to the server.
LINES_PER_PIECE = 200

DC_ELEMENTS = (
    "title",
    "creator",
    "subject",
    "description",
    "publisher",
    "contributor",
    "date",
    "type",
    "format",
    "identifier",
    "source",
    "language",
    "relation",
    "coverage",
    "rights",
)
RECORD_FIELDS = (
    "uid",
    "kind",
    "title",
    "summary",
    "url",
    "visibility",
    "status",
    "owner",
    "version",
    "created_at",
    "updated_at",
    "published_at",
    "redacted_fields",
)
CSV_COLUMNS = (*RECORD_FIELDS, *(f"dc_{name}" for name in DC_ELEMENTS))
# Several values in one CSV cell (subjects, contributors, relations, redacted fields).
CSV_LIST_SEPARATOR = "; "
# A cell beginning with one of these is read as a formula by spreadsheets (CWE-1236).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# The columns each row needs, and nothing else (no bodies, no password hashes), in `_Record` order.
_COLUMNS = (
    "id",
    "uid",
    "kind",
    "title",
    "summary",
    "visibility",
    "status",
    "version",
    "created_at",
    "updated_at",
    "published_at",
    "subject",
    "language",
    "source",
    "coverage",
    "owner_id",
    "created_by_id",
    "current_triage_id",
    "owner__name",
    "created_by__full_name",
    "current_triage__redacted_fields",
)


class _Named:
    """An owner organisation or an author, as much of one as an export row names."""

    __slots__ = ("full_name", "name")

    def __init__(self, name: str) -> None:
        self.name = self.full_name = name


class _Triage:
    __slots__ = ("redacted_fields",)

    def __init__(self, redacted: list[str]) -> None:
        self.redacted_fields = redacted


class _Record:
    """The fields of one record that its export row needs, read as a tuple rather than built into
    model instances (which would cost more than everything else in the export together).

    It has every attribute that `metadata.dublin_core` and `selectors.redacted_fields` read of an
    `Item`, so both are used unchanged; tests check the rows against the API's record.
    """

    __slots__ = (
        *_COLUMNS[:18],
        "pk",
        "owner",
        "created_by",
        "current_triage",
        "kind_label",
    )

    def __init__(self, row: tuple, labels: dict[str, str], people: dict[int, _Named]) -> None:
        (
            self.id,
            self.uid,
            self.kind,
            self.title,
            self.summary,
            self.visibility,
            self.status,
            self.version,
            self.created_at,
            self.updated_at,
            self.published_at,
            self.subject,
            self.language,
            self.source,
            self.coverage,
            self.owner_id,
            self.created_by_id,
            self.current_triage_id,
            owner_name,
            author_name,
            redacted,
        ) = row
        self.pk = self.id
        self.owner = _Named(owner_name)
        author = people.get(self.created_by_id)
        if author is None:
            author = people[self.created_by_id] = _Named(author_name)
        self.created_by = author
        self.current_triage = None if self.current_triage_id is None else _Triage(redacted)
        self.kind_label = labels.get(self.kind) or Item.KIND_LABEL


def timestamp(value: dt.datetime | None) -> str | None:
    """UTC, to the millisecond, as the API writes it."""
    if value is None:
        return None
    if value.utcoffset():
        value = value.astimezone(dt.UTC)
    return value.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def records(
    user: User | None, *, kind: str | None = None, chunk_size: int = CHUNK_SIZE
) -> Iterator[dict[str, Any]]:
    """Every record `user` may see (of one `kind`, if given), oldest first, as export rows."""
    labels = {name: model.KIND_LABEL for name, model in kind_registry().items()}
    rows = visible_items(user)
    if kind is not None:
        rows = rows.filter(kind=kind)
    rows = rows.order_by("pk").values_list(*_COLUMNS)
    last = 0
    while True:
        people: dict[int, _Named] = {}
        chunk = [_Record(row, labels, people) for row in rows.filter(pk__gt=last)[:chunk_size]]
        if not chunk:
            return
        relations = _relations(user, chunk[0].pk, chunk[-1].pk)
        named = public_people(people)
        for item in chunk:
            yield record(user, item, relations.get(item.pk, []), named)
        if len(chunk) < chunk_size:
            return
        last = chunk[-1].pk


def record(
    user: User | None, item: Item | _Record, relations: list[str], named_people: set[int]
) -> dict[str, Any]:
    """One export row: the record's own fields as `user` may see them, then its Dublin Core.

    `named_people` are the authors who act in a public role (`metadata.public_people`): only
    they are named as the contributor."""
    hidden = redacted_fields(user, item)
    summary = REDACTED if "summary" in hidden else item.summary
    dc = dublin_core(item, relations=relations, description=summary, named_people=named_people)
    return {
        "uid": item.uid,
        "kind": item.kind,
        "title": item.title,
        "summary": summary,
        "url": dc["identifier"],
        "visibility": item.visibility,
        "status": item.status,
        "owner": item.owner.name,
        "version": item.version,
        "created_at": timestamp(item.created_at),
        "updated_at": timestamp(item.updated_at),
        "published_at": timestamp(item.published_at),
        "redacted_fields": sorted(hidden),
        "dublin_core": dc,
    }


def _relations(user: User | None, first: int, last: int) -> dict[int, list[str]]:
    """For the records of a chunk (primary keys `first` to `last`), the uids of the linked
    records the viewer may also see.

    In the order `core.selectors.links_for` gives them (outgoing then incoming, each by relation
    and title), so that an export row's `relation` is the API's. Each query walks the links of
    the chunk's key range by their index and checks the other end against `visible_to` row by
    row, so it never reads the whole visible set. Links of records in the range that the viewer
    may not see come back too, and are never asked for.
    """
    visible = visible_items(user).order_by()
    found: dict[int, list[str]] = defaultdict(list)
    outgoing = (
        Link.objects.filter(source_id__gte=first, source_id__lte=last)
        .filter(Exists(visible.filter(pk=OuterRef("target_id"))))
        .order_by("source_id", "relation", "target__title")
        .values_list("source_id", "target__uid")
    )
    incoming = (
        Link.objects.filter(target_id__gte=first, target_id__lte=last)
        .filter(Exists(visible.filter(pk=OuterRef("source_id"))))
        .order_by("target_id", "relation", "source__title")
        .values_list("target_id", "source__uid")
    )
    for pk, uid in outgoing:
        found[pk].append(uid)
    for pk, uid in incoming:
        found[pk].append(uid)
    return found


# -- JSON Lines ------------------------------------------------------------------------------------


def jsonl_lines(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """One JSON object a line (UTF-8, LF); nothing at all for no rows."""
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    return _pieces(dumps(row) + "\n" for row in rows)


# -- CSV -------------------------------------------------------------------------------------------


class _Line:
    """A file-like object that hands back what the csv writer writes to it."""

    def write(self, value: str) -> str:
        return value


def neutralise(value: str) -> str:
    """Stop a spreadsheet reading a cell as a formula: prefix a quote to a risky first character."""
    if value[:1] in _TRIGGERS:
        return "'" + value
    return value


_TRIGGERS = frozenset(FORMULA_TRIGGERS)


def csv_row(row: dict[str, Any]) -> list[str]:
    """The cells of one row: lists joined, nothing for a missing value, formulas neutralised."""
    dc = row["dublin_core"]
    cells = []
    for value in [*(row[name] for name in RECORD_FIELDS), *(dc[name] for name in DC_ELEMENTS)]:
        if value is None:
            cells.append("")
            continue
        text = CSV_LIST_SEPARATOR.join(map(str, value)) if type(value) is list else str(value)
        cells.append("'" + text if text[:1] in _TRIGGERS else text)
    return cells


def csv_lines(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """RFC 4180: a header row, then one row a record, CRLF line ends, quoted where needed."""
    writer = csv.writer(_Line(), lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)

    def lines() -> Iterator[str]:
        yield writer.writerow(CSV_COLUMNS)
        for row in rows:
            yield writer.writerow(csv_row(row))

    return _pieces(lines())


def _pieces(lines: Iterable[str]) -> Iterator[str]:
    """Lines joined a few hundred at a time: fewer, larger writes to the client."""
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= LINES_PER_PIECE:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)
