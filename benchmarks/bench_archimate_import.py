"""ArchiMate exchange import: elements/s for a synthetic file of N elements and 3N relationships.

    .venv/bin/python benchmarks/bench_archimate_import.py [--elements 20000] [--runs 1] \
        [--database-url sqlite:////tmp/bench-import.sqlite3 | postgres://postgres@127.0.0.1:5432/NAME] \
        [--recreate] [--profile 30] [--verify]

Writes an XSD-valid exchange file (BusinessActor, ApplicationComponent, ApplicationService and Node
elements, in groups of four, with names, documentation and a property; Realization, Serving and
Association relationships that ArchiMate allows, three per element) and times
`exchange.import_file` as a member of an Architecture Team, into a database of its own: by default a
new SQLite file in a temporary folder, migrated first. With `--database-url` naming a PostgreSQL
database, `--recreate` drops and creates that database first (never name a database you keep);
without it the database is migrated and each run imports a model with a new identifier.

Prints, per run, elements/s (the target in DESIGN.md is 5,000) and the time spent in each phase:
reading (parse, references, schema, rules), `core.bulk.load_records`, `core.audit.append_many`
(inside load_records and after it), `core.search.index`, and the rest (relationships, mostly).
`--profile N` runs the import under cProfile and prints the N functions that took longest
(cumulative, then own time); `--verify` runs `audit.verify` after the last run.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import functools
import io
import os
import pstats
import random
import secrets
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from xml.sax.saxutils import escape

NS = "http://www.opengroup.org/xsd/archimate/3.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
TYPES = ("BusinessActor", "ApplicationComponent", "ApplicationService", "Node")
WORDS = [
    "grid",
    "balancing",
    "flexibility",
    "market",
    "settlement",
    "forecast",
    "metering",
    "network",
    "capacity",
    "demand",
    "storage",
    "dispatch",
    "heat",
    "hydrogen",
    "carbon",
    "registry",
    "billing",
    "tariff",
    "asset",
    "outage",
]


def exchange_file(n_elements: int, identifier: str, seed: int = 2026) -> bytes:
    """An exchange file of `n_elements` elements and three relationships per element."""
    rng = random.Random(seed)
    groups = (n_elements + 3) // 4
    out = io.StringIO()
    w = out.write
    w('<?xml version="1.0" encoding="UTF-8"?>\n')
    w(
        f'<model xmlns="{NS}" xmlns:xsi="{XSI}" xsi:schemaLocation="{NS} '
        'http://www.opengroup.org/xsd/archimate/3.1/archimate3_Diagram.xsd" '
        f'identifier="{identifier}">\n'
        f'  <name xml:lang="en">Synthetic model of {n_elements} elements</name>\n'
        "  <documentation>Made by benchmarks/bench_archimate_import.py</documentation>\n"
    )
    ids: list[tuple[str, str]] = []
    w("  <elements>\n")
    for g in range(groups):
        for t in TYPES:
            if len(ids) == n_elements:
                break
            eid = f"e-{len(ids)}"
            ids.append((eid, t))
            name = " ".join(rng.choice(WORDS) for _ in range(3)).title()
            doc = " ".join(rng.choice(WORDS) for _ in range(12))
            w(
                f'    <element identifier="{eid}" xsi:type="{t}">\n'
                f'      <name xml:lang="en">{escape(name)} {g}</name>\n'
                f'      <documentation xml:lang="en">{escape(doc)}</documentation>\n'
                '      <properties><property propertyDefinitionRef="pd-owner">'
                f'<value xml:lang="en">Team {g % 50}</value></property></properties>\n'
                "    </element>\n"
            )
    w("  </elements>\n  <relationships>\n")
    by_type: dict[str, list[str]] = defaultdict(list)
    for eid, t in ids:
        by_type[t].append(eid)
    rels: list[tuple[str, str, str]] = []
    for g in range(groups):
        base = 4 * g
        members = {t: base + k for k, t in enumerate(TYPES) if base + k < len(ids)}
        if {"ApplicationComponent", "ApplicationService"} <= members.keys():
            rels.append(
                ("Realization", ids[members["ApplicationComponent"]][0],
                 ids[members["ApplicationService"]][0])
            )  # fmt: skip
        if {"ApplicationService", "BusinessActor"} <= members.keys():
            rels.append(
                ("Serving", ids[members["ApplicationService"]][0], ids[members["BusinessActor"]][0])
            )
        if {"Node", "ApplicationComponent"} <= members.keys():
            rels.append(
                ("Serving", ids[members["Node"]][0], ids[members["ApplicationComponent"]][0])
            )
    while len(rels) < 3 * len(ids):
        a, b = rng.randrange(len(ids)), rng.randrange(len(ids))
        if a != b:
            rels.append(("Association", ids[a][0], ids[b][0]))
    for n, (t, s, target) in enumerate(rels):
        w(f'    <relationship identifier="r-{n}" xsi:type="{t}" source="{s}" target="{target}"')
        if t == "Association":
            w(' isDirected="true"')
        w(f'><name xml:lang="en">{t.lower()} {n}</name></relationship>\n')
    w(
        "  </relationships>\n"
        '  <propertyDefinitions><propertyDefinition identifier="pd-owner" type="string">'
        '<name xml:lang="en">Owner</name></propertyDefinition></propertyDefinitions>\n'
        "</model>\n"
    )
    return out.getvalue().encode()


class Phases:
    """Wall time inside named functions (outermost call only, so recursion counts once)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)
        self.depth: dict[str, int] = defaultdict(int)
        self.patched: list[tuple[object, str, object]] = []

    def wrap(self, owner: object, attribute: str, label: str, parent: str = "") -> None:
        """Time `owner.attribute` as `label`; calls made inside `parent` are shown apart."""
        original = getattr(owner, attribute, None)
        if original is None:  # a phase the code no longer has
            return

        @functools.wraps(original)
        def timed(*args, **kwargs):
            label = f"  … of which {name}" if parent and self.depth[parent] else name
            self.depth[label] += 1
            start, cpu = time.perf_counter(), time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                self.depth[label] -= 1
                if not self.depth[label]:
                    self.seconds[label] += time.perf_counter() - start
                    self.cpu[label] += time.process_time() - cpu

        name = label
        self.patched.append((owner, attribute, original))
        setattr(owner, attribute, timed)

    def undo(self) -> None:
        for owner, attribute, original in reversed(self.patched):
            setattr(owner, attribute, original)
        self.patched.clear()


def _recreate_postgres(url: str) -> None:
    from urllib.parse import urlparse

    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--elements", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--database-url", default=None, help="default: a new SQLite file")
    parser.add_argument("--recreate", action="store_true", help="drop and create the PG database")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="cProfile top N")
    parser.add_argument("--verify", action="store_true", help="audit.verify after the runs")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-import-"))
    url = args.database_url or f"sqlite:///{workdir / 'db.sqlite3'}"
    if url.startswith("postgres") and args.recreate:
        _recreate_postgres(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(48))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "orchestrator.settings")
    import django

    django.setup()
    import datetime as dt

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from orchestrator.architecture import exchange_import
    from orchestrator.architecture.exchange import MAX_BYTES, import_file
    from orchestrator.core import audit, bulk, search
    from orchestrator.people import services as people
    from orchestrator.people.models import Organisation, OrganisationKind, Role, User

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} {url}  (migrated in {time.perf_counter() - start:.1f} s)")
    tag = secrets.token_hex(3)
    team = Organisation.objects.create(
        name=f"Architecture Team {tag}", slug=f"architecture-team-{tag}",
        kind=OrganisationKind.ORCHESTRATOR_TEAM,
    )  # fmt: skip
    architect = User.objects.create_user(
        email=f"architect-{tag}@example.org", full_name="Archie Tect", password=None
    )
    # Publishing what it imports takes someone who may triage too (Research & Engagement).
    for role in (Role.ARCHITECT, Role.RESEARCH_ENGAGEMENT):
        people.appoint(
            actor=None, user=architect, role=role, organisation=team,
            start=timezone.localdate() - dt.timedelta(days=1),
        )  # fmt: skip

    rates = []
    for run in range(1, args.runs + 1):
        identifier = f"bench-{tag}-{run}"
        start = time.perf_counter()
        data = exchange_file(args.elements, identifier, args.seed + run)
        path = workdir / f"{identifier}.xml"
        path.write_bytes(data)
        made = time.perf_counter() - start
        phases = Phases()
        phases.wrap(exchange_import, "read_deferred", "read (parse, rules; schema in a thread)")
        phases.wrap(exchange_import, "read", "read (parse, schema, rules)")  # before the thread
        phases.wrap(bulk, "load_records", "core.bulk.load_records")
        for owner, attribute, label in (
            (bulk, "_check_record", "record checks"),
            (bulk, "_insert_records", "record inserts"),
            (bulk, "insert_rows", "row inserts (all tables)"),
            (audit, "_write_events", "audit rows inserts"),
            (audit, "append_many", "core.audit.append_many"),
            (search, "index", "core.search.index"),
        ):
            phases.wrap(owner, attribute, label, parent="core.bulk.load_records")
        profiler = cProfile.Profile() if args.profile else None
        start, cpu = time.perf_counter(), time.process_time()
        with profiler if profiler is not None else contextlib.nullcontext():
            # A file over the import's usual limit (past about 50k elements) is let through here.
            result = import_file(
                actor=architect, source=path, owner=team, max_bytes=max(MAX_BYTES, len(data))
            )
        seconds = time.perf_counter() - start
        cpu = time.process_time() - cpu
        phases.undo()
        n = result.elements_created
        rate = n / seconds
        rates.append(rate)
        print(
            f"run {run}: {n:,} elements, {result.relationships_created:,} relationships "
            f"({len(data) / 1e6:.1f} MB, written in {made:.1f} s) imported in {seconds:.2f} s: "
            f"{rate:,.0f} elements/s (target 5,000); this process's CPU {cpu:.2f} s "
            f"({n / cpu:,.0f} elements per CPU second)"
        )
        print(f"    {'phase':<42} {'wall':>9} {'share':>7} {'CPU':>9}")
        for label, spent in phases.seconds.items():
            print(
                f"    {label:<42} {spent:7.2f} s {100 * spent / seconds:5.1f} % "
                f"{phases.cpu[label]:7.2f} s"
            )
        rest = seconds - sum(v for k, v in phases.seconds.items() if not k.startswith(" "))
        print(
            f"    {'the rest (relationships, …)':<42} {rest:7.2f} s {100 * rest / seconds:5.1f} %"
        )
        if profiler is not None:
            for order in ("cumulative", "tottime"):
                buffer = io.StringIO()
                pstats.Stats(profiler, stream=buffer).sort_stats(order).print_stats(args.profile)
                print(buffer.getvalue())
    if len(rates) > 1:
        rates.sort()
        print(f"median: {rates[len(rates) // 2]:,.0f} elements/s")
    if args.verify:
        start = time.perf_counter()
        verdict = audit.verify()
        print(
            f"audit verify: {'ok' if verdict.ok else 'FAILED ' + verdict.reason} "
            f"({verdict.checked:,} events in {time.perf_counter() - start:.1f} s)"
        )
        if not verdict.ok:
            return 1
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
