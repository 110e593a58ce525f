"""Record pages and forms as people use them, including what happens when they get it wrong."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from orchestrator.core import services
from orchestrator.core.models import Item, Status, Visibility

from ..conftest import client_for


@pytest.mark.parametrize("uid", ["bad", "ZZZZZZZZZZ", "0123456789ab", "abc%00", "iiiiiiiiii"])
def test_a_malformed_or_unknown_uid_is_a_404(world, uid):
    assert client_for(None).get(f"/k/{uid}").status_code == 404
    response = client_for(None).get(f"/api/v1/items/{uid}")
    assert response.status_code == 404 and response.json() == {"detail": "Not found"}


def test_a_record_page_shows_badge_triage_owner_links_and_history(world):
    item, other = world.records["open"], world.records["registered"]
    services.link_items(
        source=item, target=other, relation="depends_on", actor=world.people["staff"]
    )
    text = client_for(world.people["registered"]).get(f"/k/{item.uid}").text
    assert "orch-badge--open" in text and "Product Team" in text
    assert "depends on" in text and other.title in text
    assert "item.published" in text  # the history, from the audit chain
    # The other end shows the link the other way round.
    back = client_for(world.people["registered"]).get(f"/k/{other.uid}").text
    assert "is depended on by" in back and item.title in back
    # Anonymous visitors cannot see the registered record, so the link is not shown to them.
    assert other.title not in client_for(None).get(f"/k/{item.uid}").text


def test_redacted_fields_are_hidden_from_readers_but_not_from_staff(world):
    item = services.create_item(
        actor=world.people["staff"],
        owner=world.team,
        title="Survey",
        body="Respondent: Jane Doe, 07700 900123",
    )
    services.triage_item(
        item=item,
        actor=world.people["triager"],
        outcome=Visibility.OPEN,
        sensitivities=[
            {"category": "personal_data", "finding": "Names a respondent.", "mitigation": "redact"}
        ],
        redacted_fields=["body"],
        review_by=timezone.localdate() + dt.timedelta(days=30),
    )
    services.publish_item(item=item, actor=world.people["triager"])
    assert "Jane Doe" not in client_for(None).get(f"/k/{item.uid}").text
    assert "Jane Doe" not in client_for(None).get(f"/api/v1/items/{item.uid}").text
    assert "Jane Doe" in client_for(world.people["staff"]).get(f"/k/{item.uid}").text


def test_markdown_is_sanitised(world):
    item = services.create_item(
        actor=world.people["staff"],
        owner=world.team,
        title="Script",
        body="Hello <script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)>",
    )
    text = client_for(world.people["staff"]).get(f"/k/{item.uid}").text
    assert "<script>alert(1)" not in text and "javascript:alert" not in text
    assert "onerror" not in text


def test_a_stale_edit_form_is_refused_with_a_message_and_keeps_what_was_typed(world):
    item = world.records["open"]
    staff = world.people["staff"]
    services.update_item(item=item, actor=staff, version=1, changes={"title": "Their edit"})
    response = client_for(staff).post(
        f"/k/{item.uid}/edit",
        {
            "title": "My edit",
            "summary": "My summary",
            "body": "My body",
            "subject": "",
            "version": 1,
        },
    )
    assert response.status_code == 409
    assert "changed by someone else" in response.text
    assert "My summary" in response.text and "Their edit" in response.text
    assert Item.objects.get(pk=item.pk).title == "Their edit"


def test_an_edit_saves_and_bumps_the_version(world):
    item = world.records["open"]
    response = client_for(world.people["staff"]).post(
        f"/k/{item.uid}/edit",
        {"title": "Better title", "summary": "", "body": "", "subject": "", "version": 1},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.version) == ("Better title", 2)


def test_an_invalid_triage_form_says_what_is_wrong(world):
    draft = world.records["draft"]
    review = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    response = client_for(world.people["triager"]).post(
        f"/k/{draft.uid}/triage", {"outcome": "closed", "review_by": review, "rationale": ""}
    )
    assert response.status_code == 200
    assert "needs a rationale" in response.text
    assert Item.objects.get(pk=draft.pk).current_triage is None
    bad = client_for(world.people["triager"]).post(
        f"/k/{draft.uid}/triage", {"outcome": "secret", "review_by": review}
    )
    assert bad.status_code == 200 and "Select a valid choice" in bad.text


def test_triage_and_publish_through_the_pages(world):
    draft = world.records["draft"]
    triager = client_for(world.people["triager"])
    review = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    response = triager.post(
        f"/k/{draft.uid}/triage", {"outcome": "open", "review_by": review, "title_public": "on"}
    )
    assert response.status_code == 302
    assert triager.post(f"/k/{draft.uid}/publish").status_code == 302
    assert Item.objects.get(pk=draft.pk).status == Status.PUBLISHED
    assert client_for(None).get(f"/k/{draft.uid}").status_code == 200


def test_publishing_an_untriaged_draft_through_the_page_says_why(world):
    draft = world.records["draft"]
    response = client_for(world.people["triager"]).post(f"/k/{draft.uid}/publish", follow=True)
    assert "has not been triaged" in response.text
    assert Item.objects.get(pk=draft.pk).status == Status.DRAFT


def test_people_without_permission_get_403_on_forms_they_can_see(world):
    item = world.records["open"]
    assert client_for(world.people["registered"]).get(f"/k/{item.uid}/edit").status_code == 403
    assert client_for(world.people["staff"]).get(f"/k/{item.uid}/triage").status_code == 403
    # … and 404 on records they cannot see.
    closed = world.records["closed"]
    assert client_for(world.people["outsider"]).get(f"/k/{closed.uid}/edit").status_code == 404


def test_a_form_body_over_one_megabyte_is_refused_with_a_message(world):
    response = client_for(world.people["staff"]).post(
        "/k/new",
        {
            "owner": world.team.pk,
            "document_type": "report",
            "title": "Big",
            "body": "x" * 1_200_000,
        },
    )
    assert response.status_code == 400
    assert "larger than 1 MB" in response.text
    assert not Item.objects.filter(title="Big").exists()


def test_creating_a_document_makes_a_draft(world):
    response = client_for(world.people["member"]).post(
        "/k/new",
        {
            "owner": world.named_org.pk,
            "document_type": "design",
            "title": "Our design",
            "summary": "",
            "body": "Detail",
            "subject": "",
        },
    )
    assert response.status_code == 302
    item = Item.objects.get(title="Our design")
    assert item.status == Status.DRAFT and item.created_by == world.people["member"]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/withheld",
        "/audit",
        "/governance",
        "/sign-in",
        "/register",
        "/password-reset",
        "/api/v1/openapi.json",
        "/api/v1/docs",
    ],
)
def test_public_pages_answer(world, path):
    assert client_for(None).get(path).status_code == 200


def test_the_audit_page_withholds_events_of_hidden_records(world):
    text = client_for(None).get("/audit").text
    assert "Withheld: about a record you cannot see" in text
    assert world.records["closed"].uid not in text


def test_the_admin_is_read_only(world, admin_client):
    assert admin_client.get("/admin/core/item/").status_code == 200
    assert admin_client.get("/admin/core/item/add/").status_code == 403
    item = world.records["open"]
    response = admin_client.post(f"/admin/core/item/{item.pk}/change/", {"title": "Hacked"})
    assert response.status_code == 403
    assert Item.objects.get(pk=item.pk).title == item.title


def test_a_contributor_links_records_through_the_page(world):
    item, target = world.records["open"], world.records["registered"]
    client = client_for(world.people["staff"])
    response = client.post(f"/k/{item.uid}/links", {"relation": "depends_on", "target": target.uid})
    assert response.status_code == 302
    assert item.outgoing_links.filter(target=target, relation="depends_on").exists()
    again = client.post(f"/k/{item.uid}/links", {"relation": "depends_on", "target": target.uid})
    assert "already linked" in again.text


def test_linking_to_a_record_the_contributor_cannot_see_is_refused_like_a_missing_one(world):
    item = world.records["open"]
    client = client_for(world.people["outsider"])
    for target in (world.records["closed"].uid, "zzzzzzzzzz"):
        response = client.post(f"/k/{item.uid}/links", {"relation": "affects", "target": target})
        assert "No record you can see has that identifier." in response.text
    bad = client.post(f"/k/{item.uid}/links", {"relation": "affects", "target": "not a uid"})
    assert "Enter a record identifier" in bad.text
    assert not item.outgoing_links.exists()
    assert client_for(world.people["registered"]).get(f"/k/{item.uid}/links").status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "/audit?seq=99999999999999999999999",
        "/audit?seq=-1",
        "/audit?page=99999999999999999999",
        "/withheld?page=abc",
        "/withheld?page=99999999999999999999999",
    ],
)
def test_odd_query_strings_on_listings_are_not_errors(world, path):
    assert client_for(None).get(path).status_code == 200


def test_the_audit_log_names_office_holders_but_not_registered_stakeholders(world):
    from orchestrator.api.services import create_token

    create_token(actor=world.people["registered"], name="my script")
    text = client_for(None).get("/audit").text
    assert "token.created by a registered user" in text
    assert "Rita Registered" not in text
    assert "item.published by Tariq Triager" in text  # Research & Engagement act in public
    assert "Rita Registered" in client_for(world.people["staff"]).get("/audit").text
