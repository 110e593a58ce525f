"""An architect's import arrives as drafts; Research & Engagement triage and publish it with its model."""

from __future__ import annotations

import datetime as dt

from orchestrator.architecture import services
from orchestrator.architecture.models import Element
from orchestrator.core.models import AuditEvent, Status, Visibility

from ..conftest import client_for


def _drafts(estate, n=3):
    return [
        services.create_element(
            actor=estate.architect,
            model=estate.model,
            archimate_type="ApplicationComponent",
            title=f"Component {i}",
        )
        for i in range(n)
    ]


def _triage_form(**extra):
    return {
        "outcome": Visibility.OPEN,
        "review_by": (dt.date.today() + dt.timedelta(days=200)).isoformat(),
        "title_public": "on",
        **extra,
    }


def test_the_model_and_its_drafts_are_triaged_and_published_together(estate, world):
    drafts = _drafts(estate)
    triager = client_for(world.people["triager"])
    page = triager.get(f"/k/{estate.model.uid}/triage")
    assert "Give its 3 untriaged elements and views this triage too" in page.text
    assert (
        triager.post(f"/k/{estate.model.uid}/triage", _triage_form(contents="yes")).status_code
        == 302
    )
    assert Element.objects.filter(current_triage__isnull=False).count() == 3
    assert AuditEvent.objects.filter(action="architecture.contents_triaged").count() == 1
    page = triager.post(f"/k/{estate.model.uid}/publish", {"contents": "yes"})
    assert page.status_code == 302
    assert set(Element.objects.values_list("status", flat=True)) == {Status.PUBLISHED}
    text = client_for(None).get(drafts[0].get_absolute_url()).text
    assert "Component 0" in text


def test_without_the_box_only_the_model_is_triaged(estate, world):
    _drafts(estate, 2)
    triager = client_for(world.people["triager"])
    triager.post(f"/k/{estate.model.uid}/triage", _triage_form())
    assert not Element.objects.filter(current_triage__isnull=False).exists()


def test_a_bad_triage_leaves_the_contents_untouched(estate, world):
    _drafts(estate, 2)
    page = client_for(world.people["triager"]).post(
        f"/k/{estate.model.uid}/triage", _triage_form(outcome=Visibility.CLOSED, contents="yes")
    )
    assert page.status_code == 200  # the form again, with the rationale asked for
    assert not Element.objects.filter(current_triage__isnull=False).exists()
    estate.model.refresh_from_db()
    assert estate.model.current_triage_id is None


def test_contents_of_a_published_model_are_published_from_its_page(estate, world):
    from ..factories import publish

    publish(estate.model, by=world.people["triager"])
    _drafts(estate, 2)
    triager = client_for(world.people["triager"])
    assert "2 draft elements and views await triage" in triager.get(f"/k/{estate.model.uid}").text
    triager.post(
        f"/k/{estate.model.uid}/triage", _triage_form(contents="yes", rationale="", outcome="open")
    )
    assert "Publish the 2 triaged" in triager.get(f"/k/{estate.model.uid}").text
    assert triager.post(f"/k/{estate.model.uid}/publish-contents").status_code == 302
    assert set(Element.objects.values_list("status", flat=True)) == {Status.PUBLISHED}
    # Only Research & Engagement publish.
    assert (
        client_for(estate.architect).post(f"/k/{estate.model.uid}/publish-contents").status_code
        == 403
    )
