"""Writes to records: create, edit, triage, publish, archive and link. Each checks, validates, audits."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import transaction
from django.utils import timezone

from . import audit, search
from .errors import Conflict, PermissionDenied, StaleVersion, ValidationError
from .models import (
    Document,
    Item,
    ItemRestriction,
    Link,
    Mitigation,
    Relation,
    Sensitivity,
    Status,
    Triage,
    Visibility,
)

if TYPE_CHECKING:
    from orchestrator.people.models import Organisation, User

T = TypeVar("T", bound=Item)

MAX_BODY_BYTES = 1_000_000
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# The fields every kind lets its editors change; kinds add their own in `EDIT_FIELDS`.
BASE_EDIT_FIELDS = ("title", "summary", "body", "subject", "source", "coverage", "language")


def _require(user: User, perm: str, obj: Any = None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied(f"You do not have permission to do this ({perm}).")


def check_text(values: Mapping[str, Any]) -> None:
    """Refuse what no text field may hold: NUL characters (PostgreSQL cannot store them), lone
    surrogates (they are not text, and cannot be encoded), and a body over 1 MB."""
    bad = sorted(
        name
        for name, value in values.items()
        if isinstance(value, str) and _UNSTORABLE.search(value)
    )
    if bad:
        raise ValidationError(
            dict.fromkeys(
                bad, "Remove the control (NUL) or broken (surrogate) characters from this text."
            )
        )
    body = values.get("body")
    if body is not None and len(body.encode()) > MAX_BODY_BYTES:
        raise ValidationError(
            {
                "body": f"The body is over 1 MB ({len(body.encode()):,} bytes); split it or link to it."
            }
        )


def _validate(item: Item) -> None:
    item.full_clean(exclude=["uid", "current_triage", "created_by", "owner"])


def _to_python(item: Item, changes: Mapping[str, Any]) -> dict[str, Any]:
    """The changes as the model's own types (an API sends dates and numbers as text)."""
    values, errors = {}, {}
    for name, value in changes.items():
        try:
            values[name] = item._meta.get_field(name).to_python(value)
        except ValidationError as exc:
            errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)
    return values


def editable_fields(item: Item) -> tuple[str, ...]:
    return BASE_EDIT_FIELDS + item.kind_model.EDIT_FIELDS


@transaction.atomic
def create_item(
    *,
    actor: User,
    owner: Organisation,
    title: str,
    model: type[T] = Document,  # type: ignore[assignment]
    summary: str = "",
    body: str = "",
    fields: Mapping[str, Any] | None = None,
    permission: str = "core.create_item",
    permission_object: Any = None,
    on_behalf_of_owner: bool = False,
) -> T:
    """Create a record as a draft; it is seen by its author, its owner and staff until published.

    `on_behalf_of_owner` is for kinds the owner receives from people outside it (a stakeholder's
    submission is held by Research & Engagement); the kind's own `permission` then decides."""
    _require(actor, permission, permission_object)
    if not on_behalf_of_owner and not actor.has_perm("core.own_item_for", owner):
        raise PermissionDenied(f"You cannot file records for {owner}: you are not a member of it.")
    values = {"title": title, "summary": summary, "body": body, **(fields or {})}
    check_text(values)
    item = model(owner=owner, created_by=actor, status=Status.DRAFT, **values)
    item.kind = model.KIND
    _validate(item)
    item.save()
    search.index([item])
    audit.append(
        actor=actor, action="item.created", item=item, data={"kind": item.kind, "title": item.title}
    )
    return item


@transaction.atomic
def update_item(*, item: Item, actor: User, version: int, changes: Mapping[str, Any]) -> Item:
    """Change a record's fields; refuse if `version` is not the one stored (nothing is overwritten)."""
    _require(actor, "core.change_item", item)
    item = type(item).objects.select_for_update().get(pk=item.pk)
    if item.version != version:
        raise StaleVersion(item, version)
    refusal = item.edit_refusal()
    if refusal:
        raise Conflict(refusal)
    if item.kind_model.IMMUTABLE_WHEN_PUBLISHED and not item.is_draft:
        raise Conflict(
            f"This {item.kind_label.lower()} is published and cannot be changed; "
            "publish a new one instead."
        )
    allowed = editable_fields(item)
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise ValidationError(
            {
                name: f"“{name}” cannot be changed here; editable: {', '.join(allowed)}."
                for name in unknown
            }
        )
    # Model validation skips empty values of fields that may be blank, so a null is caught here.
    nulls = sorted(n for n, v in changes.items() if v is None and not item._meta.get_field(n).null)
    if nulls:
        raise ValidationError(
            dict.fromkeys(nulls, "This field cannot be null; send an empty string.")
        )
    check_text(changes)
    changes = _to_python(item, changes)
    changed = [name for name, value in changes.items() if getattr(item, name) != value]
    if not changed:
        return item
    for name in changed:
        setattr(item, name, changes[name])
    _validate(item)
    item.version += 1
    item.updated_at = timezone.now()
    item.save()
    search.index([item])
    audit.append(
        actor=actor,
        action="item.updated",
        item=item,
        data={"changed": sorted(changed), "version": item.version},
    )
    return item


def validate_triage(
    *,
    item: Item,
    outcome: str,
    sensitivities: Sequence[Mapping[str, str]],
    redacted_fields: Sequence[str],
    rationale: str,
    review_by: dt.date | None,
    restricted_to: Sequence[Organisation],
) -> list[dict[str, str]]:
    """The rules of presumed-open triage; returns the sensitivities in their stored form."""
    check_text(
        {
            "rationale": rationale,
            "sensitivities": " ".join(str(v) for s in sensitivities for v in s.values()),
        }
    )
    errors: dict[str, str] = {}
    if outcome not in Visibility.values:
        errors["outcome"] = f"“{outcome}” is not a visibility level; choose one of: " + ", ".join(
            Visibility.values
        )
    clean: list[dict[str, str]] = []
    for n, s in enumerate(sensitivities, start=1):
        category, finding = s.get("category", ""), (s.get("finding") or "").strip()
        mitigation = s.get("mitigation") or Mitigation.NONE
        if category not in Sensitivity.values:
            errors["sensitivities"] = f"Sensitivity {n}: “{category}” is not a known category."
            break
        if mitigation not in Mitigation.values:
            errors["sensitivities"] = f"Sensitivity {n}: “{mitigation}” is not a known mitigation."
            break
        if finding:
            clean.append({"category": category, "finding": finding, "mitigation": mitigation})
    if outcome in Visibility.values and outcome != Visibility.OPEN:
        # Presumed open: anything less than open must say why.
        if not rationale.strip():
            errors["rationale"] = "A record triaged as less than open needs a rationale."
        if not clean:
            errors.setdefault(
                "sensitivities",
                "A record triaged as less than open needs at least one sensitivity finding.",
            )
    if outcome == Visibility.RESTRICTED and not restricted_to:
        errors["restricted_to"] = "Name at least one organisation whose members may see it."
    if outcome != Visibility.RESTRICTED and restricted_to:
        errors["restricted_to"] = "Only a restricted record names organisations."
    redactable = {"summary", "body", *item.kind_model.TEXT_FIELDS}
    bad = sorted(set(redacted_fields) - redactable)
    if bad:
        errors["redacted_fields"] = (
            f"Cannot redact {', '.join(bad)}; redactable: {', '.join(sorted(redactable))}."
        )
    if review_by is None:
        errors["review_by"] = "Give a date by which the triage must be reviewed."
    elif review_by <= timezone.localdate():
        errors["review_by"] = "The review-by date must be in the future."
    if errors:
        raise ValidationError(errors)
    return clean


def _record_triage(
    *,
    item: Item,
    actor: User,
    outcome: str,
    sensitivities: Sequence[Mapping[str, str]],
    redacted_fields: Sequence[str],
    rationale: str,
    review_by: dt.date | None,
    restricted_to: Sequence[Organisation],
    title_public: bool,
    action: str,
) -> Triage:
    _require(actor, "core.triage_item", item)
    clean = validate_triage(
        item=item,
        outcome=outcome,
        sensitivities=sensitivities,
        redacted_fields=redacted_fields,
        rationale=rationale,
        review_by=review_by,
        restricted_to=restricted_to,
    )
    triage = Triage.objects.create(
        item=item,
        outcome=outcome,
        sensitivities=clean,
        redacted_fields=sorted(set(redacted_fields)),
        rationale=rationale.strip(),
        title_public=title_public,
        by=actor,
        review_by=review_by,
    )
    triage.restricted_to.set(restricted_to)
    ItemRestriction.objects.filter(item=item).delete()
    ItemRestriction.objects.bulk_create(
        [ItemRestriction(item=item, organisation=org) for org in restricted_to]
    )
    Item.objects.filter(pk=item.pk).update(
        visibility=outcome, current_triage=triage, updated_at=timezone.now()
    )
    item.visibility, item.current_triage = outcome, triage
    search.index([item.specific()], redacted={item.pk: triage.redacted_fields})
    audit.append(
        actor=actor,
        action=action,
        item=item,
        data={
            "outcome": outcome,
            "sensitivities": sorted({s["category"] for s in clean}),
            "redacted_fields": triage.redacted_fields,
            "review_by": review_by.isoformat(),
        },
    )
    return triage


@transaction.atomic
def triage_item(
    *,
    item: Item,
    actor: User,
    outcome: str,
    sensitivities: Sequence[Mapping[str, str]] = (),
    redacted_fields: Sequence[str] = (),
    rationale: str = "",
    review_by: dt.date | None = None,
    restricted_to: Sequence[Organisation] = (),
    title_public: bool = True,
) -> Triage:
    """Record the open-data triage of a draft: who may see it once published, and why."""
    if item.status != Status.DRAFT:
        raise Conflict("This record is already published; re-triage it instead.")
    return _record_triage(
        item=item,
        actor=actor,
        outcome=outcome,
        sensitivities=sensitivities,
        redacted_fields=redacted_fields,
        rationale=rationale,
        review_by=review_by,
        restricted_to=restricted_to,
        title_public=title_public,
        action="item.triaged",
    )


@transaction.atomic
def retriage_item(
    *,
    item: Item,
    actor: User,
    outcome: str,
    sensitivities: Sequence[Mapping[str, str]] = (),
    redacted_fields: Sequence[str] = (),
    rationale: str = "",
    review_by: dt.date | None = None,
    restricted_to: Sequence[Organisation] = (),
    title_public: bool = True,
) -> Triage:
    """A new triage of a triaged record; the earlier triage stays in its history."""
    if item.current_triage_id is None:
        raise Conflict("This record has not been triaged yet; triage it first.")
    return _record_triage(
        item=item,
        actor=actor,
        outcome=outcome,
        sensitivities=sensitivities,
        redacted_fields=redacted_fields,
        rationale=rationale,
        review_by=review_by,
        restricted_to=restricted_to,
        title_public=title_public,
        action="item.retriaged",
    )


@transaction.atomic
def publish_item(*, item: Item, actor: User) -> Item:
    """Publish a triaged draft at the level its triage set. An untriaged record is refused."""
    _require(actor, "core.publish_item", item)
    item = Item.objects.select_for_update().get(pk=item.pk)
    if item.current_triage_id is None:
        raise Conflict("This record has not been triaged; it cannot be published until it is.")
    if item.status != Status.DRAFT:
        raise Conflict(f"This record is already {item.get_status_display().lower()}.")
    now = timezone.now()
    Item.objects.filter(pk=item.pk).update(
        status=Status.PUBLISHED, published_at=now, updated_at=now
    )
    item.status, item.published_at, item.updated_at = Status.PUBLISHED, now, now
    audit.append(
        actor=actor, action="item.published", item=item, data={"visibility": item.visibility}
    )
    return item


@transaction.atomic
def archive_item(*, item: Item, actor: User, reason: str) -> Item:
    """Archive a published record: it stays readable at its level, marked as no longer current."""
    _require(actor, "core.publish_item", item)
    item = Item.objects.select_for_update().get(pk=item.pk)
    if item.status != Status.PUBLISHED:
        raise Conflict("Only a published record can be archived.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the record is archived."})
    Item.objects.filter(pk=item.pk).update(status=Status.ARCHIVED, updated_at=timezone.now())
    item.status = Status.ARCHIVED
    audit.append(actor=actor, action="item.archived", item=item, data={"reason": reason.strip()})
    return item


@transaction.atomic
def link_items(*, source: Item, target: Item, relation: str, actor: User, note: str = "") -> Link:
    """Relate two records with a typed link."""
    _require(actor, "core.link_items", source)
    if relation not in Relation.values:
        raise ValidationError(
            {
                "relation": f"“{relation}” is not a relation; choose one of: {', '.join(Relation.values)}."
            }
        )
    check_text({"note": note})
    if source.pk == target.pk:
        raise ValidationError({"target": "A record cannot link to itself."})
    if Link.objects.filter(source=source, target=target, relation=relation).exists():
        raise Conflict("These records are already linked by that relation.")
    link = Link.objects.create(
        source=source, target=target, relation=relation, note=note, created_by=actor
    )
    audit.append(
        actor=actor,
        action="link.created",
        item=source,
        data={"relation": relation, "target": target.uid},
    )
    return link


@transaction.atomic
def unlink_items(*, link: Link, actor: User) -> None:
    _require(actor, "core.link_items", link.source)
    source, target, relation = link.source, link.target, link.relation
    Link.objects.filter(pk=link.pk).delete()
    audit.append(
        actor=actor,
        action="link.removed",
        item=source,
        data={"relation": relation, "target": target.uid},
    )
