"""Full-text search over records behind one interface: SQLite FTS5 or PostgreSQL full-text.

The services call `index` in the transaction of each change, so the index is never stale; `search`
and `results` start from `visible_to(user)`, so a result is never a record the viewer may not see.

`search` is every match, ranked; `results` is what the search page and the API show, and stays fast
however many records match. When a query matches more than `CANDIDATES` records, ranking and
counting all of them costs seconds (a third of a national knowledge base can match a common word),
so `results` ranks the `CANDIDATES` most recent matches exactly, shows those first, and estimates
the count and the facets from them; pages past them take older matches in batches, each twice the
last, ranked in turn.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import FloatField, Max, Min, QuerySet, Value
from django.utils.safestring import SafeString, mark_safe

from .models import Item, SearchEntry, Triage
from .selectors import CHANGED_WINDOWS, changed_since

if TYPE_CHECKING:
    from orchestrator.people.models import User

MAX_QUERY_LENGTH = 200
_WORD = re.compile(r"\w+", re.UNICODE)
# How many of the most recent matches `results` ranks exactly (see the module's docstring).
CANDIDATES = 500
# Below this many visible matches among the candidates, an estimate would be a guess: count them all.
MIN_SAMPLE = 100
# What `results` can be narrowed by, and counts facets of: equality on these fields, and `changed`,
# a window of `CHANGED_WINDOWS` (changed within it).
FACET_FIELDS = ("kind", "owner__slug", "visibility", "status")
CHANGED = "changed"


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


def _tsquery(words: list[str]) -> str:
    return " & ".join(f"{w}:*" if n == len(words) - 1 else w for n, w in enumerate(words))


def _fts_query(words: list[str]) -> str:
    # FTS5: each word quoted (so nothing in it is an operator), the last one a prefix.
    return " ".join(f'"{w}"*' if n == len(words) - 1 else f'"{w}"' for n, w in enumerate(words))


def search(user: User | None, q: str) -> QuerySet[Item]:
    """The records the user may see that match every word of `q`, best first (`rank` annotated).

    Every match is ranked, so on a large knowledge base a common word costs seconds: pages and
    the API use `results`.
    """
    words = terms(q)
    visible = Item.objects.visible_to(user)
    if not words:
        return visible.none().annotate(rank=Value(0.0, output_field=FloatField()))
    # The index table joins the records' query (`extra`: Django has no other way to join a table
    # that is not a model), so each match is ranked once, however many there are.
    if connection.vendor == "postgresql":
        query = _tsquery(words)
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
    query = _fts_query(words)
    # bm25 is lower for better matches; it is negated so that higher is better on both databases.
    return visible.extra(
        tables=["core_search_fts"],
        where=["core_search_fts.rowid = core_item.id", "core_search_fts MATCH %s"],
        params=[query],
        select={"rank": "-bm25(core_search_fts, 10.0, 4.0, 1.0, 2.0)"},
    ).order_by("-rank", "-id")


def _candidates(words: list[str], limit: int, below: int | None = None) -> list[tuple[int, float]]:
    """(item id, rank) of the `limit` most recently made records matching `words` (with ids
    below `below`, if given), newest first.

    Straight from the index, before visibility: only the rows returned are ranked, so the cost
    is bounded by `limit` however many records match.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            return _pg_candidates(cursor, _tsquery(words), limit, below)
        # FTS5 walks its index newest first and stops at the limit; bm25 runs on those rows.
        cursor.execute(
            "SELECT rowid, -bm25(core_search_fts, 10.0, 4.0, 1.0, 2.0) FROM core_search_fts"
            " WHERE core_search_fts MATCH %s AND rowid < %s ORDER BY rowid DESC LIMIT %s",
            [_fts_query(words), below if below is not None else 2**63 - 1, limit],
        )
        return [(int(pk), float(rank)) for pk, rank in cursor.fetchall()]


# PostgreSQL: how many of the newest records to check one by one before choosing a plan, and the
# share of them that must match for walking back by the primary key to beat the GIN index.
PROBE = 1500
DENSE = 0.05
_PG_CANDIDATES = (
    # ts_rank runs on the rows the inner query keeps, not on every match.
    "SELECT c.item_id, ts_rank(c.vector, q.q)"
    " FROM (SELECT item_id, vector FROM core_searchentry"
    "  WHERE item_id > %s AND item_id <= %s AND vector @@ to_tsquery('english', %s)"
    "  ORDER BY item_id DESC LIMIT %s) c, to_tsquery('english', %s) q(q)"
    " ORDER BY c.item_id DESC"
)
WALK = ("enable_bitmapscan",)  # along the primary key, newest first, checking each row
INDEX = ("enable_indexscan", "enable_seqscan")  # the GIN index, then only the ids sorted


def _pg_candidates(cursor, query: str, limit: int, below: int | None) -> list[tuple[int, float]]:
    """Checking a stored tsvector costs microseconds a row, and a GIN index finds all matches
    but cannot give the newest first; so the plan depends on how common the words are, which
    the planner's estimates often get wrong for several words. The newest `PROBE` records tell."""
    if below is None:
        cursor.execute("SELECT max(item_id) FROM core_searchentry")
        (newest,) = cursor.fetchone()
        if newest is None:
            return []
    else:
        newest = below - 1

    def fetch(low: int, high: int, want: int, disable: tuple[str, ...]) -> list[tuple[int, float]]:
        """The newest `want` matches with low < id <= high."""
        with transaction.atomic(using=connection.alias):
            for setting in disable:
                cursor.execute(f"SET LOCAL {setting} = off")
            cursor.execute(_PG_CANDIDATES, [low, high, query, want, query])
            rows = cursor.fetchall()
            for setting in disable:
                cursor.execute(f"SET LOCAL {setting} TO DEFAULT")
        return [(int(pk), float(rank)) for pk, rank in rows]

    boundary = newest - PROBE
    found = fetch(boundary, newest, limit, WALK)
    rest = limit - len(found)
    if rest <= 0:
        return found
    if len(found) >= DENSE * PROBE:
        # Common words: keep walking back from the newest, about rest / share more rows.
        return found + fetch(-1, boundary, rest, WALK)
    if found:
        # Rarer words: the GIN index, within the ids where, at this share, about twice the
        # matches needed should be (fewer rows to visit); then, if that fell short, the rest.
        low = boundary - math.ceil(2 * rest * PROBE / len(found))
        found += fetch(low, boundary, rest, INDEX)
        rest, boundary = limit - len(found), low
        if rest <= 0 or boundary < 0:
            return found
    return found + fetch(-1, boundary, rest, INDEX)


def _with_ids(queryset: QuerySet[Item], ids: list[int]) -> QuerySet[Item]:
    """`queryset.filter(pk__in=ids)`, with the ids as one parameter: a thousand are parsed and
    planned in half the time."""
    if connection.vendor == "postgresql":
        return queryset.extra(where=["core_item.id = ANY(%s)"], params=[ids])
    return queryset.extra(
        where=["core_item.id IN (SELECT value FROM json_each(%s))"], params=[json.dumps(ids)]
    )


def _about(n: float) -> int:
    """An estimate, to two significant figures."""
    if n < 100:
        return round(n)
    scale = 10 ** (int(math.log10(n)) - 1)
    return int(round(n / scale) * scale)


class Results:
    """What a search shows: ranked, paginated, counted and faceted, in bounded time.

    A sequence for Django's `Paginator`: `count()`, and a slice gives those records as instances
    of `Item` with `rank` set. When at most `CANDIDATES` records match, everything is exact.
    Otherwise the `CANDIDATES` most recent matches (the candidates) come first, best first, then
    the next 2 × `CANDIDATES` most recent, best first, then the next 4 ×, and so on (taken only
    as far as the page asked for, and the same from page to page); `count()` and `facets()` are
    estimated from the candidates (`exact` and `facets_exact` are False), except that a count
    too small to estimate from the candidates is counted in full.
    """

    ordered = True  # for Paginator

    def __init__(self, user: User | None, q: str, filters: Mapping[str, str] | None = None):
        self.user, self.q = user, q
        self.filters = {k: v for k, v in (filters or {}).items() if v}
        # An unknown window narrows nothing, like an unknown value of any other facet.
        self.since = changed_since(self.filters.pop(CHANGED, ""))
        unknown = set(self.filters) - set(FACET_FIELDS)
        if unknown:
            raise ValueError(f"Search cannot be narrowed by {', '.join(sorted(unknown))}")
        self.words = terms(q)
        found = _candidates(self.words, CANDIDATES + 1) if self.words else []
        self.truncated = len(found) > CANDIDATES
        found = found[:CANDIDATES]
        self._ranks = dict(found)
        # Every match from here up is a candidate (they are the most recent).
        self._boundary = found[-1][0] if self.truncated else None
        # Older matches come in batches of recency, each twice the last: the next has ids below
        # `_below` (None once there are no more).
        self._below, self._batch = self._boundary, CANDIDATES
        self._rows = self._visible(found)
        self._ids = self._chosen(self._rows)
        self._count: int | None = None
        self._count_exact = not self.truncated
        self._scale_cache: float | None = None

    def _visible(self, found: list[tuple[int, float]]) -> list[dict[str, Any]]:
        """The facet fields of those of `found` the viewer may see."""
        if not found:
            return []
        fields = ("pk", *FACET_FIELDS, "updated_at")
        visible = _with_ids(Item.objects.visible_to(self.user), [pk for pk, _ in found])
        return [dict(zip(fields, row, strict=True)) for row in visible.values_list(*fields)]

    def _chosen(self, rows: list[dict[str, Any]]) -> list[int]:
        """The ids of `rows` that the filters keep, best first."""
        chosen = [
            r
            for r in rows
            if all(r[k] == v for k, v in self.filters.items())
            and (self.since is None or r["updated_at"] >= self.since)
        ]
        return [r["pk"] for r in sorted(chosen, key=lambda r: (-self._ranks[r["pk"]], -r["pk"]))]

    def _older(self) -> None:
        """Take the next batch of older matches."""
        self._batch *= 2
        found = _candidates(self.words, self._batch, below=self._below)
        self._below = found[-1][0] if len(found) == self._batch else None
        self._ranks.update(found)
        self._ids += self._chosen(self._visible(found))

    def _scale(self) -> float:
        """How many records there are in all for each one in the candidates' range of ids."""
        if self._scale_cache is None:
            # One aggregate each: SQLite reads min() or max() alone from the index, both together
            # by scanning the table.
            lo = SearchEntry.objects.aggregate(lo=Min("item_id"))["lo"]
            hi = SearchEntry.objects.aggregate(hi=Max("item_id"))["hi"]
            self._scale_cache = (hi - lo + 1) / (hi - self._boundary + 1)
        return self._scale_cache

    def count(self) -> int:
        if self._count is None:
            if not self.truncated:
                self._count = len(self._ids)
            elif len(self._ids) >= MIN_SAMPLE:
                self._count = max(len(self._ids), _about(len(self._ids) * self._scale()))
            else:
                # Too few among the candidates to estimate from (a narrow filter): count them all.
                self._count = self._everything().count()
                self._count_exact = True
        return self._count

    @property
    def exact(self) -> bool:
        """Whether `count()` is exact rather than an estimate."""
        self.count()
        return self._count_exact

    @property
    def facets_exact(self) -> bool:
        return not self.truncated

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Item]:
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("Results take a slice")
        start, stop = index.start or 0, index.stop
        if stop is None:
            raise TypeError("Results take a slice with an end")
        while stop > len(self._ids) and self._below is not None:
            self._older()
        return self._fetch(self._ids[start:stop])

    def _everything(self) -> QuerySet[Item]:
        everything = search(self.user, self.q).filter(**self.filters)
        if self.since is not None:
            everything = everything.filter(updated_at__gte=self.since)
        return everything

    def _fetch(self, ids: list[int]) -> list[Item]:
        if not ids:
            return []
        items = Item.objects.visible_to(self.user).filter(pk__in=ids)
        by_pk = {item.pk: item for item in items.select_related("owner", "current_triage")}
        page = [by_pk[pk] for pk in ids if pk in by_pk]
        for item in page:
            item.rank = self._ranks[item.pk]
        return page

    def facets(self) -> dict[str, list[tuple[str, int]]]:
        """For each of `FACET_FIELDS`, its values among the visible matches (before narrowing),
        most frequent first, with counts: exact, or estimated like `count()` when not `exact`;
        and for `changed`, how many changed within each window, shortest first."""
        scale = self._scale() if self.truncated else 1.0
        out: dict[str, list[tuple[str, int]]] = {}
        for field in FACET_FIELDS:
            counts = Counter(r[field] for r in self._rows)
            out[field] = sorted(
                (
                    (value, _about(n * scale) if self.truncated else n)
                    for value, n in counts.items()
                ),
                key=lambda pair: (-pair[1], pair[0]),
            )
        windows = []
        for name, _label, _delta in CHANGED_WINDOWS:
            since = changed_since(name)
            n = sum(r["updated_at"] >= since for r in self._rows)
            if n:
                windows.append((name, _about(n * scale) if self.truncated else n))
        out[CHANGED] = windows
        return out


def results(user: User | None, q: str, filters: Mapping[str, str] | None = None) -> Results:
    """The records the user may see that match `q` (see `Results`), narrowed by `filters`:
    `{field: value}` for fields of `FACET_FIELDS`; empty values are ignored."""
    return Results(user, q, filters)


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
