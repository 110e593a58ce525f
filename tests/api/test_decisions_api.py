"""Decision making through the API: a decision's whole life by its endpoints, each refusal a 4xx
naming the problem with nothing kept, a hidden decision a 404, and no body a server error."""

from __future__ import annotations

import datetime as dt
from unittest import mock
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orchestrator.core.models import AuditEvent, Item, Visibility
from orchestrator.core.selectors import REDACTED
from orchestrator.decisions import services
from orchestrator.decisions.models import (
    ConsultationResponse,
    Decision,
    Evidence,
    Option,
    Recommendation,
    ResponseState,
)
from orchestrator.planning import services as planning

from ..conftest import client_for
from ..decisions import conftest as decision_fixtures
from ..decisions.conftest import advised, scheduled
from ..factories import document, person, publish
from .test_api import _bearer
from .test_planning_api import json_values

pytestmark = pytest.mark.django_db

# The people of decision making (tests/decisions/conftest.py), used here as a fixture.
council = decision_fixtures.council

TODAY = timezone.localdate()


class Api:
    """Calls of /api/v1/decisions, each with a token for its user (made once a person)."""

    def __init__(self) -> None:
        self.tokens: dict[int, dict[str, str]] = {}

    def headers(self, user) -> dict[str, str]:
        if user is None:
            return {}
        if user.pk not in self.tokens:
            self.tokens[user.pk] = _bearer(user)
        return self.tokens[user.pk]

    def get(self, path: str, user=None):
        return Client().get(f"/api/v1/decisions{path}", **self.headers(user))

    def post(self, path: str, user, data: dict | None = None):
        return Client().post(
            f"/api/v1/decisions{path}",
            data or {},
            content_type="application/json",
            **self.headers(user),
        )


@pytest.fixture
def api() -> Api:
    return Api()


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.content
    return response.json()


def refused(response, status: int) -> str:
    assert response.status_code == status, response.content
    return str(response.json()["detail"])


def snapshot(decision: Decision) -> tuple:
    """What a refused write must leave as it was."""
    decision = Decision.objects.get(pk=decision.pk)
    return (
        decision.version,
        decision.stage,
        decision.chosen_id,
        decision.rationale,
        AuditEvent.objects.filter(item_uid=decision.uid).count(),
        Item.objects.count(),
        Option.objects.count(),
        Evidence.objects.count(),
    )


def investment(c, title: str = "Authentication Service"):
    """An investment the decision can affect, published openly."""
    item = planning.create_investment(
        actor=c.portfolio,
        owner=c.portfolio.appointments.get().organisation,
        title=title,
        summary="A shared way to authenticate users.",
        phase_dates={"discovery": TODAY - dt.timedelta(days=30)},
    )
    return publish(item, by=c.triager)


def opened(c, api, decision: Decision) -> tuple[dt.datetime, dt.datetime]:
    """Open a consultation on a published, advised decision by the API: from an hour's time, for
    two weeks."""
    now = timezone.now()
    opens, closes = now + dt.timedelta(hours=1), now + dt.timedelta(days=14)
    ok(
        api.post(
            f"/{decision.uid}/consultation",
            c.triager,
            {"opens": opens.isoformat(), "closes": closes.isoformat()},
        )
    )
    return opens, closes


# --- A decision's life, one endpoint at a time -------------------------------------------------


def test_a_decision_goes_from_the_schedule_to_the_boards_review_by_the_api(council, api):
    c = council
    affected, evidence_record = investment(c), investment(c, "Identity register")
    body = ok(
        api.post(
            "",
            c.owner,
            {
                "title": "Authentication Service: pattern or operated service",
                "question": "Should it be an open-source pattern or an operated service?",
                "context": "Many services must authenticate users.",
                "summary": "Scenario A or B.",
                "type": "delivery_approach",
                "scheduled_on": (TODAY + dt.timedelta(days=30)).isoformat(),
                "options": [
                    {"title": "Open-source pattern", "benefits": "Cheap", "risks": "Drift"},
                    {"title": "Operated service", "costs": "Higher", "risks": "Lock-in"},
                ],
                "affects": [affected.uid],
                "concerns": [c.vendor.slug],
            },
        ),
        201,
    )
    uid = body["uid"]
    assert body["kind"] == "decision" and body["status"] == "draft" and body["stage"] == "planned"
    assert body["owner"]["slug"] == c.product.slug  # the Product Team hold decisions
    assert [(o["label"], o["title"], o["risks"]) for o in body["options"]] == [
        ("A", "Open-source pattern", "Drift"),
        ("B", "Operated service", "Lock-in"),
    ]
    assert body["affects"] == [affected.uid]
    assert body["concerns"] == [{"slug": c.vendor.slug, "name": "Identity Vendor Ltd"}]
    assert body["conflicted_advisors"] == [
        {"advisor": "Colin Conflicted", "organisations": ["Identity Vendor Ltd"]}
    ]
    decision = Decision.objects.get(uid=uid)
    publish(decision, by=c.triager)

    body = ok(api.post(f"/{uid}/options", c.architect, {"title": "Do nothing"}), 201)
    assert [o["label"] for o in body["options"]] == ["A", "B", "C"]
    assert ok(api.post(f"/{uid}/gather", c.owner, {"comment": "Go."}))["stage"] == (
        "gathering_evidence"
    )
    ok(
        api.post(
            f"/{uid}/evidence",
            c.architect,
            {"description": "Options analysis", "url": "https://example.org/options"},
        ),
        201,
    )
    body = ok(
        api.post(
            f"/{uid}/evidence",
            c.architect,
            {"description": "The register it would use", "record": evidence_record.uid},
        ),
        201,
    )
    assert [(e["description"], e["url"], e["record"]) for e in body["evidence"]] == [
        ("Options analysis", "https://example.org/options", None),
        ("The register it would use", "", evidence_record.uid),
    ]
    other = investment(c, "Consent register")
    body = ok(api.post(f"/{uid}/affects", c.architect, {"record": other.uid}), 201)
    assert set(body["affects"]) == {affected.uid, other.uid}
    body = ok(api.post(f"/{uid}/request-advice", c.owner, {"comment": "One option, please."}))
    assert body["stage"] == "advice_requested" and "recommend" not in body["actions"]
    asked = ok(api.get(f"/{uid}", c.advisor))
    assert "recommend" in asked["actions"] and asked["advice_brief"] == "One option, please."
    body = ok(
        api.post(f"/{uid}/recommendations", c.advisor, {"option": "A", "reasoning": "Cheap."}),
        201,
    )
    assert [(r["advisor"], r["option"], r["consolidated"]) for r in body["recommendations"]] == [
        ("Ada Advisor", "A", False)
    ]
    body = ok(
        api.post(
            f"/{uid}/consolidated-recommendation",
            c.chair,
            {"option": "a", "reasoning": "We agree: A."},
        ),
        201,
    )
    assert body["stage"] == "advised"
    assert (
        body["recommendations"][0]["consolidated"] and body["recommendations"][0]["option"] == "A"
    )

    opens, closes = opened(c, api, decision)
    with mock.patch("django.utils.timezone.now", return_value=opens):
        answer = ok(
            api.post(
                f"/{uid}/responses",
                c.registered,
                {"response": "B, says Rob Registered of 1 High St.", "consent_to_publish": True},
            ),
            201,
        )
        ok(
            api.post(
                f"/{uid}/responses",
                c.outsider,
                {"response": "Keep it quiet.", "consent_to_publish": False},
            ),
            201,
        )
    assert answer["kind"] == "consultation_response" and answer["status"] == "draft"
    assert answer["fields"]["response"].startswith("B, says Rob")  # its author sees it
    withheld = ConsultationResponse.objects.exclude(uid=answer["uid"]).get()

    with mock.patch("django.utils.timezone.now", return_value=closes + dt.timedelta(minutes=1)):
        triaged = ok(
            api.post(
                f"/responses/{answer['uid']}/triage",
                c.triager,
                {"publish": True, "personal_data": True, "published_text": "B, says a user."},
            )
        )
        assert triaged["status"] == "published" and triaged["redacted_fields"] == []
        ok(
            api.post(
                f"/responses/{withheld.uid}/triage",
                c.triager,
                {"publish": False, "reason": "No consent to publish."},
            )
        )
        body = ok(
            api.post(f"/{uid}/feedback-summary", c.triager, {"summary": "One for B; one withheld."})
        )
        assert body["feedback_summary"] == "One for B; one withheld."
        body = ok(
            api.post(
                f"/{uid}/decide",
                c.owner,
                {
                    "option": "B",
                    "rationale": "Resilience of the whole system.",
                    "departure": "An operated service is needed for resilience.",
                    "consequences": "A contract for an operator.",
                },
            )
        )
    assert body["stage"] == "decided" and body["chosen"] == "B"
    assert body["departs_from_advice"] is True
    assert body["departure"] == "An operated service is needed for resilience."
    body = ok(api.post(f"/{uid}/opinions", c.board, {"opinion": "A sound process."}), 201)
    assert [(o["member"], o["opinion"]) for o in body["opinions"]] == [
        ("Bea Board", "A sound process.")
    ]
    body = ok(
        api.post(
            f"/{uid}/review",
            c.board_chair,
            {"outcome": "assured_with_comments", "reasons": "Explain the cost."},
        )
    )
    assert body["stage"] == "reviewed" and body["assurance"] == "assured_with_comments"
    assert body["assurance_reasons"] == "Explain the cost."
    steps = {s["name"]: s["status"] for s in body["conformance"]}
    assert steps["Stakeholders consulted"] == steps["Departure from advice explained"] == "followed"
    assert [t["action"] for t in body["timeline"]][-1] == "decision.reviewed"

    # What the public read: the decision and its departure, the published text of the response
    # and not the respondent's words, nothing of the withheld one, no draft advice.
    public = ok(api.get(f"/{uid}"))
    assert public["departs_from_advice"] is True and public["chosen"] == "B"
    assert public["departure"] == "An operated service is needed for resilience."
    assert public["responses"] == [
        {
            "uid": answer["uid"],
            "published_text": "B, says a user.",
            "published_at": public["responses"][0]["published_at"],
        }
    ]
    assert public["responses_received"] == 2
    assert public["recommendations"] == [] and public["opinions"] == []
    assert public["actions"] == []
    assert "Rob" not in str(public) and "Keep it quiet" not in str(public)
    assert set(public["affects"]) == {affected.uid, other.uid}

    # A later decision supersedes it; each shows the other.
    later = advised(c, title="Revisit authentication")
    publish(later, by=c.triager)
    body = ok(
        api.post(
            f"/{later.uid}/decide",
            c.owner,
            {"option": "A", "rationale": "The market matured.", "supersedes": uid},
        )
    )
    assert body["supersedes"] == uid and body["departs_from_advice"] is False
    assert ok(api.get(f"/{uid}"))["superseded_by"] == later.uid


def test_a_decision_can_be_deferred_resumed_and_withdrawn(council, api):
    c = council
    decision = scheduled(c)
    ok(api.post(f"/{decision.uid}/gather", c.owner))
    until = TODAY + dt.timedelta(days=90)
    body = ok(
        api.post(
            f"/{decision.uid}/defer",
            c.portfolio,
            {"until": until.isoformat(), "reason": "Waiting for Ofgem."},
        )
    )
    assert body["stage"] == "deferred" and body["attributes"]["scheduled_on"] == until.isoformat()
    assert body["fields"]["deferral_reason"] == "Waiting for Ofgem."
    assert ok(api.post(f"/{decision.uid}/resume", c.owner))["stage"] == "gathering_evidence"
    body = ok(api.post(f"/{decision.uid}/withdraw", c.owner, {"reason": "Overtaken by events."}))
    assert body["stage"] == "withdrawn"
    assert "withdrawn" in refused(api.post(f"/{decision.uid}/resume", c.owner), 409)


def test_the_schedule_lists_upcoming_then_past_and_filters_by_stage_type_and_when(council, api):
    c = council
    soon = scheduled(c, title="Soon", scheduled_on=TODAY + dt.timedelta(days=5))
    later = scheduled(
        c, title="Later", scheduled_on=TODAY + dt.timedelta(days=50), decision_type="scope"
    )
    done = advised(c, title="Done")
    services.decide(
        decision=done, actor=c.owner, outcome=done.options.get(label="A"), rationale="A."
    )
    for d in (soon, later, done):
        publish(d, by=c.triager)
    draft = scheduled(c, title="Not yet triaged")

    everything = ok(api.get(""))
    assert [d["title"] for d in everything["items"]] == ["Soon", "Later", "Done"]
    assert everything["count"] == 3 and draft.uid not in str(everything)
    row = everything["items"][2]
    assert row["stage"] == "decided" and row["decided_on"] == TODAY.isoformat()
    assert row["url"] == f"/k/{done.uid}" and row["departs_from_advice"] is False
    assert [d["title"] for d in ok(api.get("?when=past"))["items"]] == ["Done"]
    assert [d["title"] for d in ok(api.get("?when=upcoming&type=scope"))["items"]] == ["Later"]
    assert [d["title"] for d in ok(api.get("?stage=planned"))["items"]] == ["Soon", "Later"]
    # A page across the end of the upcoming decisions and the start of the past ones.
    page = ok(api.get("?page=2&page_size=2"))
    assert [d["title"] for d in page["items"]] == ["Done"] and page["pages"] == 2
    # Staff see the draft too.
    assert "Not yet triaged" in str(ok(api.get("", c.owner)))


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("?stage=pondering", "stage"),
        ("?type=whim", "type"),
        ("?when=someday", "when"),
        ("?when=%00", "when"),
        ("?colour=blue", "colour"),
        ("?page=0", "page"),
        ("?page_size=1000", "page_size"),
    ],
)
def test_an_unknown_filter_value_is_a_422_naming_the_parameter(council, api, query, parameter):
    response = api.get(query)
    assert response.status_code == 422, response.content
    assert [e["loc"][-1] for e in response.json()["detail"]] == [parameter]


# --- Refusals: a 4xx naming the problem, and nothing kept --------------------------------------


def test_a_decision_without_a_rationale_is_refused(council, api):
    c = council
    decision = advised(c)
    before = snapshot(decision)
    detail = refused(api.post(f"/{decision.uid}/decide", c.owner, {"option": "A"}), 422)
    assert "rationale" in detail
    detail = refused(
        api.post(f"/{decision.uid}/decide", c.owner, {"option": "A", "rationale": "   "}), 422
    )
    assert "rationale for the decision" in detail
    assert snapshot(decision) == before


def test_a_departure_from_advice_without_an_explanation_is_refused(council, api):
    c = council
    decision = advised(c, option="A")
    before = snapshot(decision)
    response = api.post(
        f"/{decision.uid}/decide", c.owner, {"option": "B", "rationale": "Resilience."}
    )
    assert response.status_code == 422
    assert "advisors recommended option A" in response.json()["detail"]["departure"][0]
    assert snapshot(decision) == before


def test_only_an_advisor_recommends(council, api):
    c = council
    other = scheduled(c, title="Another")
    services.start_gathering_evidence(actor=c.owner, decision=other)
    services.add_evidence(
        actor=c.owner, decision=other, description="Study", url="https://example.org/s"
    )
    services.request_advice(actor=c.owner, decision=other)
    before = snapshot(other)
    detail = refused(
        api.post(f"/{other.uid}/recommendations", c.architect, {"option": "A", "reasoning": "A."}),
        403,
    )
    assert "Independent Technical Advisor" in detail
    assert snapshot(other) == before


def test_a_conflicted_advisor_is_refused_and_told_why(council, api):
    c = council
    decision = scheduled(c)
    services.start_gathering_evidence(actor=c.owner, decision=decision)
    services.add_evidence(
        actor=c.owner, decision=decision, description="Study", url="https://example.org/s"
    )
    services.request_advice(actor=c.owner, decision=decision)
    before = snapshot(decision)
    detail = refused(
        api.post(
            f"/{decision.uid}/recommendations", c.conflicted, {"option": "B", "reasoning": "B."}
        ),
        403,
    )
    assert "Identity Vendor Ltd" in detail and "conflicted" in detail
    assert snapshot(decision) == before and not Recommendation.objects.exists()


def test_a_consultation_that_closes_before_it_opens_is_refused(council, api):
    c = council
    decision = advised(c)
    before = snapshot(decision)
    now = timezone.now()
    response = api.post(
        f"/{decision.uid}/consultation",
        c.triager,
        {"opens": now.isoformat(), "closes": (now - dt.timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 422
    assert "close after it opens" in response.json()["detail"]["closes"][0]
    response = api.post(
        f"/{decision.uid}/consultation",
        c.triager,
        {"opens": "0001-01-01T00:00:00", "closes": (now + dt.timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 422 and "opens" in response.json()["detail"]
    assert snapshot(decision) == before


def test_a_response_at_the_close_of_the_consultation_is_refused(council, api):
    c = council
    decision = advised(c)
    publish(decision, by=c.triager)
    opens, closes = opened(c, api, decision)
    before = snapshot(decision)
    answer = {"response": "Late, but B.", "consent_to_publish": True}
    with mock.patch("django.utils.timezone.now", return_value=closes):
        detail = refused(api.post(f"/{decision.uid}/responses", c.registered, answer), 409)
    assert "closed on" in detail and "no longer accepted" in detail
    with mock.patch("django.utils.timezone.now", return_value=opens - dt.timedelta(seconds=1)):
        assert "opens on" in refused(
            api.post(f"/{decision.uid}/responses", c.registered, answer), 409
        )
    assert snapshot(decision) == before and not ConsultationResponse.objects.exists()
    with mock.patch("django.utils.timezone.now", return_value=closes - dt.timedelta(seconds=1)):
        ok(api.post(f"/{decision.uid}/responses", c.registered, answer), 201)
    assert ConsultationResponse.objects.get().state == ResponseState.RECEIVED


def test_an_option_of_another_decision_is_refused(council, api):
    c = council
    decision = advised(c)  # options A and B
    other = scheduled(c, title="Three ways")
    services.add_option(actor=c.owner, decision=other, title="A third way")  # it has a C
    before = snapshot(decision)
    response = api.post(f"/{decision.uid}/decide", c.owner, {"option": "C", "rationale": "C."})
    assert response.status_code == 422
    message = response.json()["detail"]["option"][0]
    assert "has no option “C”" in message and "A, B" in message
    response = api.post(
        f"/{decision.uid}/decide", c.owner, {"option": "A\x00", "rationale": "With a NUL."}
    )
    assert response.status_code == 422 and "option" in response.json()["detail"]
    assert snapshot(decision) == before


def test_a_record_named_in_the_body_that_cannot_be_seen_or_affected_is_a_422(council, api):
    c = council
    before = Item.objects.count()
    base = {
        "title": "T",
        "question": "Q?",
        "scheduled_on": (TODAY + dt.timedelta(days=3)).isoformat(),
    }
    response = api.post("", c.owner, {**base, "affects": ["abcdefghjk"]})
    assert response.status_code == 422
    assert "No record you can see" in response.json()["detail"]["affects"][0]
    paper = document(author=c.owner, owner=c.product, title="A paper")
    response = api.post("", c.owner, {**base, "affects": [paper.uid]})
    assert (
        response.status_code == 422 and "not a document" in response.json()["detail"]["affects"][0]
    )
    response = api.post("", c.owner, {**base, "concerns": ["no-such-organisation"]})
    assert response.status_code == 422 and "concerns" in response.json()["detail"]
    assert Item.objects.count() == before + 1  # the paper, and no decision

    decision = scheduled(c)
    before = snapshot(decision)
    response = api.post(f"/{decision.uid}/affects", c.owner, {"record": paper.uid})
    assert response.status_code == 422 and "record" in response.json()["detail"]
    response = api.post(
        f"/{decision.uid}/evidence", c.owner, {"description": "x", "record": "nothing"}
    )
    assert response.status_code == 422 and "record" in response.json()["detail"]
    assert snapshot(decision) == before


def test_a_hidden_decision_is_a_404_on_every_read_and_write(council, api):
    c = council
    decision = advised(c)  # a draft: staff see it, nobody else does
    before = snapshot(decision)
    for user in (None, c.registered, c.outsider):
        assert api.get(f"/{decision.uid}", user).status_code == 404
        assert decision.uid not in str(ok(api.get("", user)))
    writes = {
        "options": {"title": "X"},
        "evidence": {"description": "x", "url": "https://example.org"},
        "affects": {"record": decision.uid},
        "gather": {},
        "request-advice": {},
        "recommendations": {"option": "A", "reasoning": "x"},
        "consolidated-recommendation": {"option": "A", "reasoning": "x"},
        "consultation": {"opens": "2030-01-01T00:00:00", "closes": "2030-02-01T00:00:00"},
        "responses": {"response": "x", "consent_to_publish": True},
        "feedback-summary": {"summary": "x"},
        "decide": {"option": "A", "rationale": "x"},
        "defer": {"until": "2030-01-01", "reason": "x"},
        "resume": {},
        "withdraw": {"reason": "x"},
        "opinions": {"opinion": "x"},
        "review": {"outcome": "assured"},
    }
    for step, data in writes.items():
        for user in (c.registered, c.outsider):
            response = api.post(f"/{decision.uid}/{step}", user, data)
            assert response.status_code == 404, (step, response.content)
            assert response.json() == {"detail": "Not found"}
    assert snapshot(decision) == before
    assert api.get("/not-a-uid").status_code == 404
    assert api.post("/responses/abcdefghjk/triage", c.triager, {"publish": True}).status_code == 404


def test_writing_needs_a_token_and_a_role(council, api):
    c = council
    decision = scheduled(c)
    publish(decision, by=c.triager)
    response = Client().post(
        f"/api/v1/decisions/{decision.uid}/gather", {}, content_type="application/json"
    )
    assert response.status_code == 401
    assert "Product Team" in refused(
        api.post(
            "", c.registered, {"title": "T", "question": "Q?", "scheduled_on": TODAY.isoformat()}
        ),
        403,
    )
    assert "staff" in refused(api.post(f"/{decision.uid}/gather", c.registered), 403)


def test_redacted_text_fields_of_a_decision_are_redacted_for_the_public(council, api):
    c = council
    decision = advised(c)
    services.decide(
        decision=decision,
        actor=c.owner,
        outcome=decision.options.get(label="A"),
        rationale="The vendor's price list says so.",
    )
    publish(
        decision,
        by=c.triager,
        redacted_fields=["rationale"],
        sensitivities=[
            {"category": "commercial", "finding": "A price list.", "mitigation": "redact"}
        ],
    )
    public = ok(api.get(f"/{decision.uid}"))
    assert public["rationale"] == public["fields"]["rationale"] == REDACTED
    assert "price list says" not in str(public)
    assert ok(api.get(f"/{decision.uid}", c.owner))["rationale"].startswith("The vendor's")


# --- Whatever is sent, never a server error ----------------------------------------------------

BODY_FIELDS = sorted(
    {"title", "question", "context", "summary", "type", "scheduled_on", "options", "affects"}
    | {"concerns", "owner", "description", "url", "record", "comment", "option", "reasoning"}
    | {"opens", "closes", "response", "consent_to_publish", "publish", "personal_data"}
    | {"published_text", "reason", "rationale", "departure", "consequences", "supersedes"}
    | {"until", "opinion", "outcome", "reasons"}
)
SOON = (TODAY + dt.timedelta(days=9)).isoformat()
# A body each step would accept at the right stage from the right person: the fuzz changes some of
# its fields, so that requests reach the services rather than stopping at the schema.
BODIES = {
    "": {"title": "T", "question": "Q?", "scheduled_on": SOON, "options": [{"title": "X"}]},
    "/options": {"title": "Another way"},
    "/evidence": {"description": "A study", "url": "https://example.org/s"},
    "/affects": {"record": "the uid of an investment"},
    "/gather": {},
    "/request-advice": {},
    "/recommendations": {"option": "A", "reasoning": "Cheap."},
    "/consolidated-recommendation": {"option": "A", "reasoning": "Agreed."},
    "/consultation": {"opens": "2030-01-01T09:00:00", "closes": "2030-02-01T09:00:00Z"},
    "/responses": {"response": "B.", "consent_to_publish": True},
    "/feedback-summary": {"summary": "Little feedback."},
    "/decide": {"option": "B", "rationale": "Because.", "departure": ""},
    "/defer": {"until": SOON, "reason": "Waiting."},
    "/resume": {},
    "/withdraw": {"reason": "Overtaken."},
    "/opinions": {"opinion": "Fine."},
    "/review": {"outcome": "assured", "reasons": ""},
    "triage": {"publish": True},
}
# Values that reach further than random ones: labels, dates, moments at the calendar's edges.
likely = st.sampled_from(
    [
        *("A", "b", "Z", "", "assured", "https://example.org"),
        *("2030-01-01", "0001-01-01", "2030-01-01T09:00:00"),
        *("9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+05:00"),
    ]
)


def written() -> tuple:
    """Everything a refused request must leave as it was."""
    return (
        AuditEvent.objects.count(),
        Item.objects.count(),
        Option.objects.count(),
        Evidence.objects.count(),
        sorted(Decision.objects.values_list("pk", "version", "stage")),
        sorted(ConsultationResponse.objects.values_list("pk", "state")),
    )


@pytest.fixture
def fuzzed(council, api):
    """Published decisions at each stage (one in consultation, with a response waiting), an
    affectable record, and the tokens of everyone who acts on them."""
    c = council
    planned = scheduled(c, title="Planned")
    gathering = scheduled(c, title="Gathering")
    services.start_gathering_evidence(actor=c.owner, decision=gathering)
    asked = scheduled(c, title="Asked")
    services.start_gathering_evidence(actor=c.owner, decision=asked)
    services.add_evidence(actor=c.owner, decision=asked, description="S", url="https://e.org")
    services.request_advice(actor=c.owner, decision=asked)
    consulting, decided = advised(c, title="Consulting"), advised(c, title="Decided")
    services.decide(
        decision=decided, actor=c.owner, outcome=decided.options.get(label="A"), rationale="A."
    )
    for d in (planned, gathering, asked, consulting, decided):
        publish(d, by=c.triager)
    now = timezone.now()
    services.open_consultation(
        actor=c.triager, decision=consulting, opens=now, closes=now + dt.timedelta(days=7)
    )
    answer = services.respond(
        actor=c.registered, decision=consulting, response="B.", consent_to_publish=True
    )
    people = [c.owner, c.portfolio, c.architect, c.advisor, c.chair, c.triager, c.board]
    people += [c.board_chair, c.registered, c.conflicted]
    for user in people:
        api.headers(user)
    bodies = {**BODIES, "/affects": {"record": investment(c).uid}}
    return [planned, gathering, asked, consulting, decided], answer, people, bodies


@given(
    step=st.sampled_from(sorted(BODIES)),
    which=st.integers(min_value=0, max_value=4),
    who=st.integers(min_value=0, max_value=9),
    changes=st.dictionaries(st.sampled_from(BODY_FIELDS), json_values | likely, max_size=4),
    uid=st.none() | st.text(max_size=12),
)
@settings(
    max_examples=250,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
def test_no_body_sent_to_a_decision_is_a_server_error(api, fuzzed, step, which, who, changes, uid):
    decisions, answer, people, bodies = fuzzed
    target = quote(uid, safe="") if uid is not None else None
    if step == "triage":
        path = f"/responses/{target or answer.uid}/triage"
    else:
        path = f"/{target or decisions[which].uid}{step}" if step else ""
    before = written()
    response = api.post(path, people[who], {**bodies[step], **changes})
    assert response.status_code < 500, (path, changes, response.content)
    if response.status_code >= 400:
        assert written() == before, (path, changes, response.content)
        assert response.json()["detail"]


@given(
    query=st.dictionaries(
        st.sampled_from(["stage", "type", "when", "page", "page_size", "other"]),
        st.text(max_size=8) | st.sampled_from(["planned", "scope", "past", "2", "-1"]),
        max_size=4,
    )
)
@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
def test_no_query_of_the_schedule_is_a_server_error(api, fuzzed, query):
    response = Client().get("/api/v1/decisions", query)
    assert response.status_code in (200, 422), (query, response.content)


def test_the_responses_to_a_decision_keep_their_kinds_visibility(council, api):
    """The triage endpoint publishes a response openly, as the service sets it."""
    c = council
    decision = advised(c)
    publish(decision, by=c.triager)
    opens, _ = opened(c, api, decision)
    with mock.patch("django.utils.timezone.now", return_value=opens):
        answer = ok(
            api.post(
                f"/{decision.uid}/responses",
                c.registered,
                {"response": "Yes.", "consent_to_publish": True},
            ),
            201,
        )
    ok(api.post(f"/responses/{answer['uid']}/triage", c.triager, {"publish": True}))
    assert Item.objects.get(uid=answer["uid"]).visibility == Visibility.OPEN
    assert refused(
        api.post(f"/responses/{answer['uid']}/triage", c.triager, {"publish": True}), 409
    ).startswith("This response was already triaged")


def test_reading_a_decision_costs_the_same_queries_however_many_responses_it_has(council, api):
    c = council
    decision = advised(c)
    publish(decision, by=c.triager)
    opens, _ = opened(c, api, decision)

    def respond_and_publish(n: int) -> None:
        for i in range(n):
            with mock.patch("django.utils.timezone.now", return_value=opens):
                answer = services.respond(
                    actor=person(full_name=f"Respondent {i}"),
                    decision=decision,
                    response=f"Response {i}.",
                    consent_to_publish=True,
                )
            services.triage_response(actor=c.triager, response=answer, publish=True)

    def queries() -> int:
        api.get("", c.registered)  # the token made, and its first use recorded, before counting
        with CaptureQueriesContext(connection) as captured:
            ok(api.get(f"/{decision.uid}", c.registered))
        return len(captured)

    respond_and_publish(1)
    one = queries()
    respond_and_publish(3)
    assert queries() == one
    assert len(ok(api.get(f"/{decision.uid}"))["responses"]) == 4


# --- Research & Engagement's queue of responses to triage --------------------------------------


def test_research_and_engagement_read_the_responses_waiting_for_triage(council, api):
    c = council
    decision = advised(c)
    publish(decision, by=c.triager)
    opens, _ = opened(c, api, decision)
    answers = []
    for i, consent in enumerate((True, False, True)):
        with mock.patch("django.utils.timezone.now", return_value=opens + dt.timedelta(minutes=i)):
            answers.append(
                services.respond(
                    actor=person(full_name=f"Respondent {i}"),
                    decision=decision,
                    response=f"Response {i}: my email is r{i}@example.org.",
                    consent_to_publish=consent,
                )
            )
    services.triage_response(actor=c.triager, response=answers[0], publish=True)

    queue = ok(api.get("/responses", c.triager))
    # Triaged responses leave the queue; the rest wait, oldest first, with the words to triage.
    assert queue["count"] == 2 and queue["pages"] == 1
    assert [r["uid"] for r in queue["items"]] == [answers[1].uid, answers[2].uid]
    first = queue["items"][0]
    assert first["decision"] == decision.uid and first["decision_title"] == decision.title
    assert first["response"] == "Response 1: my email is r1@example.org."
    assert first["consent_to_publish"] is False
    assert first["triage_url"] == f"/k/{answers[1].uid}/triage-response"
    assert client_for(c.triager).get(first["triage_url"]).status_code == 200

    second_page = ok(api.get("/responses?page=2&page_size=1", c.triager))
    assert second_page["pages"] == 2 and [r["uid"] for r in second_page["items"]] == [
        answers[2].uid
    ]
    assert ok(api.get("/responses?page=3&page_size=1", c.triager))["items"] == []


def test_only_research_and_engagement_read_the_triage_queue(council, api):
    c = council
    decision = advised(c)
    publish(decision, by=c.triager)
    opens, _ = opened(c, api, decision)
    with mock.patch("django.utils.timezone.now", return_value=opens):
        services.respond(
            actor=c.registered, decision=decision, response="Mine.", consent_to_publish=True
        )
    for user in (c.registered, c.owner, c.advisor, c.board):
        detail = refused(api.get("/responses", user), 403)
        assert detail == "Only Research & Engagement triage consultation responses."
    assert api.get("/responses").status_code == 401


@pytest.mark.parametrize(
    "query, parameter",
    [("?page=0", "page"), ("?page_size=500", "page_size"), ("?stage=planned", "stage")],
)
def test_a_bad_query_of_the_triage_queue_is_a_422_naming_it(council, api, query, parameter):
    response = api.get(f"/responses{query}", council.triager)
    assert response.status_code == 422, response.content
    assert parameter in str(response.json())
