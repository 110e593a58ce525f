"""The RAID log's pages: the heat map and filters, the four kinds' panels, escalation to the Board and
its response, and taking accepted submissions into the log — with hidden records absent throughout."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from orchestrator.core.models import Link, Relation
from orchestrator.core.selectors import REDACTED
from orchestrator.engagement import services as engagement
from orchestrator.people.models import OrganisationKind, Role
from orchestrator.planning import raid, services
from orchestrator.planning.models import Escalation, Issue, Risk

from ..conftest import client_for
from ..factories import OrganisationFactory, person, publish

TODAY = dt.date.today()
CLOSED = {
    "rationale": "Security of infrastructure.",
    "sensitivities": [{"category": "security", "finding": "CNI detail.", "mitigation": "restrict"}],
}


@pytest.fixture
def portfolio(world):
    # The Portfolio Management Team: keeps the RAID log and escalates to the Board.
    return person(Role.PORTFOLIO_MANAGER, world.team, full_name="Pat Portfolio")


@pytest.fixture
def board(world):
    # A Board member: responds to escalations.
    board = OrganisationFactory(name="The Board", kind=OrganisationKind.ORCHESTRATOR_TEAM)
    return person(Role.BOARD_MEMBER, board, full_name="Bea Board")


def _publish(world, item, outcome="open", **triage):
    if outcome == "closed":
        triage = {**CLOSED, **triage}
    return publish(item, by=world.people["triager"], outcome=outcome, **triage).specific()


def _investment(world, portfolio, title="Data sharing infrastructure", outcome="open"):
    investment = services.create_investment(
        actor=portfolio,
        owner=world.team,
        title=title,
        summary="s",
        purpose="p",
        capabilities="c",
        phase_dates={"discovery": TODAY - dt.timedelta(days=90)},
    )
    return _publish(world, investment, outcome)


def _risk(world, portfolio, title, likelihood, impact, outcome="open", **fields):
    risk = services.create_risk(
        actor=portfolio,
        owner=fields.pop("owner", world.team),
        title=title,
        summary="s",
        cause=fields.pop("cause", "A consent register nobody has scoped"),
        event=fields.pop("event", "Data cannot be shared lawfully"),
        effect=fields.pop("effect", "The service launches late"),
        likelihood=likelihood,
        impact=impact,
        **fields,
    )
    return _publish(world, risk, outcome)


@pytest.fixture
def log(world, portfolio):
    """An open investment and, around it, risks, an issue, an assumption and a dependency, with
    one closed risk that only staff may see."""
    investment = _investment(world, portfolio)
    risks = {
        "high": _risk(
            world,
            portfolio,
            "Consent register unscoped",
            4,
            5,
            investment=investment,
            residual_likelihood=2,
            residual_impact=3,
        ),
        "high2": _risk(world, portfolio, "Identity provider late", 4, 5),
        "low": _risk(world, portfolio, "Minor naming clash", 2, 1, owner=world.named_org),
        "hidden": _risk(world, portfolio, "Substation telemetry exposed", 5, 5, "closed"),
    }
    issue = _publish(
        world,
        services.create_issue(
            actor=portfolio,
            owner=world.team,
            title="Consent register missed its date",
            summary="s",
            occurred_on=TODAY,
            foreseen_by=risks["high"],
            investment=investment,
        ),
    )
    assumption = _publish(
        world,
        services.create_assumption(
            actor=portfolio, owner=world.team, title="Suppliers will share meter data", summary="s"
        ),
    )
    supplier = OrganisationFactory(name="Meter Data Co", kind=OrganisationKind.OTHER)
    dependency = _publish(
        world,
        services.create_dependency(
            actor=portfolio,
            owner=world.team,
            title="Meter data feed",
            summary="s",
            external=True,
            on_organisation=supplier,
            need_by=TODAY + dt.timedelta(days=60),
        ),
    )
    return {
        "investment": investment,
        **risks,
        "issue": issue,
        "assumption": assumption,
        "dependency": dependency,
        "supplier": supplier,
    }


def _page(client, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, response.content.decode()[:2000]
    return response.content.decode()


def _cells(page: str) -> dict[str, str]:
    """The heat map's linked squares: aria-label → link, on the page."""
    found = re.findall(r'<a href="\?([^"]*)" aria-label="([^"]*)"', page)
    return {label: href for href, label in found}


# --- The heat map ------------------------------------------------------------------------------


def test_the_heat_map_counts_visible_risks_by_likelihood_and_impact(world, log):
    current, residual = raid.heat_maps(None)
    counts = {(c.likelihood, c.impact): c.count for c in current.cells if c.count}
    assert counts == {(4, 5): 2, (2, 1): 1}
    assert current.total == 3
    assert {(c.likelihood, c.impact): c.count for c in residual.cells if c.count} == {(2, 3): 1}
    assert residual.unscored == 2
    staff = raid.heat_maps(world.people["staff"])[0]
    assert {(c.likelihood, c.impact): c.count for c in staff.cells}[(5, 5)] == 1


def test_the_heat_map_is_one_group_by_query(world, log):
    with CaptureQueriesContext(connection) as ctx:
        raid.heat_maps(world.people["registered"], raid.RaidFilters(min_score=3))
    grouped = [q["sql"] for q in ctx.captured_queries if "GROUP BY" in q["sql"]]
    assert len(grouped) == 1


def test_the_page_draws_both_heat_maps_with_links_and_a_table(world, log):
    page = _page(client_for(None), "/raid")
    cells = _cells(page)
    label = "Likelihood 4, impact 5 (score 20, very high): 2 risks"
    assert cells[label] == "likelihood=4&amp;impact=5#entries"
    assert "Likelihood 2, impact 1 (score 2, low): 1 risk" in cells
    assert 'role="group"' in page and '<title id="heat-current-title">' in page
    assert "3 risks: 2 very high, 0 high, 0 medium, 1 low." in page
    assert "2 risks have no residual score yet." in page
    # The table alternative has every count, a zero included.
    table = page.split("This heat map as a table", 1)[1].split("</table>", 1)[0]
    assert re.search(r"<th scope=\"row\"[^>]*>4</th>(<td[^>]*>0</td>){4}<td[^>]*>2</td>", table)


def test_a_cell_lists_its_risks_and_keeps_the_whole_map(world, log):
    page = _page(client_for(None), "/raid?likelihood=4&impact=5")
    entries = page.split('id="entries"', 1)[1]
    assert "Consent register unscoped" in entries and "Identity provider late" in entries
    assert "Minor naming clash" not in entries
    assert "Suppliers will share meter data" not in entries
    assert "2 entries you can see match the filters" in entries
    # The rest of the map is still drawn, the chosen square marked.
    cells = _cells(page)
    assert "Likelihood 2, impact 1 (score 2, low): 1 risk" in cells
    assert "Likelihood 4, impact 5 (score 20, very high): 2 risks, chosen" in cells
    residual = _page(client_for(None), "/raid?residual_likelihood=2&residual_impact=3")
    assert "Consent register unscoped" in residual.split('id="entries"', 1)[1]
    assert "Identity provider late" not in residual.split('id="entries"', 1)[1]


@pytest.mark.parametrize(
    ("query", "shown", "not_shown"),
    [
        ("kind=issue", ["Consent register missed its date"], ["Consent register unscoped"]),
        ("kind=dependency", ["Meter data feed"], ["Suppliers will share meter data"]),
        ("min_score=10", ["Consent register unscoped"], ["Minor naming clash", "Meter data feed"]),
        ("status=closed", [], ["Consent register unscoped", "Meter data feed"]),
        ("status=open", ["Consent register unscoped", "Meter data feed"], []),
        ("owner=named-design-body", ["Minor naming clash"], ["Consent register unscoped"]),
    ],
)
def test_filters_narrow_the_list(world, log, query, shown, not_shown):
    entries = _page(client_for(None), f"/raid?{query}").split('id="entries"', 1)[1]
    for title in shown:
        assert title in entries
    for title in not_shown:
        assert title not in entries


def test_the_investment_filter_lists_what_concerns_it_and_narrows_the_map(world, log):
    uid = log["investment"].uid
    page = _page(client_for(None), f"/raid?investment={uid}")
    entries = page.split('id="entries"', 1)[1]
    assert "Consent register unscoped" in entries
    assert "Consent register missed its date" in entries
    assert "Identity provider late" not in entries
    assert "Likelihood 4, impact 5 (score 20, very high): 1 risk" in _cells(page)
    # Following a square keeps the investment.
    assert f"investment={uid}&amp;likelihood=4&amp;impact=5" in page


def test_the_list_is_paginated(world, log, portfolio):
    for i in range(26):
        _risk(world, portfolio, f"Bulk risk {i}", 1, 1)
    page = _page(client_for(None), "/raid?kind=risk")
    assert "Page 1 of 2" in page
    second = _page(client_for(None), "/raid?kind=risk&page=2")
    assert "Page 2 of 2" in second
    assert "kind=risk&amp;page=1" in second


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("kind=elephant", "Choose a kind of entry: risks, issues, assumptions or dependencies."),
        ("status=maybe", "Choose a status: open, being managed or closed."),
        ("min_score=lots", "Give the lowest score as a whole number from 1 to 25, like 12."),
        ("min_score=99", "Give the lowest score as a whole number from 1 to 25, like 12."),
        ("likelihood=9&impact=5", "likelihood must be a whole number from 1 to 5, not “9”"),
        ("impact=x", "impact must be a whole number from 1 to 5, not “x”"),
        ("investment=nonsense", "No investment you can see has the identifier “nonsense”"),
        ("owner=nobody-at-all", "No organisation has the identifier “nobody-at-all”"),
        ("owner=%00", "Null characters are not allowed."),
        ("investment=" + "x" * 41, "Ensure this value has at most 40 characters"),
    ],
)
def test_bad_filter_values_say_what_was_wrong(world, log, query, message):
    page = _page(client_for(None), f"/raid?{query}", status=400)
    assert "There is a problem" in page
    assert message in page
    # The page still works: the other filters, the map and the list are there.
    assert "Heat map of risks" in page and "Consent register unscoped" in page


def test_a_hidden_investment_is_not_a_filter(world, portfolio):
    hidden = _investment(world, portfolio, "Secret investment", "closed")
    page = _page(client_for(None), f"/raid?investment={hidden.uid}", status=400)
    assert f"No investment you can see has the identifier “{hidden.uid}”" in page
    assert "Secret investment" not in page
    assert _page(client_for(world.people["staff"]), f"/raid?investment={hidden.uid}")


# --- Hidden records ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "registered", "outsider"])
def test_a_hidden_risk_is_no_cell_count_or_row(world, log, who):
    client = client_for(world.people[who])
    page = _page(client, "/raid")
    assert "Substation telemetry exposed" not in page
    assert not [label for label in _cells(page) if label.startswith("Likelihood 5, impact 5")]
    assert "3 risks: 2 very high" in page
    entries = page.split('id="entries"', 1)[1]
    assert "6 entries you can see" in entries
    # Asking for its cell finds nothing either.
    cell = _page(client, "/raid?likelihood=5&impact=5").split('id="entries"', 1)[1]
    assert "0 entries you can see match the filters" in cell
    assert "Substation telemetry exposed" not in cell


def test_staff_see_the_closed_risk_in_its_cell(world, log):
    page = _page(client_for(world.people["staff"]), "/raid")
    assert "Likelihood 5, impact 5 (score 25, very high): 1 risk" in _cells(page)
    assert "Substation telemetry exposed" in page


# --- The kinds' pages --------------------------------------------------------------------------


def test_a_risk_page_reads_cause_event_effect_with_scores_and_the_issue_it_became(world, log):
    page = _page(client_for(None), log["high"].get_absolute_url())
    cause, event, effect = (
        page.index("A consent register nobody has scoped"),
        page.index("Data cannot be shared lawfully"),
        page.index("The service launches late"),
    )
    assert cause < event < effect
    # Shown once, in the panel, not again as the record's text fields.
    assert page.count("A consent register nobody has scoped") == 1
    assert "20 out of 25" in page and "Very high" in page
    assert "6 out of 25 (likelihood 2, impact 3)" in page
    assert "Consent register missed its date" in page
    assert "Data sharing infrastructure" in page
    assert "Not escalated to the Board." in page
    assert "Escalate to the Board" not in page


def test_a_redacted_cause_stays_redacted_in_the_panel(world, portfolio):
    risk = services.create_risk(
        actor=portfolio,
        owner=world.team,
        title="Risk with a sensitive cause",
        summary="s",
        cause="The name of a person at the substation",
        event="e",
        effect="f",
        likelihood=2,
        impact=2,
    )
    publish(
        risk,
        by=world.people["triager"],
        redacted_fields=["cause"],
        sensitivities=[{"category": "personal_data", "finding": "A name.", "mitigation": "redact"}],
        rationale="Personal data.",
    )
    page = _page(client_for(None), risk.get_absolute_url())
    assert "The name of a person" not in page
    assert escape(REDACTED) in page
    assert "The name of a person" in _page(
        client_for(world.people["staff"]), risk.get_absolute_url()
    )


def test_an_issue_says_which_risk_foresaw_it_only_if_the_viewer_may_see_it(world, log, portfolio):
    page = _page(client_for(None), log["issue"].get_absolute_url())
    assert "Yes: it was identified as a risk beforehand" in page
    assert f'href="{log["high"].get_absolute_url()}"' in page
    hidden_issue = _publish(
        world,
        services.create_issue(
            actor=portfolio,
            owner=world.team,
            title="Telemetry leaked",
            summary="s",
            occurred_on=TODAY,
            foreseen_by=log["hidden"],
        ),
    )
    page = _page(client_for(None), hidden_issue.get_absolute_url())
    assert "Yes: it was identified as a risk beforehand." in page
    assert "Substation telemetry exposed" not in page
    assert log["hidden"].uid not in page
    # Nor is the issue counted among the hidden risk's issues for anyone who cannot see the risk.
    assert client_for(None).get(log["hidden"].get_absolute_url()).status_code == 404


def test_a_dependency_names_its_outside_organisation_and_date(world, log):
    page = _page(client_for(None), log["dependency"].get_absolute_url())
    assert "An outside organisation" in page and "Meter Data Co" in page
    assert f"/organisations/{log['supplier'].slug}" in page
    assert (TODAY + dt.timedelta(days=60)).strftime("%-d %B %Y") in page


def test_an_assumption_page_has_its_panel(world, log):
    page = _page(client_for(None), log["assumption"].get_absolute_url())
    assert "Does it hold?" in page and "Not yet tested" in page
    # Assumptions do not go to the Board, so there is no escalations section.
    assert "Escalations to the Board" not in page.split("<main", 1)[1]


# --- Escalation --------------------------------------------------------------------------------


def test_a_portfolio_manager_escalates_a_risk_and_the_board_responds_once(
    world, log, portfolio, board
):
    risk = log["high"]
    pm = client_for(portfolio)
    assert "Escalate to the Board" in _page(pm, risk.get_absolute_url())
    form = _page(pm, f"/k/{risk.uid}/escalate")
    assert "Why does the Board need to see it?" in form
    response = pm.post(f"/k/{risk.uid}/escalate", {"reason": "Launch depends on it."})
    assert response.status_code == 302 and response["Location"] == risk.get_absolute_url()
    escalation = Escalation.objects.get(item=risk)

    # Anyone who may see the risk sees the escalation, on its page and on /raid/escalations.
    anonymous = client_for(None)
    page = _page(anonymous, risk.get_absolute_url())
    assert "Launch depends on it." in page and "Awaiting the Board's response" in page
    listing = _page(anonymous, "/raid/escalations")
    assert "Launch depends on it." in listing and "(1)" in listing
    assert "1 awaiting its response" in _page(anonymous, "/raid")
    # While it is with the Board it cannot go again.
    again = pm.post(f"/k/{risk.uid}/escalate", {"reason": "Again."})
    assert again.status_code == 409
    assert "already with the Board" in again.content.decode()

    b = client_for(board)
    assert "Record the Board's response" in _page(b, risk.get_absolute_url())
    respond = f"/raid/escalations/{escalation.pk}/respond"
    assert "Launch depends on it." in _page(b, respond)
    assert b.post(respond, {"response": ""}).status_code == 400
    response = b.post(respond, {"response": "Accepted: fund the register now."})
    assert response.status_code == 302
    page = _page(anonymous, risk.get_absolute_url())
    assert "Accepted: fund the register now." in page and "Bea Board" in page
    answered = _page(anonymous, "/raid/escalations?state=answered")
    assert "Accepted: fund the register now." in answered
    assert "Accepted: fund the register now." not in _page(anonymous, "/raid/escalations")

    second = b.post(respond, {"response": "Changed our minds."})
    assert second.status_code == 409
    body = second.content.decode()
    assert "already responded" in body and "Accepted: fund the register now." in body
    escalation.refresh_from_db()
    assert escalation.response == "Accepted: fund the register now."
    assert _page(b, respond, status=409)


@pytest.mark.parametrize("who", ["registered", "member", "author"])
def test_a_stakeholder_cannot_escalate(world, log, who):
    client = client_for(world.people[who])
    risk = log["high"]
    assert "Escalate to the Board" not in _page(client, risk.get_absolute_url())
    assert client.get(f"/k/{risk.uid}/escalate").status_code == 403
    response = client.post(f"/k/{risk.uid}/escalate", {"reason": "Please."})
    assert response.status_code == 403
    assert "escalate to the Board" in response.content.decode()
    assert not Escalation.objects.exists()


def test_a_document_is_refused_clearly(world, portfolio):
    client = client_for(portfolio)
    document = world.records["open"]
    for response in (
        client.get(f"/k/{document.uid}/escalate"),
        client.post(f"/k/{document.uid}/escalate", {"reason": "Why not."}),
    ):
        assert response.status_code == 400
        assert "Only a risk, an issue or a stakeholder&#x27;s concern goes to the Board" in (
            response.content.decode()
        )
    assert not Escalation.objects.exists()


def test_escalating_a_hidden_or_missing_record_is_not_found(world, log, portfolio):
    research = person(Role.RESEARCH_ENGAGEMENT, world.team)
    assert client_for(research).get("/k/0000000000/escalate").status_code == 404
    anonymous = client_for(None).get(f"/k/{log['hidden'].uid}/escalate")
    assert anonymous.status_code == 302 and "/sign-in" in anonymous["Location"]
    # A hidden record is not found, rather than refused: a 403 would say it exists.
    registered = client_for(world.people["registered"])
    assert registered.get(f"/k/{log['hidden'].uid}/escalate").status_code == 404


def test_an_empty_reason_is_refused_on_the_form(world, log, portfolio):
    response = client_for(portfolio).post(f"/k/{log['high'].uid}/escalate", {"reason": "  "})
    assert response.status_code == 400
    assert "Say why the Board needs to see it." in response.content.decode()


def test_a_concern_submission_can_go_to_the_board(world, log, portfolio):
    concern = engagement.raise_submission(
        actor=world.people["registered"],
        category="concern",
        title="Nobody asked consumers",
        text="The consent design ignores consumers.",
    )
    research = person(Role.RESEARCH_ENGAGEMENT, world.team)
    response = client_for(research).post(f"/k/{concern.uid}/escalate", {"reason": "Serious."})
    assert response.status_code == 302
    risky = engagement.raise_submission(
        actor=world.people["registered"], category="feedback", title="Nice site", text="Thanks."
    )
    refused = client_for(research).get(f"/k/{risky.uid}/escalate")
    assert refused.status_code == 400
    assert "only a concern goes to the Board" in refused.content.decode()


def test_only_the_board_responds(world, log, portfolio):
    escalation = services.escalate(actor=portfolio, item=log["high"], reason="Why.")
    path = f"/raid/escalations/{escalation.pk}/respond"
    assert client_for(portfolio).post(path, {"response": "Fine."}).status_code == 403
    assert client_for(world.people["registered"]).get(path).status_code == 403
    assert (
        client_for(world.people["staff"]).get("/raid/escalations/999999/respond").status_code == 404
    )
    huge = "/raid/escalations/99999999999999999999999/respond"
    assert client_for(world.people["staff"]).get(huge).status_code == 404
    escalation.refresh_from_db()
    assert escalation.is_open


def test_escalations_of_hidden_records_are_not_listed_or_counted(world, log, portfolio, board):
    services.escalate(actor=portfolio, item=log["hidden"], reason="Telemetry exposed.")
    services.escalate(actor=portfolio, item=log["high"], reason="Consent.")
    for who in ("anonymous", "registered"):
        client = client_for(world.people[who])
        listing = _page(client, "/raid/escalations")
        assert "Telemetry exposed." not in listing and "Consent." in listing
        assert "Awaiting the Board's response (1)" in listing
        assert "1 awaiting its response" in _page(client, "/raid")
    staff = _page(client_for(board), "/raid/escalations")
    assert "Telemetry exposed." in staff and "(2)" in staff


# --- Taking submissions into the log -----------------------------------------------------------


def _accepted(world, category="risk", title="Smart meter firmware unsigned", about=None):
    about = about or world.records["open"]
    submission = engagement.raise_submission(
        actor=world.people["registered"],
        category=category,
        title=title,
        text="Firmware updates are not signed.",
        about=about,
    )
    return engagement.resolve_submission(
        actor=world.people["triager"], submission=submission, decision="accept"
    )


def test_a_planner_takes_an_accepted_risk_submission_into_the_log_once(world, log, portfolio):
    submission = _accepted(world, about=log["investment"])
    client = client_for(portfolio)
    page = _page(client, "/raid")
    assert "From the engagement channel" in page and submission.title in page
    response = client.post(f"/raid/log/{submission.uid}")
    assert response.status_code == 302
    risk = Risk.objects.get(title=submission.title)
    assert response["Location"] == risk.get_absolute_url()
    assert risk.is_draft and risk.owner == world.team
    assert risk.for_investment_id == log["investment"].pk
    assert Link.objects.filter(
        source=risk, target=submission, relation=Relation.REFERENCES
    ).exists()
    # Linked both ways: each page names the other.
    risk_page = _page(client, risk.get_absolute_url())
    assert submission.get_absolute_url() in risk_page
    assert risk.get_absolute_url() in _page(client, submission.get_absolute_url())
    # It no longer waits, and a second time is refused, with nothing made.
    assert submission.title not in _page(client, "/raid").split('id="heat-map"', 1)[0]
    again = client.post(f"/raid/log/{submission.uid}")
    assert again.status_code == 409
    assert "already in the RAID log" in again.content.decode()
    assert Risk.objects.filter(title=submission.title).count() == 1


def test_an_accepted_dependency_becomes_a_dependency(world, portfolio):
    submission = _accepted(world, category="dependency", title="Needs the consent register")
    response = client_for(portfolio).post(f"/raid/log/{submission.uid}")
    assert response.status_code == 302
    assert "Needs the consent register" in _page(client_for(portfolio), response["Location"])


def test_only_accepted_risks_and_dependencies_go_into_the_log(world, portfolio):
    waiting = engagement.raise_submission(
        actor=world.people["registered"], category="risk", title="Not yet read", text="t"
    )
    client = client_for(portfolio)
    response = client.post(f"/raid/log/{waiting.uid}")
    assert response.status_code == 409
    assert "Only an accepted risk or dependency" in response.content.decode()
    assert client.post(f"/raid/log/{world.records['open'].uid}").status_code == 404
    assert client.get(f"/raid/log/{waiting.uid}").status_code == 405


def test_a_stakeholder_cannot_take_a_submission_into_the_log(world):
    submission = _accepted(world)
    client = client_for(world.people["registered"])
    assert client.post(f"/raid/log/{submission.uid}").status_code == 403
    assert "From the engagement channel" not in _page(client, "/raid")
    assert not Risk.objects.exists()


# --- Query counts ------------------------------------------------------------------------------


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def _grow(world, portfolio, investment, n: int) -> None:
    for i in range(n):
        risk = _risk(
            world, portfolio, f"Grown risk {i}", 1 + i % 5, 1 + (i * 2) % 5, investment=investment
        )
        issue = services.create_issue(
            actor=portfolio,
            owner=world.team,
            title=f"Grown issue {i}",
            summary="s",
            occurred_on=TODAY,
            foreseen_by=risk,
            investment=_investment(world, portfolio, f"Grown investment {i}"),
        )
        _publish(world, issue)
        services.escalate(actor=portfolio, item=risk, reason=f"Grown {i}.")
        _accepted(world, title=f"Grown submission {i}")


@pytest.mark.parametrize("who", ["registered", "portfolio"])
def test_the_raid_pages_ask_the_database_a_fixed_number_of_times(world, log, portfolio, board, who):
    user = portfolio if who == "portfolio" else world.people[who]
    client = client_for(user)
    risk = log["high"]
    paths = [
        "/raid",
        f"/raid?investment={log['investment'].uid}&min_score=1",
        "/raid/escalations",
        risk.get_absolute_url(),
        log["issue"].get_absolute_url(),
        log["dependency"].get_absolute_url(),
    ]
    _grow(world, portfolio, log["investment"], 1)
    first = services.escalate(actor=portfolio, item=risk, reason="First.")
    services.respond_to_escalation(actor=board, escalation=first, response="Noted.")
    services.escalate(actor=portfolio, item=log["issue"], reason="Open one.")
    before = [_queries(client, p) for p in paths]
    _grow(world, portfolio, log["investment"], 4)
    Issue.objects.update(foreseen_by=risk)
    for i in range(3):
        escalation = services.escalate(actor=portfolio, item=risk, reason=f"Again {i}.")
        services.respond_to_escalation(actor=board, escalation=escalation, response="Noted.")
    assert [_queries(client, p) for p in paths] == before
