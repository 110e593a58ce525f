"""The hash-chained audit log: appended by services in their own transaction, verifiable by anyone."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .models import AuditEvent, AuditHead

if TYPE_CHECKING:
    from orchestrator.people.models import User

    from .models import Item

GENESIS = "0" * 64


def canonical(
    *,
    seq: int,
    at: dt.datetime,
    actor: int | None,
    action: str,
    item_uid: str,
    data: dict[str, Any],
) -> bytes:
    """The canonical JSON of an event, exactly as docs/audit.md describes it."""
    event = {
        "seq": seq,
        "at": at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor": actor,
        "action": action,
        "item_uid": item_uid,
        "data": data,
    }
    return json.dumps(event, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def chain_hash(prev_hash: str, event: bytes) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + event).hexdigest()


def _lock_head() -> AuditHead:
    # On PostgreSQL the row lock on the head serialises appends, so concurrent writers never fork
    # the chain; SQLite runs write transactions one at a time (BEGIN IMMEDIATE) to the same end.
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AuditHead.objects.bulk_create([AuditHead(pk=1, seq=0, hash=GENESIS)], ignore_conflicts=True)
        head = AuditHead.objects.select_for_update().get(pk=1)
    return head


def append(
    *,
    actor: User | None,
    action: str,
    item: Item | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. Must run inside the transaction of the change it records."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit.append must run inside the transaction of the change it records")
    return append_many([(actor, action, item.uid if item else "", data or {})])[-1]


def append_many(
    events: Iterable[tuple[User | None, str, str, dict[str, Any]]],
) -> Sequence[AuditEvent]:
    """Append events (actor, action, item uid, data) in order, under one lock of the chain head.

    Returns the events appended, in order: for a large batch they are read back from the database
    only if the sequence is used (building model instances costs more than writing the rows)."""
    with transaction.atomic():
        head = _lock_head()
        seq, prev = head.seq, head.hash
        first = seq + 1
        now = timezone.now()
        # The bytes of `canonical` for each event, built from pieces (as `_verify_span` builds
        # them) so no dict is made per event; `verify` checks that they are the same bytes.
        at_text = _encode_str(now.astimezone(dt.UTC).isoformat(timespec="microseconds"))
        encode_value, encode_str, template, sha256 = _encode_data, _encode_str, _CHAINED, _sha256
        rows = []
        for actor, action, item_uid, data in events:
            seq += 1
            actor_id = actor.pk if actor is not None else None
            chained = template % (
                prev,
                encode_str(action) if type(action) is str else encode_value(action),
                "null"
                if actor_id is None
                else actor_id
                if type(actor_id) is int
                else encode_value(actor_id),
                at_text,
                encode_value(data),
                encode_str(item_uid) if type(item_uid) is str else encode_value(item_uid),
                seq,
            )
            digest = sha256(chained.encode()).hexdigest()
            rows.append((seq, actor_id, action, item_uid, data, prev, digest))
            prev = digest
        if len(rows) <= _ORM_BATCH:
            saved: Sequence[AuditEvent] = [
                AuditEvent(
                    seq=seq, at=now, actor_id=actor_id, action=action, item_uid=item_uid,
                    data=data, prev_hash=prev_hash, hash=digest,
                )
                for seq, actor_id, action, item_uid, data, prev_hash, digest in rows
            ]  # fmt: skip
            AuditEvent.objects.bulk_create(saved)
        else:
            _write_events(now, rows)
            saved = _Appended(first, seq)
        AuditHead.objects.filter(pk=1).update(seq=seq, hash=prev)
        return saved


# Up to this many events are written through the ORM and returned as saved instances; more are
# written with one prepared statement (SQLite) or COPY (PostgreSQL).
_ORM_BATCH = 100
_sha256 = hashlib.sha256
_EVENT_FIELDS = ("seq", "at", "actor", "action", "item_uid", "data", "prev_hash", "hash")


def _write_events(now: dt.datetime, rows: list[tuple]) -> None:
    """INSERT the events' rows, each value as the ORM would send it (JSON as `json.dumps` writes
    it, the time as the backend adapts it)."""
    opts = AuditEvent._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(opts.get_field(name).column) for name in _EVENT_FIELDS)
    table = quote(opts.db_table)
    dumps = json_text
    if connection.vendor == "postgresql":
        sql = f"COPY {table} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for seq, actor_id, action, item_uid, data, prev_hash, digest in rows:
                copy.write_row(
                    (seq, now, actor_id, action, item_uid, dumps(data), prev_hash, digest)
                )
        return
    at = opts.get_field("at").get_db_prep_save(now, connection)
    params = ", ".join(["%s"] * len(_EVENT_FIELDS))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES ({params})",  # noqa: S608
            [
                (seq, at, actor_id, action, item_uid, dumps(data), prev_hash, digest)
                for seq, actor_id, action, item_uid, data, prev_hash, digest in rows
            ],
        )


class _Appended(Sequence):
    """The events of seq `first` to `last`, read from the database when first used."""

    def __init__(self, first: int, last: int) -> None:
        self.first, self.last = first, last
        self._events: list[AuditEvent] | None = None

    def _load(self) -> list[AuditEvent]:
        if self._events is None:
            self._events = list(
                AuditEvent.objects.filter(seq__gte=self.first, seq__lte=self.last).order_by("seq")
            )
        return self._events

    def __len__(self) -> int:
        return self.last - self.first + 1

    def __getitem__(self, index):
        return self._load()[index]


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    bad_seq: int | None = None
    reason: str = ""
    last_hash: str = GENESIS


def verify(chunk_size: int = 5000) -> VerifyResult:
    """Walk the whole chain in order; report the first event that was edited, removed or reordered."""
    # The head is read first: events appended while the walk runs come after it and are checked
    # by the walk, but they must not make the head look as if events had been removed.
    head = AuditHead.objects.filter(pk=1).values_list("seq", "hash").first()
    result = _verify_stored(chunk_size)
    if result is None or not result.ok:
        # The documented walk, in seq order through the ORM: it names the first bad event.
        rows = (
            AuditEvent.objects.order_by("seq")
            .values_list("seq", "at", "actor_id", "action", "item_uid", "data", "prev_hash", "hash")
            .iterator(chunk_size=chunk_size)
        )
        result = verify_rows(rows)
    if not result.ok or head is None:
        return result
    head_seq, head_hash = head
    if result.checked < head_seq:
        return VerifyResult(
            False,
            result.checked,
            result.checked + 1,
            f"the chain ends at seq {result.checked} but its head records seq {head_seq}: "
            "events were removed from the end",
        )
    at_head = (
        result.last_hash
        if result.checked == head_seq
        else (AuditEvent.objects.filter(seq=head_seq).values_list("hash", flat=True).first())
    )
    if head_seq and at_head != head_hash:
        return VerifyResult(
            False, result.checked, head_seq, "the event at the head's seq is not the one it records"
        )
    return result


# The pieces of `canonical`, so the verifier builds the same bytes without a dict per event: keys
# in sorted order, each value encoded exactly as `json.dumps(..., ensure_ascii=False)` encodes it.
# With the hash before it (ASCII hex), this is what `chain_hash` hashes, in one piece.
_CHAINED = '%s{"action":%s,"actor":%s,"at":%s,"data":%s,"item_uid":%s,"seq":%s}'
_encode_str = json.encoder.encode_basestring  # what that encoding uses for every str
# to_char() of a UTC timestamp as `datetime.isoformat(timespec="microseconds")` writes it.
_PG_ISOFORMAT = 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"'


def _value_encoder() -> Callable[[Any], str]:
    """`json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)`, made once."""
    encoder = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return encoder.encode
    # The C encoder that `encoder.encode` builds anew on every call; circular checks cannot
    # change the output, and values decoded from JSON cannot be circular.
    try:
        chunks = make(None, encoder.default, _encode_str, None, ":", ",", True, False, True)
        join = "".join
        fast = lambda value: join(chunks(value, 0))  # noqa: E731
        sample = {"b": [1, 2.5, None, True], "a": {"é": '\u2028"\n'}}
        if fast(sample) == encoder.encode(sample):
            return fast
    except TypeError:  # another Python's C encoder: use the documented way
        pass
    return encoder.encode


_encode_data = _value_encoder()


def _plain_encoder() -> Callable[[Any], str]:
    """`json.dumps(value)` with its defaults (how JSONField stores a value), made once, for the
    dicts and lists it is given (a str alone is written by `json.dumps` itself)."""
    encoder = json.JSONEncoder()
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return json.dumps
    try:
        chunks = make(
            None, encoder.default, json.encoder.encode_basestring_ascii, None, ": ", ", ",
            False, False, True,
        )  # fmt: skip
        join, dumps = "".join, json.dumps

        def fast(value: Any) -> str:
            if type(value) is dict or type(value) is list:
                return join(chunks(value, 0))
            return dumps(value)

        sample = {"b": [1, 2.5, None, True, {"z": 1, "a": "é\u2028"}], "a": {"é": '"\n'}}
        if fast(sample) == dumps(sample) and fast([sample]) == dumps([sample]):
            return fast
    except TypeError:  # another Python's C encoder: use the documented way
        pass
    return json.dumps


# `json.dumps(value)`, as Django's JSONField writes a value to the database.
json_text = _plain_encoder()


def _json_decoder() -> Callable[[str], Any]:
    """`json.loads(text)` (as JSONField.from_db_value uses it); the text is kept if not JSON."""
    scan, loads, decode_error = json.JSONDecoder().scan_once, json.loads, json.JSONDecodeError

    def decode(text: str) -> Any:
        try:
            value, end = scan(text, 0)
            if end == len(text):
                return value
        except StopIteration:
            pass
        try:  # whitespace around the value, or not JSON: exactly as json.loads has it
            return loads(text)
        except decode_error:
            return text

    return decode


# A chain at least this long is verified by one process per core (two on the reference machine).
PARALLEL_MIN_EVENTS = 100_000


@dataclass(frozen=True)
class _Span:
    """A run of stored events that verified on its own, and how it must join the runs around it."""

    count: int
    first_seq: int = 0
    first_prev: str = ""
    last_seq: int = 0
    last_hash: str = ""


def _verify_stored(chunk_size: int) -> VerifyResult | None:
    """The fast path of `verify`: raw rows in storage (primary key) order, where appends put them.

    Returns None as soon as storage order is not seq order or anything fails to match, so that
    `verify` walks the chain again in seq order and reports the first bad event as it always has.
    A long chain is cut into spans verified in parallel, then joined: each span's first event must
    follow the one before it (seq + 1, prev_hash = its hash), exactly as in one walk.
    """
    spans = _parallel_spans(chunk_size)
    if spans is None:
        spans = [_verify_span(chunk_size)]
    expected_seq, prev, checked = 1, GENESIS, 0
    for span in spans:
        if span is None:
            return None
        if not span.count:
            continue
        if span.first_seq != expected_seq or span.first_prev != prev:
            return None
        expected_seq, prev, checked = span.last_seq + 1, span.last_hash, checked + span.count
    return VerifyResult(True, checked, last_hash=prev)


def _parallel_spans(chunk_size: int) -> list[_Span | None] | None:
    """Spans verified by forked processes, one per core; None where that is not safe or useful.

    Only outside a transaction (a child sees committed rows only), with the database in a file or
    on a server, in a process without other threads (fork copies no threads), on two cores or more.
    """
    workers = min(os.cpu_count() or 1, 8)
    if (
        workers < 2
        or connection.in_atomic_block
        or threading.active_count() > 1
        or "fork" not in multiprocessing.get_all_start_methods()
        or (connection.vendor == "sqlite" and connection.is_in_memory_db())
    ):
        return None
    opts = AuditEvent._meta
    quote = connection.ops.quote_name
    pk = quote(opts.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MIN({pk}), MAX({pk}) FROM {quote(opts.db_table)}")  # noqa: S608
        low, high = cursor.fetchone()
    if low is None or high - low + 1 < PARALLEL_MIN_EVENTS:
        return None
    step = (high - low + 1) // workers
    bounds = [(low + n * step, high if n == workers - 1 else low + (n + 1) * step - 1)
              for n in range(workers)]  # fmt: skip
    # A forked child must not share the parent's connection: close it; each side opens its own.
    connection.close()
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return pool.starmap(_verify_span, [(chunk_size, a, b) for a, b in bounds])
    except Exception:  # a child could not run: walk in this process instead
        return None


def _verify_span(chunk_size: int, low: int | None = None, high: int | None = None) -> _Span | None:
    """Verify the stored events with primary keys from `low` to `high` (all of them if None).

    Each value is decoded as the ORM decodes it (JSON text with `json.loads`, naive datetimes in
    the connection's time zone) and encoded into exactly the bytes of `canonical`.
    """
    opts = AuditEvent._meta
    quote = connection.ops.quote_name
    names = ("seq", "at", "actor", "action", "item_uid", "data", "prev_hash", "hash")
    columns = [quote(opts.get_field(name).column) for name in names]
    aware, tz, utc = settings.USE_TZ, connection.timezone, dt.UTC
    # SQLite keeps datetimes as text, in UTC unless the database has a TIME_ZONE: read the text
    # and, in the usual case, rewrite it as isoformat() would write it rather than parse it.
    # PostgreSQL writes isoformat()'s UTC form itself (on its own core, and far faster than
    # loading a timestamptz into Python); anything else is read as a datetime.
    sqlite_text = iso_text = False
    if connection.vendor == "sqlite":
        columns[1] = f"CAST({columns[1]} AS TEXT)"
        sqlite_text = aware and tz is utc
    elif connection.vendor == "postgresql":
        columns[1] = f"""to_char({columns[1]} AT TIME ZONE 'UTC', '{_PG_ISOFORMAT}')"""
        iso_text = True
    pk = quote(opts.pk.column)
    where, params = ("", []) if low is None else (f" WHERE {pk} BETWEEN %s AND %s", [low, high])
    sql = f"SELECT {', '.join(columns)} FROM {quote(opts.db_table)}{where} ORDER BY {pk}"  # noqa: S608
    encode_value, encode_str, decode = _value_encoder(), _encode_str, _json_decoder()
    template, sha256 = _CHAINED, hashlib.sha256
    count = first_seq = 0
    first_prev = ""
    # On PostgreSQL a server-side cursor streams only inside a transaction (outside one it is
    # WITH HOLD, and the whole result is stored first); SQLite reads without one.
    reading = transaction.atomic() if connection.vendor == "postgresql" else nullcontext()
    with reading, connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(chunk_size):
            if not count:
                first_seq, first_prev = rows[0][0], rows[0][6]
                expected_seq, prev = first_seq, first_prev
            for seq, at, actor, action, item_uid, data, prev_hash, digest in rows:
                if seq != expected_seq or prev_hash != prev:
                    return None
                if iso_text:
                    at_text = f'"{at}"'
                elif type(at) is str:
                    if sqlite_text and len(at) == 26 and at[10] == " " and at[19] == ".":
                        at_text = f'"{at[:10]}T{at[11:]}+00:00"'
                    else:
                        at = parse_datetime(at)
                        if at is None:
                            return None
                        if aware and at.tzinfo is None:
                            at = at.replace(tzinfo=tz)
                        at_text = encode_str(at.astimezone(utc).isoformat(timespec="microseconds"))
                else:
                    if aware and at.tzinfo is None:
                        at = at.replace(tzinfo=tz)
                    at_text = encode_str(at.astimezone(utc).isoformat(timespec="microseconds"))
                if actor is not None and type(actor) is not int:
                    actor = encode_value(actor)
                chained = template % (
                    prev,
                    encode_str(action) if type(action) is str else encode_value(action),
                    "null" if actor is None else actor,
                    at_text,
                    encode_value(decode(data) if type(data) is str else data),
                    encode_str(item_uid) if type(item_uid) is str else encode_value(item_uid),
                    seq,
                )
                if sha256(chained.encode()).hexdigest() != digest:
                    return None
                prev = digest
                expected_seq += 1
            count += len(rows)
    if not count:
        return _Span(0)
    return _Span(count, first_seq, first_prev, expected_seq - 1, prev)


def verify_rows(rows: Iterator[tuple]) -> VerifyResult:
    expected_seq, prev = 1, GENESIS
    checked = 0
    for seq, at, actor, action, item_uid, data, prev_hash, digest in rows:
        if seq != expected_seq:
            bad = expected_seq if seq > expected_seq else seq
            return VerifyResult(False, checked, bad, f"expected seq {expected_seq}, found {seq}")
        if prev_hash != prev:
            return VerifyResult(False, checked, seq, "prev_hash does not match the event before")
        body = canonical(seq=seq, at=at, actor=actor, action=action, item_uid=item_uid, data=data)
        if chain_hash(prev, body) != digest:
            return VerifyResult(False, checked, seq, "hash does not match the event's contents")
        prev = digest
        expected_seq += 1
        checked += 1
    return VerifyResult(True, checked, last_hash=prev)
