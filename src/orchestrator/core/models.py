"""The one record model (`Item`), typed links between records, triage, and the hash-chained audit log."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

if TYPE_CHECKING:
    from orchestrator.people.models import User

# Crockford's base 32 without the letters people confuse (i, l, o, u): short, stable, URL-safe.
UID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
UID_LENGTH = 10
UID_PATTERN = r"[0-9a-hjkmnp-tv-z]{10}"


def new_uid() -> str:
    return "".join(secrets.choice(UID_ALPHABET) for _ in range(UID_LENGTH))


class Visibility(models.TextChoices):
    """The energy sector's data spectrum, most open first."""

    OPEN = "open", "Open"
    REGISTERED = "registered", "Shared — registered users"
    RESTRICTED = "restricted", "Shared — named organisations"
    CLOSED = "closed", "Closed"


VISIBILITY_SPECTRUM = {
    Visibility.OPEN: "OE-O",
    Visibility.REGISTERED: "OE-SA",
    Visibility.RESTRICTED: "OE-SB",
    Visibility.CLOSED: "OE-C",
}


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


class Sensitivity(models.TextChoices):
    PERSONAL_DATA = "personal_data", "Personal data"
    SECURITY = "security", "Security of infrastructure (including sensitivity when aggregated)"
    COMMERCIAL = "commercial", "Commercial"
    CONSUMER_IMPACT = "consumer_impact", "Consumer impact"
    LEGAL = "legal", "Legal or regulatory"


class Mitigation(models.TextChoices):
    NONE = "none", "None needed"
    REDACT = "redact", "Redact fields"
    AGGREGATE = "aggregate", "Aggregate"
    DELAY = "delay", "Delay publication"
    RESTRICT = "restrict", "Restrict access"


class Relation(models.TextChoices):
    """Typed relations between records; architecture uses ArchiMate's relationship names."""

    DEPENDS_ON = "depends_on", "depends on"
    REALISES = "realises", "realises"
    SERVES = "serves", "serves"
    EVIDENCE_FOR = "evidence_for", "is evidence for"
    MITIGATES = "mitigates", "mitigates"
    AFFECTS = "affects", "affects"
    DELIVERS = "delivers", "delivers"
    SUPERSEDES = "supersedes", "supersedes"
    PART_OF = "part_of", "is part of"
    REFERENCES = "references", "references"
    DUPLICATES = "duplicates", "duplicates"
    REFINES = "refines", "refines"
    ADDRESSES = "addresses", "addresses"


RELATION_INVERSE_LABELS = {
    Relation.DEPENDS_ON: "is depended on by",
    Relation.REALISES: "is realised by",
    Relation.SERVES: "is served by",
    Relation.EVIDENCE_FOR: "has evidence",
    Relation.MITIGATES: "is mitigated by",
    Relation.AFFECTS: "is affected by",
    Relation.DELIVERS: "is delivered by",
    Relation.SUPERSEDES: "is superseded by",
    Relation.PART_OF: "has part",
    Relation.REFERENCES: "is referenced by",
    Relation.DUPLICATES: "is duplicated by",
    Relation.REFINES: "is refined by",
    Relation.ADDRESSES: "is addressed by",
}


class ItemQuerySet(models.QuerySet["Item"]):
    def visible_to(self, user: User | None) -> ItemQuerySet:
        """The records `user` may see. Every read that can reach a person starts here."""
        from orchestrator.people.selectors import is_staff, organisation_ids_for

        published = Q(status__in=[Status.PUBLISHED, Status.ARCHIVED])
        if user is None or not user.is_authenticated:
            return self.filter(published, visibility=Visibility.OPEN)
        if is_staff(user):
            return self.all()
        org_ids = organisation_ids_for(user)
        seen = Q(visibility__in=[Visibility.OPEN, Visibility.REGISTERED])
        if org_ids:
            restricted_ids = ItemRestriction.objects.filter(organisation_id__in=org_ids).values(
                "item_id"
            )
            seen |= Q(visibility=Visibility.RESTRICTED, pk__in=restricted_ids)
        # Authors always see what they wrote (a stakeholder follows their submission whatever its
        # triage); drafts are also seen by their owner organisation.
        own = Q(created_by=user)
        if org_ids:
            own |= Q(status=Status.DRAFT, owner_id__in=org_ids)
        return self.filter((published & seen) | own)


class Item(models.Model):
    """What every record has. Kinds subclass it (multi-table inheritance) and set `KIND`."""

    KIND: ClassVar[str] = "item"
    KIND_LABEL: ClassVar[str] = "Record"
    KIND_PLURAL: ClassVar[str] = "Records"
    # Each kind's own text fields: shown on its page, searched, and open to redaction.
    TEXT_FIELDS: ClassVar[tuple[str, ...]] = ()
    # Each kind's own plain (not text, not relation) fields that its JSON shows, as facts.
    ATTRIBUTES: ClassVar[tuple[str, ...]] = ()
    # Each kind's own fields that its editors may change (with the base fields), on the web and by
    # the API's PATCH; relations change through the kind's own services.
    EDIT_FIELDS: ClassVar[tuple[str, ...]] = ()
    # Kinds whose published records are a fixed record of a moment (a plan version) refuse edits.
    IMMUTABLE_WHEN_PUBLISHED: ClassVar[bool] = False
    # The quality standard of the kind (core.quality checks it, /guidance explains it): the fields a
    # contributor must fill, the shortest acceptable body in characters, and what good looks like.
    # Kinds written by the public rather than contributors (submissions) are not checked.
    QUALITY_CHECKED: ClassVar[bool] = True
    REQUIRED_FIELDS: ClassVar[tuple[str, ...]] = ("summary",)
    MIN_BODY_LENGTH: ClassVar[int] = 0
    GUIDANCE: ClassVar[str] = ""

    uid = models.CharField(max_length=UID_LENGTH, unique=True, default=new_uid, editable=False)
    kind = models.CharField(max_length=40, db_index=True, editable=False)
    slug = models.SlugField(max_length=200, blank=True)
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True, max_length=2000)
    body = models.TextField(blank=True, help_text="Markdown")
    owner = models.ForeignKey(
        "people.Organisation", on_delete=models.PROTECT, related_name="owned_items"
    )
    visibility = models.CharField(
        max_length=12, choices=Visibility.choices, default=Visibility.OPEN, db_index=True
    )
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="created_items"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    # Dublin Core elements that cannot be derived from the record itself.
    subject = models.CharField(
        max_length=300, blank=True, help_text="Keywords, separated by commas"
    )
    language = models.CharField(max_length=20, default="en-GB")
    source = models.CharField(max_length=500, blank=True)
    coverage = models.CharField(max_length=300, blank=True, default="Great Britain")
    current_triage = models.OneToOneField(
        "Triage", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ItemQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["status", "visibility", "kind"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.kind:
            self.kind = type(self).KIND
        if not self.slug:
            self.slug = slugify(self.title)[:200]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("portal:item", kwargs={"uid": self.uid})

    def edit_refusal(self) -> str | None:
        """Why this record cannot be edited in its present state (a 409), or None; kinds override it."""
        return None

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    @property
    def kind_model(self) -> type[Item]:
        return kind_registry().get(self.kind, Item)

    @property
    def kind_label(self) -> str:
        return self.kind_model.KIND_LABEL

    def specific(self) -> Item:
        """This record as an instance of its own kind."""
        model = self.kind_model
        if isinstance(self, model):
            return self
        return model.objects.get(pk=self.pk)


class ItemRestriction(models.Model):
    """An organisation whose members may see a `restricted` record, as named by its current triage."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="restrictions")
    organisation = models.ForeignKey("people.Organisation", on_delete=models.PROTECT)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "organisation"], name="one_restriction_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.item_id} shared with {self.organisation_id}"


class SearchEntry(models.Model):
    """The searchable text of one record, kept by the services in the transaction of each change.

    SQLite indexes it with an FTS5 table kept in step by triggers; PostgreSQL with a stored,
    generated, weighted tsvector column and its GIN index (both made in migration 0004).
    `core.search` queries either.
    """

    item = models.OneToOneField(
        Item, on_delete=models.CASCADE, primary_key=True, related_name="search_entry"
    )
    title = models.TextField()
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    # Each kind's own text fields, one after another.
    extra = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"search entry for {self.item_id}"


class DocumentType(models.TextChoices):
    REPORT = "report", "Report"
    RESEARCH = "research", "Research"
    MINUTES = "minutes", "Minutes"
    POLICY = "policy", "Policy or process"
    GUIDANCE = "guidance", "Guidance"
    DESIGN = "design", "Design"
    OTHER = "other", "Other"


class Document(Item):
    """A document in the Shared Knowledge Base: a report, research, minutes, a policy, a design."""

    KIND = "document"
    KIND_LABEL = "Document"
    KIND_PLURAL = "Documents"
    ATTRIBUTES = ("document_type", "external_url")
    EDIT_FIELDS = ("document_type", "external_url")
    REQUIRED_FIELDS = ("summary", "body", "subject")
    MIN_BODY_LENGTH = 400
    GUIDANCE = (
        "Say in the summary what the document is and why it matters to the energy system. "
        "Give the body headings, and enough of the content (about sixty words or more) for a reader "
        "to judge whether to follow the link to the original; name its source and keywords."
    )

    document_type = models.CharField(
        max_length=20, choices=DocumentType.choices, default=DocumentType.REPORT
    )
    external_url = models.URLField(
        blank=True, help_text="Where the original is published, if elsewhere"
    )


def kind_registry() -> dict[str, type[Item]]:
    """Every concrete record kind, by its `KIND`."""
    from django.apps import apps

    return {
        model.KIND: model
        for model in apps.get_models()
        if issubclass(model, Item) and model is not Item
    }


class Link(models.Model):
    """A typed relation from one record to another, navigable both ways."""

    source = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="outgoing_links")
    target = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="incoming_links")
    relation = models.CharField(max_length=40, choices=Relation.choices)
    note = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "relation"], name="one_link_per_relation"
            ),
            models.CheckConstraint(condition=~Q(source=models.F("target")), name="no_self_link"),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} {self.relation} {self.target_id}"

    @property
    def inverse_label(self) -> str:
        return RELATION_INVERSE_LABELS.get(self.relation, f"is the target of {self.relation}")


class Topic(models.Model):
    """A subject the knowledge base is browsed by, curated by Research & Engagement.

    Any record can be filed under several topics; topics themselves are public.
    """

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(blank=True, max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("portal:topic", kwargs={"slug": self.slug})


class ItemTopic(models.Model):
    """A record filed under a topic."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="topic_filings")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="filings")
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "topic"], name="file_once_per_topic")
        ]

    def __str__(self) -> str:
        return f"{self.item_id} under {self.topic_id}"


class Follow(models.Model):
    """A person following one record, one kind or one topic, for e-mail digests of its changes.

    A digest sends only changes to records its reader may see at the time it is sent; `sent_up_to`
    is the last audit event a digest has covered for this follow.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    item = models.ForeignKey(
        Item, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=40, blank=True)
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_up_to = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(item__isnull=False, kind="", topic__isnull=True)
                    | Q(item__isnull=True, topic__isnull=True) & ~Q(kind="")
                    | Q(item__isnull=True, kind="", topic__isnull=False)
                ),
                name="follow_one_thing",
            ),
            models.UniqueConstraint(
                fields=["user", "item"], condition=Q(item__isnull=False), name="follow_item_once"
            ),
            models.UniqueConstraint(
                fields=["user", "kind"], condition=~Q(kind=""), name="follow_kind_once"
            ),
            models.UniqueConstraint(
                fields=["user", "topic"], condition=Q(topic__isnull=False), name="follow_topic_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.item_id or self.kind or self.topic_id}"


class AppendOnly(models.Model):
    """A model whose rows are never changed or removed once written."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValidationError(
                f"{type(self).__name__} is append-only: record a new one instead."
            )
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValidationError(f"{type(self).__name__} is append-only and cannot be deleted.")


class Triage(AppendOnly):
    """An open-data triage of one record. Re-triage is a new triage, never an edit."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="triages")
    outcome = models.CharField(max_length=12, choices=Visibility.choices)
    # [{"category": Sensitivity, "finding": str, "mitigation": Mitigation}, …]
    sensitivities = models.JSONField(default=list, blank=True)
    redacted_fields = models.JSONField(default=list, blank=True)
    restricted_to = models.ManyToManyField("people.Organisation", blank=True, related_name="+")
    rationale = models.TextField(blank=True)
    # Whether the public withheld register may show the record's title.
    title_public = models.BooleanField(default=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    review_by = models.DateField()

    class Meta:
        ordering = ["-at", "-id"]
        get_latest_by = ["at", "id"]

    def __str__(self) -> str:
        return f"Triage of {self.item_id}: {self.outcome}"

    @property
    def categories(self) -> list[str]:
        labels = dict(Sensitivity.choices)
        return [labels.get(s.get("category"), s.get("category")) for s in self.sensitivities]

    @property
    def spectrum(self) -> str:
        return VISIBILITY_SPECTRUM[Visibility(self.outcome)]


class AuditHead(models.Model):
    """The single row holding the head of the audit chain; locking it serialises appends."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"audit head at seq {self.seq}"


class AuditEvent(AppendOnly):
    """One event of the hash-chained audit log: `hash = sha256(prev_hash ‖ canonical JSON)`."""

    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=60)
    item_uid = models.CharField(max_length=UID_LENGTH, blank=True, db_index=True)
    data = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.item_uid}"
