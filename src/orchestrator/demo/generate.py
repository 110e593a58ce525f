"""Synthetic datasets for tests and benchmarks: `small` in seconds, `national` toward DESIGN.md's sizes."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TextIO

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from orchestrator.architecture.archimate import ELEMENT_TYPES, refusal
from orchestrator.architecture.models import (
    ArchitectureModel,
    Constraint,
    Element,
    Principle,
    Relationship,
    Requirement,
    Scope,
    SdiDesignation,
    State,
    StateKind,
)
from orchestrator.core import audit, bulk
from orchestrator.core.models import (
    UID_ALPHABET,
    UID_LENGTH,
    AuditHead,
    Document,
    DocumentType,
    Item,
    Mitigation,
    Relation,
    Sensitivity,
    Status,
    Visibility,
)
from orchestrator.decisions.models import (
    DECIDED_STAGES,
    REASONED_STAGES,
    Assurance,
    BoardOpinion,
    ConsultationResponse,
    Decision,
    DecisionStep,
    DecisionType,
    Evidence,
    Option,
    Recommendation,
    ResponseState,
    Stage,
)
from orchestrator.engagement.models import Category, Submission
from orchestrator.engagement.models import State as SubmissionState
from orchestrator.people.models import (
    CHAIRED_ROLES,
    STAFF_ROLES,
    Organisation,
    OrganisationKind,
    Role,
    Sector,
    User,
)
from orchestrator.planning.models import (
    PHASE_ORDER,
    Assumption,
    AssumptionStatus,
    Confidence,
    Dependency,
    Feature,
    Investment,
    Issue,
    Milestone,
    Phase,
    Proximity,
    RaidStatus,
    Risk,
)

# Records per load call, and so per transaction: committing less often writes far fewer pages
# (the indexes on uids and hashes are random-access); the loader still works in batches of
# bulk.BATCH_SIZE, so memory stays bounded.
CHUNK = 5 * bulk.BATCH_SIZE
SQLITE_CACHE_KIB = 256 * 1024


@dataclass(frozen=True)
class Scale:
    organisations: dict[str, int]  # per kind, besides the Orchestrator's own teams
    staff: dict[str, int]  # people per staff role (and advisors)
    people: int  # everyone, staff included
    documents: int
    links: int
    # The plan: investments (with features), their milestones (and dependencies), the RAID log.
    investments: int
    milestones: int
    risks: int
    issues: int
    assumptions: int
    dependencies: int
    # The enterprise architecture: one model per domain of the energy system, its elements (in
    # every layer) and relationships, as-is and to-be states, and investments' dependencies on it.
    architecture_models: int
    elements: int
    relationships: int
    # Decision making: the Product Team's decisions, with their options, evidence, steps, advice,
    # consultation responses and Board opinions.
    decisions: int
    # The engagement channel: what stakeholders raise, and what Research & Engagement made of it.
    submissions: int


SCALES = {
    "small": Scale(
        organisations={
            OrganisationKind.DESIGN_BODY: 3,
            OrganisationKind.DELIVERY_PARTNER: 4,
            OrganisationKind.REGULATOR: 2,
            OrganisationKind.NETWORK_OPERATOR: 3,
            OrganisationKind.SUPPLIER: 3,
            OrganisationKind.ACADEMIC: 2,
            OrganisationKind.CONSUMER_GROUP: 2,
            OrganisationKind.OTHER: 6,
        },
        staff={
            Role.BOARD_MEMBER: 3,
            Role.ORGANISATION_LEADER: 1,
            Role.PRODUCT_OWNER: 2,
            Role.ARCHITECT: 2,
            Role.PORTFOLIO_MANAGER: 1,
            Role.RESEARCH_ENGAGEMENT: 2,
            Role.CORPORATE: 1,
            Role.TECHNICAL_ADVISOR: 3,
        },
        people=60,
        documents=300,
        links=400,
        investments=12,
        milestones=100,
        risks=60,
        issues=40,
        assumptions=20,
        dependencies=30,
        architecture_models=3,
        elements=400,
        relationships=1_200,
        decisions=300,
        submissions=400,
    ),
    # DESIGN.md's national dataset counts ≥ 1M audit events and ≥ 300k links. Documents are the
    # record kind there is so far, so they stand in for elements, decisions and submissions:
    # ~2.9 events each (created, triaged, published) plus one per link. The plan is its own kinds.
    "national": Scale(
        organisations={
            OrganisationKind.DESIGN_BODY: 60,
            OrganisationKind.DELIVERY_PARTNER: 300,
            OrganisationKind.REGULATOR: 12,
            OrganisationKind.NETWORK_OPERATOR: 40,
            OrganisationKind.SUPPLIER: 400,
            OrganisationKind.ACADEMIC: 120,
            OrganisationKind.CONSUMER_GROUP: 60,
            OrganisationKind.OTHER: 120,
        },
        staff={
            Role.BOARD_MEMBER: 9,
            Role.ORGANISATION_LEADER: 1,
            Role.PRODUCT_OWNER: 30,
            Role.ARCHITECT: 40,
            Role.PORTFOLIO_MANAGER: 25,
            Role.RESEARCH_ENGAGEMENT: 40,
            Role.CORPORATE: 20,
            Role.TECHNICAL_ADVISOR: 12,
        },
        people=10_000,
        documents=250_000,
        links=330_000,
        # ≥ 2k investments, ≥ 20k milestones and ≥ 30k RAID entries.
        investments=2_000,
        milestones=20_000,
        risks=12_000,
        issues=7_500,
        assumptions=4_500,
        dependencies=6_000,
        # ≥ 100k architecture elements (DESIGN.md), three relationships an element or so.
        architecture_models=8,
        elements=104_000,
        relationships=312_000,
        # ≥ 20k decisions, most of them taken; each brings its options, steps and advice.
        decisions=22_000,
        # ≥ 50k submissions (DESIGN.md), most of them resolved.
        submissions=52_000,
    ),
}

TEAMS = {
    # The Orchestrator's own teams, and the staff role appointed in each.
    Role.BOARD_MEMBER: "Orchestrator Board",
    Role.ORGANISATION_LEADER: "Orchestrator Leadership",
    Role.PRODUCT_OWNER: "Product Team",
    Role.ARCHITECT: "Architecture Team",
    Role.PORTFOLIO_MANAGER: "Portfolio Management Team",
    Role.RESEARCH_ENGAGEMENT: "Research & Engagement Team",
    Role.CORPORATE: "Corporate Team",
}
MEMBER_ROLES = {
    OrganisationKind.DESIGN_BODY: Role.DESIGN_BODY_MEMBER,
    OrganisationKind.DELIVERY_PARTNER: Role.DELIVERY_PARTNER_MEMBER,
}
# Shares of the people who are not staff, by the kind of organisation they work in.
MEMBER_KINDS = [
    (OrganisationKind.DESIGN_BODY, 20),
    (OrganisationKind.DELIVERY_PARTNER, 35),
    (OrganisationKind.REGULATOR, 4),
    (OrganisationKind.NETWORK_OPERATOR, 12),
    (OrganisationKind.SUPPLIER, 12),
    (OrganisationKind.ACADEMIC, 8),
    (OrganisationKind.CONSUMER_GROUP, 4),
    (OrganisationKind.OTHER, 5),
]

# What happens to a document: (triaged outcome or None, published), and how often (per cent).
FATES = [
    ((Visibility.OPEN, True), 70),
    ((Visibility.REGISTERED, True), 12),
    ((Visibility.RESTRICTED, True), 9),
    ((Visibility.CLOSED, True), 4),
    ((None, False), 3),  # a draft nobody has triaged yet
    ((Visibility.OPEN, False), 1),
    ((Visibility.RESTRICTED, False), 0.5),
    ((Visibility.CLOSED, False), 0.5),  # triaged drafts awaiting publication
]
# The first documents of every run take each fate in turn, so even `small` has them all.
FIRST_FATES = [fate for fate, _ in FATES]

RELATIONS = [
    (Relation.REFERENCES, 30),
    (Relation.DEPENDS_ON, 12),
    (Relation.PART_OF, 10),
    (Relation.EVIDENCE_FOR, 10),
    (Relation.AFFECTS, 8),
    (Relation.SERVES, 7),
    (Relation.DELIVERS, 7),
    (Relation.MITIGATES, 6),
    (Relation.REALISES, 6),
    (Relation.SUPERSEDES, 4),
]
DOCUMENT_TYPES = [
    (DocumentType.REPORT, 30),
    (DocumentType.RESEARCH, 15),
    (DocumentType.MINUTES, 20),
    (DocumentType.POLICY, 8),
    (DocumentType.GUIDANCE, 10),
    (DocumentType.DESIGN, 12),
    (DocumentType.OTHER, 5),
]
TYPE_NOUNS = {
    DocumentType.REPORT: ["report", "progress report", "annual report", "review"],
    DocumentType.RESEARCH: ["research findings", "literature review", "survey results", "study"],
    DocumentType.MINUTES: ["meeting minutes", "workshop notes", "board minutes", "call notes"],
    DocumentType.POLICY: ["policy", "process", "procedure", "terms of reference"],
    DocumentType.GUIDANCE: ["guidance", "implementation guide", "how-to", "code of practice"],
    DocumentType.DESIGN: ["solution architecture", "design note", "data model", "interface spec"],
    DocumentType.OTHER: ["briefing", "note", "position paper", "factsheet"],
}

PLACES = [
    "Northern",
    "Southern",
    "Eastern",
    "Western",
    "Midlands",
    "Highland",
    "Coastal",
    "Pennine",
    "Thames",
    "Severn",
    "Mersey",
    "Humber",
    "Solent",
    "Clyde",
    "Forth",
    "Tees",
    "Tyne",
    "Wessex",
    "Anglian",
    "Cambrian",
    "Grampian",
    "Cotswold",
    "Chiltern",
    "Fenland",
    "Lakeland",
    "Moorland",
]
STEMS = [
    "Grid",
    "Power",
    "Energy",
    "Data",
    "Digital",
    "Systems",
    "Flex",
    "Carbon",
    "Heat",
    "Wind",
    "Solar",
    "Hydrogen",
    "Storage",
    "Metering",
    "Networks",
    "Signal",
    "Ledger",
    "Open",
    "Bright",
    "Clear",
    "Insight",
    "Vector",
    "Pulse",
    "Current",
    "Circuit",
]
KIND_NAMES = {
    OrganisationKind.DESIGN_BODY: ["Programme", "Design Body", "Standards Group", "Working Group"],
    OrganisationKind.DELIVERY_PARTNER: ["Ltd", "Partners", "Labs", "Consulting", "Solutions"],
    OrganisationKind.REGULATOR: ["Regulator", "Authority", "Commission", "Ombudsman"],
    OrganisationKind.NETWORK_OPERATOR: [
        "Electricity Networks",
        "Gas Networks",
        "Distribution",
        "Transmission",
    ],
    OrganisationKind.SUPPLIER: ["Energy Ltd", "Power plc", "Supply Co-operative", "Energy"],
    OrganisationKind.ACADEMIC: ["University", "Research Institute", "Energy Centre", "College"],
    OrganisationKind.CONSUMER_GROUP: ["Consumers Forum", "Consumer Panel", "Citizens Alliance"],
    OrganisationKind.OTHER: ["Data Trust", "Data Services", "Council", "Institute"],
}
KIND_SECTORS = {
    OrganisationKind.DESIGN_BODY: [Sector.ENERGY],
    OrganisationKind.DELIVERY_PARTNER: [Sector.DIGITAL, Sector.DIGITAL, Sector.ENERGY],
    OrganisationKind.REGULATOR: [Sector.ENERGY, Sector.GOVERNMENT, Sector.FINANCE],
    OrganisationKind.NETWORK_OPERATOR: [Sector.ENERGY],
    OrganisationKind.SUPPLIER: [Sector.ENERGY],
    OrganisationKind.ACADEMIC: [Sector.ENERGY, Sector.DIGITAL, Sector.OTHER],
    OrganisationKind.CONSUMER_GROUP: [Sector.ENERGY, Sector.OTHER],
    OrganisationKind.OTHER: [
        Sector.WATER,
        Sector.TRANSPORT,
        Sector.TELECOMS,
        Sector.FINANCE,
        Sector.HEALTH,
        Sector.GOVERNMENT,
    ],
}

FIRST_NAMES = [
    "Aisha",
    "Ben",
    "Chloe",
    "Daniel",
    "Ella",
    "Farid",
    "Grace",
    "Hamza",
    "Isla",
    "Jack",
    "Kemi",
    "Liam",
    "Maya",
    "Noah",
    "Olivia",
    "Priya",
    "Quinn",
    "Rhys",
    "Sofia",
    "Tom",
    "Uma",
    "Victor",
    "Wen",
    "Xavier",
    "Yusuf",
    "Zara",
    "Amir",
    "Bethan",
    "Callum",
    "Deepa",
    "Eilidh",
    "Fraser",
    "Gwen",
    "Harry",
    "Ines",
    "Joel",
    "Kofi",
    "Lena",
    "Marek",
    "Niamh",
    "Owen",
    "Rosa",
    "Siobhan",
]
LAST_NAMES = [
    "Adams",
    "Begum",
    "Campbell",
    "Davies",
    "Evans",
    "Fraser",
    "Green",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Morgan",
    "Nowak",
    "Okafor",
    "Patel",
    "Quigley",
    "Roberts",
    "Smith",
    "Taylor",
    "Usman",
    "Vaughan",
    "Walker",
    "Xu",
    "Young",
    "Zielinski",
    "Ahmed",
    "Baker",
    "Clarke",
    "Doyle",
    "Edwards",
    "Fletcher",
    "Gill",
    "Hall",
    "Jenkins",
    "Kaur",
    "Li",
    "MacDonald",
    "Murphy",
    "Singh",
]

TOPICS = [
    "Automatic asset registration",
    "Flexibility market access",
    "Data Sharing Infrastructure",
    "Smart meter data",
    "Low carbon asset visibility",
    "Network capacity maps",
    "Demand forecasting",
    "Heat pump connections",
    "EV charging data",
    "Distributed generation registers",
    "Digital twin interfaces",
    "Open energy standards",
    "Consumer consent",
    "Data licensing",
    "Identity and trust frameworks",
    "Settlement data",
    "Grid balancing signals",
    "Cyber security of operational data",
    "Metadata and discovery",
    "Weather and resource data",
    "Hydrogen blending trials",
    "Storage dispatch",
    "Local area energy plans",
    "Outage reporting",
    "Connections queue reform",
    "Carbon intensity feeds",
    "Building energy performance",
    "Community energy schemes",
    "Market-wide half-hourly settlement",
    "Interconnector data",
    "Vulnerable customer registers",
    "Data quality assurance",
    "Common information model",
    "API design conventions",
    "Presumed open triage",
    "Asset health indices",
    "Curtailment data",
    "Procurement of delivery partners",
    "Portfolio prioritisation",
    "Benefits realisation",
]
ASPECTS = [
    "options appraisal",
    "current state",
    "target architecture",
    "requirements",
    "lessons learned",
    "pilot results",
    "consultation responses",
    "risk assessment",
    "cost–benefit analysis",
    "stakeholder map",
    "implementation plan",
    "interim findings",
    "gap analysis",
    "roadmap",
    "decision record",
    "data inventory",
    "security review",
    "user research",
    "business case",
    "standards comparison",
]
SUBJECTS = [
    "flexibility",
    "asset registration",
    "DSI",
    "open data",
    "metering",
    "consent",
    "standards",
    "architecture",
    "security",
    "settlement",
    "forecasting",
    "networks",
    "heat",
    "transport",
    "storage",
    "hydrogen",
    "consumers",
    "procurement",
    "portfolio",
    "interoperability",
    "APIs",
    "identity",
    "metadata",
    "digital twin",
    "net zero",
    "resilience",
    "data quality",
]
SENTENCE_PARTS = (
    [
        "The working group",
        "This review",
        "The Design Body",
        "The Architecture Team",
        "Network operators",
        "Suppliers",
        "Delivery Partners",
        "The pilot",
        "Stakeholders",
        "The Portfolio Management Team",
        "Research & Engagement",
        "Consumers",
        "The regulator",
        "Independent Technical Advisors",
        "The consortium",
    ],
    [
        "found that",
        "recommend that",
        "agreed that",
        "noted that",
        "propose that",
        "expect that",
        "questioned whether",
        "observed that",
        "reported that",
        "concluded that",
    ],
    [
        "asset data",
        "half-hourly readings",
        "connection requests",
        "the common data model",
        "consent records",
        "flexibility dispatch signals",
        "network capacity data",
        "the metadata catalogue",
        "API access",
        "the asset register",
        "forecast accuracy",
        "interoperability testing",
        "the identity service",
        "data quality checks",
        "publication of open data",
    ],
    [
        "should be published openly",
        "needs a shared standard",
        "improves visibility of low carbon assets",
        "reduces duplication across the sector",
        "depends on clear licensing",
        "must be triaged before release",
        "is ready for a beta",
        "carries a commercial sensitivity",
        "would benefit from a common identifier",
        "can be aggregated to protect personal data",
        "lags behind consumer expectations",
        "is delivered by two partners",
    ],
    [
        "by the end of the year",
        "in the next phase",
        "across Great Britain",
        "for all licensees",
        "within the current price control",
        "before the next stage gate",
        "in at least two regions",
        "subject to consultation",
        "as the report recommends",
        "once funding is confirmed",
    ],
)
HEADINGS = [
    "Background",
    "Findings",
    "Options",
    "Recommendations",
    "Next steps",
    "Risks",
    "Decisions",
    "Scope",
    "Evidence",
    "Actions",
]
FINDINGS = {
    Sensitivity.PERSONAL_DATA: "Names and contact details of individuals appear in the text.",
    Sensitivity.SECURITY: "Describes the configuration of operational systems.",
    Sensitivity.COMMERCIAL: "Contains prices and terms agreed with a named supplier.",
    Sensitivity.CONSUMER_IMPACT: "Early findings could mislead consumers if read out of context.",
    Sensitivity.LEGAL: "Subject to legal privilege while a procurement is under way.",
}


class Progress:
    """One status line on stderr, rewritten in place (a new line every few seconds if not a tty)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.started = time.perf_counter()
        self.shown = 0.0
        self.records = 0
        self.phase, self.done, self.total = "", 0, 0
        self.events_at_start = self._events()

    @staticmethod
    def _events() -> int:
        head = AuditHead.objects.filter(pk=1).values_list("seq", flat=True).first()
        return head or 0

    def begin(self, phase: str, total: int) -> None:
        self.phase, self.done, self.total = phase, 0, total
        self.show(force=self.tty)

    def advance(self, n: int) -> None:
        self.done += n
        self.records += n
        self.show(force=self.done >= self.total)

    def events(self) -> int:
        return self._events() - self.events_at_start

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def show(self, *, force: bool = False) -> None:
        now = time.perf_counter()
        if not force and now - self.shown < (0.25 if self.tty else 5.0):
            return
        self.shown = now
        elapsed = self.elapsed()
        events = self.events()
        line = (
            f"{self.phase}: {self.done:,}/{self.total:,} · {self.records:,} records, "
            f"{events:,} audit events · {self.records / elapsed if elapsed else 0:,.0f} records/s, "
            f"{events / elapsed if elapsed else 0:,.0f} events/s · {elapsed:,.0f} s"
        )
        if self.tty:
            self.stream.write(f"\r{line}\x1b[K")
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


def _label(seed: int) -> tuple[str, str]:
    """The name prefix and e-mail domain of this run: from the seed, and a run number if reused."""
    for run in itertools.count(1):
        label = f"S{seed}" if run == 1 else f"S{seed}r{run}"
        if not Organisation.objects.filter(name=f"{label} {TEAMS[Role.BOARD_MEMBER]}").exists():
            return label, f"{label.lower()}.synthetic.invalid"
    raise AssertionError("unreachable")


def _tune_connection() -> None:
    """On SQLite, a page cache big enough for the indexes of a national dataset (this connection)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")


def _rng_for(seed: int, label: str) -> random.Random:
    # The first run of a seed uses the seed itself; a rerun on the same database a seed of its own.
    return random.Random(seed if label == f"S{seed}" else f"{seed}/{label}")


def generate(*, scale: str, seed: int) -> None:
    """Add a synthetic dataset to the database: organisations, people, documents and links, and
    the plan's investments (with features), milestones (with dependencies) and RAID log.

    Deterministic for a seed (uids included), apart from timestamps and dates relative to today.
    Names and e-mail addresses carry a prefix from the seed, so runs with different seeds can share
    a database; a second run with the same seed takes the next run number (`S7r2`). Written
    through `core.bulk`, so every change is in the audit chain. Progress goes to stderr, a summary
    to stdout.
    """
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; choose one of: {', '.join(SCALES)}")
    size = SCALES[scale]
    label, domain = _label(seed)
    rng = _rng_for(seed, label)
    _tune_connection()
    progress = Progress(sys.stderr)
    today = timezone.localdate()

    orgs = _organisations(rng, size, label, progress)
    people, appointments = _people(rng, size, orgs, domain, today, progress)
    refs, authors = _documents(rng, size, orgs, people, today, label, progress)
    links = _links(rng, size, refs, authors, people, progress)
    # Decisions are planned together, but written in two parts: the scope decisions that
    # designate investments before the plan (an investment names its decision when created),
    # the rest once the investments and elements they affect exist.
    started = time.perf_counter()
    shape = random.Random(f"decisions/{scale}")
    desk = _Desk(rng, shape, orgs, people, refs, today, label, [_sentence(rng) for _ in range(500)])
    designating, others = _plan_decisions(desk, size)
    decided = Decisions()
    _write_decisions(rng, designating, orgs, people, today, decided, progress)
    designators = [story.record for story in designating]
    decided.seconds = time.perf_counter() - started
    plan = _plan(rng, size, orgs, people, designators, today, label, progress)
    estate = _architecture(rng, size, orgs, people, plan, today, label, progress)
    started = time.perf_counter()
    elements = _aim(rng, others, plan.written, estate.targets)
    _write_decisions(rng, others, orgs, people, today, decided, progress)
    decided.element_designations = _designate_elements(rng, elements, people, progress)
    decided.seconds += time.perf_counter() - started
    raised = _submissions(rng, size, orgs, people, label, progress)
    # Fresh statistics for the query planners: without them SQLite reads a list of ids by the
    # (status, visibility, kind) index, through most of the table, rather than by primary key.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    progress.finish()
    elapsed = progress.elapsed()
    events = progress.events()
    print(
        f"Generated {scale} dataset {label}: {len(orgs):,} organisations, {len(people.users):,} "
        f"people, {appointments:,} appointments, {len(refs):,} documents, {links:,} links, "
        f"{plan.investments:,} investments ({plan.features:,} features), {plan.milestones:,} "
        f"milestones ({plan.dependencies:,} dependencies), {plan.raid:,} RAID entries; "
        f"architecture: {estate.models:,} models, {estate.elements:,} elements, "
        f"{estate.relationships:,} relationships, {estate.states:,} states "
        f"({estate.memberships:,} memberships), {estate.links:,} investment dependencies on "
        f"elements, in {estate.seconds:,.1f} s; "
        f"decisions: {decided.decisions:,} decisions ({decided.options:,} options, "
        f"{decided.steps:,} steps, {decided.evidence:,} pieces of evidence), "
        f"{decided.recommendations:,} recommendations, {decided.responses:,} consultation "
        f"responses, {decided.opinions:,} Board opinions, {decided.affects:,} affects links, "
        f"{decided.element_designations:,} element designations, in {decided.seconds:,.1f} s; "
        f"submissions: {raised.submissions:,} ({raised.waiting:,} waiting for Research & "
        f"Engagement), in {raised.seconds:,.1f} s; "
        f"{events:,} audit events in {elapsed:,.1f} s ({progress.records / elapsed:,.0f} "
        f"records/s, {events / elapsed:,.0f} events/s)."
    )


# -- organisations -------------------------------------------------------------------------------


@dataclass
class Orgs:
    teams: dict[str, Organisation]  # by staff role
    by_kind: dict[str, list[Organisation]]

    def __len__(self) -> int:
        return len(self.teams) + sum(len(v) for v in self.by_kind.values())

    @property
    def outside(self) -> list[Organisation]:
        return [org for orgs in self.by_kind.values() for org in orgs]


def _organisations(rng: random.Random, size: Scale, label: str, progress: Progress) -> Orgs:
    specs = [
        bulk.OrganisationSpec(
            name=f"{label} {name}",
            kind=OrganisationKind.ORCHESTRATOR_TEAM,
            description="One of the Orchestrator's own teams (synthetic).",
        )
        for name in TEAMS.values()
    ]
    used: set[str] = set()
    for kind, count in size.organisations.items():
        for n in range(count):
            for attempt in itertools.count():
                name = f"{rng.choice(PLACES)} {rng.choice(STEMS)} {rng.choice(KIND_NAMES[kind])}"
                if attempt > 5:
                    name = f"{name} {n + 1}"
                if name not in used:
                    break
            used.add(name)
            sectors = KIND_SECTORS[kind]
            # Cycle through the kind's sectors first, so every one of them is present.
            sector = sectors[n] if n < len(sectors) else rng.choice(sectors)
            specs.append(
                bulk.OrganisationSpec(
                    name=f"{label} {name}",
                    kind=kind,
                    sector=sector,
                    description=f"A synthetic {OrganisationKind(kind).label.lower()}.",
                    website=f"https://{label.lower()}-{n}.{kind.replace('_', '-')}.example.org",
                )
            )
    progress.begin("organisations", len(specs))
    made = bulk.load_organisations(organisations=specs)
    progress.advance(len(made))
    teams = dict(zip(TEAMS, made[: len(TEAMS)], strict=True))
    by_kind: dict[str, list[Organisation]] = {kind: [] for kind in size.organisations}
    for org in made[len(TEAMS) :]:
        by_kind[org.kind].append(org)
    return Orgs(teams, by_kind)


# -- people --------------------------------------------------------------------------------------


@dataclass
class People:
    users: list[User]
    home: list[Organisation]  # each person's first organisation, where they file records
    contributors: list[int]  # indexes of the people who write documents
    triagers: list[User]
    planners: list[User]  # the Portfolio Management Team, who maintain the plan
    architects: list[User]  # the Architecture Team, who maintain the enterprise architecture
    product_owners: list[User]  # the Product Team, who take decisions
    advisors: list[tuple[User, Organisation]]  # Independent Technical Advisors, the chair first
    board: list[User]
    members: list[User]  # everyone outside the Orchestrator's staff: they respond to consultations


def _people(
    rng: random.Random, size: Scale, orgs: Orgs, domain: str, today: dt.date, progress: Progress
) -> tuple[People, int]:
    # Who is who: staff first (in their teams; advisors in outside organisations), then members.
    roles: list[tuple[str, Organisation, bool]] = []
    advisor_orgs = orgs.by_kind[OrganisationKind.ACADEMIC] + orgs.by_kind[OrganisationKind.OTHER]
    for role, count in size.staff.items():
        for n in range(count):
            org = orgs.teams.get(role) or advisor_orgs[n % len(advisor_orgs)]
            roles.append((role, org, n == 0 and role in CHAIRED_ROLES))
    kinds, weights = zip(*MEMBER_KINDS, strict=True)
    for n in range(size.people - len(roles)):
        # Every kind at least once, then by their shares.
        kind = kinds[n] if n < len(kinds) else rng.choices(kinds, weights)[0]
        org = rng.choice(orgs.by_kind[kind])
        roles.append((MEMBER_ROLES.get(kind, Role.ORGANISATION_MEMBER), org, False))

    progress.begin("people", len(roles))
    specs = []
    for n, _ in enumerate(roles):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        specs.append(
            bulk.UserSpec(email=f"{first}.{last}.{n}@{domain}".lower(), full_name=f"{first} {last}")
        )
    users: list[User] = []
    for chunk in _chunked(specs, CHUNK):
        users.extend(bulk.load_users(users=chunk))
        progress.advance(len(chunk))

    appointments = []
    outside = orgs.outside
    for user, (role, org, chair) in zip(users, roles, strict=True):
        start = today - dt.timedelta(days=rng.randint(30, 1500))
        appointments.append(
            bulk.AppointmentSpec(user=user, role=role, organisation=org, start=start, chair=chair)
        )
        roll = rng.random()
        if roll < 0.05:  # an earlier appointment, since ended
            end = start - dt.timedelta(days=rng.randint(1, 300))
            appointments.append(
                bulk.AppointmentSpec(
                    user=user,
                    role=Role.ORGANISATION_MEMBER,
                    organisation=rng.choice(outside),
                    start=end - dt.timedelta(days=rng.randint(90, 1500)),
                    end=end,
                )
            )
        elif roll < 0.15 and role not in STAFF_ROLES:  # a second, current appointment
            appointments.append(
                bulk.AppointmentSpec(
                    user=user,
                    role=Role.ORGANISATION_MEMBER,
                    organisation=rng.choice(outside),
                    start=today - dt.timedelta(days=rng.randint(1, 700)),
                )
            )
    progress.begin("appointments", len(appointments))
    for chunk in _chunked(appointments, CHUNK):
        bulk.load_appointments(appointments=chunk)
        progress.advance(len(chunk))

    contributing = STAFF_ROLES - {Role.BOARD_MEMBER, Role.TECHNICAL_ADVISOR} | {
        Role.DESIGN_BODY_MEMBER,
        Role.DELIVERY_PARTNER_MEMBER,
    }
    contributors = [n for n, (role, _, _) in enumerate(roles) if role in contributing]
    triagers = [
        u for u, (role, _, _) in zip(users, roles, strict=True) if role == Role.RESEARCH_ENGAGEMENT
    ]
    planners = [
        u for u, (role, _, _) in zip(users, roles, strict=True) if role == Role.PORTFOLIO_MANAGER
    ]
    architects = [u for u, (role, _, _) in zip(users, roles, strict=True) if role == Role.ARCHITECT]
    product_owners = [
        u for u, (role, _, _) in zip(users, roles, strict=True) if role == Role.PRODUCT_OWNER
    ]
    # Staff come first in role order, so the chair (the first advisor appointed) leads the list.
    advisors = [
        (u, org)
        for u, (role, org, _) in zip(users, roles, strict=True)
        if role == Role.TECHNICAL_ADVISOR
    ]
    board = [u for u, (role, _, _) in zip(users, roles, strict=True) if role == Role.BOARD_MEMBER]
    members = [u for u, (role, _, _) in zip(users, roles, strict=True) if role not in STAFF_ROLES]
    home = [org for _, org, _ in roles]
    people = People(
        users,
        home,
        contributors,
        triagers,
        planners,
        architects,
        product_owners,
        advisors,
        board,
        members,
    )
    return people, len(appointments)


# -- documents -----------------------------------------------------------------------------------


def _sentence(rng: random.Random) -> str:
    subject, verb, what, claim, when = (rng.choice(part) for part in SENTENCE_PARTS)
    return f"{subject} {verb} {what} {claim} {when}."


def _documents(
    rng: random.Random,
    size: Scale,
    orgs: Orgs,
    people: People,
    today: dt.date,
    label: str,
    progress: Progress,
) -> tuple[list[bulk.Ref], list[int]]:
    """Write the documents; return their refs and, for each, the index of its author."""
    sentences = [_sentence(rng) for _ in range(min(5000, 20 * size.documents))]
    fates, fate_weights = zip(*FATES, strict=True)
    types, type_weights = zip(*DOCUMENT_TYPES, strict=True)
    # A few prolific authors, a long tail of occasional ones.
    author_weights = list(itertools.accumulate(rng.paretovariate(1.2) for _ in people.contributors))
    outside = orgs.outside
    refs: list[bulk.Ref] = []
    authors: list[int] = []

    def specs(start: int, count: int) -> Iterator[bulk.DocumentSpec]:
        for n in range(start, start + count):
            author = rng.choices(people.contributors, cum_weights=author_weights)[0]
            authors.append(author)
            if n < len(FIRST_FATES):
                outcome, publish = FIRST_FATES[n]
            else:
                outcome, publish = rng.choices(fates, fate_weights)[0]
            doc_type = rng.choices(types, type_weights)[0]
            topic = rng.choice(TOPICS)
            title = f"{topic}: {rng.choice(ASPECTS)} ({rng.choice(TYPE_NOUNS[doc_type])})"
            if rng.random() < 0.3:
                title += f", {rng.choice(PLACES)} region"
            body = "\n\n".join(
                f"## {heading}\n\n" + " ".join(rng.choices(sentences, k=rng.randint(2, 5)))
                for heading in rng.sample(HEADINGS, rng.randint(2, 4))
            )
            owner = people.home[author]
            triage = None
            if outcome is not None:
                triage = _triage(rng, outcome, owner, outside, people.triagers, today)
            uid = "".join(rng.choices(UID_ALPHABET, k=UID_LENGTH))
            yield bulk.DocumentSpec(
                owner=owner,
                created_by=people.users[author],
                title=title,
                summary=" ".join(rng.choices(sentences, k=rng.randint(1, 2))),
                body=body,
                document_type=doc_type,
                subject=", ".join(rng.sample(SUBJECTS, rng.randint(2, 4))),
                source=f"Synthetic dataset {label}",
                external_url=f"https://example.org/{label.lower()}/{uid}"
                if rng.random() < 0.1
                else "",
                uid=uid,
                triage=triage,
                publish=publish,
            )

    progress.begin("documents", size.documents)
    for start in range(0, size.documents, CHUNK):
        count = min(CHUNK, size.documents - start)
        refs.extend(bulk.load_documents(documents=specs(start, count), progress=progress.advance))
    return refs, authors


def _triage(
    rng: random.Random,
    outcome: str,
    owner: Organisation,
    outside: Sequence[Organisation],
    triagers: Sequence[User],
    today: dt.date,
) -> bulk.TriageSpec:
    sensitivities: list[dict[str, str]] = []
    redacted: list[str] = []
    rationale = ""
    if outcome == Visibility.OPEN:
        if rng.random() < 0.05:  # open, with personal data redacted from the body
            sensitivities.append(
                {
                    "category": Sensitivity.PERSONAL_DATA,
                    "mitigation": Mitigation.REDACT,
                    "finding": FINDINGS[Sensitivity.PERSONAL_DATA],
                }
            )
            redacted.append("body")
    else:
        categories = rng.sample(list(FINDINGS), rng.randint(1, 2))
        mitigation = {
            Visibility.REGISTERED: Mitigation.RESTRICT,
            Visibility.RESTRICTED: Mitigation.RESTRICT,
            Visibility.CLOSED: Mitigation.DELAY,
        }[outcome]
        sensitivities = [
            {"category": c, "finding": FINDINGS[c], "mitigation": mitigation} for c in categories
        ]
        rationale = (
            f"Less than open because of {' and '.join(c.label.lower() for c in categories)}"
            " sensitivity; to be reviewed for release by the review date."
        )
    restricted_to: list[Organisation] = []
    if outcome == Visibility.RESTRICTED:
        named = {owner, *rng.sample(outside, rng.randint(0, 2))}
        restricted_to = sorted(named, key=lambda org: org.pk)
    return bulk.TriageSpec(
        by=rng.choice(triagers),
        outcome=outcome,
        sensitivities=sensitivities,
        redacted_fields=redacted,
        rationale=rationale,
        restricted_to=restricted_to,
        title_public=outcome != Visibility.CLOSED or rng.random() < 0.5,
        review_by=today + dt.timedelta(days=rng.randint(30, 730)),
    )


# -- links ---------------------------------------------------------------------------------------


def _links(
    rng: random.Random,
    size: Scale,
    refs: Sequence[bulk.Ref],
    authors: Sequence[int],
    people: People,
    progress: Progress,
) -> int:
    relations, weights = zip(*RELATIONS, strict=True)
    cum_weights = list(itertools.accumulate(weights))
    count = len(refs)
    if count < 2:
        return 0
    # Half of all possible links at most, so that picking new ones at random always ends.
    wanted = min(size.links, count * (count - 1) * len(relations) // 2)
    seen: set[tuple[int, int, str]] = set()

    def specs(total: int) -> Iterator[bulk.LinkSpec]:
        made = 0
        while made < total:
            source = rng.randrange(count)
            if rng.random() < 0.6:  # clusters of related work: near neighbours in time
                target = source + rng.randint(-200, 200)
                target = min(max(target, 0), count - 1)
            else:
                target = rng.randrange(count)
            relation = rng.choices(relations, cum_weights=cum_weights)[0]
            if target == source or (source, target, relation) in seen:
                continue
            seen.add((source, target, relation))
            made += 1
            yield bulk.LinkSpec(
                source=refs[source],
                target=refs[target],
                relation=relation,
                created_by=people.users[authors[source]],
            )

    progress.begin("links", wanted)
    written = 0
    while written < wanted:
        n = min(CHUNK, wanted - written)
        written += bulk.load_links(links=specs(n), progress=progress.advance)
    return written


# -- decision making: the Product Team's decisions, with their options, evidence, steps and advice --

# Decisions by the stage they reached (per cent): most taken, and most of those reviewed by the
# Board; a few thousand still to come at national scale; some deferred, some withdrawn.
STAGE_SHARES = [
    (Stage.REVIEWED, 52),
    (Stage.DECIDED, 26),
    (Stage.PLANNED, 5),
    (Stage.GATHERING_EVIDENCE, 4),
    (Stage.ADVICE_REQUESTED, 2.5),
    (Stage.ADVISED, 2),
    (Stage.CONSULTATION, 1.5),
    (Stage.DEFERRED, 4),
    (Stage.WITHDRAWN, 3),
]
TYPE_SHARES = [
    (DecisionType.SCOPE, 20),
    (DecisionType.DESIGN, 30),
    (DecisionType.DELIVERY_APPROACH, 18),
    (DecisionType.WHO_DELIVERS, 14),
    (DecisionType.OTHER, 18),
]
# The process in order, up to the decision; the stages a decision can be deferred from.
FORWARD = [Stage.PLANNED, Stage.GATHERING_EVIDENCE, Stage.ADVICE_REQUESTED, Stage.ADVISED,
           Stage.CONSULTATION]  # fmt: skip
DEFERRABLE = FORWARD[:4]
# How a decision taken got there: on its evidence alone, on the advisors' advice, or consulted on.
ROUTES = [(2, 12), (4, 68), (5, 20)]  # (stages of FORWARD passed, per cent)
DEPARTS = 0.10  # of the decisions taken on advice, those choosing another option (and saying why)
DEFERRED_ON_THE_WAY = 0.06  # deferred once and later resumed where they were left
ASSURANCES = [(Assurance.ASSURED, 70), (Assurance.ASSURED_WITH_COMMENTS, 22),
              (Assurance.NOT_ASSURED, 8)]  # fmt: skip
# Days from one step to the next, by the stage moved to.
STEP_DAYS = {
    Stage.GATHERING_EVIDENCE: (3, 40),
    Stage.ADVICE_REQUESTED: (14, 60),
    Stage.ADVISED: (10, 40),
    Stage.CONSULTATION: (2, 14),
    Stage.DECIDED: (3, 30),
    Stage.REVIEWED: (14, 90),
    Stage.DEFERRED: (5, 60),
    Stage.WITHDRAWN: (5, 120),
}
RESUMED_DAYS = (21, 120)
CONSULTATION_DAYS = (28, 84)
# Investments designated shared digital infrastructure, each by a scope decision of its own.
DESIGNATED_SHARE = 0.08
# Elements designated shared (or left to the market), one in this many of those investments use.
ELEMENT_DESIGNATION_EVERY = 50

# Per type: titles, the question, and the options (title, benefits, costs, risks). A scope
# decision's first option designates, its second leaves it to the market.
DECISION_KINDS: dict[str, tuple[list[str], str, list[tuple[str, str, str, str]]]] = {
    DecisionType.SCOPE: (
        ["Is {t} shared digital infrastructure?", "{T}: shared or left to the market",
         "Scope of {t}"],
        "Should {t} be designated shared digital infrastructure, or left to the market?",
        [("Designate it shared digital infrastructure", "One service the whole sector relies on",
          "Funded through the Orchestrator", "Crowds out suppliers already offering it"),
         ("Leave it to the market", "Suppliers compete to offer it", "No central cost",
          "Gaps and incompatible offers"),
         ("Designate its data standard only", "Interoperable without a central service",
          "Standard to maintain", "Slow adoption"),
         ("Revisit once the pilot reports", "Decide on better evidence", "Another year's delay",
          "The sector duplicates effort meanwhile")],
    ),
    DecisionType.DESIGN: (
        ["{T}: data model", "{T}: interface design", "{T}: identifiers", "{T}: security model"],
        "Which design should {t} follow?",
        [("Extend the common information model", "One model across the sector",
          "Slow to agree", "Scope creep"),
         ("Adopt an existing open standard", "Suppliers already support it",
          "Gaps to fill", "It may not fit Great Britain's market"),
         ("A bespoke schema", "Fits the need exactly", "Costly to maintain",
          "Another format for everyone to support"),
         ("A federated design with a shared register", "Builds on what licensees hold",
          "Conformance testing", "Uneven data quality")],
    ),
    DecisionType.DELIVERY_APPROACH: (
        ["{T}: open-source pattern or operated service", "Delivery approach for {t}"],
        "Should {t} be an open-source pattern, an operated service, or federated?",
        [("Publish an open-source pattern", "Cheap to adopt", "Each adopter runs it",
          "Fragmentation"),
         ("Operate a central service", "Resilient and consistent", "Higher running costs",
          "Lock-in to one operator"),
         ("Federated services to a common standard", "Builds on what exists",
          "Conformance testing", "Uneven quality"),
         ("Procure a commercial product", "Quick to start", "Licence fees",
          "Dependence on one supplier")],
    ),
    DecisionType.WHO_DELIVERS: (
        ["Who delivers {t}", "{T}: choice of delivery body"],
        "Who should deliver {t}?",
        [("A Delivery Partner by competitive procurement", "Value for money tested",
          "Procurement takes six months", "Supplier lock-in"),
         ("An existing Design Body", "Already knows the domain", "Extends its funding",
          "Stretches its capacity"),
         ("A consortium of network operators", "Owned by those who use it", "Shared costs",
          "Slow governance"),
         ("The Orchestrator's own team", "Direct control", "Hiring", "Distracts from orchestration")],
    ),
    DecisionType.OTHER: (
        ["{T}: {a}", "Approve the {a} for {t}"],
        "Should the Product Team approve the {a} for {t}?",
        [("Approve", "Work proceeds now", "As planned", "Open questions stay open"),
         ("Approve with conditions", "Proceeds, with the gaps closed", "Some rework",
          "Conditions not met"),
         ("Ask for more work", "Better evidence", "Weeks of delay", "Momentum lost"),
         ("Reject", "No wasted spend", "Sunk costs", "The need is not met")],
    ),
}  # fmt: skip
EVIDENCE = ["Options appraisal", "Cost–benefit analysis", "User research findings",
            "Technical assessment", "Pilot results", "Market engagement summary",
            "Risk assessment", "Standards comparison", "Consumer impact assessment"]  # fmt: skip
REASONS = [
    "the consultation showed network operators could not adopt it within the price control",
    "its costs fall on consumers years before the benefits do",
    "a Design Body already delivers most of it",
    "the regulator's proposals change the licence conditions it relies on",
    "the evidence on demand has moved since the advice was given",
    "the option advised leaves consumers' data with one supplier",
]
DEFERRALS = [
    "Waiting for the regulator's consultation to close.",
    "The pilot's results are not yet in.",
    "Funding for the next phase is not confirmed.",
    "A Design Body asked for time to respond.",
    "The cost model is being redone: the evidence is incomplete.",
]
WITHDRAWALS = [
    "Superseded by a wider decision on the same question.",
    "The investment it concerned was stopped.",
    "No longer needed: the market has delivered it.",
    "Merged into another decision.",
]
OPINIONS = [
    "The process was followed and the rationale is clear.",
    "The evidence on costs to consumers was thin; the Board will watch the benefits closely.",
    "The departure from advice is well explained, and I support it.",
    "I would have liked the options set out in more detail, but the outcome is sound.",
    "The consultation was well run and its feedback is reflected in the decision.",
]
BOARD_COMMENTS = {
    Assurance.ASSURED: "",
    Assurance.ASSURED_WITH_COMMENTS: "Assured; the Board asks that the benefits are tracked "
    "against the business case and reported in a year.",
    Assurance.NOT_ASSURED: "The evidence did not cover the costs to consumers; the Board asks "
    "the Product Team to revisit the decision with it.",
}


@dataclass
class _Step:
    to: str
    at: dt.datetime
    by: User
    comment: str = ""
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Advice:
    advisor: User
    organisation: Organisation
    option: int  # index into the decision's options
    reasoning: str
    consolidated: bool = False
    record: Item | None = None


@dataclass
class _Response:
    by: User
    response: str
    published_text: str
    consent: bool
    state: str
    personal_data: bool
    reason: str
    triager: User  # of Research & Engagement, who run the consultation
    record: Item | None = None


@dataclass
class _Story:
    """One decision as the generator plans it: its record, options and process, and the records
    around it; `record` and `options_written` once written."""

    n: int
    spec: bulk.RecordSpec
    options: list[dict[str, str]]
    steps: list[_Step]
    chosen: int | None
    evidence: list[tuple[str, str, bulk.Ref | None, dt.datetime, User]]
    advice: list[_Advice]
    responses: list[_Response]
    opinions: list[tuple[User, str]]
    concerns: list[Organisation]
    summarised: int | None = None  # responses counted in the published summary of feedback
    affects: list[bulk.Ref] = field(default_factory=list)
    record: Decision | None = None
    options_written: list[Option] = field(default_factory=list)
    evidence_written: list[Evidence] = field(default_factory=list)

    @property
    def stage(self) -> str:
        return self.steps[-1].to

    def passed(self, stage: str) -> bool:
        return any(step.to == stage for step in self.steps)


@dataclass
class Decisions:
    """What the generator wrote of decision making, for the summary."""

    decisions: int = 0
    options: int = 0
    steps: int = 0
    evidence: int = 0
    recommendations: int = 0
    responses: int = 0
    opinions: int = 0
    affects: int = 0
    element_designations: int = 0
    seconds: float = 0.0


@dataclass
class _Desk:
    """What planning decisions draws on: the people, documents and organisations of the run."""

    rng: random.Random
    # What decides the number of records (each decision's stage and process, and how many
    # recommendations, responses and opinions it has): the same for every seed of a scale, as the
    # other kinds' counts are, so that runs of different seeds have the same shape.
    shape: random.Random
    orgs: Orgs
    people: People
    documents: Sequence[bulk.Ref]
    today: dt.date
    label: str
    sentences: list[str]


def _at(rng: random.Random, day: dt.date) -> dt.datetime:
    """A moment in the working day of `day`."""
    return dt.datetime.combine(day, dt.time(rng.randint(9, 16), rng.randint(0, 59)), dt.UTC)


def _path(rng: random.Random, stage: str) -> list[str]:
    """The stages a decision moved through to reach `stage`, in order, as the services allow:
    a decision is taken on its evidence, on advice, or after a consultation too; some were deferred
    on the way and resumed where they were left."""
    if stage in DECIDED_STAGES:
        path = [*FORWARD[: _weighted(rng, ROUTES)], Stage.DECIDED]
        if stage == Stage.REVIEWED:
            path.append(Stage.REVIEWED)
    elif stage == Stage.DEFERRED:
        path = [*FORWARD[: rng.randint(1, len(DEFERRABLE))], Stage.DEFERRED]
    elif stage == Stage.WITHDRAWN:
        path = FORWARD[: rng.randint(1, len(FORWARD))]
        if path[-1] in DEFERRABLE and rng.random() < 0.2:
            path.append(Stage.DEFERRED)
        path.append(Stage.WITHDRAWN)
    else:
        path = FORWARD[: FORWARD.index(stage) + 1]
    if stage != Stage.WITHDRAWN and rng.random() < DEFERRED_ON_THE_WAY:
        places = [
            i
            for i, s in enumerate(path)
            if s in DEFERRABLE and path[i + 1 :][:1] != [Stage.DEFERRED]
        ]
        if places:
            i = rng.choice(places)
            path[i + 1 : i + 1] = [Stage.DEFERRED, path[i]]
    return [str(s) for s in path]


def _slip(rng: random.Random) -> int:
    """Days a decision was taken after the date first scheduled (negative: early)."""
    roll = rng.random()
    if roll < 0.5:
        return 0
    if roll < 0.7:
        return rng.randint(1, 14)
    if roll < 0.85:
        return min(300, 15 + int(rng.expovariate(1 / 45)))
    return -rng.randint(1, 21)


def _story(desk: _Desk, n: int, stage: str, decision_type: str, designates: bool) -> _Story:
    """Plan one decision that reached `stage`: dates that keep to the process, people in the
    roles that may take each step, options, evidence, advice, responses and opinions."""
    rng, shape, people, today = desk.rng, desk.shape, desk.people, desk.today
    path = _path(shape, stage)
    if designates:  # on the advisors' advice, so the designation rests on it
        path = [str(s) for s in FORWARD[:4]] + [Stage.DECIDED.value]
        if stage == Stage.REVIEWED:
            path.append(Stage.REVIEWED.value)
    # Days from the first step to each.
    offsets, window, summary = [0], 0, 0
    for before, to in itertools.pairwise(path):
        if before == Stage.CONSULTATION:
            window = rng.randint(*CONSULTATION_DAYS)
            if to == Stage.DECIDED:  # after the window closed and its feedback was summarised
                summary = window + rng.randint(2, 14)
                gap = summary + rng.randint(1, 14)
            else:
                gap = rng.randint(5, window)
        elif before == Stage.DEFERRED and to != Stage.WITHDRAWN:
            gap = rng.randint(*RESUMED_DAYS)
        elif to == Stage.DECIDED and before == Stage.GATHERING_EVIDENCE:
            gap = rng.randint(14, 60)
        else:
            gap = rng.randint(*STEP_DAYS[to])
        offsets.append(offsets[-1] + gap)
    # When the last step was, so that every step is in the past.
    last = path[-1]
    if last == Stage.REVIEWED:
        end = today - dt.timedelta(days=rng.randint(1, 1400))
    elif last == Stage.DECIDED:
        # Awaiting the Board's review: mostly recent, a few from a backlog.
        end = today - dt.timedelta(days=rng.randint(1, 150 if rng.random() < 0.9 else 500))
    elif last == Stage.WITHDRAWN:
        end = today - dt.timedelta(days=rng.randint(1, 1200))
    elif last == Stage.CONSULTATION:
        window = rng.randint(*CONSULTATION_DAYS)
        if rng.random() < 0.7:  # open now
            end = today - dt.timedelta(days=rng.randint(1, window - 1))
        else:  # closed, its feedback summarised or not yet
            end = today - dt.timedelta(days=window + rng.randint(3, 30))
            if rng.random() < 0.5:
                summary = window + rng.randint(1, 2)
    else:
        end = today - dt.timedelta(days=rng.randint(1, 120 if last == Stage.DEFERRED else 60))
    days = [end - dt.timedelta(days=offsets[-1] - o) for o in offsets]
    planned_on = days[0]

    # Who takes each step: the roles the services allow.
    def scheduler() -> User:
        return rng.choice(people.product_owners if rng.random() < 0.7 else people.planners)

    def preparer() -> User:
        return rng.choice(people.product_owners + people.planners + people.architects)

    chair, chair_org = people.advisors[0]
    owner = rng.choice(people.product_owners)
    steps: list[_Step] = []
    for i, (stage_now, day) in enumerate(zip(path, days, strict=True)):
        at = _at(rng, day)
        if i == 0:
            by = scheduler()
        elif path[i - 1] == Stage.DEFERRED and stage_now != Stage.WITHDRAWN:
            by = scheduler()  # resumed
        else:
            by = {
                Stage.GATHERING_EVIDENCE: preparer,
                Stage.ADVICE_REQUESTED: scheduler,
                Stage.ADVISED: lambda: chair,
                Stage.CONSULTATION: lambda: rng.choice(people.triagers),
                Stage.DECIDED: lambda: owner,
                Stage.REVIEWED: lambda: rng.choice(people.board),
                Stage.DEFERRED: scheduler,
                Stage.WITHDRAWN: lambda: owner,
            }[stage_now]()
        steps.append(_Step(stage_now, at, by))

    # The dates on the schedule: first planned, then moved by each deferral.
    decided_on = days[path.index(Stage.DECIDED)] if Stage.DECIDED in path else None
    if decided_on is not None:
        first = decided_on - dt.timedelta(days=_slip(rng))
    elif stage in (Stage.WITHDRAWN, Stage.DEFERRED):
        first = planned_on + dt.timedelta(days=rng.randint(14, 150))
    elif rng.random() < 0.1:  # overdue: still open after its date
        first = today - dt.timedelta(days=rng.randint(1, 45))
    else:
        first = today + dt.timedelta(days=rng.randint(7, 240))
    deferrals = [i for i, s in enumerate(path) if s == Stage.DEFERRED]
    if deferrals:  # put back when it would not make its date
        first = min(first, days[deferrals[0]] + dt.timedelta(days=rng.randint(0, 30)))
    first = max(first, planned_on + dt.timedelta(days=7))
    scheduled = first
    for i in deferrals:
        resumed = i + 1 < len(path) and path[i + 1] != Stage.WITHDRAWN
        if decided_on is not None:
            until = decided_on - dt.timedelta(days=rng.randint(0, 10))
        elif resumed:
            until = days[i + 1] + dt.timedelta(days=rng.randint(7, 200))
        else:
            until = max(today, days[i]) + dt.timedelta(days=rng.randint(14, 300))
        until = max(until, days[i] + dt.timedelta(days=7))
        reason = rng.choice(DEFERRALS)
        steps[i].comment = reason
        steps[i].data = {"from_date": scheduled.isoformat(), "until": until.isoformat()}
        scheduled = until
    if stage == Stage.CONSULTATION and scheduled < end + dt.timedelta(days=window + 7):
        scheduled = end + dt.timedelta(days=window + rng.randint(7, 30))

    topic = rng.choice(TOPICS)
    titles, question, choices = DECISION_KINDS[decision_type]
    words = {"t": topic[0].lower() + topic[1:], "T": topic, "a": rng.choice(ASPECTS)}
    title = rng.choice(titles).format(**words)
    if rng.random() < 0.3:
        title += f" ({rng.choice(PLACES)})"
    count = rng.randint(2, len(choices))
    picked = choices[:count] if decision_type == DecisionType.SCOPE else rng.sample(choices, count)
    options = [
        {
            "label": "ABCD"[i],
            "title": t,
            "description": rng.choice(desk.sentences),
            "benefits": b,
            "costs": c,
            "risks": r,
        }
        for i, (t, b, c, r) in enumerate(picked)
    ]

    # The advisors' recommendations, once asked for: the chair consolidates them.
    advice: list[_Advice] = []
    consolidated = None
    if Stage.ADVICE_REQUESTED in path:
        consolidated = 0 if designates else rng.choices(range(count), [5, 3, 2, 1][:count])[0]
        advised = Stage.ADVISED in path
        k = shape.randint(1 if advised else 0, min(3, len(people.advisors)))
        for advisor, org in rng.sample(people.advisors, k):
            option = consolidated if rng.random() < 0.75 else rng.randrange(count)
            advice.append(
                _Advice(
                    advisor,
                    org,
                    option,
                    f"Option {options[option]['label']} "
                    f"({options[option]['title'].lower()}) is best supported by the "
                    f"evidence. {rng.choice(desk.sentences)}",
                )
            )
        if advised:
            agree = sum(a.option == consolidated for a in advice)
            label = options[consolidated]["label"]
            advice.append(
                _Advice(
                    chair,
                    chair_org,
                    consolidated,
                    f"The advisors recommend option {label}: {agree} of {len(advice)} "
                    f"advisors recommended it. {rng.choice(desk.sentences)}",
                    consolidated=True,
                )
            )
            adv = path.index(Stage.ADVISED)
            steps[adv].data = {"option": label}  # and the recommendation's uid, once written

    fields: dict[str, Any] = {
        "question": question.format(**words),
        "context": " ".join(rng.choices(desk.sentences, k=rng.randint(2, 4))),
        "decision_type": str(decision_type),
        "stage": str(stage),
        "scheduled_on": scheduled,
        "first_scheduled_on": first,
    }
    chosen = None
    if decided_on is not None:
        chosen = rng.choices(range(count), [5, 3, 2, 1][:count])[0]
        departs = False
        if Stage.ADVISED in path:
            chosen = consolidated
            if not designates and rng.random() < DEPARTS:
                chosen = rng.choice([i for i in range(count) if i != consolidated])
                departs = True
        option = options[chosen]
        fields |= {
            "decided_on": decided_on,
            "decided_by": owner,
            "rationale": f"Option {option['label']} ({option['title'].lower()}): "
            f"{option['benefits'].lower()}. {rng.choice(desk.sentences)}",
            "consequences": rng.choice(desk.sentences) if rng.random() < 0.6 else "",
            "departs_from_advice": departs,
            "departure": (
                f"The advisors recommended option {options[consolidated]['label']}; the Product "
                f"Team chose option {option['label']} because {rng.choice(REASONS)}."
            )
            if departs
            else "",
        }
        steps[path.index(Stage.DECIDED)].data = {
            "option": option["label"],
            "departs_from_advice": departs,
            "supersedes": "",
        }
    if Stage.REVIEWED in path:
        assurance = _weighted(rng, ASSURANCES)
        fields |= {
            "assurance": assurance,
            "assurance_reasons": BOARD_COMMENTS[assurance],
            "reviewed_on": days[-1],
        }
        steps[-1].data = {"assurance": str(assurance)}
    if (
        deferrals
        and deferrals[-1] + 1 in (len(path), len(path) - 1)
        and path[-1] in (Stage.DEFERRED, Stage.WITHDRAWN)
    ):
        # Deferred and not taken up again (withdrawing it leaves where it was deferred from).
        fields["deferred_from"] = path[deferrals[-1] - 1]
    if deferrals:
        fields["deferral_reason"] = steps[deferrals[-1]].comment
    if stage == Stage.WITHDRAWN:
        fields["withdrawal_reason"] = steps[-1].comment = rng.choice(WITHDRAWALS)
    for i, s in enumerate(path):
        if s == Stage.ADVICE_REQUESTED and rng.random() < 0.5:
            steps[i].comment = "Recommend one option, with your reasoning from the evidence."

    # A consultation: its window, its responses (triaged once it closed) and their summary.
    responses: list[_Response] = []
    summarised = None
    if Stage.CONSULTATION in path:
        c = path.index(Stage.CONSULTATION)
        opens = steps[c].at
        closes = dt.datetime.combine(days[c] + dt.timedelta(days=window), dt.time(17), dt.UTC)
        fields |= {"consultation_opens": opens, "consultation_closes": closes}
        steps[c].data = {"opens": opens.isoformat(), "closes": closes.isoformat()}
        closed = closes.date() < today
        for _ in range(shape.randint(0, 8)):
            consent = rng.random() < 0.85
            label = rng.choice(options)["label"]
            text = f"We support option {label}. {rng.choice(desk.sentences)}"
            personal = rng.random() < 0.15
            published_text = text
            if personal:
                who = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
                text = f"{text} Contact me, {who}, on 07700 900{rng.randint(100, 999)}."
                published_text += " [Contact details removed.]"
            if not closed and rng.random() < 0.5:
                state, reason = ResponseState.RECEIVED, ""
            elif consent and rng.random() < 0.95:
                state, reason = ResponseState.PUBLISHED, ""
            else:
                state = ResponseState.WITHHELD
                reason = "No consent to publish." if not consent else "Off topic."
            responses.append(
                _Response(
                    rng.choice(people.members),
                    text,
                    published_text if state == ResponseState.PUBLISHED else "",
                    consent,
                    state,
                    personal and state == "published",
                    reason,
                    steps[c].by,
                )
            )
        if summary and all(r.state != ResponseState.RECEIVED for r in responses):
            summarised = len(responses)
            published = sum(r.state == ResponseState.PUBLISHED for r in responses)
            label = options[consolidated]["label"] if consolidated is not None else "A"
            fields |= {
                "feedback_summary": f"{len(responses)} responses were received and {published} "
                f"published. Most respondents supported option {label}; "
                f"{rng.choice(desk.sentences).lower()}",
                "feedback_published_at": _at(rng, days[c] + dt.timedelta(days=summary)),
            }

    # Evidence, gathered before the advisors were asked (a few already while planned).
    evidence = []
    if Stage.GATHERING_EVIDENCE in path:
        g = path.index(Stage.GATHERING_EVIDENCE)
        least = 1 if Stage.ADVICE_REQUESTED in path or rng.random() < 0.85 else 0
        pieces = rng.randint(least, 4) if least else 0
    else:
        g, pieces = 0, int(rng.random() < 0.25)
    start = steps[g].at
    stop = steps[g + 1].at if g + 1 < len(steps) else _at(rng, today - dt.timedelta(days=1))
    stop = max(stop, start + dt.timedelta(hours=1))
    moments = sorted(start + (stop - start) * rng.uniform(0.05, 0.95) for _ in range(pieces))
    for k, (name, added) in enumerate(zip(rng.sample(EVIDENCE, pieces), moments, strict=True)):
        description = f"{name}: {topic[0].lower()}{topic[1:]}"
        if desk.documents and rng.random() < 0.5:  # a document of the run, or a web page
            evidence.append((description, "", rng.choice(desk.documents), added, preparer()))
        else:
            url = f"https://example.org/{desk.label.lower()}/evidence/{n}/{k + 1}"
            evidence.append((description, url, None, added, preparer()))

    opinions = []
    if decided_on is not None and shape.random() < 0.25:
        for member in rng.sample(people.board, min(len(people.board), shape.randint(1, 2))):
            opinions.append((member, rng.choice(OPINIONS)))
    concerns = []
    if rng.random() < 0.35:
        concerns = rng.sample(desk.orgs.outside, rng.randint(1, 2))

    fate = (Visibility.OPEN, True) if designates else _fate(rng, n)
    outcome, publish = fate
    team = desk.orgs.teams[Role.PRODUCT_OWNER]
    triage = None
    if outcome is not None:
        triage = _triage(rng, outcome, team, desk.orgs.outside, people.triagers, today)
    spec = bulk.RecordSpec(
        model=Decision,
        owner=team,
        created_by=steps[0].by,
        title=title,
        summary=f"A choice between {count} options ({DecisionType(decision_type).label.lower()}).",
        subject=", ".join(["decisions", *rng.sample(SUBJECTS, 2)]),
        source=f"Synthetic dataset {desk.label}",
        uid="".join(rng.choices(UID_ALPHABET, k=UID_LENGTH)),
        fields=fields,
        triage=triage,
        publish=publish,
    )
    return _Story(
        n, spec, options, steps, chosen, evidence, advice, responses, opinions, concerns, summarised
    )


def _plan_decisions(desk: _Desk, size: Scale) -> tuple[list[_Story], list[_Story]]:
    """Every decision of the run, planned up front: those that designate investments (scope
    decisions taken, written before the plan so that each investment can name one) and the rest."""
    shape, count = desk.shape, size.decisions
    if not count or not desk.people.product_owners or not desk.people.advisors:
        return [], []
    stages = list(Stage)
    types = DecisionType.values
    # The first decisions of a run take each stage and type in turn, so even `small` has them all.
    plan = [
        (
            stages[n] if n < len(stages) else _weighted(shape, STAGE_SHARES),
            types[n % len(types)] if n < len(stages) else _weighted(shape, TYPE_SHARES),
        )
        for n in range(count)
    ]
    wanted = min(round(size.investments * DESIGNATED_SHARE), count - len(stages))
    taken = [n for n in range(len(stages), count) if plan[n][0] in DECIDED_STAGES]
    scope = [n for n in taken if plan[n][1] == DecisionType.SCOPE]
    if len(scope) < wanted:  # too few by chance: some other decisions taken become scope ones
        scope += [n for n in taken if n not in set(scope)][: wanted - len(scope)]
    designating = set(shape.sample(scope, max(0, wanted)))
    first: list[_Story] = []
    rest: list[_Story] = []
    for n, (stage, decision_type) in enumerate(plan):
        designates = n in designating
        if designates:
            decision_type = DecisionType.SCOPE
        story = _story(desk, n, stage, decision_type, designates)
        (first if designates else rest).append(story)
    return first, rest


def _write_decisions(
    rng: random.Random,
    stories: Sequence[_Story],
    orgs: Orgs,
    people: People,
    today: dt.date,
    made: Decisions,
    progress: Progress,
) -> None:
    """Write the decisions and what belongs to them through `core.bulk`, audited as the services
    record each step: the records (decisions, recommendations, responses, opinions) and rows
    (options, steps, evidence) first, then each decision's events in the order of its process."""
    if not stories:
        return

    def records(what: str, specs: list[bulk.RecordSpec]) -> list[Item]:
        progress.begin(what, len(specs))
        out: list[Item] = []
        for chunk in _chunked(specs, CHUNK):
            out.extend(bulk.load_records(records=chunk, progress=progress.advance))
        return out

    def rows(what: str, items: list[Any]) -> None:
        # Their events are in each decision's own sequence, written below.
        progress.begin(what, len(items))
        for chunk in _chunked(items, CHUNK):
            bulk.load_rows(rows=chunk, events=lambda row: (), progress=progress.advance)

    for story, record in zip(stories, records("decisions", [s.spec for s in stories]), strict=True):
        story.record = record
    options = []
    for story in stories:
        story.options_written = [Option(decision=story.record, **o) for o in story.options]
        options += story.options_written
    rows("decision options", options)
    if any(o.pk is None for o in options):  # pragma: no cover - SQLite ≥ 3.35 and PostgreSQL do
        raise RuntimeError("The database did not return the new options' ids.")
    _set_chosen(
        [(s.record.pk, s.options_written[s.chosen].pk) for s in stories if s.chosen is not None]
    )
    through = Decision.concerns.through
    rows(
        "organisations decisions concern",
        [
            through(decision_id=s.record.pk, organisation_id=o.pk)
            for s in stories
            for o in s.concerns
        ],
    )
    rows(
        "decision steps",
        [
            DecisionStep(
                decision=s.record,
                from_stage=before.to if before else "",
                to_stage=step.to,
                by=step.by,
                at=step.at,
                comment=step.comment,
            )
            for s in stories
            for before, step in zip([None, *s.steps], s.steps, strict=False)
        ],
    )
    for story in stories:
        story.evidence_written = [
            Evidence(
                decision=story.record,
                description=d,
                url=url,
                record_id=ref.pk if ref else None,
                added_by=by,
                added_at=at,
            )
            for d, url, ref, at, by in story.evidence
        ]
    rows("evidence", [e for s in stories for e in s.evidence_written])

    # The advisors' recommendations, individual ones first (the consolidated one cites them).
    advice = [(s, a) for s in stories for a in s.advice]
    specs = []
    for story, a in advice:
        option = story.options_written[a.option]
        what = (
            "The advisors' consolidated recommendation"
            if a.consolidated
            else f"{a.advisor.full_name}'s recommendation"
        )
        specs.append(
            _kin(
                rng,
                story,
                len(specs),
                orgs,
                people,
                today,
                owner=a.organisation,
                by=a.advisor,
                model=Recommendation,
                # Titled as `services.recommend` titles it: never with its decision's words, which
                # may be less open than the advice.
                title=f"{what}: option {option.label}",
                summary=f"Recommends option {option.label}.",
                fields={
                    "for_decision": story.record,
                    "option": option,
                    "advisor": a.advisor,
                    "consolidated": a.consolidated,
                    "reasoning": a.reasoning,
                },
            )
        )
    for (_, a), record in zip(advice, records("recommendations", specs), strict=True):
        a.record = record
    # Responses to consultations, held by Research & Engagement and published once triaged.
    answers = [(s, r) for s in stories for r in s.responses]
    engagement = orgs.teams[Role.RESEARCH_ENGAGEMENT]
    specs = []
    for story, r in answers:
        triage = None
        if r.state == ResponseState.PUBLISHED:
            finding = (
                [
                    {
                        "category": Sensitivity.PERSONAL_DATA,
                        "mitigation": Mitigation.REDACT,
                        "finding": "The response's text may identify its author or another person.",
                    }
                ]
                if r.personal_data
                else []
            )
            triage = bulk.TriageSpec(
                by=r.triager,
                outcome=Visibility.OPEN,
                sensitivities=finding,
                redacted_fields=["response"] if r.personal_data else [],
                rationale="Personal data taken out of the published text."
                if r.personal_data
                else "",
                review_by=today + dt.timedelta(days=365),
            )
        specs.append(
            bulk.RecordSpec(
                model=ConsultationResponse,
                owner=engagement,
                created_by=r.by,
                uid="".join(rng.choices(UID_ALPHABET, k=UID_LENGTH)),
                title="Response to a consultation",
                source=story.spec.source,
                fields={
                    "for_decision": story.record,
                    "response": r.response,
                    "published_text": r.published_text,
                    "consent_to_publish": r.consent,
                    "state": r.state,
                },
                triage=triage,
                publish=triage is not None,
            )
        )
    for (_, r), record in zip(answers, records("consultation responses", specs), strict=True):
        r.record = record
    # Board members' opinions, owned by the Board.
    board = orgs.teams[Role.BOARD_MEMBER]
    opinions = [(s, o) for s in stories for o in s.opinions]
    specs = [
        _kin(
            rng,
            story,
            n,
            orgs,
            people,
            today,
            owner=board,
            by=member,
            model=BoardOpinion,
            title=f"Board opinion of {member.full_name}",
            summary="",
            fields={"for_decision": story.record, "member": member, "opinion": text},
        )
        for n, (story, (member, text)) in enumerate(opinions)
    ]
    written = records("Board opinions", specs)
    opinion_uids: dict[int, list[str]] = {}
    for (story, _), record in zip(opinions, written, strict=True):
        opinion_uids.setdefault(story.n, []).append(record.uid)

    # The audit: each decision scheduled, then what it affects, then the rest of its process.
    progress.begin("decisions scheduled", len(stories))
    for chunk in _chunked(stories, CHUNK):
        audit.append_many(_scheduled(s) for s in chunk)
        progress.advance(len(chunk))
    links = [
        bulk.LinkSpec(
            source=bulk.Ref(s.record.pk, s.record.uid),
            target=target,
            relation=Relation.AFFECTS,
            created_by=s.steps[0].by,
        )
        for s in stories
        for target in s.affects
    ]
    if links:
        progress.begin("what decisions affect", len(links))
        for chunk in _chunked(links, CHUNK):
            bulk.load_links(links=chunk, progress=progress.advance)
    progress.begin("decision events", len(stories))
    for chunk in _chunked(stories, CHUNK // 10):
        audit.append_many(e for s in chunk for e in _process_events(s, opinion_uids))
        progress.advance(len(chunk))

    made.decisions += len(stories)
    made.options += len(options)
    made.steps += sum(len(s.steps) for s in stories)
    made.evidence += sum(len(s.evidence) for s in stories)
    made.recommendations += len(advice)
    made.responses += len(answers)
    made.opinions += len(opinions)
    made.affects += len(links)


def _kin(
    rng: random.Random,
    story: _Story,
    n: int,
    orgs: Orgs,
    people: People,
    today: dt.date,
    *,
    owner: Organisation,
    by: User,
    model: type[Item],
    title: str,
    summary: str,
    fields: dict[str, Any],
) -> bulk.RecordSpec:
    """A record that belongs to a decision (advice, an opinion): mostly triaged and published as
    the decision is, otherwise by the generator's usual mix."""
    outcome, publish = story.spec.triage.outcome if story.spec.triage else None, story.spec.publish
    if rng.random() >= 0.7:
        outcome, publish = _fate(rng, n)
    triage = None
    if outcome is not None:
        triage = _triage(rng, outcome, owner, orgs.outside, people.triagers, today)
    return bulk.RecordSpec(
        model=model,
        owner=owner,
        created_by=by,
        title=title[:300],
        uid="".join(rng.choices(UID_ALPHABET, k=UID_LENGTH)),
        summary=summary[:300],
        source=story.spec.source,
        fields=fields,
        triage=triage,
        publish=publish,
    )


def _set_chosen(pairs: Sequence[tuple[int, int]]) -> None:
    """Point each decision taken (pk) at the option chosen (pk): options are written after the
    decisions they belong to, so the choice is set once both exist."""
    if not pairs:
        return
    quote = connection.ops.quote_name
    opts = Decision._meta
    table, column = quote(opts.db_table), quote(opts.get_field("chosen").column)
    pk = quote(opts.pk.column)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET {column} = %s WHERE {pk} = %s",  # noqa: S608  (model metadata)
            [(option, decision) for decision, option in pairs],
        )


def _scheduled(story: _Story) -> bulk.AuditEventSpec:
    """`decision.scheduled`, as `schedule_decision` records it."""
    fields = story.spec.fields
    data = {
        "scheduled_on": fields["first_scheduled_on"].isoformat(),
        "type": fields["decision_type"],
        "options": [o["label"] for o in story.options],
        "concerns": sorted(o.slug for o in story.concerns),
    }
    return story.steps[0].by, "decision.scheduled", story.record.uid, data


STEP_ACTIONS = {
    Stage.GATHERING_EVIDENCE: "decision.gathering_evidence",
    Stage.ADVICE_REQUESTED: "decision.advice_requested",
    Stage.ADVISED: "decision.advised",
    Stage.CONSULTATION: "decision.consultation_opened",
    Stage.DECIDED: "decision.decided",
    Stage.REVIEWED: "decision.reviewed",
    Stage.DEFERRED: "decision.deferred",
    Stage.WITHDRAWN: "decision.withdrawn",
}


def _process_events(story: _Story, opinions: dict[int, list[str]]) -> Iterator[bulk.AuditEventSpec]:
    """A decision's events after it was scheduled, as the services record them, in the order of
    its process: each step, with the evidence, advice, responses and opinions where they came."""
    uid = story.record.uid
    individual = [a for a in story.advice if not a.consolidated]
    consolidated = next((a for a in story.advice if a.consolidated), None)
    if not story.passed(Stage.GATHERING_EVIDENCE):
        yield from _evidence_events(story)
    for before, step in itertools.pairwise(story.steps):
        resumed = before.to == Stage.DEFERRED and step.to != Stage.WITHDRAWN
        action = "decision.resumed" if resumed else STEP_ACTIONS[step.to]
        data = {
            "from": before.to,
            "to": step.to,
            **(
                {"comment": step.comment} if step.comment and step.to not in REASONED_STAGES else {}
            ),
            **step.data,
        }
        if step.to == Stage.ADVISED:
            data["recommendation"] = consolidated.record.uid
        yield step.by, action, uid, data
        if step.to == Stage.GATHERING_EVIDENCE and not resumed:
            yield from _evidence_events(story)
        elif step.to == Stage.ADVICE_REQUESTED and not resumed:
            for a in individual:
                label = story.options[a.option]["label"]
                yield (
                    a.advisor,
                    "recommendation.recorded",
                    uid,
                    {"recommendation": a.record.uid, "option": label},
                )
        elif step.to == Stage.CONSULTATION:
            yield from _response_events(story)
        elif step.to == Stage.DECIDED:
            for member, opinion in zip(
                [m for m, _ in story.opinions], opinions.get(story.n, []), strict=True
            ):
                yield member, "board.opinion_recorded", uid, {"opinion": opinion}


def _evidence_events(story: _Story) -> Iterator[bulk.AuditEventSpec]:
    for evidence in story.evidence_written:
        yield (
            evidence.added_by,
            "decision.evidence_added",
            story.record.uid,
            {"evidence": evidence.pk, "source": "record" if evidence.record_id else "web"},
        )


def _response_events(story: _Story) -> Iterator[bulk.AuditEventSpec]:
    """Each response as `respond` and `triage_response` record it, then the summary of feedback."""
    uid = story.record.uid
    for r in story.responses:
        yield (
            r.by,
            "consultation.responded",
            r.record.uid,
            {"decision": uid, "consent_to_publish": r.consent},
        )
    for r in story.responses:
        if r.state != ResponseState.RECEIVED:
            data = {
                "published": r.state == ResponseState.PUBLISHED,
                "personal_data": r.personal_data,
                "reason": r.reason,
            }
            yield r.triager, "consultation.response_triaged", r.record.uid, data
    if story.summarised is not None:
        runner = story.steps[[s.to for s in story.steps].index(Stage.CONSULTATION)].by
        yield runner, "decision.feedback_summarised", uid, {"responses": story.summarised}


# What each kind of decision mostly affects: the share of its links to architecture elements
# (the rest to investments).
AFFECTS_ELEMENTS = {
    DecisionType.SCOPE: 0.2,
    DecisionType.DESIGN: 0.8,
    DecisionType.DELIVERY_APPROACH: 0.4,
    DecisionType.WHO_DELIVERS: 0.2,
    DecisionType.OTHER: 0.5,
}


def _aim(
    rng: random.Random,
    stories: Sequence[_Story],
    investments: Sequence[Investment],
    elements: Sequence[bulk.Ref],
) -> list[tuple[bulk.Ref, str, _Story]]:
    """What each decision affects (one to three investments or elements, for most of them), and
    the elements designated shared digital infrastructure or left to the market, each by an open
    scope decision taken that chose to (and that affects the element)."""
    targets = [bulk.Ref(i.pk, i.uid) for i in investments]
    for story in stories:
        if rng.random() < 0.1 or not (targets or elements):
            continue
        share = AFFECTS_ELEMENTS[story.spec.fields["decision_type"]]
        picked = [
            rng.choice(elements if elements and (rng.random() < share or not targets) else targets)
            for _ in range(rng.randint(1, 3))
        ]
        story.affects = list(dict.fromkeys(picked))
    deciders = [
        s
        for s in stories
        if s.spec.fields["decision_type"] == DecisionType.SCOPE
        and s.stage in DECIDED_STAGES
        and s.chosen in (0, 1)  # designate it, or leave it to the market
        and s.spec.publish
        and s.spec.triage.outcome == Visibility.OPEN
    ]
    if not deciders or not elements:
        return []
    designated = []
    count = min(len(elements), max(2, len(elements) // ELEMENT_DESIGNATION_EVERY))
    for element in rng.sample(elements, count):
        story = rng.choice(deciders)
        if element not in story.affects:
            story.affects.append(element)
        designation = SdiDesignation.SHARED if story.chosen == 0 else SdiDesignation.MARKET
        designated.append((element, str(designation), story))
    return designated


def _designate_elements(
    rng: random.Random,
    designations: Sequence[tuple[bulk.Ref, str, _Story]],
    people: People,
    progress: Progress,
) -> int:
    """Each element designated as `designate` records it, naming the decision taken."""
    if not designations:
        return 0
    progress.begin("element designations", len(designations))
    by = rng.choice(people.product_owners)
    now = timezone.now()
    with transaction.atomic():
        for element, designation, story in designations:
            Element.objects.filter(pk=element.pk).update(
                sdi_designation=designation,
                designated_by_id=story.record.pk,
                version=F("version") + 1,
                updated_at=now,
            )
        audit.append_many(
            (
                by,
                "element.designated",
                element.uid,
                {"designation": designation, "decision": story.record.uid},
            )
            for element, designation, story in designations
        )
    progress.advance(len(designations))
    return len(designations)


# -- the plan: investments, features, milestones, the RAID log -----------------------------------

# Investments by current phase (per cent), and the days from one phase's start to the next's.
PHASE_SHARES = [
    (Phase.DISCOVERY, 15),
    (Phase.ALPHA, 20),
    (Phase.BETA, 30),
    (Phase.LIVE, 28),
    (Phase.RETIRED, 7),
]
PHASE_DAYS = (60, 420)
INVESTMENT_NOUNS = [
    "service",
    "platform",
    "register",
    "exchange",
    "programme",
    "data service",
    "API",
    "hub",
    "catalogue",
    "pilot",
]
FEATURES = [
    "Open API for licensees",
    "Bulk download",
    "Consent dashboard",
    "Search and discovery",
    "Data quality reports",
    "Single sign-on",
    "Asset map",
    "Change notifications",
    "Audit trail",
    "Half-hourly data feed",
    "Onboarding journey",
    "Accessibility statement",
    "Service status page",
    "Common identifiers",
    "Data licensing terms",
    "Regional views",
    "Forecast uploads",
    "Metadata catalogue entry",
    "Developer sandbox",
    "Usage statistics",
]
COSTS = [100_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000, 25_000_000]
CONFIDENCE = [(Confidence.LOW, 40), (Confidence.MEDIUM, 45), (Confidence.HIGH, 15)]
STEPS = {
    Phase.DISCOVERY: [
        "Discovery begins",
        "User research complete",
        "Problem statement agreed",
        "Discovery peer review",
    ],
    Phase.ALPHA: [
        "Alpha begins",
        "Prototype tested with users",
        "Data model drafted",
        "Alpha assessment passed",
    ],
    Phase.BETA: [
        "Private beta opens",
        "Security review passed",
        "Interfaces published",
        "Public beta opens",
        "Beta assessment passed",
    ],
    Phase.LIVE: [
        "Service goes live",
        "All licensees onboarded",
        "Live assessment passed",
        "Annual service review",
    ],
    Phase.RETIRED: ["Decommissioning plan agreed", "Service retired", "Records archived"],
}
RAID_STATUSES = [(RaidStatus.OPEN, 45), (RaidStatus.MANAGING, 35), (RaidStatus.CLOSED, 20)]
SCORES = ([1, 2, 3, 4, 5], [10, 20, 35, 25, 10])
RISK_CAUSES = [
    "Delivery partners are stretched across several programmes",
    "The common data model is still changing",
    "Funding beyond this price control is not confirmed",
    "Network operators hold asset data in different formats",
    "Consent rules for consumer data are unclear",
    "Key staff are on short-term contracts",
    "The identity service depends on one supplier",
    "Regulatory requirements are under consultation",
]
RISK_EVENTS = [
    "Delivery slips by a quarter",
    "Licensees do not adopt the interface",
    "A data breach exposes operational data",
    "Costs exceed the upper estimate",
    "Data quality is too poor to publish",
    "A key supplier withdraws",
    "The assessment is failed",
    "Stakeholders lose confidence in the programme",
]
RISK_EFFECTS = [
    "benefits to consumers are delayed",
    "the sector keeps duplicating effort",
    "the Orchestrator's reputation suffers",
    "dependent investments cannot start",
    "the business case no longer holds",
    "open data publication is paused",
]
ISSUES = [
    "Supplier missed a contracted delivery",
    "Test environment unavailable for two weeks",
    "Interface change broke a consumer",
    "Security finding needs remediation",
    "Onboarding backlog growing",
    "Data feed published late",
    "Budget overspend this quarter",
    "Assessment raised actions",
]
ASSUMPTIONS = [
    "Licensees will share asset data monthly",
    "Funding continues into the next price control",
    "The regulator endorses the common data model",
    "Two Delivery Partners can be contracted this year",
    "Consumers consent to half-hourly data use",
    "The identity service scales to every licensee",
    "Existing registers can be migrated without loss",
]
VALIDITY = [
    (AssumptionStatus.UNTESTED, 55),
    (AssumptionStatus.HOLDS, 35),
    (AssumptionStatus.FAILED, 10),
]
NEEDS = [
    "Asset data extract",
    "Agreement to the data licence",
    "Access to the test environment",
    "Sign-off of the interface specification",
    "Identity service integration",
    "Consultation outcome",
    "Hosting contract in place",
]


# A record's fate: its triage outcome (None: never triaged) and whether it is published.
Fate = tuple[str | None, bool]
# Owner, author, text, uid and fate of the `n`th record of a kind, for a `RecordSpec`.
Common = Callable[..., dict[str, Any]]


@dataclass
class Plan:
    investments: int = 0
    features: int = 0
    milestones: int = 0
    dependencies: int = 0  # between milestones
    raid: int = 0
    # The investments written, for what comes after the plan (their dependencies on elements).
    written: list[Investment] = field(default_factory=list)


@dataclass
class _Milestone:
    """What the generator remembers of a milestone it wrote: enough to link it."""

    pk: int
    uid: str
    investment: int  # index of its investment
    key: tuple[dt.date, int]  # its planned date and a tie-break: dependencies point down this order
    actual: dt.date | None
    expected: dt.date


def _plan(
    rng: random.Random,
    size: Scale,
    orgs: Orgs,
    people: People,
    designators: Sequence[Decision],
    today: dt.date,
    label: str,
    progress: Progress,
) -> Plan:
    """The strategic plan's delivery side, written as the Portfolio Management Team would."""
    plan = Plan()
    if not size.investments or not people.planners:
        return plan
    team = orgs.teams[Role.PORTFOLIO_MANAGER]
    sentences = [_sentence(rng) for _ in range(500)]

    def common(
        n: int, title: str, fate: Fate | None = None, owner: Organisation | None = None
    ) -> dict[str, Any]:
        """Owner (unless given: the Portfolio Management Team), author, text and fate (unless
        given) of the `n`th record of a kind. Staff may file records for any organisation."""
        outcome, publish = fate or _fate(rng, n)
        owner = owner or team
        triage = None
        if outcome is not None:
            triage = _triage(rng, outcome, owner, orgs.outside, people.triagers, today)
        return {
            "owner": owner,
            "created_by": rng.choice(people.planners),
            "title": title,
            "summary": " ".join(rng.choices(sentences, k=rng.randint(1, 2))),
            "body": " ".join(rng.choices(sentences, k=rng.randint(2, 6))),
            "subject": ", ".join(rng.sample(SUBJECTS, 2)),
            "source": f"Synthetic dataset {label}",
            "uid": "".join(rng.choices(UID_ALPHABET, k=UID_LENGTH)),
            "triage": triage,
            "publish": publish,
        }

    investments, fates = _investments(rng, size, orgs, designators, today, common, progress)
    plan.investments, plan.written = len(investments), investments
    plan.features = _features(rng, investments, people, today, progress)
    _designations(rng, investments, designators, people, progress)
    milestones = _milestones(rng, size, investments, fates, orgs, today, common, progress)
    plan.milestones = len(milestones)
    plan.dependencies = _milestone_dependencies(rng, size, milestones, people, progress)
    plan.raid = _raid(rng, size, orgs, investments, today, common, progress)
    return plan


def _fate(rng: random.Random, n: int) -> Fate:
    # The first records of each kind take each fate in turn, so even `small` has them all.
    if n < len(FIRST_FATES):
        return FIRST_FATES[n]
    fates, weights = zip(*FATES, strict=True)
    return rng.choices(fates, weights)[0]


def _weighted(rng: random.Random, pairs: Sequence[tuple[Any, float]]) -> Any:
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


def _short(investment: Investment) -> str:
    return investment.title.split(" (")[0]


def _investments(
    rng: random.Random,
    size: Scale,
    orgs: Orgs,
    designators: Sequence[Decision],
    today: dt.date,
    common: Common,
    progress: Progress,
) -> tuple[list[Investment], list[Fate]]:
    """Investments in every phase, their phase dates in order and in the past, with costs; and
    each one's fate (triage outcome, published), which most of its milestones share. Some are
    designated shared digital infrastructure, each by a scope decision of `designators`."""
    used: set[str] = set()
    specs, fates = [], []
    count = min(len(designators), size.investments)
    designated = dict(zip(rng.sample(range(size.investments), count), designators, strict=True))
    for n in range(size.investments):
        for attempt in itertools.count():
            title = f"{rng.choice(TOPICS)} {rng.choice(INVESTMENT_NOUNS)} ({rng.choice(PLACES)})"
            if attempt > 5:
                title = f"{title[:-1]} {n + 1})"
            if title not in used:
                break
        used.add(title)
        phase = Phase.values[n] if n < len(Phase.values) else _weighted(rng, PHASE_SHARES)
        # Backwards from today, so every phase began in the past and in order.
        current = PHASE_ORDER.index(phase)
        began = {phase: today - dt.timedelta(days=rng.randint(7, 500))}
        for earlier in reversed(PHASE_ORDER[:current]):
            later = began[PHASE_ORDER[PHASE_ORDER.index(earlier) + 1]]
            began[earlier] = later - dt.timedelta(days=rng.randint(*PHASE_DAYS))
        fates.append(_fate(rng, n))
        # Delivered by a Design Body or a Delivery Partner, or run by the Orchestrator itself.
        roll = rng.random()
        kind = OrganisationKind.DESIGN_BODY if roll < 0.3 else OrganisationKind.DELIVERY_PARTNER
        owner = rng.choice(orgs.by_kind[kind]) if roll < 0.6 and orgs.by_kind[kind] else None
        record = common(n, title, fates[-1], owner)
        fields: dict[str, Any] = {
            "purpose": f"To give the sector {rng.choice(SENTENCE_PARTS[2])} it can rely on.",
            "capabilities": ", ".join(rng.sample(FEATURES, 3)),
            "phase": phase,
            **{f"{p}_began": d for p, d in began.items()},
            "technical_details_url": (
                f"https://example.org/plan/{record['uid'].lower()}" if rng.random() < 0.4 else ""
            ),
        }
        if rng.random() < 0.9:
            low = int(rng.choice(COSTS) * rng.uniform(0.6, 1.0)) // 1000 * 1000
            fields |= {
                "cost_low": Decimal(low),
                "cost_high": Decimal(int(low * rng.choice([1.5, 2, 3, 4]))),
                "cost_confidence": _weighted(rng, CONFIDENCE),
            }
        if n in designated:
            fields |= {"designated_sdi": True, "designated_by_id": designated[n].pk}
        specs.append(bulk.RecordSpec(model=Investment, fields=fields, **record))
    progress.begin("investments", len(specs))
    made: list[Investment] = []
    for chunk in _chunked(specs, CHUNK):
        made.extend(bulk.load_records(records=chunk, progress=progress.advance))
    return made, fates


def _features(
    rng: random.Random,
    investments: Sequence[Investment],
    people: People,
    today: dt.date,
    progress: Progress,
) -> int:
    """Two to six features for each investment, as `add_feature` adds them."""
    rows = []
    for investment in investments:
        start = investment.discovery_began
        for name in rng.sample(FEATURES, rng.randint(2, 6)):
            target = start + dt.timedelta(days=rng.randint(30, (today - start).days + 730))
            delivered = None
            if target <= today and rng.random() < 0.75:
                delivered = min(today, max(start, target + dt.timedelta(days=rng.randint(-20, 90))))
            rows.append(
                Feature(
                    investment=investment, name=name, target_date=target, delivered_on=delivered
                )
            )
    by = {investment.pk: rng.choice(people.planners) for investment in investments}

    def events(feature: Feature) -> list[bulk.AuditEventSpec]:
        # As `add_feature` records it.
        delivered = feature.delivered_on.isoformat() if feature.delivered_on else None
        data = {"name": feature.name, "target_date": feature.target_date.isoformat(),
                "delivered_on": delivered}  # fmt: skip
        return [(by[feature.investment_id], "feature.added", feature.investment.uid, data)]

    progress.begin("features", len(rows))
    for chunk in _chunked(rows, CHUNK):
        bulk.load_rows(rows=chunk, events=events, progress=progress.advance)
    return len(rows)


def _designations(
    rng: random.Random,
    investments: Sequence[Investment],
    designators: Sequence[Decision],
    people: People,
    progress: Progress,
) -> None:
    """Each designated investment is linked from the decision that designated it, as
    `create_investment` links it."""
    links = [
        bulk.LinkSpec(
            source=bulk.Ref(i.designated_by_id, uids[i.designated_by_id]),
            target=bulk.Ref(i.pk, i.uid),
            relation=Relation.REFERENCES,
            created_by=rng.choice(people.planners),
            note="designated it shared digital infrastructure",
        )
        for uids in [{decision.pk: decision.uid for decision in designators}]
        for i in investments
        if i.designated_by_id
    ]
    if links:
        progress.begin("designations", len(links))
        bulk.load_links(links=links, progress=progress.advance)


def _milestone_counts(rng: random.Random, investments: int, total: int) -> list[int]:
    """How many milestones each investment has: the average, give or take half, adding up to
    `total` (5 to 15 or so at both scales)."""
    average = max(1, total // investments)
    counts = [
        max(1, average + rng.randint(-average // 2, average // 2)) for _ in range(investments)
    ]
    while (diff := total - sum(counts)) != 0:
        n = rng.randrange(investments)
        if diff > 0:
            counts[n] += 1
        elif counts[n] > 1:
            counts[n] -= 1
    return counts


def _milestones(
    rng: random.Random,
    size: Scale,
    investments: Sequence[Investment],
    fates: Sequence[Fate],
    orgs: Orgs,
    today: dt.date,
    common: Common,
    progress: Progress,
) -> list[_Milestone]:
    """Each investment's milestones, planned in order from its discovery to a year or two ahead:
    past ones mostly reached (some late), future ones forecast (some slipping), none reached
    before the one it follows, no date before its phase began."""
    counts = _milestone_counts(rng, len(investments), size.milestones)
    partners = orgs.by_kind.get(OrganisationKind.DELIVERY_PARTNER, [])
    specs: list[bulk.RecordSpec] = []
    facts: list[tuple[int, dt.date, dt.date | None, dt.date]] = []
    for index, (investment, count) in enumerate(zip(investments, counts, strict=True)):
        began = {p: investment.phase_began(p) for p in PHASE_ORDER}
        current = PHASE_ORDER.index(investment.phase)
        start = investment.discovery_began + dt.timedelta(days=rng.randint(7, 45))
        if investment.phase == Phase.RETIRED:
            end = max(start + dt.timedelta(days=count), began[Phase.RETIRED])
        else:
            end = today + dt.timedelta(days=rng.randint(120, 900))
        step = max(1, (end - start).days // count)
        planned, previous = start, None
        used: set[str] = set()
        for _ in range(count):
            # The phase it falls in: the last one begun by then; far ahead, the next one.
            phase = max((p for p in PHASE_ORDER if began[p] and began[p] <= planned),
                        key=PHASE_ORDER.index, default=Phase.DISCOVERY)  # fmt: skip
            if planned > today + dt.timedelta(days=180) and current < PHASE_ORDER.index(Phase.LIVE):
                phase = PHASE_ORDER[current + 1]
            floor = began[phase]  # forecast and actual dates cannot be before the phase began
            actual = forecast = None
            if planned <= today:
                # Long past milestones were nearly all reached; recent ones less often yet.
                reached = 0.98 if (today - planned).days > 180 else 0.75
                if rng.random() < reached:
                    late = min(200, 1 + int(rng.expovariate(1 / 30)))
                    if rng.random() >= 0.3:
                        late = -rng.randint(0, 10)  # on time, or a little early
                    actual = min(today, planned + dt.timedelta(days=late))
                else:  # overdue: not reached, forecast a little later
                    forecast = today + dt.timedelta(days=rng.randint(1, 90))
            else:
                roll = rng.random()
                if roll < 0.7:
                    forecast = planned
                elif roll < 0.9:
                    slip = 7 + int(rng.expovariate(1 / 45))
                    forecast = planned + dt.timedelta(days=slip)
                elif roll < 0.95:
                    forecast = max(today, planned - dt.timedelta(days=rng.randint(1, 30)))
            if previous is not None:
                # After the milestone it follows: not reached before it, not forecast before it.
                _, _, prev_actual, prev_expected = previous
                if actual and (prev_actual is None or actual < prev_actual):
                    actual = prev_actual
                    if actual is None:
                        forecast = max(prev_expected, today) + dt.timedelta(days=rng.randint(1, 60))
                if actual is None and forecast and forecast < prev_expected:
                    forecast = prev_expected + dt.timedelta(days=rng.randint(0, 30))
            if floor:
                actual = max(actual, floor) if actual else None
                forecast = max(forecast, floor) if forecast else None
            step_name = rng.choice(STEPS[phase])
            if step_name in used:
                step_name = f"{step_name} ({len(used) + 1})"
            used.add(step_name)
            # Most share their investment's fate; the first few of a run take each in turn.
            fate = fates[index] if len(specs) >= len(FIRST_FATES) and rng.random() < 0.6 else None
            # Most are the investment owner's to deliver; some a Delivery Partner's.
            owner = investment.owner
            if partners and rng.random() < 0.2:
                owner = rng.choice(partners)
            record = common(len(specs), f"{_short(investment)}: {step_name}", fate, owner)
            fields = {"for_investment": investment, "phase": phase, "planned_on": planned,
                      "forecast_on": forecast, "actual_on": actual}  # fmt: skip
            specs.append(bulk.RecordSpec(model=Milestone, fields=fields, **record))
            expected = actual or forecast or planned
            previous = (index, planned, actual, expected)
            facts.append(previous)
            planned += dt.timedelta(days=max(1, step + rng.randint(-step // 3, step // 3)))
    progress.begin("milestones", len(specs))
    made: list[_Milestone] = []
    for chunk in _chunked(specs, CHUNK):
        for record in bulk.load_records(records=chunk, progress=progress.advance):
            index, planned, actual, expected = facts[len(made)]
            made.append(
                _Milestone(record.pk, record.uid, index, (planned, len(made)), actual, expected)
            )
    return made


def _milestone_dependencies(
    rng: random.Random,
    size: Scale,
    milestones: Sequence[_Milestone],
    people: People,
    progress: Progress,
) -> int:
    """Within an investment each milestone follows the one before (sometimes the one before that
    too); a few depend on another investment's. Every dependency points to a milestone planned
    earlier (or the same day but written first), so together they make no cycle."""
    edges: dict[tuple[int, int], None] = {}
    for n in range(1, len(milestones)):
        here, before = milestones[n], milestones[n - 1]
        if before.investment != here.investment:
            continue
        if rng.random() < 0.92:
            edges[(n, n - 1)] = None
        if n >= 2 and milestones[n - 2].investment == here.investment and rng.random() < 0.1:
            edges[(n, n - 2)] = None
    order = sorted(range(len(milestones)), key=lambda n: milestones[n].key)
    position = {n: p for p, n in enumerate(order)}
    wanted = len(edges) + size.milestones // 12
    for _ in range(size.milestones):  # bounded: give up on a crowded graph rather than loop
        if len(edges) >= wanted:
            break
        n = rng.randrange(len(milestones))
        if position[n] == 0:
            continue
        m = order[rng.randrange(position[n])]  # planned earlier
        if milestones[m].investment != milestones[n].investment:
            edges.setdefault((n, m), None)
    through = Milestone.depends_on.through
    rows = [through(from_milestone_id=milestones[n].pk, to_milestone_id=milestones[m].pk)
            for n, m in edges]  # fmt: skip
    uids = {m.pk: m.uid for m in milestones}
    by = rng.choice(people.planners)

    def events(row: Any) -> list[bulk.AuditEventSpec]:
        # As `add_milestone_dependency` records it.
        data = {"depends_on": uids[row.to_milestone_id]}
        return [(by, "milestone.dependency_added", uids[row.from_milestone_id], data)]

    progress.begin("milestone dependencies", len(rows))
    for chunk in _chunked(rows, CHUNK):
        bulk.load_rows(rows=chunk, events=events, progress=progress.advance)
    return len(rows)


def _raid(
    rng: random.Random,
    size: Scale,
    orgs: Orgs,
    investments: Sequence[Investment],
    today: dt.date,
    common: Common,
    progress: Progress,
) -> int:
    """Risks, issues (some foreseen by a risk identified before they happened), assumptions and
    dependencies (some on an outside organisation), most of them about an investment."""
    managers = [*TEAMS.values()][2:]

    def entry(investment: Investment | None) -> dict[str, Any]:
        return {
            "for_investment": investment,
            "managed_by": rng.choice(managers)
            if rng.random() < 0.7
            else rng.choice(orgs.outside).name,
            "raid_status": _weighted(rng, RAID_STATUSES),
            "review_on": today + dt.timedelta(days=rng.randint(-90, 180)),
        }

    def owner(investment: Investment | None) -> Organisation | None:
        # Mostly logged by whoever delivers the investment; otherwise the Portfolio Management Team.
        return investment.owner if investment and rng.random() < 0.7 else None

    def about() -> Investment | None:
        return rng.choice(investments) if rng.random() < 0.92 else None

    def title(text: str, investment: Investment | None) -> str:
        return f"{text} ({_short(investment)})" if investment else f"{text} (portfolio)"

    def load(kind: str, specs: list[bulk.RecordSpec]) -> list[Item]:
        progress.begin(kind, len(specs))
        made: list[Item] = []
        for chunk in _chunked(specs, CHUNK):
            made.extend(bulk.load_records(records=chunk, progress=progress.advance))
        return made

    specs = []
    for n in range(size.risks):
        investment = about()
        likelihood, impact = (rng.choices(*SCORES)[0] for _ in range(2))
        residual = rng.random() < 0.6
        cause, event, effect = (
            rng.choice(RISK_CAUSES),
            rng.choice(RISK_EVENTS),
            rng.choice(RISK_EFFECTS),
        )
        fields = {
            **entry(investment),
            "cause": f"{cause}.",
            "event": f"{event}.",
            "effect": f"If it happens, {effect}.",
            "mitigation": rng.choice(SENTENCE_PARTS[0]) + " will monitor it monthly.",
            "likelihood": likelihood,
            "impact": impact,
            "proximity": rng.choice(Proximity.values),
            "identified_on": today - dt.timedelta(days=rng.randint(0, 1400)),
            "residual_likelihood": max(1, likelihood - rng.randint(0, 2)) if residual else None,
            "residual_impact": max(1, impact - rng.randint(0, 1)) if residual else None,
        }
        specs.append(
            bulk.RecordSpec(
                model=Risk,
                fields=fields,
                **common(n, title(event, investment), owner=owner(investment)),
            )
        )
    risks = load("risks", specs)
    by_investment: dict[int | None, list[Item]] = {}
    for risk in risks:
        by_investment.setdefault(risk.for_investment_id, []).append(risk)

    specs = []
    for n in range(size.issues):
        investment = about()
        occurred = today - dt.timedelta(days=rng.randint(0, 900))
        foreseen = None
        if risks and rng.random() < 0.45:
            # Foreseen: by a risk about the same investment where there is one, identified before.
            nearby = by_investment.get(investment.pk if investment else None) or risks
            foreseen = rng.choice(nearby)
            occurred = min(today, foreseen.identified_on + dt.timedelta(days=rng.randint(0, 500)))
        fields = {
            **entry(investment),
            "occurred_on": occurred,
            "severity": rng.choices(*SCORES)[0],
            "resolution": rng.choice(SENTENCE_PARTS[0])
            + " "
            + rng.choice(SENTENCE_PARTS[1])
            + " a fix is in hand.",
            "foreseen_by": foreseen,
        }
        name = rng.choice(ISSUES)
        specs.append(
            bulk.RecordSpec(
                model=Issue,
                fields=fields,
                **common(n, title(name, investment), owner=owner(investment)),
            )
        )
    issues = load("issues", specs)

    specs = []
    for n in range(size.assumptions):
        investment = about()
        fields = {
            **entry(investment),
            "test": f"Checked with {rng.choice(SENTENCE_PARTS[0]).lower()} "
            f"{rng.choice(SENTENCE_PARTS[4])}.",
            "validity": _weighted(rng, VALIDITY),
        }
        name = rng.choice(ASSUMPTIONS)
        specs.append(
            bulk.RecordSpec(
                model=Assumption,
                fields=fields,
                **common(n, title(name, investment), owner=owner(investment)),
            )
        )
    assumptions = load("assumptions", specs)

    specs = []
    for n in range(size.dependencies):
        investment = about()
        external = rng.random() < 0.4 or n == 0
        on = rng.choice(orgs.outside) if external else None
        fields = {
            **entry(investment),
            "external": external,
            "on_organisation": on,
            "need_by": today + dt.timedelta(days=rng.randint(-120, 540)),
        }
        name = f"{rng.choice(NEEDS)} from {on.name}" if on else rng.choice(NEEDS)
        specs.append(
            bulk.RecordSpec(
                model=Dependency,
                fields=fields,
                **common(n, title(name, investment), owner=owner(investment)),
            )
        )
    dependencies = load("dependencies", specs)
    return len(risks) + len(issues) + len(assumptions) + len(dependencies)


# -- the enterprise architecture: models, elements, relationships, states ------------------------

# One enterprise model per domain of the energy system, each with the subjects its systems hold
# (as "the asset register", and "assets" in the plural).
DOMAINS = [
    ("Electricity distribution", [("asset", "assets"), ("connection", "connections"),
     ("flexibility", "flexibility services"), ("network capacity", "capacity figures"),
     ("outage", "outages"), ("curtailment", "curtailment events")]),
    ("Electricity transmission", [("network model", "network models"),
     ("balancing", "balancing actions"), ("interconnector", "interconnector flows"),
     ("constraint", "constraint forecasts"), ("asset health", "asset health indices")]),
    ("Markets and settlement", [("settlement", "settlement runs"), ("meter data", "meter readings"),
     ("tariff", "tariffs"), ("flexibility market", "flexibility trades"),
     ("registration", "supply registrations")]),
    ("Consumers and data sharing", [("consent", "consent records"), ("identity", "identities"),
     ("metadata", "dataset descriptions"), ("data licence", "data licences"),
     ("vulnerability", "priority services registrations")]),
    ("Heat", [("heat pump", "heat pumps"), ("heat network", "heat network connections"),
     ("building energy", "energy performance certificates"), ("heat demand", "heat demand maps")]),
    ("Transport and charging", [("chargepoint", "chargepoints"), ("charging session", "charging sessions"),
     ("fleet", "fleet charging plans"), ("smart charging", "smart charging signals")]),
    ("Gas and hydrogen", [("gas quality", "gas quality readings"), ("hydrogen blend", "blend readings"),
     ("pipeline", "pipeline assets"), ("biomethane", "biomethane injections")]),
    ("Weather, carbon and planning", [("weather", "weather observations"),
     ("carbon intensity", "carbon intensity figures"), ("demand forecast", "demand forecasts"),
     ("local energy plan", "local area energy plans"), ("storage dispatch", "dispatch instructions")]),
]  # fmt: skip
# What one system of a domain is made of, type by type: a count, or a chance of one.
CLUSTER = [
    ("Capability", 2), ("ValueStream", 0.5), ("CourseOfAction", 0.5), ("Resource", 1),
    ("BusinessActor", 2), ("BusinessRole", 2), ("BusinessCollaboration", 0.3),
    ("BusinessInterface", 1), ("BusinessProcess", 3), ("BusinessFunction", 1),
    ("BusinessInteraction", 0.3), ("BusinessEvent", 1), ("BusinessService", 2),
    ("BusinessObject", 2), ("Contract", 1), ("Representation", 0.5), ("Product", 0.5),
    ("ApplicationComponent", 3), ("ApplicationCollaboration", 0.3), ("ApplicationInterface", 2),
    ("ApplicationFunction", 2), ("ApplicationInteraction", 0.3), ("ApplicationProcess", 1),
    ("ApplicationEvent", 1), ("ApplicationService", 3), ("DataObject", 3),
    ("Node", 2), ("Device", 1), ("SystemSoftware", 2), ("TechnologyCollaboration", 0.3),
    ("TechnologyInterface", 1), ("Path", 0.5), ("CommunicationNetwork", 1),
    ("TechnologyFunction", 1), ("TechnologyProcess", 1), ("TechnologyInteraction", 0.3),
    ("TechnologyEvent", 0.5), ("TechnologyService", 2), ("Artifact", 2),
    ("Equipment", 2), ("Facility", 1), ("DistributionNetwork", 1), ("Material", 0.5),
    ("Stakeholder", 1), ("Driver", 1), ("Assessment", 1), ("Goal", 1), ("Outcome", 1),
    ("Meaning", 0.3), ("Value", 1),
    ("WorkPackage", 2), ("Deliverable", 2), ("ImplementationEvent", 1), ("Plateau", 1),
    ("Gap", 0.5), ("Grouping", 0.5), ("Location", 1),
]  # fmt: skip
# Names by type: {a} a subject ("asset"), {p} its plural, capitalised as {A} and {P}; {region}.
ELEMENT_NAMES = {
    "Capability": ["{A} management", "{A} planning", "{A} analytics", "{A} data assurance"],
    "ValueStream": ["From request to {a} decision", "Deliver {a} data to the sector"],
    "CourseOfAction": ["Open up {a} data", "Consolidate {a} systems", "Standardise {a} interfaces"],
    "Resource": ["{A} data", "{A} engineering staff", "{A} funding", "{A} domain knowledge"],
    "BusinessActor": ["{region} distribution network operator", "Electricity system operator",
                      "Energy supplier", "Flexibility aggregator", "Meter operator", "Regulator",
                      "Domestic consumer", "Community energy group", "Chargepoint operator",
                      "Heat network operator", "Gas distribution network", "Local authority",
                      "Independent connection provider", "Data Communications Company"],
    "BusinessRole": ["{A} data steward", "{A} owner", "Market participant", "Data user",
                     "Registration agent", "{A} analyst", "Settlement agent"],
    "BusinessCollaboration": ["{A} working group", "{region} flexibility consortium"],
    "BusinessInterface": ["{A} customer portal", "{A} service desk", "{A} mailbox"],
    "BusinessProcess": ["Register {p}", "Validate {p}", "Publish {p}", "Approve {p}",
                        "Review {p}", "Correct {p}", "Request {a} data", "Forecast {p}"],
    "BusinessFunction": ["{A} operations", "{A} governance", "{A} data management"],
    "BusinessInteraction": ["{A} data sharing agreement negotiation"],
    "BusinessEvent": ["{A} request received", "{A} change notified", "Licence condition changed"],
    "BusinessService": ["{A} registration", "{A} information service", "{A} data access"],
    "BusinessObject": ["{A} record", "{A} application", "{A} notice", "{A} report"],
    "Contract": ["{A} data sharing agreement", "{A} service contract", "{A} data licence terms"],
    "Representation": ["{A} report (PDF)", "{A} open data file"],
    "Product": ["{A} open data product", "{A} service offering"],
    "ApplicationComponent": ["{region} {a} register", "{A} data catalogue", "{A} market platform",
                             "{A} data hub", "{region} {a} portal", "{A} identity service",
                             "{A} network model store", "{A} analytics platform"],
    "ApplicationCollaboration": ["{A} data sharing platform"],
    "ApplicationInterface": ["{A} API", "{A} bulk download", "{A} event stream", "{A} web pages"],
    "ApplicationFunction": ["{A} validation", "{A} matching", "{A} publication", "{A} aggregation"],
    "ApplicationInteraction": ["{A} data exchange"],
    "ApplicationProcess": ["Nightly {a} load", "{A} reconciliation run", "Ingest {p}"],
    "ApplicationEvent": ["{A} file received", "{A} record changed"],
    "ApplicationService": ["{A} look-up", "{A} search", "{A} notifications", "{A} data feed",
                           "{A} registration service"],
    "DataObject": ["{A} record", "{A} dataset", "{A} time series", "{A} metadata entry",
                   "{A} change log"],
    "Node": ["{region} data centre cluster", "{A} application server", "{A} cloud tenancy",
             "{A} container platform"],
    "Device": ["Smart meter", "Substation gateway", "Remote terminal unit",
               "Chargepoint controller", "Heat pump controller", "Data logger"],
    "SystemSoftware": ["PostgreSQL database", "Message broker", "Kubernetes",
                       "Time-series database", "Search engine", "Identity provider"],
    "TechnologyCollaboration": ["{region} hosting partnership"],
    "TechnologyInterface": ["{A} SFTP endpoint", "{A} HTTPS endpoint", "{A} MQTT endpoint"],
    "Path": ["{region} telemetry link"],
    "CommunicationNetwork": ["{region} operational telecoms network", "Smart metering WAN",
                             "Private fibre network", "Public internet"],
    "TechnologyFunction": ["{A} storage", "{A} message routing", "{A} backup"],
    "TechnologyProcess": ["{A} backup run", "{A} replication"],
    "TechnologyInteraction": ["{A} replication handshake"],
    "TechnologyEvent": ["{A} storage threshold reached", "Certificate expiry"],
    "TechnologyService": ["{A} hosting", "{A} object storage", "Managed database",
                          "Event streaming", "Authentication service", "Monitoring"],
    "Artifact": ["{a}-service container image", "{a}-api deployment", "{A} schema",
                 "{A} configuration"],
    "Equipment": ["{region} primary transformer", "Battery energy storage system", "Heat pump",
                  "EV chargepoint", "Electrolyser", "Gas governor", "Solar inverter",
                  "Wind turbine"],
    "Facility": ["{region} primary substation", "{region} grid supply point",
                 "{region} control centre", "{region} energy centre"],
    "DistributionNetwork": ["{region} 11 kV network", "{region} 33 kV network",
                            "{region} low-pressure gas main", "{region} heat network"],
    "Material": ["Hydrogen", "Natural gas", "Hot water", "Lithium-ion cells"],
    "Stakeholder": ["Consumers", "Network operators", "Suppliers", "The regulator", "Government",
                    "Flexibility providers", "Local authorities"],
    "Driver": ["Net zero by 2050", "Growth in heat pumps", "Growth in electric vehicles",
               "Rising network constraints", "Data best practice guidance", "Cost of living"],
    "Assessment": ["{A} data is held in incompatible formats", "{A} records are incomplete",
                   "{A} work is duplicated across licensees", "{A} data is hard to find"],
    "Goal": ["Make {a} data open by default", "Halve the time to {a} decisions",
             "One view of {p} across Great Britain"],
    "Outcome": ["{A} data published for every licence area", "{A} processes automated",
                "Fewer manual {a} checks"],
    "Meaning": ["{A}: what the sector means by it"],
    "Value": ["Lower bills", "Faster connections", "A more secure system",
              "Less duplicated effort"],
    "WorkPackage": ["{A} discovery", "{A} alpha", "{A} beta build", "{A} migration",
                    "{A} decommissioning"],
    "Deliverable": ["{A} service, beta", "{A} data standard", "{A} API specification",
                    "{A} migration plan"],
    "ImplementationEvent": ["{A} go-live", "{A} contract awarded"],
    "Plateau": ["{A}: as-is", "{A}: target", "{A}: transition"],
    "Gap": ["{A}: gap between as-is and target"],
    "Grouping": ["{A} estate", "{A} shared digital infrastructure"],
    "Location": ["{region}", "{region} licence area"],
}  # fmt: skip
# Which relationships a system's elements have, between which types, and how often. Every one
# is allowed by ArchiMate (checked below, and again for each relationship written).
_PATTERN_TABLE = """
    Composition ApplicationComponent ApplicationInterface 3
    Assignment ApplicationComponent ApplicationFunction 4
    Realization ApplicationFunction ApplicationService 4
    Realization ApplicationProcess ApplicationService 2
    Serving ApplicationService BusinessProcess 5
    Serving ApplicationService ApplicationComponent 3
    Serving ApplicationInterface BusinessRole 2
    Access ApplicationFunction DataObject 4
    Access ApplicationProcess DataObject 2
    Flow ApplicationComponent ApplicationComponent 3
    Triggering ApplicationEvent ApplicationProcess 1
    Assignment ApplicationCollaboration ApplicationInteraction 1
    Aggregation ApplicationCollaboration ApplicationComponent 1
    Specialization ApplicationComponent ApplicationComponent 1
    Realization DataObject BusinessObject 3
    Realization Artifact ApplicationComponent 3
    Realization Artifact DataObject 2
    Assignment Node Artifact 2
    Assignment SystemSoftware Artifact 2
    Composition Node SystemSoftware 3
    Assignment Node TechnologyFunction 2
    Realization TechnologyFunction TechnologyService 3
    Realization TechnologyProcess TechnologyService 1
    Serving TechnologyService ApplicationComponent 4
    Serving TechnologyService ApplicationFunction 2
    Serving TechnologyInterface ApplicationComponent 1
    Composition Node TechnologyInterface 1
    Serving CommunicationNetwork Node 2
    Association Path Node 1
    Assignment Device SystemSoftware 1
    Serving Device Node 1
    Triggering TechnologyEvent TechnologyProcess 1
    Access TechnologyProcess Artifact 1
    Assignment TechnologyCollaboration TechnologyInteraction 1
    Assignment BusinessActor BusinessRole 3
    Assignment BusinessRole BusinessProcess 4
    Assignment BusinessRole BusinessFunction 2
    Realization BusinessProcess BusinessService 3
    Serving BusinessService BusinessActor 2
    Serving BusinessService BusinessRole 2
    Access BusinessProcess BusinessObject 3
    Access BusinessProcess Contract 1
    Triggering BusinessEvent BusinessProcess 2
    Triggering BusinessProcess BusinessProcess 2
    Flow BusinessProcess BusinessProcess 1
    Composition BusinessFunction BusinessProcess 2
    Composition BusinessRole BusinessInterface 1
    Serving BusinessInterface BusinessActor 1
    Aggregation Product BusinessService 1
    Aggregation Product Contract 1
    Realization Representation BusinessObject 1
    Aggregation BusinessCollaboration BusinessRole 1
    Assignment BusinessCollaboration BusinessInteraction 1
    Realization BusinessProcess Capability 2
    Realization ApplicationComponent Capability 1
    Composition Capability Capability 1
    Serving Capability ValueStream 1
    Assignment Resource Capability 1
    Realization BusinessObject Resource 1
    Realization CourseOfAction Capability 1
    Realization Capability Goal 1
    Realization Capability Outcome 1
    Realization Outcome Goal 1
    Influence Driver Goal 1
    Influence Assessment Goal 1
    Association Stakeholder Driver 1
    Association Driver Assessment 1
    Realization ApplicationService Value 1
    Association Value Stakeholder 1
    Association Meaning BusinessObject 1
    Realization WorkPackage Deliverable 2
    Realization Deliverable ApplicationComponent 2
    Realization Deliverable Plateau 1
    Triggering WorkPackage WorkPackage 1
    Triggering ImplementationEvent WorkPackage 1
    Assignment BusinessRole WorkPackage 1
    Composition Plateau ApplicationComponent 1
    Triggering Plateau Plateau 1
    Association Gap Plateau 1
    Aggregation Grouping ApplicationComponent 1
    Aggregation Location Facility 1
    Aggregation Location Node 1
    Assignment Equipment TechnologyFunction 1
    Composition Facility Equipment 2
    Serving DistributionNetwork Facility 1
    Access Equipment Material 1
    Realization Equipment Node 1
    Association Device Equipment 1
"""
PATTERNS = [
    (kind, source, target, int(weight))
    for kind, source, target, weight in (
        line.split() for line in _PATTERN_TABLE.strip().splitlines()
    )
]
assert not [p for p in PATTERNS if refusal(*p[:3])], "a generator pattern ArchiMate refuses"
ACCESS = [("Read", 50), ("Write", 25), ("ReadWrite", 20), ("Access", 5)]
# Most relationships stay within a system; some reach the domain's shared systems (its first
# few: the catalogue, identity and hosting everyone uses), a few any other system.
SHARED_CLUSTERS, TO_SHARED, TO_ANY = 3, 0.10, 0.05
# Where an element stands between the as-is and the to-be: kept, retiring (as-is only) or new
# (to-be only; half of those delivered by the transition plateau already).
LIFECYCLE = [("kept", 70), ("retiring", 15), ("new", 15)]
# What an investment depends on in the architecture.
DEPENDED_ON = ("ApplicationComponent", "ApplicationService", "TechnologyService", "DataObject")
# State memberships audited together, as one `place_in_state` call of this many would be.
PLACED_PER_EVENT = 500


@dataclass
class Estate:
    models: int = 0
    elements: int = 0
    relationships: int = 0
    states: int = 0
    memberships: int = 0
    links: int = 0
    seconds: float = 0.0
    # The open systems, services and datasets that investments depend on and decisions affect.
    targets: list[bulk.Ref] = field(default_factory=list)


def _architecture(
    rng: random.Random,
    size: Scale,
    orgs: Orgs,
    people: People,
    plan: Plan,
    today: dt.date,
    label: str,
    progress: Progress,
) -> Estate:
    """The Architecture Team's enterprise architecture: a model per domain of the energy system,
    each a few hundred systems of elements in every layer, related as ArchiMate allows, with its
    as-is, transition and to-be states; and the investments that depend on its elements."""
    estate = Estate()
    if not size.elements or not people.architects:
        return estate
    started = time.perf_counter()
    team = orgs.teams[Role.ARCHITECT]
    domains = DOMAINS[: size.architecture_models]
    # Domains after the first few are shared with registered users only, to vary the mix.
    specs = [
        bulk.RecordSpec(
            model=ArchitectureModel,
            owner=team,
            created_by=people.architects[0],
            title=f"{name} enterprise architecture",
            summary=f"The enterprise architecture of {name.lower()}: its capabilities, "
            "processes, applications, data and technology, as-is and to-be.",
            source=f"Synthetic dataset {label}",
            uid="".join(rng.choices(UID_ALPHABET, k=UID_LENGTH)),
            fields={
                "identifier": f"{label.lower()}-ea-{n + 1}",
                "scope": Scope.ENTERPRISE,
                "names": {"en": f"{name} enterprise architecture"},
            },
            triage=_triage(
                rng,
                Visibility.REGISTERED if n >= 6 else Visibility.OPEN,
                team,
                orgs.outside,
                people.triagers,
                today,
            ),
            publish=True,
        )
        for n, (name, _) in enumerate(domains)
    ]
    progress.begin("architecture models", len(specs))
    models = bulk.load_records(records=specs, progress=progress.advance)
    estate.models = len(models)
    sentences = [_sentence(rng) for _ in range(500)]
    per_model = -(-size.elements // len(models))  # rounded up: at least `elements` in all
    ratio = size.relationships / (per_model * len(models))
    depended_on: list[bulk.Ref] = []
    for (name, subjects), model in zip(domains, models, strict=True):
        clusters = _elements(rng, model, name, subjects, per_model, team, orgs, people, today,
                             sentences, progress)  # fmt: skip
        estate.elements += sum(len(c) for c in clusters)
        estate.elements += _governance(rng, model, name, team, orgs, people, today, progress)
        relationships = _relationships(rng, model, name, clusters, ratio, people, progress)
        estate.relationships += len(relationships)
        states, placed = _states(rng, model, name, clusters, relationships, people, progress)
        estate.states += states
        estate.memberships += placed
        depended_on += [
            bulk.Ref(e.pk, e.uid)
            for cluster in clusters
            for e in cluster
            if e.archimate_type in DEPENDED_ON and e.visibility == Visibility.OPEN
        ]
    estate.targets = depended_on
    estate.links = _investment_dependencies(rng, plan.written, depended_on, people, progress)
    estate.seconds = time.perf_counter() - started
    return estate


def _elements(
    rng: random.Random,
    model: ArchitectureModel,
    domain: str,
    subjects: Sequence[tuple[str, str]],
    count: int,
    team: Organisation,
    orgs: Orgs,
    people: People,
    today: dt.date,
    sentences: Sequence[str],
    progress: Progress,
) -> list[list[Element]]:
    """At least `count` elements of `model`, system by system (a subject in a region); returns
    each system's elements."""
    specs: list[bulk.RecordSpec] = []
    sizes: list[int] = []
    n = 0
    while n < count:
        a, p = rng.choice(subjects)
        region = PLACES[len(sizes) % len(PLACES)]
        words = {"a": a, "p": p, "A": a[0].upper() + a[1:], "P": p[0].upper() + p[1:],
                 "region": region}  # fmt: skip
        before = len(specs)
        for archimate_type, many in CLUSTER:
            # A fraction means one system in every 1/many has it: counts do not depend on the seed.
            times = int(many) if many >= 1 else int(len(sizes) % round(1 / many) == 0)
            for _ in range(times):
                title = rng.choice(ELEMENT_NAMES[archimate_type]).format(**words)
                uid = "".join(rng.choices(UID_ALPHABET, k=UID_LENGTH))
                outcome, publish = _fate(rng, n)
                triage = None
                if outcome is not None:
                    triage = _triage(rng, outcome, team, orgs.outside, people.triagers, today)
                summary = rng.choice(sentences)
                specs.append(
                    bulk.RecordSpec(
                        model=Element,
                        owner=team,
                        created_by=rng.choice(people.architects),
                        title=title,
                        summary=summary,
                        subject=f"architecture, {domain.lower()}, {a}",
                        source=model.source,
                        uid=uid,
                        fields={
                            "model": model,
                            "identifier": f"id-{uid}",
                            "archimate_type": archimate_type,
                            # Bulk loading does not call save(), which sets the layer.
                            "layer": ELEMENT_TYPES[archimate_type].layer.value,
                            "names": {"en": title},
                            "documentation": {"en": summary},
                        },
                        triage=triage,
                        publish=publish,
                    )
                )
                n += 1
        sizes.append(len(specs) - before)
    progress.begin(f"elements ({domain})", len(specs))
    made: list[Element] = []
    for chunk in _chunked(specs, CHUNK):
        made.extend(bulk.load_records(records=chunk, progress=progress.advance))
    clusters, start = [], 0
    for length in sizes:
        clusters.append(made[start : start + length])
        start += length
    return clusters


# Each model's architecture governance framework: principles, constraints with a service-level
# threshold, and requirements of each category (decided by the model's position, not the seed).
GOVERNANCE = [
    (Principle, "Presumed open for {d}", {"rationale": "The sector builds on what it can see.",
                                           "implications": "Designs are published after triage."}),
    (Principle, "Reuse before build in {d}", {"rationale": "Duplicated infrastructure costs consumers.",
                                              "implications": "Designs show the options considered."}),
    (Principle, "Interoperable by open standards in {d}", {
        "rationale": "Closed interfaces lock the sector in.",
        "implications": "Interfaces follow published open standards."}),
    (Constraint, "{D} trust services available 99.9% of the time", {
        "rationale": "An outage stops every exchange.", "measure": "availability",
        "threshold": Decimal("99.9")}),
    (Constraint, "{D} interfaces answer within 500 ms", {
        "rationale": "Slow interfaces slow every process that uses them.", "measure": "latency",
        "threshold": Decimal("500")}),
    (Requirement, "{D}: participants authenticate once", {
        "category": "functional", "source_type": "researched_need",
        "acceptance_criterion": "A participant signed in once reaches every provider."}),
    (Requirement, "{D}: recover within an hour", {
        "category": "non_functional", "measure": "recovery_time", "threshold": Decimal("60"),
        "acceptance_criterion": "A failover exercise restores service within 60 minutes."}),
    (Requirement, "{D}: every design decision recorded openly", {
        "category": "design_process",
        "acceptance_criterion": "Each design links the decision records behind its choices."}),
]  # fmt: skip


def _governance(
    rng: random.Random,
    model: ArchitectureModel,
    domain: str,
    team: Organisation,
    orgs: Orgs,
    people: People,
    today: dt.date,
    progress: Progress,
) -> int:
    """The model's principles, constraints and requirements: kinds of element of their own."""
    specs = []
    for n, (kind, title, fields) in enumerate(GOVERNANCE):
        title = title.format(d=domain.lower(), D=domain)
        outcome, publish = _fate(rng, n)
        uid = "".join(rng.choices(UID_ALPHABET, k=UID_LENGTH))
        specs.append(
            bulk.RecordSpec(
                model=kind,
                owner=team,
                created_by=rng.choice(people.architects),
                title=title,
                summary=f"{title}.",
                subject=f"architecture governance, {domain.lower()}",
                source=model.source,
                uid=uid,
                fields={
                    "model": model,
                    "identifier": f"id-{uid}",
                    "archimate_type": kind.ARCHIMATE_TYPE,
                    "layer": ELEMENT_TYPES[kind.ARCHIMATE_TYPE].layer.value,
                    "names": {"en": title},
                    **fields,
                },
                triage=None
                if outcome is None
                else _triage(rng, outcome, team, orgs.outside, people.triagers, today),
                publish=publish,
            )
        )
    progress.begin(f"principles, constraints and requirements ({domain})", len(specs))
    return len(bulk.load_records(records=specs, progress=progress.advance))


def _relationships(
    rng: random.Random,
    model: ArchitectureModel,
    domain: str,
    clusters: Sequence[Sequence[Element]],
    ratio: float,
    people: People,
    progress: Progress,
) -> list[Relationship]:
    """About `ratio` relationships an element, by the patterns above, each checked by ArchiMate's
    rules as `relate` checks it, audited as `relationship.created` on its source."""
    by_type = [
        {t: [e for e in cluster if e.archimate_type == t] for t in ELEMENT_TYPES}
        for cluster in clusters
    ]
    shared = range(min(SHARED_CLUSTERS, len(clusters)))
    rows: list[Relationship] = []
    seen: set[tuple[str, int, int]] = set()
    owed = 0.0
    for index, cluster in enumerate(clusters):
        here = by_type[index]
        patterns = [p for p in PATTERNS if here[p[1]]]
        if not patterns:
            continue
        cum_weights = list(itertools.accumulate(p[3] for p in patterns))
        owed += ratio * len(cluster)
        for _ in range(int(owed * 20)):  # bounded: a small system may run out of new pairs
            if owed < 1:
                break
            kind, source_type, target_type, _ = rng.choices(patterns, cum_weights=cum_weights)[0]
            roll = rng.random()
            there = here
            if roll < TO_SHARED:
                there = by_type[rng.choice(shared)]
            elif roll < TO_SHARED + TO_ANY:
                there = by_type[rng.randrange(len(clusters))]
            if not there[target_type]:
                there = here
            if not there[target_type]:
                continue
            source, target = rng.choice(here[source_type]), rng.choice(there[target_type])
            key = (kind, source.pk, target.pk)
            if source.pk == target.pk or key in seen:
                continue
            why = refusal(kind, source.archimate_type, target.archimate_type)
            if why:  # never: the patterns are all allowed, but the rules are the authority
                raise AssertionError(f"generated {kind} {source_type} → {target_type}: {why}")
            seen.add(key)
            owed -= 1
            rows.append(
                Relationship(
                    model=model,
                    identifier=f"rel-{len(rows) + 1}",
                    type=kind,
                    source=source,
                    target=target,
                    access_type=_weighted(rng, ACCESS) if kind == "Access" else "",
                    created_by=rng.choice(people.architects),
                )
            )

    def events(row: Relationship) -> list[bulk.AuditEventSpec]:
        # As `relate` records it.
        data = {"identifier": row.identifier, "type": row.type, "source": row.source.uid,
                "target": row.target.uid}  # fmt: skip
        return [(row.created_by, "relationship.created", row.source.uid, data)]

    progress.begin(f"relationships ({domain})", len(rows))
    for chunk in _chunked(rows, CHUNK):
        bulk.load_rows(rows=chunk, events=events, progress=progress.advance)
    return rows


def _states(
    rng: random.Random,
    model: ArchitectureModel,
    domain: str,
    clusters: Sequence[Sequence[Element]],
    relationships: Sequence[Relationship],
    people: People,
    progress: Progress,
) -> tuple[int, int]:
    """The model's as-is, transition and to-be states and what belongs to each: the elements
    kept or retiring are in the as-is, those kept or new in the to-be, the first wave of new ones
    in the transition; a relationship is in a state when both its ends are. Written as
    `create_state` and `place_in_state` would, a few hundred members an event."""
    by = rng.choice(people.architects)
    plateaus = [e for cluster in clusters for e in cluster if e.archimate_type == "Plateau"]
    year = timezone.localdate().year
    states = [
        State(model=model, name=f"As-is, {year}", kind=StateKind.BASELINE, position=0,
              description=f"{domain} as it is today."),
        State(model=model, name=f"Transition, {year + 2}", kind=StateKind.TRANSITION,
              position=50, description="What the first wave of investment adds."),
        State(model=model, name=f"To-be, {year + 4}", kind=StateKind.TARGET, position=100,
              description=f"{domain} once the portfolio is delivered.",
              plateau=plateaus[0] if plateaus else None),
    ]  # fmt: skip
    bulk.load_rows(
        rows=states,
        events=lambda s: [(by, "state.created", model.uid, {"state": s.name, "kind": s.kind})],
    )
    baseline, transition, target = states
    where: dict[int, tuple[State, ...]] = {}
    for cluster in clusters:
        for element in cluster:
            fate = _weighted(rng, LIFECYCLE)
            if fate == "kept":
                where[element.pk] = (baseline, target)
            elif fate == "retiring":
                where[element.pk] = (baseline,)
            else:
                where[element.pk] = (transition, target) if rng.random() < 0.5 else (target,)
    uids = {e.pk: e.uid for cluster in clusters for e in cluster}
    members: dict[State, tuple[list[int], list[Relationship]]] = {s: ([], []) for s in states}
    for pk, placed in where.items():
        for state in placed:
            members[state][0].append(pk)
    for relationship in relationships:
        ends = set(where[relationship.source_id]) & set(where[relationship.target_id])
        for state in ends:
            members[state][1].append(relationship)
    element_through = State.elements.through
    relationship_through = State.relationships.through
    rows: list[Any] = []
    leaders: dict[int, bulk.AuditEventSpec] = {}  # the first row of each group: its event
    for state, (elements, rels) in members.items():
        for start in range(0, len(elements), PLACED_PER_EVENT):
            group = elements[start : start + PLACED_PER_EVENT]
            group_rows = [element_through(state_id=state.pk, element_id=pk) for pk in group]
            data = {"state": state.name, "elements": [uids[pk] for pk in group],
                    "relationships": []}  # fmt: skip
            leaders[id(group_rows[0])] = (by, "state.joined", model.uid, data)
            rows += group_rows
        for start in range(0, len(rels), PLACED_PER_EVENT):
            group = rels[start : start + PLACED_PER_EVENT]
            group_rows = [
                relationship_through(state_id=state.pk, relationship_id=r.pk) for r in group
            ]
            data = {"state": state.name, "elements": [],
                    "relationships": [r.identifier for r in group]}  # fmt: skip
            leaders[id(group_rows[0])] = (by, "state.joined", model.uid, data)
            rows += group_rows

    def events(row: Any) -> list[bulk.AuditEventSpec]:
        event = leaders.get(id(row))
        return [event] if event else []

    progress.begin(f"state memberships ({domain})", len(rows))
    for chunk in _chunked(rows, CHUNK):
        bulk.load_rows(rows=chunk, events=events, progress=progress.advance)
    return len(states), len(rows)


def _investment_dependencies(
    rng: random.Random,
    investments: Sequence[Investment],
    elements: Sequence[bulk.Ref],
    people: People,
    progress: Progress,
) -> int:
    """Most investments depend on one to three open systems, services or datasets of the
    architecture, linked `depends_on` as `link_items` links them."""
    if not elements or not investments:
        return 0
    links = []
    for investment in investments:
        if rng.random() < 0.3:
            continue
        for target in rng.sample(elements, min(len(elements), rng.randint(1, 3))):
            links.append(
                bulk.LinkSpec(
                    source=bulk.Ref(investment.pk, investment.uid),
                    target=target,
                    relation=Relation.DEPENDS_ON,
                    created_by=rng.choice(people.planners),
                )
            )
    progress.begin("investment dependencies on elements", len(links))
    for chunk in _chunked(links, CHUNK):
        bulk.load_links(links=chunk, progress=progress.advance)
    return len(links)


# -- the engagement channel ----------------------------------------------------------------------

SUBMISSION_CATEGORIES = [
    (Category.FEEDBACK, 35),
    (Category.CONCERN, 25),
    (Category.OPPORTUNITY, 20),
    (Category.RISK, 12),
    (Category.DEPENDENCY, 8),
]
# What became of them; the first of a run take each in turn, so even `small` has them all.
SUBMISSION_STATES = [
    (SubmissionState.RECEIVED, 12),
    (SubmissionState.ACCEPTED, 38),
    (SubmissionState.ANSWERED, 25),
    (SubmissionState.MERGED, 8),
    (SubmissionState.DECLINED, 17),
]
SUBMISSION_ABOUT = 0.6  # of submissions, those that name a record they concern
SUBMISSION_PERSONAL_DATA = 0.1  # of those resolved, published with the submitter's text redacted
SUBMISSION_SHARED = 0.05  # of those resolved, shared with registered users only
SUBMISSION_OPENINGS = {
    Category.FEEDBACK: "Feedback on",
    Category.CONCERN: "A concern about",
    Category.OPPORTUNITY: "An opportunity in",
    Category.RISK: "A risk to",
    Category.DEPENDENCY: "A dependency of",
}
SUBMISSION_ANSWERS = [
    "Thank you: we have taken this into the plan, and will say here when it changes.",
    "This is covered by work already under way; the record linked here says how.",
    "We have passed this to the Design Body concerned, who will answer in their next update.",
    "We agree, and have raised it with the Portfolio Management Team.",
]
DECLINE_REASONS = [
    "It is outside the Orchestrator's remit: it is a matter for the network operator.",
    "It asks for advice on a commercial choice, which the Orchestrator cannot give.",
    "There is not enough here to act on; please raise it again with an example.",
    "It repeats a question already answered in the published guidance.",
]


@dataclass
class Raised:
    submissions: int = 0
    waiting: int = 0
    seconds: float = 0.0


def _open_records() -> list[bulk.Ref]:
    """Records every registered user may see, for submissions to be about (as `raise_submission`
    requires of what it names): open, published documents, investments and elements."""
    return [
        bulk.Ref(pk, uid)
        for pk, uid in Item.objects.filter(
            status=Status.PUBLISHED,
            visibility=Visibility.OPEN,
            kind__in=[Document.KIND, Investment.KIND, Element.KIND],
        )
        .order_by("pk")
        .values_list("pk", "uid")
    ]


def _submissions(
    rng: random.Random,
    size: Scale,
    orgs: Orgs,
    people: People,
    label: str,
    progress: Progress,
) -> Raised:
    """Submissions raised by people outside the Orchestrator, held by Research & Engagement: a
    few still waiting, the rest accepted (linked to what they concern), answered, merged into an
    earlier one, or declined, each then triaged and published. Audited as `raise_submission`
    and `resolve_submission` record them."""
    started = time.perf_counter()
    made = Raised()
    if not size.submissions or not people.members or not people.triagers:
        return made
    engagement = orgs.teams[Role.RESEARCH_ENGAGEMENT]
    records = _open_records()
    sentences = [_sentence(rng) for _ in range(2000)]
    # A few people raise many; most raise one or two.
    weights = list(itertools.accumulate(rng.paretovariate(1.3) for _ in people.members))
    first_states = [state for state, _ in SUBMISSION_STATES]
    plans: list[dict[str, Any]] = []
    for n in range(size.submissions):
        state = first_states[n] if n < len(first_states) else _weighted(rng, SUBMISSION_STATES)
        if state == SubmissionState.MERGED and not any(
            p["state"] != SubmissionState.MERGED for p in plans[-50:]
        ):
            state = SubmissionState.ANSWERED  # nothing recent to be merged into
        category = _weighted(rng, SUBMISSION_CATEGORIES)
        about = rng.choice(records) if records and rng.random() < SUBMISSION_ABOUT else None
        # Accepting links a submission to what it concerns: the record it named, or one chosen.
        concerns = None
        if state == SubmissionState.ACCEPTED:
            concerns = about or (rng.choice(records) if records else None)
        if state == SubmissionState.ACCEPTED and concerns is None:
            state = SubmissionState.ANSWERED  # nothing it could concern
        plans.append(
            {
                "n": n,
                "state": state,
                "category": category,
                "about": about,
                "concerns": concerns,
                "by": rng.choices(people.members, cum_weights=weights)[0],
                "resolver": rng.choice(people.triagers),
            }
        )

    def spec(plan: dict[str, Any], merged_into: bulk.Ref | None) -> bulk.RecordSpec:
        state, category = plan["state"], plan["category"]
        topic = f"{rng.choice(TOPICS)}: {rng.choice(ASPECTS).lower()}"
        fields: dict[str, Any] = {
            "category": category,
            "state": state,
            "about_id": plan["about"].pk if plan["about"] else None,
        }
        triage = None
        if state != SubmissionState.RECEIVED:
            fields["decided_by"] = plan["resolver"]
            fields["decided_at"] = timezone.now()
            if state == SubmissionState.ANSWERED or (
                state == SubmissionState.ACCEPTED and rng.random() < 0.5
            ):
                fields["answer"] = rng.choice(SUBMISSION_ANSWERS)
            if state == SubmissionState.DECLINED:
                fields["decline_reason"] = rng.choice(DECLINE_REASONS)
            if state == SubmissionState.MERGED:
                fields["merged_into_id"] = merged_into.pk
            triage = _submission_triage(rng, plan["resolver"])
        return bulk.RecordSpec(
            model=Submission,
            owner=engagement,
            created_by=plan["by"],
            title=f"{SUBMISSION_OPENINGS[category]} {topic}"[:300],
            body=" ".join(rng.choices(sentences, k=rng.randint(2, 6))),
            source=f"Synthetic dataset {label}",
            uid="".join(rng.choices(UID_ALPHABET, k=UID_LENGTH)),
            fields=fields,
            triage=triage,
            publish=triage is not None,
        )

    # Those merged are written after the rest, each into an earlier submission that was not.
    first = [p for p in plans if p["state"] != SubmissionState.MERGED]
    merged = [p for p in plans if p["state"] == SubmissionState.MERGED]
    # Only what a link or an event needs is kept of each: 52,000 records would be 100 MB and more.
    written: dict[int, bulk.Ref] = {}
    planned: dict[str, dict[str, Any]] = {}  # by uid, for the event raising each

    def raised(record: Item) -> list[bulk.AuditEventSpec]:
        # As `raise_submission` records it, straight after the record is created.
        p = planned.pop(record.uid)
        data = {"category": p["category"], "about": p["about"].uid if p["about"] else ""}
        return [(p["by"], "submission.raised", record.uid, data)]

    def load(chunk: Sequence[dict[str, Any]]) -> None:
        specs = [spec(p, p.get("duplicate_of")) for p in chunk]
        planned.update((s.uid, p) for s, p in zip(specs, chunk, strict=True))
        saved = bulk.load_records(records=specs, progress=progress.advance, on_creation=raised)
        for p, record in zip(chunk, saved, strict=True):
            written[p["n"]] = bulk.Ref(record.pk, record.uid)

    progress.begin("submissions", len(plans))
    for chunk in _chunked(first, CHUNK):
        load(chunk)
    earlier = [p["n"] for p in first]
    for p in merged:
        # A duplicate of one raised a little before it (there is one: see the plan above).
        before = bisect.bisect_left(earlier, p["n"])
        p["duplicate_of"] = written[
            rng.choice(earlier[max(0, before - 50) : before] or earlier[:1])
        ]
    for chunk in _chunked(merged, CHUNK):
        load(chunk)

    # Then, for those accepted or merged, the link, and the resolution. (`resolve_submission` links
    # before it triages and publishes; here the link follows, as `core.bulk` triages and publishes
    # a record as it creates it.)
    def target(p: dict[str, Any]) -> bulk.Ref | None:
        if p["state"] == SubmissionState.ACCEPTED:
            return p["concerns"]
        if p["state"] == SubmissionState.MERGED:
            return p["duplicate_of"]
        return None

    links = [
        bulk.LinkSpec(
            source=written[p["n"]],
            target=target(p),
            relation=Relation.AFFECTS
            if p["state"] == SubmissionState.ACCEPTED
            else Relation.DUPLICATES,
            created_by=p["resolver"],
        )
        for p in plans
        if target(p) is not None
    ]
    progress.begin("submissions linked", len(links))
    for chunk in _chunked(links, CHUNK):
        bulk.load_links(links=chunk, progress=progress.advance)
    audit.append_many(
        (
            p["resolver"],
            f"submission.{p['state']}",
            written[p["n"]].uid,
            {"state": str(p["state"]), **({"concerns": t.uid} if (t := target(p)) else {})},
        )
        for p in plans
        if p["state"] != SubmissionState.RECEIVED
    )
    made.submissions = len(plans)
    made.waiting = sum(p["state"] == SubmissionState.RECEIVED for p in plans)
    made.seconds = time.perf_counter() - started
    return made


def _submission_triage(rng: random.Random, by: User) -> bulk.TriageSpec:
    """As `resolve_submission` triages: open, the submitter's text redacted if it holds personal
    data; or shared with registered users for a sensitivity, which is its finding."""
    sensitivities: list[dict[str, str]] = []
    redacted: list[str] = []
    outcome, rationale = Visibility.OPEN, ""
    if rng.random() < SUBMISSION_PERSONAL_DATA:
        sensitivities.append(
            {
                "category": Sensitivity.PERSONAL_DATA,
                "finding": "The submission's text may identify its author or another person.",
                "mitigation": Mitigation.REDACT,
            }
        )
        redacted.append("body")
    if rng.random() < SUBMISSION_SHARED:
        category = rng.choice([Sensitivity.COMMERCIAL, Sensitivity.SECURITY, Sensitivity.LEGAL])
        outcome, rationale = Visibility.REGISTERED, FINDINGS[category]
        sensitivities.append(
            {"category": category, "finding": rationale, "mitigation": Mitigation.RESTRICT}
        )
    return bulk.TriageSpec(
        by=by,
        outcome=outcome,
        sensitivities=sensitivities,
        redacted_fields=redacted,
        rationale=rationale,
        review_by=timezone.localdate() + dt.timedelta(days=365),
    )


def _chunked(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
