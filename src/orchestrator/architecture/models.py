"""The enterprise and solution architecture: models, elements, relationships, states, views, designs."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from orchestrator.core.models import Item

from .archimate import (
    ACCESS_TYPES,
    ELEMENT_TYPES,
    JUNCTIONS,
    LAYER_LABELS,
    RELATIONSHIP_TYPES,
    Layer,
    refusal,
)

# Exchange-format identifiers are xs:ID values; tools write up to a few dozen characters.
IDENTIFIER_LENGTH = 200


def _errors(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def first_text(texts: dict[str, str] | None, fallback: str = "") -> str:
    """The text in the first language given (an exchange file's own order), else `fallback`."""
    for value in (texts or {}).values():
        if value:
            return value
    return fallback


class Scope(models.TextChoices):
    ENTERPRISE = "enterprise", "Enterprise architecture"
    SOLUTION = "solution", "Solution architecture (high-level, by a Design Body)"
    LOW_LEVEL = "low_level", "Low-level design (by a Delivery Partner)"


class ArchitectureModel(Item):
    """A model in the ArchiMate sense: the container an exchange file holds, imported or built here."""

    KIND = "architecture_model"
    KIND_LABEL = "Architecture model"
    KIND_PLURAL = "Architecture models"
    ATTRIBUTES = ("identifier", "scope", "model_version")
    GUIDANCE = (
        "Say what the model covers and for whom; keep its elements' names and documentation in "
        "plain language, and its states (as-is, transitions, to-be) current."
    )

    identifier = models.CharField(max_length=IDENTIFIER_LENGTH, unique=True)
    scope = models.CharField(max_length=12, choices=Scope.choices, default=Scope.ENTERPRISE)
    model_version = models.CharField(max_length=100, blank=True)
    # Everything the exchange format carries, kept as written so export loses nothing: texts by
    # language ({"en": "…"}), properties ([{"ref": propertyDefinitionRef, "values": {lang: text}}]).
    names = models.JSONField(default=dict, blank=True)
    documentation = models.JSONField(default=dict, blank=True)
    properties = models.JSONField(default=list, blank=True)
    property_definitions = models.JSONField(default=list, blank=True)
    organizations = models.JSONField(default=list, blank=True)
    metadata = models.TextField(blank=True, help_text="The <metadata> element, as XML")


class SdiDesignation(models.TextChoices):
    UNDECIDED = "undecided", "Not yet decided"
    SHARED = "shared", "Shared digital infrastructure"
    MARKET = "market", "Left to the market"


# ArchiMate types that are record kinds of their own (the architecture governance framework).
GOVERNANCE_TYPES = frozenset({"Principle", "Constraint", "Requirement"})
GOVERNANCE_KINDS = {t.lower(): t for t in GOVERNANCE_TYPES}


class Element(Item):
    """An ArchiMate element: its type, its model and its exchange identifier, and what it is for."""

    # The one type a subkind's elements have (None: any type but the governance framework's).
    ARCHIMATE_TYPE: str | None = None

    KIND = "element"
    KIND_LABEL = "Architecture element"
    KIND_PLURAL = "Architecture elements"
    ATTRIBUTES = ("archimate_type", "layer", "identifier", "sdi_designation")
    EDIT_FIELDS = ("archimate_type",)
    GUIDANCE = (
        "Name the element as the sector would recognise it, say in its documentation what it does "
        "and for whom, and relate it to what it serves, realises and depends on."
    )

    model = models.ForeignKey(ArchitectureModel, on_delete=models.CASCADE, related_name="elements")
    identifier = models.CharField(max_length=IDENTIFIER_LENGTH)
    archimate_type = models.CharField(
        max_length=40,
        choices=[(name, t.label) for name, t in ELEMENT_TYPES.items()],
        help_text="The ArchiMate 3.1 element type",
    )
    # Follows from the type (set on save); stored so maps and lists can filter by it.
    layer = models.CharField(
        max_length=30,
        choices=[(layer.value, label) for layer, label in LAYER_LABELS.items()],
        blank=True,
        db_index=True,
    )
    names = models.JSONField(default=dict, blank=True)
    documentation = models.JSONField(default=dict, blank=True)
    properties = models.JSONField(default=list, blank=True)
    sdi_designation = models.CharField(
        max_length=10, choices=SdiDesignation.choices, default=SdiDesignation.UNDECIDED
    )
    # The decision that designated it: one that has been taken (the services check; decision 0005).
    designated_by = models.ForeignKey(
        Item, null=True, blank=True, on_delete=models.PROTECT, related_name="designated_elements"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "identifier"], name="element_identifier_once")
        ]
        indexes = [models.Index(fields=["model", "archimate_type"])]

    def save(self, *args, **kwargs) -> None:
        self.set_layer()
        super().save(*args, **kwargs)

    def set_layer(self) -> None:
        if self.archimate_type in ELEMENT_TYPES:
            self.layer = ELEMENT_TYPES[self.archimate_type].layer.value

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.archimate_type not in ELEMENT_TYPES:
            errors["archimate_type"] = (
                f"“{self.archimate_type}” is not an ArchiMate 3.1 element type."
            )
        if self.sdi_designation != SdiDesignation.UNDECIDED and self.designated_by_id is None:
            errors["designated_by"] = "Name the decision that designated it."
        # By kind, not class: a principle read through Element.objects is an Element instance.
        own = GOVERNANCE_KINDS.get(self.kind or type(self).KIND)
        if own and self.archimate_type != own:
            errors["archimate_type"] = (
                f"A {own.lower()} stays a {own.lower()}: add an element of the other type instead."
            )
        elif not own and self.archimate_type in GOVERNANCE_TYPES:
            errors["archimate_type"] = (
                "Principles, constraints and requirements are kinds of their own: add one as such."
            )
        _errors(errors)

    @property
    def type_label(self) -> str:
        return ELEMENT_TYPES[self.archimate_type].label

    @property
    def is_junction(self) -> bool:
        return self.archimate_type in JUNCTIONS


class Measure(models.TextChoices):
    """Service-level measures a non-functional requirement or a constraint can set a threshold on."""

    AVAILABILITY = "availability", "Availability (%)"
    LATENCY = "latency", "Latency (ms)"
    SUPPORT_HOURS = "support_hours", "Support hours a week"
    RECOVERY_TIME = "recovery_time", "Recovery time objective (minutes)"
    RECOVERY_POINT = "recovery_point", "Recovery point objective (minutes)"


# Which way is stronger: more availability and support, less latency and data or time lost.
HIGHER_IS_STRONGER = {Measure.AVAILABILITY, Measure.SUPPORT_HOURS}


class Measurable(models.Model):
    """A threshold on a service-level measure, so a refinement can be checked against what it refines."""

    measure = models.CharField(max_length=20, choices=Measure.choices, blank=True)
    threshold = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return getattr(self, "title", "") or f"{self.measure} {self.threshold}"

    def clean_measure(self) -> dict[str, str]:
        if bool(self.measure) != (self.threshold is not None):
            return {"threshold": "Give both the measure and its threshold, or neither."}
        return {}

    def weaker_than(self, other: Measurable) -> bool:
        """Whether this threshold asks for less than `other`'s on the same measure."""
        if not (self.measure and self.measure == other.measure) or None in (
            self.threshold,
            other.threshold,
        ):
            return False
        if self.measure in HIGHER_IS_STRONGER:
            return self.threshold < other.threshold
        return self.threshold > other.threshold


class Principle(Element):
    """A technical delivery principle of the architecture governance framework."""

    KIND = "principle"
    ARCHIMATE_TYPE = "Principle"
    KIND_LABEL = "Principle"
    KIND_PLURAL = "Principles"
    TEXT_FIELDS = ("rationale", "implications")
    EDIT_FIELDS = TEXT_FIELDS
    REQUIRED_FIELDS = ("summary", "rationale", "implications")
    GUIDANCE = (
        "State the principle in a sentence (its summary), say why it holds (rationale) and what "
        "following it means for designs and delivery (implications)."
    )

    rationale = models.TextField(blank=True, max_length=5000)
    implications = models.TextField(blank=True, max_length=5000)


class Constraint(Measurable, Element):
    """A delivery constraint designs must keep within, with a threshold where it can be measured."""

    KIND = "constraint"
    ARCHIMATE_TYPE = "Constraint"
    KIND_LABEL = "Constraint"
    KIND_PLURAL = "Constraints"
    TEXT_FIELDS = ("rationale",)
    ATTRIBUTES = (*Element.ATTRIBUTES, "measure", "threshold")
    EDIT_FIELDS = ("rationale", "measure", "threshold")
    REQUIRED_FIELDS = ("summary",)
    GUIDANCE = (
        "Say what designs may not do or must stay within, and why; give a measure and threshold "
        "where one applies, so solution architectures can be checked against it."
    )

    rationale = models.TextField(blank=True, max_length=5000)

    def clean(self) -> None:
        errors = self.clean_measure()
        try:
            super().clean()
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})
        _errors(errors)


class RequirementCategory(models.TextChoices):
    FUNCTIONAL = "functional", "Functional"
    NON_FUNCTIONAL = "non_functional", "Non-functional"
    DESIGN_PROCESS = "design_process", "Design process requirement"


class RequirementSource(models.TextChoices):
    RESEARCHED_NEED = "researched_need", "A researched need"
    SUBMISSION = "submission", "A stakeholder submission"
    DECISION = "decision", "A decision"


class Requirement(Measurable, Element):
    """A requirement interpreted from a researched need, a submission or a decision."""

    KIND = "requirement"
    ARCHIMATE_TYPE = "Requirement"
    KIND_LABEL = "Requirement"
    KIND_PLURAL = "Requirements"
    TEXT_FIELDS = ("acceptance_criterion",)
    ATTRIBUTES = (*Element.ATTRIBUTES, "category", "source_type", "measure", "threshold")
    EDIT_FIELDS = ("category", "source_type", "acceptance_criterion", "measure", "threshold")
    REQUIRED_FIELDS = ("summary", "acceptance_criterion")
    GUIDANCE = (
        "Say what is required and of what, where the need came from (a researched need, a "
        "submission or a decision, linked), and how anyone can tell it has been met."
    )

    category = models.CharField(
        max_length=20, choices=RequirementCategory.choices, default=RequirementCategory.FUNCTIONAL
    )
    source_type = models.CharField(max_length=20, choices=RequirementSource.choices, blank=True)
    source_record = models.ForeignKey(
        Item, null=True, blank=True, on_delete=models.PROTECT, related_name="requirements_raised"
    )
    acceptance_criterion = models.TextField(blank=True, max_length=5000)

    def clean(self) -> None:
        errors = self.clean_measure()
        if self.source_record_id and not self.source_type:
            errors["source_type"] = "Say what kind of source the linked record is."
        if self.measure and self.category != RequirementCategory.NON_FUNCTIONAL:
            errors["measure"] = "Only a non-functional requirement sets a service-level threshold."
        try:
            super().clean()
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})
        _errors(errors)


class RelationshipQuerySet(models.QuerySet["Relationship"]):
    def visible_to(self, user) -> RelationshipQuerySet:
        """Relationships whose ends `user` may all see; one hidden end hides the relationship."""
        seen = Element.objects.visible_to(user).values("pk")
        element_ends = Q(source__in=seen) | Q(source__isnull=True)
        element_ends &= Q(target__in=seen) | Q(target__isnull=True)
        # A relationship ending at a relationship is seen when that relationship's element ends are.
        for end in ("source_relationship", "target_relationship"):
            element_ends &= Q(**{f"{end}__isnull": True}) | (
                Q(**{f"{end}__source__in": seen}) | Q(**{f"{end}__source__isnull": True})
            ) & (Q(**{f"{end}__target__in": seen}) | Q(**{f"{end}__target__isnull": True}))
        return self.filter(element_ends)


class Relationship(models.Model):
    """An ArchiMate relationship, with its own identifier and properties, between elements (or one
    element and a relationship). Its own table rather than a `core.Link`: decision 0006."""

    model = models.ForeignKey(
        ArchitectureModel, on_delete=models.CASCADE, related_name="relationships"
    )
    identifier = models.CharField(max_length=IDENTIFIER_LENGTH)
    type = models.CharField(max_length=20, choices=[(t, t) for t in RELATIONSHIP_TYPES])
    source = models.ForeignKey(
        Element, null=True, blank=True, on_delete=models.CASCADE, related_name="relationships_out"
    )
    target = models.ForeignKey(
        Element, null=True, blank=True, on_delete=models.CASCADE, related_name="relationships_in"
    )
    source_relationship = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    target_relationship = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    access_type = models.CharField(
        max_length=10, choices=[(a, a) for a in ACCESS_TYPES], blank=True
    )
    # Influence strength (the exchange format's `modifier`: "+", "++", "-", "5" …).
    modifier = models.CharField(max_length=20, blank=True)
    is_directed = models.BooleanField(null=True, blank=True, help_text="Associations only")
    names = models.JSONField(default=dict, blank=True)
    documentation = models.JSONField(default=dict, blank=True)
    properties = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now)

    objects = RelationshipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["model", "identifier"], name="relationship_identifier_once"
            ),
            models.CheckConstraint(
                condition=Q(source__isnull=False, source_relationship__isnull=True)
                | Q(source__isnull=True, source_relationship__isnull=False),
                name="relationship_one_source",
            ),
            models.CheckConstraint(
                condition=Q(target__isnull=False, target_relationship__isnull=True)
                | Q(target__isnull=True, target_relationship__isnull=False),
                name="relationship_one_target",
            ),
        ]
        indexes = [models.Index(fields=["model", "type"])]

    def __str__(self) -> str:
        return f"{self.source_id or self.source_relationship_id} {self.type} {self.target_id or self.target_relationship_id}"

    @property
    def source_type(self) -> str:
        return self.source.archimate_type if self.source_id else "Relationship"

    @property
    def target_type(self) -> str:
        return self.target.archimate_type if self.target_id else "Relationship"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        why = refusal(self.type, self.source_type, self.target_type)
        if why:
            errors["type"] = why
        if self.access_type and self.type != "Access":
            errors["access_type"] = "Only an access relationship has an access type."
        if self.modifier and self.type != "Influence":
            errors["modifier"] = "Only an influence relationship has a strength."
        if self.is_directed is not None and self.type != "Association":
            errors["is_directed"] = "Only an association is directed or not."
        for end in ("source", "target"):
            element = getattr(self, end) if getattr(self, f"{end}_id") else None
            if element is not None and self.model_id and element.model_id != self.model_id:
                errors[end] = "Both ends of a relationship belong to its model."
        _errors(errors)

    @property
    def name(self) -> str:
        return first_text(self.names)


class StateKind(models.TextChoices):
    BASELINE = "baseline", "As-is (baseline)"
    TRANSITION = "transition", "Transition plateau"
    TARGET = "target", "To-be (target)"


class State(models.Model):
    """An architecture state of a model: its as-is, a transition plateau or its to-be."""

    model = models.ForeignKey(ArchitectureModel, on_delete=models.CASCADE, related_name="states")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=StateKind.choices)
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order from the as-is to the to-be"
    )
    description = models.TextField(blank=True, max_length=5000)
    # The ArchiMate plateau that stands for this state in the model, if it has one.
    plateau = models.ForeignKey(
        Element, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    elements = models.ManyToManyField(Element, blank=True, related_name="states")
    relationships = models.ManyToManyField(Relationship, blank=True, related_name="states")

    class Meta:
        ordering = ["model", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["model", "name"], name="state_named_once")]

    def __str__(self) -> str:
        return self.name


class View(Item):
    """A diagram of a model (an ArchiMate view): its nodes, connections, bounds, bendpoints, styles."""

    KIND = "architecture_view"
    KIND_LABEL = "Architecture view"
    KIND_PLURAL = "Architecture views"
    ATTRIBUTES = ("identifier", "viewpoint")
    GUIDANCE = "Say in its documentation what the view shows and for whom."

    model = models.ForeignKey(ArchitectureModel, on_delete=models.CASCADE, related_name="views")
    identifier = models.CharField(max_length=IDENTIFIER_LENGTH)
    viewpoint = models.CharField(max_length=100, blank=True)
    names = models.JSONField(default=dict, blank=True)
    documentation = models.JSONField(default=dict, blank=True)
    properties = models.JSONField(default=list, blank=True)
    # The view's nodes and connections, as `architecture.exchange` reads and writes them.
    content = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "identifier"], name="view_identifier_once")
        ]


class SignOff(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for sign-off"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    SIGNED_OFF = "signed_off", "Signed off"


class SolutionArchitecture(Item):
    """A Design Body's high-level solution architecture for a work package, or a Delivery Partner's
    low-level design that follows one; traced to what it refines and signed off by the Architecture
    Team."""

    KIND = "solution_architecture"
    KIND_LABEL = "Solution architecture"
    KIND_PLURAL = "Solution architectures"
    TEXT_FIELDS = ("functional_requirements", "non_functional_requirements")
    ATTRIBUTES = (
        "scope",
        "sign_off",
        "availability",
        "latency_ms",
        "support_hours",
        "recovery_time_minutes",
        "recovery_point_minutes",
    )
    EDIT_FIELDS = (
        "functional_requirements",
        "non_functional_requirements",
        "availability",
        "latency_ms",
        "support_hours",
        "recovery_time_minutes",
        "recovery_point_minutes",
    )
    REQUIRED_FIELDS = ("summary", "functional_requirements", "non_functional_requirements")
    GUIDANCE = (
        "Give the detailed functional and non-functional requirements, the logical and physical "
        "views, the service agreements and the dependencies; trace every element to the enterprise "
        "element it refines or realises, and say which principles it addresses."
    )

    scope = models.CharField(max_length=12, choices=Scope.choices[1:], default=Scope.SOLUTION)
    # The work package it is for: an investment until contracting lands (`for_`: see Milestone).
    for_investment = models.ForeignKey(
        "planning.Investment", on_delete=models.PROTECT, related_name="solution_architectures"
    )
    design_body = models.ForeignKey(
        "people.Organisation",
        on_delete=models.PROTECT,
        related_name="solution_architectures",
        help_text="The Design Body (or, for a low-level design, the Delivery Partner) writing it",
    )
    follows = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="low_level_designs",
        help_text="The solution architecture a low-level design follows",
    )
    architecture = models.OneToOneField(
        ArchitectureModel,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="solution",
        help_text="Its own elements, relationships and views",
    )
    sign_off = models.CharField(max_length=20, choices=SignOff.choices, default=SignOff.DRAFT)
    functional_requirements = models.TextField(blank=True, max_length=20000)
    non_functional_requirements = models.TextField(
        "non-functional requirements", blank=True, max_length=20000
    )
    # Service agreements.
    availability = models.DecimalField(
        max_digits=7, decimal_places=4, null=True, blank=True, help_text="Per cent of the time"
    )
    latency_ms = models.PositiveIntegerField(null=True, blank=True)
    support_hours = models.CharField(
        max_length=100, blank=True, help_text="e.g. 24×7, 08:00–18:00 weekdays"
    )
    recovery_time_minutes = models.PositiveIntegerField(null=True, blank=True)
    recovery_point_minutes = models.PositiveIntegerField(null=True, blank=True)

    def edit_refusal(self) -> str | None:
        if self.sign_off == SignOff.SIGNED_OFF:
            return (
                f"“{self.title}” is signed off and cannot be changed; the Architecture Team "
                "would have to scope a new design."
            )
        return None

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.scope == Scope.LOW_LEVEL and self.follows_id is None:
            errors["follows"] = "A low-level design names the solution architecture it follows."
        if self.scope == Scope.SOLUTION and self.follows_id is not None:
            errors["follows"] = "Only a low-level design follows another design."
        if self.availability is not None and not 0 <= self.availability <= 100:
            errors["availability"] = "Availability is a percentage, from 0 to 100."
        _errors(errors)


class SignOffStep(models.Model):
    """One step of a solution architecture's sign-off: who moved it, to what, when, and why."""

    solution = models.ForeignKey(
        SolutionArchitecture, on_delete=models.CASCADE, related_name="sign_off_steps"
    )
    to_state = models.CharField(max_length=20, choices=SignOff.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True, max_length=5000)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.solution_id} → {self.to_state}"


__all__ = ["Layer"]
