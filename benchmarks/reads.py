"""Reads over HTTP with concurrent clients: record pages, the API, search, and a trivial Django view.

    .venv/bin/python benchmarks/reads.py --database-url postgres://postgres@127.0.0.1:5432/bench \
        [--duration 30] [--clients 8] [--workers 3]

Serves the site with gunicorn as `orchestrator serve` does (sync workers, DEBUG off, collected static
files), but on a free port of 127.0.0.1, over plain HTTP, and with benchmarks/reads_settings.py,
which adds `/__bench/trivial` (a JSON view that does nothing) to the real URLs. It picks random
open, published records and search queries from the generated vocabulary (one, two and three words,
and a few that match nothing), warms up, then drives each endpoint in turn with `--clients`
keep-alive clients (threads) for `--duration` seconds: the trivial view, `/k/<uid>` anonymously,
`GET /api/v1/items/{uid}`, `/search?q=`, and `/search?q=` again with one client, for its latency
without queueing. Prints requests/s and p50/p95/p99 for each, the record page's and the API's
requests/s as a share of the trivial view's, and the load average around each phase.

The clients run on the same machine and take some of its CPU; every phase pays that alike.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
# Queries that should match nothing, and a few odd ones a person might type.
NO_HITS = ["zebra crossing", "quantum teleportation", "xylophone", "flux capacitor"]
ODD = ['grid "balancing', "data AND", "heat-pump", "EV", "(((", "settlement*"]


@dataclass
class Phase:
    name: str
    paths: list[str]
    clients: int
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    elapsed: float = 0.0
    load: tuple[str, str] = ("", "")
    cpu: dict[str, float] = field(default_factory=dict)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"), required=False)
    parser.add_argument("--duration", type=float, default=30, help="seconds per endpoint")
    parser.add_argument("--warmup", type=float, default=5, help="seconds per endpoint, unmeasured")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (serve's default)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    if not args.database_url:
        parser.error("give --database-url (or set DATABASE_URL)")

    var = Path(tempfile.mkdtemp(prefix="orchestrator-reads-"))
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
    sys.path.insert(0, str(HERE))
    import django

    django.setup()
    from django.db import connection

    vendor = connection.vendor
    records, queries = _sample(args.seed)
    connection.close()
    _manage(env, "migrate", "--check")  # measuring a database behind the code measures nothing
    _manage(env, "collectstatic", "--noinput")

    port = _free_port()
    command = [sys.executable, "-m", "gunicorn", "orchestrator.wsgi:application"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(args.workers)]
    server = subprocess.Popen([*command, "--log-level", "warning"], env=env)
    try:
        _wait_for(port, server)
        rng = random.Random(args.seed)
        search = [f"/search?{urlencode({'q': q})}" for q in queries]
        phases = [
            Phase("trivial view", ["/__bench/trivial"], args.clients),
            Phase("record page /k/<uid>", [f"/k/{uid}" for uid in records], args.clients),
            Phase(
                "API /api/v1/items/{uid}", [f"/api/v1/items/{uid}" for uid in records], args.clients
            ),
            Phase("search /search?q=", search, args.clients),
            Phase("search, 1 client", search, 1),
        ]
        print(
            f"database: {vendor} ({args.database_url}); gunicorn: {args.workers} sync workers; "
            f"{len(records):,} records, {len(queries)} queries; {os.cpu_count()} CPUs"
        )
        for phase in phases:
            _check(port, phase)
        for phase in phases:
            _drive(port, phase, args.warmup, rng.random())  # warm up: caches, connections
        for phase in phases:
            phase.latencies, phase.errors = [], 0
            phase.load = (_load(), "")
            before = _cpu(server.pid)
            _drive(port, phase, args.duration, rng.random())
            phase.cpu = _cpu_used(before, _cpu(server.pid))
            phase.load = (phase.load[0], _load())
        _report(phases, args)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return 0


def _sample(seed: int) -> tuple[list[str], list[str]]:
    """Random open, published records, and queries made of the generated vocabulary."""
    from orchestrator.core.models import Item, Status, Visibility
    from orchestrator.demo.generate import ASPECTS, PLACES, SENTENCE_PARTS, TOPICS

    published = Item.objects.filter(status=Status.PUBLISHED, visibility=Visibility.OPEN)
    ids = list(published.values_list("id", flat=True))
    if not ids:
        sys.exit("reads: the database has no open, published records; run `generate` first.")
    rng = random.Random(seed)
    chosen = rng.sample(ids, min(2000, len(ids)))
    records = list(Item.objects.filter(id__in=chosen).values_list("uid", flat=True))

    def words(phrases: list[str]) -> list[str]:
        return [w.strip("(),.:").lower() for p in phrases for w in p.split() if len(w) > 3]

    topic_words = words(TOPICS)
    other_words = words(ASPECTS) + words(PLACES) + words([p for ps in SENTENCE_PARTS for p in ps])
    queries: list[str] = []
    for _ in range(30):
        queries.append(rng.choice(topic_words))  # one word: matches many
    for _ in range(30):
        topic = rng.choice(TOPICS).split()
        queries.append(" ".join(topic[:2]).lower())  # two words of a title
    for _ in range(20):
        queries.append(f"{rng.choice(topic_words)} {rng.choice(other_words)}")
    for _ in range(10):
        queries.append(" ".join(rng.sample(topic_words + other_words, 3)))  # three: fewer hits
    for _ in range(6):
        queries.append(rng.choice(topic_words)[:4])  # a prefix, as someone still typing
    queries += NO_HITS + ODD
    return records, queries


def _manage(env: dict[str, str], *command: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "orchestrator.cli", "manage", *command, "-v", "0"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.exit(f"reads: `manage {' '.join(command)}` failed:\n{result.stdout}{result.stderr}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("reads: gunicorn stopped while starting")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    sys.exit("reads: gunicorn did not start within 60 s")


def _get(conn: http.client.HTTPConnection, path: str) -> int:
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    if response.will_close:
        conn.close()  # sync workers close after each response; the next request reconnects
    return response.status


def _check(port: int, phase: Phase) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for path in phase.paths[:3]:
        status = _get(conn, path)
        if status != 200:
            sys.exit(f"reads: GET {path} gave {status}, not 200; nothing measured")
    conn.close()


def _drive(port: int, phase: Phase, duration: float, seed: float) -> None:
    lock = threading.Lock()
    deadline = time.perf_counter() + duration

    def client(n: int) -> None:
        rng = random.Random(f"{seed}-{n}")
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine: list[float] = []
        errors = 0
        while time.perf_counter() < deadline:
            path = rng.choice(phase.paths)
            started = time.perf_counter()
            try:
                ok = _get(conn, path) == 200
            except (OSError, http.client.HTTPException):
                conn.close()
                ok = False
            mine.append(time.perf_counter() - started)
            errors += not ok
        conn.close()
        with lock:
            phase.latencies.extend(mine)
            phase.errors += errors

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(phase.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    phase.elapsed = time.perf_counter() - started


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _cpu(server: int) -> dict[str, float]:
    """CPU seconds used so far: by the machine, and by each process of this benchmark (its
    clients and gunicorn) and of PostgreSQL (serving every database on the server). Linux only."""
    try:
        with open("/proc/stat") as f:
            fields = f.readline().split()[1:]
    except OSError:
        return {}
    tick = os.sysconf("SC_CLK_TCK")
    used = {"machine": (sum(map(int, fields)) - int(fields[3]) - int(fields[4])) / tick}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        rest = stat[stat.rindex(")") + 2 :].split()
        pid, ppid = int(entry.name), int(rest[1])
        if pid in (os.getpid(), server) or ppid == server:
            kind = "benchmark"
        elif name == "postgres":
            kind = "postgres"
        else:
            continue
        used[f"{kind} {pid}"] = (int(rest[11]) + int(rest[12])) / tick  # utime, stime
    return used


def _cpu_used(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """CPU seconds between two `_cpu` readings, by kind. A process that ended in between is
    missing from `after`, so what it used counts as other work."""
    used = {"machine": after.get("machine", 0.0) - before.get("machine", 0.0)}
    for key, seconds in after.items():
        if key != "machine":
            kind = key.split()[0]
            used[kind] = used.get(kind, 0.0) + seconds - before.get(key, 0.0)
    return used


def _percentile(sorted_values: list[float], p: float) -> float:
    """Nearest rank: the smallest value with at least p% of the values at or below it."""
    if not sorted_values:
        return float("nan")
    rank = max(1, -(-len(sorted_values) * p // 100))
    return sorted_values[int(rank) - 1]


def _session_as(role: str, who: str) -> tuple[str, str]:
    """A session signed in as the first person appointed to `role` in the dataset (no password is
    needed or set), and their name; `who` names the role in the message if there is no one."""
    from orchestrator.people.models import User

    user = (
        User.objects.filter(appointments__role=role, appointments__end=None).order_by("pk").first()
    )
    if user is None:
        sys.exit(f"no {who} in the database; run `generate` first.")
    return _session_for(user, who)


def _session_for(user, who: str) -> tuple[str, str]:
    """A session signed in as `user` (no password is needed or set), and their name."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils.module_loading import import_string

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    # The backend that signs people in (the first one that can load a user from a session).
    session[BACKEND_SESSION_KEY] = next(
        path
        for path in settings.AUTHENTICATION_BACKENDS
        if hasattr(import_string(path), "get_user")
    )
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key, f"{user.full_name} ({who})"


def _end_session(key: str) -> None:
    from django.contrib.sessions.backends.db import SessionStore

    SessionStore(session_key=key).delete()


def _setup_in_process(database_url: str, prefix: str) -> None:
    """Django set up in this process on `database_url` as production runs it (DEBUG off, static
    files collected), for a benchmark that requests pages through Django's handler."""
    os.environ.update(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(48),
            "DEBUG": "false",
            "HTTPS": "false",  # no redirect to TLS: production is behind it
            "ORCHESTRATOR_VAR": tempfile.mkdtemp(prefix=f"orchestrator-{prefix}-"),
            "DJANGO_SETTINGS_MODULE": "orchestrator.settings",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--check", verbosity=0)  # a database behind the code measures nothing
    call_command("collectstatic", "--noinput", verbosity=0)


def _time_in_process(
    endpoints: list[tuple[str, list[str]]],
    sessions: dict[str, str | None],
    *,
    requests: int,
    warmup: int,
) -> None:
    """Request each endpoint's paths in turn through Django's handler, one at a time, as each of
    `sessions` (who: a session key, or None for anonymous); print p50/p95/p99 in milliseconds and
    the queries of one request. Any answer but a 200 stops the run."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    print(f"{'endpoint':<34} {'who':<10} {'n':>5} {'p50':>8} {'p95':>8} {'p99':>8}  queries")
    for who, session_key in sessions.items():
        client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])
        if session_key is not None:
            client.cookies[settings.SESSION_COOKIE_NAME] = session_key
        for name, paths in endpoints:
            for n in range(warmup):
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
            for n in range(requests):
                path = paths[n % len(paths)]
                started = time.perf_counter()
                status = client.get(path).status_code
                times.append(time.perf_counter() - started)
                if status != 200:
                    sys.exit(f"{path} as {who}: {status}")
            times.sort()
            cells = " ".join(f"{_percentile(times, p) * 1000:8.1f}" for p in (50, 95, 99))
            print(f"{name:<34} {who:<10} {len(times):>5} {cells}  {len(queries)}")


def _report(phases: list[Phase], args: argparse.Namespace) -> None:
    print(f"\n{args.duration:.0f} s per endpoint after {args.warmup:.0f} s of warm-up each")
    header = f"{'endpoint':<26} {'clients':>7} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} {'errors':>6}  load average before → after; CPU used"
    print(header)
    rates = {}
    for phase in phases:
        values = sorted(phase.latencies)
        rate = len(values) / phase.elapsed if phase.elapsed else 0.0
        rates[phase.name] = rate
        cells = [_percentile(values, p) * 1000 for p in (50, 95, 99)]
        print(
            f"{phase.name:<26} {phase.clients:>7} {len(values):>9,} {rate:>8.1f} "
            + " ".join(f"{c:>8.1f}" for c in cells)
            + f" {values[-1] * 1000 if values else 0:>8.1f} {phase.errors:>6}  "
            f"{phase.load[0]} → {phase.load[1]}; {_cpu_share(phase)}"
        )
    trivial = rates["trivial view"]
    print(
        "\nCPU used: of the machine's cores during the phase; this benchmark (clients, gunicorn), "
        "PostgreSQL (all its databases), and everything else (other work on the machine)."
    )
    for name in ("record page /k/<uid>", "API /api/v1/items/{uid}"):
        share = rates[name] / trivial if trivial else 0.0
        print(f"{name}: {share:.2f} × the trivial view's requests/s (target ≥ 0.5)")


def _cpu_share(phase: Phase) -> str:
    if not phase.cpu or not phase.elapsed:
        return "n/a"
    cores = (os.cpu_count() or 1) * phase.elapsed
    mine, postgres = phase.cpu.get("benchmark", 0.0), phase.cpu.get("postgres", 0.0)
    other = max(0.0, phase.cpu["machine"] - mine - postgres)
    return (
        f"{phase.cpu['machine'] / cores:.0%} (benchmark {mine / cores:.0%}, "
        f"PostgreSQL {postgres / cores:.0%}, other {other / cores:.0%})"
    )


if __name__ == "__main__":
    sys.exit(main())
