"""Permission predicates for strategic planning."""

from __future__ import annotations

import rules

from orchestrator.people.rules import (
    is_board_member,
    is_organisation_leader,
    is_portfolio_manager,
    is_product_owner,
    is_research_engagement,
    is_superuser,
)

# The Portfolio Management Team maintain the plan's material; the Organisation Leader is accountable.
rules.add_perm(
    "planning.maintain_plan", is_portfolio_manager | is_organisation_leader | is_superuser
)
# The Product Team decide what is and is not shared digital infrastructure, as for the architecture.
rules.add_perm("planning.designate", is_product_owner | is_superuser)
# Risks and issues go to the Board from those who keep the RAID log, concerns from Research & Engagement.
rules.add_perm(
    "planning.escalate",
    is_portfolio_manager | is_organisation_leader | is_research_engagement | is_superuser,
)
rules.add_perm("planning.respond_to_escalation", is_board_member | is_superuser)
# The Organisation Leader is the accountable party for the plan: they publish its versions.
rules.add_perm("planning.publish_plan_version", is_organisation_leader | is_superuser)
