"""Writes about people: registration, organisations, appointments and declarations of interest."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.contrib.auth.password_validation import validate_password
from django.db import IntegrityError, transaction

from orchestrator.core import audit
from orchestrator.core.errors import Conflict, PermissionDenied, ValidationError
from orchestrator.core.services import create_item

from .models import CHAIRED_ROLES, Appointment, Declaration, Organisation, Role, User
from .selectors import forget_appointments


def _require(user: User | None, perm: str, obj: object = None) -> None:
    if user is None or not user.has_perm(perm, obj):
        raise PermissionDenied(f"You do not have permission to do this ({perm}).")


@transaction.atomic
def register_user(*, email: str, full_name: str, password: str) -> User:
    """Self-registration: immediate, no approval; the new user can read `registered` records."""
    email = User.objects.normalize_email(email.strip()).lower()
    if not full_name.strip():
        raise ValidationError({"full_name": "Enter your full name."})
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": "An account with this e-mail address already exists."})
    candidate = User(email=email, full_name=full_name.strip())
    validate_password(password, candidate)
    user = User.objects.create_user(email=email, password=password, full_name=full_name.strip())
    # The chain records that someone registered, not who: an e-mail address is personal data.
    audit.append(actor=user, action="user.registered", data={})
    return user


@transaction.atomic
def create_organisation(
    *,
    actor: User | None,
    name: str,
    kind: str,
    sector: str = "energy",
    description: str = "",
    website: str = "",
) -> Organisation:
    if actor is not None:
        _require(actor, "people.manage_organisations")
    org = Organisation(
        name=name.strip(), kind=kind, sector=sector, description=description, website=website
    )
    org.full_clean(exclude=["slug"])
    try:
        with transaction.atomic():
            org.save()
    except IntegrityError as exc:
        raise ValidationError({"name": f"An organisation called “{name}” already exists."}) from exc
    audit.append(
        actor=actor,
        action="organisation.created",
        data={"organisation": org.slug, "name": org.name, "kind": kind, "sector": sector},
    )
    return org


@transaction.atomic
def appoint(
    *,
    actor: User | None,
    user: User,
    role: str,
    organisation: Organisation,
    start: dt.date,
    end: dt.date | None = None,
    chair: bool = False,
) -> Appointment:
    """Appoint someone to a role. `actor=None` only for the system itself (first set-up, demo)."""
    if actor is not None:
        _require(actor, "people.manage_appointments")
    if role not in Role.values:
        raise ValidationError({"role": f"“{role}” is not a role."})
    if chair and role not in CHAIRED_ROLES:
        raise ValidationError({"chair": "Only the Board and the advisors have a chair."})
    if end is not None and end < start:
        raise ValidationError({"end": "An appointment cannot end before it starts."})
    appointment = Appointment.objects.create(
        user=user, role=role, organisation=organisation, start=start, end=end, chair=chair
    )
    forget_appointments(user)
    audit.append(
        actor=actor,
        action="appointment.made",
        data={
            "appointment": appointment.pk,
            "role": role,
            "organisation": organisation.slug,
            "start": start.isoformat(),
            "end": end.isoformat() if end else None,
            "chair": chair,
        },
    )
    return appointment


@transaction.atomic
def end_appointment(*, actor: User | None, appointment: Appointment, end: dt.date) -> Appointment:
    if actor is not None:
        _require(actor, "people.manage_appointments")
    if end < appointment.start:
        raise ValidationError({"end": "An appointment cannot end before it starts."})
    if appointment.end is not None and appointment.end < end:
        raise Conflict("This appointment has already ended.")
    Appointment.objects.filter(pk=appointment.pk).update(end=end)
    appointment.end = end
    forget_appointments(appointment.user)
    audit.append(
        actor=actor,
        action="appointment.ended",
        data={"appointment": appointment.pk, "end": end.isoformat()},
    )
    return appointment


def declare_interests(
    *,
    actor: User,
    appointment: Appointment,
    interests: str,
    organisations: Sequence[Organisation] = (),
    nil_return: bool = False,
) -> Declaration:
    """A declaration for the register of interests; a draft until it is triaged and published."""
    if nil_return and (interests.strip() or organisations):
        raise ValidationError({"nil_return": "A nil return declares no interests."})
    if not nil_return and not interests.strip():
        raise ValidationError({"interests": "Describe the interests, or make a nil return."})
    who = appointment.user.full_name
    with transaction.atomic():
        declaration = create_item(
            actor=actor,
            owner=appointment.organisation,
            model=Declaration,
            title=f"Declaration of interests: {who}, {appointment.get_role_display()}",
            summary="No interests declared." if nil_return else f"Interests declared by {who}.",
            fields={
                "appointment": appointment,
                "interests": interests.strip(),
                "nil_return": nil_return,
            },
            permission="people.declare_interests",
            permission_object=appointment,
        )
        declaration.organisations.set(organisations)
    return declaration
