"""Reads about people: who holds which role, who is staff, which organisations a person belongs to."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .models import STAFF_ROLES, Appointment

if TYPE_CHECKING:
    from .models import Organisation, User

_CACHE = "_orchestrator_current_appointments"


def current_appointments(user: User | None) -> list[Appointment]:
    """The user's current appointments, read once per user object (that is, once per request)."""
    if user is None or not user.is_authenticated:
        return []
    cached = getattr(user, _CACHE, None)
    if cached is None:
        cached = list(
            Appointment.objects.current().filter(user=user).select_related("organisation")
        )
        setattr(user, _CACHE, cached)
    return cached


def forget_appointments(user: User) -> None:
    """Drop the cached appointments after they change."""
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


def roles_for(user: User | None) -> set[str]:
    return {a.role for a in current_appointments(user)}


def has_role(user: User | None, *roles: str) -> bool:
    return bool(roles_for(user) & set(roles))


def is_staff(user: User | None) -> bool:
    """Orchestrator staff: a current appointment to a role of the Orchestrator itself."""
    return bool(roles_for(user) & STAFF_ROLES)


def organisation_ids_for(user: User | None) -> list[int]:
    return sorted({a.organisation_id for a in current_appointments(user)})


def longest_serving_organisation(role: str) -> Organisation | None:
    """The organisation of the longest-serving current holder of `role`: the team that does it."""
    appointment = (
        Appointment.objects.current()
        .filter(role=role)
        .select_related("organisation")
        .order_by("start", "pk")
        .first()
    )
    return appointment.organisation if appointment else None


def declared_interests(user: User | None, role: str) -> set[int]:
    """The organisations `user` declared an interest in, for their current appointments to `role`."""
    from .models import Declaration

    appointments = [a.pk for a in current_appointments(user) if a.role == role]
    if not appointments:
        return set()
    return set(
        Declaration.objects.filter(appointment_id__in=appointments)
        .exclude(status="archived")
        .values_list("organisations", flat=True)
        .exclude(organisations=None)
    )
