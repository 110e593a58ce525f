"""Following a record, kind or topic, and the e-mail digests of changes the follower may see.

Follows are a person's own preference, like a bookmark: they are not audited, because the chain
records the Orchestrator's work, and who follows what is personal data.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from .changes import visible_changes
from .errors import Conflict, PermissionDenied, ValidationError
from .models import AuditEvent, AuditHead, Follow, Item, Topic, kind_registry
from .selectors import actor_label, actor_names

if TYPE_CHECKING:
    from orchestrator.people.models import User

# The most changes one follow contributes to a digest; the rest are summed up as a count.
DIGEST_LIMIT = 20

ACTIONS = {
    "item.created": "was created",
    "item.updated": "was edited",
    "item.triaged": "was triaged",
    "item.retriaged": "was re-triaged",
    "item.published": "was published",
    "item.archived": "was archived",
    "item.filed": "was filed under a topic",
    "item.unfiled": "was taken out of a topic",
    "link.created": "was linked to another record",
    "link.removed": "lost a link",
    "submission.raised": "was raised",
    "submission.accepted": "was accepted",
    "submission.answered": "was answered",
    "submission.merged": "was merged into another submission",
    "submission.declined": "was declined",
    "quality.escalated": "was sent back to its author to put right",
}


def describe(action: str) -> str:
    return ACTIONS.get(action, "changed (" + action + ")")


def _head_seq() -> int:
    head = AuditHead.objects.filter(pk=1).values_list("seq", flat=True).first()
    return head or 0


def follow(
    *, actor: User, item: Item | None = None, kind: str = "", topic: Topic | None = None
) -> Follow:
    """Follow one thing; changes from now on go into the actor's digests."""
    if not actor.is_authenticated:
        raise PermissionDenied("Sign in to follow records.")
    if sum(x is not None and x != "" for x in (item, kind, topic)) != 1:
        raise ValidationError("Follow one record, one kind or one topic.")
    if kind and kind not in kind_registry():
        raise ValidationError({"kind": f"“{kind}” is not a kind of record."})
    if item is not None and not Item.objects.visible_to(actor).filter(pk=item.pk).exists():
        raise ValidationError({"item": "No record you can see has that identifier."})
    try:
        with transaction.atomic():
            return Follow.objects.create(
                user=actor, item=item, kind=kind, topic=topic, sent_up_to=_head_seq()
            )
    except IntegrityError:
        raise Conflict("You already follow this.") from None


def unfollow(*, actor: User, follow: Follow) -> None:
    if follow.user_id != actor.pk:
        raise PermissionDenied("You can stop only your own follows.")
    Follow.objects.filter(pk=follow.pk).delete()


def follows_of(user: User) -> QuerySet[Follow]:
    return Follow.objects.filter(user=user).select_related("item", "topic")


def following(user: User | None, *, item: Item | None = None, kind: str = "", topic=None):
    """The user's follow of this thing, or None."""
    if user is None or not user.is_authenticated:
        return None
    return Follow.objects.filter(user=user, item=item, kind=kind, topic=topic).first()


def label(follow: Follow) -> str:
    if follow.item_id:
        return f"“{follow.item.title}”"
    if follow.topic_id:
        return f"the topic “{follow.topic.name}”"
    model = kind_registry().get(follow.kind)
    return f"all {model.KIND_PLURAL.lower()}" if model else follow.kind


@dataclass
class Section:
    follow: Follow
    events: list[AuditEvent]
    more: int
    titles: dict[str, str]


def _changes(follow: Follow, up_to: int) -> QuerySet[AuditEvent]:
    user = follow.user
    if follow.item_id:
        scope = visible_changes(user, items=[follow.item.uid], since=follow.sent_up_to)
    elif follow.topic_id:
        scope = visible_changes(user, topic=follow.topic, since=follow.sent_up_to)
    else:
        scope = visible_changes(user, kind=follow.kind, since=follow.sent_up_to)
    return scope.filter(seq__lte=up_to)


def digest(user: User, *, up_to: int | None = None) -> list[Section]:
    """What the user's next digest holds: per follow, the changes since the last one they may see.

    A followed record the user can no longer see contributes nothing: `visible_changes` leaves
    out its events."""
    up_to = _head_seq() if up_to is None else up_to
    sections = []
    for f in follows_of(user):
        changes = _changes(f, up_to)
        events = list(changes.select_related("actor")[: DIGEST_LIMIT + 1])
        if not events:
            continue
        more = changes.count() - DIGEST_LIMIT if len(events) > DIGEST_LIMIT else 0
        events = events[:DIGEST_LIMIT]
        titles = dict(
            Item.objects.filter(uid__in={e.item_uid for e in events}).values_list("uid", "title")
        )
        sections.append(Section(f, events, more, titles))
    return sections


def render_digest(user: User, sections: list[Section]) -> str:
    base = settings.SITE_URL.rstrip("/")
    names = actor_names(user, [e for s in sections for e in s.events])
    lines = [
        f"Changes to what you follow on {settings.PUBLISHER_NAME}'s Shared Knowledge Base.",
        "",
    ]
    for s in sections:
        lines.append(label(s.follow)[:1].upper() + label(s.follow)[1:])
        for e in s.events:
            who = actor_label(names, e)
            lines.append(
                f"- {e.at:%-d %b %Y %H:%M}: “{s.titles.get(e.item_uid, e.item_uid)}” "
                f"{describe(e.action)} by {who}. {base}/k/{e.item_uid}"
            )
        if s.more:
            lines.append(f"- and {s.more} more.")
        lines.append("")
    lines.append(f"Change what you follow: {base}/account/following")
    return "\n".join(lines)


def send_digests() -> Iterator[tuple[User, int]]:
    """E-mail each follower the changes since their last digest; yields (user, changes sent).

    Everything up to the chain's head when the run starts is covered, so a change made during the
    run goes into the next digest rather than being lost or sent twice."""
    from orchestrator.people.models import User

    up_to = _head_seq()
    users = User.objects.filter(is_active=True, follows__isnull=False).distinct().order_by("pk")
    for user in users.iterator():
        sections = digest(user, up_to=up_to)
        if sections:
            send_mail(
                "Changes to what you follow",
                render_digest(user, sections),
                None,
                [user.email],
            )
        Follow.objects.filter(user=user, sent_up_to__lt=up_to).update(sent_up_to=up_to)
        yield user, sum(len(s.events) + s.more for s in sections)
