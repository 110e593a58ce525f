"""The engagement channel through the API: raising, following and resolving submissions."""

from __future__ import annotations

import pytest
from django.test import Client

from orchestrator.engagement.models import Submission

from .test_api import _bearer


def _post(path, payload, user):
    return Client().post(path, payload, content_type="application/json", **_bearer(user))


def test_raise_follow_and_resolve_through_the_api(world):
    stakeholder, triager = world.people["registered"], world.people["triager"]
    about = world.records["open"]
    response = _post(
        "/api/v1/submissions",
        {"category": "risk", "title": "A risk", "text": "It may fail.", "about": about.uid},
        stakeholder,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "submission" and body["status"] == "draft"
    assert body["attributes"]["state"] == "received"
    mine = Client().get("/api/v1/submissions/mine", **_bearer(stakeholder)).json()
    assert [(s["uid"], s["state"]) for s in mine] == [(body["uid"], "received")]

    resolved = _post(
        f"/api/v1/submissions/{body['uid']}/resolve",
        {"decision": "accept", "answer": "Thanks."},
        triager,
    )
    assert resolved.status_code == 200, resolved.content
    assert resolved.json()["attributes"]["state"] == "accepted"
    public = Client().get(f"/api/v1/items/{body['uid']}").json()
    assert public["fields"]["answer"] == "Thanks."
    assert {"relation": "affects", "uid": about.uid} in [
        {"relation": link["relation"], "uid": link["uid"]} for link in public["links"]
    ]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"category": "risk", "title": "T", "text": ""}, "text"),
        ({"category": "risk", "title": "T", "text": "x" * 20_001}, "text"),
        ({"category": "gossip", "title": "T", "text": "x"}, "category"),
        ({"category": "risk", "title": "", "text": "x"}, "title"),
    ],
)
def test_bad_submissions_are_a_422_naming_the_field(world, payload, field):
    response = _post("/api/v1/submissions", payload, world.people["registered"])
    assert response.status_code == 422
    assert field in str(response.json()["detail"])
    assert not Submission.objects.exists()


def test_a_hidden_record_cannot_be_named_and_a_token_is_needed(world):
    response = _post(
        "/api/v1/submissions",
        {"category": "risk", "title": "T", "text": "t", "about": world.records["closed"].uid},
        world.people["registered"],
    )
    assert response.status_code == 422
    assert (
        Client()
        .post(
            "/api/v1/submissions",
            {"category": "risk", "title": "T", "text": "t"},
            content_type="application/json",
        )
        .status_code
        == 401
    )


def test_only_research_and_engagement_resolve(world):
    submission = _post(
        "/api/v1/submissions",
        {"category": "risk", "title": "T", "text": "t"},
        world.people["registered"],
    ).json()
    response = _post(
        f"/api/v1/submissions/{submission['uid']}/resolve",
        {"decision": "decline", "reason": "no"},
        world.people["registered"],
    )
    assert response.status_code == 403
    # Someone who cannot see it gets a 404, as for any hidden record.
    response = _post(
        f"/api/v1/submissions/{submission['uid']}/resolve",
        {"decision": "decline", "reason": "no"},
        world.people["member"],
    )
    assert response.status_code == 404
    triager = world.people["triager"]
    assert (
        _post(
            f"/api/v1/submissions/{submission['uid']}/resolve", {"decision": "decline"}, triager
        ).status_code
        == 422
    )
    assert (
        _post(
            f"/api/v1/submissions/{submission['uid']}/resolve",
            {"decision": "decline", "reason": "no"},
            triager,
        ).status_code
        == 200
    )
    assert (
        _post(
            f"/api/v1/submissions/{submission['uid']}/resolve",
            {"decision": "decline", "reason": "no"},
            triager,
        ).status_code
        == 409
    )


def _raise(user, title: str, about=None) -> dict:
    payload = {"category": "concern", "title": title, "text": f"{title}: call me on 07700 900123."}
    if about is not None:
        payload["about"] = about.uid
    response = _post("/api/v1/submissions", payload, user)
    assert response.status_code == 201, response.content
    return response.json()


def test_research_and_engagement_read_their_queue_oldest_first(world):
    stakeholder, triager = world.people["registered"], world.people["triager"]
    about = world.records["open"]
    raised = [_raise(stakeholder, f"Concern {n}", about if n == 1 else None) for n in range(3)]
    _post(
        f"/api/v1/submissions/{raised[0]['uid']}/resolve",
        {"decision": "answer", "answer": "Answered."},
        triager,
    )
    queue = Client().get("/api/v1/submissions/queue", **_bearer(triager))
    assert queue.status_code == 200, queue.content
    body = queue.json()
    # The one resolved has left the queue; the rest wait, oldest first, with what they say.
    assert body["count"] == 2 and body["pages"] == 1
    assert [s["uid"] for s in body["items"]] == [raised[1]["uid"], raised[2]["uid"]]
    first = body["items"][0]
    assert first["category"] == "concern" and first["title"] == "Concern 1"
    assert first["text"] == "Concern 1: call me on 07700 900123."
    assert first["about"] == about.uid and body["items"][1]["about"] is None
    assert first["resolve_url"] == f"/engagement/{raised[1]['uid']}/resolve"
    second = Client().get("/api/v1/submissions/queue?page=2&page_size=1", **_bearer(triager))
    assert [s["uid"] for s in second.json()["items"]] == [raised[2]["uid"]]


def test_only_research_and_engagement_read_the_queue(world):
    _raise(world.people["registered"], "Mine")
    for who in ("registered", "member", "staff"):
        user = world.people[who]
        if user.has_perm("engagement.triage_submission"):
            continue
        response = Client().get("/api/v1/submissions/queue", **_bearer(user))
        assert response.status_code == 403
        assert response.json()["detail"] == "Only Research & Engagement work the submissions queue."
    assert Client().get("/api/v1/submissions/queue").status_code == 401
    for query in ("?page=0", "?page_size=101", "?state=received"):
        response = Client().get(
            f"/api/v1/submissions/queue{query}", **_bearer(world.people["triager"])
        )
        assert response.status_code == 422, (query, response.content)
