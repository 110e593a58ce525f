"""Organisations, users who sign in with e-mail, appointments to roles, and declarations of interest."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from orchestrator.core.models import Item


class Sector(models.TextChoices):
    ENERGY = "energy", "Energy"
    WATER = "water", "Water"
    TRANSPORT = "transport", "Transport"
    TELECOMS = "telecoms", "Telecommunications"
    FINANCE = "finance", "Financial services"
    HEALTH = "health", "Health"
    GOVERNMENT = "government", "Government and public sector"
    DIGITAL = "digital", "Digital and technology"
    OTHER = "other", "Other"


class OrganisationKind(models.TextChoices):
    ORCHESTRATOR_TEAM = "orchestrator_team", "Orchestrator team"
    DESIGN_BODY = "design_body", "Design body"
    DELIVERY_PARTNER = "delivery_partner", "Delivery partner"
    REGULATOR = "regulator", "Regulator"
    NETWORK_OPERATOR = "network_operator", "Network operator"
    SUPPLIER = "supplier", "Supplier"
    ACADEMIC = "academic", "Academic"
    CONSUMER_GROUP = "consumer_group", "Consumer group"
    OTHER = "other", "Other"


class Organisation(models.Model):
    """An organisation in or beyond the sector; the Orchestrator's own teams are organisations too."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    sector = models.CharField(max_length=20, choices=Sector.choices, default=Sector.ENERGY)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    description = models.TextField(blank=True)
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:200]
        super().save(*args, **kwargs)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str) -> User:
        # E-mail addresses are compared without regard to case: people type them both ways.
        return self.get(email__iexact=username)

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Someone who signs in with their e-mail address. Registration is self-service and immediate."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)
    # Django admin access only; being Orchestrator *staff* comes from a current appointment.
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Role(models.TextChoices):
    BOARD_MEMBER = "board_member", "Board member"
    ORGANISATION_LEADER = "organisation_leader", "Organisation Leader"
    PRODUCT_OWNER = "product_owner", "Product owner (Product Team)"
    TECHNICAL_ADVISOR = "technical_advisor", "Independent Technical Advisor"
    ARCHITECT = "architect", "Architect (Architecture Team)"
    PORTFOLIO_MANAGER = "portfolio_manager", "Portfolio manager (Portfolio Management Team)"
    RESEARCH_ENGAGEMENT = "research_engagement", "Research & Engagement"
    CORPORATE = "corporate", "Corporate (including Legal)"
    DESIGN_BODY_MEMBER = "design_body_member", "Design Body member"
    DELIVERY_PARTNER_MEMBER = "delivery_partner_member", "Delivery Partner member"
    ORGANISATION_MEMBER = "organisation_member", "Member of a sector organisation"


# Staff are appointed to a role of the Orchestrator itself: its teams, its Board and its advisors.
STAFF_ROLES = frozenset(
    {
        Role.BOARD_MEMBER,
        Role.ORGANISATION_LEADER,
        Role.PRODUCT_OWNER,
        Role.TECHNICAL_ADVISOR,
        Role.ARCHITECT,
        Role.PORTFOLIO_MANAGER,
        Role.RESEARCH_ENGAGEMENT,
        Role.CORPORATE,
    }
)
# Roles that may hold the chair flag: the Board has a chair, and so do the advisors.
CHAIRED_ROLES = frozenset({Role.BOARD_MEMBER, Role.TECHNICAL_ADVISOR})


class AppointmentQuerySet(models.QuerySet["Appointment"]):
    def current(self, on: dt.date | None = None) -> AppointmentQuerySet:
        on = on or timezone.localdate()
        return self.filter(Q(start__lte=on), Q(end__isnull=True) | Q(end__gte=on))

    def staff(self) -> AppointmentQuerySet:
        return self.filter(role__in=STAFF_ROLES)


class Appointment(models.Model):
    """A person appointed to a role, in an organisation, for a period; one of them may chair."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="appointments")
    role = models.CharField(max_length=32, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="appointments"
    )
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    chair = models.BooleanField(default=False)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["role", "-chair", "user__full_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="appointment_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        chair = " (chair)" if self.chair else ""
        return f"{self.user} — {self.get_role_display()}{chair}, {self.organisation}"

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.start <= today and (self.end is None or self.end >= today)


class Declaration(Item):
    """A declaration in the register of interests, made for one appointment and published per its triage."""

    KIND = "declaration"
    KIND_LABEL = "Declaration of interests"
    KIND_PLURAL = "Declarations of interests"
    TEXT_FIELDS = ("interests",)
    ATTRIBUTES = ("nil_return",)
    EDIT_FIELDS = ("nil_return", "interests")
    REQUIRED_FIELDS = ()
    GUIDANCE = (
        "Declare every interest in an organisation the Orchestrator works with — employment, "
        "shareholdings, directorships, contracts, close family — or make a nil return."
    )

    appointment = models.ForeignKey(
        Appointment, on_delete=models.PROTECT, related_name="declarations"
    )
    nil_return = models.BooleanField(
        default=False, help_text="The appointee declares that they have no interests to declare."
    )
    interests = models.TextField(blank=True)
    organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="declared_interests",
        help_text="Organisations in which the appointee declares an interest.",
    )
