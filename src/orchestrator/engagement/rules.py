"""Permission predicates for the engagement channel."""

from __future__ import annotations

import rules

from orchestrator.people.rules import is_research_engagement, is_signed_in, is_superuser

# Any registered user may raise a submission; Research & Engagement work the queue.
rules.add_perm("engagement.raise_submission", is_signed_in)
rules.add_perm("engagement.triage_submission", is_research_engagement | is_superuser)
