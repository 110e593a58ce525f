"""Permission predicates for the enterprise and solution architecture."""

from __future__ import annotations

import rules

from orchestrator.people.models import Role
from orchestrator.people.rules import is_architect, is_product_owner, is_superuser
from orchestrator.people.selectors import current_appointments


@rules.predicate
def is_member_of_design_body(user, solution) -> bool:
    """A current member of the Design Body (or Delivery Partner) a solution architecture is given to."""
    if solution is None:
        return False
    roles = {Role.DESIGN_BODY_MEMBER, Role.DELIVERY_PARTNER_MEMBER}
    return any(
        a.organisation_id == solution.design_body_id and a.role in roles
        for a in current_appointments(user)
    )


# The Architecture Team create and maintain the enterprise architecture (models, elements,
# relationships, states, views, principles, constraints, requirements) and import models.
rules.add_perm("architecture.maintain", is_architect | is_superuser)
# Design Bodies write the solution architectures given to them (and Delivery Partners their
# low-level designs); the Architecture Team may help, but only the Architecture Team signs off.
rules.add_perm(
    "architecture.author_solution", is_member_of_design_body | is_architect | is_superuser
)
rules.add_perm("architecture.sign_off", is_architect | is_superuser)
# The Product Team decide what is and is not shared digital infrastructure.
rules.add_perm("architecture.designate", is_product_owner | is_superuser)
