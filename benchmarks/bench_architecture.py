"""Impact analysis p95 and ArchiMate import speed at national scale, against DESIGN.md's targets.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_arch SECRET_KEY=… \
        .venv/bin/python benchmarks/bench_architecture.py [--duration 20] [--clients 1,8] \
        [--elements 20000 --relationships 60000] [--no-impact] [--no-import] [--keep]

(a) Impact analysis: `architecture.graph.impact(user, element, direction="both")` for 200 random
elements each viewer may see — anonymously (open, published elements) and as a member of the
Architecture Team of the generated dataset (who sees every element, drafts included) — with 1 and
then 8 concurrent clients. Each client is a process of its own, forked after the sample is read,
with its own database connection; each calls `impact` for random elements of the sample for
`--duration` seconds (after `--warmup` seconds unmeasured). Prints calls/s, p50/p95/p99, the
median number of elements reached, and the load average, against the target p95 ≤ 200 ms with 8
clients (on PostgreSQL).

(b) Import: writes a synthetic exchange-format file (ArchiMate 3.1, namespace
http://www.opengroup.org/xsd/archimate/3.0/) of `--elements` elements and `--relationships`
relationships, every one allowed by `archimate.refusal`, checks it against the packaged XSD, and
times `architecture.exchange_import.import_file(actor=…, source=path, visibility="open")` as an
architect. The import runs inside a transaction that is rolled back afterwards (unless `--keep`),
so the benchmark database is left as it was and its audit chain still verifies; the time
therefore leaves out the final COMMIT. Prints elements/s against the target ≥ 5,000 elements/s.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from reads import _load, _percentile  # noqa: E402  (benchmarks/ is a folder of scripts)

SAMPLE = 200
TARGET_IMPACT_P95_MS = 200
TARGET_IMPORT_RATE = 5_000
NS = "http://www.opengroup.org/xsd/archimate/3.0/"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--duration", type=float, default=20, help="seconds per phase")
    parser.add_argument("--warmup", type=float, default=2, help="seconds per phase, unmeasured")
    parser.add_argument("--clients", default="1,8", help="concurrent clients, comma-separated")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--elements", type=int, default=20_000)
    parser.add_argument("--relationships", type=int, default=60_000)
    parser.add_argument("--no-impact", action="store_true")
    parser.add_argument("--no-import", action="store_true")
    parser.add_argument("--keep", action="store_true", help="commit the imported model")
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
    architect = _architect()
    if not args.no_impact:
        _impact(args, architect)
    if not args.no_import:
        _import(args, architect)
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


# -- (b) import -----------------------------------------------------------------------------------


def write_exchange_file(path: Path, *, elements: int, relationships: int, seed: int) -> int:
    """A model of `elements` elements and about `relationships` relationships in the exchange
    format, built from the generator's systems and patterns (so every relationship is allowed);
    returns how many relationships it holds."""
    from orchestrator.architecture.archimate import refusal
    from orchestrator.demo.generate import CLUSTER, DOMAINS, ELEMENT_NAMES, PATTERNS, PLACES

    rng = random.Random(seed)
    subjects = [s for _, domain in DOMAINS for s in domain]
    written: list[tuple[str, str]] = []  # (identifier, type)
    clusters: list[dict[str, list[str]]] = []
    with open(path, "w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<model xmlns="{NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            f'xsi:schemaLocation="{NS} http://www.opengroup.org/xsd/archimate/3.1/'
            f'archimate3_Diagram.xsd" identifier="bench-{seed}-{time.time_ns()}" version="1.0">\n'
            '  <name xml:lang="en">Benchmark import: synthetic energy system architecture</name>\n'
            "  <elements>\n"
        )
        while len(written) < elements:
            a, p = rng.choice(subjects)
            words = {"a": a, "p": p, "A": a[0].upper() + a[1:], "P": p[0].upper() + p[1:],
                     "region": PLACES[len(clusters) % len(PLACES)]}  # fmt: skip
            cluster: dict[str, list[str]] = {}
            for archimate_type, many in CLUSTER:
                times = int(many) if many >= 1 else int(rng.random() < many)
                for _ in range(times):
                    if len(written) >= elements:
                        break
                    identifier = f"id-{len(written) + 1}"
                    name = rng.choice(ELEMENT_NAMES[archimate_type]).format(**words)
                    out.write(
                        f'    <element identifier="{identifier}" xsi:type="{archimate_type}">\n'
                        f'      <name xml:lang="en">{escape(name)}</name>\n'
                        f'      <documentation xml:lang="en">{escape(name)}, one of the '
                        f"{escape(p)} systems.</documentation>\n"
                        "    </element>\n"
                    )
                    written.append((identifier, archimate_type))
                    cluster.setdefault(archimate_type, []).append(identifier)
            clusters.append(cluster)
        out.write("  </elements>\n  <relationships>\n")
        kinds = dict(written)
        seen: set[tuple[str, str, str]] = set()
        made, attempts = 0, 0
        while made < relationships and attempts < relationships * 20:
            attempts += 1
            here = rng.choice(clusters)
            patterns = [p for p in PATTERNS if here.get(p[1]) and here.get(p[2])]
            if not patterns:
                continue
            kind, source_type, target_type, _ = rng.choices(
                patterns, weights=[p[3] for p in patterns]
            )[0]
            source, target = rng.choice(here[source_type]), rng.choice(here[target_type])
            if source == target or (kind, source, target) in seen:
                continue
            assert refusal(kind, kinds[source], kinds[target]) is None
            seen.add((kind, source, target))
            made += 1
            access = ' accessType="Read"' if kind == "Access" else ""
            out.write(
                f'    <relationship identifier="rel-{made}" source={quoteattr(source)} '
                f'target={quoteattr(target)} xsi:type="{kind}"{access}/>\n'
            )
        out.write("  </relationships>\n</model>\n")
    return made


def _import(args: argparse.Namespace, architect) -> None:
    from django.db import transaction
    from lxml import etree

    from orchestrator.architecture import exchange
    from orchestrator.architecture.exchange_import import import_file
    from orchestrator.core import audit

    with tempfile.TemporaryDirectory(prefix="orchestrator-import-") as folder:
        path = Path(folder) / "bench.xml"
        started = time.perf_counter()
        relationships = write_exchange_file(
            path, elements=args.elements, relationships=args.relationships, seed=args.seed
        )
        written = time.perf_counter() - started
        schema = exchange.load_schema()
        document = etree.parse(str(path))
        valid = schema.validate(document)
        print(
            f"\nimport: {args.elements:,} elements, {relationships:,} relationships, "
            f"{path.stat().st_size / 1e6:.1f} MB, written in {written:.1f} s; valid against "
            f"the ArchiMate 3.1 XSD: {valid}"
        )
        if not valid:
            sys.exit(f"bench_architecture: the file is not valid: {schema.error_log.last_error}")
        del document

        class RolledBack(Exception):
            pass

        load_before = _load()
        result = None
        try:
            with transaction.atomic():
                started, cpu = time.perf_counter(), time.process_time()
                result = import_file(actor=architect, source=path, visibility="open")
                elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
                if not args.keep:
                    raise RolledBack
        except RolledBack:
            pass
        rate = result.elements_created / elapsed
        verdict = "meets" if rate >= TARGET_IMPORT_RATE else "MISSES"
        print(
            f"import_file: {result.elements_created:,} elements and "
            f"{result.relationships_created:,} relationships in {elapsed:.1f} s "
            f"({cpu:.1f} s of this process's CPU); load average {load_before} → {_load()}\n"
            f"  {rate:,.0f} elements/s ({(result.elements_created + result.relationships_created) / elapsed:,.0f}"
            f" elements and relationships/s): {verdict} the target of "
            f"{TARGET_IMPORT_RATE:,} elements/s ({rate / TARGET_IMPORT_RATE:.2f} ×)"
            + ("" if args.keep else "; rolled back")
        )
        check = audit.verify()
        print(f"audit chain afterwards: {'intact' if check.ok else check.reason}")


if __name__ == "__main__":
    sys.exit(main())
