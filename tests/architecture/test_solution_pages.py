"""Solution architectures on the web and in the API: the list, scoping, the record panel, sign-off
by each persona, adding elements and principles, and the JSON twin with its conformance report."""

from __future__ import annotations

import pytest

from orchestrator.api import services as tokens
from orchestrator.architecture import solutions
from orchestrator.architecture.models import Element, SignOff, SolutionArchitecture
from orchestrator.core.models import AuditEvent, Link

from ..conftest import client_for
from .test_solutions import Work, make_work, put_in, refresh


@pytest.fixture
def work(world) -> Work:
    return make_work(world)


def page(user, url: str, **kwargs):
    return client_for(user).get(url, **kwargs)


def post(user, url: str, data=None):
    return client_for(user).post(url, data or {})


def move_url(s, move: str) -> str:
    return f"/k/{s.uid}/sign-off/{move}"


# --- The list and scoping ---------------------------------------------------------------------


def test_the_list_shows_what_each_viewer_may_see(work):
    title = work.solution.title
    assert title in page(work.member, "/architecture/solutions").content.decode()
    assert title in page(work.architect, "/architecture/solutions").content.decode()
    # A draft: not another Design Body's, nor anyone's signed out.
    assert title not in page(work.rival, "/architecture/solutions").content.decode()
    anonymous = page(None, "/architecture/solutions")
    assert anonymous.status_code == 200 and title not in anonymous.content.decode()


def test_the_list_filters_by_state_and_names_a_bad_one(work):
    assert (
        work.solution.title
        not in page(work.architect, "/architecture/solutions?state=submitted").content.decode()
    )
    put_in(work, SignOff.SUBMITTED)
    assert (
        work.solution.title
        in page(work.architect, "/architecture/solutions?state=submitted").content.decode()
    )
    for bad in ("nonsense", "draft\x00"):
        response = page(work.architect, "/architecture/solutions", data={"state": bad})
        assert response.status_code == 400
        assert "Choose a sign-off state" in response.content.decode()
    assert page(work.architect, "/architecture/solutions?page=999").status_code == 200


def test_only_the_architecture_team_scope_a_design_on_the_web(work):
    assert page(None, "/architecture/solutions/new").status_code == 302
    assert page(work.member, "/architecture/solutions/new").status_code == 403
    assert page(work.architect, "/architecture/solutions/new").status_code == 200
    data = {
        "title": "Flexibility market: high-level design",
        "summary": "s",
        "investment": work.investment.uid,
        "scope": "solution",
        "design_body": work.body.slug,
        "follows": "",
    }
    response = post(work.architect, "/architecture/solutions/new", data)
    assert response.status_code == 302
    made = SolutionArchitecture.objects.get(title=data["title"])
    assert response["Location"] == made.get_absolute_url()
    assert made.architecture is not None
    # A Delivery Partner is not a Design Body: the message says so, and nothing is made.
    wrong = post(
        work.architect,
        "/architecture/solutions/new",
        {**data, "title": "Wrong", "design_body": work.partner.slug},
    )
    assert wrong.status_code == 400 and "not a design body" in wrong.content.decode()
    assert not SolutionArchitecture.objects.filter(title="Wrong").exists()
    nul = post(work.architect, "/architecture/solutions/new", {**data, "investment": "x\x00"})
    assert nul.status_code == 400


# --- The record panel and sign-off ------------------------------------------------------------


def test_the_panel_shows_agreements_traces_conformance_and_the_right_buttons(work):
    solutions.add_element(
        actor=work.member,
        solution=work.solution,
        archimate_type="ApplicationComponent",
        title="Catalogue service",
        refines=work.catalogue,
    )
    solutions.add_element(
        actor=work.member, solution=work.solution, archimate_type="Node", title="Database server"
    )
    s = solutions.update_solution(
        actor=work.member,
        solution=work.solution,
        version=work.solution.version,
        changes={"availability": "99.5"},
    )
    html = page(work.member, s.get_absolute_url()).content.decode()
    assert "Service agreements" in html and "99.5%" in html
    assert "Catalogue service" in html and "Data catalogue" in html and "Not traced" in html
    assert "Open by default" in html and work.closed_principle.title not in html
    assert "Always available" in html  # the constraint the agreement falls short of
    assert "Submit for sign-off" in html and "Sign off</button>" not in html
    assert "Given to" in html and work.body.name in html
    architect = page(work.architect, s.get_absolute_url()).content.decode()
    assert work.closed_principle.title in architect and "Submit for sign-off" in architect
    # A draft is another Design Body's 404.
    assert page(work.rival, s.get_absolute_url()).status_code == 404
    put_in(work, SignOff.SUBMITTED)
    architect = page(work.architect, s.get_absolute_url()).content.decode()
    assert "Sign off</button>" in architect and "Ask for changes" in architect
    member = page(work.member, s.get_absolute_url()).content.decode()
    assert "Sign off</button>" not in member and "Submit for sign-off</button>" not in member


def test_the_sign_off_cycle_through_the_pages(work):
    s = work.solution
    assert post(work.member, move_url(s, "submit"), {"comment": "Ready."}).status_code == 302
    assert refresh(s).sign_off == SignOff.SUBMITTED
    empty = post(work.architect, move_url(s, "request-changes"), {"comment": ""})
    assert empty.status_code == 400 and "Say what needs to change" in empty.content.decode()
    assert refresh(s).sign_off == SignOff.SUBMITTED
    assert (
        post(work.architect, move_url(s, "request-changes"), {"comment": "More."}).status_code
        == 302
    )
    assert refresh(s).sign_off == SignOff.CHANGES_REQUESTED
    assert post(work.member, move_url(s, "submit")).status_code == 302
    assert post(work.architect, move_url(s, "approve"), {"comment": "Good."}).status_code == 302
    assert refresh(s).sign_off == SignOff.SIGNED_OFF
    html = page(work.member, s.get_absolute_url()).content.decode()
    assert "Signed off" in html and "Good." in html and "More." in html
    assert "Add an element" not in html
    assert AuditEvent.objects.filter(item_uid=s.uid, action__startswith="solution.").count() == 5


@pytest.mark.parametrize(
    ("who", "move", "status"),
    [
        ("anonymous", "submit", 302),  # to sign in
        ("rival", "submit", 404),  # a draft they may not see
        ("partner_member", "submit", 404),
        ("member", "approve", 403),
        ("member", "request-changes", 403),
        ("architect", "approve", 409),  # a draft cannot be signed off
        ("architect", "request-changes", 409),
        ("member", "nonsense", 404),
    ],
)
def test_a_wrong_person_or_a_wrong_step_on_the_pages(work, who, move, status):
    user = None if who == "anonymous" else getattr(work, who)
    response = post(user, move_url(work.solution, move), {"comment": "Hm."})
    assert response.status_code == status
    if status == 302:
        assert "/sign-in" in response["Location"] or "login" in response["Location"]
    if status == 409:
        assert "draft" in response.content.decode().lower()
    assert refresh(work.solution).sign_off == SignOff.DRAFT


def test_an_illegal_step_names_the_current_state_on_its_page(work):
    put_in(work, SignOff.SIGNED_OFF)
    response = page(work.member, move_url(work.solution, "submit"))
    assert response.status_code == 409 and "signed off" in response.content.decode()
    back = f'href="{work.solution.get_absolute_url()}">Back to “{work.solution.title}”'
    assert back in response.content.decode()
    response = post(work.member, move_url(work.solution, "submit"))
    assert response.status_code == 409 and "signed off" in response.content.decode()


def test_a_published_design_is_seen_by_another_body_but_not_moved_by_it(work):
    from ..factories import publish

    publish(work.solution, by=work.triager)
    assert page(work.rival, work.solution.get_absolute_url()).status_code == 200
    assert post(work.rival, move_url(work.solution, "submit")).status_code == 403
    assert page(None, work.solution.get_absolute_url()).status_code == 200


# --- Adding elements and principles -----------------------------------------------------------


def test_adding_an_element_chosen_to_refine_an_enterprise_element(work):
    url = f"/k/{work.solution.uid}/solution-elements/new"
    assert page(work.rival, url).status_code == 404
    form = page(work.member, url)
    assert form.status_code == 200 and work.catalogue.title in form.content.decode()
    response = post(
        work.member,
        url,
        {
            "archimate_type": "ApplicationComponent",
            "title": "Catalogue service",
            "refines": work.catalogue.uid,
            "relation": "refines",
        },
    )
    assert response.status_code == 302
    element = Element.objects.get(title="Catalogue service")
    assert Link.objects.filter(source=element, target=work.catalogue, relation="refines").exists()
    bad = post(work.member, url, {"archimate_type": "Nope", "title": "x", "relation": "refines"})
    assert bad.status_code == 400
    hidden = post(
        work.member,
        url,
        {"archimate_type": "Node", "title": "y", "refines": "0000000000", "relation": "refines"},
    )
    assert hidden.status_code == 400 and not Element.objects.filter(title="y").exists()
    put_in(work, SignOff.SIGNED_OFF)
    assert page(work.member, url).status_code == 409


def test_saying_a_principle_is_addressed(work):
    url = f"/k/{work.solution.uid}/addresses"
    form = page(work.member, url).content.decode()
    assert work.open_principle.title in form and work.closed_principle.title not in form
    response = post(work.member, url, {"principle": work.open_principle.uid, "by": ""})
    assert response.status_code == 302
    assert solutions.conformance(work.member, work.solution).unaddressed == []
    again = post(work.member, url, {"principle": work.open_principle.uid, "by": ""})
    assert again.status_code == 409
    hidden = post(work.member, url, {"principle": work.closed_principle.uid, "by": ""})
    assert hidden.status_code == 400


# --- The API ----------------------------------------------------------------------------------


def auth(user) -> dict:
    _, token = tokens.create_token(actor=user, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


API = "/api/v1/solution-architectures"


def api_post(client, user, url, payload):
    return client.post(url, payload, content_type="application/json", **auth(user))


def test_the_api_scopes_lists_and_shows_a_design_with_its_conformance(work, client):
    payload = {
        "investment": work.investment.uid,
        "design_body": work.body.slug,
        "title": "Via the API",
        "availability": "99.5",
    }
    assert api_post(client, work.member, API, payload).status_code == 403
    made = api_post(client, work.architect, API, payload)
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["sign_off"] == "draft" and body["kind"] == "solution_architecture"
    weaker = body["conformance"]["weaker"]
    assert weaker[0]["than"]["uid"] == work.availability.uid
    assert body["conformance"]["counted_from"] == "the records you may see"
    wrong = api_post(client, work.architect, API, {**payload, "design_body": work.partner.slug})
    assert wrong.status_code == 422 and "design_body" in wrong.json()["detail"]
    assert client.post(API, payload, content_type="application/json").status_code == 401

    listed = client.get(API, **auth(work.member)).json()
    assert {i["title"] for i in listed["items"]} == {"Via the API", work.solution.title}
    assert client.get(API).json()["count"] == 0
    assert client.get(f"{API}?sign_off=nonsense").status_code == 422
    assert client.get(f"{API}?colour=red").status_code == 422
    assert client.get(f"{API}/{body['uid']}").status_code == 404
    detail = client.get(f"{API}/{body['uid']}", **auth(work.member)).json()
    names = [p["title"] for p in detail["conformance"]["unaddressed_principles"]]
    assert names == [work.open_principle.title]


def test_the_api_moves_a_design_through_sign_off(work, client):
    uid = work.solution.uid
    assert api_post(client, work.rival, f"{API}/{uid}/submit", {}).status_code == 404
    assert api_post(client, work.member, f"{API}/{uid}/sign-off", {}).status_code == 403
    early = api_post(client, work.architect, f"{API}/{uid}/sign-off", {})
    assert early.status_code == 409 and "draft" in early.json()["detail"]
    assert (
        api_post(client, work.member, f"{API}/{uid}/submit", {"comment": "Go"}).status_code == 200
    )
    again = api_post(client, work.member, f"{API}/{uid}/submit", {})
    assert again.status_code == 409 and "submitted for sign-off" in again.json()["detail"]
    empty = api_post(client, work.architect, f"{API}/{uid}/request-changes", {"comment": ""})
    assert empty.status_code == 422 and "comment" in empty.json()["detail"]
    back = api_post(client, work.architect, f"{API}/{uid}/request-changes", {"comment": "More"})
    assert back.json()["sign_off"] == "changes_requested"
    api_post(client, work.member, f"{API}/{uid}/submit", {})
    done = api_post(client, work.architect, f"{API}/{uid}/sign-off", {"comment": "OK"})
    assert done.status_code == 200 and done.json()["sign_off"] == "signed_off"
    assert [s["to"] for s in done.json()["sign_off_history"]] == [
        "draft",
        "submitted",
        "changes_requested",
        "submitted",
        "signed_off",
    ]
    frozen = api_post(
        client, work.member, f"{API}/{uid}/elements", {"archimate_type": "Node", "title": "Late"}
    )
    assert frozen.status_code == 409


def test_the_api_adds_traced_elements_and_addresses_principles(work, client):
    uid = work.solution.uid
    added = api_post(
        client,
        work.member,
        f"{API}/{uid}/elements",
        {
            "archimate_type": "Requirement",
            "title": "Available in working hours",
            "category": "non_functional",
            "measure": "availability",
            "threshold": "99.5",
            "refines": work.availability.uid,
        },
    )
    assert added.status_code == 201, added.content
    conformance = added.json()["conformance"]
    assert conformance["untraced"] == [] and conformance["weaker"][0]["what"]["threshold"] == "99.5"
    bad = api_post(
        client, work.member, f"{API}/{uid}/elements", {"archimate_type": "Nope", "title": "x"}
    )
    assert bad.status_code == 422
    hidden = api_post(
        client,
        work.member,
        f"{API}/{uid}/addresses",
        {"principle": work.closed_principle.uid},
    )
    assert hidden.status_code == 404
    ok = api_post(
        client, work.member, f"{API}/{uid}/addresses", {"principle": work.open_principle.uid}
    )
    assert ok.status_code == 201 and ok.json()["conformance"]["unaddressed_principles"] == []
