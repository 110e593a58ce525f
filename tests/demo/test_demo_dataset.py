"""The demo dataset: the Orchestrator as the report describes it, and nothing hidden leaks from it."""

from __future__ import annotations

import pytest
from django.test import Client

from orchestrator.core import audit
from orchestrator.core.models import Item, Status, Visibility
from orchestrator.demo import loader
from orchestrator.people.models import Role

from ..conftest import client_for


@pytest.fixture
def demo(db):
    return loader.load()


def test_the_demo_has_every_role_and_meets_the_governance_constraints(demo):
    roles = {s.role.removesuffix(" (chair)") for s in demo}
    assert {label for value, label in Role.choices} <= roles | {"Registered stakeholder"}
    text = Client().get("/governance").text
    assert "Breach" not in text and text.count("Met") >= 6


def test_the_demo_has_records_at_every_level_drafts_among_them_each_triaged(demo):
    published = Item.objects.exclude(status=Status.DRAFT)
    assert set(published.values_list("visibility", flat=True)) == set(Visibility.values)
    assert Item.objects.filter(status=Status.DRAFT).exists()
    assert not published.filter(current_triage__isnull=True).exists()
    titles = set(Item.objects.values_list("title", flat=True))
    for subject in (
        "Data Sharing Infrastructure",
        "Automatic Asset Registration",
        "Authentication Service",
    ):
        assert any(subject in t for t in titles)


def test_no_record_that_is_not_open_and_published_reaches_an_anonymous_visitor(demo):
    client = Client()
    listed, page, pages = set(), 1, 1
    while page <= pages:
        found = client.get(f"/api/v1/items?page_size=100&page={page}").json()
        listed |= {row["uid"] for row in found["items"]}
        page, pages = page + 1, found["pages"]
    for item in Item.objects.all():
        public = item.visibility == Visibility.OPEN and item.status != Status.DRAFT
        assert (client.get(f"/k/{item.uid}").status_code == 200) == public, item.title
        assert (client.get(f"/api/v1/items/{item.uid}").status_code == 200) == public, item.title
        assert (item.uid in listed) == public, item.title


def test_the_demo_audit_chain_verifies(demo):
    assert audit.verify().ok


def test_the_demo_pages_answer_for_each_sign_in(demo):
    from orchestrator.people.models import User

    for sign_in in demo[:3] + demo[-3:]:
        client = client_for(User.objects.get(email=sign_in.email))
        for path in ("/", "/withheld", "/audit", "/governance", "/account"):
            assert client.get(path).status_code == 200, (sign_in.role, path)


def test_the_demo_has_topics_submissions_in_every_state_and_followers(demo):
    from orchestrator.core.models import Follow, Topic
    from orchestrator.engagement.models import State, Submission

    assert Topic.objects.filter(filings__isnull=False).distinct().count() >= 3
    states = set(Submission.objects.values_list("state", flat=True))
    assert states == set(State.values)
    # A resolved submission with personal data in it is published with its text redacted.
    redacted = [
        s
        for s in Submission.objects.select_related("current_triage")
        if s.current_triage and "body" in s.current_triage.redacted_fields
    ]
    assert redacted
    client = Client()
    for submission in redacted:
        assert submission.body not in client.get(submission.get_absolute_url()).content.decode()
    assert Follow.objects.values("user").distinct().count() >= 3


def test_the_demo_has_the_dsi_enterprise_architecture_as_is_and_to_be(demo):
    from orchestrator.architecture.models import ArchitectureModel, StateKind

    model = ArchitectureModel.objects.get(identifier="energy-data-ea")
    assert set(model.states.values_list("kind", flat=True)) == set(StateKind.values)
    kinds = set(model.elements.values_list("kind", flat=True))
    assert {"element", "principle", "constraint", "requirement"} <= kinds
    names = set(model.elements.values_list("title", flat=True))
    assert {"Prepare data", "Trust data", "Share data", "Data catalogue"} <= names
    assert "Identity and authentication service" in names
    page = Client().get("/architecture").text
    assert "Identity and authentication service" in page and "Left to the market" in page
    gap = Client().get(f"/k/{model.uid}/gap").text
    assert "Bilateral data exchange agreements" in gap.split('id="removed"')[1]


def test_the_demo_has_a_solution_architecture_part_way_through_sign_off(demo):
    from orchestrator.architecture.models import SignOff, SolutionArchitecture

    solution = SolutionArchitecture.objects.get()
    assert solution.sign_off == SignOff.CHANGES_REQUESTED
    assert solution.design_body.name == "VirtualES Programme"
    page = Client().get(solution.get_absolute_url()).text
    assert "Changes requested" in page and "99.9" in page
    assert "Participant onboarding portal" in page


# --- Decisions ---------------------------------------------------------------------------------


def _decision(title: str):
    from orchestrator.decisions.models import Decision

    return Decision.objects.get(title=title)


AUTH = "Authentication Service: open-source pattern (scenario A) or operated service (scenario B)?"
DSI = "Is the Data Sharing Infrastructure shared digital infrastructure?"
AAR = "Who delivers Automatic Asset Registration?"


def test_the_public_schedule_has_a_decision_at_every_stage_of_the_process(demo):
    from orchestrator.decisions import selectors
    from orchestrator.decisions.models import Stage

    upcoming, past = selectors.schedule(None)
    assert {d.stage for d in [*upcoming, *past]} == set(Stage.values)
    deferred = upcoming.get(stage=Stage.DEFERRED)
    assert deferred.deferral_reason and deferred.scheduled_on > deferred.first_scheduled_on
    withdrawn = past.get(stage=Stage.WITHDRAWN)
    assert "Ofgem" in withdrawn.withdrawal_reason
    later = past.get(supersedes__isnull=False)
    assert later.supersedes.title == "How do the first DSI participants authenticate?"
    assert later.supersedes.stage == Stage.REVIEWED
    # Every decision taken has its rationale; the measures show the slip from the planned dates.
    assert all(d.rationale for d in past if d.stage != Stage.WITHDRAWN)
    measures = {m.name: m for m in selectors.decision_measures(None)}
    explained = measures["Departures from advice explained"]
    assert explained.numerator == explained.denominator >= 1
    slip = measures["Median slip between the scheduled and actual decision date"]
    assert slip.percent not in ("—", "0 days")


def test_the_product_team_explain_their_departure_from_the_advisors_recommendation(demo):
    from orchestrator.decisions import selectors

    auth = _decision(AUTH)
    panel = selectors.decision_panel(None, auth)
    assert panel["consolidated"].option.label == "A"
    assert panel["chosen"].label == "B" and auth.departs_from_advice
    assert auth.stage == "decided" and panel["opinions"]  # awaiting the Board's review
    twin = Client().get(f"/api/v1/items/{auth.uid}").json()
    assert "resilience of the whole energy system" in twin["fields"]["departure"]
    steps = {s.name: s.status for s in panel["conformance"]}
    assert steps["Departure from advice explained"] == "followed"
    assert steps["The Board's assurance"] == "pending"


def test_an_advisor_with_a_declared_interest_is_shown_conflicted_and_does_not_advise(demo):
    from orchestrator.decisions import selectors

    auth = _decision(AUTH)
    conflicted = selectors.conflicted_advisors(None, auth)
    assert [(c.advisor, c.organisations) for c in conflicted] == [
        ("Colin MacLeod", ["Open Identity Cooperative"])
    ]
    advisors = {r.advisor.full_name for r in selectors.decision_panel(None, auth)["advice"]}
    assert len(advisors) == 4 and "Colin MacLeod" not in advisors
    # His declaration in the public register of interests names the organisation.
    from orchestrator.people.models import Declaration

    declaration = Declaration.objects.get(appointment__user__full_name="Colin MacLeod")
    assert list(declaration.organisations.values_list("name", flat=True)) == [
        "Open Identity Cooperative"
    ]
    assert "Open Identity Cooperative" in Client().get(declaration.get_absolute_url()).text


def test_the_asset_registration_consultation_is_open_with_one_response_published(demo):
    import datetime as dt

    from django.utils import timezone

    from orchestrator.decisions import selectors
    from orchestrator.decisions.models import ConsultationResponse, ResponseState
    from orchestrator.people.models import User

    aar = _decision(AAR)
    assert aar.stage == "consultation"
    assert dt.timedelta(days=20) < aar.consultation_closes - timezone.now() < dt.timedelta(days=22)
    stakeholder = User.objects.get(email__startswith="stakeholder@")
    assert selectors.actions_for(stakeholder, aar)["respond"]
    published, waiting = ConsultationResponse.objects.filter(for_decision=aar).order_by("pk")
    assert published.state == ResponseState.PUBLISHED
    assert waiting.state == ResponseState.RECEIVED
    # The public read the response with its author's name and telephone number taken out.
    twin = Client().get(f"/api/v1/items/{published.uid}").json()
    assert "07700" not in str(twin) and "Jo Stakeholder" not in str(twin)
    assert "key every asset in twice" in twin["fields"]["published_text"]
    assert Client().get(f"/api/v1/items/{waiting.uid}").status_code == 404
    research = User.objects.get(email__startswith="research@")
    assert list(selectors.responses_to_triage(research)) == [waiting]


def test_designations_name_decisions_that_have_been_taken(demo):
    from orchestrator.architecture.models import Element
    from orchestrator.decisions.selectors import is_decided
    from orchestrator.planning.models import Investment, PlanVersion

    scope = _decision(DSI)
    assert scope.stage == "reviewed" and scope.assurance == "assured"
    assert scope.opinions.count() == 2
    designated = [
        *Investment.objects.exclude(designated_by=None),
        *Element.objects.exclude(designated_by=None),
    ]
    assert designated and all(is_decided(d.designated_by) for d in designated)
    assert {d.designated_by_id for d in designated} == {scope.pk}
    dsi = Investment.objects.get(title="Data Sharing Infrastructure")
    assert dsi.designated_sdi and dsi.designated_by_id == scope.pk
    assert {"Data catalogue", "Identity and authentication service"} <= {
        e.title for e in designated if getattr(e, "sdi_designation", "") == "shared"
    }
    # The plan's first version was made after the decision, so it shows the DSI designated.
    first = PlanVersion.objects.order_by("number").first()
    assert first.snapshot["investments"][dsi.uid]["designated_sdi"] is True
