"""Pages of decision making: the schedule and its calendar, scheduling a decision, each step of its
process, and Research & Engagement's queue of consultation responses.

Every page starts from a record the viewer may see (a hidden one is a 404) and every change is a
service call; a service's refusal is shown on the form it came from, with what was typed kept."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from orchestrator.core.errors import Conflict, PermissionDenied, ValidationError
from orchestrator.core.models import Item
from orchestrator.core.selectors import REDACTED, get_visible_item, redacted_fields
from orchestrator.portal.refusals import refusal

from . import selectors, services
from .calendar import schedule_calendar
from .forms import (
    AffectsForm,
    CommentForm,
    ConsultationForm,
    DecideForm,
    DeferForm,
    EvidenceForm,
    FeedbackSummaryForm,
    OpinionForm,
    OptionForm,
    ReasonForm,
    RecommendForm,
    RespondForm,
    ReviewForm,
    ScheduleFilterForm,
    ScheduleForm,
    TriageResponseForm,
    split_uids,
)
from .models import ConsultationResponse, Decision, ResponseState, Stage

PAGE_SIZE = 25


def _decision(request: HttpRequest, uid: str) -> Decision:
    return get_visible_item(request.user, uid, Decision)


def _when(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%-d %B %Y at %H:%M")


def _quoted(uid: str) -> str:
    # Echo an identifier back only when it is printable: a pasted NUL or a page of text is not.
    return f" (“{uid}”)" if uid.isalnum() and len(uid) <= 20 else ""


def _visible(
    user: Any, uid: str, field: str, kind: type[Item] | None = None, what: str = "record"
) -> Item:
    """The record a form field names, or a validation error against that field."""
    try:
        return get_visible_item(user, uid, kind)
    except Http404:
        raise ValidationError(
            {field: f"No {what} you can see has that identifier{_quoted(uid)}."}
        ) from None


def _visible_many(user: Any, value: str, field: str) -> list[Item]:
    found, errors = [], []
    for uid in split_uids(value):
        try:
            found.append(_visible(user, uid, field))
        except ValidationError as exc:
            errors.extend(exc.message_dict[field])
    if errors:
        raise ValidationError({field: errors})
    return found


def _page_query(**params: Any) -> str:
    return urlencode({k: v for k, v in params.items() if v and v != 1})


# --- The schedule and its calendar ----------------------------------------------------------


@require_GET
def schedule(request: HttpRequest) -> HttpResponse:
    """Upcoming decisions by date, and past ones most recent first, filtered by stage and type."""
    form = ScheduleFilterForm(request.GET or None)
    stage, decision_type = form.filters()
    upcoming, past = selectors.schedule(request.user, stage=stage, decision_type=decision_type)
    upcoming_page = Paginator(upcoming, PAGE_SIZE).get_page(request.GET.get("page"))
    past_page = Paginator(past, PAGE_SIZE).get_page(request.GET.get("past_page"))
    filters = {"stage": stage, "type": decision_type}
    return render(
        request,
        "decisions/schedule.html",
        {
            "form": form,
            "filtered": bool(stage or decision_type),
            "upcoming_page": upcoming_page,
            "past_page": past_page,
            # Each list's pages keep the filters and the other list's page.
            "upcoming_query": _page_query(**filters, past_page=past_page.number),
            "past_query": _page_query(**filters, page=upcoming_page.number),
            "can_schedule": request.user.has_perm("decisions.schedule"),
        },
        status=400 if form.errors else 200,
    )


@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    """The schedule as an iCalendar feed, of the decisions the requester may see."""
    body = schedule_calendar(request.user, host=request.get_host(), secure=request.is_secure())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="decisions.ics"'
    return response


# --- Scheduling a decision --------------------------------------------------------------------


def _attempt(form: Form, call: Callable[[], Any]) -> tuple[Any, int]:
    """Run a service call, showing its refusal on the form: (the result or None, the status)."""
    try:
        return call(), 200
    except ValidationError as exc:
        form.add_service_error(exc)
        return None, 400
    except Conflict as exc:
        form.add_error(None, exc.message)
        return None, 409
    except PermissionDenied as exc:
        form.add_error(None, str(exc))
        return None, 403


@login_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    """Put a decision on the schedule with its options, the records it affects and the
    organisations it concerns."""
    if not request.user.has_perm("decisions.schedule"):
        raise PermissionDenied("Only the Product Team and Portfolio Management schedule decisions.")
    form = ScheduleForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data

            def call() -> Decision:
                return services.schedule_decision(
                    actor=request.user,
                    title=data["title"],
                    summary=data["summary"],
                    question=data["question"],
                    context=data["context"],
                    decision_type=data["decision_type"],
                    scheduled_on=data["scheduled_on"],
                    options=form.options(),
                    affects=_visible_many(request.user, data["affects"], "affects"),
                    concerns=list(data["concerns"]),
                )

            decision, status = _attempt(form, call)
            if decision is not None:
                messages.success(
                    request,
                    "Put on the schedule. It is a draft, seen by the Orchestrator's staff, until "
                    "Research & Engagement triage and publish it.",
                )
                return redirect(decision)
    return render(
        request,
        "decisions/step_form.html",
        {"form": form, "heading": "Schedule a decision", "button": "Schedule it"},
        status=status,
    )


# --- The steps of a decision's process --------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """A step a page takes on a decision, and what it tells someone who cannot take it."""

    action: str  # its key in selectors.actions_for
    perm: str  # the rule the service checks
    refused: str  # the service's own words to someone who may not
    doing: str  # "add an option": why the decision's stage does not allow it
    heading: str
    button: str
    done: str


STEPS = {
    "option": Step(
        "add_option",
        "decisions.prepare",
        "Only the Orchestrator's staff working on a decision add options.",
        "add an option",
        "Add an option",
        "Add the option",
        "Option added.",
    ),
    "evidence": Step(
        "add_evidence",
        "decisions.prepare",
        "Only the Orchestrator's staff working on a decision add evidence.",
        "attach evidence to it",
        "Attach evidence",
        "Attach it",
        "Evidence attached.",
    ),
    "affects": Step(
        "add_evidence",  # the same people, at the same stages, as evidence
        "decisions.prepare",
        "Only the Orchestrator's staff working on a decision link it.",
        "change what it affects",
        "Say what the decision affects",
        "Link it",
        "Linked.",
    ),
    "gather": Step(
        "gather",
        "decisions.prepare",
        "Only the Orchestrator's staff working on a decision gather its evidence.",
        "start gathering evidence for it",
        "Start gathering evidence",
        "Start gathering evidence",
        "Gathering evidence: attach it, then ask the Independent Technical Advisors for advice.",
    ),
    "request-advice": Step(
        "request_advice",
        "decisions.request_advice",
        "Only the Product Team and Portfolio Management ask for advice.",
        "ask for advice on it",
        "Ask the Independent Technical Advisors for advice",
        "Ask for advice",
        "Advice requested from the Independent Technical Advisors.",
    ),
    "defer": Step(
        "defer",
        "decisions.defer",
        "Only the Product Team and Portfolio Management defer decisions.",
        "defer it",
        "Defer the decision",
        "Defer it",
        "Deferred to the new date.",
    ),
    "resume": Step(
        "resume",
        "decisions.defer",
        "Only the Product Team and Portfolio Management resume decisions.",
        "resume it",
        "Resume the decision",
        "Resume it",
        "Resumed where it was left.",
    ),
    "withdraw": Step(
        "withdraw",
        "decisions.withdraw",
        "Only a product owner withdraws a decision.",
        "withdraw it",
        "Withdraw the decision",
        "Withdraw it",
        "Withdrawn: it is off the schedule.",
    ),
    "recommend": Step(
        "recommend",
        "decisions.recommend",
        "Only an appointed Independent Technical Advisor records a recommendation.",
        "recommend on it",
        "Recommend an option",
        "Record your recommendation",
        "Your recommendation is recorded.",
    ),
    "consolidate": Step(
        "consolidate",
        "decisions.consolidate",
        "Only the chair of the Independent Technical Advisors records their consolidated "
        "recommendation.",
        "record the advisors' recommendation",
        "Record the advisors' consolidated recommendation",
        "Record it",
        "The advisors' consolidated recommendation is recorded: the decision is advised.",
    ),
    "consultation": Step(
        "consult",
        "decisions.run_consultation",
        "Only Research & Engagement run consultations.",
        "consult on it",
        "Open a consultation",
        "Open the consultation",
        "Consultation scheduled.",
    ),
    "respond": Step(
        "respond",
        "decisions.respond",
        "Sign in to respond to a consultation.",
        "respond to it",
        "Respond to the consultation",
        "Send your response",
        "Thank you: Research & Engagement read every response, and publish it if you agreed.",
    ),
    "feedback-summary": Step(
        "summarise",
        "decisions.run_consultation",
        "Only Research & Engagement summarise a consultation's feedback.",
        "summarise its feedback",
        "Publish the summary of feedback",
        "Publish the summary",
        "Summary of feedback published.",
    ),
    "decide": Step(
        "decide",
        "decisions.decide",
        "Only a product owner in the Product Team takes decisions.",
        "decide it",
        "Record the decision",
        "Record the decision",
        "Decided. The decision is fixed; a later decision can supersede it.",
    ),
    "opinion": Step(
        "opinion",
        "decisions.record_opinion",
        "Only members of the Board record Board opinions.",
        "record an opinion on it",
        "Record your opinion as a member of the Board",
        "Record your opinion",
        "Your opinion is recorded.",
    ),
    "review": Step(
        "review",
        "decisions.review",
        "Only the Board record its assurance of a decision.",
        "review it",
        "Record the Board's assurance",
        "Record the assurance",
        "The Board's assurance is recorded: the decision's process is complete.",
    ),
}


def _why_not(decision: Decision, step: Step) -> str:
    """Why the step cannot be taken now, in the words the service would use."""
    now = timezone.now()
    if decision.stage == Stage.CONSULTATION and step.action in ("respond", "summarise", "decide"):
        if step.action == "respond" and now < decision.consultation_opens:
            return f"The consultation opens on {_when(decision.consultation_opens)}; respond then."
        if step.action == "respond":
            return (
                f"The consultation closed on {_when(decision.consultation_closes)}; responses "
                "are no longer accepted."
            )
        if now < decision.consultation_closes:
            then = "summarise the feedback" if step.action == "summarise" else "decide"
            return (
                f"The consultation is open until {_when(decision.consultation_closes)}: {then} "
                "once it has closed."
            )
        if step.action == "decide":
            return (
                "Research & Engagement have not published the summary of feedback: a decision "
                "that was consulted on waits for it."
            )
    if step.action == "respond":
        stage = decision.get_stage_display().lower()
        return f"“{decision.title}” is not in consultation: it is {stage}."
    return (
        f"“{decision.title}” is {decision.get_stage_display().lower()}, so you cannot "
        f"{step.doing} now."
    )


def _refusal(request: HttpRequest, decision: Decision, step: Step) -> HttpResponse | None:
    """A page saying why the step cannot be taken, before anyone fills in a futile form."""
    user = request.user
    if step.action in ("recommend", "consolidate"):
        conflicted = services.conflicts_of(user, decision)
        if conflicted:
            names = ", ".join(o.name for o in conflicted)
            return refusal(
                request,
                title="You withdraw from advising on this decision",
                message=f"You declared an interest in {names}, which this decision concerns: you "
                "are conflicted, and withdraw from advising on it.",
                status=403,
                record=decision,
            )
    if not selectors.actions_for(user, decision).get(step.action):
        return refusal(
            request,
            title="This step cannot be taken now",
            message=_why_not(decision, step),
            status=409,
            record=decision,
        )
    return None


def _question(user: Any, decision: Decision) -> str:
    return REDACTED if "question" in redacted_fields(user, decision) else decision.question


def _run(
    request: HttpRequest,
    uid: str,
    name: str,
    make_form: Callable[[dict | None, Decision], Form],
    call: Callable[[Form, Decision], Any],
    *,
    context: Callable[[Decision], dict] | None = None,
    then: Callable[[Decision, Any], Any] | None = None,
) -> HttpResponse:
    """A step's page: its form on GET (or why it cannot be taken), and the service on POST."""
    decision = _decision(request, uid)
    step = STEPS[name]
    if not request.user.has_perm(step.perm, decision):
        raise PermissionDenied(step.refused)
    if request.method == "GET":
        refused = _refusal(request, decision, step)
        if refused:
            return refused
    form = make_form(request.POST if request.method == "POST" else None, decision)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            result, status = _attempt(form, lambda: call(form, decision))
            if status == 200:
                messages.success(request, step.done)
                return redirect(then(decision, result) if then else decision)
    return render(
        request,
        "decisions/step_form.html",
        {
            "form": form,
            "decision": decision,
            "question": _question(request.user, decision),
            "heading": step.heading,
            "button": step.button,
            **(context(decision) if context else {}),
        },
        status=status,
    )


def _options(decision: Decision) -> dict:
    return {"options": list(decision.options.all())}


@login_required
@require_http_methods(["GET", "POST"])
def option_new(request: HttpRequest, uid: str) -> HttpResponse:
    return _run(
        request,
        uid,
        "option",
        lambda data, d: OptionForm(data),
        lambda form, d: services.add_option(actor=request.user, decision=d, **form.cleaned_data),
        context=_options,
    )


@login_required
@require_http_methods(["GET", "POST"])
def evidence_new(request: HttpRequest, uid: str) -> HttpResponse:
    def call(form: Form, decision: Decision):
        data = form.cleaned_data
        record = _visible(request.user, data["record"], "record") if data["record"] else None
        return services.add_evidence(
            actor=request.user,
            decision=decision,
            description=data["description"],
            url=data["url"],
            record=record,
        )

    return _run(request, uid, "evidence", lambda data, d: EvidenceForm(data), call)


@login_required
@require_http_methods(["GET", "POST"])
def affects(request: HttpRequest, uid: str) -> HttpResponse:
    def call(form: Form, decision: Decision):
        record = _visible(request.user, form.cleaned_data["affects"], "affects")
        return services.affect(actor=request.user, decision=decision, record=record)

    return _run(request, uid, "affects", lambda data, d: AffectsForm(data), call)


# The moves of a decision through its stages that need no more than a comment, a reason or a
# date: the form each shows, and the service it calls.
MOVES: dict[str, tuple[Callable[[dict | None], Form], Callable[..., Decision]]] = {
    "gather": (
        lambda data: CommentForm(data),
        lambda actor, d, c: services.start_gathering_evidence(
            actor=actor, decision=d, comment=c["comment"]
        ),
    ),
    "request-advice": (
        lambda data: CommentForm(
            data,
            label="The form of recommendation required (optional)",
            hint="For example: one option, with the reasons and the evidence it rests on",
        ),
        lambda actor, d, c: services.request_advice(actor=actor, decision=d, comment=c["comment"]),
    ),
    "defer": (
        lambda data: DeferForm(data),
        lambda actor, d, c: services.defer(
            actor=actor, decision=d, until=c["until"], reason=c["reason"]
        ),
    ),
    "resume": (
        lambda data: CommentForm(data),
        lambda actor, d, c: services.resume(actor=actor, decision=d, comment=c["comment"]),
    ),
    "withdraw": (
        lambda data: ReasonForm(
            data,
            label="Why the decision is withdrawn",
            required_message="Say why the decision is withdrawn.",
        ),
        lambda actor, d, c: services.withdraw(actor=actor, decision=d, reason=c["reason"]),
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def process(request: HttpRequest, uid: str, move: str) -> HttpResponse:
    """Move a decision on: gather evidence, ask for advice, defer, resume or withdraw it."""
    if move not in MOVES:
        raise Http404("No such step")
    make_form, service = MOVES[move]
    return _run(
        request,
        uid,
        move,
        lambda data, d: make_form(data),
        lambda form, d: service(request.user, d, form.cleaned_data),
    )


def _advice_step(request: HttpRequest, uid: str, name: str, service) -> HttpResponse:
    return _run(
        request,
        uid,
        name,
        lambda data, d: RecommendForm(data, options=list(d.options.all())),
        lambda form, d: service(
            actor=request.user,
            decision=d,
            option=form.chosen(),
            reasoning=form.cleaned_data["reasoning"],
        ),
        context=_options,
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommend(request: HttpRequest, uid: str) -> HttpResponse:
    """An Independent Technical Advisor recommends an option, with their reasoning."""
    return _advice_step(request, uid, "recommend", services.recommend)


@login_required
@require_http_methods(["GET", "POST"])
def consolidate(request: HttpRequest, uid: str) -> HttpResponse:
    """The chair of the advisors records their consolidated recommendation."""
    return _advice_step(request, uid, "consolidate", services.consolidate)


@login_required
@require_http_methods(["GET", "POST"])
def consultation(request: HttpRequest, uid: str) -> HttpResponse:
    """Research & Engagement open a window for registered users to respond."""
    return _run(
        request,
        uid,
        "consultation",
        lambda data, d: ConsultationForm(data),
        lambda form, d: services.open_consultation(
            actor=request.user,
            decision=d,
            opens=form.cleaned_data["opens"],
            closes=form.cleaned_data["closes"],
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def respond(request: HttpRequest, uid: str) -> HttpResponse:
    """A registered user responds to a consultation while it is open."""
    return _run(
        request,
        uid,
        "respond",
        lambda data, d: RespondForm(data),
        lambda form, d: services.respond(
            actor=request.user,
            decision=d,
            response=form.cleaned_data["response"],
            consent_to_publish=form.cleaned_data["consent_to_publish"],
        ),
        context=lambda d: {
            "intro": f"The consultation is open until {_when(d.consultation_closes)}."
            if d.consultation_closes
            else ""
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def feedback_summary(request: HttpRequest, uid: str) -> HttpResponse:
    """Research & Engagement publish the summary of feedback once the consultation has closed."""
    return _run(
        request,
        uid,
        "feedback-summary",
        lambda data, d: FeedbackSummaryForm(data),
        lambda form, d: services.publish_feedback_summary(
            actor=request.user, decision=d, summary=form.cleaned_data["summary"]
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, uid: str) -> HttpResponse:
    """A product owner records the option chosen, why, and why it departs from the advice if so."""

    def make_form(data, decision: Decision) -> DecideForm:
        advice = services.consolidated_recommendation(decision)
        return DecideForm(
            data,
            options=list(decision.options.all()),
            recommended=advice.option if advice else None,
        )

    def call(form: DecideForm, decision: Decision):
        data = form.cleaned_data
        supersedes = (
            _visible(request.user, data["supersedes"], "supersedes", Decision, "decision")
            if data["supersedes"]
            else None
        )
        return services.decide(
            decision=decision,
            actor=request.user,
            outcome=form.chosen(),
            rationale=data["rationale"],
            departure=data["departure"],
            consequences=data["consequences"],
            supersedes=supersedes,
        )

    def context(decision: Decision) -> dict:
        advice = services.consolidated_recommendation(decision)
        return {
            **_options(decision),
            "consolidated": advice,
            "intro": (
                f"The Independent Technical Advisors recommended option {advice.option.label} "
                f"({advice.option.title}). If you choose another, explain why you depart from "
                "their recommendation: the Board will ask."
                if advice
                else "The Independent Technical Advisors have not given a recommendation on it."
            ),
        }

    return _run(request, uid, "decide", make_form, call, context=context)


@login_required
@require_http_methods(["GET", "POST"])
def opinion(request: HttpRequest, uid: str) -> HttpResponse:
    """A member of the Board documents their opinion of a decision taken."""
    return _run(
        request,
        uid,
        "opinion",
        lambda data, d: OpinionForm(data),
        lambda form, d: services.record_opinion(
            actor=request.user, decision=d, opinion=form.cleaned_data["opinion"]
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, uid: str) -> HttpResponse:
    """The Board's assurance of a decision, which closes its process."""
    return _run(
        request,
        uid,
        "review",
        lambda data, d: ReviewForm(data),
        lambda form, d: services.review(
            actor=request.user,
            decision=d,
            outcome=form.cleaned_data["outcome"],
            reasons=form.cleaned_data["reasons"],
        ),
    )


# --- Consultation responses -------------------------------------------------------------------


@login_required
@require_GET
def responses(request: HttpRequest) -> HttpResponse:
    """Research & Engagement's queue of responses to triage, oldest first."""
    if not request.user.has_perm("decisions.triage_response"):
        raise PermissionDenied(services.TRIAGE_REFUSED)
    page = Paginator(selectors.responses_to_triage(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "decisions/responses.html", {"page_obj": page})


@login_required
@require_http_methods(["GET", "POST"])
def triage_response(request: HttpRequest, uid: str) -> HttpResponse:
    """Publish a response (with any personal data taken out), or say why it is not published."""
    response = get_visible_item(request.user, uid, ConsultationResponse)
    if not request.user.has_perm("decisions.triage_response", response):
        raise PermissionDenied(services.TRIAGE_REFUSED)
    if request.method == "GET" and response.state != ResponseState.RECEIVED:
        return refusal(
            request,
            title="This response was already triaged",
            message=f"This response was already triaged: {response.get_state_display().lower()}.",
            status=409,
            record=response,
        )
    form = TriageResponseForm(request.POST if request.method == "POST" else None, response=response)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            result, status = _attempt(
                form,
                lambda: services.triage_response(
                    actor=request.user,
                    response=response,
                    publish=data["publish"] == "yes",
                    personal_data=data["personal_data"] == "yes",
                    published_text=data["published_text"],
                    reason=data["reason"],
                ),
            )
            if result is not None:
                messages.success(
                    request,
                    "Published." if result.state == ResponseState.PUBLISHED else "Not published.",
                )
                return redirect("decisions:responses")
    decision = selectors.visible_decisions(request.user).filter(pk=response.for_decision_id).first()
    return render(
        request,
        "decisions/triage_response.html",
        {"form": form, "response": response, "decision": decision},
        status=status,
    )
