"""Named personas and the records they look at, shared by every test."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from orchestrator.core.models import Item, Visibility
from orchestrator.people.models import Organisation, OrganisationKind, Role, User

from .factories import OrganisationFactory, document, person, published


@dataclass
class World:
    team: Organisation  # the Product Team: an Orchestrator team that owns most records
    named_org: Organisation  # the organisation a restricted record's triage names
    other_org: Organisation  # an organisation the triage does not name
    author_org: Organisation  # the organisation of the draft's author
    people: dict[str, User | None]
    records: dict[str, Item]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Real hashing costs a third of a second a person; the tests make dozens.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db) -> World:
    team = OrganisationFactory(name="Product Team", kind=OrganisationKind.ORCHESTRATOR_TEAM)
    rne = OrganisationFactory(
        name="Research & Engagement Team", kind=OrganisationKind.ORCHESTRATOR_TEAM
    )
    named_org = OrganisationFactory(name="Named Design Body", kind=OrganisationKind.DESIGN_BODY)
    other_org = OrganisationFactory(name="Other Partner", kind=OrganisationKind.DELIVERY_PARTNER)
    author_org = OrganisationFactory(name="Author Partner", kind=OrganisationKind.DELIVERY_PARTNER)
    people = {
        # Nobody signed in.
        "anonymous": None,
        # Signed up a minute ago; no appointment anywhere.
        "registered": person(full_name="Rita Registered"),
        # A Design Body member whose organisation the restricted record's triage names.
        "member": person(Role.DESIGN_BODY_MEMBER, named_org, full_name="Mo Member"),
        # A Delivery Partner member whose organisation is not named.
        "outsider": person(Role.DELIVERY_PARTNER_MEMBER, other_org, full_name="Otto Outsider"),
        # Orchestrator staff: a product owner in the Product Team.
        "staff": person(Role.PRODUCT_OWNER, team, full_name="Stella Staff"),
        # A Delivery Partner member who wrote the draft.
        "author": person(Role.DELIVERY_PARTNER_MEMBER, author_org, full_name="Ada Author"),
    }
    # Research & Engagement: triages and publishes.
    triager = person(Role.RESEARCH_ENGAGEMENT, rne, full_name="Tariq Triager")
    people["triager"] = triager
    staff = people["staff"]
    records = {
        level: published(
            author=staff,
            owner=team,
            by=triager,
            outcome=level,
            title=f"The {level} record",
            restricted_to=[named_org] if level == Visibility.RESTRICTED else [],
        )
        for level in Visibility.values
    }
    records["draft"] = document(author=people["author"], owner=author_org, title="The draft record")
    return World(team, named_org, other_org, author_org, people, records)


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client
