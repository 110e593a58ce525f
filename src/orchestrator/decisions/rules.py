"""Permission predicates for decision making: who schedules, prepares, advises, decides and reviews."""

from __future__ import annotations

import rules

from orchestrator.people.models import Role
from orchestrator.people.rules import (
    is_architect,
    is_board_member,
    is_portfolio_manager,
    is_product_owner,
    is_research_engagement,
    is_signed_in,
    is_superuser,
    is_technical_advisor,
)
from orchestrator.people.selectors import current_appointments


@rules.predicate
def chairs_the_advisors(user) -> bool:
    return any(a.role == Role.TECHNICAL_ADVISOR and a.chair for a in current_appointments(user))


# The Product Team take decisions, following the Portfolio Management Team's processes: both put
# decisions on the schedule, and move them through it.
rules.add_perm("decisions.schedule", is_product_owner | is_portfolio_manager | is_superuser)
# Options and evidence are collated by the Orchestrator's staff who work on the question.
rules.add_perm(
    "decisions.prepare",
    is_product_owner | is_portfolio_manager | is_architect | is_research_engagement | is_superuser,
)
rules.add_perm("decisions.request_advice", is_product_owner | is_portfolio_manager | is_superuser)
rules.add_perm("decisions.recommend", is_technical_advisor)
rules.add_perm("decisions.consolidate", chairs_the_advisors)
rules.add_perm("decisions.run_consultation", is_research_engagement | is_superuser)
rules.add_perm("decisions.respond", is_signed_in)
rules.add_perm("decisions.triage_response", is_research_engagement | is_superuser)
rules.add_perm("decisions.decide", is_product_owner)
rules.add_perm("decisions.defer", is_product_owner | is_portfolio_manager | is_superuser)
rules.add_perm("decisions.withdraw", is_product_owner | is_superuser)
rules.add_perm("decisions.record_opinion", is_board_member)
rules.add_perm("decisions.review", is_board_member)
