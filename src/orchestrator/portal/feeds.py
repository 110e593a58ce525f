"""Atom feeds of recent changes: everything, per kind of record, and per topic.

Each entry is one audit event of a record the reader may see (`core.changes.visible_changes`):
which record, what changed, who (as the audit log names them) and when, linking to the record.
Events of hidden records are left out entirely. Feeds read as anonymous, or as the holder of an
API token sent as `Authorization: Bearer <token>`, like the bulk exports.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html

from orchestrator.core.changes import visible_changes
from orchestrator.core.following import describe
from orchestrator.core.models import AuditEvent, Relation, Topic, Visibility, kind_registry
from orchestrator.core.selectors import actor_label, actor_names, visible_items

from .opendata import Unauthorised, bearer_user, unauthorised

if TYPE_CHECKING:
    from orchestrator.people.models import User

# How many changes a feed holds, newest first.
FEED_LENGTH = 50

# XML 1.0 cannot carry these characters at all, so they are dropped from what a feed says.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_VISIBILITY = dict(Visibility.choices)
_RELATIONS = dict(Relation.choices)


def _xml(text: str) -> str:
    return _NOT_XML.sub("", text)


@dataclass
class Scope:
    user: User | None
    kind: str | None = None
    topic: Topic | None = None


@dataclass
class Change:
    event: AuditEvent
    uid: str
    title: str
    kind_label: str
    actor: str
    # Records the event names besides its own (a link's target), if the reader may see them.
    others: dict[str, str] = field(default_factory=dict)
    topics: dict[str, str] = field(default_factory=dict)


def _what(change: Change) -> str:
    """What happened, in words, naming only what the reader may see."""
    e, data = change.event, change.event.data or {}
    if e.action == "item.updated" and data.get("changed"):
        return f"was edited ({', '.join(data['changed'])} changed)"
    if e.action in {"item.triaged", "item.retriaged"} and data.get("outcome"):
        level = _VISIBILITY.get(data["outcome"], data["outcome"])
        return f"{describe(e.action)}: {level}"
    if e.action == "item.published" and data.get("visibility"):
        return f"was published ({_VISIBILITY.get(data['visibility'], data['visibility'])})"
    if e.action in {"link.created", "link.removed"}:
        relation = _RELATIONS.get(data.get("relation", ""), data.get("relation", ""))
        target = change.others.get(data.get("target", ""))
        if target is None:
            return describe(e.action)
        verb = "now" if e.action == "link.created" else "no longer"
        return f"{verb} {relation} “{target}”"
    if e.action in {"item.filed", "item.unfiled"} and data.get("topic") in change.topics:
        where = "filed under" if e.action == "item.filed" else "taken out of"
        return f"was {where} the topic “{change.topics[data['topic']]}”"
    return describe(e.action)


def changes_for(scope: Scope, *, limit: int = FEED_LENGTH) -> list[Change]:
    """The latest changes in scope, with everything an entry names, in a fixed number of queries."""
    events = list(
        visible_changes(scope.user, kind=scope.kind, topic=scope.topic).select_related("actor")[
            :limit
        ]
    )
    targets = {
        e.data.get("target")
        for e in events
        if e.action.startswith("link.") and isinstance(e.data, dict)
    }
    wanted = {e.item_uid for e in events} | {t for t in targets if isinstance(t, str)}
    records = {
        row["uid"]: row
        for row in visible_items(scope.user)
        .filter(uid__in=wanted)
        .values("uid", "title", "kind")
        .order_by()
    }
    slugs = {
        e.data.get("topic")
        for e in events
        if e.action in {"item.filed", "item.unfiled"} and isinstance(e.data, dict)
    }
    topics = (
        dict(
            Topic.objects.filter(slug__in=[s for s in slugs if isinstance(s, str)]).values_list(
                "slug", "name"
            )
        )
        if slugs
        else {}
    )
    names = actor_names(scope.user, events)
    kinds = kind_registry()
    changes = []
    for e in events:
        record = records.get(e.item_uid)
        if record is None:  # hidden since the events were read: leave it out
            continue
        model = kinds.get(record["kind"])
        changes.append(
            Change(
                event=e,
                uid=e.item_uid,
                title=record["title"],
                kind_label=model.KIND_LABEL if model else record["kind"],
                actor=actor_label(names, e),
                others={uid: r["title"] for uid, r in records.items()},
                topics=topics,
            )
        )
    return changes


class ChangesFeed(Feed):
    """Recent changes to every record the reader may see."""

    feed_type = Atom1Feed

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            request.feed_reader = bearer_user(request)  # type: ignore[attr-defined]
        except Unauthorised as exc:
            return unauthorised(exc.message)
        response = super().__call__(request, *args, **kwargs)
        response["Content-Type"] = "application/atom+xml; charset=utf-8"
        patch_vary_headers(response, ["Authorization"])
        return response

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Scope:
        return Scope(user=request.feed_reader)  # type: ignore[attr-defined]

    # The feed

    def base(self) -> str:
        return settings.SITE_URL.rstrip("/")

    def title(self, scope: Scope) -> str:
        return "Recent changes in the Shared Knowledge Base"

    def subtitle(self, scope: Scope) -> str:
        return (
            "The latest changes to records of the Digitalisation Orchestrator's Shared Knowledge "
            "Base that you may see, newest first."
        )

    def link(self, scope: Scope) -> str:
        return self.base() + "/recent"

    def feed_url(self, scope: Scope) -> str:
        return self.base() + "/feeds/changes.atom"

    def feed_guid(self, scope: Scope) -> str:
        return self.feed_url(scope)

    def author_name(self, scope: Scope) -> str:
        return settings.PUBLISHER_NAME

    def feed_copyright(self, scope: Scope) -> str:
        return "Open records: Open Government Licence v3.0"

    def items(self, scope: Scope) -> list[Change]:
        return changes_for(scope)

    # Its entries

    def item_title(self, change: Change) -> str:
        return _xml(f"{change.kind_label} “{change.title}” {_what(change)}")

    def item_description(self, change: Change) -> str:
        # Atom summaries are HTML: everything a person wrote is escaped.
        return _xml(
            format_html(
                "{} “{}” {} — by {}, {} (audit event {}).",
                change.kind_label,
                change.title,
                _what(change),
                change.actor,
                change.event.at.astimezone(dt.UTC).strftime("%d %B %Y at %H:%M UTC"),
                change.event.seq,
            )
        )

    def item_link(self, change: Change) -> str:
        return f"{self.base()}/k/{change.uid}"

    def item_guid(self, change: Change) -> str:
        # One entry per event: the event's place in the public audit log.
        return f"{self.base()}/audit?seq={change.event.seq}"

    item_guid_is_permalink = False

    def item_pubdate(self, change: Change):
        return change.event.at

    def item_updateddate(self, change: Change):
        return change.event.at

    def item_author_name(self, change: Change) -> str:
        return _xml(change.actor)

    def item_categories(self, change: Change) -> list[str]:
        return [change.event.action]


class KindFeed(ChangesFeed):
    """Recent changes to records of one kind."""

    def get_object(self, request: HttpRequest, kind: str) -> Scope:
        if kind not in kind_registry():
            raise Http404("No such kind of record.")
        return Scope(user=request.feed_reader, kind=kind)  # type: ignore[attr-defined]

    def title(self, scope: Scope) -> str:
        return f"Recent changes to {kind_registry()[scope.kind].KIND_PLURAL.lower()}"

    def link(self, scope: Scope) -> str:
        return f"{self.base()}/kinds/{scope.kind}"

    def feed_url(self, scope: Scope) -> str:
        return f"{self.base()}/feeds/kinds/{scope.kind}.atom"


class TopicFeed(ChangesFeed):
    """Recent changes to records filed under one topic."""

    def get_object(self, request: HttpRequest, slug: str) -> Scope:
        topic = Topic.objects.filter(slug=slug).first()
        if topic is None:
            raise Http404("No such topic.")
        return Scope(user=request.feed_reader, topic=topic)  # type: ignore[attr-defined]

    def title(self, scope: Scope) -> str:
        return f"Recent changes under the topic “{_xml(scope.topic.name)}”"

    def link(self, scope: Scope) -> str:
        return f"{self.base()}/topics/{scope.topic.slug}"

    def feed_url(self, scope: Scope) -> str:
        return f"{self.base()}/feeds/topics/{scope.topic.slug}.atom"


changes_feed = ChangesFeed()
kind_feed = KindFeed()
topic_feed = TopicFeed()
