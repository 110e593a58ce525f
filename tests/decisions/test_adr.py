"""Architecture decision records: one MADR file per decision taken, as the reader may see it."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone

from orchestrator import cli
from orchestrator.core.selectors import REDACTED
from orchestrator.decisions import services
from orchestrator.decisions.adr import ExportError, export_adr

from ..factories import publish
from .conftest import advised, scheduled

pytestmark = pytest.mark.django_db


def decide(c, decision, option="A", **kwargs):
    values = {"rationale": f"Option {option} is best."}
    values.update(kwargs)
    return services.decide(
        decision=decision, actor=c.owner, outcome=decision.options.get(label=option), **values
    )


@pytest.fixture
def record(council):
    """Decisions at each point, published or not: what an export should and should not hold."""
    c = council
    first = advised(c, title="Authentication: pattern or service")
    decide(c, first, "A", consequences="Each service adopts the pattern.")
    services.record_opinion(actor=c.board, decision=first, opinion="A sound process.")
    services.review(actor=c.board_chair, decision=first, outcome="assured")
    departing = advised(c, title="Consent register: who operates it", option="A")
    decide(
        c,
        departing,
        "B",
        rationale="Resilience matters most.",
        departure="Only an operated service gives the resilience the sector needs.",
    )
    redacted = advised(c, title="Pricing of the data service")
    decide(c, redacted, "A", rationale="The vendor's confidential price list settles it.")
    hidden = advised(c, title="A decision still in triage")
    decide(c, hidden, "A")
    later = advised(c, title="Authentication, revisited")
    decide(c, later, "B", rationale="The market matured.", departure="B is now cheaper.")
    undecided = scheduled(c, title="Not decided yet")
    for decision in (first, departing, later, undecided):
        publish(decision, by=c.triager)
    publish(
        redacted,
        by=c.triager,
        redacted_fields=["rationale"],
        sensitivities=[
            {"category": "commercial", "finding": "A price list.", "mitigation": "redact"}
        ],
    )
    return c, {
        "first": first,
        "departing": departing,
        "redacted": redacted,
        "hidden": hidden,
        "later": later,
        "undecided": undecided,
    }


def read(paths):
    return {p.name: p.read_text(encoding="utf-8") for p in paths}


def test_each_decision_taken_that_the_public_may_see_is_one_numbered_file(record, tmp_path):
    written = export_adr(user=None, directory=tmp_path / "adr")
    assert [p.name for p in written] == [
        "0001-authentication-pattern-or-service.md",
        "0002-consent-register-who-operates-it.md",
        "0003-pricing-of-the-data-service.md",
        "0004-authentication-revisited.md",
    ]
    text = "\n".join(read(written).values())
    assert "still in triage" not in text and "Not decided yet" not in text


def test_a_record_has_madr_front_matter_and_its_sections(record, tmp_path):
    _, d = record
    first = read(export_adr(user=None, directory=tmp_path))[
        "0001-authentication-pattern-or-service.md"
    ]
    assert first.startswith('---\nstatus: "accepted"\n')
    assert f"date: {timezone.localdate().isoformat()}" in first
    assert 'deciders: "Product Team"' in first
    assert f"/k/{d['first'].uid}" in first
    for heading in (
        "# 0001 Authentication: pattern or service",
        "## Context and problem statement",
        "## Considered options",
        "### Option A: Open-source pattern",
        "### Option B: Operated service",
        "## Decision outcome",
        "## Consequences",
        "## Advice",
        "## Board review",
        "## Links",
    ):
        assert f"\n{heading}\n" in f"\n{first}", heading
    assert "open-source pattern or an operated service?" in first  # the question
    assert "* Benefits: Cheap to adopt" in first and "* Risks: Lock-in" in first
    assert "Chosen option: **Option A: Open-source pattern**." in first
    assert "Option A is best." in first and "Each service adopts the pattern." in first
    assert "Assured, on" in first
    assert "Departure from the advisors' recommendation" not in first
    assert "Feedback summary" not in first  # not consulted
    # The advice and the Board opinion are drafts, which the public do not see.
    assert "No consolidated recommendation of the advisors is published." in first
    assert "A sound process." not in first


def test_a_departure_from_advice_is_shown_prominently(record, tmp_path):
    c, _ = record
    text = read(export_adr(user=c.owner, directory=tmp_path))[
        "0002-consent-register-who-operates-it.md"
    ]
    section = text.split("## Departure from the advisors' recommendation\n", 1)[1]
    assert section.startswith(
        "\n> **This decision departs from the Independent Technical Advisors' consolidated "
        "recommendation (Option A: Open-source pattern).**"
    )
    assert "> Only an operated service gives the resilience" in section
    # It comes before the consequences, straight after the outcome.
    assert (
        text.index("## Decision outcome")
        < text.index("## Departure")
        < text.index("## Consequences")
    )


def test_a_superseded_decision_says_so_and_links_the_later_one(record, tmp_path):
    c, d = record
    # A decision taken later supersedes the first.
    again = advised(c, title="Authentication, third look")
    d["first"].refresh_from_db()
    decide(c, again, "A", rationale="Back to A.", supersedes=d["first"])
    publish(again, by=c.triager)
    files = read(export_adr(user=None, directory=tmp_path))
    first = files["0001-authentication-pattern-or-service.md"]
    assert 'status: "superseded by 0005"' in first
    assert "[0005 Authentication, third look](0005-authentication-third-look.md)" in first
    assert (
        "* Supersedes [0001 Authentication: pattern or service]"
        "(0001-authentication-pattern-or-service.md)"
    ) in files["0005-authentication-third-look.md"]


def test_a_redacted_field_is_not_written_for_the_public(record, tmp_path):
    c, _ = record
    name = "0003-pricing-of-the-data-service.md"
    public = read(export_adr(user=None, directory=tmp_path / "public"))[name]
    assert "confidential price list" not in public and REDACTED in public
    staff = read(export_adr(user=c.owner, directory=tmp_path / "staff"))[name]
    assert "The vendor's confidential price list settles it." in staff


def test_as_a_person_the_export_holds_what_they_may_see(record, tmp_path):
    c, _ = record
    staff = read(export_adr(user=c.owner, directory=tmp_path))
    assert len(staff) == 5 and "0004-a-decision-still-in-triage.md" in staff
    first = staff["0001-authentication-pattern-or-service.md"]
    assert "**Option A: Open-source pattern**." in first.split("## Advice", 1)[1]
    assert "Opinion of Bea Board:" in first and "> A sound process." in first
    assert "* Colin Conflicted (Identity Vendor Ltd)" in first


def test_a_consulted_decision_has_its_feedback_summary(council, tmp_path):
    c = council
    decision = advised(c, title="Consulted")
    publish(decision, by=c.triager)
    now = timezone.now()
    services.open_consultation(
        actor=c.triager, decision=decision, opens=now, closes=now + dt.timedelta(days=7)
    )
    with mock.patch("django.utils.timezone.now", return_value=now + dt.timedelta(days=8)):
        services.publish_feedback_summary(
            actor=c.triager, decision=decision, summary="Nobody responded."
        )
        decide(c, decision, "A")
    text = read(export_adr(user=None, directory=tmp_path))["0001-consulted.md"]
    assert "## Feedback summary" in text and "Nobody responded." in text
    assert "0 response(s) received" in text


def test_an_existing_directory_keeps_other_files_and_the_records_are_rewritten(record, tmp_path):
    (tmp_path / "README.md").write_text("Our decisions.")
    stale = tmp_path / "0001-authentication-pattern-or-service.md"
    stale.write_text("An earlier export.")
    export_adr(user=None, directory=tmp_path)
    assert (tmp_path / "README.md").read_text() == "Our decisions."
    assert stale.read_text().startswith("---\n")
    assert not list(tmp_path.glob(".*partial"))


def test_a_missing_parent_is_a_clear_error(record, tmp_path, capsys):
    target = tmp_path / "missing" / "adr"
    with pytest.raises(ExportError, match="does not exist"):
        export_adr(user=None, directory=target)
    assert cli.main(["decisions", "export-adr", str(target)]) == 1
    err = capsys.readouterr().err
    assert "orchestrator decisions export-adr:" in err and "does not exist" in err
    assert not target.exists()


def test_the_command_prints_progress_and_the_count(record, tmp_path, capsys):
    c, _ = record
    assert cli.main(["decisions", "export-adr", str(tmp_path / "adr")]) == 0
    out = capsys.readouterr().out
    assert "  1 of 4: 0001-authentication-pattern-or-service.md" in out
    assert "Wrote 4 architecture decision records to" in out and "the public" in out
    assert (
        cli.main(["decisions", "export-adr", str(tmp_path / "staff"), "--as", c.owner.email]) == 0
    )
    assert "Wrote 5 architecture decision records" in capsys.readouterr().out
    assert cli.main(["decisions", "export-adr", str(tmp_path / "x"), "--as", "no@example.org"]) == 1
    assert "there is no user no@example.org" in capsys.readouterr().err
