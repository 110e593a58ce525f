"""Search latency: the result count plus the first page of 20, for 23 queries, per kind of viewer.

Run on a generated dataset (see README.md): `DATABASE_URL=… .venv/bin/python benchmarks/search.py`.
"""

from __future__ import annotations

import os
import statistics
import time


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "orchestrator.settings")
    import django

    django.setup()
    from orchestrator.core import search
    from orchestrator.core.models import SearchEntry
    from orchestrator.people.models import User

    titles = list(SearchEntry.objects.values_list("title", flat=True)[:2000:50])
    queries = [*(" ".join(t.split()[:2]) for t in titles[:20]), "data", "grid", "flexibility"]
    for label, viewer in (("anonymous", None), ("registered", User.objects.first())):
        times = []
        for q in queries:
            started = time.perf_counter()
            results = search.search(viewer, q)
            count = results.count()
            list(results.select_related("owner")[:20])
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        print(
            f"{label}: median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, "
            f"max {times[-1]:.1f} ms ({queries[0]!r}: {count:,} matches for the last query)"
        )


if __name__ == "__main__":
    main()
