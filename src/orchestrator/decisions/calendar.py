"""The schedule of decisions as an iCalendar feed (RFC 5545), so people can follow it in their own
calendar: each upcoming decision the requester may see on its scheduled date, and the decisions
taken in the last year on the day they were taken."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone
from icalendar import Calendar, Event

from orchestrator.core.selectors import REDACTED, redacted_fields

from . import selectors
from .models import DECIDED_STAGES, Decision, Stage

if TYPE_CHECKING:
    from orchestrator.people.models import User

CALENDAR_NAME = "Orchestrator: decisions"
# How far back decisions taken stay in the feed.
PAST = dt.timedelta(days=365)


def _text(user: User | None, decision: Decision, name: str) -> str:
    return REDACTED if name in redacted_fields(user, decision) else getattr(decision, name)


def _event(
    user: User | None, decision: Decision, *, base: str, on: dt.date, status: str, description: str
) -> Event:
    return Event.new(
        uid=f"{decision.uid}@orchestrator",
        start=on,
        # All day: it ends at the start of the next (the last day there is has no next).
        end=on + dt.timedelta(days=1) if on < dt.date.max else None,
        summary=decision.title,
        description=description,
        url=f"{base}{decision.get_absolute_url()}",
        status=status,
        categories=[decision.get_decision_type_display()],
        # With no METHOD, DTSTAMP is when the event was last revised (RFC 5545, 3.8.7.2).
        stamp=decision.updated_at.astimezone(dt.UTC),
        last_modified=decision.updated_at.astimezone(dt.UTC),
        sequence=decision.version,
    )


def _upcoming_description(user: User | None, decision: Decision) -> str:
    question = _text(user, decision, "question")
    if decision.stage != Stage.DEFERRED:
        return f"{question}\n\n{decision.get_stage_display()}."
    reason = _text(user, decision, "deferral_reason")
    return (
        f"Deferred (first planned for {decision.first_scheduled_on:%-d %B %Y}): {reason}"
        f"\n\n{question}"
    )


def schedule_calendar(
    user: User | None, *, host: str, secure: bool = True, today: dt.date | None = None
) -> bytes:
    """The decisions `user` may see as an iCalendar document, with links to `host`."""
    today = today or timezone.localdate()
    base = f"{'https' if secure else 'http'}://{host}"
    calendar = Calendar.new(
        name=CALENDAR_NAME,
        description="Decisions the Product Team plan to take, and those taken in the last year.",
        prodid="-//Orchestrator//Decisions schedule//EN",
        uid=f"decisions@{host}",
        url=f"{base}/decisions",
        refresh_interval=dt.timedelta(hours=6),
    )
    calendar.add("calscale", "GREGORIAN")
    upcoming, past = selectors.schedule(user)
    for decision in upcoming.select_related("current_triage"):
        calendar.add_component(
            _event(
                user,
                decision,
                base=base,
                on=decision.scheduled_on,
                status="TENTATIVE",
                description=_upcoming_description(user, decision),
            )
        )
    taken = past.filter(stage__in=DECIDED_STAGES, decided_on__gte=today - PAST)
    for decision in taken.select_related("current_triage", "chosen"):
        chosen = (
            f"Decided: option {decision.chosen.label}, {decision.chosen.title}."
            if decision.chosen
            else "Decided."
        )
        if decision.departs_from_advice:
            chosen += " It departs from the advisors' recommendation."
        calendar.add_component(
            _event(
                user,
                decision,
                base=base,
                on=decision.decided_on,
                status="CONFIRMED",
                description=f"{_text(user, decision, 'question')}\n\n{chosen}",
            )
        )
    return calendar.to_ical()
