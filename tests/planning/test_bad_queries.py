"""Nonsense in the plan pages' query strings — NUL, unicode digits, huge numbers — is a 4xx or an
ordinary page, never a 500, on either database."""

from __future__ import annotations

import pytest

from orchestrator.people.models import Role

from ..conftest import client_for
from ..factories import person

PAGES = {
    "/roadmap": ["investment", "organisation", "phase", "page", "to"],
    "/raid": [
        "kind",
        "status",
        "investment",
        "owner",
        "min_score",
        "likelihood",
        "impact",
        "residual_likelihood",
        "residual_impact",
        "page",
    ],
    "/raid/escalations": ["page", "answered"],
    "/responsibilities": ["organisation", "page"],
    "/plan/compare": ["from", "to"],
    "/measures": ["unknown"],
    "/plan": ["unknown"],
}
NONSENSE = ["\x00", "a\x00b", "²", "9" * 30, "-1", "a" * 3000, "%", "'; select 1"]


@pytest.mark.parametrize("path", PAGES)
def test_nonsense_in_a_plan_pages_query_is_never_a_server_error(world, path):
    planner = person(Role.PORTFOLIO_MANAGER, world.team)
    for user in (None, planner):
        client = client_for(user)
        for name in PAGES[path]:
            for value in NONSENSE:
                response = client.get(path, {name: value})
                assert response.status_code < 500, (name, value)


def test_nonsense_naming_an_investment_for_a_new_record_is_never_a_server_error(world):
    client = client_for(person(Role.PORTFOLIO_MANAGER, world.team))
    for path in ("/planning/milestones/new", "/responsibilities/activities/new"):
        for value in NONSENSE:
            assert client.get(path, {"investment": value}).status_code < 500, (path, value)
