"""Reads of decision making, each from what the viewer may see: the schedule, a decision's page,
its process conformance, and the measures."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Length
from django.utils import timezone

from orchestrator.core.measures import Measure
from orchestrator.core.metadata import public_people
from orchestrator.core.models import AuditEvent, Item, Link, Relation
from orchestrator.core.selectors import REDACTED, redacted_fields
from orchestrator.people.models import Appointment, Role
from orchestrator.people.selectors import is_staff

from .models import (
    DECIDED_STAGES,
    FIXED_STAGES,
    OPEN_STAGES,
    BoardOpinion,
    ConsultationResponse,
    Decision,
    DecisionStep,
    Evidence,
    Recommendation,
    ResponseState,
    Stage,
)

if TYPE_CHECKING:
    from orchestrator.people.models import User

# What each audit action of a decision's process reads as on its timeline.
ACTIONS = {
    "item.created": "Drafted",
    "decision.scheduled": "Put on the schedule",
    "decision.option_added": "Option added",
    "decision.evidence_added": "Evidence attached",
    "decision.gathering_evidence": "Evidence gathering began",
    "decision.advice_requested": "Advice requested from the Independent Technical Advisors",
    "recommendation.recorded": "An advisor recommended",
    "decision.advised": "The advisors' consolidated recommendation recorded",
    "decision.consultation_opened": "Consultation opened",
    "decision.feedback_summarised": "Summary of feedback published",
    "decision.decided": "Decided",
    "decision.deferred": "Deferred",
    "decision.resumed": "Resumed",
    "decision.withdrawn": "Withdrawn",
    "board.opinion_recorded": "A Board member gave an opinion",
    "decision.reviewed": "Reviewed by the Board",
    "item.triaged": "Triaged for publication",
    "item.retriaged": "Triaged again",
    "item.published": "Published",
    "item.updated": "Edited",
    "link.created": "Linked to a record",
    "link.removed": "Link removed",
}


def visible_decisions(user: User | None) -> QuerySet[Decision]:
    return Decision.objects.visible_to(user).select_related("owner")


def _seen(user: User | None, ids: set[int | None]) -> set[int]:
    """Which of a few records' ids the viewer may see. One decision's evidence, advice and links
    are few, so they are read first and checked by id: asking for rows whose record is
    `IN (every visible record)` made SQLite list every visible record, 110 ms a query at national
    scale."""
    ids.discard(None)
    if not ids:
        return set()
    return set(Item.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


def evidence_on(user: User | None, decision: Decision) -> list[Evidence]:
    """The evidence on a decision the viewer may see: web links, and records they may see too."""
    evidence = list(
        Evidence.objects.filter(decision=decision)
        .select_related("record")
        .order_by("added_at", "id")
    )
    seen = _seen(user, {e.record_id for e in evidence})
    return [e for e in evidence if e.record_id is None or e.record_id in seen]


def schedule(
    user: User | None, *, stage: str = "", decision_type: str = ""
) -> tuple[QuerySet[Decision], QuerySet[Decision]]:
    """Upcoming decisions by their date (deferred ones at their new date), and past decisions,
    most recently decided first."""
    decisions = visible_decisions(user)
    if stage:
        decisions = decisions.filter(stage=stage)
    if decision_type:
        decisions = decisions.filter(decision_type=decision_type)
    upcoming = decisions.filter(stage__in=OPEN_STAGES).order_by("scheduled_on", "id")
    # Withdrawn decisions have no decided date: last on either database, not first on PostgreSQL.
    past = decisions.filter(stage__in=FIXED_STAGES).order_by(
        F("decided_on").desc(nulls_last=True), "-updated_at", "-id"
    )
    return upcoming, past


def _named(user: User | None, ids: list[int | None]) -> set[int]:
    """Who may be named to this viewer: everyone for staff, else those who hold or held a public role."""
    if is_staff(user):
        return {i for i in ids if i is not None}
    return public_people(ids)


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    action: str
    label: str
    actor: str


def timeline(user: User | None, decision: Decision) -> list[TimelineEntry]:
    """The decision's history, read from the audit chain; actors named by the audit log's rule."""
    events = list(
        AuditEvent.objects.filter(item_uid=decision.uid)
        .order_by("seq")
        .select_related("actor")
        .only("seq", "at", "action", "actor__full_name", "actor_id")
    )
    named = _named(user, [e.actor_id for e in events])
    return [
        TimelineEntry(
            at=e.at,
            action=e.action,
            label=ACTIONS.get(e.action, e.action.replace(".", ": ").replace("_", " ")),
            actor=(
                e.actor.full_name
                if e.actor_id in named
                else ("a registered user" if e.actor_id else "the system")
            ),
        )
        for e in events
    ]


@dataclass(frozen=True)
class Conflicted:
    advisor: str
    organisations: list[str]


def conflicted_advisors(user: User | None, decision: Decision) -> list[Conflicted]:
    """Current advisors whose declarations (those the viewer may see) name an organisation the
    decision concerns: they withdraw from advising on it."""
    concerned = {o.pk: o.name for o in decision.concerns.all()}
    if not concerned:
        return []
    from orchestrator.people.models import Declaration

    declarations = (
        Declaration.objects.visible_to(user)
        .filter(
            appointment__in=Appointment.objects.current().filter(role=Role.TECHNICAL_ADVISOR),
            organisations__in=list(concerned),
        )
        .exclude(status="archived")
        .select_related("appointment__user")
        .prefetch_related("organisations")
        .distinct()
    )
    found: dict[str, set[str]] = {}
    for declaration in declarations:
        names = {o.name for o in declaration.organisations.all() if o.pk in concerned}
        found.setdefault(declaration.appointment.user.full_name, set()).update(names)
    return [Conflicted(advisor, sorted(orgs)) for advisor, orgs in sorted(found.items())]


@dataclass(frozen=True)
class ProcessStep:
    name: str
    status: str  # followed · skipped · pending · not_needed
    on: dt.date | None = None
    detail: str = ""

    @property
    def status_label(self) -> str:
        return {
            "followed": "Followed",
            "skipped": "Skipped",
            "pending": "Not yet",
            "not_needed": "Not needed",
        }[self.status]


def _date(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment else None


def conformance(
    user: User | None, decision: Decision, *, steps: list[DecisionStep] | None = None
) -> list[ProcessStep]:
    """Which steps of the decision-making process this decision followed, with their dates and
    evidence, which it skipped and which are still to come (`steps`: its steps, if already read)."""
    steps = list(decision.steps.all()) if steps is None else steps
    reached = {}
    for step in steps:
        reached.setdefault(step.to_stage, step.at)
    done = decision.stage in FIXED_STAGES
    decided = decision.stage in DECIDED_STAGES

    def missing() -> str:
        # A step not taken is skipped once the decision is made (or dropped), and still to come before.
        return "skipped" if done else "pending"

    evidence = evidence_on(user, decision)
    options = decision.options.count()
    advice = Recommendation.objects.filter(for_decision=decision)
    individual = advice.filter(consolidated=False).count()
    opinions = _seen(
        user, set(BoardOpinion.objects.filter(for_decision=decision).values_list("pk", flat=True))
    )
    out = [
        ProcessStep(
            "Put on the schedule",
            "followed",
            _date(reached.get(Stage.PLANNED)),
            f"Planned for {decision.first_scheduled_on:%-d %B %Y}",
        ),
        ProcessStep(
            "Options set out with their benefits, costs and risks",
            "followed" if options >= 2 else missing(),
            None,
            f"{options} option{'s' if options != 1 else ''}",
        ),
        ProcessStep(
            "Evidence gathered",
            "followed" if evidence else missing(),
            _date(evidence[0].added_at) if evidence else None,
            f"{len(evidence)} piece{'s' if len(evidence) != 1 else ''} of evidence",
        ),
        ProcessStep(
            "Advice requested from the Independent Technical Advisors",
            "followed" if Stage.ADVICE_REQUESTED in reached else missing(),
            _date(reached.get(Stage.ADVICE_REQUESTED)),
        ),
        ProcessStep(
            "The advisors' consolidated recommendation",
            "followed" if Stage.ADVISED in reached else missing(),
            _date(reached.get(Stage.ADVISED)),
            f"{individual} advisor{'s' if individual != 1 else ''} recommended"
            if individual
            else "",
        ),
    ]
    if decision.consulted:
        out.append(
            ProcessStep(
                "Stakeholders consulted",
                "followed",
                _date(decision.consultation_opens),
                f"Open {timezone.localtime(decision.consultation_opens):%-d %B %Y} to "
                f"{timezone.localtime(decision.consultation_closes):%-d %B %Y}",
            )
        )
        out.append(
            ProcessStep(
                "Summary of feedback published",
                "followed" if decision.feedback_published_at else missing(),
                _date(decision.feedback_published_at),
            )
        )
    else:
        out.append(ProcessStep("Stakeholders consulted", "not_needed", None, "Not held: optional"))
    if decision.stage == Stage.WITHDRAWN:
        out.append(ProcessStep("Decided", "not_needed", None, "Withdrawn"))
        return out
    slip = (decision.decided_on - decision.first_scheduled_on).days if decision.decided_on else None
    out.append(
        ProcessStep(
            "Decided, with the rationale recorded",
            "followed" if decided else "pending",
            decision.decided_on,
            (
                "On the date planned"
                if slip == 0
                else f"{abs(slip)} day{'s' if abs(slip) != 1 else ''} "
                f"{'after' if slip > 0 else 'before'} the date first planned"
            )
            if slip is not None
            else "",
        )
    )
    if decided:
        out.append(
            ProcessStep(
                "Departure from advice explained",
                "followed" if decision.departs_from_advice else "not_needed",
                decision.decided_on if decision.departs_from_advice else None,
                ""
                if decision.departs_from_advice
                else "The advisors' recommendation was followed"
                if Stage.ADVISED in reached
                else "No advice to depart from",
            )
        )
    n = len(opinions)
    out.append(
        ProcessStep(
            "Board opinions documented",
            "followed" if n else ("pending" if decision.stage != Stage.REVIEWED else "skipped"),
            None,
            f"{n} opinion{'s' if n != 1 else ''}" if n else "",
        )
    )
    out.append(
        ProcessStep(
            "The Board's assurance",
            "followed" if decision.stage == Stage.REVIEWED else "pending",
            decision.reviewed_on,
            decision.get_assurance_display() if decision.assurance else "",
        )
    )
    return out


def actions_for(user: User | None, decision: Decision) -> dict[str, bool]:
    """The buttons of the decision's process this viewer may press now."""
    stage = decision.stage
    if user is None or not user.is_authenticated:
        return {}
    may = user.has_perm
    now = timezone.now()
    consultation_open = (
        stage == Stage.CONSULTATION
        and decision.consultation_opens <= now < decision.consultation_closes
    )
    consultation_over = stage == Stage.CONSULTATION and now >= decision.consultation_closes
    return {
        "add_option": may("decisions.prepare")
        and stage in (Stage.PLANNED, Stage.GATHERING_EVIDENCE),
        "add_evidence": may("decisions.prepare") and stage not in FIXED_STAGES,
        "gather": may("decisions.prepare") and stage == Stage.PLANNED,
        "request_advice": may("decisions.request_advice") and stage == Stage.GATHERING_EVIDENCE,
        "recommend": may("decisions.recommend") and stage == Stage.ADVICE_REQUESTED,
        "consolidate": may("decisions.consolidate") and stage == Stage.ADVICE_REQUESTED,
        "consult": may("decisions.run_consultation") and stage == Stage.ADVISED,
        "respond": consultation_open,
        "summarise": may("decisions.run_consultation")
        and consultation_over
        and decision.feedback_published_at is None,
        "decide": may("decisions.decide")
        and (
            stage in (Stage.GATHERING_EVIDENCE, Stage.ADVISED)
            or (consultation_over and decision.feedback_published_at is not None)
        ),
        "defer": may("decisions.defer")
        and stage
        in (Stage.PLANNED, Stage.GATHERING_EVIDENCE, Stage.ADVICE_REQUESTED, Stage.ADVISED),
        "resume": may("decisions.defer") and stage == Stage.DEFERRED,
        "withdraw": may("decisions.withdraw") and stage in OPEN_STAGES,
        "opinion": may("decisions.record_opinion") and stage == Stage.DECIDED,
        "review": may("decisions.review") and stage == Stage.DECIDED,
    }


def _recommendations(user: User | None, decision: Decision) -> list[Recommendation]:
    return _only_seen(
        user,
        Recommendation.objects.filter(for_decision=decision)
        .select_related("option", "advisor", "current_triage")
        .order_by("-consolidated", "created_at", "id"),
    )


def _only_seen(user: User | None, records: QuerySet[Any]) -> list[Any]:
    """The records of one decision (its advice, responses or opinions) the viewer may see."""
    records = list(records)
    seen = _seen(user, {r.pk for r in records})
    return [r for r in records if r.pk in seen]


def advice_brief(steps: list[DecisionStep]) -> str:
    """What the Product Team asked the advisors for when they asked for advice (the step's comment);
    a decision resumed into advice requested was asked before it was deferred."""
    asked = [
        s for s in steps if s.to_stage == Stage.ADVICE_REQUESTED and s.from_stage != Stage.DEFERRED
    ]
    return asked[-1].comment if asked else ""


def decision_panel(user: User | None, item: Item) -> dict[str, Any]:
    """What a decision's page shows, all of it from what the viewer may see."""
    decision = item if isinstance(item, Decision) else Decision.objects.get(pk=item.pk)
    steps = list(decision.steps.all())
    recommendations = _recommendations(user, decision)
    responses = _only_seen(
        user,
        ConsultationResponse.objects.filter(for_decision=decision)
        .select_related("current_triage")
        .order_by("created_at", "id"),
    )
    opinions = _only_seen(
        user,
        BoardOpinion.objects.filter(for_decision=decision)
        .select_related("member", "current_triage")
        .order_by("created_at", "id"),
    )
    # Each record's own text as this viewer may read it: its triage may redact it.
    for records, name in (
        (recommendations, "reasoning"),
        (responses, "published_text"),
        (opinions, "opinion"),
    ):
        for record in records:
            record.shown_text = (
                REDACTED if name in redacted_fields(user, record) else getattr(record, name)
            )
    affects = _only_seen(
        user,
        Item.objects.filter(
            pk__in=Link.objects.filter(source=decision, relation=Relation.AFFECTS).values(
                "target_id"
            )
        ).order_by("title", "id"),
    )
    # By id: an OR across the two tables of a decision made SQLite scan every decision.
    later = set(
        Decision.objects.filter(supersedes=decision).order_by().values_list("pk", flat=True)
    )
    related = {
        d.pk: d
        for d in visible_decisions(user).filter(pk__in=later | {decision.supersedes_id} - {None})
    }
    superseded_by = next((d for d in related.values() if d.supersedes_id == decision.pk), None)
    from .services import conflicts_of

    hidden = redacted_fields(user, item)
    return {
        "decision": decision,
        # The panel shows the decision's text fields itself (redacted as triaged), each where it
        # belongs in the decision's story; the record page would otherwise list them again.
        "text": {
            n: REDACTED if n in hidden else getattr(decision, n) for n in Decision.TEXT_FIELDS
        },
        "kind_fields": [],
        "options": list(decision.options.all()),
        "evidence": evidence_on(user, decision),
        "affects": affects,
        "concerns": list(decision.concerns.order_by("name")),
        "advice_brief": advice_brief(steps),
        "advice": [r for r in recommendations if not r.consolidated],
        "consolidated": next((r for r in recommendations if r.consolidated), None),
        "conflicted": conflicted_advisors(user, decision),
        "my_conflicts": conflicts_of(user, decision) if user and user.is_authenticated else [],
        "chosen": decision.chosen,
        "responses": responses,
        "responses_received": ConsultationResponse.objects.filter(for_decision=decision).count(),
        "opinions": opinions,
        "supersedes": related.get(decision.supersedes_id),
        "superseded_by": superseded_by,
        "timeline": timeline(user, decision),
        "conformance": conformance(user, decision, steps=steps),
        "actions": actions_for(user, decision),
    }


def _parent_panel(user: User | None, item: Item, model: type[Item]) -> dict[str, Any]:
    record = item if isinstance(item, model) else model.objects.get(pk=item.pk)
    decision = visible_decisions(user).filter(pk=record.for_decision_id).first()
    return {"record": record, "for_decision": decision}


def recommendation_panel(user: User | None, item: Item) -> dict[str, Any]:
    context = _parent_panel(user, item, Recommendation)
    context["option"] = context["record"].option if context["for_decision"] else None
    context["advisor"] = context["record"].advisor.full_name
    return context


def response_panel(user: User | None, item: Item) -> dict[str, Any]:
    return _parent_panel(user, item, ConsultationResponse)


def opinion_panel(user: User | None, item: Item) -> dict[str, Any]:
    context = _parent_panel(user, item, BoardOpinion)
    context["member"] = context["record"].member.full_name
    return context


def responses_to_triage(user: User | None) -> QuerySet[ConsultationResponse]:
    """Responses waiting for Research & Engagement, oldest first."""
    return (
        ConsultationResponse.objects.visible_to(user)
        .filter(state=ResponseState.RECEIVED)
        .select_related("for_decision")
        .order_by("created_at", "id")
    )


def designation_refusal(user: User | None, record: Item) -> str | None:
    """Why `record` cannot be named as the decision behind a designation of shared digital
    infrastructure, or None: it must be a decision that has been taken, and one `user` may see."""
    if not Item.objects.visible_to(user).filter(pk=record.pk).exists():
        return "No decision you can see has that identifier."
    if is_decided(record):
        return None
    record = Item.objects.get(pk=record.pk)  # as it is now, not as the caller held it
    if record.kind != Decision.KIND:
        label = record.kind_label.lower()
        problem = f"“{record.title}” is {'an' if label[:1] in 'aeiou' else 'a'} {label}."
    else:
        stage = Decision.objects.values_list("stage", flat=True).get(pk=record.pk)
        problem = {
            Stage.WITHDRAWN: f"“{record.title}” was withdrawn, and never decided.",
            Stage.ADVICE_REQUESTED: f"“{record.title}” is waiting for the advisors' advice, "
            "not yet decided.",
        }.get(stage, f"“{record.title}” is {Stage(stage).label.lower()}, not yet decided.")
    return f"Name a decision that has been taken: {problem}"


def is_decided(item: Item | None) -> bool:
    """Whether `item` is a decision that has been taken: what designation must name."""
    if item is None or item.kind != Decision.KIND:
        return False
    return Decision.objects.filter(pk=item.pk, stage__in=DECIDED_STAGES).exists()


def decision_measures(user: User | None) -> list[Measure]:
    """The decision-making measures, computed from the decisions the viewer may see."""
    # One read of the decisions taken, and one each of those with evidence and with advice,
    # counted here: a count for each measure, each with its own subqueries, took a second at
    # national scale on SQLite.
    decided = list(
        visible_decisions(user)
        .filter(stage__in=DECIDED_STAGES)
        .order_by()
        .annotate(explained=Length("departure"))
        .values_list(
            "pk",
            "departs_from_advice",
            "explained",
            "consultation_opens",
            "feedback_published_at",
            "decided_on",
            "first_scheduled_on",
        )
    )
    n = len(decided)
    # Every decision's: those not taken or not seen fall out against `decided`.
    seen = Item.objects.visible_to(user)
    with_evidence = set(
        Evidence.objects.order_by()
        .filter(Q(record__isnull=True) | Exists(seen.filter(pk=OuterRef("record_id"))))
        .values_list("decision_id", flat=True)
    )
    advised = set(
        DecisionStep.objects.order_by()
        .filter(to_stage=Stage.ADVISED)
        .values_list("decision_id", flat=True)
    )
    departing = [row for row in decided if row[1]]
    consulted = [row for row in decided if row[3] is not None]
    slips = [(on - first).days for *_, on, first in decided if on and first]
    median = statistics.median(slips) if slips else None
    return [
        Measure(
            "Decisions with evidence",
            sum(row[0] in with_evidence for row in decided),
            n,
            "Of the decisions taken, those with at least one piece of evidence attached.",
        ),
        Measure(
            "Decisions with the advisors' advice",
            sum(row[0] in advised for row in decided),
            n,
            "Of the decisions taken, those on which the Independent Technical Advisors gave "
            "their consolidated recommendation first.",
        ),
        Measure(
            "Departures from advice explained",
            sum(bool(row[2]) for row in departing),
            len(departing),
            "Of the decisions that chose another option than the advisors recommended, those "
            "that explain why. It must be all of them.",
        ),
        Measure(
            "Consulted decisions with a published summary of feedback",
            sum(row[4] is not None for row in consulted),
            len(consulted),
            "Of the decisions taken after a consultation, those whose summary of feedback was "
            "published first.",
        ),
        Measure(
            "Median slip between the scheduled and actual decision date",
            len(slips),
            n,
            "Days between the date a decision was first scheduled for and the day it was taken, "
            "the middle value of the decisions taken (a negative slip is early).",
            higher_is_better=False,
            figure="—" if median is None else f"{median:g} day{'s' if abs(median) != 1 else ''}",
        ),
    ]
