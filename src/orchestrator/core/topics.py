"""Topics the knowledge base is browsed by: Research & Engagement create them and file records under them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils.text import slugify

from . import audit
from .errors import Conflict, PermissionDenied, ValidationError
from .models import Item, ItemTopic, Topic
from .services import check_text

if TYPE_CHECKING:
    from orchestrator.people.models import User

MAX_NAME = 200
MAX_DESCRIPTION = 2000


def _require_curator(actor: User) -> None:
    if not actor.has_perm("core.curate_topics"):
        raise PermissionDenied("Only Research & Engagement curate topics.")


def _clean(name: str, description: str) -> tuple[str, str]:
    # What no stored text may hold (NUL, lone surrogates), as for every record's fields.
    check_text({"name": name, "description": description})
    name, description = name.strip(), description.strip()
    errors = {}
    if not name:
        errors["name"] = "Give the topic a name."
    elif len(name) > MAX_NAME:
        errors["name"] = f"Keep the name to {MAX_NAME} characters (it has {len(name)})."
    elif not slugify(name):
        errors["name"] = "Use some letters or numbers in the name."
    if len(description) > MAX_DESCRIPTION:
        errors["description"] = (
            f"Keep the description to {MAX_DESCRIPTION} characters (it has {len(description)})."
        )
    if errors:
        raise ValidationError(errors)
    return name, description


@transaction.atomic
def create_topic(*, actor: User, name: str, description: str = "") -> Topic:
    """A new topic. Its name and address (slug) are unique."""
    _require_curator(actor)
    name, description = _clean(name, description)
    slug = slugify(name)[:200]
    if Topic.objects.filter(Q(name__iexact=name) | Q(slug=slug)).exists():
        raise Conflict(f"There is already a topic called “{name}”.")
    topic = Topic.objects.create(name=name, slug=slug, description=description, created_by=actor)
    audit.append(
        actor=actor, action="topic.created", data={"topic": topic.slug, "name": topic.name}
    )
    return topic


@transaction.atomic
def update_topic(*, actor: User, topic: Topic, name: str, description: str) -> Topic:
    """Rename or describe a topic; its address stays the same so links to it keep working."""
    _require_curator(actor)
    name, description = _clean(name, description)
    if Topic.objects.filter(name__iexact=name).exclude(pk=topic.pk).exists():
        raise Conflict(f"There is already a topic called “{name}”.")
    Topic.objects.filter(pk=topic.pk).update(name=name, description=description)
    topic.name, topic.description = name, description
    audit.append(actor=actor, action="topic.changed", data={"topic": topic.slug, "name": name})
    return topic


@transaction.atomic
def file_item(*, actor: User, item: Item, topic: Topic) -> ItemTopic:
    """File a record under a topic."""
    _require_curator(actor)
    try:
        with transaction.atomic():
            filing = ItemTopic.objects.create(item=item, topic=topic, filed_by=actor)
    except IntegrityError:
        raise Conflict(f"This record is already filed under “{topic.name}”.") from None
    audit.append(actor=actor, action="item.filed", item=item, data={"topic": topic.slug})
    return filing


@transaction.atomic
def unfile_item(*, actor: User, item: Item, topic: Topic) -> None:
    """Take a record out of a topic."""
    _require_curator(actor)
    deleted, _ = ItemTopic.objects.filter(item=item, topic=topic).delete()
    if not deleted:
        raise Conflict(f"This record is not filed under “{topic.name}”.")
    audit.append(actor=actor, action="item.unfiled", item=item, data={"topic": topic.slug})


# Reads


def topics_with_counts(user: User | None) -> QuerySet[Topic]:
    """Every topic, with how many records the viewer may see are filed under it."""
    visible = Item.objects.visible_to(user).values("pk")
    return Topic.objects.annotate(n=Count("filings", filter=Q(filings__item__in=visible)))


def topics_of(item: Item) -> QuerySet[Topic]:
    """The topics a record is filed under (topics are public; the record was fetched visibly)."""
    return Topic.objects.filter(filings__item=item).order_by("name")


def items_under(user: User | None, topic: Topic) -> QuerySet[Item]:
    return Item.objects.visible_to(user).filter(topic_filings__topic=topic)
