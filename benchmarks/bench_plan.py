"""The roadmap and the RAID log over HTTP at national scale, anonymously and as staff.

    .venv/bin/python benchmarks/bench_plan.py --database-url postgres://postgres@127.0.0.1:5432/bench \
        [--duration 20] [--clients 8] [--workers 3] [--profile]

Serves the site as benchmarks/reads.py does (gunicorn, sync workers, DEBUG off, plain HTTP on a free
port of 127.0.0.1, `reads_settings` with its trivial view) and drives, with `--clients` keep-alive
clients for `--duration` seconds each, then again with one client (latency without queueing):
the trivial view; `/roadmap` (the first page); `/roadmap?investment=<uid>` (200 random open
investments); `/roadmap?to=<milestone>` (the critical path to one of 200 random open milestones
that depend on others); `/raid` (the first page and both heat maps); `/raid` filtered (by kind and
status, status, owner or investment); and `/raid?likelihood=L&impact=I`, a heat-map cell (all 25).
Each page is measured anonymously and as a member of staff (a Portfolio manager of the generated
dataset, signed in by a session made for the run and deleted after it): staff see every record,
drafts included, so their pages count and draw more.

`--profile` also renders each page once in this process through Django's test client and prints
its time, its number of queries and its slowest queries with their times (`--functions N` adds
the N functions that took longest), for finding what makes a page slow (EXPLAIN the queries with
the database's own client); `--no-http` stops there.
"""

from __future__ import annotations

import argparse
import cProfile
import http.client
import io
import os
import pstats
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from reads import (  # noqa: E402  (benchmarks/ is a folder of scripts, not a package)
    Phase,
    _cpu,
    _cpu_share,
    _cpu_used,
    _end_session,
    _free_port,
    _load,
    _manage,
    _percentile,
    _session_as,
    _wait_for,
)

SAMPLE = 200
RAID_FILTERS = ["kind=risk&status=open", "status=managing", "kind=issue", "kind=dependency"]


@dataclass
class Run(Phase):
    cookie: str = ""  # the session cookie of the staff member, or none for anonymous


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--duration", type=float, default=20, help="seconds per endpoint")
    parser.add_argument("--warmup", type=float, default=3, help="seconds per endpoint, unmeasured")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (serve's default)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--profile", action="store_true", help="queries of each page, in-process")
    parser.add_argument("--functions", type=int, default=0, help="with --profile: cProfile top N")
    parser.add_argument("--no-http", action="store_true", help="only --profile; serve nothing")
    args = parser.parse_args()
    if not args.database_url:
        parser.error("give --database-url (or set DATABASE_URL)")

    var = Path(tempfile.mkdtemp(prefix="orchestrator-plan-"))
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(48),
        "DEBUG": "false",
        "HTTPS": "false",  # plain HTTP on the loopback; production is behind TLS
        "ORCHESTRATOR_VAR": str(var),
        "DJANGO_SETTINGS_MODULE": "reads_settings",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(HERE), os.environ.get("PYTHONPATH")])),
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection

    vendor = connection.vendor
    sample = _sample(args.seed)
    session_key, staff = _staff_session()
    print(
        f"database: {vendor} ({args.database_url}); {sample['sizes']}; staff: {staff}; "
        f"{os.cpu_count()} CPUs"
    )
    print(f"critical paths sampled: {sample['paths']}")
    _manage(env, "migrate", "--check")  # measuring a database behind the code measures nothing
    _manage(env, "collectstatic", "--noinput")
    try:
        if args.profile:
            _profile(sample, args.functions)
        if args.no_http:
            return 0
        connection.close()
        _http(args, env, sample, session_key)
    finally:
        _end_session(session_key)
        shutil.rmtree(var, ignore_errors=True)  # the collected static files
    return 0


def _sample(seed: int) -> dict:
    """Random open investments and open milestones with prerequisites; sizes of the plan."""
    from orchestrator.core.models import Item
    from orchestrator.planning import roadmap
    from orchestrator.planning.models import (
        Assumption,
        Dependency,
        Investment,
        Issue,
        Milestone,
        Risk,
    )

    rng = random.Random(seed)
    public = Item.objects.visible_to(None)
    investments = list(
        Investment.objects.filter(pk__in=public.values("pk")).values_list("uid", flat=True)
    )
    through = Milestone.depends_on.through
    shown = roadmap.shown_milestones(None)
    dependent = list(
        shown.filter(pk__in=through.objects.values("from_milestone_id")).values_list(
            "uid", flat=True
        )
    )
    if not investments or not dependent:
        sys.exit("bench_plan: no open investments or milestones; run `generate` first.")
    investments = rng.sample(investments, min(SAMPLE, len(investments)))
    dependent = rng.sample(dependent, min(SAMPLE, len(dependent)))
    # How long the critical paths are, as an anonymous visitor sees them.
    lengths, cut_short = [], 0
    for uid in dependent[:50]:
        path = roadmap.critical_path(None, roadmap.find_milestone(None, uid))
        lengths.append(len(path.steps))
        cut_short += path.cut_short
    sizes = {
        "investments": Investment.objects.count(),
        "milestones": Milestone.objects.count(),
        "milestone dependencies": through.objects.count(),
        "risks": Risk.objects.count(),
        "issues": Issue.objects.count(),
        "assumptions": Assumption.objects.count(),
        "dependencies": Dependency.objects.count(),
        "records": Item.objects.count(),
    }
    owners = list(
        Item.objects.visible_to(None)
        .filter(kind__in=["risk", "issue", "assumption", "dependency"])
        .values_list("owner__slug", flat=True)
        .distinct()[:50]
    )
    filters = [
        *RAID_FILTERS,
        *(f"owner={slug}" for slug in rng.sample(owners, min(4, len(owners)))),
    ]
    filters += [f"investment={uid}" for uid in investments[:4]]
    return {
        "investments": investments,
        "milestones": dependent,
        "raid_filters": filters,
        "sizes": ", ".join(f"{n:,} {label}" for label, n in sizes.items()),
        "paths": (
            f"{len(lengths)} targets: steps median {statistics.median(lengths):.0f}, "
            f"max {max(lengths)}; {cut_short} cut short at the walk's bounds"
        ),
    }


def _staff_session() -> tuple[str, str]:
    """A session signed in as a Portfolio manager of the dataset."""
    from orchestrator.people.models import Role

    return _session_as(Role.PORTFOLIO_MANAGER, "Portfolio manager")


def _pages(sample: dict) -> list[tuple[str, list[str]]]:
    cells = [f"/raid?likelihood={lk}&impact={im}" for lk in range(1, 6) for im in range(1, 6)]
    return [
        ("/roadmap", ["/roadmap"]),
        ("/roadmap?investment=", [f"/roadmap?investment={u}" for u in sample["investments"]]),
        ("/roadmap?to= (path)", [f"/roadmap?to={u}" for u in sample["milestones"]]),
        ("/raid", ["/raid"]),
        ("/raid, a filter", [f"/raid?{q}" for q in sample["raid_filters"]]),
        ("/raid, a heat-map cell", cells),
    ]


def _profile(sample: dict, functions: int) -> None:
    """Each page once (after a warm-up), in this process: its queries, and the slowest three; with
    `functions`, a profile of one more request: the functions that took longest themselves."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from orchestrator.people.models import Role, User

    user = (
        User.objects.filter(appointments__role=Role.PORTFOLIO_MANAGER, appointments__end=None)
        .order_by("pk")
        .first()
    )
    print("\nqueries per page, in-process (one request after a warm-up):")
    from django.conf import settings

    for who in ("anonymous", "staff"):
        client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])
        if who == "staff":
            client.force_login(user)
        for name, paths in _pages(sample):
            path = paths[len(paths) // 2]
            client.get(path)
            timings: list[tuple[float, str]] = []

            def timed(execute, sql, params, many, context, timings=timings):
                started = time.perf_counter()
                try:
                    return execute(sql, params, many, context)
                finally:
                    timings.append((time.perf_counter() - started, sql))

            started, cpu = time.perf_counter(), time.process_time()
            with CaptureQueriesContext(connection), connection.execute_wrapper(timed):
                status = client.get(path).status_code
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
            total = sum(t for t, _ in timings)
            print(
                f"  {who:<9} {name:<24} {status} {elapsed * 1000:7.1f} ms ({cpu * 1000:.1f} ms of "
                f"this process's CPU), {len(timings)} queries taking {total * 1000:.1f} ms  ({path})"
            )
            for seconds, sql in sorted(timings, reverse=True)[:3]:
                print(f"      {seconds * 1000:7.1f} ms  {sql[:600]}")
            if functions:
                profile = cProfile.Profile()
                profile.runcall(client.get, path)
                out = io.StringIO()
                pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(functions)
                print("\n".join("      " + line for line in out.getvalue().splitlines()[6:]))
        client.logout()  # deletes the session force_login made


def _http(args: argparse.Namespace, env: dict[str, str], sample: dict, session_key: str) -> None:
    from django.conf import settings

    cookie = f"{settings.SESSION_COOKIE_NAME}={session_key}"
    port = _free_port()
    command = [sys.executable, "-m", "gunicorn", "orchestrator.wsgi:application"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(args.workers)]
    server = subprocess.Popen([*command, "--log-level", "warning"], env=env)
    try:
        _wait_for(port, server)
        rng = random.Random(args.seed)
        runs = [Run("trivial view", ["/__bench/trivial"], args.clients)]
        for clients in (args.clients, 1):
            for who, jar in (("anonymous", ""), ("staff", cookie)):
                for name, paths in _pages(sample):
                    runs.append(Run(f"{name}, {who}", paths, clients, cookie=jar))
        for run in runs:
            _check(port, run)
        for run in runs:
            _drive(port, run, args.warmup, rng.random())
        for run in runs:
            run.latencies, run.errors = [], 0
            run.load = (_load(), "")
            before = _cpu(server.pid)
            _drive(port, run, args.duration, rng.random())
            run.cpu = _cpu_used(before, _cpu(server.pid))
            run.load = (run.load[0], _load())
        _report(runs, args)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _get(conn: http.client.HTTPConnection, path: str, cookie: str) -> int:
    conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = conn.getresponse()
    response.read()
    if response.will_close:
        conn.close()
    return response.status


def _check(port: int, run: Run) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    for path in run.paths[:5]:
        status = _get(conn, path, run.cookie)
        if status != 200:
            sys.exit(
                f"bench_plan: GET {path} ({run.name}) gave {status}, not 200; nothing measured"
            )
    conn.close()


def _drive(port: int, run: Run, duration: float, seed: float) -> None:
    lock = threading.Lock()
    deadline = time.perf_counter() + duration

    def client(n: int) -> None:
        rng = random.Random(f"{seed}-{n}")
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        mine: list[float] = []
        errors = 0
        while time.perf_counter() < deadline:
            path = rng.choice(run.paths)
            started = time.perf_counter()
            try:
                ok = _get(conn, path, run.cookie) == 200
            except (OSError, http.client.HTTPException):
                conn.close()
                ok = False
            mine.append(time.perf_counter() - started)
            errors += not ok
        conn.close()
        with lock:
            run.latencies.extend(mine)
            run.errors += errors

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(run.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    run.elapsed = time.perf_counter() - started


def _report(runs: list[Run], args: argparse.Namespace) -> None:
    print(f"\n{args.duration:.0f} s per endpoint after {args.warmup:.0f} s of warm-up each")
    print(
        f"{'endpoint':<36} {'clients':>7} {'requests':>8} {'req/s':>7} {'p50 ms':>8} "
        f"{'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} {'errors':>6}  load before → after; CPU"
    )
    trivial = 0.0
    for run in runs:
        values = sorted(run.latencies)
        rate = len(values) / run.elapsed if run.elapsed else 0.0
        if run.name == "trivial view":
            trivial = rate
        cells = [_percentile(values, p) * 1000 for p in (50, 95, 99)]
        share = (
            f" ({rate / trivial:.2f}× trivial)" if trivial and run.name != "trivial view" else ""
        )
        print(
            f"{run.name:<36} {run.clients:>7} {len(values):>8,} {rate:>7.1f} "
            + " ".join(f"{c:>8.1f}" for c in cells)
            + f" {values[-1] * 1000 if values else 0:>8.1f} {run.errors:>6}  "
            f"{run.load[0]} → {run.load[1]}; {_cpu_share(run)}{share}"
        )


if __name__ == "__main__":
    sys.exit(main())
