"""Permission predicates per role (django-rules); services check them before they write."""

from __future__ import annotations

import rules

from .models import Role
from .selectors import has_role, is_staff


@rules.predicate
def is_orchestrator_staff(user) -> bool:
    return is_staff(user)


def _role(*roles: str) -> rules.Predicate:
    @rules.predicate(name="holds_" + "_or_".join(roles))
    def check(user) -> bool:
        return has_role(user, *roles)

    return check


is_board_member = _role(Role.BOARD_MEMBER)
is_organisation_leader = _role(Role.ORGANISATION_LEADER)
is_product_owner = _role(Role.PRODUCT_OWNER)
is_technical_advisor = _role(Role.TECHNICAL_ADVISOR)
is_architect = _role(Role.ARCHITECT)
is_portfolio_manager = _role(Role.PORTFOLIO_MANAGER)
is_research_engagement = _role(Role.RESEARCH_ENGAGEMENT)
is_corporate = _role(Role.CORPORATE)
is_design_body_member = _role(Role.DESIGN_BODY_MEMBER)
is_delivery_partner_member = _role(Role.DELIVERY_PARTNER_MEMBER)


@rules.predicate
def is_signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


@rules.predicate
def is_superuser(user) -> bool:
    return bool(user and user.is_authenticated and user.is_superuser)


@rules.predicate
def is_appointee(user, appointment) -> bool:
    return appointment is not None and appointment.user_id == getattr(user, "pk", None)


# Appointments are made by the Organisation Leader and Corporate, and ratified by the Board.
rules.add_perm(
    "people.manage_appointments",
    is_organisation_leader | is_corporate | is_board_member | is_superuser,
)
# A declaration of interests is made by the appointee, or by Corporate on their behalf.
rules.add_perm("people.declare_interests", is_appointee | is_corporate | is_superuser)
rules.add_perm("people.manage_organisations", is_research_engagement | is_corporate | is_superuser)
