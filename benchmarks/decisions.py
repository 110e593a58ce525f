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
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from reads import (  # noqa: E402  (benchmarks/ is a folder of scripts)
    _end_session,
    _load,
    _session_as,
    _setup_in_process,
    _time_in_process,
)

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
    _setup_in_process(args.database_url, "decisions")
    from django.db import connection

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
        _time_in_process(
            endpoints,
            {"anonymous": None, "staff": session_key},
            requests=args.requests,
            warmup=args.warmup,
        )
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
