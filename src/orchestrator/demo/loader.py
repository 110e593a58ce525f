"""The demo dataset: the Orchestrator as the report describes it, with real content from the report.

Everything is written through the services, so the demo's audit chain is real and verifies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from orchestrator.core import following, topics
from orchestrator.core import services as records
from orchestrator.core.models import Document, DocumentType, Item, Relation, Visibility
from orchestrator.engagement import services as engagement
from orchestrator.engagement.models import Submission
from orchestrator.people import services as people
from orchestrator.people.models import OrganisationKind, Role, Sector, User
from orchestrator.planning import services as planning

from . import architecture as demo_architecture
from . import content
from . import decisions as demo_decisions

DEMO_PASSWORD = "presumed-open-2026"  # noqa: S105  (published on purpose: it is the demo's sign-in)


@dataclass(frozen=True)
class SignIn:
    role: str
    name: str
    email: str


ORGANISATIONS = [
    # name, kind, sector, description
    (
        "Orchestrator Board",
        OrganisationKind.ORCHESTRATOR_TEAM,
        Sector.ENERGY,
        "Holds the Organisation Leader and their decisions to account.",
    ),
    (
        "Orchestrator Leadership",
        OrganisationKind.ORCHESTRATOR_TEAM,
        Sector.ENERGY,
        "The Organisation Leader, accountable for the Orchestrator and its staff.",
    ),
    (
        "Product Team",
        OrganisationKind.ORCHESTRATOR_TEAM,
        Sector.ENERGY,
        "Decides the high-level design of the digital energy system.",
    ),
    (
        "Architecture Team",
        OrganisationKind.ORCHESTRATOR_TEAM,
        Sector.ENERGY,
        "Creates and maintains the 'enterprise' architecture.",
    ),
    (
        "Portfolio Management Team",
        OrganisationKind.ORCHESTRATOR_TEAM,
        Sector.ENERGY,
        "Runs and enforces the Orchestrator's processes.",
    ),
    (
        "Research & Engagement Team",
        OrganisationKind.ORCHESTRATOR_TEAM,
        Sector.ENERGY,
        "Curates the Shared Knowledge Base and ensures all work is presumed open.",
    ),
    (
        "Corporate Team",
        OrganisationKind.ORCHESTRATOR_TEAM,
        Sector.ENERGY,
        "Corporate functions, including Legal.",
    ),
    ("Northern Water Data Services", OrganisationKind.OTHER, Sector.WATER, ""),
    ("Transport Data Trust", OrganisationKind.OTHER, Sector.TRANSPORT, ""),
    ("Open Finance Standards Institute", OrganisationKind.OTHER, Sector.FINANCE, ""),
    ("Health Data Interoperability Council", OrganisationKind.OTHER, Sector.HEALTH, ""),
    ("Energy Systems Research Institute", OrganisationKind.ACADEMIC, Sector.ENERGY, ""),
    (
        "VirtualES Programme",
        OrganisationKind.DESIGN_BODY,
        Sector.ENERGY,
        "Developing the Data Sharing Infrastructure for the benefit of the sector.",
    ),
    (
        "Gridlink Digital Ltd",
        OrganisationKind.DELIVERY_PARTNER,
        Sector.DIGITAL,
        "Delivery Partner for asset registration services.",
    ),
    (
        "Open Identity Cooperative",
        OrganisationKind.DELIVERY_PARTNER,
        Sector.DIGITAL,
        "Maintains an open-source authentication pattern.",
    ),
    ("Ofgem", OrganisationKind.REGULATOR, Sector.ENERGY, "The energy regulator for Great Britain."),
    ("Midlands Electricity Networks", OrganisationKind.NETWORK_OPERATOR, Sector.ENERGY, ""),
    ("Energy Consumers Forum", OrganisationKind.CONSUMER_GROUP, Sector.ENERGY, ""),
]

PEOPLE = [
    # name, e-mail local part, role, organisation, chair
    ("Margaret Okafor", "board.chair", Role.BOARD_MEMBER, "Orchestrator Board", True),
    ("Daniel Hughes", "board.member1", Role.BOARD_MEMBER, "Orchestrator Board", False),
    ("Priya Raman", "board.member2", Role.BOARD_MEMBER, "Orchestrator Board", False),
    ("Thomas Lindqvist", "leader", Role.ORGANISATION_LEADER, "Orchestrator Leadership", False),
    ("Aisha Bello", "product", Role.PRODUCT_OWNER, "Product Team", False),
    ("Gareth Evans", "architect", Role.ARCHITECT, "Architecture Team", False),
    ("Sophie Turner", "portfolio", Role.PORTFOLIO_MANAGER, "Portfolio Management Team", False),
    ("Kwame Mensah", "research", Role.RESEARCH_ENGAGEMENT, "Research & Engagement Team", False),
    ("Helen Park", "corporate", Role.CORPORATE, "Corporate Team", False),
    ("Ruth Adeyemi", "advisor.chair", Role.TECHNICAL_ADVISOR, "Northern Water Data Services", True),
    ("Colin MacLeod", "advisor2", Role.TECHNICAL_ADVISOR, "Transport Data Trust", False),
    ("Mei Chen", "advisor3", Role.TECHNICAL_ADVISOR, "Open Finance Standards Institute", False),
    (
        "Oliver Grant",
        "advisor4",
        Role.TECHNICAL_ADVISOR,
        "Health Data Interoperability Council",
        False,
    ),
    (
        "Fatima Rahman",
        "advisor5",
        Role.TECHNICAL_ADVISOR,
        "Energy Systems Research Institute",
        False,
    ),
    ("Lucy Morgan", "designbody", Role.DESIGN_BODY_MEMBER, "VirtualES Programme", False),
    ("Sam Whitfield", "delivery", Role.DELIVERY_PARTNER_MEMBER, "Gridlink Digital Ltd", False),
    ("Nadia Kowalski", "regulator", Role.ORGANISATION_MEMBER, "Ofgem", False),
]

EMAIL_DOMAIN = "demo.orchestrator.invalid"


def is_loaded() -> bool:
    return Item.objects.exists() or User.objects.exists()


def existing_sign_ins() -> list[SignIn]:
    """The demo's sign-ins, read back from a database the demo loaded earlier."""
    from orchestrator.people.models import Appointment

    users = {u.email: u for u in User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}")}
    roles = dict(Role.choices)
    sign_ins = []
    for _, local, role, _, chair in PEOPLE:
        user = users.get(f"{local}@{EMAIL_DOMAIN}")
        if user is not None and Appointment.objects.filter(user=user, role=role).exists():
            sign_ins.append(
                SignIn(roles[role] + (" (chair)" if chair else ""), user.full_name, user.email)
            )
    stakeholder = users.get(f"stakeholder@{EMAIL_DOMAIN}")
    if stakeholder is not None:
        sign_ins.append(SignIn("Registered stakeholder", stakeholder.full_name, stakeholder.email))
    return sign_ins


@transaction.atomic
def load(*, progress: Callable[[str], None] = lambda _: None) -> list[SignIn]:
    """Load the demo into an empty database; return a sign-in for each role."""
    orgs = {
        name: people.create_organisation(
            actor=None, name=name, kind=kind, sector=sector, description=description
        )
        for name, kind, sector, description in ORGANISATIONS
    }
    progress(f"{len(orgs)} organisations")
    start = timezone.localdate() - dt.timedelta(days=400)
    users: dict[str, User] = {}
    sign_ins: list[SignIn] = []
    appointments = []
    for name, local, role, org_name, chair in PEOPLE:
        user = people.register_user(
            email=f"{local}@{EMAIL_DOMAIN}", full_name=name, password=DEMO_PASSWORD
        )
        users[local] = user
        appointments.append(
            people.appoint(
                actor=None,
                user=user,
                role=role,
                organisation=orgs[org_name],
                start=start,
                chair=chair,
            )
        )
        label = dict(Role.choices)[role] + (" (chair)" if chair else "")
        sign_ins.append(SignIn(label, name, user.email))
    stakeholder = people.register_user(
        email=f"stakeholder@{EMAIL_DOMAIN}", full_name="Jo Stakeholder", password=DEMO_PASSWORD
    )
    sign_ins.append(SignIn("Registered stakeholder", stakeholder.full_name, stakeholder.email))
    progress(f"{len(users) + 1} people, {len(appointments)} appointments")

    triager = users["research"]
    review = timezone.localdate() + dt.timedelta(days=365)

    def publish_open(item: Item) -> Item:
        records.triage_item(item=item, actor=triager, outcome=Visibility.OPEN, review_by=review)
        return records.publish_item(item=item, actor=triager)

    for appointment in appointments:
        interest = content.INTERESTS.get(appointment.user.email.split("@")[0])
        declaration = people.declare_interests(
            actor=appointment.user,
            appointment=appointment,
            interests=interest[0] if interest else "",
            organisations=[orgs[n] for n in interest[1]] if interest else [],
            nil_return=interest is None,
        )
        publish_open(declaration)
    progress(f"{len(appointments)} declarations of interests")

    made: dict[str, Item] = {}
    for doc in content.DOCUMENTS:
        author = users[doc["author"]]
        item = records.create_item(
            actor=author,
            owner=orgs[doc["owner"]],
            model=Document,
            title=doc["title"],
            summary=doc["summary"],
            body=doc["body"],
            fields={
                "document_type": doc.get("type", DocumentType.REPORT),
                "subject": doc.get("subject", ""),
                "source": doc.get("source", ""),
            },
        )
        made[doc["key"]] = item
        triage = doc.get("triage")
        if triage is None:
            continue  # left as a draft, untriaged
        records.triage_item(
            item=item,
            actor=triager,
            outcome=triage["outcome"],
            sensitivities=triage.get("sensitivities", []),
            redacted_fields=triage.get("redacted", []),
            rationale=triage.get("rationale", ""),
            review_by=review,
            restricted_to=[orgs[n] for n in triage.get("restricted_to", [])],
            title_public=triage.get("title_public", True),
        )
        if doc.get("publish", True):
            item = made[doc["key"]] = records.publish_item(item=item, actor=triager)
        if doc.get("archive"):
            records.archive_item(item=item, actor=triager, reason=doc["archive"])
    for source, relation, target, who in content.LINKS:
        records.link_items(
            source=made[source],
            target=made[target],
            relation=Relation(relation),
            actor=users[who],
        )
    progress(f"{len(made)} documents, {len(content.LINKS)} links")

    users["stakeholder"] = stakeholder
    filed_topics = {}
    for name, description, keys in content.TOPICS:
        topic = filed_topics[name] = topics.create_topic(
            actor=triager, name=name, description=description
        )
        for key in keys:
            topics.file_item(actor=triager, item=made[key], topic=topic)
    progress(f"{len(filed_topics)} topics")

    raised: dict[str, Submission] = {}
    for s in content.SUBMISSIONS:
        submission = raised[s["key"]] = engagement.raise_submission(
            actor=users[s["who"]],
            category=s["category"],
            title=s["title"],
            text=s["text"],
            about=made[s["about"]] if s["about"] else None,
        )
        resolution = dict(s["resolve"] or {})
        if not resolution:
            continue  # still waiting in the queue
        if "duplicate_of" in resolution:
            resolution["duplicate_of"] = raised[resolution["duplicate_of"]]
        engagement.resolve_submission(actor=triager, submission=submission, **resolution)
    progress(f"{len(raised)} submissions")

    for who, target in content.FOLLOWS:
        following.follow(
            actor=users[who],
            item=made[target["item"]] if "item" in target else None,
            kind=target.get("kind", ""),
            topic=filed_topics[target["topic"]] if "topic" in target else None,
        )
    progress(f"{len(content.FOLLOWS)} follows")

    planner = users["portfolio"]
    today = timezone.localdate()
    metrics = 0
    for o in content.OBJECTIVES:
        objective = planning.create_objective(
            actor=planner,
            owner=orgs["Portfolio Management Team"],
            title=o["title"],
            summary=o["summary"],
            body=o["body"],
        )
        objective = publish_open(objective).specific()
        for m in o["metrics"]:
            metric = planning.create_metric(
                actor=planner,
                owner=orgs["Portfolio Management Team"],
                title=m["title"],
                summary=m["summary"],
                unit=m["unit"],
                direction=m["direction"],
                baseline=m["baseline"],
                target=m["target"],
                target_date=today + dt.timedelta(days=30 * m["target_months"]),
                measures=objective,
            )
            for months, value, source in m["measurements"]:
                planning.record_measurement(
                    actor=planner,
                    metric=metric,
                    value=value,
                    measured_on=today - dt.timedelta(days=30 * months),
                    source=source,
                )
            publish_open(metric)
            metrics += 1
    progress(f"{len(content.OBJECTIVES)} objectives, {metrics} success metrics")

    investments: dict[str, Item] = {}
    named = demo_decisions.Records(documents=made, investments=investments)

    def designate(planned: dict[str, Item]) -> None:
        # The DSI is designated before the plan's first version, so that version shows it.
        investments.update(planned)
        demo_decisions.load_scope(
            users=users, orgs=orgs, records=named, publish_open=publish_open, progress=progress
        )

    investments.update(
        _load_portfolio(
            orgs=orgs,
            users=users,
            made=made,
            raised=raised,
            publish_open=publish_open,
            progress=progress,
            before_first_version=designate,
        )
    )
    named.elements = demo_architecture.load(
        orgs=orgs,
        users=users,
        publish_open=publish_open,
        designated_by=named.taken[demo_decisions.SCOPE],
        investments=investments,
        progress=progress,
    )
    demo_decisions.load(
        users=users, orgs=orgs, records=named, publish_open=publish_open, progress=progress
    )
    return sign_ins


def _load_portfolio(
    *, orgs, users, made, raised, publish_open, progress, before_first_version
) -> dict:
    """The portfolio: investments, the roadmap, the RAID log, RACI, and two versions of the plan;
    `before_first_version(investments)` runs just before the first version is made."""
    from orchestrator.planning.models import Metric, Objective

    planner, leader, board_chair = users["portfolio"], users["leader"], users["board.chair"]
    pmt = orgs["Portfolio Management Team"]
    today = timezone.localdate()

    def day(offset: int | None) -> dt.date | None:
        return None if offset is None else today + dt.timedelta(days=offset)

    objectives = list(Objective.objects.order_by("pk"))
    metrics = {m.title: m for m in Metric.objects.all()}
    investments = {}

    def add_investment(spec: dict) -> None:
        low, high, confidence = spec["cost"]
        investment = planning.create_investment(
            actor=planner,
            owner=pmt,
            title=spec["title"],
            summary=spec["summary"],
            purpose=spec["purpose"],
            capabilities=spec["capabilities"],
            phase=spec["phase"],
            phase_dates={phase: day(offset) for phase, offset in spec["phases"].items()},
            cost_low=low,
            cost_high=high,
            cost_confidence=confidence,
            technical_details_url=spec.get("technical", ""),
            objectives=[objectives[spec["objective"]]] if "objective" in spec else [],
            metrics=[metrics[title] for title in spec["metrics"]],
        )
        for name, target, delivered in spec["features"]:
            planning.add_feature(
                actor=planner,
                investment=investment,
                name=name,
                target_date=day(target),
                delivered_on=day(delivered),
            )
        investments[spec["key"]] = publish_open(investment).specific()

    milestones = {}

    def add_milestones(keys: set[str]) -> None:
        for inv, key, title, phase, planned, forecast, actual, after in content.MILESTONES:
            if inv not in keys:
                continue
            milestone = planning.create_milestone(
                actor=planner,
                investment=investments[inv],
                title=title,
                summary=f"A milestone of {investments[inv].title}.",
                phase=phase,
                planned_on=day(planned),
                forecast_on=day(forecast),
                actual_on=day(actual),
                depends_on=[milestones[k] for k in after if k in milestones],
            )
            milestones[key] = publish_open(milestone).specific()

    first = [spec for spec in content.INVESTMENTS if not spec.get("second_version")]
    later = [spec for spec in content.INVESTMENTS if spec.get("second_version")]
    for spec in first:
        add_investment(spec)
    add_milestones({spec["key"] for spec in first})

    risks = {}

    def add_risks(keys: set[str]) -> None:
        for spec in content.RISKS:
            key, inv, title, cause, event, effect, likelihood, impact, proximity = spec[:9]
            mitigation, residual, identified, review_in = spec[9:]
            if inv not in keys:
                continue
            risk = planning.create_risk(
                actor=planner,
                owner=pmt,
                title=title,
                summary=event,
                cause=cause,
                event=event,
                effect=effect,
                likelihood=likelihood,
                impact=impact,
                proximity=proximity,
                mitigation=mitigation,
                residual_likelihood=residual[0] if residual else None,
                residual_impact=residual[1] if residual else None,
                identified_on=day(identified),
                investment=investments[inv],
                managed_by="Portfolio Management Team",
                review_on=day(review_in),
            )
            risks[key] = publish_open(risk).specific()

    add_risks(set(investments))
    # The accepted risk from the engagement channel becomes a RAID entry linked to it.
    consent = planning.log_submission(actor=planner, submission=raised["consent"], owner=pmt)
    records.update_item(
        item=consent,
        actor=planner,
        version=consent.version,
        changes={
            "cause": "The DSI papers say little about how households consent to sharing their "
            "smart meter data, or withdraw that consent.",
            "effect": "Suppliers, and their customers, decline to join the DSI.",
            "likelihood": 3,
            "impact": 5,
            "mitigation": "Make consent a requirement of the trust framework's next version.",
        },
    )
    publish_open(consent)
    for key, inv, title, occurred, severity, resolution, foreseen in content.ISSUES:
        issue = planning.create_issue(
            actor=planner,
            owner=pmt,
            title=title,
            summary=title + ".",
            occurred_on=day(occurred),
            severity=severity,
            resolution=resolution,
            foreseen_by=risks.get(foreseen) if foreseen else None,
            investment=investments[inv],
            managed_by="Portfolio Management Team",
            review_on=day(14),
        )
        risks[key] = publish_open(issue).specific()
    for inv, title, test, review_in in content.ASSUMPTIONS:
        publish_open(
            planning.create_assumption(
                actor=planner,
                owner=pmt,
                title=title,
                summary=title + ".",
                test=test,
                investment=investments[inv],
                review_on=day(review_in),
            )
        )
    for inv, title, outside, need_by in content.DEPENDENCIES:
        publish_open(
            planning.create_dependency(
                actor=planner,
                owner=pmt,
                title=title,
                summary=title + ".",
                external=outside is not None,
                on_organisation=orgs[outside] if outside else None,
                need_by=day(need_by),
                investment=investments[inv],
            )
        )
    escalation = planning.escalate(
        actor=planner,
        item=risks["late-auth"],
        reason="Both the DSI beta and the Authentication Service slip if this happens; the "
        "roadmaps of two investments need aligning, which is the Board's call.",
    )
    planning.respond_to_escalation(
        actor=board_chair,
        escalation=escalation,
        response="The Board asks the Organisation Leader to align the two roadmaps and report "
        "at the next meeting; an interim scheme is acceptable for the first participants.",
    )
    planning.escalate(
        actor=planner,
        item=risks["supplier-failed"],
        reason="An unforeseen supplier failure: the Board should consider supplier resilience "
        "across the portfolio.",
    )

    def add_raci(keys: set) -> None:
        for inv, work_area, name, parts in content.RACI:
            if inv not in keys:
                continue
            activity = planning.add_activity(
                actor=planner,
                investment=investments.get(inv) if inv else None,
                work_area=work_area,
                name=name,
            )
            for part, organisation in parts:
                planning.assign(
                    actor=planner, activity=activity, part=part, organisation=orgs[organisation]
                )

    add_raci(set(investments) | {None})
    before_first_version(investments)
    leadership = orgs["Orchestrator Leadership"]
    first_version = planning.create_plan_version(
        actor=leader,
        owner=leadership,
        summary="The first plan: the Data Sharing Infrastructure, Automatic Asset Registration "
        "and the Authentication Service.",
    )
    publish_open(first_version)

    # Between the versions: two more investments, and the DSI beta slips again.
    before = set(investments)
    for spec in later:
        add_investment(spec)
    add_milestones({spec["key"] for spec in later})
    add_risks(set(investments) - before)
    add_raci(set(investments) - before)
    beta = milestones["beta"]
    records.update_item(
        item=beta, actor=planner, version=beta.version, changes={"forecast_on": day(220)}
    )
    second_version = planning.create_plan_version(
        actor=leader,
        owner=leadership,
        summary="Adds Flexibility Digital Infrastructure and the Virtual Energy System; the DSI "
        "public beta is forecast a month later.",
    )
    publish_open(second_version)
    progress(
        f"{len(investments)} investments, {len(milestones)} milestones, a RAID log, "
        "RACI matrices and two plan versions"
    )
    return investments
