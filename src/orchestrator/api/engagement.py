"""The engagement channel in the API: raise a submission, follow your own, and (Research & Engagement)
resolve them."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status

from orchestrator.core.models import Item
from orchestrator.core.selectors import get_visible_item
from orchestrator.engagement import selectors, services
from orchestrator.engagement.models import Category, Submission
from orchestrator.engagement.services import DECISIONS, MAX_TEXT, MAX_TITLE, QUEUE_REFUSED

from .api import (
    WRITE_ERRORS,
    ItemOut,
    ItemSummary,
    PageFilters,
    Problem,
    RequireToken,
    _reject_unknown,
    paged,
)
from .representations import item_detail, item_summary

router = Router(tags=["engagement"], auth=RequireToken())


class SubmissionSummary(ItemSummary):
    state: str


class SubmissionIn(Schema):
    category: str = Field(..., description="One of: " + ", ".join(Category.values))
    title: str = Field(..., max_length=MAX_TITLE)
    text: str = Field(..., description=f"Up to {MAX_TEXT:,} characters")
    about: str | None = Field(
        None, description="The uid of a record you may see, if it is about one"
    )


class ResolveIn(Schema):
    decision: str = Field(..., description="One of: " + ", ".join(DECISIONS))
    concerns: str | None = Field(None, description="accept: the uid of the record it concerns")
    answer: str = ""
    duplicate_of: str | None = Field(None, description="merge: the uid of the original submission")
    reason: str = Field("", description="decline: why")
    outcome: str = Field("open", description="Who may see it once resolved")
    personal_data: bool = Field(False, description="Redact the submitter's text")
    sensitivity: str = ""
    rationale: str = ""


def _detail(user, uid: str) -> dict:
    return item_detail(user, get_visible_item(user, uid))


@router.post("", response={201: ItemOut, **WRITE_ERRORS})
def raise_submission(request, payload: SubmissionIn):
    """Raise an opportunity, concern, risk, dependency or feedback. Needs a personal API token."""
    user = request.auth
    about = None
    if payload.about:
        try:
            about = get_visible_item(user, payload.about)
        except Http404:
            raise DjangoValidationError(
                {"about": "No record you can see has that identifier."}
            ) from None
    submission = services.raise_submission(
        actor=user, category=payload.category, title=payload.title, text=payload.text, about=about
    )
    return Status(201, _detail(user, submission.uid))


@router.get("/mine", response={200: list[SubmissionSummary], **WRITE_ERRORS})
def my_submissions(request):
    """What you have raised (the latest 200), newest first, with the state each is in."""
    user = request.auth
    return [
        item_summary(user, s) | {"state": s.state} for s in selectors.submissions_of(user)[:200]
    ]


class SubmissionToResolve(Schema):
    uid: str
    category: str
    title: str
    text: str = Field(..., description="What the submitter wrote, before any redaction")
    about: str | None = Field(..., description="The uid of the record it names, if you may see it")
    raised_at: dt.datetime
    resolve_url: str = Field(..., description="The page on which to resolve it")


class QueuePage(Schema):
    count: int
    page: int
    pages: int
    items: list[SubmissionToResolve]


@router.get("/queue", response={200: QueuePage, 403: Problem, 422: Problem})
def queue(request, filters: Query[PageFilters]):
    """Research & Engagement's queue: the submissions received and not yet resolved, oldest first,
    as `/engagement/queue` lists them."""
    _reject_unknown(request, {"page", "page_size"})
    user = request.auth
    if not user.has_perm("engagement.triage_submission"):
        raise PermissionDenied(QUEUE_REFUSED)
    page = paged(selectors.triage_queue(user), filters)
    rows = page.pop("rows")
    seen = set(
        Item.objects.visible_to(user)
        .filter(pk__in=[s.about_id for s in rows if s.about_id])
        .values_list("pk", flat=True)
    )
    return {
        **page,
        "items": [
            {
                "uid": s.uid,
                "category": s.category,
                "title": s.title,
                "text": s.body,
                "about": s.about.uid if s.about_id in seen else None,
                "raised_at": s.created_at,
                "resolve_url": reverse("engagement:resolve", args=[s.uid]),
            }
            for s in rows
        ],
    }


@router.post("/{uid}/resolve", response={200: ItemOut, **WRITE_ERRORS})
def resolve(request, uid: str, payload: ResolveIn):
    """Research & Engagement: accept, answer, merge or decline a received submission, publishing it."""
    user = request.auth
    submission = get_visible_item(user, uid, Submission)
    concerns = get_visible_item(user, payload.concerns) if payload.concerns else None
    duplicate_of = (
        get_visible_item(user, payload.duplicate_of, Submission) if payload.duplicate_of else None
    )
    services.resolve_submission(
        actor=user,
        submission=submission,
        decision=payload.decision,
        concerns=concerns,
        answer=payload.answer,
        duplicate_of=duplicate_of,
        reason=payload.reason,
        outcome=payload.outcome,
        personal_data=payload.personal_data,
        sensitivity=payload.sensitivity,
        rationale=payload.rationale,
    )
    return _detail(user, uid)
