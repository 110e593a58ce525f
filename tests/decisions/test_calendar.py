"""The schedule of decisions as an iCalendar feed: it parses, holds one all-day event per upcoming
decision (and per decision taken in the last year) the requester may see, and nothing else."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from icalendar import Calendar

from orchestrator.core.selectors import REDACTED
from orchestrator.decisions import services

from ..conftest import client_for
from ..factories import publish
from .conftest import advised, scheduled

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


def feed(user=None):
    response = client_for(user).get("/decisions.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events(calendar: Calendar) -> dict[str, dict]:
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def uid(decision) -> str:
    return f"{decision.uid}@orchestrator"


def take(c, decision, *, today: dt.date | None = None):
    services.decide(
        decision=decision,
        actor=c.owner,
        outcome=decision.options.get(label="A"),
        rationale="The evidence favours it.",
        today=today,
    )
    decision.refresh_from_db()
    return decision


def test_the_feed_has_an_all_day_event_per_upcoming_decision_and_each_recent_one_taken(council):
    c = council
    planned = scheduled(c, title="Identity, for the DSI; and more", scheduled_on=TODAY + 20 * DAY)
    deferred = scheduled(c, title="Deferred decision", scheduled_on=TODAY + 5 * DAY)
    services.defer(actor=c.owner, decision=deferred, until=TODAY + 60 * DAY, reason="Ofgem first.")
    taken = take(c, advised(c, title="Taken decision"))
    old = take(c, advised(c, title="Old decision"), today=TODAY - 400 * DAY)
    dropped = scheduled(c, title="Dropped decision")
    services.withdraw(actor=c.owner, decision=dropped, reason="Overtaken.")

    calendar = feed(c.owner)
    assert str(calendar["X-WR-CALNAME"]) == "Orchestrator: decisions"
    assert str(calendar["VERSION"]) == "2.0" and "PRODID" in calendar
    found = events(calendar)
    assert set(found) == {uid(planned), uid(deferred), uid(taken)}

    event = found[uid(planned)]
    assert event.decoded("DTSTART") == TODAY + 20 * DAY
    assert not isinstance(event.decoded("DTSTART"), dt.datetime)  # all day
    assert event.decoded("DTEND") == TODAY + 21 * DAY
    assert str(event["SUMMARY"]) == "Identity, for the DSI; and more"
    assert planned.question in str(event["DESCRIPTION"])
    assert str(event["URL"]) == f"http://testserver/k/{planned.uid}"
    assert str(event["STATUS"]) == "TENTATIVE"
    assert "DTSTAMP" in event

    event = found[uid(deferred)]
    assert event.decoded("DTSTART") == TODAY + 60 * DAY
    assert str(event["DESCRIPTION"]).startswith("Deferred")
    assert "Ofgem first." in str(event["DESCRIPTION"])

    event = found[uid(taken)]
    assert event.decoded("DTSTART") == TODAY and str(event["STATUS"]) == "CONFIRMED"
    assert "Decided: option A, Open-source pattern." in str(event["DESCRIPTION"])
    assert uid(old) not in found and uid(dropped) not in found


def test_a_decision_the_requester_may_not_see_is_not_in_the_feed(council):
    c = council
    shown = scheduled(c, title="Published decision")
    hidden = scheduled(c, title="Draft decision")
    publish(shown, by=c.triager)
    for user in (None, c.registered, c.outsider):
        found = events(feed(user))
        assert set(found) == {uid(shown)}
    assert b"Draft decision" not in client_for(None).get("/decisions.ics").content
    assert set(events(feed(c.owner))) == {uid(shown), uid(hidden)}


def test_a_question_redacted_under_triage_is_redacted_in_the_feed(council):
    c = council
    decision = scheduled(c, question="Should we contract with a named supplier?")
    publish(
        decision,
        by=c.triager,
        redacted_fields=["question"],
        rationale="The supplier is not yet told.",
        sensitivities=[
            {"category": "commercial", "finding": "Names a supplier.", "mitigation": "redact"}
        ],
    )
    public = events(feed(None))[uid(decision)]
    assert str(public["DESCRIPTION"]).startswith(REDACTED)
    assert "named supplier" not in str(public["DESCRIPTION"])
    staff = events(feed(c.owner))[uid(decision)]
    assert "named supplier" in str(staff["DESCRIPTION"])


def test_a_decision_on_the_last_day_there_is_does_not_break_the_feed(council):
    c = council
    decision = scheduled(c, scheduled_on=dt.date.max)
    event = events(feed(c.owner))[uid(decision)]
    assert event.decoded("DTSTART") == dt.date.max
