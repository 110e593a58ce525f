"""Architecture decision records: each decision taken, written as a Markdown file in MADR style.

`orchestrator decisions export-adr DIR` writes `NNNN-<slug>.md` for every decided (or reviewed)
decision the reader may see, numbered in the order they were decided, so the Orchestrator's
decisions can sit beside the code and designs they shaped. By default the reader is the public:
published open decisions only, with the redactions of their triage applied. Everything written
comes from `selectors.decision_panel`, so a record the reader may not see (an unpublished
recommendation, a withheld response, a hidden affected record) is left out, as on the decision's
page.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.text import slugify

from orchestrator.core.models import Item
from orchestrator.core.selectors import REDACTED, redacted_fields

from . import selectors
from .models import DECIDED_STAGES, Decision, Stage

if TYPE_CHECKING:
    from orchestrator.people.models import User

SLUG_LENGTH = 60


class ExportError(Exception):
    """The records cannot be written where they were asked for."""


@dataclass(frozen=True)
class _Entry:
    number: int
    decision: Decision
    filename: str

    @property
    def label(self) -> str:
        return f"{self.number:04d}"


def _quiet(done: int, total: int, path: Path) -> None:
    return None


def decided_decisions(user: User | None) -> list[Decision]:
    """The decisions taken that `user` may see, in the order they were taken."""
    return list(
        selectors.visible_decisions(user)
        .filter(stage__in=DECIDED_STAGES)
        .select_related("current_triage", "chosen")
        .annotate(decided_at=Min("steps__at", filter=Q(steps__to_stage=Stage.DECIDED)))
        .order_by("decided_on", "decided_at", "pk")
    )


def _filename(number: int, decision: Decision) -> str:
    slug = slugify(decision.title)[:SLUG_LENGTH].strip("-") or decision.uid
    return f"{number:04d}-{slug}.md"


def _prepare(directory: Path) -> Path:
    directory = Path(directory)
    parent = directory.absolute().parent
    if not parent.is_dir():
        raise ExportError(
            f"{parent} does not exist: create it first, or choose a directory whose parent exists."
        )
    if directory.exists() and not directory.is_dir():
        raise ExportError(f"{directory} is a file, not a directory.")
    directory.mkdir(exist_ok=True)
    return directory


def _write(path: Path, text: str) -> None:
    # Written beside and renamed into place, so an interrupted export never leaves half a record.
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8", newline="\n")
    os.replace(partial, path)


def export_adr(
    *,
    user: User | None,
    directory: Path,
    progress: Callable[[int, int, Path], None] = _quiet,
) -> list[Path]:
    """Write one MADR file per decision taken that `user` (None: the public) may see into
    `directory`, creating it if its parent exists. Files of the same names are overwritten; any
    other file is kept. Returns the paths written, in order."""
    directory = _prepare(directory)
    entries = [
        _Entry(n, decision, _filename(n, decision))
        for n, decision in enumerate(decided_decisions(user), start=1)
    ]
    by_pk = {entry.decision.pk: entry for entry in entries}
    written = []
    for entry in entries:
        path = directory / entry.filename
        _write(path, render(user, entry, by_pk))
        written.append(path)
        progress(len(written), len(entries), path)
    return written


# --- One record ---------------------------------------------------------------------------------


def _url(item: Item) -> str:
    return settings.SITE_URL.rstrip("/") + item.get_absolute_url()


def _line(text: str) -> str:
    """Text for a heading or a list item: one line."""
    return " ".join(text.split())


def _quote(text: str) -> str:
    return "\n".join(f"> {line}".rstrip() for line in text.strip().splitlines())


def _yaml(value: str) -> str:
    # A JSON string is a YAML double-quoted scalar: colons and quotes in a title stay safe.
    return json.dumps(value, ensure_ascii=False)


def _date(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%-d %B %Y %H:%M")


def _option_name(option: Any) -> str:
    return f"Option {option.label}: {_line(option.title)}"


def _reference(entry: _Entry | None, decision: Decision) -> str:
    """A link to another decision: to its record in this export, or else to its page."""
    if entry is not None:
        return f"[{entry.label} {_line(decision.title)}]({entry.filename})"
    return f"[{_line(decision.title)}]({_url(decision)})"


def render(user: User | None, entry: _Entry, by_pk: dict[int, _Entry]) -> str:
    """The decision's MADR record, as `user` may see it."""
    decision = entry.decision
    panel = selectors.decision_panel(user, decision)
    hidden = redacted_fields(user, decision)

    def text(name: str) -> str:
        # The panel has the kind's text fields as redacted for this reader; the summary and the
        # body are every record's, redacted by the same triage.
        shown = panel["text"].get(name)
        if shown is None:
            shown = REDACTED if name in hidden else getattr(decision, name)
        return shown.strip()

    # A later decision the reader may see was taken, so it is in the export too.
    later = panel["superseded_by"]
    later_entry = by_pk.get(later.pk) if later is not None else None
    status = f"superseded by {later_entry.label}" if later_entry else "accepted"
    deciders = decision.owner.name
    out = [
        "---",
        f"status: {_yaml(status)}",
        f"date: {decision.decided_on.isoformat()}",
        f"deciders: {_yaml(deciders)}",
        f"record: {_yaml(_url(decision))}",
        f"uid: {_yaml(decision.uid)}",
        f"type: {_yaml(decision.get_decision_type_display())}",
        "---",
        "",
        f"# {entry.label} {_line(decision.title)}",
        "",
        f"* Status: {status}" + (f" ({_reference(later_entry, later)})" if later else ""),
        f"* Date: {decision.decided_on:%-d %B %Y}",
        f"* Deciders: {deciders}",
        f"* Record: <{_url(decision)}>",
    ]
    summary = text("summary")
    if summary:
        out += ["", summary]

    out += ["", "## Context and problem statement", "", text("question")]
    context = text("context")
    if context:
        out += ["", context]

    options = panel["options"]
    out += ["", "## Considered options", ""]
    out += [f"* {_option_name(o)}" for o in options] or ["No options were recorded."]
    for option in options:
        out += ["", f"### {_option_name(option)}"]
        if option.description.strip():
            out += ["", option.description.strip()]
        out += [""]
        for name, label in (("benefits", "Benefits"), ("costs", "Costs"), ("risks", "Risks")):
            value = getattr(option, name).strip()
            out.append(f"* {label}: {value if value else 'none recorded'}")

    chosen = panel["chosen"]
    out += ["", "## Decision outcome", ""]
    out.append(f"Chosen option: **{_option_name(chosen)}**." if chosen else "No option recorded.")
    out += ["", text("rationale")]

    advice = panel["consolidated"]
    if decision.departs_from_advice:
        # The option recommended is named only where the reader may see the recommendation.
        recommended = f" ({_option_name(advice.option)})" if advice is not None else ""
        out += [
            "",
            "## Departure from the advisors' recommendation",
            "",
            "> **This decision departs from the Independent Technical Advisors' consolidated "
            f"recommendation{recommended}.**",
            ">",
            _quote(text("departure")),
        ]

    out += ["", "## Consequences", ""]
    out.append(text("consequences") or "None recorded.")

    out += ["", "## Advice", ""]
    if advice is not None:
        out += [
            f"The Independent Technical Advisors' consolidated recommendation: "
            f"**{_option_name(advice.option)}**.",
            "",
            advice.shown_text.strip(),
        ]
    else:
        out.append("No consolidated recommendation of the advisors is published.")
    others = panel["advice"]
    if others:
        out += ["", "Each advisor's recommendation:", ""]
        out += [
            f"* {r.advisor.full_name}: {_option_name(r.option)}. {_line(r.shown_text)}"
            for r in others
        ]
    if panel["conflicted"]:
        out += ["", "Withdrew from advising, having declared an interest:", ""]
        out += [f"* {c.advisor} ({', '.join(c.organisations)})" for c in panel["conflicted"]]

    if decision.consulted:
        out += [
            "",
            "## Feedback summary",
            "",
            f"Consulted from {_date(decision.consultation_opens)} to "
            f"{_date(decision.consultation_closes)}; "
            f"{panel['responses_received']} response(s) received.",
        ]
        summary = text("feedback_summary")
        out += ["", summary or "The summary of feedback has not been published."]

    out += ["", "## Board review", ""]
    if decision.stage == Stage.REVIEWED:
        out.append(
            f"{decision.get_assurance_display()}, on {decision.reviewed_on:%-d %B %Y}."
            if decision.reviewed_on
            else f"{decision.get_assurance_display()}."
        )
        reasons = text("assurance_reasons")
        if reasons:
            out += ["", reasons]
    else:
        out.append("Not yet reviewed by the Board.")
    for opinion in panel["opinions"]:
        out += [
            "",
            f"Opinion of {opinion.member.full_name}:",
            "",
            _quote(opinion.shown_text),
        ]

    out += ["", "## Links", ""]
    links = [f"* Record: <{_url(decision)}>"]
    earlier = panel["supersedes"]
    if earlier is not None:
        links.append(f"* Supersedes {_reference(by_pk.get(earlier.pk), earlier)}")
    if later is not None:
        links.append(f"* Superseded by {_reference(later_entry, later)}")
    links += [
        f"* Affects: [{_line(record.title)}]({_url(record)}) ({record.kind_label.lower()})"
        for record in panel["affects"]
    ]
    for evidence in panel["evidence"]:
        where = (
            f"[{_line(evidence.record.title)}]({_url(evidence.record)})"
            if evidence.record_id
            else f"<{evidence.url}>"
        )
        links.append(f"* Evidence: {_line(evidence.description)} — {where}")
    out += links

    body = text("body")
    if body:
        out += ["", "## More information", "", body]
    return "\n".join(out) + "\n"
