"""People: registration, signing in with e-mail, password reset, appointments, the governance page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from orchestrator.core import services as records
from orchestrator.core.errors import PermissionDenied, ValidationError
from orchestrator.core.models import Visibility
from orchestrator.people import services
from orchestrator.people.models import OrganisationKind, Role, Sector, User
from orchestrator.people.selectors import is_staff

from ..conftest import client_for
from ..factories import OrganisationFactory, UserFactory, appoint, person, triager


def test_registration_is_immediate_and_signs_the_person_in(db):
    client = Client()
    response = client.post(
        "/register",
        {
            "full_name": "Nia Newcomer",
            "email": "Nia@Example.org",
            "password": "a long enough passphrase",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="nia@example.org")
    assert client.get("/account").status_code == 200
    assert not is_staff(user)


def test_registration_refuses_a_taken_email_and_a_weak_password(db):
    UserFactory(email="taken@example.org")
    response = Client().post(
        "/register",
        {"full_name": "X", "email": "TAKEN@example.org", "password": "a long enough passphrase"},
    )
    assert "already exists" in response.text
    response = Client().post(
        "/register", {"full_name": "Y", "email": "y@example.org", "password": "password"}
    )
    assert "too short" in response.text or "too common" in response.text
    assert not User.objects.filter(email="y@example.org").exists()


def test_sign_in_with_email_in_any_case(db):
    UserFactory(email="case@example.org")
    client = Client()
    response = client.post(
        "/sign-in", {"username": "CASE@example.org", "password": "correct horse battery"}
    )
    assert response.status_code == 302
    assert client.get("/account").status_code == 200


def test_a_wrong_password_is_a_form_error(db):
    UserFactory(email="who@example.org")
    response = Client().post("/sign-in", {"username": "who@example.org", "password": "nope"})
    assert response.status_code == 200 and "correct e-mail address and password" in response.text


def test_password_reset_sends_a_link_that_works(db):
    UserFactory(email="forgot@example.org")
    Client().post("/password-reset", {"email": "forgot@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/password-reset/\S+)", mail.outbox[0].body).group(1)
    client = Client()
    form = client.get(link, follow=True)
    assert form.status_code == 200
    done = client.post(
        form.request["PATH_INFO"],
        {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"},
    )
    assert done.status_code == 302
    assert Client().login(username="forgot@example.org", password="a brand new passphrase")


def test_sign_out_needs_a_post(db):
    user = UserFactory()
    client = client_for(user)
    assert client.get("/sign-out").status_code == 405
    assert client.post("/sign-out").status_code == 302
    assert client.get("/account").status_code == 302


def test_staff_means_a_current_appointment_to_an_orchestrator_role(db):
    team = OrganisationFactory(kind=OrganisationKind.ORCHESTRATOR_TEAM)
    advisor = person(Role.TECHNICAL_ADVISOR, team)
    partner = person(Role.DELIVERY_PARTNER_MEMBER)
    former = UserFactory()
    services.appoint(
        actor=None,
        user=former,
        role=Role.ARCHITECT,
        organisation=team,
        start=timezone.localdate() - dt.timedelta(days=90),
        end=timezone.localdate() - dt.timedelta(days=1),
    )
    assert is_staff(advisor) and not is_staff(partner) and not is_staff(former)


def test_only_the_board_leader_or_corporate_make_appointments(db):
    team = OrganisationFactory(kind=OrganisationKind.ORCHESTRATOR_TEAM)
    with pytest.raises(PermissionDenied):
        services.appoint(
            actor=person(Role.ARCHITECT, team),
            user=UserFactory(),
            role=Role.ARCHITECT,
            organisation=team,
            start=timezone.localdate(),
        )
    leader = person(Role.ORGANISATION_LEADER, team)
    services.appoint(
        actor=leader,
        user=UserFactory(),
        role=Role.ARCHITECT,
        organisation=team,
        start=timezone.localdate(),
    )
    with pytest.raises(ValidationError):
        services.appoint(
            actor=leader,
            user=UserFactory(),
            role=Role.ARCHITECT,
            organisation=team,
            start=timezone.localdate(),
            chair=True,
        )


def _governance_text() -> str:
    return Client().get("/governance").text


def _declare_and_publish(appointment, by):
    declaration = services.declare_interests(
        actor=appointment.user, appointment=appointment, interests="", nil_return=True
    )
    records.triage_item(
        item=declaration,
        actor=by,
        outcome=Visibility.OPEN,
        review_by=timezone.localdate() + dt.timedelta(days=30),
    )
    records.publish_item(item=declaration, actor=by)


def test_governance_shows_breaches_plainly_and_clears_them_when_fixed(db):
    board = OrganisationFactory(name="Board", kind=OrganisationKind.ORCHESTRATOR_TEAM)
    rne = triager()
    sectors = [Sector.WATER, Sector.TRANSPORT, Sector.FINANCE, Sector.ENERGY, Sector.ENERGY]
    advisors = [
        appoint(
            UserFactory(), Role.TECHNICAL_ADVISOR, OrganisationFactory(sector=s), chair=(n == 0)
        )
        for n, s in enumerate(sectors)
    ]
    members = [appoint(UserFactory(), Role.BOARD_MEMBER, board, chair=(n == 0)) for n in range(2)]
    text = _governance_text()
    assert "The Board has 2 members." in text
    assert "3 of 5 advisors come from other sectors." in text
    assert "No declaration for:" in text
    assert text.count("Breach") >= 3
    # Mend every breach: a third Board member, a fourth advisor from another sector, declarations.
    members.append(appoint(UserFactory(), Role.BOARD_MEMBER, board))
    advisors[-1].organisation.sector = Sector.HEALTH
    advisors[-1].organisation.save()
    for a in [*advisors, *members, *rne.appointments.all()]:
        _declare_and_publish(a, rne)
    text = _governance_text()
    assert "Breach" not in text
    assert "4 of 5 advisors come from other sectors." in text


def test_a_sixth_advisor_is_a_breach(db):
    for n in range(6):
        appoint(
            UserFactory(),
            Role.TECHNICAL_ADVISOR,
            OrganisationFactory(sector=Sector.WATER),
            chair=(n == 0),
        )
    assert "There are 6 advisors." in _governance_text()


def test_declarations_are_made_by_the_appointee_and_need_content(db):
    appointment = appoint(UserFactory(), Role.ARCHITECT, OrganisationFactory())
    with pytest.raises(PermissionDenied):
        services.declare_interests(actor=UserFactory(), appointment=appointment, interests="x")
    with pytest.raises(ValidationError):
        services.declare_interests(actor=appointment.user, appointment=appointment, interests="")
    client = client_for(appointment.user)
    response = client.post(
        f"/account/appointments/{appointment.pk}/declare", {"interests": "Shares in a supplier."}
    )
    assert response.status_code == 302
    assert appointment.declarations.get().interests == "Shares in a supplier."
    other = client_for(UserFactory()).get(f"/account/appointments/{appointment.pk}/declare")
    assert other.status_code == 404


def test_interests_are_declared_in_organisations_ticked_or_named(db, monkeypatch):
    from orchestrator.people import forms as people_forms

    supplier = OrganisationFactory(name="Grid Supplies Ltd")
    appointment = appoint(UserFactory(), Role.TECHNICAL_ADVISOR, OrganisationFactory())
    url = f"/account/appointments/{appointment.pk}/declare"
    client = client_for(appointment.user)
    # A few organisations are ticked in a list, by short name.
    listed = client.get(url).content.decode()
    assert f'value="{supplier.slug}"' in listed and '<textarea name="organisations"' not in listed
    ticked = client.post(url, {"interests": "Shares.", "organisations": [supplier.slug]})
    assert ticked.status_code == 302
    assert list(appointment.declarations.get().organisations.all()) == [supplier]

    # Across the sector there are too many to tick: they are named, one to a line.
    monkeypatch.setattr(people_forms, "ORGANISATIONS_AS_CHECKBOXES", 1)
    form = client.get(url).content.decode()
    assert '<textarea name="organisations"' in form and "One to a line" in form
    refused = client.post(url, {"interests": "A contract.", "organisations": "Grid Supplies"})
    assert refused.status_code == 400 and appointment.declarations.count() == 1
    assert "No organisation is called “Grid Supplies”" in refused.content.decode()
    named = client.post(url, {"interests": "A contract.", "organisations": "grid supplies ltd"})
    assert named.status_code == 302
    latest = appointment.declarations.order_by("pk").last()
    assert list(latest.organisations.all()) == [supplier]


def test_the_organisation_leader_appoints_and_ends_appointments_through_the_pages(db):
    team = OrganisationFactory(name="Architecture Team", kind=OrganisationKind.ORCHESTRATOR_TEAM)
    leader = person(Role.ORGANISATION_LEADER, team)
    newcomer = UserFactory(email="new.architect@example.org")
    client = client_for(leader)
    started = (timezone.localdate() - dt.timedelta(days=10)).isoformat()
    response = client.post(
        "/governance/appointments/new",
        {
            "email": "New.Architect@example.org",
            "role": Role.ARCHITECT,
            "organisation": team.pk,
            "start": started,
        },
    )
    assert response.status_code == 302
    appointment = newcomer.appointments.get()
    assert is_staff(newcomer)
    assert "appointment.made" in Client().get("/audit").text
    ended = client.post(
        f"/governance/appointments/{appointment.pk}/end",
        {"end": (timezone.localdate() - dt.timedelta(days=1)).isoformat()},
    )
    assert ended.status_code == 302
    assert not is_staff(User.objects.get(pk=newcomer.pk))


def test_appointing_someone_unregistered_or_without_permission_is_refused(db):
    team = OrganisationFactory(kind=OrganisationKind.ORCHESTRATOR_TEAM)
    leader = client_for(person(Role.ORGANISATION_LEADER, team))
    response = leader.post(
        "/governance/appointments/new",
        {
            "email": "nobody@example.org",
            "role": Role.ARCHITECT,
            "organisation": team.pk,
            "start": timezone.localdate().isoformat(),
        },
    )
    assert "No one has registered" in response.text
    architect = client_for(person(Role.ARCHITECT, team))
    assert architect.get("/governance/appointments/new").status_code == 403
    assert client_for(None).get("/governance/appointments/new").status_code == 302


def test_research_and_engagement_add_organisations(db):
    client = client_for(triager())
    response = client.post(
        "/governance/organisations/new",
        {
            "name": "Water Sector Data Forum",
            "kind": OrganisationKind.OTHER,
            "sector": Sector.WATER,
        },
    )
    assert response.status_code == 302
    duplicate = client.post(
        "/governance/organisations/new",
        {
            "name": "Water Sector Data Forum",
            "kind": OrganisationKind.OTHER,
            "sector": Sector.WATER,
        },
    )
    assert "already exists" in duplicate.text
