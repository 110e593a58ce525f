"""The demo's decisions: the report's worked examples, and a decision at every stage of the process.

Each is taken through the decision-making services, in the order the process runs — scheduled,
evidence gathered, advice asked for and given, consulted on, decided, opinions and the Board's
review — so its steps, advice and audit chain are real. The specs are `content.DECISIONS`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from orchestrator.core.models import Item
from orchestrator.decisions import services as decisions
from orchestrator.planning import services as planning

from . import content

if TYPE_CHECKING:
    from orchestrator.decisions.models import Decision
    from orchestrator.people.models import Organisation, User

# The decision that designates the Data Sharing Infrastructure: taken before the plan's first
# version, so the plan shows the DSI designated; the others once the architecture exists.
SCOPE = "scope"


@dataclass
class Tally:
    decisions: int = 0
    recommendations: int = 0
    responses: int = 0
    opinions: int = 0
    stages: set[str] = field(default_factory=set)


@dataclass
class Records:
    """What the specs name: the demo's documents, investments, elements and decisions so far."""

    documents: Mapping[str, Item]
    investments: Mapping[str, Item]
    elements: Mapping[str, Item] = field(default_factory=dict)
    taken: dict[str, Decision] = field(default_factory=dict)

    def get(self, ref: str) -> Item:
        kind, _, key = ref.partition(":")
        if kind == "record":
            # Plan records the loader does not hand on, found by their (unique) demo titles.
            return Item.objects.get(title=key)
        found = {
            "document": self.documents,
            "investment": self.investments,
            "element": self.elements,
            "decision": self.taken,
        }[kind]
        return found[key]


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _take(
    spec: Mapping[str, Any],
    *,
    users: Mapping[str, User],
    orgs: Mapping[str, Organisation],
    records: Records,
    publish_open: Callable[[Item], Item],
    tally: Tally,
) -> Decision:
    """Take one decision as far through the process as its spec goes."""
    today = timezone.localdate()

    def day(offset: int) -> dt.date:
        return today + dt.timedelta(days=offset)

    owner = users["product"]
    scheduler = users[spec.get("by", "product")]
    decision = decisions.schedule_decision(
        actor=scheduler,
        title=spec["title"],
        question=spec["question"],
        summary=spec["summary"],
        context=spec["context"],
        decision_type=spec["type"],
        scheduled_on=day(spec["scheduled"]),
        options=spec["options"],
        affects=[records.get(ref) for ref in spec.get("affects", ())],
        concerns=[orgs[name] for name in spec.get("concerns", ())],
    )
    # Presumed open: the schedule, and each decision on it, are public from the start.
    publish_open(decision)
    options = {option.label: option for option in decision.options.all()}
    stage = "planned"
    if spec.get("evidence"):
        decisions.start_gathering_evidence(actor=scheduler, decision=decision)
        stage = "gathering_evidence"
        for who, description, ref in spec["evidence"]:
            source = {"url": ref} if ref.startswith("https://") else {"record": records.get(ref)}
            decisions.add_evidence(
                actor=users[who], decision=decision, description=description, **source
            )
    advice = spec.get("advice")
    if advice:
        decisions.request_advice(actor=scheduler, decision=decision, comment=advice["comment"])
        stage = "advice_requested"
        for who, label, reasoning in advice["recommendations"]:
            recommendation = decisions.recommend(
                actor=users[who], decision=decision, option=options[label], reasoning=reasoning
            )
            publish_open(recommendation)
            tally.recommendations += 1
        if "consolidated" in advice:
            label, reasoning = advice["consolidated"]
            consolidated = decisions.consolidate(
                actor=users["advisor.chair"],
                decision=decision,
                option=options[label],
                reasoning=reasoning,
            )
            publish_open(consolidated)
            tally.recommendations += 1
            stage = "advised"
    consultation = spec.get("consultation")
    if consultation:
        decisions.open_consultation(
            actor=users["research"],
            decision=decision,
            opens=_at(day(consultation["opened"]), 9),
            closes=_at(day(consultation["closes"]), 17),
        )
        stage = "consultation"
        for who, text, triage in consultation["responses"]:
            response = decisions.respond(
                actor=users[who], decision=decision, response=text, consent_to_publish=True
            )
            tally.responses += 1
            if triage is not None:
                decisions.triage_response(
                    actor=users["research"],
                    response=response,
                    publish=True,
                    personal_data=True,
                    published_text=triage["published_text"],
                )
    decided = spec.get("decide")
    if decided:
        decisions.decide(
            decision=decision,
            actor=owner,
            outcome=options[decided["option"]],
            rationale=decided["rationale"],
            departure=decided.get("departure", ""),
            consequences=decided.get("consequences", ""),
            supersedes=records.taken[decided["supersedes"]] if "supersedes" in decided else None,
            today=day(decided["on"]),
        )
        stage = "decided"
    for who, opinion in spec.get("opinions", ()):
        publish_open(decisions.record_opinion(actor=users[who], decision=decision, opinion=opinion))
        tally.opinions += 1
    review = spec.get("review")
    if review:
        decisions.review(
            actor=users["board.chair"],
            decision=decision,
            outcome=review["outcome"],
            reasons=review["reasons"],
            today=day(review["on"]),
        )
        stage = "reviewed"
    if "defer" in spec:
        decisions.defer(
            actor=scheduler,
            decision=decision,
            until=day(spec["defer"]["until"]),
            reason=spec["defer"]["reason"],
        )
        stage = "deferred"
    if "withdraw" in spec:
        decisions.withdraw(actor=owner, decision=decision, reason=spec["withdraw"])
        stage = "withdrawn"
    tally.decisions += 1
    tally.stages.add(stage)
    # The services move their own locked copy; later steps (superseding it) read this one.
    decision.refresh_from_db()
    return decision


def _take_all(
    keys: Iterable[str],
    *,
    users: Mapping[str, User],
    orgs: Mapping[str, Organisation],
    records: Records,
    publish_open: Callable[[Item], Item],
) -> Tally:
    wanted = set(keys)
    tally = Tally()
    for spec in content.DECISIONS:
        if spec["key"] in wanted:
            records.taken[spec["key"]] = _take(
                spec,
                users=users,
                orgs=orgs,
                records=records,
                publish_open=publish_open,
                tally=tally,
            )
    return tally


def load_scope(
    *,
    users: Mapping[str, User],
    orgs: Mapping[str, Organisation],
    records: Records,
    publish_open: Callable[[Item], Item],
    progress: Callable[[str], None],
) -> Decision:
    """Take the decision that the DSI is shared digital infrastructure, and designate it so."""
    _take_all([SCOPE], users=users, orgs=orgs, records=records, publish_open=publish_open)
    scope = records.taken[SCOPE]
    planning.designate_investment(
        actor=users["product"],
        investment=records.investments["dsi"],
        designation="shared",
        decision=scope,
    )
    progress("the decision that designates the Data Sharing Infrastructure, reviewed by the Board")
    return scope


def load(
    *,
    users: Mapping[str, User],
    orgs: Mapping[str, Organisation],
    records: Records,
    publish_open: Callable[[Item], Item],
    progress: Callable[[str], None],
) -> dict[str, Decision]:
    """Take the rest of the demo's decisions, once the plan and architecture they affect exist."""
    rest = [spec["key"] for spec in content.DECISIONS if spec["key"] not in records.taken]
    tally = _take_all(rest, users=users, orgs=orgs, records=records, publish_open=publish_open)
    progress(
        f"{tally.decisions} more decisions, across {len(tally.stages)} stages of the process: "
        f"{tally.recommendations} recommendations, {tally.responses} consultation responses, "
        f"{tally.opinions} Board opinions"
    )
    return records.taken
