"""Quality checks of records against their kind's standard, and the queue of records that fall short."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Length
from django.utils import timezone

from . import audit
from .errors import PermissionDenied, ValidationError
from .models import UID_PATTERN, AuditEvent, Item, Link, Status, kind_registry

if TYPE_CHECKING:
    from orchestrator.people.models import User

_REFERENCE = re.compile(rf"/k/({UID_PATTERN})\b")
MAX_NOTE = 2000


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    message: str


def checked_kinds() -> dict[str, type[Item]]:
    return {kind: model for kind, model in kind_registry().items() if model.QUALITY_CHECKED}


# Fields whose form label differs from their Dublin Core name.
_LABELS = {"subject": "keywords"}


def _label(model: type[Item], field: str) -> str:
    return _LABELS.get(field) or str(model._meta.get_field(field).verbose_name)


def checks_for(viewer: User | None, item: Item) -> list[Check]:
    """Every check of the record's kind, passed or not, as its authors are shown them.

    A reference in the body resolves if the viewer can follow it, so no check reveals a record
    the viewer may not see."""
    model = item.kind_model
    if not model.QUALITY_CHECKED:
        return []
    out = []
    for field in model.REQUIRED_FIELDS:
        filled = bool(str(getattr(item, field, "") or "").strip())
        label = _label(model, field).capitalize()
        out.append(
            Check(
                f"{label} filled",
                filled,
                f"{label} is filled." if filled else f"Fill in the {label.lower()}.",
            )
        )
    if model.MIN_BODY_LENGTH:
        length = len(item.body.strip())
        long_enough = length >= model.MIN_BODY_LENGTH
        out.append(
            Check(
                "Body long enough",
                long_enough,
                f"The body has {length:,} characters."
                if long_enough
                else f"The body has {length:,} characters; a {model.KIND_LABEL.lower()} needs at "
                f"least {model.MIN_BODY_LENGTH:,}.",
            )
        )
    referenced = set(_REFERENCE.findall(item.body))
    if referenced:
        found = set(
            Item.objects.visible_to(viewer).filter(uid__in=referenced).values_list("uid", flat=True)
        )
        missing = sorted(referenced - found)
        out.append(
            Check(
                "Links resolve",
                not missing,
                "Every record the body links to can be followed."
                if not missing
                else "The body links to records that cannot be followed: " + ", ".join(missing),
            )
        )
    # The few archived targets first, then which the viewer may see, by id: `target IN (every
    # visible record)` took 200 ms a page on SQLite at national scale.
    targets = dict(
        Link.objects.filter(source=item, target__status=Status.ARCHIVED).values_list(
            "target_id", "target__title"
        )
    )
    seen = Item.objects.visible_to(viewer).filter(pk__in=targets).values_list("pk", flat=True)
    archived = [targets[pk] for pk in sorted(seen, key=lambda pk: targets[pk])] if targets else []
    out.append(
        Check(
            "Links are current",
            not archived,
            "No link points at an archived record."
            if not archived
            else "Links point at archived records: " + "; ".join(archived),
        )
    )
    triage = item.current_triage
    if triage is not None:
        overdue = triage.review_by < timezone.localdate()
        out.append(
            Check(
                "Triage reviewed in time",
                not overdue,
                f"The triage is due for review by {triage.review_by:%-d %B %Y}."
                if not overdue
                else f"The triage was due for review by {triage.review_by:%-d %B %Y}: re-triage it.",
            )
        )
    return out


def falls_short(viewer: User | None, item: Item) -> bool:
    return any(not c.passed for c in checks_for(viewer, item))


def _required_q(model: type[Item]) -> Q:
    q = Q()
    local = {f.name for f in Item._meta.get_fields()}
    # From Item down to the kind, through any kind it is a kind of (a principle is an element).
    chain = [m for m in reversed(model._meta.get_parent_list()) if m is not Item] + [model]
    prefix = "__".join(m._meta.model_name for m in chain)
    for field in model.REQUIRED_FIELDS:
        path = field if field in local else f"{prefix}__{field}"
        q |= Q(**{path: ""})
    if model.MIN_BODY_LENGTH:
        q |= Q(body_length__lt=model.MIN_BODY_LENGTH)
    return q


def quality_queue(user: User) -> QuerySet[Item]:
    """Published records that fall short of their kind's standard, stalest first.

    The queue is computed in the database: required fields, body length, links to archived records
    and overdue triage reviews. References inside bodies are checked on each record's page."""
    kinds = checked_kinds()
    per_kind = Q()
    for kind, model in kinds.items():
        required = _required_q(model)
        if required:  # a kind with nothing required falls short only on the common checks
            per_kind |= Q(kind=kind) & required
    archived_link = Link.objects.filter(source=OuterRef("pk"), target__status=Status.ARCHIVED)
    return (
        Item.objects.visible_to(user)
        .filter(status=Status.PUBLISHED, kind__in=list(kinds))
        .annotate(body_length=Length("body"), links_archived=Exists(archived_link))
        .filter(
            per_kind
            | Q(links_archived=True)
            | Q(current_triage__review_by__lt=timezone.localdate())
        )
        .select_related("owner", "current_triage", "created_by")
        .order_by("updated_at", "id")
    )


@transaction.atomic
def escalate(*, actor: User, item: Item, note: str) -> None:
    """Ask a record's author to put it right: audited, and sent to them by e-mail."""
    if not actor.has_perm("core.review_quality"):
        raise PermissionDenied("Only Research & Engagement escalate quality problems.")
    note = note.strip()
    if not note:
        raise ValidationError({"note": "Say what needs putting right."})
    if len(note) > MAX_NOTE:
        raise ValidationError({"note": f"Keep the note to {MAX_NOTE:,} characters."})
    failing = [c.message for c in checks_for(actor, item) if not c.passed]
    audit.append(
        actor=actor,
        action="quality.escalated",
        item=item,
        data={"failing": len(failing)},
    )
    author = item.created_by
    url = settings.SITE_URL.rstrip("/") + item.get_absolute_url()
    lines = [
        f"Research & Engagement ask you to put right “{item.title}” ({url}).",
        "",
        note,
        "",
        *(f"- {m}" for m in failing),
        "",
        "The quality standard for each kind of record is at "
        + settings.SITE_URL.rstrip("/")
        + "/guidance",
    ]
    # Sent once the escalation is committed, so a rolled-back escalation e-mails nobody.
    transaction.on_commit(
        lambda: send_mail(
            f"Please put right: {item.title}"[:200],
            "\n".join(lines),
            None,
            [author.email],
            fail_silently=True,
        )
    )


def last_escalations(items: list[Item]) -> dict[str, object]:
    """When each record was last escalated, by uid."""
    rows = (
        AuditEvent.objects.filter(action="quality.escalated", item_uid__in=[i.uid for i in items])
        .order_by("item_uid", "-seq")
        .values_list("item_uid", "at")
    )
    out: dict[str, object] = {}
    for uid, at in rows:
        out.setdefault(uid, at)
    return out
