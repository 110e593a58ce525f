"""The architecture's own pages: /architecture, element and model pages, gap analysis and the forms."""

from __future__ import annotations

import datetime as dt

import pytest

from orchestrator.architecture import services
from orchestrator.architecture.models import Element, Relationship, SdiDesignation, StateKind
from orchestrator.core.models import Visibility

from ..conftest import client_for
from ..factories import decided, publish


@pytest.fixture
def dsi(estate, world):
    return build_dsi(estate.architect, estate.model, world)


def build_dsi(a, model, world) -> dict:
    """A published model with an as-is and a to-be, a shared catalogue, and one closed element."""
    triager = world.people["triager"]
    publish(model, by=triager)

    def element(type_, title, outcome=Visibility.OPEN):
        e = services.create_element(actor=a, model=model, archimate_type=type_, title=title)
        publish(e, by=triager, outcome=outcome)
        return Element.objects.get(pk=e.pk)

    catalogue = element("ApplicationComponent", "Data catalogue")
    search = element("ApplicationService", "Dataset search")
    registry = element("ApplicationComponent", "Asset registry")
    secret = element("Node", "Substation telemetry gateway", Visibility.CLOSED)
    r1 = services.relate(actor=a, source=catalogue, target=search, type="Serving")
    r2 = services.relate(actor=a, source=secret, target=catalogue, type="Serving")
    as_is = services.create_state(actor=a, model=model, name="As-is", kind=StateKind.BASELINE)
    to_be = services.create_state(actor=a, model=model, name="To-be", kind=StateKind.TARGET)
    services.place_in_state(actor=a, state=as_is, elements=[catalogue, secret], relationships=[r2])
    services.place_in_state(
        actor=a, state=to_be, elements=[catalogue, search, registry], relationships=[r1]
    )
    services.designate(
        actor=world.people["staff"],
        element=catalogue,
        designation=SdiDesignation.SHARED,
        decision=decided(owner=world.people["staff"], by=triager),
    )
    return {
        "model": model,
        "architect": a,
        "catalogue": catalogue,
        "search": search,
        "registry": registry,
        "secret": secret,
        "as_is": as_is,
        "to_be": to_be,
    }


def test_the_element_page_shows_relationships_states_and_designation(dsi, world):
    page = client_for(None).get(dsi["catalogue"].get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert "Dataset search" in text and "Shared digital infrastructure" in text
    # The closed gateway serves the catalogue, but anonymous visitors never learn of it.
    assert "Substation telemetry gateway" not in text
    staff = client_for(world.people["staff"]).get(dsi["catalogue"].get_absolute_url())
    assert "Substation telemetry gateway" in staff.content.decode()


def test_the_architecture_page_shows_the_shared_estate_as_is_and_to_be(dsi):
    page = client_for(None).get("/architecture")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Data catalogue" in text and "Exists" in text and "Planned" in text
    assert "Substation telemetry gateway" not in text


def test_gap_analysis_lists_what_is_added_removed_and_changed(dsi, world):
    url = f"/k/{dsi['model'].uid}/gap?before={dsi['as_is'].pk}&after={dsi['to_be'].pk}"
    text = client_for(None).get(url).content.decode()
    added = text.split('id="added"')[1].split('id="removed"')[0]
    assert "Dataset search" in added and "Asset registry" in added
    changed = text.split('id="changed"')[1].split('id="relationships"')[0]
    assert "Data catalogue" in changed and "gains" in changed
    # Staff see the gateway removed; anonymous visitors see nothing of it.
    assert "Substation telemetry gateway" not in text
    staff = client_for(world.people["staff"]).get(url).content.decode()
    removed = staff.split('id="removed"')[1].split('id="changed"')[0]
    assert "Substation telemetry gateway" in removed


@pytest.mark.parametrize("param", ["before=abc", "before=99999", "after=%00", "before=²"])
def test_a_bad_state_is_a_400_naming_it(dsi, param):
    page = client_for(None).get(f"/k/{dsi['model'].uid}/gap?{param}")
    assert page.status_code == 400
    assert "Choose one of the model&#x27;s states" in page.content.decode()


def test_an_architect_adds_an_element_and_a_forbidden_relationship_is_explained(dsi, estate):
    client = client_for(estate.architect)
    page = client.post(
        f"/k/{dsi['model'].uid}/elements/new",
        {"archimate_type": "Goal", "title": "Consumers trust shared data", "summary": "A goal"},
    )
    assert page.status_code == 302
    goal = Element.objects.get(title="Consumers trust shared data")
    page = client.post(
        f"/k/{goal.uid}/relationships/new", {"type": "Access", "target": dsi["catalogue"].uid}
    )
    assert page.status_code == 400
    assert "Access goes from behaviour or active structure" in page.content.decode()
    assert not Relationship.objects.filter(source=goal).exists()


def test_an_unknown_type_is_refused_on_the_form(dsi, estate):
    page = client_for(estate.architect).post(
        f"/k/{dsi['model'].uid}/elements/new", {"archimate_type": "Spaceship", "title": "X"}
    )
    assert page.status_code == 400
    assert not Element.objects.filter(title="X").exists()


def test_others_may_not_change_the_enterprise_architecture(dsi, world):
    client = client_for(world.people["member"])
    assert client.get(f"/k/{dsi['model'].uid}/elements/new").status_code == 403
    assert client.post(f"/k/{dsi['catalogue'].uid}/states", {"states": []}).status_code == 403


def test_states_are_set_from_the_element_page(dsi, estate):
    client = client_for(estate.architect)
    registry = dsi["registry"]
    page = client.post(f"/k/{registry.uid}/states", {"states": [dsi["as_is"].pk, dsi["to_be"].pk]})
    assert page.status_code == 302
    assert set(registry.states.values_list("name", flat=True)) == {"As-is", "To-be"}
    page = client.post(f"/k/{registry.uid}/states", {"states": ["x"]})
    assert page.status_code == 400


def test_designation_needs_the_product_team_and_a_decision(dsi, world, estate):
    assert client_for(estate.architect).get(f"/k/{dsi['search'].uid}/designate").status_code == 403
    page = client_for(world.people["staff"]).post(
        f"/k/{dsi['search'].uid}/designate", {"designation": SdiDesignation.MARKET, "decision": ""}
    )
    assert page.status_code == 400
    assert "Name the decision" in page.content.decode()


def _planned(world):
    from orchestrator.decisions import services as decisions

    return decisions.schedule_decision(
        actor=world.people["staff"],
        title="Is dataset search shared digital infrastructure?",
        question="Is dataset search shared digital infrastructure?",
        scheduled_on=dt.date.today() + dt.timedelta(days=30),
        options=[{"title": "Yes"}, {"title": "No"}],
    )


def test_the_designation_form_names_a_record_that_is_not_a_decision_taken(dsi, world):
    search, client = dsi["search"], client_for(world.people["staff"])
    for record, problem in (
        (world.records["open"], "“The open record” is a document."),
        (_planned(world), "is planned, not yet decided."),
    ):
        page = client.post(
            f"/k/{search.uid}/designate",
            {"designation": SdiDesignation.SHARED, "decision": record.uid},
        )
        assert page.status_code == 400
        text = page.content.decode()
        assert "Name a decision that has been taken" in text and problem in text
    page = client.post(
        f"/k/{search.uid}/designate", {"designation": SdiDesignation.SHARED, "decision": "nope"}
    )
    assert page.status_code == 400
    assert "No decision you can see has that identifier" in page.content.decode()
    search.refresh_from_db()
    assert search.sdi_designation == SdiDesignation.UNDECIDED and search.designated_by is None
    taken = decided(owner=world.people["staff"], by=world.people["triager"], title="Search is")
    page = client.post(
        f"/k/{search.uid}/designate", {"designation": SdiDesignation.SHARED, "decision": taken.uid}
    )
    assert page.status_code == 302
    search.refresh_from_db()
    assert search.designated_by_id == taken.pk


def test_designating_an_element_refuses_what_is_not_a_decision_taken(dsi, world):
    from orchestrator.core.errors import ValidationError

    from ..factories import UserFactory

    search = dsi["search"]
    for actor, record, message in (
        (
            world.people["staff"],
            _planned(world),
            "Name a decision that has been taken: “Is dataset search shared digital "
            "infrastructure?” is planned, not yet decided.",
        ),
        (
            world.people["staff"],
            world.records["closed"],
            "Name a decision that has been taken: “The closed record” is a document.",
        ),
        (
            # A superuser with no appointment is not staff, and cannot see a closed decision.
            UserFactory(is_superuser=True),
            decided(owner=world.people["staff"], by=world.people["triager"], outcome="closed"),
            "No decision you can see has that identifier.",
        ),
    ):
        with pytest.raises(ValidationError) as excinfo:
            services.designate(
                actor=actor, element=search, designation=SdiDesignation.MARKET, decision=record
            )
        assert excinfo.value.message_dict == {"designated_by": [message]}
    search.refresh_from_db()
    assert search.sdi_designation == SdiDesignation.UNDECIDED


def test_clearing_an_elements_designation_names_no_decision_in_the_audit(dsi, world):
    from orchestrator.core.models import AuditEvent

    search, owner = dsi["search"], world.people["staff"]
    taken = decided(owner=owner, by=world.people["triager"], title="Search is")
    services.designate(
        actor=owner, element=search, designation=SdiDesignation.SHARED, decision=taken
    )
    # A decision passed with `undecided` is not stored, so the audit must not say it was.
    services.designate(
        actor=owner, element=search, designation=SdiDesignation.UNDECIDED, decision=taken
    )
    search.refresh_from_db()
    assert search.designated_by is None
    cleared = AuditEvent.objects.filter(action="element.designated").order_by("seq").last()
    assert cleared.data == {"designation": "undecided", "decision": None}


def test_investments_are_shared_or_left_to_the_market_on_the_architecture_page(world):
    from orchestrator.core.errors import ValidationError
    from orchestrator.people.models import Role
    from orchestrator.planning import services as planning

    from ..factories import person

    planner = person(Role.PORTFOLIO_MANAGER, world.team)
    today = dt.date.today()
    common = {
        "actor": planner,
        "owner": world.team,
        "summary": "s",
        "phase_dates": {"discovery": today},
        "designated_by": decided(owner=world.people["staff"], by=world.people["triager"]),
    }
    with pytest.raises(ValidationError, match="both shared digital infrastructure"):
        planning.create_investment(title="Both", designated_sdi=True, left_to_market=True, **common)
    shared = planning.create_investment(title="Trust framework", designated_sdi=True, **common)
    market = planning.create_investment(
        title="Smart tariffs comparison", left_to_market=True, **common
    )
    for i in (shared, market):
        publish(i, by=world.people["triager"])
    text = client_for(None).get("/architecture").content.decode()
    assert "Trust framework" in text.split('id="investments"')[1].split('id="market"')[0]
    assert "Smart tariffs comparison" in text.split('id="market"')[1]
    assert "Left to the market" in client_for(None).get(f"/k/{market.uid}").content.decode()
