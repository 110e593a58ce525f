"""Record services: triage rules, publishing, re-triage, edits with versions, links, bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from orchestrator.core import services
from orchestrator.core.errors import Conflict, PermissionDenied, StaleVersion, ValidationError
from orchestrator.core.models import AuditEvent, Item, Link, Status, Triage, Visibility

from ..factories import document

NEXT_YEAR = timezone.localdate() + dt.timedelta(days=365)


def _triage(item, by, **kwargs):
    kwargs.setdefault("review_by", NEXT_YEAR)
    return services.triage_item(item=item, actor=by, **kwargs)


def test_an_untriaged_record_cannot_be_published(world):
    draft = world.records["draft"]
    with pytest.raises(Conflict, match="not been triaged"):
        services.publish_item(item=draft, actor=world.people["triager"])
    assert Item.objects.get(pk=draft.pk).status == Status.DRAFT


def test_less_than_open_needs_a_rationale_and_a_finding(world):
    draft = world.records["draft"]
    with pytest.raises(ValidationError) as caught:
        _triage(draft, world.people["triager"], outcome=Visibility.CLOSED)
    assert "rationale" in caught.value.message_dict
    assert "sensitivities" in caught.value.message_dict
    assert not Triage.objects.filter(item=draft).exists()


def test_open_needs_no_rationale(world):
    triage = _triage(world.records["draft"], world.people["triager"], outcome=Visibility.OPEN)
    assert triage.outcome == Visibility.OPEN


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"outcome": "secret"}, "outcome"),
        ({"outcome": "open", "review_by": timezone.localdate()}, "review_by"),
        ({"outcome": "open", "redacted_fields": ["password"]}, "redacted_fields"),
        (
            {
                "outcome": "restricted",
                "rationale": "Commercial.",
                "sensitivities": [{"category": "commercial", "finding": "Prices."}],
            },
            "restricted_to",
        ),
        (
            {"outcome": "open", "sensitivities": [{"category": "gossip", "finding": "x"}]},
            "sensitivities",
        ),
    ],
    ids=[
        "unknown-level",
        "review-not-in-future",
        "unknown-field",
        "restricted-names-nobody",
        "unknown-sensitivity",
    ],
)
def test_an_invalid_triage_is_refused_saying_why(world, kwargs, field):
    with pytest.raises(ValidationError) as caught:
        _triage(world.records["draft"], world.people["triager"], **kwargs)
    assert field in caught.value.message_dict


def test_only_research_and_engagement_triage(world):
    with pytest.raises(PermissionDenied):
        _triage(world.records["draft"], world.people["staff"], outcome=Visibility.OPEN)


def test_retriage_is_a_new_triage_and_the_old_one_stays(world):
    item = world.records["registered"]
    first = item.current_triage
    second = services.retriage_item(
        item=item, actor=world.people["triager"], outcome=Visibility.OPEN, review_by=NEXT_YEAR
    )
    item.refresh_from_db()
    assert item.visibility == Visibility.OPEN and item.current_triage == second
    assert set(item.triages.all()) == {first, second}
    assert Triage.objects.get(pk=first.pk).outcome == Visibility.REGISTERED


def test_a_triage_cannot_be_edited(world):
    triage = world.records["closed"].current_triage
    triage.outcome = Visibility.OPEN
    with pytest.raises(ValidationError, match="append-only"):
        triage.save()


def test_a_stale_version_is_refused_and_nothing_is_overwritten(world):
    item = world.records["open"]
    staff = world.people["staff"]
    services.update_item(item=item, actor=staff, version=1, changes={"title": "First edit"})
    with pytest.raises(StaleVersion) as caught:
        services.update_item(item=item, actor=staff, version=1, changes={"title": "Second edit"})
    assert caught.value.current.version == 2
    item.refresh_from_db()
    assert item.title == "First edit" and item.version == 2


def test_an_edit_is_audited_with_the_fields_it_changed(world):
    item = world.records["open"]
    services.update_item(
        item=item, actor=world.people["staff"], version=1, changes={"summary": "New summary"}
    )
    event = AuditEvent.objects.filter(item_uid=item.uid).order_by("-seq").first()
    assert event.action == "item.updated"
    assert event.data == {"changed": ["summary"], "version": 2}


def test_a_body_over_one_megabyte_is_refused(world):
    with pytest.raises(ValidationError, match="over 1 MB"):
        document(author=world.people["staff"], owner=world.team, body="x" * 1_000_001)


def test_an_outsider_cannot_edit_or_file_for_another_organisation(world):
    with pytest.raises(PermissionDenied):
        services.update_item(
            item=world.records["draft"],
            actor=world.people["outsider"],
            version=1,
            changes={"title": "Mine now"},
        )
    with pytest.raises(PermissionDenied):
        document(author=world.people["outsider"], owner=world.named_org)


def test_a_registered_stakeholder_cannot_add_records(world):
    with pytest.raises(PermissionDenied):
        document(author=world.people["registered"], owner=world.team)


def test_links_are_typed_and_unique(world):
    a, b = world.records["open"], world.records["registered"]
    staff = world.people["staff"]
    services.link_items(source=a, target=b, relation="depends_on", actor=staff)
    with pytest.raises(Conflict):
        services.link_items(source=a, target=b, relation="depends_on", actor=staff)
    with pytest.raises(ValidationError):
        services.link_items(source=a, target=b, relation="likes", actor=staff)
    with pytest.raises(ValidationError):
        services.link_items(source=a, target=a, relation="references", actor=staff)
    assert Link.objects.filter(source=a).count() == 1


def test_archiving_needs_a_reason_and_keeps_the_record_readable(world):
    item = world.records["open"]
    with pytest.raises(ValidationError):
        services.archive_item(item=item, actor=world.people["triager"], reason=" ")
    services.archive_item(item=item, actor=world.people["triager"], reason="Superseded.")
    assert Item.objects.visible_to(None).filter(pk=item.pk, status=Status.ARCHIVED).exists()


@pytest.mark.parametrize("text", ["nul\x00", "lone \ud800 surrogate"])
def test_text_that_cannot_be_stored_is_refused_by_the_service(world, text):
    with pytest.raises(ValidationError, match="characters"):
        document(author=world.people["staff"], owner=world.team, title=text)
    with pytest.raises(ValidationError):
        services.link_items(
            source=world.records["open"],
            target=world.records["registered"],
            relation="references",
            actor=world.people["staff"],
            note=text,
        )


def test_a_record_asked_for_as_another_kind_is_a_404(world):
    from django.http import Http404

    from orchestrator.core.models import Document
    from orchestrator.core.selectors import get_visible_item
    from orchestrator.engagement.models import Submission

    from ..conftest import client_for

    item = world.records["open"]
    assert get_visible_item(None, item.uid, Document).pk == item.pk
    with pytest.raises(Http404):
        get_visible_item(None, item.uid, Submission)
    assert (
        client_for(world.people["triager"]).get(f"/engagement/{item.uid}/resolve").status_code
        == 404
    )
