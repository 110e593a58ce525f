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
    listed = {row["uid"] for row in client.get("/api/v1/items?page_size=100").json()["items"]}
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
