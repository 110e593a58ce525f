"""Search latency: count plus the first page of 20, for 23 queries, as anonymous and as a registered user.

Run on a generated dataset (see README.md): DATABASE_URL=… .venv/bin/python benchmarks/search.py
"""

import os, time, statistics, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "orchestrator.settings")
django.setup()
from orchestrator.core import search
from orchestrator.core.models import SearchEntry
from orchestrator.people.models import User
words = [w for w in SearchEntry.objects.values_list("title", flat=True)[:2000:50]]
queries = [" ".join(t.split()[:2]) for t in words][:20] + ["data", "grid", "flexibility"]
for who in [None, User.objects.first()]:
    times = []
    for q in queries:
        t = time.perf_counter()
        qs = search.search(who, q)
        n = qs.count()
        page = list(qs.select_related("owner")[:20])
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    print("viewer", who and "registered" or "anonymous", "median %.1f ms p95 %.1f ms max %.1f ms" % (statistics.median(times), times[int(len(times)*0.95)-1], times[-1]), "e.g.", queries[0], n)
