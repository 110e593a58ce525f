"""Reads of the engagement channel, each starting from what the viewer may see."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from orchestrator.core.models import Item, Status
from orchestrator.people.models import Role
from orchestrator.people.selectors import longest_serving_organisation

from .models import State, Submission

if TYPE_CHECKING:
    from orchestrator.people.models import Organisation, User


def engagement_owner() -> Organisation | None:
    """The organisation that holds submissions: the Research & Engagement team."""
    return longest_serving_organisation(Role.RESEARCH_ENGAGEMENT)


def visible_submissions(user: User | None) -> QuerySet[Submission]:
    return Submission.objects.visible_to(user).select_related("owner")


def published_submissions(user: User | None) -> QuerySet[Submission]:
    return visible_submissions(user).filter(status__in=[Status.PUBLISHED, Status.ARCHIVED])


def submissions_of(user: User) -> QuerySet[Submission]:
    """What the user raised, newest first: they follow its state here."""
    return visible_submissions(user).filter(created_by=user).order_by("-created_at", "-id")


def triage_queue(user: User) -> QuerySet[Submission]:
    """Received submissions waiting for Research & Engagement, oldest first."""
    return (
        visible_submissions(user)
        .filter(state=State.RECEIVED)
        .select_related("about")
        .order_by("created_at", "id")
    )


def panel(user: User | None, submission: Submission) -> dict:
    """What a submission's page shows beyond the common record: only records the viewer may see."""
    visible = Item.objects.visible_to(user)
    related = {
        i.pk: i
        for i in visible.filter(
            pk__in=[pk for pk in (submission.about_id, submission.merged_into_id) if pk]
        )
    }
    return {
        "submission": submission,
        "about": related.get(submission.about_id),
        "merged_into": related.get(submission.merged_into_id),
        "can_resolve": submission.state == State.RECEIVED
        and bool(user and user.has_perm("engagement.triage_submission")),
    }
