"""Following records, kinds and topics, and the e-mail digests of changes the follower may see."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from orchestrator.cli import main
from orchestrator.core import following, services, topics
from orchestrator.core.errors import Conflict, ValidationError
from orchestrator.core.models import Follow

from ..conftest import client_for
from ..factories import published


def _edit(world, item, title):
    item.refresh_from_db()
    return services.update_item(
        item=item, actor=world.people["staff"], version=item.version, changes={"title": title}
    )


def _sent(user):
    return [m for m in mail.outbox if m.to == [user.email]]


def test_following_a_record_from_its_page_and_getting_a_digest(world):
    reader = world.people["registered"]
    item = world.records["open"]
    client = client_for(reader)
    response = client.post("/follow", {"item": item.uid, "next": f"/k/{item.uid}"})
    assert response.status_code == 302 and response["Location"] == f"/k/{item.uid}"
    assert "Stop following" in client.get(f"/k/{item.uid}").content.decode()
    _edit(world, item, "The open record, revised")
    list(following.send_digests())
    (message,) = _sent(reader)
    assert "The open record, revised" in message.body and "was edited" in message.body
    assert f"/k/{item.uid}" in message.body
    # The next digest holds only what changed since.
    mail.outbox.clear()
    list(following.send_digests())
    assert _sent(reader) == []


def test_changes_from_before_following_are_not_sent(world):
    reader = world.people["registered"]
    _edit(world, world.records["open"], "Changed before")
    following.follow(actor=reader, item=world.records["open"])
    list(following.send_digests())
    assert _sent(reader) == []


def test_a_kind_digest_holds_only_records_the_follower_may_see(world):
    reader = world.people["registered"]
    following.follow(actor=reader, kind="document")
    _edit(world, world.records["open"], "Open change")
    _edit(world, world.records["closed"], "Closed change")
    _edit(world, world.records["restricted"], "Restricted change")
    list(following.send_digests())
    (message,) = _sent(reader)
    assert "Open change" in message.body
    assert "Closed change" not in message.body and "Restricted change" not in message.body
    assert world.records["closed"].uid not in message.body


def test_a_topic_digest(world):
    reader = world.people["member"]
    topic = topics.create_topic(actor=world.people["triager"], name="Flexibility")
    following.follow(actor=reader, topic=topic)
    for level in ("open", "restricted", "closed"):
        topics.file_item(actor=world.people["triager"], item=world.records[level], topic=topic)
    list(following.send_digests())
    (message,) = _sent(reader)
    assert "was filed under a topic" in message.body
    assert world.records["restricted"].title in message.body  # the member's organisation is named
    assert world.records["closed"].title not in message.body


def test_a_followed_record_that_becomes_hidden_drops_out(world):
    reader = world.people["registered"]
    item = world.records["open"]
    following.follow(actor=reader, item=item)
    services.retriage_item(
        item=item,
        actor=world.people["triager"],
        outcome="closed",
        rationale="Found to be sensitive.",
        sensitivities=[
            {"category": "security", "finding": "Names a weakness.", "mitigation": "restrict"}
        ],
        review_by=dt.date.today() + dt.timedelta(days=365),
    )
    list(following.send_digests())
    assert _sent(reader) == []
    page = client_for(reader).get("/account/following").content.decode()
    assert "a record you can no longer see" in page
    assert item.title not in page


def test_cannot_follow_what_you_cannot_see_or_twice(world):
    reader = world.people["registered"]
    assert (
        client_for(reader).post("/follow", {"item": world.records["closed"].uid}).status_code == 404
    )
    with pytest.raises(ValidationError):
        following.follow(actor=reader, item=world.records["closed"])
    with pytest.raises(ValidationError):
        following.follow(actor=reader, kind="nonsense")
    assert client_for(reader).post("/follow", {"kind": "nonsense"}).status_code == 404
    assert client_for(reader).post("/follow", {"topic": "nonsense"}).status_code == 404
    following.follow(actor=reader, kind="document")
    with pytest.raises(Conflict):
        following.follow(actor=reader, kind="document")
    response = client_for(reader).post("/follow", {"kind": "document"}, follow=True)
    assert "You already follow this." in response.content.decode()
    assert Follow.objects.filter(user=reader).count() == 1


def test_anonymous_visitors_must_sign_in_to_follow(world):
    response = client_for(None).post("/follow", {"item": world.records["open"].uid})
    assert response.status_code == 302 and "/sign-in" in response["Location"]
    assert (
        "Follow"
        not in client_for(None)
        .get(f"/k/{world.records['open'].uid}")
        .content.decode()
        .split("<main")[1]
        .split("Links")[0]
    )


def test_the_following_page_lists_stops_and_previews(world):
    reader = world.people["registered"]
    client = client_for(reader)
    client.post("/follow", {"kind": "document"})
    _edit(world, world.records["open"], "Previewed change")
    page = client.get("/account/following").content.decode()
    assert "All documents" in page and "Previewed change" in page
    f = Follow.objects.get(user=reader)
    client.post("/account/following", {"remove": f.pk})
    assert not Follow.objects.filter(user=reader).exists()
    # Someone else's follow cannot be removed.
    other = following.follow(actor=world.people["member"], kind="document")
    assert client.post("/account/following", {"remove": other.pk}).status_code == 404


def test_an_open_redirect_is_refused(world):
    response = client_for(world.people["registered"]).post(
        "/follow", {"kind": "document", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/kinds/document"


def test_the_digests_command(world, capsys):
    following.follow(actor=world.people["registered"], kind="document")
    published(
        author=world.people["staff"], owner=world.team, by=world.people["triager"], title="New one"
    )
    assert main(["digests"]) == 0
    assert "Digests done: 1 followers" in capsys.readouterr().out
    assert len(_sent(world.people["registered"])) == 1
