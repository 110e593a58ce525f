"""Time `orchestrator generate` and describe the dataset it leaves, for docs/performance.md.

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 SECRET_KEY=… .venv/bin/python benchmarks/generate.py \
        --scale national --seed 2026

Run `orchestrator manage migrate` on the database first. Prints the generator's own progress
(stderr) and summary, then the sizes of what is in the database now.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["small", "national"], default="national")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--sizes-only", action="store_true", help="describe, do not generate")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "orchestrator.settings")
    import django

    django.setup()
    from django.db import connection

    from orchestrator.demo.generate import generate

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    if not args.sizes_only:
        started = time.perf_counter()
        generate(scale=args.scale, seed=args.seed)
        elapsed = time.perf_counter() - started
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"generate --scale {args.scale}: {elapsed:,.1f} s wall, peak RSS {rss:,.0f} MB")
    _describe()
    return 0


def _describe() -> None:
    from django.db.models import Count

    from orchestrator.core.models import AuditEvent, Item, ItemRestriction, Link, Triage
    from orchestrator.people.models import Appointment, Organisation, User

    print("dataset now in the database:")
    for label, model in [("organisations", Organisation), ("people", User),
                         ("appointments", Appointment), ("records", Item), ("triages", Triage),
                         ("restrictions", ItemRestriction), ("links", Link),
                         ("audit events", AuditEvent)]:  # fmt: skip
        print(f"  {label:<14} {model.objects.count():>12,}")
    levels = Item.objects.values("status", "visibility").annotate(n=Count("id"))
    for row in levels.order_by("status", "visibility"):
        print(f"    {row['status']:<10} {row['visibility']:<11} {row['n']:>10,}")


if __name__ == "__main__":
    sys.exit(main())
