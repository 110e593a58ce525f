"""The decision-making process through its services: the state machine, evidence before advice,
recusal, the departure rule, the consultation window and the Board's review."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from orchestrator.core.errors import Conflict, PermissionDenied, ValidationError
from orchestrator.core.models import AuditEvent, Item, Link, Relation
from orchestrator.decisions import selectors, services
from orchestrator.decisions.models import (
    BoardOpinion,
    ConsultationResponse,
    Decision,
    Recommendation,
    ResponseState,
    Stage,
)

from ..factories import document, publish
from .conftest import advised, scheduled

pytestmark = pytest.mark.django_db


def actions(decision):
    return list(
        AuditEvent.objects.filter(item_uid=decision.uid)
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_a_decision_goes_from_planned_to_reviewed_with_a_step_and_event_each_time(council):
    c = council
    decision = advised(c)
    assert decision.stage == Stage.ADVISED
    services.decide(
        decision=decision,
        actor=c.owner,
        outcome=decision.options.get(label="A"),
        rationale="Cheapest.",
    )
    services.record_opinion(actor=c.board, decision=decision, opinion="A sound process.")
    services.review(actor=c.board_chair, decision=decision, outcome="assured")
    decision.refresh_from_db()
    assert decision.stage == Stage.REVIEWED
    assert decision.decided_on == timezone.localdate() and not decision.departs_from_advice
    assert [s.to_stage for s in decision.steps.all()] == [
        "planned",
        "gathering_evidence",
        "advice_requested",
        "advised",
        "decided",
        "reviewed",
    ]
    assert {
        "decision.scheduled",
        "decision.gathering_evidence",
        "decision.evidence_added",
        "decision.advice_requested",
        "recommendation.recorded",
        "decision.advised",
        "decision.decided",
        "board.opinion_recorded",
        "decision.reviewed",
    } <= set(actions(decision))


def test_advice_cannot_be_requested_before_there_is_evidence(council):
    decision = scheduled(council)
    services.start_gathering_evidence(actor=council.owner, decision=decision)
    with pytest.raises(Conflict, match="Attach the evidence first"):
        services.request_advice(actor=council.owner, decision=decision)
    decision.refresh_from_db()
    assert decision.stage == Stage.GATHERING_EVIDENCE


def test_an_illegal_transition_is_refused_and_names_the_stage(council):
    decision = scheduled(council)
    with pytest.raises(Conflict, match="is planned, so you cannot ask for advice"):
        services.request_advice(actor=council.owner, decision=decision)
    with pytest.raises(Conflict, match="is planned, so you cannot review it"):
        services.review(actor=council.board, decision=decision, outcome="assured")


def test_only_an_appointed_advisor_recommends_and_a_conflicted_one_withdraws(council):
    c = council
    decision = scheduled(c)
    services.start_gathering_evidence(actor=c.owner, decision=decision)
    services.add_evidence(
        actor=c.owner, decision=decision, description="Study", url="https://example.org/s"
    )
    services.request_advice(actor=c.owner, decision=decision)
    option = decision.options.get(label="B")
    with pytest.raises(PermissionDenied, match="appointed Independent Technical Advisor"):
        services.recommend(actor=c.architect, decision=decision, option=option, reasoning="x")
    with pytest.raises(PermissionDenied, match=r"Identity Vendor Ltd.*conflicted"):
        services.recommend(actor=c.conflicted, decision=decision, option=option, reasoning="x")
    assert not Recommendation.objects.exists()
    shown = selectors.conflicted_advisors(None, decision)
    assert [(x.advisor, x.organisations) for x in shown] == [
        ("Colin Conflicted", ["Identity Vendor Ltd"])
    ]


def test_an_option_of_another_decision_is_refused(council):
    c = council
    decision = advised(c)
    other = scheduled(c, title="Another decision")
    with pytest.raises(ValidationError) as raised:
        services.decide(
            decision=decision, actor=c.owner, outcome=other.options.first(), rationale="Because."
        )
    assert "belongs to another decision" in raised.value.message_dict["outcome"][0]
    decision.refresh_from_db()
    assert decision.stage == Stage.ADVISED and decision.chosen is None


def test_a_departure_from_advice_must_be_explained_and_is_shown(council):
    c = council
    decision = advised(c, option="A")
    b = decision.options.get(label="B")
    with pytest.raises(ValidationError) as raised:
        services.decide(decision=decision, actor=c.owner, outcome=b, rationale="Resilience.")
    assert "advisors recommended option A" in raised.value.message_dict["departure"][0]
    with pytest.raises(ValidationError) as raised:
        services.decide(decision=decision, actor=c.owner, outcome=b, rationale="", departure="x")
    assert "rationale" in raised.value.message_dict
    services.decide(
        decision=decision,
        actor=c.owner,
        outcome=b,
        rationale="Resilience of the whole system.",
        departure="An operated service is needed for resilience.",
    )
    decision.refresh_from_db()
    assert decision.departs_from_advice and decision.chosen == b
    measures = {m.name: m for m in selectors.decision_measures(c.owner)}
    assert measures["Departures from advice explained"].percent == "100%"


def test_a_decided_decision_is_fixed_and_a_later_one_supersedes_it(council):
    from orchestrator.core.services import update_item

    c = council
    first = advised(c)
    services.decide(
        decision=first, actor=c.owner, outcome=first.options.get(label="A"), rationale="A."
    )
    first.refresh_from_db()
    with pytest.raises(Conflict, match="decided and cannot be changed"):
        update_item(item=first, actor=c.owner, version=first.version, changes={"question": "New?"})
    second = advised(c, title="Revisit the Authentication Service")
    services.decide(
        decision=second,
        actor=c.owner,
        outcome=second.options.get(label="A"),
        rationale="Still A.",
        supersedes=first,
    )
    assert Link.objects.filter(source=second, target=first, relation=Relation.SUPERSEDES).exists()
    assert list(first.superseded_by.all()) == [Decision.objects.get(pk=second.pk)]


def test_the_consultation_window_is_kept_at_its_edges(council):
    c = council
    decision = advised(c)
    publish(decision, by=c.triager)
    now = timezone.now()
    with pytest.raises(ValidationError) as raised:
        services.open_consultation(
            actor=c.triager, decision=decision, opens=now, closes=now - dt.timedelta(days=1)
        )
    assert "close after it opens" in raised.value.message_dict["closes"][0]
    opens, closes = now + dt.timedelta(hours=1), now + dt.timedelta(days=14)
    services.open_consultation(actor=c.triager, decision=decision, opens=opens, closes=closes)
    decision.refresh_from_db()
    before = ConsultationResponse.objects.count()
    from unittest import mock

    with (
        mock.patch("django.utils.timezone.now", return_value=opens - dt.timedelta(seconds=1)),
        pytest.raises(Conflict, match="opens on"),
    ):
        services.respond(
            actor=c.registered, decision=decision, response="Hi", consent_to_publish=True
        )
    with mock.patch("django.utils.timezone.now", return_value=opens):
        services.respond(
            actor=c.registered,
            decision=decision,
            response="B please, says Rob",
            consent_to_publish=True,
        )
    with mock.patch("django.utils.timezone.now", return_value=closes - dt.timedelta(seconds=1)):
        services.respond(
            actor=c.outsider, decision=decision, response="Keep it out", consent_to_publish=False
        )
    with (
        mock.patch("django.utils.timezone.now", return_value=closes),
        pytest.raises(Conflict, match=r"closed on .*no longer accepted"),
    ):
        services.respond(
            actor=c.registered, decision=decision, response="Late", consent_to_publish=True
        )
    assert ConsultationResponse.objects.count() == before + 2
    with pytest.raises(Conflict, match="open until"):
        services.publish_feedback_summary(
            actor=c.triager, decision=decision, summary="Two responses."
        )
    with mock.patch("django.utils.timezone.now", return_value=closes + dt.timedelta(minutes=1)):
        with pytest.raises(Conflict, match="waits for it"):
            services.decide(
                decision=decision, actor=c.owner, outcome=decision.options.first(), rationale="x"
            )
        with pytest.raises(Conflict, match="still waiting"):
            services.publish_feedback_summary(actor=c.triager, decision=decision, summary="Two.")
        first, second = ConsultationResponse.objects.order_by("pk")
        with pytest.raises(ValidationError) as raised:
            services.triage_response(actor=c.triager, response=second, publish=True)
        assert "did not consent" in raised.value.message_dict["publish"][0]
        services.triage_response(
            actor=c.triager,
            response=first,
            publish=True,
            personal_data=True,
            published_text="B please.",
        )
        services.triage_response(
            actor=c.triager, response=second, publish=False, reason="No consent."
        )
        services.publish_feedback_summary(
            actor=c.triager, decision=decision, summary="One for B, one withheld."
        )
        with pytest.raises(Conflict, match="already published"):
            services.publish_feedback_summary(actor=c.triager, decision=decision, summary="Again.")
        services.decide(
            decision=decision,
            actor=c.owner,
            outcome=decision.options.get(label="A"),
            rationale="A.",
        )
    first.refresh_from_db()
    assert first.state == ResponseState.PUBLISHED and first.is_draft is False
    # The public see the response with the personal data taken out, and not the original words.
    seen = Item.objects.visible_to(None)
    assert seen.filter(pk=first.pk).exists() and not seen.filter(pk=second.pk).exists()
    measures = {m.name: m for m in selectors.decision_measures(None)}
    consulted = measures["Consulted decisions with a published summary of feedback"]
    assert (consulted.numerator, consulted.denominator) == (1, 1)


def test_the_measures_count_evidence_only_where_the_viewer_may_see_it(council):
    c = council
    hidden = document(author=c.owner, owner=c.product, title="Closed costings")
    publish(hidden, by=c.triager, outcome="closed")
    taken = []
    for title, evidence in (("On a closed record", {"record": hidden}),
                            ("On a web link", {"url": "https://example.org/costs"})):  # fmt: skip
        decision = scheduled(c, title=title)
        services.start_gathering_evidence(actor=c.owner, decision=decision)
        services.add_evidence(actor=c.owner, decision=decision, description="Costs", **evidence)
        services.decide(
            decision=decision,
            actor=c.owner,
            outcome=decision.options.get(label="A"),
            rationale="The costs are lower.",
        )
        taken.append(publish(decision, by=c.triager))
    for viewer, counted in ((None, 1), (c.owner, 2)):
        measures = {m.name: m for m in selectors.decision_measures(viewer)}
        evidence = measures["Decisions with evidence"]
        assert (evidence.numerator, evidence.denominator) == (counted, 2), viewer
    # A decision the viewer cannot see is not counted at all.
    Item.objects.filter(pk=taken[1].pk).update(visibility="closed")
    evidence = {m.name: m for m in selectors.decision_measures(None)}["Decisions with evidence"]
    assert (evidence.numerator, evidence.denominator) == (0, 1)


def test_defer_needs_a_future_date_and_a_reason_and_resume_returns_to_the_stage(council):
    c = council
    decision = scheduled(c)
    services.start_gathering_evidence(actor=c.owner, decision=decision)
    with pytest.raises(ValidationError) as raised:
        services.defer(actor=c.owner, decision=decision, until=timezone.localdate(), reason="")
    assert set(raised.value.message_dict) == {"reason", "until"}
    later = timezone.localdate() + dt.timedelta(days=90)
    services.defer(actor=c.owner, decision=decision, until=later, reason="Waiting for Ofgem.")
    decision.refresh_from_db()
    assert decision.stage == Stage.DEFERRED and decision.scheduled_on == later
    assert decision.first_scheduled_on != later
    services.resume(actor=c.owner, decision=decision)
    decision.refresh_from_db()
    assert decision.stage == Stage.GATHERING_EVIDENCE
    services.withdraw(actor=c.owner, decision=decision, reason="Overtaken by events.")
    with pytest.raises(Conflict):
        services.resume(actor=c.owner, decision=decision)


def test_board_opinions_and_assurance(council):
    c = council
    decision = advised(c)
    with pytest.raises(Conflict):
        services.record_opinion(actor=c.board, decision=decision, opinion="Too early.")
    services.decide(
        decision=decision, actor=c.owner, outcome=decision.options.get(label="A"), rationale="A."
    )
    with pytest.raises(PermissionDenied):
        services.record_opinion(actor=c.owner, decision=decision, opinion="Mine.")
    services.record_opinion(actor=c.board, decision=decision, opinion="Fine.")
    with pytest.raises(ValidationError) as raised:
        services.review(actor=c.board, decision=decision, outcome="not_assured")
    assert "reasons" in raised.value.message_dict
    services.review(
        actor=c.board, decision=decision, outcome="not_assured", reasons="Evidence thin."
    )
    assert BoardOpinion.objects.filter(for_decision=decision).count() == 1
    with pytest.raises(Conflict):
        services.record_opinion(actor=c.board, decision=decision, opinion="Late.")


def test_conformance_shows_steps_followed_and_skipped(council):
    c = council
    decision = scheduled(c)
    services.start_gathering_evidence(actor=c.owner, decision=decision)
    services.decide(
        decision=decision, actor=c.owner, outcome=decision.options.first(), rationale="Urgent."
    )
    decision.refresh_from_db()
    steps = {s.name: s.status for s in selectors.conformance(c.owner, decision)}
    assert steps["Evidence gathered"] == "skipped"
    assert steps["Advice requested from the Independent Technical Advisors"] == "skipped"
    assert steps["Decided, with the rationale recorded"] == "followed"
    assert steps["Stakeholders consulted"] == "not_needed"
