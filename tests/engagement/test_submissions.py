"""The engagement channel: raising a submission, the Research & Engagement queue, and publication."""

from __future__ import annotations

import pytest

from orchestrator.core import search
from orchestrator.core.errors import Conflict, PermissionDenied, ValidationError
from orchestrator.core.models import AuditEvent, Link, Status, Triage, Visibility
from orchestrator.engagement import services
from orchestrator.engagement.models import State, Submission

from ..conftest import client_for

TEXT = "The data-sharing infrastructure depends on a consent register that nobody has scoped yet."


@pytest.fixture
def raised(world):
    return services.raise_submission(
        actor=world.people["registered"],
        category="dependency",
        title="Consent register not scoped",
        text=TEXT,
        about=world.records["open"],
    )


def _resolve(world, submission, **kwargs):
    return services.resolve_submission(
        actor=world.people["triager"], submission=submission, **kwargs
    )


def test_a_registered_user_raises_a_submission_through_the_page(world):
    client = client_for(world.people["registered"])
    about = world.records["open"]
    form = client.get(f"/engagement/new?about={about.uid}")
    assert form.status_code == 200
    assert about.title in form.content.decode()
    response = client.post(
        "/engagement/new",
        {
            "category": "risk",
            "title": "A risk",
            "text": "Something may go wrong.",
            "about": about.uid,
        },
    )
    submission = Submission.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/k/{submission.uid}"
    assert (submission.category, submission.state, submission.status) == (
        "risk",
        "received",
        "draft",
    )
    assert submission.about_id == about.pk
    assert submission.created_by == world.people["registered"]
    page = client.get(f"/k/{submission.uid}").content.decode()
    assert "Received" in page and "A risk" in page
    assert "A risk" in client.get("/engagement/mine").content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(world):
    response = client_for(None).get("/engagement/new")
    assert response.status_code == 302
    assert "/sign-in" in response["Location"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "cannot be empty"),
        ("   \n  ", "cannot be empty"),
        ("x" * 20_001, "at most 20000 characters"),
    ],
)
def test_empty_or_overlong_text_is_refused_with_a_message(world, text, message):
    client = client_for(world.people["registered"])
    response = client.post("/engagement/new", {"category": "concern", "title": "T", "text": text})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Submission.objects.exists()


def test_the_service_refuses_bad_input_too(world):
    actor = world.people["registered"]
    with pytest.raises(ValidationError) as excinfo:
        services.raise_submission(actor=actor, category="gossip", title="", text="x" * 20_001)
    assert set(excinfo.value.message_dict) == {"category", "title", "text"}
    assert "20,000 characters" in excinfo.value.message_dict["text"][0]
    # A record the submitter cannot see cannot be named: its existence is not revealed.
    with pytest.raises(ValidationError):
        services.raise_submission(
            actor=actor, category="risk", title="T", text="t", about=world.records["closed"]
        )
    response = client_for(actor).post(
        "/engagement/new",
        {"category": "risk", "title": "T", "text": "t", "about": world.records["closed"].uid},
    )
    assert "No record you can see has that identifier" in response.content.decode()
    assert not Submission.objects.exists()


def test_a_received_submission_is_seen_only_by_its_author_and_staff(world, raised):
    path = f"/k/{raised.uid}"
    assert client_for(world.people["registered"]).get(path).status_code == 200
    assert client_for(world.people["triager"]).get(path).status_code == 200
    for name in ("anonymous", "member", "outsider", "author"):
        assert client_for(world.people[name]).get(path).status_code == 404, name
        assert raised.uid not in client_for(world.people[name]).get("/engagement").content.decode()


def test_the_queue_is_for_research_and_engagement_only(world, raised):
    page = client_for(world.people["triager"]).get("/engagement/queue")
    assert page.status_code == 200
    assert raised.title in page.content.decode()
    for name in ("registered", "staff", "member"):
        assert client_for(world.people[name]).get("/engagement/queue").status_code == 403
        assert client_for(world.people[name]).get(
            f"/engagement/{raised.uid}/resolve"
        ).status_code in (403, 404)
    with pytest.raises(PermissionDenied):
        services.resolve_submission(
            actor=world.people["staff"], submission=raised, decision="decline", reason="No."
        )


def test_accepting_links_it_to_the_record_and_publishes_it_open(world, raised):
    client = client_for(world.people["triager"])
    response = client.post(
        f"/engagement/{raised.uid}/resolve",
        {"decision": "accept", "answer": "Thank you: we will scope it.", "outcome": "open"},
    )
    assert response.status_code == 302
    raised.refresh_from_db()
    assert (raised.state, raised.status, raised.visibility) == ("accepted", "published", "open")
    assert Link.objects.filter(
        source=raised, target=world.records["open"], relation="affects"
    ).exists()
    public = client_for(None).get(f"/k/{raised.uid}").content.decode()
    assert "Accepted" in public and "Thank you: we will scope it." in public
    assert world.records["open"].title in public
    # The record it concerns shows it too, from the other end of the link.
    assert raised.title in client_for(None).get(f"/k/{world.records['open'].uid}").content.decode()
    assert raised.title in client_for(None).get("/engagement").content.decode()
    assert (
        raised.title
        not in client_for(world.people["triager"]).get("/engagement/queue").content.decode()
    )
    actions = list(AuditEvent.objects.filter(item_uid=raised.uid).values_list("action", flat=True))
    assert actions[:2] == ["item.created", "submission.raised"]
    assert actions[-1] == "submission.accepted"
    assert {"link.created", "item.triaged", "item.published"} <= set(actions)


def test_answering_needs_an_answer_and_nothing_is_half_written(world, raised):
    with pytest.raises(ValidationError):
        _resolve(world, raised, decision="answer", answer="  ")
    raised.refresh_from_db()
    assert (raised.state, raised.status) == ("received", "draft")
    assert not Triage.objects.filter(item=raised).exists()
    answered = _resolve(world, raised, decision="answer", answer="It is in the 2027 plan.")
    assert answered.state == State.ANSWERED
    assert "2027 plan" in client_for(None).get(f"/k/{raised.uid}").content.decode()


def test_declining_needs_a_reason(world, raised):
    response = client_for(world.people["triager"]).post(
        f"/engagement/{raised.uid}/resolve", {"decision": "decline", "outcome": "open"}
    )
    assert response.status_code == 200
    assert "why it is declined" in response.content.decode()
    raised.refresh_from_db()
    assert raised.state == State.RECEIVED
    declined = _resolve(
        world, raised, decision="decline", reason="Out of the Orchestrator's scope."
    )
    assert declined.state == State.DECLINED
    assert (
        "Out of the Orchestrator&#x27;s scope."
        in client_for(None).get(f"/k/{raised.uid}").content.decode()
    )


def test_merging_points_a_duplicate_at_the_original(world, raised):
    other = services.raise_submission(
        actor=world.people["member"], category="dependency", title="Same again", text=TEXT
    )
    _resolve(world, raised, decision="answer", answer="Scoping starts in spring.")
    merged = _resolve(world, other, decision="merge", duplicate_of=raised)
    assert merged.state == State.MERGED and merged.merged_into_id == raised.pk
    assert Link.objects.filter(source=other, target=raised, relation="duplicates").exists()
    page = client_for(None).get(f"/k/{other.uid}").content.decode()
    assert "Merged into" in page and raised.title in page
    with pytest.raises(Conflict):
        _resolve(world, other, decision="decline", reason="again")


def test_a_submission_cannot_duplicate_itself(world, raised):
    with pytest.raises(ValidationError):
        _resolve(world, raised, decision="merge", duplicate_of=raised)


def test_resolving_twice_is_refused(world, raised):
    _resolve(world, raised, decision="decline", reason="No.")
    with pytest.raises(Conflict):
        _resolve(world, raised, decision="answer", answer="Yes.")
    response = client_for(world.people["triager"]).get(f"/engagement/{raised.uid}/resolve")
    assert response.status_code == 302


def test_personal_data_is_redacted_for_everyone_but_staff_and_the_author(world, raised):
    _resolve(world, raised, decision="answer", answer="Noted.", personal_data=True)
    for name in ("anonymous", "member"):
        page = client_for(world.people[name]).get(f"/k/{raised.uid}").content.decode()
        assert TEXT not in page, name
        assert "Noted." in page
    assert TEXT in client_for(world.people["registered"]).get(f"/k/{raised.uid}").content.decode()
    assert TEXT in client_for(world.people["staff"]).get(f"/k/{raised.uid}").content.decode()
    assert not search.search(None, "infrastructure depends").filter(pk=raised.pk).exists()
    api = client_for(None).get(f"/api/v1/items/{raised.uid}").json()
    assert TEXT not in str(api)


def test_the_author_follows_a_submission_even_when_it_is_closed(world, raised):
    _resolve(
        world,
        raised,
        decision="decline",
        reason="It names a security weakness.",
        outcome=Visibility.CLOSED,
        personal_data=True,
        sensitivity="security",
        rationale="Security of infrastructure.",
    )
    raised.refresh_from_db()
    assert (raised.status, raised.visibility) == (Status.PUBLISHED, Visibility.CLOSED)
    author = client_for(world.people["registered"])
    assert "Declined" in author.get("/engagement/mine").content.decode()
    assert author.get(f"/k/{raised.uid}").status_code == 200
    assert client_for(None).get(f"/k/{raised.uid}").status_code == 404
    assert raised.title not in client_for(None).get("/engagement").content.decode()


def test_the_submitter_is_never_named_in_public(world, raised):
    _resolve(world, raised, decision="answer", answer="Thanks.")
    name = world.people["registered"].full_name
    for path in (f"/k/{raised.uid}", "/audit", f"/api/v1/items/{raised.uid}"):
        assert name not in client_for(None).get(path).content.decode(), path
    dc = client_for(None).get(f"/api/v1/items/{raised.uid}").json()["dublin_core"]
    assert dc["contributor"] == []


def test_the_channel_is_closed_when_nobody_reads_it(world):
    from orchestrator.people.models import Appointment

    # Research & Engagement's only appointment ended long ago.
    Appointment.objects.filter(role="research_engagement").update(
        start="2020-01-01", end="2020-06-01"
    )
    response = client_for(world.people["registered"]).post(
        "/engagement/new", {"category": "risk", "title": "T", "text": "Something."}
    )
    assert "engagement channel is closed" in response.content.decode()
    assert not Submission.objects.exists()


def test_filters_on_the_take_part_page(world, raised):
    _resolve(world, raised, decision="answer", answer="Thanks.")
    client = client_for(None)
    assert raised.title in client.get("/engagement?category=dependency").content.decode()
    assert raised.title not in client.get("/engagement?category=risk").content.decode()
    assert raised.title in client.get("/engagement?state=answered").content.decode()
    assert client.get("/engagement?state=<b>&category=%00").status_code == 200


def test_less_than_open_needs_a_sensitivity_and_a_rationale(world, raised):
    with pytest.raises(ValidationError) as excinfo:
        _resolve(world, raised, decision="decline", reason="No.", outcome=Visibility.CLOSED)
    assert "sensitivities" in excinfo.value.message_dict
    raised.refresh_from_db()
    assert (raised.state, raised.status) == ("received", "draft")
    response = client_for(world.people["triager"]).post(
        f"/engagement/{raised.uid}/resolve",
        {"decision": "decline", "reason": "No.", "outcome": "closed", "sensitivity": "security"},
    )
    assert response.status_code == 200
    assert "needs a rationale" in response.content.decode()
