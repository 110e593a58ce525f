"""Raising submissions, and Research & Engagement resolving them: accept, answer, merge or decline."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from orchestrator.core import audit
from orchestrator.core.errors import Conflict, PermissionDenied, ValidationError
from orchestrator.core.models import Item, Mitigation, Relation, Sensitivity, Visibility
from orchestrator.core.services import create_item, link_items, publish_item, triage_item

from .models import Category, State, Submission
from .selectors import engagement_owner

if TYPE_CHECKING:
    from orchestrator.people.models import User

MAX_TEXT = 20_000
MAX_TITLE = 300
DECISIONS = ("accept", "answer", "merge", "decline")
PERSONAL_DATA_FINDING = "The submission's text may identify its author or another person."
QUEUE_REFUSED = "Only Research & Engagement work the submissions queue."


def _text(name: str, value: str, *, what: str, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({name: f"Write {what}: it cannot be empty."})
    if len(value) > limit:
        raise ValidationError(
            {
                name: f"Keep it to {limit:,} characters: it has {len(value):,}. Shorten it or split it."
            }
        )
    return value


@transaction.atomic
def raise_submission(
    *, actor: User, category: str, title: str, text: str, about: Item | None = None
) -> Submission:
    """A registered user's submission, held by Research & Engagement as a draft until resolved.

    Until then only its author and Research & Engagement see it."""
    if not actor.has_perm("engagement.raise_submission"):
        raise PermissionDenied("Sign in to raise a submission.")
    errors: dict[str, str] = {}
    if category not in Category.values:
        errors["category"] = "Choose what kind of submission this is: " + ", ".join(
            label.lower() for label in Category.labels
        )
    for name, value, what, limit in (
        ("title", title, "a short title", MAX_TITLE),
        ("text", text, "what you want to tell us", MAX_TEXT),
    ):
        try:
            _text(name, value, what=what, limit=limit)
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if about is not None and not Item.objects.visible_to(actor).filter(pk=about.pk).exists():
        errors["about"] = "No record you can see has that identifier."
    if errors:
        raise ValidationError(errors)
    owner = engagement_owner()
    if owner is None:
        raise Conflict(
            "The engagement channel is closed: nobody is appointed to Research & Engagement to "
            "read submissions. Please try again later."
        )
    submission = create_item(
        actor=actor,
        owner=owner,
        model=Submission,
        title=title.strip(),
        body=text.strip(),
        fields={"category": category, "about": about},
        permission="engagement.raise_submission",
        on_behalf_of_owner=True,
    )
    audit.append(
        actor=actor,
        action="submission.raised",
        item=submission,
        data={"category": category, "about": about.uid if about else ""},
    )
    return submission


def _root(submission: Submission) -> Submission:
    seen = {submission.pk}
    while submission.merged_into_id is not None:
        submission = submission.merged_into
        if submission.pk in seen:  # pragma: no cover - merges are refused before they loop
            break
        seen.add(submission.pk)
    return submission


@transaction.atomic
def resolve_submission(
    *,
    actor: User,
    submission: Submission,
    decision: str,
    concerns: Item | None = None,
    answer: str = "",
    duplicate_of: Submission | None = None,
    reason: str = "",
    outcome: str = Visibility.OPEN,
    personal_data: bool = False,
    sensitivity: str = "",
    rationale: str = "",
    review_by: dt.date | None = None,
) -> Submission:
    """Resolve a received submission and publish it per its own open-data triage.

    accept: link it to the record it concerns (an answer is optional) · answer: publish an answer ·
    merge: it duplicates another submission · decline: with a reason. `personal_data` redacts the
    submitter's text from everyone but staff and its author. An `outcome` less than open needs a
    `sensitivity` category and a `rationale`, which becomes its finding.
    """
    if not actor.has_perm("engagement.triage_submission"):
        raise PermissionDenied("Only Research & Engagement resolve submissions.")
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.state != State.RECEIVED:
        raise Conflict(f"This submission was already resolved: {submission.get_state_display()}.")
    if decision not in DECISIONS:
        raise ValidationError({"decision": "Choose accept, answer, merge or decline."})
    changes: dict[str, object] = {}
    link: tuple[Item, str] | None = None
    if decision == "accept":
        concerns = concerns or submission.about
        if concerns is None:
            raise ValidationError({"concerns": "Say which record the submission concerns."})
        if concerns.pk == submission.pk:
            raise ValidationError({"concerns": "A submission cannot concern itself."})
        changes = {"state": State.ACCEPTED}
        if answer.strip():
            changes["answer"] = _text("answer", answer, what="the answer")
        link = (concerns, Relation.AFFECTS)
    elif decision == "answer":
        changes = {"state": State.ANSWERED, "answer": _text("answer", answer, what="the answer")}
    elif decision == "merge":
        if duplicate_of is None:
            raise ValidationError({"duplicate_of": "Say which submission this one duplicates."})
        root = _root(duplicate_of)
        if root.pk == submission.pk or duplicate_of.pk == submission.pk:
            raise ValidationError({"duplicate_of": "A submission cannot duplicate itself."})
        changes = {"state": State.MERGED, "merged_into": root}
        link = (root, Relation.DUPLICATES)
    else:
        changes = {
            "state": State.DECLINED,
            "decline_reason": _text("reason", reason, what="why it is declined"),
        }
    findings = (
        [
            {
                "category": Sensitivity.PERSONAL_DATA,
                "finding": PERSONAL_DATA_FINDING,
                "mitigation": Mitigation.REDACT,
            }
        ]
        if personal_data
        else []
    )
    if sensitivity:
        findings.append(
            {
                "category": sensitivity,
                "finding": rationale.strip() or "Found sensitive at triage.",
                "mitigation": Mitigation.RESTRICT,
            }
        )
    now = timezone.now()
    for name, value in {**changes, "decided_by": actor, "decided_at": now}.items():
        setattr(submission, name, value)
    submission.save(
        update_fields=[*changes, "decided_by", "decided_at"]  # the state change and who made it
    )
    if link is not None:
        link_items(source=submission, target=link[0], relation=link[1], actor=actor)
    # The triage re-indexes the submission, answer and reason included, leaving out what it redacts.
    triage_item(
        item=submission,
        actor=actor,
        outcome=outcome,
        sensitivities=findings,
        redacted_fields=["body"] if personal_data else [],
        rationale=rationale,
        review_by=review_by or timezone.localdate() + dt.timedelta(days=365),
    )
    publish_item(item=submission, actor=actor)
    audit.append(
        actor=actor,
        action=f"submission.{changes['state']}",
        item=submission,
        data={
            "state": str(changes["state"]),
            **({"concerns": link[0].uid} if link else {}),
        },
    )
    submission.refresh_from_db()
    return submission
