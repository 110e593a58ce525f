"""The records of decision making: decisions, their options and evidence, advice, responses, opinions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from orchestrator.core.models import Item


class DecisionType(models.TextChoices):
    """The report's four important decisions, and any other."""

    SCOPE = "scope", "Scope of shared digital infrastructure"
    DESIGN = "design", "Design"
    DELIVERY_APPROACH = "delivery_approach", "Delivery approach"
    WHO_DELIVERS = "who_delivers", "Who delivers"
    OTHER = "other", "Other"


class Stage(models.TextChoices):
    """Where a decision is in its process; the order is the process's own."""

    PLANNED = "planned", "Planned"
    GATHERING_EVIDENCE = "gathering_evidence", "Gathering evidence"
    ADVICE_REQUESTED = "advice_requested", "Advice requested"
    ADVISED = "advised", "Advised"
    CONSULTATION = "consultation", "In consultation"
    DECIDED = "decided", "Decided"
    REVIEWED = "reviewed", "Reviewed by the Board"
    DEFERRED = "deferred", "Deferred"
    WITHDRAWN = "withdrawn", "Withdrawn"


# Stages in which the question is still open, so it is on the schedule of upcoming decisions.
OPEN_STAGES = (
    Stage.PLANNED,
    Stage.GATHERING_EVIDENCE,
    Stage.ADVICE_REQUESTED,
    Stage.ADVISED,
    Stage.CONSULTATION,
    Stage.DEFERRED,
)
DECIDED_STAGES = (Stage.DECIDED, Stage.REVIEWED)
# Once decided (or withdrawn) the record is what it was: a later decision supersedes it instead.
FIXED_STAGES = (Stage.DECIDED, Stage.REVIEWED, Stage.WITHDRAWN)
# Stages reached with a reason that is the decision's own text field (`deferral_reason`,
# `withdrawal_reason`), which triage may redact: the step's audit event leaves it out, since the
# chain is published whole to everyone who may see the decision.
REASONED_STAGES = (Stage.DEFERRED, Stage.WITHDRAWN)


class Assurance(models.TextChoices):
    ASSURED = "assured", "Assured"
    ASSURED_WITH_COMMENTS = "assured_with_comments", "Assured with comments"
    NOT_ASSURED = "not_assured", "Not assured"


class Decision(Item):
    """A decision the Product Team will take, or took: its question, options, evidence, the advice
    it was given, what was decided and why, and the Board's review."""

    KIND = "decision"
    KIND_LABEL = "Decision"
    KIND_PLURAL = "Decisions"
    TEXT_FIELDS = (
        "question",
        "context",
        "rationale",
        "departure",
        "consequences",
        "feedback_summary",
        "deferral_reason",
        "withdrawal_reason",
        "assurance_reasons",
    )
    ATTRIBUTES = (
        "decision_type",
        "stage",
        "scheduled_on",
        "first_scheduled_on",
        "decided_on",
        "departs_from_advice",
        "consultation_opens",
        "consultation_closes",
        "feedback_published_at",
        "assurance",
        "reviewed_on",
    )
    EDIT_FIELDS = ("question", "context", "decision_type")
    REQUIRED_FIELDS = ("summary", "question", "context")
    QUALITY_CHECKED = True
    GUIDANCE = (
        "State the question to be decided and its context, the options with their benefits, costs "
        "and risks, the records it affects and the organisations it concerns; attach the evidence "
        "before asking the Independent Technical Advisors for advice. Record the option chosen with "
        "its rationale, and explain any departure from the advisors' recommendation."
    )

    question = models.TextField(max_length=2000)
    context = models.TextField(blank=True, max_length=20000)
    decision_type = models.CharField(
        "type", max_length=20, choices=DecisionType.choices, default=DecisionType.OTHER
    )
    stage = models.CharField(
        max_length=20, choices=Stage.choices, default=Stage.PLANNED, db_index=True
    )
    scheduled_on = models.DateField(help_text="When the decision is planned to be made")
    # The date first put on the schedule, so the slip survives deferrals.
    first_scheduled_on = models.DateField()
    concerns = models.ManyToManyField(
        "people.Organisation",
        blank=True,
        related_name="decisions_concerning",
        help_text="Organisations the decision concerns: an advisor with an interest in one withdraws",
    )
    # What was decided.
    chosen = models.ForeignKey(
        "Option", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rationale = models.TextField(blank=True, max_length=20000)
    consequences = models.TextField(blank=True, max_length=20000)
    departs_from_advice = models.BooleanField(default=False)
    departure = models.TextField(
        "explanation of the departure from advice", blank=True, max_length=20000
    )
    # Indexed where set (Meta): few decisions are superseded, and an index full of NULLs looks to
    # SQLite's planner like one value shared by every row, so it scanned the table instead.
    supersedes = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
        db_index=False,
    )
    # Consultation.
    consultation_opens = models.DateTimeField(null=True, blank=True)
    consultation_closes = models.DateTimeField(null=True, blank=True)
    feedback_summary = models.TextField(blank=True, max_length=20000)
    feedback_published_at = models.DateTimeField(null=True, blank=True)
    # Deferral and withdrawal.
    deferred_from = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    deferral_reason = models.TextField(blank=True, max_length=5000)
    withdrawal_reason = models.TextField(blank=True, max_length=5000)
    # The Board's review.
    assurance = models.CharField(max_length=24, choices=Assurance.choices, blank=True)
    assurance_reasons = models.TextField(blank=True, max_length=20000)
    reviewed_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["stage", "scheduled_on"]),
            models.Index(
                fields=["supersedes"],
                condition=Q(supersedes__isnull=False),
                name="decision_supersedes_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(consultation_closes__isnull=True)
                | Q(consultation_opens__isnull=True)
                | Q(consultation_closes__gt=models.F("consultation_opens")),
                name="decision_consultation_closes_after_it_opens",
            ),
            models.CheckConstraint(
                condition=Q(departs_from_advice=False) | ~Q(departure=""),
                name="decision_departure_explained",
            ),
        ]

    def edit_refusal(self) -> str | None:
        if self.stage in FIXED_STAGES:
            return (
                f"“{self.title}” is {self.get_stage_display().lower()} and cannot be changed; "
                "a later decision can supersede it."
            )
        return None

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES

    @property
    def consulted(self) -> bool:
        return self.consultation_opens is not None


class Option(models.Model):
    """One of the options a decision chooses between, with its benefits, costs and risks."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(max_length=8, help_text="A, B, C …")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True, max_length=20000)
    benefits = models.TextField(blank=True, max_length=20000)
    costs = models.TextField(blank=True, max_length=20000)
    risks = models.TextField(blank=True, max_length=20000)

    class Meta:
        ordering = ["decision", "label", "id"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "label"], name="option_label_once"),
        ]

    def __str__(self) -> str:
        return f"Option {self.label}: {self.title}"


class Evidence(models.Model):
    """A document, web link or record used in making a decision, with what it shows."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="evidence")
    description = models.CharField(max_length=500)
    url = models.URLField(max_length=1000, blank=True)
    record = models.ForeignKey(
        Item, null=True, blank=True, on_delete=models.PROTECT, related_name="evidence_for"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "id"]
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(
                condition=(Q(url="") & Q(record__isnull=False))
                | (~Q(url="") & Q(record__isnull=True)),
                name="evidence_is_a_link_or_a_record",
            ),
        ]

    def __str__(self) -> str:
        return self.description


class DecisionStep(models.Model):
    """One step of a decision's process: the stage it moved to, who moved it, when and why."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="steps")
    from_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=Stage.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True, max_length=5000)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.decision_id}: {self.from_stage} → {self.to_stage}"


class Recommendation(Item):
    """An Independent Technical Advisor's recommendation on a decision, or the chair's consolidated
    recommendation of the advisors."""

    KIND = "recommendation"
    KIND_LABEL = "Recommendation"
    KIND_PLURAL = "Recommendations"
    TEXT_FIELDS = ("reasoning",)
    ATTRIBUTES = ("consolidated",)
    EDIT_FIELDS = ()
    IMMUTABLE_WHEN_PUBLISHED = True
    REQUIRED_FIELDS = ("reasoning",)
    GUIDANCE = (
        "Name the option you recommend and give your reasoning from the evidence; the chair's "
        "consolidated recommendation gives the advisors' view and where they differed."
    )

    # `for_`: a field named `decision` would hide every record's `decision` child accessor.
    for_decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, related_name="recommendations"
    )
    option = models.ForeignKey(Option, on_delete=models.PROTECT, related_name="recommendations")
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="recommendations"
    )
    consolidated = models.BooleanField(default=False)
    reasoning = models.TextField(max_length=20000)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["for_decision", "advisor"],
                condition=Q(consolidated=False),
                name="one_recommendation_per_advisor",
            ),
            models.UniqueConstraint(
                fields=["for_decision"],
                condition=Q(consolidated=True),
                name="one_consolidated_recommendation",
            ),
        ]


class ResponseState(models.TextChoices):
    RECEIVED = "received", "Received"
    PUBLISHED = "published", "Published"
    WITHHELD = "withheld", "Not published"


class ConsultationResponse(Item):
    """A registered user's response to a decision's consultation, triaged before it is published."""

    KIND = "consultation_response"
    KIND_LABEL = "Consultation response"
    KIND_PLURAL = "Consultation responses"
    # `response` is what the respondent wrote; `published_text` is what is published, with any
    # personal data taken out, so triage redacts the first and the public read the second.
    TEXT_FIELDS = ("response", "published_text")
    ATTRIBUTES = ("consent_to_publish", "state")
    EDIT_FIELDS = ()
    IMMUTABLE_WHEN_PUBLISHED = True
    QUALITY_CHECKED = False
    GUIDANCE = "Say what you think of the options, and why; say whether we may publish it."

    for_decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="responses")
    response = models.TextField(max_length=20000)
    published_text = models.TextField(blank=True, max_length=20000)
    consent_to_publish = models.BooleanField(default=False)
    state = models.CharField(
        max_length=12, choices=ResponseState.choices, default=ResponseState.RECEIVED
    )


class BoardOpinion(Item):
    """A Board member's opinion of a decision, documented as the report asks."""

    KIND = "board_opinion"
    KIND_LABEL = "Board opinion"
    KIND_PLURAL = "Board opinions"
    TEXT_FIELDS = ("opinion",)
    ATTRIBUTES = ()
    EDIT_FIELDS = ()
    IMMUTABLE_WHEN_PUBLISHED = True
    REQUIRED_FIELDS = ("opinion",)
    GUIDANCE = "Give your opinion of the decision and of the process that led to it."

    for_decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="opinions")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="board_opinions"
    )
    opinion = models.TextField(max_length=20000)
