"""The hash-chained audit log: appended by services in their own transaction, verifiable by anyone."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
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
) -> list[AuditEvent]:
    """Append events (actor, action, item uid, data) in order, under one lock of the chain head."""
    with transaction.atomic():
        head = _lock_head()
        seq, prev = head.seq, head.hash
        rows = []
        now = timezone.now()
        for actor, action, item_uid, data in events:
            seq += 1
            actor_id = actor.pk if actor is not None else None
            body = canonical(
                seq=seq, at=now, actor=actor_id, action=action, item_uid=item_uid, data=data
            )
            digest = chain_hash(prev, body)
            rows.append(
                AuditEvent(
                    seq=seq,
                    at=now,
                    actor_id=actor_id,
                    action=action,
                    item_uid=item_uid,
                    data=data,
                    prev_hash=prev,
                    hash=digest,
                )
            )
            prev = digest
        AuditEvent.objects.bulk_create(rows, batch_size=2000)
        AuditHead.objects.filter(pk=1).update(seq=seq, hash=prev)
        return rows


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    bad_seq: int | None = None
    reason: str = ""
    last_hash: str = GENESIS


def verify(chunk_size: int = 5000) -> VerifyResult:
    """Walk the whole chain in order; report the first event that was edited, removed or reordered."""
    result = _verify_stored(chunk_size)
    if result is None or not result.ok:
        # The documented walk, in seq order through the ORM: it names the first bad event.
        rows = (
            AuditEvent.objects.order_by("seq")
            .values_list("seq", "at", "actor_id", "action", "item_uid", "data", "prev_hash", "hash")
            .iterator(chunk_size=chunk_size)
        )
        result = verify_rows(rows)
    if not result.ok:
        return result
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.seq, head.hash) != (result.checked, result.last_hash):
        return VerifyResult(
            False,
            result.checked,
            result.checked + 1,
            f"the chain ends at seq {result.checked} but its head records seq {head.seq}: "
            "events were removed from the end",
        )
    return result


# The pieces of `canonical`, so the verifier can build its bytes without a dict per event: keys in
# sorted order, each value encoded exactly as `json.dumps(..., ensure_ascii=False)` encodes it.
_encode_value = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode
_encode_str = json.encoder.encode_basestring  # what that encoder uses for every str
_CANONICAL = '{"action":%s,"actor":%s,"at":%s,"data":%s,"item_uid":%s,"seq":%s}'


def _verify_stored(chunk_size: int) -> VerifyResult | None:
    """The fast path of `verify`: raw rows in storage (primary key) order, where appends put them.

    Each value is decoded as the ORM decodes it (JSON text with `json.loads`, naive datetimes in
    the connection's time zone) and encoded into exactly the bytes of `canonical`. Returns None as
    soon as storage order is not seq order or anything fails to match, so that `verify` walks the
    chain again in seq order and reports the first bad event as it always has.
    """
    opts = AuditEvent._meta
    quote = connection.ops.quote_name
    names = ("seq", "at", "actor", "action", "item_uid", "data", "prev_hash", "hash")
    columns = ", ".join(quote(opts.get_field(name).column) for name in names)
    sql = (
        f"SELECT {columns} FROM {quote(opts.db_table)} "  # noqa: S608  (names from model metadata)
        f"ORDER BY {quote(opts.pk.column)}"
    )
    aware = settings.USE_TZ
    tz, utc = connection.timezone, dt.UTC
    loads, decode_error = json.loads, json.JSONDecodeError
    encode_value, encode_str, template = _encode_value, _encode_str, _CANONICAL
    sha256 = hashlib.sha256
    expected_seq, prev = 1, GENESIS
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql)
        while rows := cursor.fetchmany(chunk_size):
            for seq, at, actor, action, item_uid, data, prev_hash, digest in rows:
                if seq != expected_seq or prev_hash != prev:
                    return None
                if type(at) is str:
                    at = parse_datetime(at)
                if aware and at.tzinfo is None:
                    at = at.replace(tzinfo=tz)
                if type(data) is str:
                    try:
                        data = loads(data)
                    except decode_error:
                        pass  # JSONField.from_db_value keeps what it cannot decode
                body = template % (
                    encode_str(action) if type(action) is str else encode_value(action),
                    "null" if actor is None else encode_value(actor),
                    encode_str(at.astimezone(utc).isoformat(timespec="microseconds")),
                    encode_value(data),
                    encode_str(item_uid) if type(item_uid) is str else encode_value(item_uid),
                    encode_value(seq),
                )
                if sha256(prev.encode("ascii") + body.encode()).hexdigest() != digest:
                    return None
                prev = digest
                expected_seq += 1
    return VerifyResult(True, expected_seq - 1, last_hash=prev)


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
