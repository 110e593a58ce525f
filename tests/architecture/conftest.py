"""An enterprise architecture model and the people who keep it, for the architecture tests."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from orchestrator.architecture import services
from orchestrator.architecture.models import ArchitectureModel
from orchestrator.people.models import Organisation, OrganisationKind, Role, User

from ..factories import OrganisationFactory, person


@dataclass
class Estate:
    team: Organisation  # the Architecture Team
    architect: User
    model: ArchitectureModel


@pytest.fixture
def estate(world) -> Estate:
    team = OrganisationFactory(name="Architecture Team", kind=OrganisationKind.ORCHESTRATOR_TEAM)
    architect = person(Role.ARCHITECT, team, full_name="Archie Tect")
    model = services.create_model(
        actor=architect, owner=team, title="Energy system architecture", identifier="model-ea"
    )
    return Estate(team, architect, model)
