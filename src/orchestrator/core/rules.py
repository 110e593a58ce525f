"""Permission predicates for records: who may create, edit, triage and publish them."""

from __future__ import annotations

import rules

from orchestrator.people.models import Role
from orchestrator.people.rules import is_research_engagement, is_superuser
from orchestrator.people.selectors import has_role, is_staff, organisation_ids_for


@rules.predicate
def is_contributor(user) -> bool:
    """Staff, and members of Design Bodies and Delivery Partners, contribute to the knowledge base."""
    return is_staff(user) or has_role(user, Role.DESIGN_BODY_MEMBER, Role.DELIVERY_PARTNER_MEMBER)


@rules.predicate
def is_author(user, item) -> bool:
    return item is not None and item.created_by_id == getattr(user, "pk", None)


@rules.predicate
def is_in_owner_organisation(user, item) -> bool:
    return item is not None and item.owner_id in organisation_ids_for(user)


@rules.predicate
def may_own_for(user, organisation) -> bool:
    """A contributor files records for an organisation they belong to; staff for any organisation."""
    if organisation is None:
        return False
    return organisation.pk in organisation_ids_for(user) or is_staff(user)


rules.add_perm("core.create_item", is_contributor)
rules.add_perm("core.own_item_for", may_own_for)
rules.add_perm(
    "core.change_item",
    is_contributor & (is_author | is_in_owner_organisation) | is_research_engagement,
)
# Research & Engagement triage information into the knowledge base and publish it.
rules.add_perm("core.triage_item", is_research_engagement | is_superuser)
rules.add_perm("core.publish_item", is_research_engagement | is_superuser)
rules.add_perm("core.link_items", is_contributor)
# Research & Engagement curate the knowledge base: its topics, and which records are filed under them.
rules.add_perm("core.curate_topics", is_research_engagement | is_superuser)
# … and see that contributions meet the agreed standard, escalating what falls short.
rules.add_perm("core.review_quality", is_research_engagement | is_superuser)
