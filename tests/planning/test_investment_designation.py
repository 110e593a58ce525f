"""Designating an investment on its page and through the API, as an architecture element is: the
Product Team name a decision that has been taken; anyone else is refused, and what they cannot see is
not there."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from orchestrator.core.models import AuditEvent
from orchestrator.planning import services

from ..api.test_api import _bearer
from ..conftest import client_for
from ..factories import UserFactory, decided
from .test_plan import _investment, _open, _question, investment, portfolio  # noqa: F401  (fixtures)


def _page(record) -> str:
    return f"/k/{record.uid}/designate-investment"


def _api(record) -> str:
    return f"/api/v1/investments/{record.uid}/designation"


def _post_api(user, record, data):
    return Client().post(
        _api(record), json.dumps(data), content_type="application/json", **_bearer(user)
    )


def _unchanged(record) -> None:
    record.refresh_from_db()
    assert not (record.designated_sdi or record.left_to_market)
    assert record.designated_by is None
    assert not AuditEvent.objects.filter(action="investment.designated").exists()


@pytest.fixture
def admin(db):
    # A superuser with no appointment: may designate, but is not staff, so closed records are hidden.
    return UserFactory(is_superuser=True)


@pytest.fixture
def hidden(world, portfolio):  # noqa: F811
    """A closed investment: only staff may see it."""
    return _open(world, _investment(world, portfolio, title="Substation telemetry"), "closed")


# --- The page ----------------------------------------------------------------------------------


def test_the_product_team_designate_an_investment_on_its_page(world, investment):  # noqa: F811
    owner = world.people["staff"]
    client = client_for(owner)
    record = client.get(investment.get_absolute_url()).content.decode()
    assert _page(investment) in record and "Change<span" in record
    form = client.get(_page(investment))
    assert form.status_code == 200
    assert form.context["form"].initial == {"designation": "undecided", "decision": ""}

    shared = decided(owner=owner, by=world.people["triager"])
    page = client.post(_page(investment), {"designation": "shared", "decision": shared.uid})
    assert page.status_code == 302 and page.url == investment.get_absolute_url()
    investment.refresh_from_db()
    assert investment.designated_sdi and investment.designated_by_id == shared.pk
    record = client_for(None).get(investment.get_absolute_url()).content.decode()
    assert "Designated by" in record and shared.title in record
    event = AuditEvent.objects.get(action="investment.designated", item_uid=investment.uid)
    assert event.data == {"designation": "shared", "decision": shared.uid}
    # The form starts from the designation as it is now.
    initial = client.get(_page(investment)).context["form"].initial
    assert initial == {"designation": "shared", "decision": shared.uid}


def test_the_change_link_shows_only_to_those_who_may_designate(world, portfolio, investment):  # noqa: F811
    for user in (None, portfolio, world.people["registered"]):
        record = client_for(user).get(investment.get_absolute_url()).content.decode()
        assert _page(investment) not in record


def test_undecided_clears_the_designation_on_the_page(world, investment):  # noqa: F811
    owner = world.people["staff"]
    market = decided(owner=owner, by=world.people["triager"], title="Leave it to the market")
    client = client_for(owner)
    client.post(_page(investment), {"designation": "market", "decision": market.uid})
    investment.refresh_from_db()
    assert investment.left_to_market and investment.designated_by_id == market.pk
    page = client.post(_page(investment), {"designation": "undecided", "decision": ""})
    assert page.status_code == 302
    investment.refresh_from_db()
    assert not (investment.designated_sdi or investment.left_to_market)
    assert investment.designated_by is None
    assert "Not designated" in client_for(None).get(investment.get_absolute_url()).text


def test_clearing_a_designation_names_no_decision_in_the_audit(world, investment):  # noqa: F811
    owner = world.people["staff"]
    shared = decided(owner=owner, by=world.people["triager"])
    services.designate_investment(
        actor=owner, investment=investment, designation="shared", decision=shared
    )
    # A decision passed with `undecided` is not stored, so the audit must not say it was.
    services.designate_investment(
        actor=owner, investment=investment, designation="undecided", decision=shared
    )
    cleared = AuditEvent.objects.filter(action="investment.designated").order_by("seq").last()
    assert cleared.data == {"designation": "undecided", "decision": None}


def test_the_page_says_when_the_designating_decision_is_hidden(world, investment):  # noqa: F811
    owner = world.people["staff"]
    closed = decided(owner=owner, by=world.people["triager"], outcome="closed")
    services.designate_investment(
        actor=owner, investment=investment, designation="shared", decision=closed
    )
    public = client_for(None).get(investment.get_absolute_url()).content.decode()
    assert "Designated by a decision you cannot see" in public
    assert closed.title not in public and closed.get_absolute_url() not in public
    staff = client_for(owner).get(investment.get_absolute_url()).content.decode()
    assert closed.title in staff and "you cannot see" not in staff


def test_a_portfolio_manager_may_not_designate(world, portfolio, investment):  # noqa: F811
    shared = decided(owner=world.people["staff"], by=world.people["triager"])
    client = client_for(portfolio)
    assert client.get(_page(investment)).status_code == 403
    page = client.post(_page(investment), {"designation": "shared", "decision": shared.uid})
    assert page.status_code == 403
    response = _post_api(portfolio, investment, {"designation": "shared", "decision": shared.uid})
    assert response.status_code == 403
    assert "Only the Product Team" in response.json()["detail"]
    _unchanged(investment)


def test_an_investment_the_user_cannot_see_is_not_there(world, admin, hidden):
    shared = decided(owner=world.people["staff"], by=world.people["triager"])
    data = {"designation": "shared", "decision": shared.uid}
    for user in (admin, world.people["outsider"]):
        client = client_for(user)
        assert client.get(_page(hidden)).status_code == 404
        assert client.post(_page(hidden), data).status_code == 404
        assert _post_api(user, hidden, data).status_code == 404
    _unchanged(hidden)


def test_the_form_says_when_no_decision_it_can_see_has_the_identifier(world, admin, investment):  # noqa: F811
    closed = decided(owner=world.people["staff"], by=world.people["triager"], outcome="closed")
    for user, uid in ((world.people["staff"], "nope"), (admin, closed.uid)):
        page = client_for(user).post(_page(investment), {"designation": "shared", "decision": uid})
        assert page.status_code == 400
        text = page.content.decode()
        assert "There is a problem" in text
        assert "No decision you can see has that identifier." in text
    _unchanged(investment)


def test_the_form_says_the_decision_named_is_not_yet_taken(world, investment):  # noqa: F811
    planned = _question(world)
    page = client_for(world.people["staff"]).post(
        _page(investment), {"designation": "shared", "decision": planned.uid}
    )
    assert page.status_code == 400
    assert (
        "Name a decision that has been taken: “Is the catalogue shared digital infrastructure?” "
        "is planned, not yet decided."
    ) in page.content.decode()
    _unchanged(investment)


def test_the_form_needs_a_decision_unless_undecided(world, investment):  # noqa: F811
    page = client_for(world.people["staff"]).post(
        _page(investment), {"designation": "market", "decision": ""}
    )
    assert page.status_code == 400
    assert "Name the decision that designated it." in page.content.decode()
    page = client_for(world.people["staff"]).post(
        _page(investment), {"designation": "yes", "decision": ""}
    )
    assert page.status_code == 400
    _unchanged(investment)


# --- The API -----------------------------------------------------------------------------------


def test_the_product_team_designate_an_investment_through_the_api(world, investment):  # noqa: F811
    owner = world.people["staff"]
    shared = decided(owner=owner, by=world.people["triager"])
    response = _post_api(owner, investment, {"designation": "shared", "decision": shared.uid})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["uid"] == investment.uid and data["kind"] == "investment"
    assert data["attributes"]["designated_sdi"] is True
    assert data["attributes"]["left_to_market"] is False
    investment.refresh_from_db()
    assert investment.designated_by_id == shared.pk
    event = AuditEvent.objects.get(action="investment.designated", item_uid=investment.uid)
    assert event.data == {"designation": "shared", "decision": shared.uid}

    response = _post_api(owner, investment, {"designation": "undecided"})
    assert response.status_code == 200, response.content
    assert response.json()["attributes"]["designated_sdi"] is False
    investment.refresh_from_db()
    assert investment.designated_by is None


def test_a_decision_the_caller_cannot_see_is_a_404_in_the_api(world, admin, investment):  # noqa: F811
    closed = decided(owner=world.people["staff"], by=world.people["triager"], outcome="closed")
    for user, uid in ((world.people["staff"], "nope"), (admin, closed.uid)):
        response = _post_api(user, investment, {"designation": "shared", "decision": uid})
        assert response.status_code == 404
    _unchanged(investment)


def test_a_decision_not_yet_taken_is_a_422_naming_it_in_the_api(world, investment):  # noqa: F811
    planned = _question(world)
    owner = world.people["staff"]
    response = _post_api(owner, investment, {"designation": "shared", "decision": planned.uid})
    assert response.status_code == 422
    assert response.json()["detail"] == {
        "designated_by": [
            "Name a decision that has been taken: “Is the catalogue shared digital "
            "infrastructure?” is planned, not yet decided."
        ]
    }
    response = _post_api(owner, investment, {"designation": "market"})
    assert response.status_code == 422
    assert "designated_by" in response.json()["detail"]
    _unchanged(investment)


def test_the_api_schema_has_one_designation_body(db):
    schema = Client().get("/api/v1/openapi.json").json()
    assert "DesignationIn" in schema["components"]["schemas"]
    for path in (
        "/api/v1/investments/{uid}/designation",
        "/api/v1/architecture/elements/{uid}/designation",
    ):
        body = schema["paths"][path]["post"]["requestBody"]["content"]["application/json"]
        assert body["schema"] == {"$ref": "#/components/schemas/DesignationIn"}
