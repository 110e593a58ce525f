"""Permission predicates for strategic planning."""

from __future__ import annotations

import rules

from orchestrator.people.rules import is_organisation_leader, is_portfolio_manager, is_superuser

# The Portfolio Management Team maintain the plan's material; the Organisation Leader is accountable.
rules.add_perm(
    "planning.maintain_plan", is_portfolio_manager | is_organisation_leader | is_superuser
)
