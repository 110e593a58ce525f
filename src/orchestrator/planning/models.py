"""The strategic plan: objectives, metrics, investments, the roadmap, the RAID log, RACI, versions."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from orchestrator.core.models import Item


def one_to_five(value: int) -> None:
    if value is not None and not 1 <= value <= 5:
        raise ValidationError(f"Score it from 1 to 5 (not {value}).")


def not_in_future(value: dt.date | None) -> None:
    if value is not None and value > timezone.localdate():
        raise ValidationError("This date is in the future: it cannot have happened yet.")


def _errors(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


class Direction(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class Objective(Item):
    """A strategic objective of the Orchestrator's plan."""

    KIND = "objective"
    KIND_LABEL = "Strategic objective"
    KIND_PLURAL = "Strategic objectives"
    REQUIRED_FIELDS = ("summary", "body")
    MIN_BODY_LENGTH = 200
    GUIDANCE = (
        "State the objective as an outcome for the energy system, say why it matters, and name the "
        "success metrics that will show whether it is being met."
    )


class Metric(Item):
    """A success metric: what is measured, in what unit, which way is better, from where to where."""

    KIND = "metric"
    KIND_LABEL = "Success metric"
    KIND_PLURAL = "Success metrics"
    ATTRIBUTES = ("unit", "direction", "baseline", "target", "target_date")
    EDIT_FIELDS = ("unit", "direction", "baseline", "target", "target_date")
    REQUIRED_FIELDS = ("summary", "unit")
    GUIDANCE = (
        "Say what is counted and how, in which unit, whether higher or lower is better, the baseline, "
        "and the target with the date it should be reached; record each measurement with its source."
    )

    # Not `objective`: every Item already has that name, for the objective it may itself be.
    measures = models.ForeignKey(
        Objective,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="metrics",
        help_text="The objective this metric shows progress towards",
    )
    unit = models.CharField(max_length=60, blank=True, help_text="e.g. %, organisations, days")
    direction = models.CharField(max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    baseline = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    target = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    target_date = models.DateField(null=True, blank=True)

    def clean(self) -> None:
        errors = {}
        if self.target is not None and not self.unit.strip():
            errors["unit"] = "A metric with a target needs a unit: say what the numbers count."
        if self.target is not None and self.target_date is None:
            errors["target_date"] = "Say by when the target should be reached."
        _errors(errors)


class Measurement(models.Model):
    """One measurement of a metric, on a date, from a named source."""

    metric = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="measurements")
    value = models.DecimalField(max_digits=20, decimal_places=4)
    measured_on = models.DateField()
    source = models.CharField(max_length=500)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["measured_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["metric", "measured_on"], name="one_measurement_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.metric_id} = {self.value} on {self.measured_on}"


# --- Investments -------------------------------------------------------------------------------


class Phase(models.TextChoices):
    """The GOV.UK service phases, in order."""

    DISCOVERY = "discovery", "Discovery"
    ALPHA = "alpha", "Alpha"
    BETA = "beta", "Beta"
    LIVE = "live", "Live"
    RETIRED = "retired", "Retired"


PHASE_ORDER = [p.value for p in Phase]


class Confidence(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class Investment(Item):
    """A piece of shared digital infrastructure being planned or delivered, as the plan describes it."""

    KIND = "investment"
    KIND_LABEL = "Investment"
    KIND_PLURAL = "Investments"
    TEXT_FIELDS = ("purpose", "capabilities")
    ATTRIBUTES = (
        "phase",
        "discovery_began",
        "alpha_began",
        "beta_began",
        "live_began",
        "retired_began",
        "cost_low",
        "cost_high",
        "cost_confidence",
        "technical_details_url",
        "designated_sdi",
        "left_to_market",
    )
    EDIT_FIELDS = ATTRIBUTES[:-2] + TEXT_FIELDS
    REQUIRED_FIELDS = ("summary", "purpose", "capabilities")
    GUIDANCE = (
        "Give its purpose and its high-level capabilities and services; link what it integrates "
        "with; list its features with target dates; give an order-of-magnitude cost range with a "
        "confidence; name its objectives and success metrics, where the technical details are, "
        "and who is responsible for delivering what; keep its phase and the dates each began true."
    )

    purpose = models.TextField(blank=True, max_length=5000)
    capabilities = models.TextField(
        blank=True, max_length=5000, help_text="High-level capabilities and services"
    )
    phase = models.CharField(max_length=12, choices=Phase.choices, default=Phase.DISCOVERY)
    discovery_began = models.DateField(null=True, blank=True)
    alpha_began = models.DateField(null=True, blank=True)
    beta_began = models.DateField(null=True, blank=True)
    live_began = models.DateField(null=True, blank=True)
    retired_began = models.DateField(null=True, blank=True)
    # An order of magnitude, in pounds sterling: a range and how sure we are of it.
    cost_low = models.DecimalField(max_digits=16, decimal_places=0, null=True, blank=True)
    cost_high = models.DecimalField(max_digits=16, decimal_places=0, null=True, blank=True)
    cost_confidence = models.CharField(max_length=8, choices=Confidence.choices, blank=True)
    technical_details_url = models.URLField(
        blank=True, max_length=500, help_text="Where to go to find technical details"
    )
    designated_sdi = models.BooleanField(
        default=False, help_text="Designated shared digital infrastructure"
    )
    # The Product Team may instead decide it is not shared digital infrastructure: left to the market.
    left_to_market = models.BooleanField(
        default=False, help_text="Decided not to be shared digital infrastructure"
    )
    # The decision that designated it: one that has been taken (the services check; decision 0005).
    designated_by = models.ForeignKey(
        Item, null=True, blank=True, on_delete=models.PROTECT, related_name="designations"
    )
    objectives = models.ManyToManyField(Objective, blank=True, related_name="investments")
    metrics = models.ManyToManyField(Metric, blank=True, related_name="investments")

    def clean(self) -> None:
        errors: dict[str, str] = {}
        previous: tuple[str, dt.date] | None = None
        for value, label, began in self.phase_dates:
            if began is None:
                continue
            if began > timezone.localdate():
                errors[f"{value}_began"] = f"{label} cannot have begun in the future."
            elif previous and began < previous[1]:
                errors[f"{value}_began"] = (
                    f"{label} cannot have begun before {previous[0]} did ({previous[1]:%-d %B %Y})."
                )
            previous = (label, began)
        if self.phase and self.phase_began(self.phase) is None:
            errors.setdefault(
                f"{self.phase}_began",
                f"Give the date {self.get_phase_display().lower()} began: it is the current phase.",
            )
        later = PHASE_ORDER[PHASE_ORDER.index(self.phase) + 1 :] if self.phase else []
        for value in later:
            if self.phase_began(value) is not None:
                errors.setdefault(
                    f"{value}_began",
                    f"The investment is in {self.get_phase_display().lower()}: a later phase "
                    "cannot have begun.",
                )
        if self.cost_low is not None and self.cost_low < 0:
            errors["cost_low"] = "A cost cannot be negative."
        if (
            self.cost_low is not None
            and self.cost_high is not None
            and self.cost_high < self.cost_low
        ):
            errors["cost_high"] = "The top of the range cannot be below its bottom."
        if (self.cost_low is not None or self.cost_high is not None) and not self.cost_confidence:
            errors["cost_confidence"] = "Say how confident the cost estimate is."
        if self.designated_sdi and self.designated_by_id is None:
            errors["designated_by"] = (
                "Name the decision that designated it shared digital infrastructure."
            )
        if self.left_to_market and self.designated_sdi:
            errors["left_to_market"] = (
                "It cannot be both shared digital infrastructure and left to the market."
            )
        elif self.left_to_market and self.designated_by_id is None:
            errors["designated_by"] = "Name the decision that left it to the market."
        _errors(errors)

    def phase_began(self, phase: str) -> dt.date | None:
        return getattr(self, f"{phase}_began")

    @property
    def phase_dates(self) -> list[tuple[str, str, dt.date | None]]:
        return [(p.value, p.label, self.phase_began(p.value)) for p in Phase]


class Feature(models.Model):
    """A feature an investment will deliver, with its expected timing."""

    investment = models.ForeignKey(Investment, on_delete=models.CASCADE, related_name="features")
    name = models.CharField(max_length=200)
    target_date = models.DateField()
    delivered_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["target_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["investment", "name"], name="feature_named_once")
        ]

    def __str__(self) -> str:
        return self.name


# --- The delivery roadmap ----------------------------------------------------------------------


class Milestone(Item):
    """A milestone of an investment's delivery: planned, forecast and actual dates."""

    KIND = "milestone"
    KIND_LABEL = "Milestone"
    KIND_PLURAL = "Milestones"
    ATTRIBUTES = ("phase", "planned_on", "forecast_on", "actual_on")
    EDIT_FIELDS = ATTRIBUTES
    REQUIRED_FIELDS = ("summary",)
    GUIDANCE = (
        "Say what will be true when the milestone is reached; keep its forecast date current, "
        "record the actual date once reached, and name the milestones it depends on."
    )

    # Not `investment`: every Item already has that name, for the investment it may itself be.
    for_investment = models.ForeignKey(
        Investment, on_delete=models.CASCADE, related_name="milestones"
    )
    phase = models.CharField(
        max_length=12, choices=Phase.choices, blank=True, help_text="The phase it falls in"
    )
    planned_on = models.DateField()
    forecast_on = models.DateField(null=True, blank=True)
    actual_on = models.DateField(null=True, blank=True, validators=[not_in_future])
    depends_on = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="dependants"
    )

    class Meta:
        indexes = [models.Index(fields=["planned_on"])]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        investment = self.for_investment if self.for_investment_id else None
        if investment is not None:
            phase = self.phase or Phase.DISCOVERY
            began = investment.phase_began(phase)
            label = Phase(phase).label.lower()
            for name in ("forecast_on", "actual_on"):
                value = getattr(self, name)
                if began and value and value < began:
                    errors[name] = (
                        f"This date is before {label} began ({began:%-d %B %Y}) for "
                        f"“{investment.title}”."
                    )
        _errors(errors)

    @property
    def expected_on(self) -> dt.date:
        """When it happened, or else when it is forecast, or else when it was planned."""
        return self.actual_on or self.forecast_on or self.planned_on

    @property
    def slipped_days(self) -> int:
        return max(0, (self.expected_on - self.planned_on).days)


# --- The RAID log ------------------------------------------------------------------------------


class RaidStatus(models.TextChoices):
    OPEN = "open", "Open"
    MANAGING = "managing", "Being managed"
    CLOSED = "closed", "Closed"


class Proximity(models.TextChoices):
    """How soon a risk could happen."""

    IMMINENT = "imminent", "Imminent (within a month)"
    NEAR = "near", "Within three months"
    MEDIUM = "medium", "Within a year"
    FAR = "far", "More than a year away"


class RaidEntry(models.Model):
    """What every RAID log entry has: the investment it concerns, who manages it, its status and
    the date it is next reviewed. Abstract: each of risk, issue, assumption and dependency is a kind."""

    # Not `investment`: every Item already has that name, for the investment it may itself be.
    for_investment = models.ForeignKey(
        Investment,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="raid_%(class)ss",
        help_text="The investment it concerns",
    )
    managed_by = models.CharField(
        max_length=200, blank=True, help_text="The role or organisation that manages it"
    )
    raid_status = models.CharField(
        max_length=10, choices=RaidStatus.choices, default=RaidStatus.OPEN
    )
    review_on = models.DateField(null=True, blank=True, help_text="When it is next reviewed")

    RAID_EDIT_FIELDS = ("managed_by", "raid_status", "review_on")

    class Meta:
        abstract = True


class Risk(RaidEntry, Item):  # noqa: DJ008 (Item's __str__ is the title)
    """Something that might happen: its cause, the event, and its effect; scored and mitigated."""

    KIND = "risk"
    KIND_LABEL = "Risk"
    KIND_PLURAL = "Risks"
    TEXT_FIELDS = ("cause", "event", "effect", "mitigation")
    ATTRIBUTES = (
        "likelihood",
        "impact",
        "score",
        "proximity",
        "residual_likelihood",
        "residual_impact",
        "residual_score",
        "managed_by",
        "raid_status",
        "review_on",
    )
    EDIT_FIELDS = (
        *TEXT_FIELDS,
        "likelihood",
        "impact",
        "proximity",
        "identified_on",
        "residual_likelihood",
        "residual_impact",
        *RaidEntry.RAID_EDIT_FIELDS,
    )
    REQUIRED_FIELDS = ("summary", "cause", "event", "effect")
    GUIDANCE = (
        "Write it as cause, event and effect: because of a cause, an event may happen, which would "
        "have an effect. Score likelihood and impact from 1 to 5, say how soon it could happen, "
        "what is being done about it, who manages it, and the score once those actions work."
    )

    cause = models.TextField(blank=True, max_length=2000)
    event = models.TextField(blank=True, max_length=2000)
    effect = models.TextField(blank=True, max_length=2000)
    mitigation = models.TextField(blank=True, max_length=5000, help_text="Mitigating actions")
    likelihood = models.PositiveSmallIntegerField(default=3, validators=[one_to_five])
    impact = models.PositiveSmallIntegerField(default=3, validators=[one_to_five])
    proximity = models.CharField(max_length=10, choices=Proximity.choices, default=Proximity.MEDIUM)
    # When the risk was first identified: an issue counts as foreseen only by a risk identified
    # on or before the day it happened.
    identified_on = models.DateField(default=timezone.localdate, validators=[not_in_future])
    residual_likelihood = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[one_to_five]
    )
    residual_impact = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[one_to_five]
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(likelihood__gte=1, likelihood__lte=5)
                & models.Q(impact__gte=1, impact__lte=5),
                name="risk_scores_one_to_five",
            )
        ]

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def residual_score(self) -> int | None:
        if self.residual_likelihood is None or self.residual_impact is None:
            return None
        return self.residual_likelihood * self.residual_impact


class Issue(RaidEntry, Item):  # noqa: DJ008 (Item's __str__ is the title)
    """Something that has happened; it says which risk, if any, had foreseen it."""

    KIND = "issue"
    KIND_LABEL = "Issue"
    KIND_PLURAL = "Issues"
    TEXT_FIELDS = ("resolution",)
    ATTRIBUTES = ("occurred_on", "severity", "foreseen", "managed_by", "raid_status", "review_on")
    EDIT_FIELDS = ("resolution", "occurred_on", "severity", *RaidEntry.RAID_EDIT_FIELDS)
    GUIDANCE = (
        "Say what happened and when, how severe it is, what is being done, and link the risk that "
        "foresaw it if there was one: that is how the plan shows which issues were anticipated."
    )

    occurred_on = models.DateField(validators=[not_in_future])
    severity = models.PositiveSmallIntegerField(default=3, validators=[one_to_five])
    resolution = models.TextField(blank=True, max_length=5000, help_text="What is being done")
    foreseen_by = models.ForeignKey(
        Risk,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="became_issues",
        help_text="The risk that had foreseen it",
    )

    def clean(self) -> None:
        if self.foreseen_by_id and self.occurred_on:
            risk = self.foreseen_by
            if risk.identified_on > self.occurred_on:
                _errors(
                    {
                        "foreseen_by": (
                            f"“{risk.title}” was identified on {risk.identified_on:%-d %B %Y}, "
                            "after this issue happened: it did not foresee it."
                        )
                    }
                )

    @property
    def foreseen(self) -> bool:
        return self.foreseen_by_id is not None


class AssumptionStatus(models.TextChoices):
    UNTESTED = "untested", "Not yet tested"
    HOLDS = "holds", "Holds"
    FAILED = "failed", "Proved false"


class Assumption(RaidEntry, Item):  # noqa: DJ008 (Item's __str__ is the title)
    """Something the plan takes to be true, and how and by when that will be checked."""

    KIND = "assumption"
    KIND_LABEL = "Assumption"
    KIND_PLURAL = "Assumptions"
    TEXT_FIELDS = ("test",)
    ATTRIBUTES = ("validity", "managed_by", "raid_status", "review_on")
    EDIT_FIELDS = ("test", "validity", *RaidEntry.RAID_EDIT_FIELDS)
    GUIDANCE = "Say what is assumed, what depends on it, and how and by when it will be tested."

    test = models.TextField(blank=True, max_length=2000, help_text="How it will be tested")
    validity = models.CharField(
        max_length=10, choices=AssumptionStatus.choices, default=AssumptionStatus.UNTESTED
    )


class Dependency(RaidEntry, Item):  # noqa: DJ008 (Item's __str__ is the title)
    """Something the plan needs from inside the Orchestrator's portfolio, or from a named outside
    organisation, by a date."""

    KIND = "dependency"
    KIND_LABEL = "Dependency"
    KIND_PLURAL = "Dependencies"
    ATTRIBUTES = (
        "external",
        "on_organisation",
        "need_by",
        "managed_by",
        "raid_status",
        "review_on",
    )
    EDIT_FIELDS = ("need_by", *RaidEntry.RAID_EDIT_FIELDS)
    GUIDANCE = (
        "Say what is needed, from whom — another investment, or a named outside organisation — "
        "and by when, and what happens if it does not arrive."
    )

    external = models.BooleanField(default=False)
    on_organisation = models.ForeignKey(
        "people.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The outside organisation depended on",
    )
    need_by = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "dependencies"

    def clean(self) -> None:
        if self.external and self.on_organisation_id is None:
            _errors({"on_organisation": "Name the outside organisation it depends on."})
        if not self.external and self.on_organisation_id is not None:
            _errors(
                {"on_organisation": "An internal dependency is not on an outside organisation."}
            )


class Escalation(models.Model):
    """A risk, issue or concern escalated to the Board with a reason, and the Board's response."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="escalations")
    reason = models.TextField(max_length=5000)
    escalated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    escalated_at = models.DateTimeField(default=timezone.now)
    response = models.TextField(blank=True, max_length=5000)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-escalated_at", "-id"]

    def __str__(self) -> str:
        return f"escalation of {self.item_id}"

    @property
    def is_open(self) -> bool:
        return self.responded_at is None


# --- Responsibilities (RACI) -------------------------------------------------------------------


class Raci(models.TextChoices):
    RESPONSIBLE = "R", "Responsible"
    ACCOUNTABLE = "A", "Accountable"
    CONSULTED = "C", "Consulted"
    INFORMED = "I", "Informed"


class Activity(models.Model):
    """An activity of an investment, or of a work area of the Orchestrator, whose RACI is recorded.

    An investment's activities are seen by whoever may see the investment; a work area's are open."""

    investment = models.ForeignKey(
        Investment, null=True, blank=True, on_delete=models.CASCADE, related_name="activities"
    )
    work_area = models.CharField(max_length=200, blank=True)
    name = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["work_area", "name", "id"]
        verbose_name_plural = "activities"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(investment__isnull=False, work_area="")
                | models.Q(investment__isnull=True) & ~models.Q(work_area=""),
                name="activity_in_investment_or_work_area",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Assignment(models.Model):
    """One organisation's or role's part in an activity: R, A, C or I."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="assignments")
    part = models.CharField(max_length=1, choices=Raci.choices)
    organisation = models.ForeignKey(
        "people.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(max_length=32, blank=True, help_text="A role of the report's A.3")

    class Meta:
        ordering = ["part", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity"],
                condition=models.Q(part="A"),
                name="one_accountable_per_activity",
            ),
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=False, role="")
                | models.Q(organisation__isnull=True) & ~models.Q(role=""),
                name="assignment_to_organisation_or_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.part}: {self.organisation_id or self.role}"


# --- Strategic plan versions -------------------------------------------------------------------


class PlanVersion(Item):
    """A numbered, immutable snapshot of the plan, published by the Organisation Leader."""

    KIND = "plan_version"
    KIND_LABEL = "Strategic plan version"
    KIND_PLURAL = "Strategic plan versions"
    ATTRIBUTES = ("number",)
    REQUIRED_FIELDS = ("summary",)
    # Once published it cannot change: core.services refuses edits with a 409.
    IMMUTABLE_WHEN_PUBLISHED = True
    GUIDANCE = "Summarise what changed in the plan since the last version, and why."

    number = models.PositiveIntegerField(unique=True)
    snapshot = models.JSONField(default=dict)
