"""The visibility matrix for decision making: decisions, recommendations, consultation responses and
Board opinions at every level, for every persona, on every channel they reach."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone

from .conftest import client_for
from .factories import OrganisationFactory, appoint, person, publish
from .test_visibility_matrix import PERSONAS, RECORDS, SEES, _as_token_holder, _body

# A draft decision, and the drafts of its advice and opinions, are seen by Orchestrator staff only:
# none of the personas but staff is in the Product Team or among the advisors.
DECISION_SEES = {**SEES, "draft": {"staff"}}
# Who responds to each decision's consultation: someone who may see it. A respondent always sees
# their own response, whatever its triage.
RESPONDENT = {
    "open": "author",
    "registered": "author",
    "restricted": "member",
    "closed": "staff",
    "draft": "staff",
}
RESPONSE_SEES = {level: DECISION_SEES[level] | {RESPONDENT[level]} for level in RECORDS}
WORD = "quokka"


def _triage(world, level):
    if level == "open":
        return {}
    return {
        "sensitivities": [{"category": "commercial", "finding": "f", "mitigation": "restrict"}],
        "rationale": "Commercial.",
        "restricted_to": [world.named_org] if level == "restricted" else [],
    }


@pytest.fixture
def deliberation(world):
    """For each level, a decision taken after advice and a consultation, with its advisor's and the
    chair's recommendations, a response and a Board opinion, each triaged to that level."""
    from orchestrator.decisions import services
    from orchestrator.people.models import Role

    advisors = OrganisationFactory(name="Independent Technical Advisors")
    board = OrganisationFactory(name="The Board")
    chair = person(full_name="Charlie Chair")
    appoint(chair, Role.TECHNICAL_ADVISOR, advisors, chair=True)
    member = person(Role.BOARD_MEMBER, board, full_name="Bo Board")
    owner, triager = world.people["staff"], world.people["triager"]
    made = {}
    for level in RECORDS:
        # An advisor for each level, so one advisor's advice can be moved to another decision.
        advisor = person(Role.TECHNICAL_ADVISOR, advisors, full_name=f"Ada {level.title()}")
        decision = services.schedule_decision(
            actor=owner,
            owner=world.team,
            title=f"The {level} decision about the {WORD}",
            question=f"Which {level} way?",
            scheduled_on=timezone.localdate() + dt.timedelta(days=10),
            options=[{"title": f"The {level} first way"}, {"title": f"The {level} second way"}],
        )
        services.start_gathering_evidence(actor=owner, decision=decision)
        services.add_evidence(
            actor=owner, decision=decision, description="A study", url="https://example.org/s"
        )
        services.request_advice(actor=owner, decision=decision)
        a = decision.options.get(label="A")
        advice = services.recommend(
            actor=advisor, decision=decision, option=a, reasoning=f"The {level} advisor's reasoning"
        )
        consolidated = services.consolidate(
            actor=chair, decision=decision, option=a, reasoning=f"The {level} chair's reasoning"
        )
        if level != "draft":
            decision = publish(decision, by=triager, outcome=level, **_triage(world, level))
            decision = type(consolidated.for_decision).objects.get(pk=decision.pk)
        now = timezone.now()
        services.open_consultation(
            actor=triager, decision=decision, opens=now, closes=now + dt.timedelta(hours=1)
        )
        response = services.respond(
            actor=world.people[RESPONDENT[level]],
            decision=decision,
            response=f"The {level} response",
            consent_to_publish=True,
        )
        with mock.patch("django.utils.timezone.now", return_value=now + dt.timedelta(hours=2)):
            if level != "draft":
                services.triage_response(actor=triager, response=response, publish=True)
                services.publish_feedback_summary(
                    actor=triager, decision=decision, summary=f"The {level} summary"
                )
                services.decide(
                    decision=decision, actor=owner, outcome=a, rationale=f"The {level} rationale"
                )
        opinion = None
        if level != "draft":
            opinion = services.record_opinion(
                actor=member, decision=decision, opinion=f"The {level} Board opinion"
            )
        records = {"decision": decision, "advice": advice, "consolidated": consolidated}
        records["response"] = response
        if opinion is not None:
            records["opinion"] = opinion
        if level != "draft":
            for key in ("advice", "consolidated", "opinion"):
                records[key] = publish(
                    records[key], by=triager, outcome=level, **_triage(world, level)
                )
        made[level] = records
    return made


def _expected(kind: str, level: str) -> set[str]:
    return RESPONSE_SEES[level] if kind == "response" else DECISION_SEES[level]


CASES = [(level, persona) for level in RECORDS for persona in PERSONAS]


@pytest.mark.parametrize(("level", "persona"), CASES, ids=[f"{c[0]}-as-{c[1]}" for c in CASES])
def test_record_pages_and_api_items(world, deliberation, level, persona):
    client = client_for(world.people[persona])
    for kind, record in deliberation[level].items():
        sees = persona in _expected(kind, level)
        page = client.get(f"/k/{record.uid}")
        assert page.status_code == (200 if sees else 404), f"{kind} page"
        api = client.get(f"/api/v1/items/{record.uid}")
        assert api.status_code == (200 if sees else 404), f"{kind} in the API"
        twin = client.get(f"/k/{record.uid}.json")
        assert twin.status_code == (200 if sees else 404), f"{kind} JSON twin"


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_decision_page_shows_only_the_advice_responses_and_opinions_its_viewer_may_see(
    world, deliberation, persona
):
    client = client_for(world.people[persona])
    # The open decision's page, with the advice of every level attached to it: re-point the
    # children of the other levels at the open decision so its page would show them if it leaked.
    from orchestrator.decisions.models import BoardOpinion, ConsultationResponse, Recommendation

    target = deliberation["open"]["decision"]
    for level, records in deliberation.items():
        Recommendation.objects.filter(pk__in=[records["advice"].pk]).update(for_decision=target)
        ConsultationResponse.objects.filter(pk=records["response"].pk).update(for_decision=target)
        if "opinion" in records:
            BoardOpinion.objects.filter(pk=records["opinion"].pk).update(for_decision=target)
    text = client.get(f"/k/{target.uid}").text
    for level in RECORDS:
        for kind, words in (
            ("advice", f"The {level} advisor&#x27;s reasoning"),
            ("opinion", f"The {level} Board opinion"),
        ):
            if kind in deliberation[level]:
                shown = persona in _expected(kind, level)
                assert (words in text) == shown, f"{level} {kind}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_schedule_calendar_search_and_measures_hold_visible_decisions_only(
    world, deliberation, persona
):
    from orchestrator.decisions.selectors import decision_measures

    client = client_for(world.people[persona])
    pages = {
        "/decisions": client.get("/decisions").text,
        "/decisions.ics": client.get("/decisions.ics").content.decode(),
        "/search": client.get(f"/search?q={WORD}").text,
    }
    for level in RECORDS:
        decision = deliberation[level]["decision"]
        for path, text in pages.items():
            # Search marks the words it matched, so the record's address is looked for there.
            wanted = decision.uid if path == "/search" else decision.title
            shown = wanted in text.replace("\r\n ", "")
            assert shown == (persona in DECISION_SEES[level]), f"{level} on {path}"
    decided = sum(persona in DECISION_SEES[level] for level in RECORDS if level != "draft")
    measures = {m.name: m for m in decision_measures(world.people[persona])}
    assert measures["Decisions with evidence"].denominator == decided
    assert measures["Decisions with the advisors' advice"].numerator == decided
    consulted = measures["Consulted decisions with a published summary of feedback"]
    assert (consulted.numerator, consulted.denominator) == (decided, decided)
    assert client.get("/measures").status_code == 200


FEEDS = ["/data/items.jsonl", "/feeds/changes.atom", "/feeds/kinds/decision.atom"]


@pytest.mark.parametrize("path", FEEDS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_open_data_and_feeds(world, deliberation, path, persona):
    text = _body(_as_token_holder(world.people[persona]).get(path))
    for level in RECORDS:
        for kind, record in deliberation[level].items():
            if path.endswith("decision.atom") and kind != "decision":
                continue
            expected = persona in _expected(kind, level)
            if path.startswith("/data/") or path.endswith("decision.atom"):
                assert (record.uid in text) == expected, f"{level} {kind} on {path}"
            elif not expected:
                assert record.uid not in text, f"{level} {kind} leaked on {path}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_decisions_api_and_the_decision_records_export(world, deliberation, persona, tmp_path):
    from orchestrator.decisions.adr import export_adr

    client = _as_token_holder(world.people[persona])
    listed = {row["uid"] for row in client.get("/api/v1/decisions?page_size=100").json()["items"]}
    files = export_adr(user=world.people[persona], directory=tmp_path)
    written = "\n".join(path.read_text() for path in files)
    for level in RECORDS:
        decision = deliberation[level]["decision"]
        sees = persona in DECISION_SEES[level]
        assert client.get(f"/api/v1/decisions/{decision.uid}").status_code == (200 if sees else 404)
        assert (decision.uid in listed) == sees, f"{level} in the schedule's API"
        # Only decisions taken are written as decision records; the draft was never decided.
        assert (decision.title in written) == (sees and level != "draft"), f"{level} exported"
    detail = client.get(f"/api/v1/decisions/{deliberation['open']['decision'].uid}")
    if persona in DECISION_SEES["open"]:
        text = detail.content.decode()
        for kind in ("advice", "consolidated", "opinion"):
            assert deliberation["open"][kind].uid in text, kind


@pytest.fixture
def evidenced(world):
    """An open decision, deferred for a reason redacted under its triage, whose evidence is one
    record of each level."""
    from orchestrator.decisions import services

    owner = world.people["staff"]
    decision = services.schedule_decision(
        actor=owner,
        owner=world.team,
        title="An open decision with evidence of every level",
        question="Which way?",
        scheduled_on=timezone.localdate() + dt.timedelta(days=10),
        options=[{"title": "One way"}, {"title": "Another way"}],
    )
    services.start_gathering_evidence(actor=owner, decision=decision)
    for level, record in world.records.items():
        services.add_evidence(
            actor=owner,
            decision=decision,
            description=f"What the {level} record shows",
            record=record,
        )
    services.defer(
        actor=owner,
        decision=decision,
        until=timezone.localdate() + dt.timedelta(days=60),
        reason="Deferred while Wilma Quokkason recovers from an operation.",
    )
    return publish(
        decision,
        by=world.people["triager"],
        sensitivities=[
            {"category": "personal_data", "finding": "A person's health.", "mitigation": "redact"}
        ],
        redacted_fields=["deferral_reason"],
        rationale="A person's health is personal data.",
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_decisions_audit_events_tell_no_one_of_evidence_or_reasons_they_may_not_see(
    world, evidenced, persona
):
    client = _as_token_holder(world.people[persona])
    chain = _body(client.get("/audit.jsonl"))
    page = client_for(world.people[persona]).get(f"/k/{evidenced.uid}").text
    api = client.get(f"/api/v1/decisions/{evidenced.uid}").content.decode()
    assert evidenced.uid in chain and "decision.evidence_added" in chain
    for level, record in world.records.items():
        sees = persona in SEES[level]
        for where, text in (("the audit chain", chain), ("the page", page), ("the API", api)):
            if not sees:
                assert f"What the {level} record shows" not in text, f"{level} evidence on {where}"
                assert record.uid not in text, f"the {level} record's uid on {where}"
        assert (f"What the {level} record shows" in page) == sees, f"{level} evidence listed"
    # The reason is redacted from all but the Orchestrator's staff, and the chain never holds it.
    assert "Quokkason" not in chain
    assert ("Quokkason" in page) == (persona == "staff")
