"""The schedule of decisions and one decision by the API, timed in-process on a generated dataset.

    .venv/bin/python benchmarks/decisions.py --database-url sqlite:////tmp/bench.sqlite3 \
        [--requests 200] [--seed 2026]

Requests each endpoint through Django's request handler in this process, one at a time (latency
without queueing, without gunicorn or HTTP), anonymously and as a member of staff (a product owner
of the dataset, signed in by a session made for the run and deleted after it; staff see every
decision, drafts included): `/decisions` (the schedule's first pages), `/decisions` filtered by
stage and by type, `GET /api/v1/decisions`, and a decision's page `/k/{uid}` and
`GET /api/v1/decisions/{uid}` for open published decisions picked at random. Prints p50/p95/p99 in milliseconds and the queries of one request of
each, with the load average (the figures vary with a shared machine's load).
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from reads import _end_session, _load, _percentile, _session_as  # noqa: E402  (benchmarks/ is a folder of scripts)

SAMPLE = 200


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--requests", type=int, default=200, help="timed requests per endpoint")
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests per endpoint")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    if not args.database_url:
        parser.error("give --database-url (or set DATABASE_URL)")
    os.environ.update(
        {
            "DATABASE_URL": args.database_url,
            "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(48),
            "DEBUG": "false",
            "HTTPS": "false",  # no redirect to TLS: production is behind it
            "ORCHESTRATOR_VAR": tempfile.mkdtemp(prefix="orchestrator-decisions-"),
            "DJANGO_SETTINGS_MODULE": "orchestrator.settings",
        }
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", "--check", verbosity=0)  # a database behind the code measures nothing
    call_command("collectstatic", "--noinput", verbosity=0)
    from django.db import connection
    from django.test import Client

    from orchestrator.core.models import Status, Visibility
    from orchestrator.decisions.models import Decision, Stage

    rng = random.Random(args.seed)
    uids = list(
        Decision.objects.filter(status=Status.PUBLISHED, visibility=Visibility.OPEN).values_list(
            "uid", flat=True
        )
    )
    if not uids:
        sys.exit("decisions: no open published decisions; run `generate` first.")
    sample = rng.sample(uids, min(SAMPLE, len(uids)))
    print(
        f"{Decision.objects.count():,} decisions ({len(uids):,} open and published), "
        f"{connection.vendor}; load {_load()}"
    )
    endpoints = [
        ("/decisions", ["/decisions", "/decisions?page=2&past_page=3"]),
        ("/decisions, filtered", [f"/decisions?stage={s}" for s in Stage.values]
         + ["/decisions?type=scope", "/decisions?type=design&stage=reviewed"]),
        ("GET /api/v1/decisions", ["/api/v1/decisions", "/api/v1/decisions?when=past"]),
        ("/k/{uid} (a decision's page)", [f"/k/{uid}" for uid in sample]),
        ("GET /api/v1/decisions/{uid}", [f"/api/v1/decisions/{uid}" for uid in sample]),
    ]  # fmt: skip
    session_key = _staff_session()
    try:
        print(f"{'endpoint':<32} {'who':<9} {'n':>5} {'p50':>8} {'p95':>8} {'p99':>8}  queries")
        for who in ("anonymous", "staff"):
            client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])
            if who == "staff":
                client.cookies[settings.SESSION_COOKIE_NAME] = session_key
            for name, paths in endpoints:
                for n in range(args.warmup):
                    client.get(paths[n % len(paths)])
                queries: list[str] = []

                def counted(execute, sql, params, many, context, queries=queries):
                    queries.append(sql)
                    return execute(sql, params, many, context)

                with connection.execute_wrapper(counted):
                    response = client.get(paths[0])
                if response.status_code != 200:
                    sys.exit(f"{paths[0]} as {who}: {response.status_code}")
                times = []
                for n in range(args.requests):
                    path = paths[n % len(paths)]
                    started = time.perf_counter()
                    status = client.get(path).status_code
                    times.append(time.perf_counter() - started)
                    if status != 200:
                        sys.exit(f"{path} as {who}: {status}")
                times.sort()
                cells = " ".join(f"{_percentile(times, p) * 1000:8.1f}" for p in (50, 95, 99))
                print(f"{name:<32} {who:<9} {len(times):>5} {cells}  {len(queries)}")
    finally:
        _end_session(session_key)
    print(f"load {_load()}")
    return 0


def _staff_session() -> str:
    """A session signed in as a product owner of the dataset."""
    from orchestrator.people.models import Role

    return _session_as(Role.PRODUCT_OWNER, "product owner")[0]


if __name__ == "__main__":
    sys.exit(main())
