"""Submissions: what stakeholders raise through the engagement channel, and what became of it."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from orchestrator.core.models import Item


class Category(models.TextChoices):
    """The report's list of what stakeholders bring to the Orchestrator."""

    OPPORTUNITY = "opportunity", "Opportunity"
    CONCERN = "concern", "Concern"
    RISK = "risk", "Risk"
    DEPENDENCY = "dependency", "Dependency"
    FEEDBACK = "feedback", "Feedback"


class State(models.TextChoices):
    RECEIVED = "received", "Received — waiting for Research & Engagement"
    ACCEPTED = "accepted", "Accepted"
    ANSWERED = "answered", "Answered"
    MERGED = "merged", "Merged with another submission"
    DECLINED = "declined", "Declined"


class Submission(Item):
    """An opportunity, concern, risk, dependency or feedback raised by a registered user.

    It is held by Research & Engagement (its owner), who accept it (linking it to the record it
    concerns), answer it publicly, merge it into another, or decline it with a reason; their
    triage of it decides who may then see it, with personal data redacted.
    """

    KIND = "submission"
    KIND_LABEL = "Submission"
    KIND_PLURAL = "Submissions"
    TEXT_FIELDS = ("answer", "decline_reason")
    ATTRIBUTES = ("category", "state", "decided_at")
    QUALITY_CHECKED = False
    REQUIRED_FIELDS = ()

    category = models.CharField(max_length=20, choices=Category.choices)
    state = models.CharField(
        max_length=20, choices=State.choices, default=State.RECEIVED, db_index=True
    )
    about = models.ForeignKey(
        Item,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submissions_about",
        help_text="The record the submitter says it concerns, if any",
    )
    answer = models.TextField("public answer", blank=True)
    decline_reason = models.TextField("reason for declining", blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # `/engagement` lists the resolved, most recently decided first: read in this order, a
            # page stops after its rows instead of sorting every submission (50k at national scale).
            models.Index(fields=["decided_at", "item_ptr"], name="submission_decided"),
        ]

    @property
    def is_open(self) -> bool:
        return self.state == State.RECEIVED
