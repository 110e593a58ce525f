"""Search latency, as the page and the API see it: results, count, first page of 20 and facets.

Run on a generated dataset (see README.md): `DATABASE_URL=… .venv/bin/python benchmarks/search.py`.
The queries are those of benchmarks/reads.py (the generated vocabulary: one, two and three words,
prefixes, queries that match nothing). `--all-matches` times `core.search.search` instead, which
ranks and counts every match (what the page did before `core.search.results`).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all-matches", action="store_true")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "orchestrator.settings")
    import django

    django.setup()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from reads import _sample

    from orchestrator.core import search
    from orchestrator.people.models import User

    _, queries = _sample(args.seed)
    for label, viewer in (("anonymous", None), ("registered", User.objects.first())):
        times = []
        for q in queries:
            started = time.perf_counter()
            if args.all_matches:
                results = search.search(viewer, q)
                results.count()
                list(results.select_related("owner")[:20])
            else:
                results = search.results(viewer, q)
                results.count()
                results[0:20]
                results.facets()
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        p95 = times[-(-len(times) * 95 // 100) - 1]
        print(
            f"{label}: {len(times)} queries, median {statistics.median(times):.1f} ms, "
            f"p95 {p95:.1f} ms, max {times[-1]:.1f} ms; load average {os.getloadavg()[0]:.2f}"
        )


if __name__ == "__main__":
    main()
