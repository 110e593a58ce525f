"""Recent changes to records a person may see: for the Atom feeds, and for e-mail digests.

A change is an audit event whose record the viewer may see (`Item.objects.visible_to(user)`).
Events of hidden records are left out entirely — unlike the public audit log, which shows a
withheld placeholder so that the chain can be verified, a list of changes has no use for them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, QuerySet

from .models import AuditEvent, Item
from .selectors import visible_items

if TYPE_CHECKING:
    from orchestrator.people.models import User

    from .models import Topic

# Up to this many records in scope, the events are found through the records (the `item_uid`
# index, then a sort); beyond it, by walking the log newest first and keeping the events whose
# record is in scope, which stops as soon as the caller's slice is full. On a million events the
# first costs ~35 µs a record in scope and the second ~7 µs an event walked past, so they cross
# at around two thousand records (benchmarks on SQLite; PostgreSQL plans either well).
PROBE = 2000


def visible_changes(
    user: User | None,
    *,
    kind: str | None = None,
    topic: Topic | None = None,
    items: QuerySet[Item] | Iterable[Item | str] | None = None,
    since: dt.datetime | int | None = None,
) -> QuerySet[AuditEvent]:
    """Audit events of records `user` may see, newest first; slice it for the latest few.

    Narrowed to records of one `kind`, filed under one `topic`, or among `items` (records, a
    queryset of records, or uids); and to events after `since` — a time, or an event's `seq`
    (which is indexed, so a digest that remembers the last event it sent should pass that).

    One query decides how to find the events (see `PROBE`); the events themselves are read only
    when the caller iterates. A slice of the result costs the same whatever the size of the log
    for the common cases; the slow one is a large scope none of whose records changed lately.
    """
    visible = visible_items(user)
    if kind is not None:
        visible = visible.filter(kind=kind)
    if topic is not None:
        visible = visible.filter(topic_filings__topic=topic)
    if items is not None:
        if isinstance(items, QuerySet):
            visible = visible.filter(pk__in=items.values("pk"))
        else:
            uids = {i if isinstance(i, str) else i.uid for i in items}
            visible = visible.filter(uid__in=uids)
    in_scope = len(visible.order_by().values_list("pk", flat=True)[: PROBE + 1])
    if in_scope <= PROBE:
        events = AuditEvent.objects.filter(item_uid__in=visible.order_by().values("uid"))
    else:
        events = AuditEvent.objects.filter(
            Exists(visible.order_by().filter(uid=OuterRef("item_uid")))
        )
    if isinstance(since, int):
        events = events.filter(seq__gt=since)
    elif since is not None:
        events = events.filter(at__gt=since)
    return events.order_by("-seq")
