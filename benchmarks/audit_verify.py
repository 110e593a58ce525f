"""Audit verify throughput (events/s) on the current database, against DESIGN.md's 200k events/s.

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 SECRET_KEY=… .venv/bin/python benchmarks/audit_verify.py

Runs `audit.verify()` (what `orchestrator audit verify` runs) a few times and reports each run and
the median; `--orm` also times the seq-ordered ORM walk it falls back to, for comparison.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time

TARGET = 200_000  # events/s, DESIGN.md "Performance"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--orm", action="store_true", help="also time the ORM walk (slow)")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "orchestrator.settings")
    import django

    django.setup()
    from django.db import connection

    from orchestrator.core import audit
    from orchestrator.core.models import AuditEvent

    vendor = connection.vendor
    print(f"database: {vendor} {connection.settings_dict['NAME']}")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, load average {_load()}")  # fmt: skip

    rates = []
    for n in range(1, args.runs + 1):
        started = time.perf_counter()
        result = audit.verify()
        elapsed = time.perf_counter() - started
        if not result.ok:
            print(f"the chain is broken at seq {result.bad_seq}: {result.reason}", file=sys.stderr)
            return 1
        rates.append(result.checked / elapsed)
        print(f"run {n}: {result.checked:,} events in {elapsed:.2f} s = {rates[-1]:,.0f} events/s")
    median = statistics.median(rates)
    verdict = "meets" if median >= TARGET else "below"
    print(f"audit verify: median {median:,.0f} events/s, best {max(rates):,.0f} "
          f"({verdict} the {TARGET:,} events/s target); load average {_load()}")  # fmt: skip

    if args.orm:
        rows = (
            AuditEvent.objects.order_by("seq")
            .values_list("seq", "at", "actor_id", "action", "item_uid", "data", "prev_hash", "hash")
            .iterator(chunk_size=5000)
        )
        started = time.perf_counter()
        result = audit.verify_rows(rows)
        elapsed = time.perf_counter() - started
        print(f"ORM walk (verify_rows): {result.checked:,} events in {elapsed:.2f} s = "
              f"{result.checked / elapsed:,.0f} events/s")  # fmt: skip
    return 0


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


if __name__ == "__main__":
    sys.exit(main())
