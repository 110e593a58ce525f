"""Full open-data export (/data/items.jsonl or .csv): records/s and peak RSS, against DESIGN.md's
≥ 20k records/s in ≤ 300 MB RSS whatever the size.

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 SECRET_KEY=… .venv/bin/python benchmarks/export.py \
        [--format jsonl|csv] [--runs 3] [--as-staff]

Requests the export through Django's whole request handler (middleware, URL routing, the view and
its StreamingHttpResponse) in this process, reads the streamed body to the end as a client would,
and counts its rows. Anonymous by default, so the rows are the open records; `--as-staff` makes an
API token for a member of staff (audited, revoked afterwards) and exports everything. Prints rows,
bytes, seconds, records/s and MB/s for each run, then the median, this process's peak RSS (which
includes Django itself) and how much the RSS grew while exporting.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import resource
import statistics
import sys
import time

TARGET_RATE = 20_000  # records/s, DESIGN.md "Performance"
TARGET_RSS_MB = 300


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--as-staff", action="store_true", help="export with a staff API token")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "orchestrator.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from orchestrator.core.models import Item

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, load average {_load()}")  # fmt: skip

    headers = {"HTTP_HOST": settings.ALLOWED_HOSTS[0]}
    token = None
    if args.as_staff:
        token = _staff_token()
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token[1]}"
    path = f"/data/items.{args.format}"
    expected = Item.objects.visible_to(token[0].user if token else None).count()
    print(f"exporting {path} as {'staff' if token else 'anonymous'}: {expected:,} of "
          f"{Item.objects.count():,} records in the database")  # fmt: skip

    client = Client()
    # Load the URLs, the middleware and the views first (a refused request, not logged): a run
    # measures the export alone.
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    client.get(f"{path}?kind=-", secure=settings.SECURE_SSL_REDIRECT, **headers)
    logging.getLogger("django.request").setLevel(logging.NOTSET)
    rates, growth = [], []
    try:
        for n in range(1, args.runs + 1):
            rss_before = _rss_mb()
            started = time.perf_counter()
            response = client.get(path, secure=settings.SECURE_SSL_REDIRECT, **headers)
            if response.status_code != 200:
                print(f"{path}: HTTP {response.status_code}: {response.content[:200]!r}")
                return 1
            lines = size = 0
            for piece in response.streaming_content:
                size += len(piece)
                lines += piece.count(b"\n")
            response.close()
            elapsed = time.perf_counter() - started
            # A JSON line is a record; a CSV record may hold line breaks, so count it as expected.
            rows = lines if args.format == "jsonl" else expected
            if args.format == "jsonl" and rows != expected:
                print(f"{path}: {rows:,} lines for {expected:,} visible records")
                return 1
            rates.append(rows / elapsed if elapsed else 0.0)
            growth.append(_rss_mb() - rss_before)
            print(f"run {n}: {rows:,} records, {size / 1e6:,.1f} MB in {elapsed:.2f} s = "
                  f"{rates[-1]:,.0f} records/s, {size / 1e6 / elapsed:,.1f} MB/s; "
                  f"RSS {_rss_mb():,.0f} MB ({growth[-1]:+,.0f} MB)")  # fmt: skip
    finally:
        if token is not None:
            from orchestrator.api.services import revoke_token

            revoke_token(actor=token[0].user, token=token[0])
    median = statistics.median(rates)
    peak = _peak_rss_mb()
    rate_verdict = "meets" if median >= TARGET_RATE else "below"
    rss_verdict = "meets" if peak <= TARGET_RSS_MB else "above"
    print(f"export {args.format}: median {median:,.0f} records/s ({rate_verdict} the "
          f"{TARGET_RATE:,} records/s target); peak RSS {peak:,.0f} MB ({rss_verdict} the "
          f"{TARGET_RSS_MB} MB target), grew at most {max(growth):+,.0f} MB while exporting; "
          f"load average {_load()}")  # fmt: skip
    return 0


def _staff_token():
    from orchestrator.api.services import create_token
    from orchestrator.people.models import STAFF_ROLES, Appointment

    appointment = (
        Appointment.objects.current().filter(role__in=STAFF_ROLES).select_related("user").first()
    )
    if appointment is None:
        sys.exit("--as-staff: nobody holds a staff role in this database")
    return create_token(actor=appointment.user, name="benchmarks/export.py")


def _rss_mb() -> float:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return _peak_rss_mb()


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return peak / 1024 if sys.platform != "darwin" else peak / 1024 / 1024


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


if __name__ == "__main__":
    sys.exit(main())
