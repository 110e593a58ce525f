"""The engagement channel's pages, timed in-process on a generated dataset.

    .venv/bin/python benchmarks/engagement.py --database-url sqlite:////tmp/bench.sqlite3 \
        [--requests 200] [--seed 2026]

Requests each page through Django's request handler in this process, one at a time (latency
without queueing, without gunicorn or HTTP): `/engagement` (every resolved submission the viewer
may see, its first pages, and filtered by category and state) and a submission's page `/k/{uid}`
for open published submissions picked at random, anonymously; `/engagement/queue` (the received
submissions, oldest first) as a member of Research & Engagement; and `/engagement/mine` as the
person who raised the most. The signed-in sessions are made for the run and deleted after it.
Prints p50/p95/p99 in milliseconds and the queries of one request of each, with the load average.
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
    _session_for,
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
    _setup_in_process(args.database_url, "engagement")
    from django.db import connection
    from django.db.models import Count

    from orchestrator.core.models import Status, Visibility
    from orchestrator.engagement.models import Category, State, Submission
    from orchestrator.people.models import Role, User

    rng = random.Random(args.seed)
    uids = list(
        Submission.objects.filter(status=Status.PUBLISHED, visibility=Visibility.OPEN).values_list(
            "uid", flat=True
        )
    )
    if not uids:
        sys.exit("engagement: no open published submissions; run `generate` first.")
    sample = rng.sample(uids, min(SAMPLE, len(uids)))
    waiting = Submission.objects.filter(state=State.RECEIVED).count()
    most = (
        Submission.objects.values("created_by")
        .annotate(raised=Count("id"))
        .order_by("-raised", "created_by")
        .first()
    )
    raiser = User.objects.get(pk=most["created_by"])
    print(
        f"{Submission.objects.count():,} submissions ({len(uids):,} open and published, "
        f"{waiting:,} waiting; the most raised by one person {most['raised']:,}), "
        f"{connection.vendor}; load {_load()}"
    )
    public = [
        ("/engagement", ["/engagement", "/engagement?page=2", "/engagement?page=40"]),
        ("/engagement, filtered", [f"/engagement?category={c}" for c in Category.values]
         + [f"/engagement?state={s}" for s in State.values if s != State.RECEIVED]
         + ["/engagement?category=risk&state=accepted"]),
        ("/k/{uid} (a submission's page)", [f"/k/{uid}" for uid in sample]),
    ]  # fmt: skip
    triager, _ = _session_as(Role.RESEARCH_ENGAGEMENT, "member of Research & Engagement")
    mine, _ = _session_for(raiser, "submitter")
    try:
        _time_in_process(public, {"anonymous": None}, requests=args.requests, warmup=args.warmup)
        _time_in_process(
            [("/engagement/queue", ["/engagement/queue", "/engagement/queue?page=2"])],
            {"R&E": triager},
            requests=args.requests,
            warmup=args.warmup,
        )
        _time_in_process(
            [("/engagement/mine", ["/engagement/mine"])],
            {"submitter": mine},
            requests=args.requests,
            warmup=args.warmup,
        )
    finally:
        _end_session(triager)
        _end_session(mine)
    print(f"load {_load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
