"""Strategic objectives and success metrics: services, pages with their chart and table, the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from orchestrator.api import services as tokens
from orchestrator.core.errors import Conflict, PermissionDenied, ValidationError
from orchestrator.core.models import AuditEvent
from orchestrator.people.models import Role
from orchestrator.planning import services
from orchestrator.planning.models import Measurement

from ..conftest import client_for
from ..factories import person, publish

TODAY = dt.date.today()


@pytest.fixture
def portfolio(world):
    return person(Role.PORTFOLIO_MANAGER, world.team, full_name="Pat Portfolio")


def _publish(world, item, outcome="open", **triage):
    return publish(item, by=world.people["triager"], outcome=outcome, **triage)


@pytest.fixture
def metric(world, portfolio):
    objective = _publish(
        world,
        services.create_objective(
            actor=portfolio, owner=world.team, title="Data flows freely", summary="Why."
        ),
    )
    m = services.create_metric(
        actor=portfolio,
        owner=world.team,
        title="Organisations sharing data through the DSI",
        summary="How many.",
        unit="organisations",
        baseline="3",
        target="120",
        target_date=TODAY + dt.timedelta(days=700),
        measures=objective,
    )
    for days, value in ((300, "3"), (200, "12"), (100, "31")):
        services.record_measurement(
            actor=portfolio,
            metric=m,
            value=value,
            measured_on=TODAY - dt.timedelta(days=days),
            source="DSI register",
        )
    return _publish(world, m).specific()


def test_the_metric_page_draws_its_series_with_the_same_numbers_as_a_table(world, metric):
    page = client_for(None).get(metric.get_absolute_url()).content.decode()
    svg = page.split('<figure class="orch-chart">')[1].split("</svg>")[0]
    assert svg.count("<circle") == 3
    assert 'role="img"' in svg[:200]
    table = page.split("<table", 2)[1]
    for value in ("3", "12", "31"):
        assert f">{value}</td>" in table
        assert f"{value} organisations on" in svg
    assert "target 120 organisations" in svg
    assert "Data flows freely" in page


def test_the_objective_page_lists_its_visible_metrics(world, metric):
    objective = metric.measures
    assert metric.title in client_for(None).get(objective.get_absolute_url()).content.decode()


def test_a_hidden_metric_is_not_a_point_anywhere(world, portfolio):
    hidden = services.create_metric(
        actor=portfolio, owner=world.team, title="Closed metric", summary="s", unit="%"
    )
    services.record_measurement(
        actor=portfolio, metric=hidden, value="5", measured_on=TODAY, source="internal"
    )
    _publish(
        world,
        hidden,
        outcome="closed",
        rationale="Commercial.",
        sensitivities=[{"category": "commercial", "finding": "f", "mitigation": "restrict"}],
    )
    assert client_for(None).get(hidden.get_absolute_url()).status_code == 404
    assert Client().get(f"/api/v1/metrics/{hidden.uid}/measurements").status_code == 404
    assert client_for(world.people["staff"]).get(hidden.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"target": "10"}, "unit"),
        ({"unit": "%", "target": "10"}, "target_date"),
        ({"unit": "%", "baseline": "lots"}, "baseline"),
        ({"unit": "%", "direction": "sideways"}, "direction"),
        ({"unit": "%", "target": "1e20", "target_date": TODAY}, "target"),
    ],
)
def test_bad_metrics_are_refused_naming_the_field(world, portfolio, fields, field):
    with pytest.raises(ValidationError) as excinfo:
        services.create_metric(actor=portfolio, owner=world.team, title="M", summary="s", **fields)
    assert field in excinfo.value.message_dict


def test_bad_measurements_are_refused_and_nothing_is_written(world, portfolio, metric):
    before = Measurement.objects.count()
    for kwargs, field in (
        ({"value": "x", "measured_on": TODAY, "source": "s"}, "value"),
        ({"value": "1", "measured_on": TODAY + dt.timedelta(days=1), "source": "s"}, "measured_on"),
        ({"value": "1", "measured_on": TODAY, "source": " "}, "source"),
    ):
        with pytest.raises(ValidationError) as excinfo:
            services.record_measurement(actor=portfolio, metric=metric, **kwargs)
        assert field in excinfo.value.message_dict
    with pytest.raises(Conflict):
        services.record_measurement(
            actor=portfolio,
            metric=metric,
            value="1",
            measured_on=TODAY - dt.timedelta(days=100),
            source="again",
        )
    assert Measurement.objects.count() == before


def test_only_the_plans_maintainers_write_it(world, metric):
    for name in ("registered", "staff", "triager"):
        with pytest.raises(PermissionDenied):
            services.record_measurement(
                actor=world.people[name], metric=metric, value="1", measured_on=TODAY, source="s"
            )
        assert client_for(world.people[name]).get("/planning/metrics/new").status_code == 403


def test_recording_through_the_page_is_audited_without_floats(world, portfolio, metric):
    client = client_for(portfolio)
    response = client.post(
        f"/k/{metric.uid}/measurements/new",
        {"value": "44.5", "measured_on": TODAY.strftime("%d/%m/%Y"), "source": "DSI register"},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.filter(action="measurement.recorded").last()
    assert event.data["value"] == "44.5000" and isinstance(event.data["value"], str)
    again = client.post(
        f"/k/{metric.uid}/measurements/new",
        {"value": "45", "measured_on": TODAY.strftime("%d/%m/%Y"), "source": "DSI register"},
    )
    assert "already has a measurement" in again.content.decode()


def test_creating_through_the_pages(world, portfolio):
    client = client_for(portfolio)
    response = client.post(
        "/planning/objectives/new",
        {"owner": world.team.pk, "title": "An objective", "summary": "Why it matters."},
    )
    assert response.status_code == 302
    response = client.post(
        "/planning/metrics/new",
        {
            "owner": world.team.pk,
            "title": "A metric",
            "summary": "s",
            "direction": "higher",
            "target": "5",
        },
    )
    assert response.status_code == 200
    assert "needs a unit" in response.content.decode()


def test_the_api_creates_metrics_and_records_measurements(world, portfolio, metric):
    _, token = tokens.create_token(actor=portfolio, name="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    client = Client()
    created = client.post(
        "/api/v1/metrics",
        {"owner": world.team.slug, "title": "API metric", "summary": "s", "unit": "%"},
        content_type="application/json",
        **auth,
    )
    assert created.status_code == 201, created.content
    assert created.json()["attributes"]["unit"] == "%"
    bad = client.post(
        f"/api/v1/metrics/{metric.uid}/measurements",
        {"value": "1", "measured_on": (TODAY + dt.timedelta(days=3)).isoformat(), "source": "s"},
        content_type="application/json",
        **auth,
    )
    assert bad.status_code == 422 and "measured_on" in str(bad.json())
    series = Client().get(f"/api/v1/metrics/{metric.uid}/measurements").json()
    assert [row["value"] for row in series] == ["3", "12", "31"]


LEVELS = ["open", "registered", "restricted", "closed"]


@pytest.fixture
def metrics(world, portfolio):
    made = {}
    for level in LEVELS:
        m = services.create_metric(
            actor=portfolio, owner=world.team, title=f"The {level} metric", summary="s", unit="%"
        )
        services.record_measurement(
            actor=portfolio, metric=m, value="7", measured_on=TODAY, source=f"{level} source"
        )
        extra = {}
        if level != "open":
            extra = {
                "rationale": "Withheld for the test.",
                "sensitivities": [
                    {"category": "commercial", "finding": "f", "mitigation": "restrict"}
                ],
            }
        if level == "restricted":
            extra["restricted_to"] = [world.named_org]
        made[level] = _publish(world, m, outcome=level, **extra)
    return made


@pytest.mark.parametrize(
    "persona", ["anonymous", "registered", "member", "outsider", "staff", "author"]
)
def test_metric_pages_and_series_follow_the_visibility_matrix(world, metrics, persona):
    from ..test_visibility_matrix import SEES

    client = client_for(world.people[persona])
    for level, metric in metrics.items():
        page = client.get(metric.get_absolute_url())
        series = client.get(f"/api/v1/metrics/{metric.uid}/measurements")
        if persona in SEES[level]:
            assert page.status_code == 200 and f"{level} source" in page.content.decode()
            assert series.status_code == 200 and series.json()[0]["source"] == f"{level} source"
        else:
            assert page.status_code == 404 and f"{level} source" not in page.content.decode()
            assert series.status_code == 404
