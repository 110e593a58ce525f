"""The visibility matrix: every level × persona × channel, with the outcome each must see."""

from __future__ import annotations

import json

import pytest

from .conftest import client_for

PERSONAS = ["anonymous", "registered", "member", "outsider", "staff", "author"]
RECORDS = ["open", "registered", "restricted", "closed", "draft"]

# Who may see each record. Everyone else gets a 404 on every channel.
SEES = {
    "open": {"anonymous", "registered", "member", "outsider", "staff", "author"},
    "registered": {"registered", "member", "outsider", "staff", "author"},
    "restricted": {"member", "staff"},  # the triage names the member's organisation
    "closed": {"staff"},
    "draft": {"author", "staff"},  # the author and Orchestrator staff, until triaged
}
CASES = [(record, persona) for record in RECORDS for persona in PERSONAS]


def _id(case):
    return f"{case[0]}-as-{case[1]}"


@pytest.mark.parametrize(("record", "persona"), CASES, ids=[_id(c) for c in CASES])
def test_record_page(world, record, persona):
    item = world.records[record]
    response = client_for(world.people[persona]).get(f"/k/{item.uid}")
    if persona in SEES[record]:
        assert response.status_code == 200
        assert item.title in response.text
    else:
        assert response.status_code == 404
        assert item.title not in response.text


@pytest.mark.parametrize(("record", "persona"), CASES, ids=[_id(c) for c in CASES])
def test_api_item(world, record, persona):
    item = world.records[record]
    response = client_for(world.people[persona]).get(f"/api/v1/items/{item.uid}")
    if persona in SEES[record]:
        assert response.status_code == 200
        assert response.json()["uid"] == item.uid
    else:
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_list_and_its_count(world, persona):
    response = client_for(world.people[persona]).get("/api/v1/items?page_size=100")
    assert response.status_code == 200
    data = response.json()
    listed = {row["uid"] for row in data["items"]}
    expected = {world.records[r].uid for r in RECORDS if persona in SEES[r]}
    assert listed == expected
    assert data["count"] == len(expected)


@pytest.mark.parametrize("persona", PERSONAS)
def test_withheld_register_lists_every_published_non_open_record(world, persona):
    response = client_for(world.people[persona]).get("/withheld")
    assert response.status_code == 200
    text = response.text
    for record in ("registered", "restricted", "closed"):
        item = world.records[record]
        assert item.current_triage.rationale in text
        # Its title is shown (the triage allows it), linked only for those who may open it.
        assert item.title in text
        assert (f'href="/k/{item.uid}"' in text) == (persona in SEES[record])
    assert world.records["open"].title not in text
    assert world.records["draft"].title not in text


@pytest.mark.parametrize(("record", "persona"), CASES, ids=[_id(c) for c in CASES])
def test_audit_page_shows_events_of_visible_records_only(world, record, persona):
    item = world.records[record]
    response = client_for(world.people[persona]).get("/audit")
    assert response.status_code == 200
    assert (f'href="/k/{item.uid}"' in response.text) == (persona in SEES[record])


@pytest.mark.parametrize(("record", "persona"), CASES, ids=[_id(c) for c in CASES])
def test_audit_export_withholds_events_of_hidden_records(world, record, persona):
    item = world.records[record]
    response = client_for(world.people[persona]).get("/audit.jsonl")
    assert response.status_code == 200
    events = [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    mentioned = any(e.get("item_uid") == item.uid for e in events)
    assert mentioned == (persona in SEES[record])
    if not mentioned:
        assert any(e.get("withheld") for e in events)
        assert all(
            set(e) == {"seq", "at", "withheld", "prev_hash", "hash"}
            for e in events
            if e.get("withheld")
        )


@pytest.mark.parametrize("persona", PERSONAS)
def test_home_page_counts_only_what_the_viewer_may_see(world, persona):
    response = client_for(world.people[persona]).get("/")
    assert response.status_code == 200
    for record in RECORDS:
        item = world.records[record]
        assert (item.title in response.text) == (
            (persona in SEES[record] and record != "draft")
            or (record == "draft" and persona in SEES[record])
        )


# The knowledge base's other channels: browse pages, topics, recent changes, the engagement channel
# and following. Every record is filed under one topic, submitted about and followed by every persona,
# so each channel has something to leak if it could.
@pytest.fixture
def spread(world):
    from orchestrator.core import following, services, topics

    triager = world.people["triager"]
    topic = topics.create_topic(actor=triager, name="Everything")
    for record in RECORDS:
        topics.file_item(actor=triager, item=world.records[record], topic=topic)
    for persona in PERSONAS:
        user = world.people[persona]
        if user is not None:
            following.follow(actor=user, kind="document")
    for record in RECORDS:
        item = world.records[record]
        item.refresh_from_db()
        services.update_item(
            item=item, actor=triager, version=item.version, changes={"source": "x"}
        )
    return topic


CHANNELS = [
    "/browse",
    "/kinds/document",
    "/recent",
    "/topics/everything",
    "/organisations/product-team",
    "/organisations/author-partner",
    "/search?q=record",
    "/engagement",
]


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_browse_and_engagement_channels_list_visible_records_only(world, spread, channel, persona):
    response = client_for(world.people[persona]).get(channel)
    assert response.status_code == 200
    for record in RECORDS:
        item = world.records[record]
        if persona not in SEES[record]:
            assert item.title not in response.text, f"{record} leaked on {channel}"
            assert item.uid not in response.text, f"{record} leaked on {channel}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_topic_counts_only_what_the_viewer_may_see(world, spread, persona):
    response = client_for(world.people[persona]).get("/browse")
    expected = sum(persona in SEES[r] for r in RECORDS)
    assert f"Everything</a> ({expected})" in response.text


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
def test_digests_hold_changes_to_visible_records_only(world, spread, persona):
    from orchestrator.core import following

    user = world.people[persona]
    body = following.render_digest(user, following.digest(user, up_to=None))
    for record in RECORDS:
        item = world.records[record]
        assert (item.uid in body) == (persona in SEES[record]), f"{record} for {persona}"


SIGNED_IN_CASES = [c for c in CASES if c[1] != "anonymous"]


@pytest.mark.parametrize(
    ("record", "persona"), SIGNED_IN_CASES, ids=[_id(c) for c in SIGNED_IN_CASES]
)
def test_a_submission_about_a_record_can_name_only_what_its_author_sees(world, record, persona):
    from orchestrator.core.errors import ValidationError
    from orchestrator.engagement import services as engagement

    user = world.people[persona]
    item = world.records[record]
    if persona in SEES[record]:
        engagement.raise_submission(actor=user, category="risk", title="T", text="t", about=item)
    else:
        with pytest.raises(ValidationError):
            engagement.raise_submission(
                actor=user, category="risk", title="T", text="t", about=item
            )


# Open data. The bulk exports and the feeds read as anonymous, or as the holder of the API token a
# request carries; the JSON twin reads as the record page does; the catalogue names no record.
OPEN_DATA = ["/data/items.jsonl", "/data/items.csv", "/data/items.csv?kind=document"]
FEEDS = ["/feeds/changes.atom", "/feeds/kinds/document.atom", "/feeds/topics/everything.atom"]


def _as_token_holder(persona_user):
    from django.test import Client

    from orchestrator.api.services import create_token

    client = Client()
    if persona_user is None:
        return client
    _, token = create_token(actor=persona_user, name="matrix")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


def _body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


@pytest.mark.parametrize("path", OPEN_DATA + FEEDS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_open_data_and_feeds_hold_a_record_only_for_those_who_may_see_it(
    world, spread, path, persona
):
    response = _as_token_holder(world.people[persona]).get(path)
    assert response.status_code == 200
    text = _body(response)
    for record in RECORDS:
        item = world.records[record]
        assert (item.uid in text) == (persona in SEES[record]), f"{record} on {path}"
        if persona not in SEES[record]:
            assert item.title not in text, f"{record} leaked on {path}"


@pytest.mark.parametrize(("record", "persona"), CASES, ids=[_id(c) for c in CASES])
def test_json_twin(world, record, persona):
    item = world.records[record]
    client = client_for(world.people[persona])
    for response in (
        client.get(f"/k/{item.uid}.json"),
        client.get(f"/k/{item.uid}", HTTP_ACCEPT="application/json"),
    ):
        if persona in SEES[record]:
            assert response.status_code == 200
            assert response.json()["uid"] == item.uid
        else:
            assert response.status_code == 404
            assert response.json() == {"detail": "Not found"}


@pytest.mark.parametrize("path", ["/data/catalog.ttl", "/data/catalog.jsonld"])
@pytest.mark.parametrize("persona", ["anonymous", "staff"])
def test_the_catalogue_names_no_record_whoever_asks(world, spread, path, persona):
    text = _body(_as_token_holder(world.people[persona]).get(path))
    for record in RECORDS:
        item = world.records[record]
        assert item.uid not in text
        if record != "open":
            assert item.title not in text


# The plan: an investment at each level, with a milestone, a risk, an issue and a RACI activity of
# its own, all at the investment's level. A portfolio manager in the Product Team makes them, so a
# draft is seen by staff only (no persona but staff belongs to that team).
PLAN_SEES = {**SEES, "draft": {"staff"}}
PLAN_PAGES = ["/roadmap", "/raid", "/responsibilities", "/measures", "/plan", "/kinds/investment"]


@pytest.fixture
def plan(world):
    import datetime as dt

    from orchestrator.people.models import Role
    from orchestrator.planning import services

    from .factories import person, publish

    planner = person(Role.PORTFOLIO_MANAGER, world.team, full_name="Pat Portfolio")
    today = dt.date.today()
    made = {}
    for level in RECORDS:
        investment = services.create_investment(
            actor=planner,
            owner=world.team,
            title=f"The {level} investment",
            summary="s",
            phase="alpha",
            phase_dates={"discovery": today - dt.timedelta(days=300), "alpha": today},
        )
        milestone = services.create_milestone(
            actor=planner,
            investment=investment,
            title=f"The {level} milestone",
            planned_on=today - dt.timedelta(days=10),
            actual_on=today,
        )
        risk = services.create_risk(
            actor=planner,
            owner=world.team,
            title=f"The {level} risk",
            cause="c",
            event="e",
            effect="f",
            likelihood=5,
            impact=5,
            investment=investment,
        )
        issue = services.create_issue(
            actor=planner,
            owner=world.team,
            title=f"The {level} issue",
            occurred_on=today,
            foreseen_by=risk,
            investment=investment,
        )
        activity = services.add_activity(
            actor=planner, investment=investment, name=f"The {level} activity"
        )
        services.assign(actor=planner, activity=activity, part="A", organisation=world.team)
        records = [investment, milestone, risk, issue]
        if level != "draft":
            triage = {}
            if level != "open":
                triage = {
                    "sensitivities": [
                        {"category": "commercial", "finding": "f", "mitigation": "restrict"}
                    ],
                    "rationale": "Commercial.",
                }
            records = [
                publish(
                    r,
                    by=world.people["triager"],
                    outcome=level,
                    restricted_to=[world.named_org] if level == "restricted" else [],
                    **triage,
                )
                for r in records
            ]
        made[level] = records
    return made


PLAN_CASES = [(page, persona) for page in PLAN_PAGES for persona in PERSONAS]


@pytest.mark.parametrize(
    ("page", "persona"), PLAN_CASES, ids=[f"{p}-as-{q}" for p, q in PLAN_CASES]
)
def test_plan_pages_show_visible_records_only(world, plan, page, persona):
    response = client_for(world.people[persona]).get(page)
    assert response.status_code == 200
    for level, records in plan.items():
        for record in records:
            if persona not in PLAN_SEES[level]:
                assert record.title not in response.text, f"{level} {record.kind} leaked on {page}"
                assert record.uid not in response.text, f"{level} {record.kind} leaked on {page}"
    shown = [level for level in RECORDS if persona in PLAN_SEES[level]]
    if page in ("/raid", "/responsibilities"):
        assert all(f"The {level} " in response.text for level in shown)
    if page == "/raid":
        # Each level has one risk (5 × 5) and one issue: the heat map and the count hold only those seen.
        n = len(shown)
        assert f"Likelihood 5, impact 5 (score 25, very high): {n} risk" in response.text
        assert f"{2 * n} entries you can see" in response.text


@pytest.mark.parametrize("persona", PERSONAS)
def test_planning_measures_count_only_what_the_viewer_may_see(world, plan, persona):
    from orchestrator.planning.selectors import planning_measures

    seen = sum(persona in PLAN_SEES[level] for level in RECORDS)
    measures = {m.name: m for m in planning_measures(world.people[persona])}
    assert measures["Issues that had been identified as risks beforehand"].denominator == seen
    assert measures["Milestones reached on time"].denominator == seen
    assert measures["Investments with success metrics and a named Accountable"].denominator == seen
    assert measures["Open risks past their review date"].denominator == seen


@pytest.mark.parametrize(("record", "persona"), CASES, ids=[_id(c) for c in CASES])
def test_plan_record_pages(world, plan, record, persona):
    for item in plan[record]:
        response = client_for(world.people[persona]).get(f"/k/{item.uid}")
        assert response.status_code == (200 if persona in PLAN_SEES[record] else 404)


# --- The architecture ----------------------------------------------------------------------------

ARCHITECTURE_PAGES = ["/architecture", "/kinds/element"]


@pytest.fixture
def architecture(world):
    """An open model whose open hub serves one element per level; all of them are shared, and a
    to-be state holds them all where the as-is holds the hub alone."""
    from orchestrator.architecture import services
    from orchestrator.architecture.models import Element
    from orchestrator.people.models import OrganisationKind, Role

    from .factories import OrganisationFactory, decided, person, publish

    team = OrganisationFactory(name="Architecture Team", kind=OrganisationKind.ORCHESTRATOR_TEAM)
    architect = person(Role.ARCHITECT, team, full_name="Archie Tect")
    triager = world.people["triager"]
    model = services.create_model(actor=architect, owner=team, title="The model", identifier="m")
    publish(model, by=triager)

    def element(title):
        return services.create_element(
            actor=architect, model=model, archimate_type="ApplicationComponent", title=title
        )

    hub = element("The hub element")
    publish(hub, by=triager)
    made = {}
    for level in RECORDS:
        e = element(f"The {level} element")
        if level != "draft":
            triage = {}
            if level != "open":
                triage = {
                    "sensitivities": [
                        {"category": "security", "finding": "f", "mitigation": "restrict"}
                    ],
                    "rationale": "Critical national infrastructure.",
                }
            publish(
                e,
                by=triager,
                outcome=level,
                restricted_to=[world.named_org] if level == "restricted" else [],
                **triage,
            )
        made[level] = Element.objects.get(pk=e.pk)
    hub = Element.objects.get(pk=hub.pk)
    rels = [
        services.relate(actor=architect, source=hub, target=e, type="Serving", identifier=f"r-{k}")
        for k, e in made.items()
    ]
    as_is = services.create_state(actor=architect, model=model, name="As-is", kind="baseline")
    to_be = services.create_state(actor=architect, model=model, name="To-be", kind="target")
    services.place_in_state(actor=architect, state=as_is, elements=[hub])
    services.place_in_state(
        actor=architect, state=to_be, elements=[hub, *made.values()], relationships=rels
    )
    from orchestrator.architecture.models import View
    from orchestrator.core.services import create_item

    nodes = [
        {"identifier": f"n-{e.pk}", "type": "Element", "elementRef": e.identifier,
         "x": 10, "y": 100 * i, "w": 120, "h": 55, "children": []}
        for i, e in enumerate([hub, *made.values()])
    ]  # fmt: skip
    view = create_item(
        actor=architect,
        owner=team,
        model=View,
        title="The view",
        fields={"model": model, "identifier": "v", "content": {"nodes": nodes, "connections": []}},
        permission="architecture.maintain",
    )
    publish(view, by=triager)
    decision = decided(owner=world.people["staff"], by=triager)
    for e in [hub, *made.values()]:
        services.designate(
            actor=world.people["staff"], element=e, designation="shared", decision=decision
        )
    return {
        "model": model,
        "hub": hub,
        "elements": made,
        "as_is": as_is,
        "to_be": to_be,
        "view": view,
    }


def _architecture_pages(a) -> list[str]:
    gap = f"?before={a['as_is'].pk}&after={a['to_be'].pk}"
    hub, model = a["hub"].uid, a["model"].uid
    return [
        *ARCHITECTURE_PAGES,
        f"/k/{hub}",
        f"/k/{hub}/map",
        f"/k/{hub}/impact",
        f"/k/{model}/analysis",
        f"/k/{model}/archimate.xml",
        f"/k/{a['view'].uid}",
        f"/api/v1/architecture/elements/{hub}/neighbourhood",
        f"/api/v1/architecture/elements/{hub}/impact",
        f"/api/v1/architecture/models/{model}/analysis",
        f"/api/v1/items/{a['view'].uid}",
        f"/k/{a['model'].uid}",
        f"/k/{a['model'].uid}/gap{gap}",
        f"/api/v1/architecture/models/{a['model'].uid}/gap{gap}",
        f"/api/v1/architecture/models/{a['model'].uid}/relationships",
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_architecture_channels_show_visible_elements_only(world, architecture, persona):
    user = world.people[persona]
    client = client_for(user)  # signed in for the pages, and with a token for the API
    if user is not None:
        client.defaults.update(_as_token_holder(user).defaults)
    shown = [level for level in RECORDS if persona in PLAN_SEES[level]]
    for page in _architecture_pages(architecture):
        response = client.get(page)
        assert response.status_code == 200, page
        for level, element in architecture["elements"].items():
            if persona not in PLAN_SEES[level]:
                assert element.title not in response.text, f"{level} element leaked on {page}"
                assert element.uid not in response.text, f"{level} element leaked on {page}"
            elif page == "/architecture" or any(
                part in page
                for part in (f"/k/{architecture['hub'].uid}", "/gap", "neighbourhood", "/impact")
            ):
                assert element.uid in response.text, f"{level} element missing on {page}"
            elif page.endswith("archimate.xml") or page == f"/k/{architecture['view'].uid}":
                assert element.title in response.text, f"{level} element missing on {page}"
    model_page = client.get(f"/k/{architecture['model'].uid}").text
    # The hub and the elements the viewer may see, and the relationships to them.
    assert (
        f'Elements you can see</dt><dd class="govuk-summary-list__value">{1 + len(shown)}'
        in model_page
    )


@pytest.mark.parametrize(("record", "persona"), CASES, ids=[_id(c) for c in CASES])
def test_element_pages(world, architecture, record, persona):
    element = architecture["elements"][record]
    response = client_for(world.people[persona]).get(f"/k/{element.uid}")
    assert response.status_code == (200 if persona in PLAN_SEES[record] else 404)
