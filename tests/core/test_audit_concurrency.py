"""Concurrent writers never fork the audit chain: appends serialise on the chain's head."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from orchestrator.core import audit
from orchestrator.core.models import AuditEvent

WRITERS, EACH = 6, 15


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_make_one_unbroken_chain():
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs a server database: the SQLite test database is in memory, one connection"
        )
    barrier = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            barrier.wait()
            for i in range(EACH):
                with transaction.atomic():
                    audit.append(actor=None, action="test.concurrent", data={"writer": n, "i": i})
        except BaseException as exc:  # reported below, in the test's own thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, WRITERS * EACH + 1))
    assert audit.verify().ok
