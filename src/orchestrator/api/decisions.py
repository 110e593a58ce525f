"""Decision making in the API: the schedule, a decision with its process, and each step of it.

Reads start from what the caller may see (`decisions.selectors`); each write is one call of a
`decisions.services` function. Options are named by their label ("A", "B" …), records by uid and
organisations by slug. A decision the caller may not see is a 404 on every path; a record named in a
body that the caller may not see is a 422 naming the field.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import ValidationError as NinjaValidationError

from orchestrator.core.models import Item
from orchestrator.core.selectors import get_visible_item
from orchestrator.decisions import selectors, services
from orchestrator.decisions.models import (
    Assurance,
    ConsultationResponse,
    Decision,
    DecisionType,
    Option,
    ResponseState,
    Stage,
)
from orchestrator.people.models import Organisation, User

from .api import (
    MAX_PAGE,
    MAX_PAGE_SIZE,
    WRITE_ERRORS,
    ItemOut,
    OptionalToken,
    PageFilters,
    Problem,
    RequireToken,
    _reject_unknown,
    paged,
)
from .representations import item_detail

router = Router(tags=["decisions"], auth=RequireToken())

_SLUG = re.compile(r"^[-\w]{1,200}$", re.ASCII)
WHEN = ("upcoming", "past")
# A moment outside these years cannot be shown in local time or stored as UTC at the far ends of
# the calendar, and no consultation runs then.
EARLIEST_YEAR, LATEST_YEAR = 1900, 9998


# --- What the API shows ------------------------------------------------------------------------


class ScheduledDecision(Schema):
    uid: str
    title: str
    type: str
    stage: str
    scheduled_on: dt.date
    decided_on: dt.date | None
    departs_from_advice: bool
    url: str


class SchedulePage(Schema):
    count: int
    page: int
    pages: int
    items: list[ScheduledDecision]


class OptionOut(Schema):
    label: str
    title: str
    description: str
    benefits: str
    costs: str
    risks: str


class EvidenceOut(Schema):
    description: str
    url: str = Field(..., description="The web address, or empty when the evidence is a record")
    record: str | None = Field(..., description="The uid of the record, when it is one")
    added_at: dt.datetime


class OrganisationOut(Schema):
    slug: str
    name: str


class RecommendationOut(Schema):
    uid: str
    advisor: str
    option: str = Field(..., description="The label of the option recommended")
    reasoning: str
    consolidated: bool


class ConflictedOut(Schema):
    advisor: str
    organisations: list[str]


class ResponseOut(Schema):
    uid: str
    published_text: str
    published_at: dt.datetime | None


class OpinionOut(Schema):
    uid: str
    member: str
    opinion: str


class ProcessStepOut(Schema):
    name: str
    status: str = Field(..., description="followed, skipped, pending or not_needed")
    date: dt.date | None
    detail: str


class TimelineOut(Schema):
    at: dt.datetime
    action: str
    label: str
    actor: str


class DecisionOut(ItemOut):
    stage: str
    options: list[OptionOut]
    evidence: list[EvidenceOut]
    affects: list[str] = Field(..., description="uids of the records it affects that you may see")
    concerns: list[OrganisationOut]
    advice_brief: str = Field(
        ..., description="What the Product Team asked the advisors for when they asked for advice"
    )
    recommendations: list[RecommendationOut] = Field(
        ..., description="The advisors' recommendations you may see, the consolidated one first"
    )
    conflicted_advisors: list[ConflictedOut]
    chosen: str | None = Field(..., description="The label of the option chosen")
    rationale: str
    consequences: str
    departs_from_advice: bool
    departure: str = Field(..., description="Why the decision departs from the advice")
    supersedes: str | None
    superseded_by: str | None
    consultation_opens: dt.datetime | None
    consultation_closes: dt.datetime | None
    responses_received: int
    feedback_summary: str
    feedback_published_at: dt.datetime | None
    responses: list[ResponseOut] = Field(..., description="Published responses you may see")
    opinions: list[OpinionOut]
    assurance: str
    assurance_reasons: str
    reviewed_on: dt.date | None
    conformance: list[ProcessStepOut]
    timeline: list[TimelineOut]
    actions: list[str] = Field(..., description="The steps of its process you may take now")


def decision_detail(user: User | None, decision: Decision) -> dict[str, Any]:
    """The decision as `GET /items/{uid}` gives it, with its process as its page shows it."""
    panel = selectors.decision_panel(user, decision)
    # The decision's text fields, and each record's own text, as redacted for this reader.
    text = panel["text"]
    recommendations = [r for r in (panel["consolidated"], *panel["advice"]) if r is not None]
    data = item_detail(user, decision)
    data.update(
        {
            "stage": decision.stage,
            "options": [
                {
                    "label": o.label,
                    "title": o.title,
                    "description": o.description,
                    "benefits": o.benefits,
                    "costs": o.costs,
                    "risks": o.risks,
                }
                for o in panel["options"]
            ],
            "evidence": [
                {
                    "description": e.description,
                    "url": e.url,
                    "record": e.record.uid if e.record_id else None,
                    "added_at": e.added_at,
                }
                for e in panel["evidence"]
            ],
            "affects": [record.uid for record in panel["affects"]],
            "concerns": [{"slug": o.slug, "name": o.name} for o in panel["concerns"]],
            "advice_brief": panel["advice_brief"],
            "recommendations": [
                {
                    "uid": r.uid,
                    "advisor": r.advisor.full_name,
                    "option": r.option.label,
                    "reasoning": r.shown_text,
                    "consolidated": r.consolidated,
                }
                for r in recommendations
            ],
            "conflicted_advisors": [
                {"advisor": c.advisor, "organisations": c.organisations}
                for c in panel["conflicted"]
            ],
            "chosen": panel["chosen"].label if panel["chosen"] else None,
            "rationale": text["rationale"],
            "consequences": text["consequences"],
            "departs_from_advice": decision.departs_from_advice,
            "departure": text["departure"],
            "supersedes": panel["supersedes"].uid if panel["supersedes"] else None,
            "superseded_by": panel["superseded_by"].uid if panel["superseded_by"] else None,
            "consultation_opens": decision.consultation_opens,
            "consultation_closes": decision.consultation_closes,
            "responses_received": panel["responses_received"],
            "feedback_summary": text["feedback_summary"],
            "feedback_published_at": decision.feedback_published_at,
            "responses": [
                {
                    "uid": r.uid,
                    "published_text": r.shown_text,
                    "published_at": r.published_at,
                }
                for r in panel["responses"]
                if r.state == ResponseState.PUBLISHED
            ],
            "opinions": [
                {"uid": o.uid, "member": o.member.full_name, "opinion": o.shown_text}
                for o in panel["opinions"]
            ],
            "assurance": decision.assurance,
            "assurance_reasons": text["assurance_reasons"],
            "reviewed_on": decision.reviewed_on,
            "conformance": [
                {"name": s.name, "status": s.status, "date": s.on, "detail": s.detail}
                for s in panel["conformance"]
            ],
            "timeline": [
                {"at": t.at, "action": t.action, "label": t.label, "actor": t.actor}
                for t in panel["timeline"]
            ],
            "actions": sorted(name for name, may in panel["actions"].items() if may),
        }
    )
    return data


def _unknown(name: str, allowed: tuple[str, ...] | list[str]) -> NinjaValidationError:
    return NinjaValidationError(
        [
            {
                "loc": ["query", name],
                "type": f"unknown_{name}",
                "msg": f"Unknown {name}; use one of: {', '.join(allowed)}",
            }
        ]
    )


class ScheduleFilters(Schema):
    stage: str | None = Field(None, description="Only decisions at this stage")
    type: str | None = Field(None, description="Only decisions of this type")
    when: str | None = Field(
        None, description="upcoming (still open, soonest first) or past (most recent first)"
    )
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(25, ge=1, le=MAX_PAGE_SIZE)


@router.get("", response={200: SchedulePage, 422: Problem}, auth=OptionalToken())
def schedule(request, filters: Query[ScheduleFilters]):
    """The schedule of decisions you may see: upcoming ones by their date (a deferred one at its
    new date), then past ones, most recently decided first."""
    _reject_unknown(request, {"stage", "type", "when", "page", "page_size"})
    if filters.stage and filters.stage not in Stage.values:
        raise _unknown("stage", Stage.values)
    if filters.type and filters.type not in DecisionType.values:
        raise _unknown("type", DecisionType.values)
    if filters.when and filters.when not in WHEN:
        raise _unknown("when", WHEN)
    upcoming, past = selectors.schedule(
        request.auth, stage=filters.stage or "", decision_type=filters.type or ""
    )
    parts = {"upcoming": [upcoming], "past": [past]}.get(filters.when or "", [upcoming, past])
    counts = [part.count() for part in parts]
    start = (filters.page - 1) * filters.page_size
    stop = start + filters.page_size
    rows: list[Decision] = []
    # The page may fall across the end of the upcoming decisions and the start of the past ones.
    for part, n in zip(parts, counts, strict=True):
        if start < n and stop > 0:
            rows += part[max(start, 0) : min(stop, n)]
        start, stop = start - n, stop - n
    count = sum(counts)
    return {
        "count": count,
        "page": filters.page,
        "pages": max(1, math.ceil(count / filters.page_size)),
        "items": [
            {
                "uid": d.uid,
                "title": d.title,
                "type": d.decision_type,
                "stage": d.stage,
                "scheduled_on": d.scheduled_on,
                "decided_on": d.decided_on,
                "departs_from_advice": d.departs_from_advice,
                "url": d.get_absolute_url(),
            }
            for d in rows
        ],
    }


class ResponseToTriage(Schema):
    uid: str
    decision: str = Field(..., description="The uid of the decision consulted on")
    decision_title: str
    response: str = Field(..., description="What the respondent wrote, before any redaction")
    consent_to_publish: bool
    received_at: dt.datetime
    triage_url: str = Field(..., description="The page on which to triage it")


class ResponsesPage(Schema):
    count: int
    page: int
    pages: int
    items: list[ResponseToTriage]


@router.get("/responses", response={200: ResponsesPage, 403: Problem, 422: Problem})
def responses_to_triage(request, filters: Query[PageFilters]):
    """Research & Engagement's queue: the consultation responses waiting for triage, oldest first,
    as the `/decisions/responses` page lists them."""
    _reject_unknown(request, {"page", "page_size"})
    if not request.auth.has_perm("decisions.triage_response"):
        raise PermissionDenied(services.TRIAGE_REFUSED)
    page = paged(selectors.responses_to_triage(request.auth), filters)
    return {
        **page,
        "items": [
            {
                "uid": r.uid,
                "decision": r.for_decision.uid,
                "decision_title": r.for_decision.title,
                "response": r.response,
                "consent_to_publish": r.consent_to_publish,
                "received_at": r.created_at,
                "triage_url": reverse("decisions:triage-response", args=[r.uid]),
            }
            for r in page.pop("rows")
        ],
    }


@router.get("/{uid}", response={200: DecisionOut, 404: Problem}, auth=OptionalToken())
def get_decision(request, uid: str):
    """One decision: its options, evidence, advice, consultation, outcome and the Board's review,
    with which steps of the process it followed and its timeline — all as you may see them."""
    _reject_unknown(request, set())
    return decision_detail(request.auth, _decision(request.auth, uid))


# --- Looking up what a request names -----------------------------------------------------------


def _decision(user: User | None, uid: str) -> Decision:
    return get_visible_item(user, uid, Decision)


def _option(decision: Decision, label: str, field: str) -> Option:
    """The decision's option with this label, or a 422 naming `field`. Compared here rather than
    in the database, so no label (with a NUL, say) can reach a query."""
    options = {o.label: o for o in decision.options.all()}
    found = options.get(label.strip().upper()) if isinstance(label, str) else None
    if found is None:
        shown = label if isinstance(label, str) and label.isprintable() else repr(label)
        raise DjangoValidationError(
            {
                field: f"“{decision.title}” has no option “{shown[:20]}”; choose one of: "
                + (", ".join(options) or "none: it has no options yet")
                + "."
            }
        )
    return found


def _record(user: User, uid: str | None, field: str, kind: type[Item] | None = None) -> Item | None:
    """A record named in a body: one the caller may see, or a 422 naming the field."""
    if uid is None:
        return None
    try:
        return get_visible_item(user, uid, kind)
    except Http404:  # Not there, malformed, hidden, or of another kind: all look the same.
        what = kind.KIND_LABEL.lower() if kind else "record"
        shown = uid[:40] if uid.isprintable() else repr(uid[:40])
        raise DjangoValidationError(
            {field: f"No {what} you can see has the identifier “{shown}”."}
        ) from None


def _organisations(slugs: list[str], field: str) -> list[Organisation]:
    valid = {s for s in slugs if _SLUG.match(s)}
    found = {o.slug: o for o in Organisation.objects.filter(slug__in=valid)}
    missing = [s for s in slugs if s not in found]
    if missing:
        shown = ", ".join(f"“{s}”" if s.isprintable() else repr(s) for s in missing[:5])
        raise DjangoValidationError({field: f"No organisation: {shown}."})
    return [found[s] for s in slugs]


def _moment(value: dt.datetime, field: str) -> dt.datetime:
    """A moment the caller sent, in the Orchestrator's time zone when it gave none."""
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise DjangoValidationError(
            {field: f"Give a date and time between {EARLIEST_YEAR} and {LATEST_YEAR}."}
        )
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _done(user: User, decision: Decision, status: int = 200) -> Any:
    # Read again: the service changed the record, and the caller's copy is as it was before.
    detail = decision_detail(user, _decision(user, decision.uid))
    return Status(status, detail) if status != 200 else detail


# --- Writing -----------------------------------------------------------------------------------


class OptionIn(Schema):
    title: str = Field(..., description="Up to 300 characters")
    description: str = ""
    benefits: str = ""
    costs: str = ""
    risks: str = ""


class ScheduleIn(Schema):
    title: str = Field(..., description="Up to 300 characters")
    question: str = Field(..., description="The question to be decided; up to 2,000 characters")
    context: str = ""
    summary: str = Field("", max_length=2000)
    type: str = Field(DecisionType.OTHER, description="One of: " + ", ".join(DecisionType.values))
    scheduled_on: dt.date = Field(..., description="When it is planned to be decided")
    options: list[OptionIn] = Field([], description="Labelled A, B, C … in this order")
    affects: list[str] = Field(
        [], max_length=100, description="uids of the investments, elements and designs it affects"
    )
    concerns: list[str] = Field(
        [], max_length=100, description="Slugs of the organisations it concerns"
    )
    owner: str | None = Field(None, description="The owner's slug; the Product Team if not given")


class EvidenceIn(Schema):
    description: str = Field(..., description="What the evidence shows; up to 500 characters")
    url: str = Field("", description="A web address, or …")
    record: str | None = Field(None, description="… the uid of a record you may see")


class AffectIn(Schema):
    record: str = Field(
        ..., description="The uid of an investment, element, design or work package"
    )


class StepIn(Schema):
    comment: str = Field("", description="Up to 5,000 characters")


class RecommendationIn(Schema):
    option: str = Field(..., description="The label of the option recommended, e.g. A")
    reasoning: str


class ConsultationIn(Schema):
    opens: dt.datetime = Field(..., description="ISO date and time; local time if no offset")
    closes: dt.datetime


class ResponseIn(Schema):
    response: str
    consent_to_publish: bool = False


class ResponseTriageIn(Schema):
    publish: bool
    personal_data: bool = Field(False, description="Publish `published_text` instead of it")
    published_text: str = ""
    reason: str = Field("", description="Why it is not published; needed to withhold it")


class FeedbackIn(Schema):
    summary: str


class DecideIn(Schema):
    option: str = Field(..., description="The label of the option chosen")
    rationale: str
    departure: str = Field(
        "", description="Why, when the option is not the one the advisors recommended"
    )
    consequences: str = ""
    supersedes: str | None = Field(None, description="The uid of an earlier decision it replaces")


class DeferIn(Schema):
    until: dt.date = Field(..., description="The new date; in the future")
    reason: str


class WithdrawIn(Schema):
    reason: str


class OpinionIn(Schema):
    opinion: str


class ReviewIn(Schema):
    outcome: str = Field(..., description="One of: " + ", ".join(Assurance.values))
    reasons: str = Field("", description="Needed unless the Board is simply assured")


@router.post("", response={201: DecisionOut, **WRITE_ERRORS})
def schedule_decision(request, payload: ScheduleIn):
    """The Product Team (or Portfolio Management) put a decision on the schedule, as a draft to
    triage and publish, with the options it will choose between."""
    user = request.auth
    decision = services.schedule_decision(
        actor=user,
        title=payload.title,
        question=payload.question,
        context=payload.context,
        summary=payload.summary,
        decision_type=payload.type,
        scheduled_on=payload.scheduled_on,
        options=[o.dict() for o in payload.options],
        affects=[_record(user, uid, "affects") for uid in payload.affects],
        concerns=_organisations(payload.concerns, "concerns"),
        owner=_organisations([payload.owner], "owner")[0] if payload.owner is not None else None,
    )
    return _done(user, decision, 201)


@router.post("/{uid}/options", response={201: DecisionOut, **WRITE_ERRORS})
def add_option(request, uid: str, payload: OptionIn):
    """Add an option (labelled with the next free letter) while the evidence is gathered."""
    decision = _decision(request.auth, uid)
    services.add_option(actor=request.auth, decision=decision, **payload.dict())
    return _done(request.auth, decision, 201)


@router.post("/{uid}/evidence", response={201: DecisionOut, **WRITE_ERRORS})
def add_evidence(request, uid: str, payload: EvidenceIn):
    """Attach a web address or a record as evidence, saying what it shows."""
    user = request.auth
    decision = _decision(user, uid)
    services.add_evidence(
        actor=user,
        decision=decision,
        description=payload.description,
        url=payload.url,
        record=_record(user, payload.record, "record"),
    )
    return _done(user, decision, 201)


@router.post("/{uid}/affects", response={201: DecisionOut, **WRITE_ERRORS})
def affect(request, uid: str, payload: AffectIn):
    """Say that the decision affects an investment, element, design or work package."""
    user = request.auth
    decision = _decision(user, uid)
    record = _record(user, payload.record, "record")
    try:
        services.affect(actor=user, decision=decision, record=record)
    except DjangoValidationError as exc:
        # The service names the list it checks; here the body's field is `record`.
        raise DjangoValidationError(
            {("record" if k == "affects" else k): v for k, v in exc.message_dict.items()}
        ) from None
    return _done(user, decision, 201)


@router.post("/{uid}/gather", response={200: DecisionOut, **WRITE_ERRORS})
def gather(request, uid: str, payload: StepIn):
    """Start gathering the evidence for a planned decision."""
    decision = _decision(request.auth, uid)
    services.start_gathering_evidence(
        actor=request.auth, decision=decision, comment=payload.comment
    )
    return _done(request.auth, decision)


@router.post("/{uid}/request-advice", response={200: DecisionOut, **WRITE_ERRORS})
def request_advice(request, uid: str, payload: StepIn):
    """Ask the Independent Technical Advisors for their recommendation (`comment`: the form of
    recommendation required). It needs evidence, and two options at least."""
    decision = _decision(request.auth, uid)
    services.request_advice(actor=request.auth, decision=decision, comment=payload.comment)
    return _done(request.auth, decision)


@router.post("/{uid}/recommendations", response={201: DecisionOut, **WRITE_ERRORS})
def recommend(request, uid: str, payload: RecommendationIn):
    """An Independent Technical Advisor recommends an option, with their reasoning; an advisor
    with a declared interest in an organisation the decision concerns is refused."""
    decision = _decision(request.auth, uid)
    services.recommend(
        actor=request.auth,
        decision=decision,
        option=_option(decision, payload.option, "option"),
        reasoning=payload.reasoning,
    )
    return _done(request.auth, decision, 201)


@router.post("/{uid}/consolidated-recommendation", response={201: DecisionOut, **WRITE_ERRORS})
def consolidate(request, uid: str, payload: RecommendationIn):
    """The chair of the advisors records their consolidated recommendation: the decision is
    advised."""
    decision = _decision(request.auth, uid)
    services.consolidate(
        actor=request.auth,
        decision=decision,
        option=_option(decision, payload.option, "option"),
        reasoning=payload.reasoning,
    )
    return _done(request.auth, decision, 201)


@router.post("/{uid}/consultation", response={200: DecisionOut, **WRITE_ERRORS})
def open_consultation(request, uid: str, payload: ConsultationIn):
    """Research & Engagement open a consultation on an advised decision, from `opens` to
    `closes`."""
    decision = _decision(request.auth, uid)
    services.open_consultation(
        actor=request.auth,
        decision=decision,
        opens=_moment(payload.opens, "opens"),
        closes=_moment(payload.closes, "closes"),
    )
    return _done(request.auth, decision)


@router.post("/{uid}/responses", response={201: ItemOut, **WRITE_ERRORS})
def respond(request, uid: str, payload: ResponseIn):
    """Respond to an open consultation. The answer is the response as you see it: held by
    Research & Engagement until they triage it."""
    user = request.auth
    response = services.respond(
        actor=user,
        decision=_decision(user, uid),
        response=payload.response,
        consent_to_publish=payload.consent_to_publish,
    )
    return Status(201, item_detail(user, get_visible_item(user, response.uid)))


@router.post("/responses/{uid}/triage", response={200: ItemOut, **WRITE_ERRORS})
def triage_response(request, uid: str, payload: ResponseTriageIn):
    """Research & Engagement publish a response (as `published_text` when it holds personal data)
    or withhold it, saying why."""
    user = request.auth
    response = get_visible_item(user, uid, ConsultationResponse)
    services.triage_response(
        actor=user,
        response=response,
        publish=payload.publish,
        published_text=payload.published_text,
        personal_data=payload.personal_data,
        reason=payload.reason,
    )
    return item_detail(user, get_visible_item(user, uid))


@router.post("/{uid}/feedback-summary", response={200: DecisionOut, **WRITE_ERRORS})
def feedback_summary(request, uid: str, payload: FeedbackIn):
    """Research & Engagement publish the summary of feedback, once the consultation has closed and
    every response is triaged."""
    decision = _decision(request.auth, uid)
    services.publish_feedback_summary(
        actor=request.auth, decision=decision, summary=payload.summary
    )
    return _done(request.auth, decision)


@router.post("/{uid}/decide", response={200: DecisionOut, **WRITE_ERRORS})
def decide(request, uid: str, payload: DecideIn):
    """A product owner records the option chosen and the rationale; a departure from the advisors'
    consolidated recommendation must be explained in `departure`."""
    user = request.auth
    decision = _decision(user, uid)
    services.decide(
        decision=decision,
        actor=user,
        outcome=_option(decision, payload.option, "option"),
        rationale=payload.rationale,
        departure=payload.departure,
        consequences=payload.consequences,
        supersedes=_record(user, payload.supersedes, "supersedes", Decision),
    )
    return _done(user, decision)


@router.post("/{uid}/defer", response={200: DecisionOut, **WRITE_ERRORS})
def defer(request, uid: str, payload: DeferIn):
    """Put the decision back to a later date, saying why."""
    decision = _decision(request.auth, uid)
    services.defer(
        actor=request.auth, decision=decision, until=payload.until, reason=payload.reason
    )
    return _done(request.auth, decision)


@router.post("/{uid}/resume", response={200: DecisionOut, **WRITE_ERRORS})
def resume(request, uid: str, payload: StepIn):
    """Take a deferred decision up again where it was left."""
    decision = _decision(request.auth, uid)
    services.resume(actor=request.auth, decision=decision, comment=payload.comment)
    return _done(request.auth, decision)


@router.post("/{uid}/withdraw", response={200: DecisionOut, **WRITE_ERRORS})
def withdraw(request, uid: str, payload: WithdrawIn):
    """Take the question off the schedule for good, saying why."""
    decision = _decision(request.auth, uid)
    services.withdraw(actor=request.auth, decision=decision, reason=payload.reason)
    return _done(request.auth, decision)


@router.post("/{uid}/opinions", response={201: DecisionOut, **WRITE_ERRORS})
def record_opinion(request, uid: str, payload: OpinionIn):
    """A Board member documents their opinion of a decision taken."""
    decision = _decision(request.auth, uid)
    services.record_opinion(actor=request.auth, decision=decision, opinion=payload.opinion)
    return _done(request.auth, decision, 201)


@router.post("/{uid}/review", response={200: DecisionOut, **WRITE_ERRORS})
def review(request, uid: str, payload: ReviewIn):
    """The Board's assurance of a decision taken, which closes its process."""
    decision = _decision(request.auth, uid)
    services.review(
        actor=request.auth, decision=decision, outcome=payload.outcome, reasons=payload.reasons
    )
    return _done(request.auth, decision)
