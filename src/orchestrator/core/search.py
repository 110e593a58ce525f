"""Full-text search over records behind one interface: SQLite FTS5 or PostgreSQL full-text.

The services call `index` in the transaction of each change, so the index is never stale; `search`
starts from `visible_to(user)`, so a result is never a record the viewer may not see.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import FloatField, QuerySet, Value
from django.utils.safestring import SafeString, mark_safe

from .models import Item, SearchEntry, Triage

if TYPE_CHECKING:
    from orchestrator.people.models import User

MAX_QUERY_LENGTH = 200
_WORD = re.compile(r"\w+", re.UNICODE)


def terms(q: str) -> list[str]:
    """The words of a query: anything else (quotes, operators, punctuation) is ignored."""
    return _WORD.findall(q[:MAX_QUERY_LENGTH].lower())[:20]


def _entry(item: Item, redacted: Iterable[str]) -> SearchEntry:
    # A redacted field is left out of the index altogether: a match on it would tell a reader who
    # sees only the redaction what the hidden text contains.
    hidden = set(redacted)

    def text(name: str) -> str:
        return "" if name in hidden else str(getattr(item, name) or "")

    return SearchEntry(
        item_id=item.pk,
        title=item.title,
        summary=text("summary"),
        body=text("body"),
        extra=" ".join(text(name) for name in item.kind_model.TEXT_FIELDS),
    )


def index(items: Iterable[Item], *, redacted: Mapping[int, Iterable[str]] | None = None) -> None:
    """(Re)index records, inside the transaction of the change that calls it.

    `redacted` gives each record's redacted fields; by default they are read from its current
    triage (so a triage that redacts must re-index).
    """
    items = list(items)
    if redacted is None:
        triage_ids = {i.current_triage_id for i in items if i.current_triage_id is not None}
        fields = dict(Triage.objects.filter(pk__in=triage_ids).values_list("pk", "redacted_fields"))
        redacted = {i.pk: fields.get(i.current_triage_id, ()) for i in items}
    SearchEntry.objects.bulk_create(
        [_entry(item, redacted.get(item.pk, ())) for item in items],
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["item"],
        update_fields=["title", "summary", "body", "extra"],
    )


def search(user: User | None, q: str) -> QuerySet[Item]:
    """The records the user may see that match every word of `q`, best first (`rank` annotated)."""
    words = terms(q)
    visible = Item.objects.visible_to(user)
    if not words:
        return visible.none().annotate(rank=Value(0.0, output_field=FloatField()))
    # The index table joins the records' query (`extra`: Django has no other way to join a table
    # that is not a model), so each match is ranked once, however many there are.
    if connection.vendor == "postgresql":
        query = " & ".join(f"{w}:*" if n == len(words) - 1 else w for n, w in enumerate(words))
        # The stored tsvector column that migration 0004 adds, with its GIN index.
        vector = "core_searchentry.vector"
        return visible.extra(  # noqa: S610  (constant SQL; the query is a bound parameter)
            tables=["core_searchentry"],
            where=[
                "core_searchentry.item_id = core_item.id",
                f"({vector}) @@ to_tsquery('english', %s)",
            ],
            params=[query],
            select={"rank": f"ts_rank({vector}, to_tsquery('english', %s))"},
            select_params=[query],
        ).order_by("-rank", "-id")
    # FTS5: each word quoted (so nothing in it is an operator), the last one a prefix.
    query = " ".join(f'"{w}"*' if n == len(words) - 1 else f'"{w}"' for n, w in enumerate(words))
    # bm25 is lower for better matches; it is negated so that higher is better on both databases.
    return visible.extra(
        tables=["core_search_fts"],
        where=["core_search_fts.rowid = core_item.id", "core_search_fts MATCH %s"],
        params=[query],
        select={"rank": "-bm25(core_search_fts, 10.0, 4.0, 1.0, 2.0)"},
    ).order_by("-rank", "-id")


def highlight(text: str, q: str, *, length: int = 240) -> SafeString:
    """An excerpt of `text` around the first match, HTML-escaped, with each matching word marked."""
    words = terms(q)
    if not text:
        return mark_safe("")
    lower = text.lower()
    first = min((i for w in words if (i := lower.find(w)) >= 0), default=0)
    start = max(0, first - length // 3)
    excerpt = text[start : start + length]
    escaped = html.escape(excerpt)
    if words:
        pattern = re.compile(
            r"\b(" + "|".join(re.escape(html.escape(w)) for w in words) + r")\w*", re.IGNORECASE
        )
        escaped = pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped)
    prefix = "… " if start else ""
    suffix = " …" if start + length < len(text) else ""
    return mark_safe(prefix + escaped + suffix)  # escaped above; only <mark> added
