"""`generate` writes decision making: decisions in every stage, with options, steps, advice and
responses that keep to the process's rules, designations that name decisions taken, all audited."""

from __future__ import annotations

import collections
import itertools

import pytest
from django.db import IntegrityError, connection
from django.utils import timezone

from orchestrator.architecture.models import Element, SdiDesignation
from orchestrator.core import audit, bulk
from orchestrator.core.models import AuditEvent, Item, Link, Relation, Status, Visibility
from orchestrator.decisions.models import (
    DECIDED_STAGES,
    OPEN_STAGES,
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
from orchestrator.decisions.selectors import decision_measures, is_decided
from orchestrator.demo.generate import SCALES, generate
from orchestrator.people.models import Role
from orchestrator.planning.models import Investment

from ..factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

# The moves the services make, and the permission each needs (`resume` moves a deferred
# decision back to where it was deferred from).
MOVES = {
    ("", Stage.PLANNED): "decisions.schedule",
    (Stage.PLANNED, Stage.GATHERING_EVIDENCE): "decisions.prepare",
    (Stage.GATHERING_EVIDENCE, Stage.ADVICE_REQUESTED): "decisions.request_advice",
    (Stage.ADVICE_REQUESTED, Stage.ADVISED): "decisions.consolidate",
    (Stage.ADVISED, Stage.CONSULTATION): "decisions.run_consultation",
    (Stage.GATHERING_EVIDENCE, Stage.DECIDED): "decisions.decide",
    (Stage.ADVISED, Stage.DECIDED): "decisions.decide",
    (Stage.CONSULTATION, Stage.DECIDED): "decisions.decide",
    (Stage.DECIDED, Stage.REVIEWED): "decisions.review",
    **{(s, Stage.DEFERRED): "decisions.defer" for s in OPEN_STAGES[:4]},
    **{(Stage.DEFERRED, s): "decisions.defer" for s in OPEN_STAGES[:4]},
    **{(s, Stage.WITHDRAWN): "decisions.withdraw" for s in OPEN_STAGES},
}
ACTIONS = {
    Stage.PLANNED: "decision.scheduled",
    Stage.GATHERING_EVIDENCE: "decision.gathering_evidence",
    Stage.ADVICE_REQUESTED: "decision.advice_requested",
    Stage.ADVISED: "decision.advised",
    Stage.CONSULTATION: "decision.consultation_opened",
    Stage.DECIDED: "decision.decided",
    Stage.REVIEWED: "decision.reviewed",
    Stage.DEFERRED: "decision.deferred",
    Stage.WITHDRAWN: "decision.withdrawn",
}


@pytest.fixture
def small(capsys):
    generate(scale="small", seed=17)
    return capsys.readouterr()


def test_national_has_at_least_twenty_thousand_decisions_and_small_a_few_hundred():
    assert SCALES["national"].decisions >= 20_000
    assert 100 <= SCALES["small"].decisions <= 1_000


def test_small_has_every_type_and_stage_in_realistic_proportions(small):
    decisions = Decision.objects.all()
    total = decisions.count()
    assert total == SCALES["small"].decisions
    stages = collections.Counter(decisions.values_list("stage", flat=True))
    assert set(stages) == set(Stage.values)
    assert stages[Stage.DECIDED] + stages[Stage.REVIEWED] > 0.6 * total  # most taken
    upcoming = sum(stages[s] for s in OPEN_STAGES if s != Stage.DEFERRED)
    assert 0.05 * total < upcoming < 0.35 * total
    assert 0 < stages[Stage.DEFERRED] + stages[Stage.WITHDRAWN] < 0.2 * total
    assert set(decisions.values_list("decision_type", flat=True)) == set(DecisionType.values)
    # The Product Team hold them, triaged and published as the generator's other kinds are.
    assert {d.owner.name for d in decisions.select_related("owner")} == {"S17 Product Team"}
    published = decisions.filter(status=Status.PUBLISHED)
    assert set(published.values_list("visibility", flat=True)) == set(Visibility.values)
    assert published.filter(visibility=Visibility.OPEN).count() > total / 2
    assert decisions.filter(status=Status.DRAFT).exists()
    assert 0 < Decision.objects.visible_to(None).count() < total
    assert "decisions: 300 decisions (" in small.out and "decision steps: " in small.err


def test_each_decisions_steps_follow_the_process_to_its_stage_taken_by_who_may(small):
    now = timezone.now()
    steps: dict[int, list[DecisionStep]] = collections.defaultdict(list)
    for step in DecisionStep.objects.select_related("by").order_by("at", "id"):
        steps[step.decision_id].append(step)
    allowed: dict[tuple[int, str], bool] = {}
    for decision in Decision.objects.all():
        path = steps[decision.pk]
        assert path[0].from_stage == "" and path[0].to_stage == Stage.PLANNED, decision.title
        for before, step in itertools.pairwise(path):
            assert step.from_stage == before.to_stage, decision.title
            assert step.at > before.at
        assert path[-1].to_stage == decision.stage and path[-1].at < now
        for step in path:
            perm = MOVES.get((step.from_stage, step.to_stage))
            assert perm, f"{decision.title}: {step.from_stage} → {step.to_stage}"
            key = (step.by_id, perm)
            if key not in allowed:
                allowed[key] = step.by.has_perm(perm, decision)
            assert allowed[key], f"{step.by} may not {perm}"
        reached = {s.to_stage for s in path}
        dates: dict[str, object] = {}  # when each stage was first reached
        for s in path:
            dates.setdefault(s.to_stage, timezone.localdate(s.at))
        options = list(decision.options.values_list("label", flat=True))
        assert options == ["A", "B", "C", "D"][: len(options)] and len(options) >= 2
        assert decision.first_scheduled_on >= dates[Stage.PLANNED]
        if Stage.ADVICE_REQUESTED in reached:  # the service asks for evidence first
            assert decision.evidence.exists()
        if Stage.DEFERRED in reached:
            assert decision.deferral_reason
        # Deferred and not taken up again: where it was deferred from is kept, even withdrawn.
        left = decision.stage == Stage.DEFERRED or (
            decision.stage == Stage.WITHDRAWN and path[-2].to_stage == Stage.DEFERRED
        )
        assert bool(decision.deferred_from) == left
        if decision.stage in DECIDED_STAGES:
            assert decision.decided_on == dates[Stage.DECIDED] and decision.rationale
            assert decision.chosen.decision_id == decision.pk and decision.decided_by_id
        else:
            assert decision.chosen_id is None and decision.decided_on is None
        if decision.stage == Stage.REVIEWED:
            assert decision.assurance and decision.reviewed_on == dates[Stage.REVIEWED]
            if decision.assurance != "assured":
                assert decision.assurance_reasons
        if decision.stage == Stage.WITHDRAWN:
            assert decision.withdrawal_reason
        if Stage.CONSULTATION in reached:
            assert decision.consultation_closes > decision.consultation_opens
            assert timezone.localdate(decision.consultation_opens) == dates[Stage.CONSULTATION]
            if decision.stage in DECIDED_STAGES:  # the summary came after it closed, before
                assert (
                    decision.consultation_closes
                    < decision.feedback_published_at
                    < path[[s.to_stage for s in path].index(Stage.DECIDED)].at
                )
                assert decision.feedback_summary
                assert not decision.responses.filter(state=ResponseState.RECEIVED).exists()
        else:
            assert decision.consultation_opens is None and not decision.responses.exists()
        decision.full_clean()
    # Dates slip, early and late, as the measures show.
    slips = [(d.decided_on - d.first_scheduled_on).days for d in Decision.objects.filter(
        stage__in=DECIDED_STAGES)]  # fmt: skip
    assert slips.count(0) > len(slips) / 4
    assert any(s > 14 for s in slips) and any(s < 0 for s in slips)
    assert Decision.objects.filter(stage__in=OPEN_STAGES, scheduled_on__gt=timezone.localdate())


def test_advice_is_one_per_advisor_and_consolidated_by_the_chair_departures_are_explained(small):
    decided_on_advice = 0
    departing = 0
    for decision in Decision.objects.filter(stage__in=DECIDED_STAGES):
        advice = list(decision.recommendations.select_related("option"))
        consolidated = [r for r in advice if r.consolidated]
        advisors = [r.advisor_id for r in advice if not r.consolidated]
        assert len(advisors) == len(set(advisors))
        reached = set(decision.steps.values_list("to_stage", flat=True))
        if Stage.ADVISED not in reached:
            assert not advice and not decision.departs_from_advice and not decision.departure
            continue
        decided_on_advice += 1
        assert len(consolidated) == 1 and advisors
        departs = consolidated[0].option_id != decision.chosen_id
        assert decision.departs_from_advice == departs
        assert bool(decision.departure) == departs
        departing += departs
    assert 0.03 < departing / decided_on_advice < 0.2  # about a tenth
    # Only a decision the advisors advised on has a consolidated recommendation, by their chair.
    chair = {r.advisor_id for r in Recommendation.objects.filter(consolidated=True)}
    assert len(chair) == 1
    [chair_user] = chair
    assert Recommendation.objects.filter(consolidated=True).count() == (
        DecisionStep.objects.filter(to_stage=Stage.ADVISED).values("decision").distinct().count()
    )
    for recommendation in Recommendation.objects.select_related("advisor", "option"):
        assert recommendation.option.decision_id == recommendation.for_decision_id
        appointment = recommendation.advisor.appointments.get(role=Role.TECHNICAL_ADVISOR)
        assert recommendation.owner_id == appointment.organisation_id
        assert appointment.chair == (recommendation.advisor_id == chair_user)
    # Measures a user would read: every departure explained; most decisions with evidence.
    measures = {m.name: m for m in decision_measures(UserFactory())}
    explained = measures["Departures from advice explained"]
    assert explained.numerator == explained.denominator > 0
    evidence = measures["Decisions with evidence"]
    assert 0.75 * evidence.denominator < evidence.numerator < evidence.denominator


def test_evidence_responses_and_opinions_are_what_the_services_would_allow(small):
    assert Evidence.objects.exists()
    for evidence in Evidence.objects.select_related("decision", "record"):
        assert bool(evidence.url) != (evidence.record_id is not None)
        assert evidence.record is None or evidence.record.kind == "document"
    responses = ConsultationResponse.objects.all()
    assert set(responses.values_list("state", flat=True)) == set(ResponseState.values)
    for response in responses.select_related("owner", "for_decision"):
        assert response.owner.name == "S17 Research & Engagement Team"
        published = response.state == ResponseState.PUBLISHED
        assert (response.status == Status.PUBLISHED) == published
        assert not published or (response.consent_to_publish and response.published_text)
        assert response.for_decision.consultation_opens is not None
    # Personal data is redacted from what is published, and the rest is open.
    triaged = responses.filter(current_triage__isnull=False).select_related("current_triage")
    redacted = [r for r in triaged if r.current_triage.redacted_fields == ["response"]]
    assert redacted and all(r.current_triage.outcome == Visibility.OPEN for r in triaged)
    assert all("Contact me" in r.response for r in redacted)
    assert not any("Contact me" in r.published_text for r in triaged)
    opinions = BoardOpinion.objects.select_related("for_decision", "member")
    assert opinions.exists()
    for opinion in opinions:
        assert opinion.for_decision.stage in DECIDED_STAGES
        assert opinion.member.appointments.filter(role=Role.BOARD_MEMBER).exists()
        assert opinion.owner.name == "S17 Orchestrator Board"


def test_advice_responses_and_opinions_are_titled_without_their_decisions_words(small):
    # They may be triaged more openly than their decision (decision 0008), as the services title them.
    for kind in (Recommendation, ConsultationResponse, BoardOpinion):
        for title, summary, question in kind.objects.values_list(
            "title", "summary", "for_decision__title"
        )[:500]:
            assert question not in title and question not in summary, (kind.KIND, title)
    advice = Recommendation.objects.select_related("advisor", "option")[0]
    assert advice.title.endswith(f": option {advice.option.label}")
    assert advice.summary == f"Recommends option {advice.option.label}."
    assert set(ConsultationResponse.objects.values_list("title", flat=True)) == {
        "Response to a consultation"
    }
    opinion = BoardOpinion.objects.select_related("member")[0]
    assert (opinion.title, opinion.summary) == (f"Board opinion of {opinion.member.full_name}", "")


def test_designations_name_scope_decisions_taken(small):
    designated = Investment.objects.filter(designated_sdi=True)
    assert designated.exists()
    for investment in designated:
        decision = Decision.objects.get(pk=investment.designated_by_id)
        assert is_decided(decision) and decision.decision_type == DecisionType.SCOPE
        assert decision.chosen.title == "Designate it shared digital infrastructure"
        link = Link.objects.get(source=decision, target=investment)
        assert link.relation == Relation.REFERENCES
        # The decision was taken before the investment that names it was created.
        decided = AuditEvent.objects.get(action="decision.decided", item_uid=decision.uid)
        created = AuditEvent.objects.get(action="item.created", item_uid=investment.uid)
        assert decided.seq < created.seq
    elements = Element.objects.exclude(sdi_designation=SdiDesignation.UNDECIDED)
    assert elements.exists()
    for element in elements:
        decision = Decision.objects.get(pk=element.designated_by_id)
        assert is_decided(decision) and decision.decision_type == DecisionType.SCOPE
        expected = {SdiDesignation.SHARED: "Designate it shared digital infrastructure",
                    SdiDesignation.MARKET: "Leave it to the market"}  # fmt: skip
        assert decision.chosen.title == expected[element.sdi_designation]
        event = AuditEvent.objects.get(action="element.designated", item_uid=element.uid)
        assert event.data == {"designation": element.sdi_designation, "decision": decision.uid}
        assert Link.objects.filter(source=decision, target=element, relation="affects").exists()
    assert not Item.objects.filter(pk__in=designated.values("designated_by")).exclude(
        kind=Decision.KIND
    )


def test_decisions_are_audited_as_the_services_record_them_and_the_chain_verifies(small):
    # What decisions affect: investments and elements (documents also "affect" one another).
    affects = Link.objects.filter(relation=Relation.AFFECTS, source__kind=Decision.KIND)
    assert set(affects.values_list("target__kind", flat=True)) == {"investment", "element"}
    assert affects.values("source").distinct().count() > 0.8 * Decision.objects.count()
    for kind in (Decision, Recommendation, ConsultationResponse, BoardOpinion):
        created = AuditEvent.objects.filter(action="item.created", data__kind=kind.KIND)
        assert created.count() == kind.objects.count() > 0
    count = collections.Counter(AuditEvent.objects.values_list("action", flat=True))
    moved = collections.Counter(
        "decision.resumed" if s == Stage.DEFERRED and t != Stage.WITHDRAWN else ACTIONS[t]
        for s, t in DecisionStep.objects.values_list("from_stage", "to_stage")
    )
    for action, n in moved.items():
        assert count[action] == n, action
    assert count["decision.evidence_added"] == Evidence.objects.count()
    # As `add_evidence`, `defer` and `withdraw` record them: which evidence, not what it says of a
    # record that may be hidden; no reason that the decision's triage may redact.
    evidence = dict(Evidence.objects.values_list("pk", "record_id"))
    for data in AuditEvent.objects.filter(action="decision.evidence_added").values_list(
        "data", flat=True
    ):
        assert data == {
            "evidence": data["evidence"],
            "source": "record" if evidence.pop(data["evidence"]) else "web",
        }
    assert not evidence
    held = AuditEvent.objects.filter(action__in=["decision.deferred", "decision.withdrawn"])
    assert held.exists() and not held.filter(data__has_key="comment").exists()
    individual = Recommendation.objects.filter(consolidated=False).count()
    assert count["recommendation.recorded"] == individual
    assert count["board.opinion_recorded"] == BoardOpinion.objects.count()
    assert count["consultation.responded"] == ConsultationResponse.objects.count()
    triaged = ConsultationResponse.objects.exclude(state=ResponseState.RECEIVED).count()
    assert count["consultation.response_triaged"] == triaged
    # One decision's history reads in the order of its process, as its timeline shows it.
    decision = Decision.objects.filter(stage=Stage.REVIEWED, consultation_opens__isnull=False)[0]
    actions = list(
        AuditEvent.objects.filter(item_uid=decision.uid)
        .order_by("seq")
        .values_list("action", flat=True)
    )
    process = [a for a in actions if a.startswith("decision.") and a != "decision.evidence_added"]
    assert process[0] == "decision.scheduled" and process[-1] == "decision.reviewed"
    assert process.index("decision.feedback_summarised") < process.index("decision.decided")
    if "link.created" in actions:  # what it affects, linked when it was scheduled
        assert actions.index("link.created") < actions.index("decision.gathering_evidence")
    event = AuditEvent.objects.get(action="decision.decided", item_uid=decision.uid)
    assert event.data == {"from": "consultation", "to": "decided", "option": decision.chosen.label,
                          "departs_from_advice": decision.departs_from_advice,
                          "supersedes": ""}  # fmt: skip
    result = audit.verify()
    assert result.ok, result.reason


def test_the_database_refuses_a_departure_from_advice_left_unexplained():
    # What the generator relies on to keep every departure explained: nothing half-written.
    owner, author = OrganisationFactory(name="Product Team"), UserFactory()
    today = timezone.localdate()
    spec = bulk.RecordSpec(
        model=Decision,
        owner=owner,
        created_by=author,
        title="Unexplained",
        fields={"question": "Which?", "scheduled_on": today, "first_scheduled_on": today,
                "stage": Stage.DECIDED, "departs_from_advice": True, "departure": ""},
    )  # fmt: skip
    refusals: tuple[type[Exception], ...] = (IntegrityError,)
    if connection.vendor == "postgresql":  # bulk writes by COPY, past Django's error wrapper
        import psycopg

        refusals += (psycopg.IntegrityError,)
    before = (Item.objects.count(), AuditEvent.objects.count(), Option.objects.count())
    with pytest.raises(refusals):
        bulk.load_records(records=[spec])
    assert (Item.objects.count(), AuditEvent.objects.count(), Option.objects.count()) == before
