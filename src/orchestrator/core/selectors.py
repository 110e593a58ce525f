"""Reads of records for people: every one starts from `Item.objects.visible_to(user)`."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from orchestrator.people.selectors import is_staff

from .metadata import public_people
from .models import UID_PATTERN, AuditEvent, Item, Link, Status, Triage, Visibility

if TYPE_CHECKING:
    from orchestrator.people.models import User

_UID = re.compile(rf"^{UID_PATTERN}$")
REDACTED = "[Redacted under this record's triage]"

# "Last changed" windows, for browsing and the search facet alike: (name, label, how far back).
CHANGED_WINDOWS = (
    ("day", "In the last day", dt.timedelta(days=1)),
    ("week", "In the last week", dt.timedelta(days=7)),
    ("month", "In the last 30 days", dt.timedelta(days=30)),
    ("year", "In the last year", dt.timedelta(days=365)),
)


def changed_since(window: str) -> dt.datetime | None:
    """When a "last changed" window starts, or None if `window` is not one of them."""
    for name, _label, delta in CHANGED_WINDOWS:
        if name == window:
            return timezone.now() - delta
    return None


def visible_items(user: User | None) -> QuerySet[Item]:
    return Item.objects.visible_to(user)


def get_visible_item(user: User | None, uid: str, kind: type[Item] | None = None) -> Item:
    """The record as its own kind, or 404 if it does not exist, the uid is malformed, or it is hidden
    — or, given `kind`, if it is a record of another kind (a kind's subkinds are of it: a
    requirement is an element)."""
    if not isinstance(uid, str) or not _UID.match(uid):
        raise Http404("No such record")
    item = (
        visible_items(user)
        .select_related("owner", "created_by", "current_triage")
        .filter(uid=uid)
        .first()
    )
    if item is None:
        raise Http404("No such record")
    if kind is not None and not issubclass(item.kind_model, kind):
        raise Http404("No such record")
    specific = item.specific()
    # Keep what we already selected rather than asking the database again.
    specific._state.fields_cache.update(item._state.fields_cache)
    return specific


def sees_unredacted(user: User | None, item: Item) -> bool:
    """Staff and the record's author see redacted fields; everyone else sees the redaction."""
    if user is None or not user.is_authenticated:
        return False
    return is_staff(user) or item.created_by_id == user.pk


def redacted_fields(user: User | None, item: Item) -> set[str]:
    triage = item.current_triage
    if triage is None or sees_unredacted(user, item):
        return set()
    return set(triage.redacted_fields)


@dataclass(frozen=True)
class LinkView:
    relation: str
    label: str
    other: Item
    direction: str  # "outgoing" or "incoming"


def links_for(user: User | None, item: Item) -> list[LinkView]:
    """Links in both directions whose other end the viewer may also see: outgoing then incoming,
    each by relation and the other end's title."""
    links = list(
        Link.objects.filter(Q(source=item) | Q(target=item)).select_related("source", "target")
    )
    # A record has few links: their other ends are checked by id. Asking for links whose other
    # end is `IN (every visible record)` made SQLite list the visible records, 150 ms a page.
    others = {link.target_id if link.source_id == item.pk else link.source_id for link in links}
    seen = set(visible_items(user).filter(pk__in=others).values_list("pk", flat=True))
    outgoing = sorted(
        (link for link in links if link.source_id == item.pk and link.target_id in seen),
        key=lambda link: (link.relation, link.target.title),
    )
    incoming = sorted(
        (link for link in links if link.target_id == item.pk and link.source_id in seen),
        key=lambda link: (link.relation, link.source.title),
    )
    views = [
        LinkView(link.relation, link.get_relation_display(), link.target, "outgoing")
        for link in outgoing
    ]
    views += [
        LinkView(link.relation, link.inverse_label, link.source, "incoming") for link in incoming
    ]
    return views


def history_for(item: Item) -> QuerySet[AuditEvent]:
    """The audit events of one record; the caller has already established it may be seen."""
    return AuditEvent.objects.filter(item_uid=item.uid).select_related("actor").order_by("seq")


def triages_for(item: Item) -> QuerySet[Triage]:
    return (
        item.triages.select_related("by").prefetch_related("restricted_to").order_by("-at", "-id")
    )


def withheld_register() -> QuerySet[Item]:
    """Every published record that is not open: the public register of what is withheld and why.

    This deliberately reads past `visible_to`: the register shows the triage of hidden records
    (kind, sensitivity, rationale, dates, and the title only where the triage allows), never
    their content, so that anyone can see what is withheld and why.
    """
    return (
        Item.objects.filter(status__in=[Status.PUBLISHED, Status.ARCHIVED])
        .exclude(visibility=Visibility.OPEN)
        .select_related("current_triage")
        .order_by("current_triage__review_by", "id")
    )


@dataclass(frozen=True)
class AuditRow:
    event: AuditEvent
    visible: bool
    actor: str = ""


SYSTEM = "the system"
PRIVATE_ACTOR = "a registered user"


def actor_names(viewer: User | None, events: list[AuditEvent]) -> dict[int, str]:
    """Who acted, as the viewer may be told: by name for people who hold or held an appointment
    (they act in a public role), and for staff viewers; otherwise only "a registered user", since
    a stakeholder's name is personal data. Events need `select_related("actor")`."""
    ids = {e.actor_id for e in events if e.actor_id is not None}
    named = ids if is_staff(viewer) else public_people(ids)
    return {e.actor_id: str(e.actor) for e in events if e.actor_id in named}


def actor_label(names: dict[int, str], event: AuditEvent) -> str:
    if event.actor_id is None:
        return SYSTEM
    return names.get(event.actor_id, PRIVATE_ACTOR)


def audit_rows(user: User | None, events: list[AuditEvent]) -> list[AuditRow]:
    """Events as the viewer may see them: whole where the record is visible, a placeholder otherwise."""
    uids = {e.item_uid for e in events if e.item_uid}
    seen = set(visible_items(user).filter(uid__in=uids).values_list("uid", flat=True))
    names = actor_names(user, events)
    return [
        AuditRow(e, not e.item_uid or e.item_uid in seen, actor_label(names, e)) for e in events
    ]


def public_event(row: AuditRow) -> dict:
    """One event of the public export: whole, or a withheld placeholder that still links the chain."""
    e = row.event
    if not row.visible:
        return {
            "seq": e.seq,
            "at": _iso(e),
            "withheld": True,
            "prev_hash": e.prev_hash,
            "hash": e.hash,
        }
    return {
        "seq": e.seq,
        "at": _iso(e),
        "actor": e.actor_id,
        "action": e.action,
        "item_uid": e.item_uid,
        "data": e.data,
        "prev_hash": e.prev_hash,
        "hash": e.hash,
    }


def _iso(e: AuditEvent) -> str:
    return e.at.astimezone(dt.UTC).isoformat(timespec="microseconds")
