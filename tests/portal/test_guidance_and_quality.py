"""Contributor guidance, quality checks on record pages, and the quality queue."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.utils import timezone

from orchestrator.core import quality, services
from orchestrator.core.models import AuditEvent, Item, Triage

from ..conftest import client_for
from ..factories import document, publish

GOOD_BODY = (
    "## Context\n\n" + "The shared register lets network operators exchange asset data. " * 8
)


def _good(world, **fields):
    values = {
        "title": "A good record",
        "summary": "What it is and why it matters.",
        "body": GOOD_BODY,
        "subject": "assets, data",
        **fields,
    }
    item = document(author=world.people["staff"], owner=world.team, **values)
    return publish(item, by=world.people["triager"])


def test_the_guidance_page_states_each_kinds_standard(world):
    content = client_for(None).get("/guidance").content.decode()
    assert "Documents" in content and "at least 400 characters" in content
    assert "Keywords must be filled" in content
    for heading in ("How to contribute", "How triage works", "presumed open", "withheld register"):
        assert heading in content


def test_a_record_that_meets_its_standard_passes_every_check(world):
    item = _good(world)
    assert [c.name for c in quality.checks_for(None, item) if not c.passed] == []
    assert not quality.quality_queue(world.people["triager"]).filter(pk=item.pk).exists()


def test_each_check_can_fail_and_the_queue_lists_it(world):
    short = _good(world, body="Too short.")
    empty = _good(world, title="Bare", summary="")
    checks = {c.name: c for c in quality.checks_for(None, short)}
    assert not checks["Body long enough"].passed
    assert "needs at least 400" in checks["Body long enough"].message
    assert not {c.name: c for c in quality.checks_for(None, empty)}["Summary filled"].passed
    queue = list(quality.quality_queue(world.people["triager"]))
    assert short in queue and empty in queue


def test_broken_and_hidden_references_do_not_resolve(world):
    hidden = world.records["closed"]
    item = _good(world, body=GOOD_BODY + f"\n\nSee /k/{hidden.uid} and /k/zzzzzzzzzz.")
    check = {c.name: c for c in quality.checks_for(None, item)}["Links resolve"]
    assert not check.passed and "zzzzzzzzzz" in check.message
    # Staff can follow the closed record, so only the missing one fails for them.
    staff_check = {c.name: c for c in quality.checks_for(world.people["staff"], item)}[
        "Links resolve"
    ]
    assert hidden.uid not in staff_check.message and "zzzzzzzzzz" in staff_check.message


def test_links_to_archived_records_and_overdue_triage_fall_short(world):
    item = _good(world)
    target = _good(world)
    services.link_items(
        source=item, target=target, relation="references", actor=world.people["staff"]
    )
    services.archive_item(item=target, actor=world.people["triager"], reason="Superseded.")
    overdue = _good(world)
    # A triage whose review-by date has passed (made long ago).
    Triage.objects.filter(pk=overdue.current_triage_id).update(
        review_by=timezone.localdate() - dt.timedelta(days=1)
    )
    queue = list(quality.quality_queue(world.people["triager"]))
    assert item in queue and overdue in queue
    checks = {c.name: c for c in quality.checks_for(world.people["triager"], item)}
    assert not checks["Links are current"].passed
    assert checks["Links are current"].message.endswith(f"archived records: {target.title}")
    # Hidden from the viewer, the archived record is not named to them.
    Item.objects.filter(pk=target.pk).update(visibility="closed")
    checks = {c.name: c for c in quality.checks_for(None, item)}
    assert checks["Links are current"].passed
    messages = " ".join(
        c.message for c in quality.checks_for(None, Item.objects.get(pk=overdue.pk))
    )
    assert "was due for review" in messages


def test_the_queue_is_stalest_first_and_for_research_and_engagement_only(world):
    newer = _good(world, body="short")
    older = _good(world, body="short too")
    Item.objects.filter(pk=older.pk).update(updated_at=timezone.now() - dt.timedelta(days=400))
    client = client_for(world.people["triager"])
    assert client.get("/quality").status_code == 200
    queue = list(quality.quality_queue(world.people["triager"]))
    assert queue.index(Item.objects.get(pk=older.pk)) < queue.index(Item.objects.get(pk=newer.pk))
    for name in ("registered", "staff", "author"):
        assert client_for(world.people[name]).get("/quality").status_code == 403


def test_authors_see_the_checks_on_the_record_page_and_the_public_does_not(world):
    item = _good(world, body="short")
    assert (
        "Quality checks" in client_for(world.people["staff"]).get(f"/k/{item.uid}").content.decode()
    )
    assert (
        "Quality checks"
        in client_for(world.people["triager"]).get(f"/k/{item.uid}").content.decode()
    )
    assert "Quality checks" not in client_for(None).get(f"/k/{item.uid}").content.decode()
    assert (
        "Quality checks"
        not in client_for(world.people["registered"]).get(f"/k/{item.uid}").content.decode()
    )


def test_escalating_emails_the_author_and_is_audited(world, django_capture_on_commit_callbacks):
    item = _good(world, body="short")
    client = client_for(world.people["triager"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/quality/{item.uid}/escalate", {"note": "Please expand the body."})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="quality.escalated", item_uid=item.uid).exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [world.people["staff"].email]
    assert "Please expand the body." in mail.outbox[0].body
    assert "needs at least 400" in mail.outbox[0].body
    assert "asked to put right" in client.get("/quality").content.decode()


def test_escalating_without_a_note_is_refused(world, django_capture_on_commit_callbacks):
    item = _good(world, body="short")
    client = client_for(world.people["triager"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/quality/{item.uid}/escalate", {"note": "  "}, follow=True)
    assert "Say what needs putting right." in response.content.decode()
    assert not AuditEvent.objects.filter(action="quality.escalated").exists()
    assert mail.outbox == []
    assert (
        client_for(world.people["staff"])
        .post(f"/quality/{item.uid}/escalate", {"note": "x"})
        .status_code
        == 403
    )
