"""The audit chain: appended with every change, and any edit, removal or reordering is detected."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.db import connection, transaction

from orchestrator.cli import main
from orchestrator.core import audit
from orchestrator.core.models import AuditEvent

from ..conftest import client_for


def _raw(sql: str, params=()) -> None:
    # Tampering goes straight to the database, past the append-only model, as an attacker would.
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_every_service_call_appends_to_a_chain_that_verifies(world):
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert {"item.created", "item.triaged", "item.published", "appointment.made"} <= set(actions)
    result = audit.verify()
    assert result.ok and result.checked == len(actions)


def test_editing_an_event_is_detected_at_its_seq(world):
    target = AuditEvent.objects.get(seq=5)
    _raw("UPDATE core_auditevent SET action = %s WHERE seq = %s", ["item.forged", target.seq])
    result = audit.verify()
    assert not result.ok and result.bad_seq == 5


def test_editing_an_events_data_is_detected(world):
    _raw("UPDATE core_auditevent SET data = %s WHERE seq = %s", ['{"outcome": "open"}', 7])
    assert audit.verify().bad_seq == 7


def test_removing_an_event_is_detected(world):
    _raw("DELETE FROM core_auditevent WHERE seq = %s", [4])
    result = audit.verify()
    assert not result.ok and result.bad_seq == 4


def test_removing_the_last_event_is_detected_by_the_head(world):
    last = AuditEvent.objects.order_by("-seq").first().seq
    _raw("DELETE FROM core_auditevent WHERE seq = %s", [last])
    result = audit.verify()
    assert not result.ok and result.bad_seq == last


def test_reordering_events_is_detected(world):
    # Swap two events' positions, keeping every row's own hash intact.
    _raw("UPDATE core_auditevent SET seq = -1 WHERE seq = 3")
    _raw("UPDATE core_auditevent SET seq = 3 WHERE seq = 4")
    _raw("UPDATE core_auditevent SET seq = 4 WHERE seq = -1")
    result = audit.verify()
    assert not result.ok and result.bad_seq == 3


def test_the_model_refuses_to_change_or_delete_an_event(world):
    event = AuditEvent.objects.first()
    event.action = "item.forged"
    with pytest.raises(Exception, match="append-only"):
        event.save()
    with pytest.raises(Exception, match="append-only"):
        event.delete()


def test_append_outside_a_transaction_is_refused(transactional_db):
    with pytest.raises(RuntimeError, match="transaction"):
        audit.append(actor=None, action="test.event")


def test_a_failed_change_leaves_no_event(world):
    before = AuditEvent.objects.count()
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        audit.append(actor=None, action="test.event")
        1 / 0
    assert AuditEvent.objects.count() == before
    assert audit.verify().ok


def test_cli_audit_verify_exits_0_when_intact_and_1_naming_the_seq(world, capsys):
    assert main(["audit", "verify"]) == 0
    assert "intact" in capsys.readouterr().out
    _raw("UPDATE core_auditevent SET item_uid = %s WHERE seq = %s", ["zzzzzzzzzz", 6])
    assert main(["audit", "verify"]) == 1
    assert "seq 6" in capsys.readouterr().err


def test_the_public_export_verifies_with_the_documented_algorithm(world):
    """docs/audit.md: recompute each visible event's hash; check every link of the chain."""
    body = b"".join(client_for(None).get("/audit.jsonl").streaming_content)
    prev = "0" * 64
    withheld = 0
    for line in body.splitlines():
        event = json.loads(line)
        assert event["prev_hash"] == prev
        if event.get("withheld"):
            withheld += 1
        else:
            canonical = {k: event[k] for k in ("seq", "at", "actor", "action", "item_uid", "data")}
            payload = json.dumps(
                canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False
            ).encode()
            assert hashlib.sha256(prev.encode() + payload).hexdigest() == event["hash"]
        prev = event["hash"]
    assert withheld > 0  # the anonymous export hides the closed record's and the draft's events
