"""Impact analysis p95 at national scale, against DESIGN.md's target.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_arch SECRET_KEY=… \
        .venv/bin/python benchmarks/bench_architecture.py [--duration 20] [--clients 1,8]

Impact analysis: `architecture.graph.impact(user, element, direction="both")` for 200 random
elements each viewer may see — anonymously (open, published elements) and as a member of the
Architecture Team of the generated dataset (who sees every element, drafts included) — with 1 and
then 8 concurrent clients. Each client is a process of its own, forked after the sample is read,
with its own database connection; each calls `impact` for random elements of the sample for
`--duration` seconds (after `--warmup` seconds unmeasured). Prints calls/s, p50/p95/p99, the
median number of elements reached, and the load average, against the target p95 ≤ 200 ms with 8
clients (on PostgreSQL).

ArchiMate import speed is measured by `bench_archimate_import.py`.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from reads import _load, _percentile  # noqa: E402  (benchmarks/ is a folder of scripts)

SAMPLE = 200
TARGET_IMPACT_P95_MS = 200
NS = "http://www.opengroup.org/xsd/archimate/3.0/"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--duration", type=float, default=20, help="seconds per phase")
    parser.add_argument("--warmup", type=float, default=2, help="seconds per phase, unmeasured")
    parser.add_argument("--clients", default="1,8", help="concurrent clients, comma-separated")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    if not args.database_url:
        parser.error("give --database-url (or set DATABASE_URL)")
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "orchestrator.settings")
    import django

    django.setup()
    from django.db import connection

    from orchestrator.architecture.models import ArchitectureModel, Element, Relationship

    print(
        f"database: {connection.vendor} ({args.database_url}); {ArchitectureModel.objects.count():,}"
        f" models, {Element.objects.count():,} elements, {Relationship.objects.count():,} "
        f"relationships; {os.cpu_count()} CPUs; load average {_load()}"
    )
    _impact(args, _architect())
    return 0


def _architect():
    from orchestrator.people.models import Role, User

    user = (
        User.objects.filter(appointments__role=Role.ARCHITECT, appointments__end=None)
        .order_by("pk")
        .first()
    )
    if user is None:
        sys.exit("bench_architecture: no architect in the database; run `generate` first.")
    return user


# -- (a) impact analysis --------------------------------------------------------------------------


def _impact(args: argparse.Namespace, architect) -> None:
    from django.db import connections

    from orchestrator.architecture.graph import impact
    from orchestrator.architecture.models import Element

    rng = random.Random(args.seed)
    viewers = {"anonymous": None, "staff": architect}
    samples = {}
    for who, user in viewers.items():
        pks = list(Element.objects.visible_to(user).values_list("pk", flat=True))
        if not pks:
            sys.exit(f"bench_architecture: no elements visible to {who}; run `generate` first.")
        chosen = rng.sample(pks, min(SAMPLE, len(pks)))
        samples[who] = list(Element.objects.filter(pk__in=chosen).order_by("pk"))
        # How far each element's impact reaches, once, as this viewer sees it.
        reached = []
        for element in samples[who][:50]:
            result = impact(user, element, direction="both")
            reached.append(len(result.downstream) + len(result.upstream))
        print(
            f"impact sample, {who}: {len(samples[who])} of {len(pks):,} visible elements; "
            f"elements reached (first 50): median {statistics.median(reached):.0f}, "
            f"max {max(reached):,}"
        )
    connections.close_all()  # each forked client opens its own connection

    print(f"\nimpact(user, element, direction='both'): {args.duration:.0f} s per row after "
          f"{args.warmup:.0f} s warm-up; target p95 ≤ {TARGET_IMPACT_P95_MS} ms with 8 clients")  # fmt: skip
    print(
        f"{'who':<10} {'clients':>7} {'calls':>7} {'calls/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'max ms':>8}  load before → after"
    )
    for clients in [int(c) for c in args.clients.split(",")]:
        for who, user in viewers.items():
            load_before = _load()
            _run_clients(user, samples[who], clients, args.warmup, rng.random())
            latencies, elapsed = _run_clients(
                user, samples[who], clients, args.duration, rng.random()
            )
            values = sorted(latencies)
            p50, p95, p99 = (_percentile(values, p) * 1000 for p in (50, 95, 99))
            verdict = ""
            if clients >= 8:
                verdict = "  meets" if p95 <= TARGET_IMPACT_P95_MS else "  MISSES"
                verdict += f" the target ({p95 / TARGET_IMPACT_P95_MS:.2f} × 200 ms)"
            print(
                f"{who:<10} {clients:>7} {len(values):>7,} {len(values) / elapsed:>8.1f} "
                f"{p50:>8.1f} {p95:>8.1f} {p99:>8.1f} {values[-1] * 1000:>8.1f}  "
                f"{load_before} → {_load()}{verdict}"
            )


def _client(user, elements, duration: float, seed: float, queue) -> None:
    from orchestrator.architecture.graph import impact

    rng = random.Random(seed)
    latencies = []
    deadline = time.perf_counter() + duration
    while time.perf_counter() < deadline:
        element = rng.choice(elements)
        started = time.perf_counter()
        impact(user, element, direction="both")
        latencies.append(time.perf_counter() - started)
    queue.put(latencies)


def _run_clients(user, elements, clients: int, duration: float, seed: float):
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    processes = [
        context.Process(target=_client, args=(user, elements, duration, f"{seed}-{n}", queue))
        for n in range(clients)
    ]
    started = time.perf_counter()
    for p in processes:
        p.start()
    latencies = []
    for _ in processes:
        latencies.extend(queue.get())
    for p in processes:
        p.join()
        if p.exitcode:
            sys.exit(f"bench_architecture: a client failed (exit code {p.exitcode})")
    return latencies, time.perf_counter() - started


if __name__ == "__main__":
    sys.exit(main())
