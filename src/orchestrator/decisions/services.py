"""Writes of decision making: each step of a decision's process, with its permission and audit event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from orchestrator.core import audit, search
from orchestrator.core.errors import Conflict, PermissionDenied, ValidationError
from orchestrator.core.models import Item, Mitigation, Relation, Sensitivity, Visibility
from orchestrator.core.services import (
    check_text,
    create_item,
    link_items,
    publish_item,
    triage_item,
)
from orchestrator.people.models import Role
from orchestrator.people.selectors import (
    current_appointments,
    declared_interests,
    longest_serving_organisation,
)

from .models import (
    FIXED_STAGES,
    OPEN_STAGES,
    REASONED_STAGES,
    Assurance,
    BoardOpinion,
    ConsultationResponse,
    Decision,
    DecisionStep,
    DecisionType,
    Evidence,
    Option,
    Recommendation,
    ResponseState,
    Stage,
)

if TYPE_CHECKING:
    from orchestrator.people.models import Organisation, User

MAX_TEXT = 20_000
MAX_TITLE = 300
# The kinds a decision can affect: the plan's investments, the architecture's elements and designs,
# and (when contracting lands) work packages.
AFFECTABLE_KINDS = frozenset(
    {
        "investment",
        "element",
        "principle",
        "constraint",
        "requirement",
        "solution_architecture",
        "work_package",
        "milestone",
    }
)
PERSONAL_DATA_FINDING = "The response's text may identify its author or another person."
LABELS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _text(
    errors: dict[str, str], name: str, value: Any, *, what: str, limit: int = MAX_TEXT
) -> str:
    """The stripped text, or an error naming the field when it is empty or too long."""
    value = (value or "").strip() if isinstance(value, str) or value is None else str(value)
    if not value:
        errors[name] = f"Write {what}: it cannot be empty."
    elif len(value) > limit:
        errors[name] = f"Keep it to {limit:,} characters: it has {len(value):,}."
    return value


def _optional(errors: dict[str, str], name: str, value: Any, *, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        errors[name] = f"Keep it to {limit:,} characters: it has {len(value):,}."
    return value


def _raise(errors: Mapping[str, str]) -> None:
    if errors:
        raise ValidationError(dict(errors))


def _stage_label(stage: str) -> str:
    return Stage(stage).label.lower()


def _lock(decision: Decision) -> Decision:
    # Lock the row so two people pressing at once cannot both move it.
    return Decision.objects.select_for_update().get(pk=decision.pk)


def _refuse_unless(decision: Decision, allowed: Iterable[str], doing: str) -> None:
    allowed = tuple(allowed)
    if decision.stage not in allowed:
        raise Conflict(
            f"“{decision.title}” is {_stage_label(decision.stage)}, so you cannot {doing}; "
            f"only a decision that is {' or '.join(_stage_label(s) for s in allowed)} can be."
            if len(allowed) < 4
            else f"“{decision.title}” is {_stage_label(decision.stage)}, so you cannot {doing}."
        )


def _move(
    *,
    actor: User,
    decision: Decision,
    to: str,
    action: str,
    comment: str = "",
    changes: Mapping[str, Any] | None = None,
    data: Mapping[str, Any] | None = None,
) -> Decision:
    """Move a locked decision to stage `to`, with its step and audit event, in the caller's
    transaction. The version moves too, so an edit made from the page as it was is refused as stale.
    The comment goes into the event unless it is the reason of a `REASONED_STAGES` stage."""
    before = decision.stage
    now = timezone.now()
    values = {"stage": to, "version": decision.version + 1, "updated_at": now, **(changes or {})}
    Decision.objects.filter(pk=decision.pk).update(**values)
    for name, value in values.items():
        setattr(decision, name, value)
    DecisionStep.objects.create(
        decision=decision, from_stage=before, to_stage=to, by=actor, at=now, comment=comment
    )
    if changes and set(changes) & set(Decision.TEXT_FIELDS):
        search.index([decision])
    audit.append(
        actor=actor,
        action=action,
        item=decision,
        data={
            "from": before,
            "to": to,
            **({"comment": comment} if comment and to not in REASONED_STAGES else {}),
            **(data or {}),
        },
    )
    return decision


def _change(
    *,
    actor: User,
    decision: Decision,
    action: str,
    changes: Mapping[str, Any],
    data: Mapping[str, Any],
) -> Decision:
    """Record fields of a locked decision without moving its stage (a summary, an outcome)."""
    now = timezone.now()
    values = {"version": decision.version + 1, "updated_at": now, **changes}
    Decision.objects.filter(pk=decision.pk).update(**values)
    for name, value in values.items():
        setattr(decision, name, value)
    if set(changes) & set(Decision.TEXT_FIELDS):
        search.index([decision])
    audit.append(actor=actor, action=action, item=decision, data=dict(data))
    return decision


def _option_values(
    errors: dict[str, str], prefix: str, option: Mapping[str, Any]
) -> dict[str, str]:
    values = {
        "title": _text(
            errors, f"{prefix}title", option.get("title"), what="the option", limit=MAX_TITLE
        ),
    }
    for name in ("description", "benefits", "costs", "risks"):
        values[name] = _optional(errors, f"{prefix}{name}", option.get(name))
    return values


def _affectable(actor: User, records: Sequence[Item], errors: dict[str, str]) -> list[Item]:
    seen = set(
        Item.objects.visible_to(actor)
        .filter(pk__in=[r.pk for r in records])
        .values_list("pk", flat=True)
    )
    out = []
    for record in records:
        if record.pk not in seen:
            errors["affects"] = "No record you can see has that identifier."
        elif record.kind not in AFFECTABLE_KINDS:
            errors["affects"] = (
                f"A decision affects investments, architecture elements, designs and work "
                f"packages, not a {record.kind_label.lower()}."
            )
        else:
            out.append(record)
    return out


def decision_owner() -> Organisation | None:
    """The organisation that holds decisions: the Product Team, who take them."""
    return longest_serving_organisation(Role.PRODUCT_OWNER)


@transaction.atomic
def schedule_decision(
    *,
    actor: User,
    title: str,
    question: str,
    scheduled_on: dt.date,
    decision_type: str = DecisionType.OTHER,
    summary: str = "",
    context: str = "",
    options: Sequence[Mapping[str, Any]] = (),
    affects: Sequence[Item] = (),
    concerns: Sequence[Organisation] = (),
    owner: Organisation | None = None,
    today: dt.date | None = None,
) -> Decision:
    """Put a decision on the schedule (planned), with the options it will choose between."""
    if not actor.has_perm("decisions.schedule"):
        raise PermissionDenied("Only the Product Team and Portfolio Management schedule decisions.")
    errors: dict[str, str] = {}
    title = _text(errors, "title", title, what="a short title", limit=MAX_TITLE)
    question = _text(errors, "question", question, what="the question to be decided", limit=2000)
    context = _optional(errors, "context", context)
    if decision_type not in DecisionType.values:
        errors["decision_type"] = "Choose the type of decision: " + ", ".join(
            label.lower() for label in DecisionType.labels
        )
    if not isinstance(scheduled_on, dt.date):
        errors["scheduled_on"] = "Give the date the decision is planned for."
    option_values = [
        _option_values(errors, f"option_{LABELS[i].lower()}_", o)
        for i, o in enumerate(options[: len(LABELS)])
    ]
    if len(options) > len(LABELS):
        errors["options"] = f"A decision chooses between at most {len(LABELS)} options."
    records = _affectable(actor, affects, errors)
    _raise(errors)
    owner = owner or decision_owner()
    if owner is None:
        raise Conflict("Nobody is appointed to the Product Team, who take decisions.")
    check_text({"question": question, "context": context})
    decision = create_item(
        actor=actor,
        owner=owner,
        model=Decision,
        title=title,
        summary=summary.strip(),
        fields={
            "question": question,
            "context": context,
            "decision_type": decision_type,
            "scheduled_on": scheduled_on,
            "first_scheduled_on": scheduled_on,
        },
        permission="decisions.schedule",
    )
    for i, values in enumerate(option_values):
        check_text(values)
        Option.objects.create(decision=decision, label=LABELS[i], **values)
    if concerns:
        decision.concerns.set(concerns)
    DecisionStep.objects.create(decision=decision, to_stage=Stage.PLANNED, by=actor)
    audit.append(
        actor=actor,
        action="decision.scheduled",
        item=decision,
        data={
            "scheduled_on": scheduled_on.isoformat(),
            "type": decision_type,
            "options": [LABELS[i] for i in range(len(option_values))],
            "concerns": sorted(o.slug for o in concerns),
        },
    )
    for record in records:
        link_items(source=decision, target=record, relation=Relation.AFFECTS, actor=actor)
    return decision


@transaction.atomic
def add_option(
    *,
    actor: User,
    decision: Decision,
    title: str,
    description: str = "",
    benefits: str = "",
    costs: str = "",
    risks: str = "",
) -> Option:
    """Add an option while the evidence is gathered; once advice is asked for, the options are fixed."""
    if not actor.has_perm("decisions.prepare", decision):
        raise PermissionDenied("Only the Orchestrator's staff working on a decision add options.")
    decision = _lock(decision)
    _refuse_unless(decision, (Stage.PLANNED, Stage.GATHERING_EVIDENCE), "add an option")
    errors: dict[str, str] = {}
    values = _option_values(
        errors,
        "",
        {
            "title": title,
            "description": description,
            "benefits": benefits,
            "costs": costs,
            "risks": risks,
        },
    )
    used = set(decision.options.values_list("label", flat=True))
    free = [c for c in LABELS if c not in used]
    if not free:
        errors["title"] = f"A decision chooses between at most {len(LABELS)} options."
    _raise(errors)
    check_text(values)
    option = Option.objects.create(decision=decision, label=free[0], **values)
    audit.append(
        actor=actor,
        action="decision.option_added",
        item=decision,
        data={"label": option.label, "title": option.title},
    )
    return option


@transaction.atomic
def add_evidence(
    *,
    actor: User,
    decision: Decision,
    description: str,
    url: str = "",
    record: Item | None = None,
) -> Evidence:
    """Attach a document, web link or record as evidence, saying what it shows."""
    if not actor.has_perm("decisions.prepare", decision):
        raise PermissionDenied("Only the Orchestrator's staff working on a decision add evidence.")
    decision = _lock(decision)
    if decision.stage in FIXED_STAGES:
        raise Conflict(
            f"“{decision.title}” is {_stage_label(decision.stage)}: its evidence is what it was decided on."
        )
    errors: dict[str, str] = {}
    description = _text(
        errors, "description", description, what="what the evidence shows", limit=500
    )
    url = (url or "").strip()
    if bool(url) == (record is not None):
        errors["url"] = (
            "Give either a web address or a record as the evidence, not both or neither."
        )
    elif url:
        from django.core.validators import URLValidator

        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            errors["url"] = "Give a full web address, starting https:// or http://."
        if len(url) > 1000:
            errors["url"] = "Keep the web address to 1,000 characters."
    elif record.pk == decision.pk:
        errors["record"] = "A decision cannot be evidence for itself."
    elif not Item.objects.visible_to(actor).filter(pk=record.pk).exists():
        errors["record"] = "No record you can see has that identifier."
    _raise(errors)
    check_text({"description": description, "url": url})
    evidence = Evidence.objects.create(
        decision=decision, description=description, url=url, record=record, added_by=actor
    )
    audit.append(
        actor=actor,
        action="decision.evidence_added",
        item=decision,
        # Which evidence, not what it says: its description may tell of a record that some who
        # may see the decision may not see, and the audit chain is published to all of them.
        data={"evidence": evidence.pk, "source": "record" if record else "web"},
    )
    return evidence


@transaction.atomic
def affect(*, actor: User, decision: Decision, record: Item) -> None:
    """Say that a decision affects an investment, element, design or work package."""
    if not actor.has_perm("decisions.prepare", decision):
        raise PermissionDenied("Only the Orchestrator's staff working on a decision link it.")
    decision = _lock(decision)
    if decision.stage in FIXED_STAGES:
        raise Conflict(
            f"“{decision.title}” is {_stage_label(decision.stage)} and cannot be changed."
        )
    errors: dict[str, str] = {}
    records = _affectable(actor, [record], errors)
    _raise(errors)
    link_items(source=decision, target=records[0], relation=Relation.AFFECTS, actor=actor)


@transaction.atomic
def start_gathering_evidence(*, actor: User, decision: Decision, comment: str = "") -> Decision:
    if not actor.has_perm("decisions.prepare", decision):
        raise PermissionDenied(
            "Only the Orchestrator's staff working on a decision gather its evidence."
        )
    decision = _lock(decision)
    _refuse_unless(decision, (Stage.PLANNED,), "start gathering evidence for it")
    return _move(
        actor=actor,
        decision=decision,
        to=Stage.GATHERING_EVIDENCE,
        action="decision.gathering_evidence",
        comment=_comment(comment),
    )


def _comment(comment: str) -> str:
    errors: dict[str, str] = {}
    comment = _optional(errors, "comment", comment, limit=5000)
    _raise(errors)
    check_text({"comment": comment})
    return comment


@transaction.atomic
def request_advice(*, actor: User, decision: Decision, comment: str = "") -> Decision:
    """Ask the Independent Technical Advisors for their recommendation; `comment` says the form of
    recommendation required. There must be evidence to advise on, and options to choose between."""
    if not actor.has_perm("decisions.request_advice", decision):
        raise PermissionDenied("Only the Product Team and Portfolio Management ask for advice.")
    decision = _lock(decision)
    _refuse_unless(decision, (Stage.GATHERING_EVIDENCE,), "ask for advice on it")
    if not decision.evidence.exists():
        raise Conflict(
            "Attach the evidence first: advisors cannot be asked for advice on a decision with none."
        )
    if decision.options.count() < 2:
        raise Conflict("Give at least two options first: advisors recommend one of them.")
    return _move(
        actor=actor,
        decision=decision,
        to=Stage.ADVICE_REQUESTED,
        action="decision.advice_requested",
        comment=_comment(comment),
    )


def conflicts_of(advisor: User | None, decision: Decision) -> list[Organisation]:
    """The organisations the decision concerns in which `advisor` declared an interest."""
    interests = declared_interests(advisor, Role.TECHNICAL_ADVISOR)
    if not interests:
        return []
    return list(decision.concerns.filter(pk__in=interests).order_by("name"))


def _advisor_organisation(actor: User) -> Organisation:
    for appointment in current_appointments(actor):
        if appointment.role == Role.TECHNICAL_ADVISOR:
            return appointment.organisation
    raise PermissionDenied(  # pragma: no cover - the permission rule is checked first
        "Only an appointed Independent Technical Advisor records a recommendation."
    )


def _refuse_if_conflicted(actor: User, decision: Decision) -> None:
    conflicted = conflicts_of(actor, decision)
    if conflicted:
        names = ", ".join(o.name for o in conflicted)
        raise PermissionDenied(
            f"You declared an interest in {names}, which this decision concerns: you are "
            "conflicted, and withdraw from advising on it."
        )


def _recommendation(
    *, actor: User, decision: Decision, option: Option, reasoning: str, consolidated: bool
) -> Recommendation:
    errors: dict[str, str] = {}
    reasoning = _text(errors, "reasoning", reasoning, what="the reasoning for your recommendation")
    if option is None or option.decision_id != decision.pk:
        errors["option"] = (
            "Choose one of this decision's options: that option belongs to another decision."
        )
    _raise(errors)
    what = (
        "The advisors' consolidated recommendation"
        if consolidated
        else f"{actor.full_name}'s recommendation"
    )
    return create_item(
        actor=actor,
        owner=_advisor_organisation(actor),
        model=Recommendation,
        # A child's title and summary never carry its decision's words, which may be less open.
        title=f"{what}: option {option.label}"[:MAX_TITLE],
        summary=f"Recommends option {option.label}.",
        fields={
            "for_decision": decision,
            "option": option,
            "advisor": actor,
            "consolidated": consolidated,
            "reasoning": reasoning,
        },
        permission="decisions.consolidate" if consolidated else "decisions.recommend",
    )


@transaction.atomic
def recommend(*, actor: User, decision: Decision, option: Option, reasoning: str) -> Recommendation:
    """An Independent Technical Advisor's recommendation: an option and the reasoning for it."""
    if not actor.has_perm("decisions.recommend", decision):
        raise PermissionDenied(
            "Only an appointed Independent Technical Advisor records a recommendation."
        )
    decision = _lock(decision)
    _refuse_unless(decision, (Stage.ADVICE_REQUESTED,), "recommend on it")
    _refuse_if_conflicted(actor, decision)
    if decision.recommendations.filter(advisor=actor, consolidated=False).exists():
        raise Conflict("You have already recorded your recommendation on this decision.")
    recommendation = _recommendation(
        actor=actor, decision=decision, option=option, reasoning=reasoning, consolidated=False
    )
    audit.append(
        actor=actor,
        action="recommendation.recorded",
        item=decision,
        data={"recommendation": recommendation.uid, "option": option.label},
    )
    return recommendation


@transaction.atomic
def consolidate(
    *, actor: User, decision: Decision, option: Option, reasoning: str
) -> Recommendation:
    """The chair of the advisors records their consolidated recommendation; the decision is advised."""
    if not actor.has_perm("decisions.consolidate", decision):
        raise PermissionDenied(
            "Only the chair of the Independent Technical Advisors records their consolidated "
            "recommendation."
        )
    decision = _lock(decision)
    _refuse_unless(decision, (Stage.ADVICE_REQUESTED,), "record the advisors' recommendation")
    _refuse_if_conflicted(actor, decision)
    if not decision.recommendations.filter(consolidated=False).exists():
        raise Conflict(
            "No advisor has recommended yet: consolidate their recommendations once they have."
        )
    recommendation = _recommendation(
        actor=actor, decision=decision, option=option, reasoning=reasoning, consolidated=True
    )
    _move(
        actor=actor,
        decision=decision,
        to=Stage.ADVISED,
        action="decision.advised",
        data={"recommendation": recommendation.uid, "option": option.label},
    )
    return recommendation


@transaction.atomic
def open_consultation(
    *, actor: User, decision: Decision, opens: dt.datetime, closes: dt.datetime
) -> Decision:
    """Open a window in which registered users respond to an advised decision."""
    if not actor.has_perm("decisions.run_consultation", decision):
        raise PermissionDenied("Only Research & Engagement run consultations.")
    decision = _lock(decision)
    _refuse_unless(decision, (Stage.ADVISED,), "consult on it")
    errors: dict[str, str] = {}
    if not isinstance(opens, dt.datetime):
        errors["opens"] = "Give the date and time the consultation opens."
    if not isinstance(closes, dt.datetime):
        errors["closes"] = "Give the date and time the consultation closes."
    _raise(errors)
    if closes <= opens:
        errors["closes"] = "The consultation must close after it opens."
    elif closes <= timezone.now():
        errors["closes"] = "The consultation must close in the future."
    _raise(errors)
    return _move(
        actor=actor,
        decision=decision,
        to=Stage.CONSULTATION,
        action="decision.consultation_opened",
        changes={"consultation_opens": opens, "consultation_closes": closes},
        data={"opens": opens.isoformat(), "closes": closes.isoformat()},
    )


def _when(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%-d %B %Y at %H:%M")


@transaction.atomic
def respond(
    *, actor: User, decision: Decision, response: str, consent_to_publish: bool
) -> ConsultationResponse:
    """A registered user's response to a consultation, held by Research & Engagement until triaged."""
    if not actor.has_perm("decisions.respond", decision):
        raise PermissionDenied("Sign in to respond to a consultation.")
    if not Item.objects.visible_to(actor).filter(pk=decision.pk).exists():
        raise PermissionDenied("No decision you can see has that identifier.")
    decision = Decision.objects.get(pk=decision.pk)
    if decision.stage != Stage.CONSULTATION:
        raise Conflict(
            f"“{decision.title}” is not in consultation: it is {_stage_label(decision.stage)}."
        )
    now = timezone.now()
    if now < decision.consultation_opens:
        raise Conflict(
            f"The consultation opens on {_when(decision.consultation_opens)}; respond then."
        )
    if now >= decision.consultation_closes:
        raise Conflict(
            f"The consultation closed on {_when(decision.consultation_closes)}; responses are no "
            "longer accepted."
        )
    errors: dict[str, str] = {}
    response = _text(errors, "response", response, what="your response")
    _raise(errors)
    owner = longest_serving_organisation(Role.RESEARCH_ENGAGEMENT)
    if owner is None:
        raise Conflict("Nobody is appointed to Research & Engagement to read responses; try later.")
    answer = create_item(
        actor=actor,
        owner=owner,
        model=ConsultationResponse,
        title="Response to a consultation",
        fields={
            "for_decision": decision,
            "response": response,
            "consent_to_publish": bool(consent_to_publish),
        },
        permission="decisions.respond",
        on_behalf_of_owner=True,
    )
    audit.append(
        actor=actor,
        action="consultation.responded",
        item=answer,
        data={"decision": decision.uid, "consent_to_publish": bool(consent_to_publish)},
    )
    return answer


TRIAGE_REFUSED = "Only Research & Engagement triage consultation responses."


@transaction.atomic
def triage_response(
    *,
    actor: User,
    response: ConsultationResponse,
    publish: bool,
    published_text: str = "",
    personal_data: bool = False,
    reason: str = "",
) -> ConsultationResponse:
    """Research & Engagement publish a response (with personal data taken out) or withhold it.

    With `personal_data`, `published_text` is the response as published, and the respondent's own
    words are redacted from everyone but staff and the respondent."""
    if not actor.has_perm("decisions.triage_response", response):
        raise PermissionDenied(TRIAGE_REFUSED)
    response = ConsultationResponse.objects.select_for_update().get(pk=response.pk)
    if response.state != ResponseState.RECEIVED:
        raise Conflict(
            f"This response was already triaged: {response.get_state_display().lower()}."
        )
    errors: dict[str, str] = {}
    if publish and not response.consent_to_publish:
        errors["publish"] = (
            "The respondent did not consent to publication: withhold it, and reflect it in the "
            "summary of feedback."
        )
    if publish and personal_data:
        published_text = _text(
            errors,
            "published_text",
            published_text,
            what="the response with the personal data taken out",
        )
    elif publish:
        published_text = response.response
    if not publish:
        reason = _text(errors, "reason", reason, what="why it is not published", limit=2000)
    _raise(errors)
    decision = Decision.objects.select_related("current_triage").get(pk=response.for_decision_id)
    if publish and decision.is_draft:
        raise Conflict(
            "The decision this responds to is not published yet: publish it first, so that the "
            "response is seen by no one who may not see the decision."
        )
    if publish:
        check_text({"published_text": published_text})
        ConsultationResponse.objects.filter(pk=response.pk).update(
            published_text=published_text,
            state=ResponseState.PUBLISHED,
            version=response.version + 1,
        )
        response.published_text, response.state = published_text, ResponseState.PUBLISHED
        response.version += 1
        # A response is seen by whoever may see its decision, and no one else: it is published at
        # the decision's own level, for the decision's reasons.
        parent = decision.current_triage
        sensitivities = list(parent.sensitivities) if parent else []
        rationale = parent.rationale if parent and parent.outcome != Visibility.OPEN else ""
        if personal_data:
            sensitivities.append(
                {
                    "category": Sensitivity.PERSONAL_DATA,
                    "finding": PERSONAL_DATA_FINDING,
                    "mitigation": Mitigation.REDACT,
                }
            )
            rationale = " ".join(
                filter(None, [rationale, "Personal data taken out of the published text."])
            )
        triage_item(
            item=response,
            actor=actor,
            outcome=decision.visibility,
            sensitivities=sensitivities,
            redacted_fields=["response"] if personal_data else [],
            rationale=rationale,
            restricted_to=list(parent.restricted_to.all())
            if parent and decision.visibility == Visibility.RESTRICTED
            else [],
            review_by=timezone.localdate() + dt.timedelta(days=365),
        )
        publish_item(item=response, actor=actor)
    else:
        ConsultationResponse.objects.filter(pk=response.pk).update(
            state=ResponseState.WITHHELD, version=response.version + 1
        )
        response.state = ResponseState.WITHHELD
        response.version += 1
    audit.append(
        actor=actor,
        action="consultation.response_triaged",
        item=response,
        data={"published": bool(publish), "personal_data": bool(personal_data), "reason": reason},
    )
    return response


@transaction.atomic
def publish_feedback_summary(*, actor: User, decision: Decision, summary: str) -> Decision:
    """Research & Engagement summarise the feedback once the consultation has closed and every
    response is triaged; the decision cannot be taken until they have."""
    if not actor.has_perm("decisions.run_consultation", decision):
        raise PermissionDenied("Only Research & Engagement summarise a consultation's feedback.")
    decision = _lock(decision)
    _refuse_unless(decision, (Stage.CONSULTATION,), "summarise its feedback")
    if timezone.now() < decision.consultation_closes:
        raise Conflict(
            f"The consultation is open until {_when(decision.consultation_closes)}: summarise "
            "the feedback once it has closed."
        )
    if decision.feedback_published_at is not None:
        raise Conflict(
            "The summary of feedback is already published: it is the record of what was said."
        )
    waiting = decision.responses.filter(state=ResponseState.RECEIVED).count()
    if waiting:
        raise Conflict(f"Triage the {waiting} response(s) still waiting before summarising.")
    errors: dict[str, str] = {}
    summary = _text(errors, "summary", summary, what="the summary of feedback")
    _raise(errors)
    check_text({"summary": summary})
    return _change(
        actor=actor,
        decision=decision,
        action="decision.feedback_summarised",
        changes={"feedback_summary": summary, "feedback_published_at": timezone.now()},
        data={"responses": decision.responses.count()},
    )


def consolidated_recommendation(decision: Decision) -> Recommendation | None:
    return decision.recommendations.filter(consolidated=True).select_related("option").first()


@transaction.atomic
def decide(
    *,
    decision: Decision,
    actor: User,
    outcome: Option,
    rationale: str,
    departure: str = "",
    consequences: str = "",
    supersedes: Decision | None = None,
    today: dt.date | None = None,
) -> Decision:
    """A product owner records the option chosen and why; a departure from the advisors'
    consolidated recommendation must be explained. The decision is then fixed."""
    if not actor.has_perm("decisions.decide", decision):
        raise PermissionDenied("Only a product owner in the Product Team takes decisions.")
    decision = _lock(decision)
    _refuse_unless(
        decision, (Stage.GATHERING_EVIDENCE, Stage.ADVISED, Stage.CONSULTATION), "decide it"
    )
    if decision.stage == Stage.CONSULTATION:
        if timezone.now() < decision.consultation_closes:
            raise Conflict(
                f"The consultation is open until {_when(decision.consultation_closes)}: decide "
                "once it has closed and its feedback is summarised."
            )
        if decision.feedback_published_at is None:
            raise Conflict(
                "Research & Engagement have not published the summary of feedback: a decision "
                "that was consulted on waits for it."
            )
    errors: dict[str, str] = {}
    if outcome is None or outcome.decision_id != decision.pk:
        errors["outcome"] = (
            "Choose one of this decision's options: that option belongs to another decision."
        )
    rationale = _text(errors, "rationale", rationale, what="the rationale for the decision")
    consequences = _optional(errors, "consequences", consequences)
    advice = consolidated_recommendation(decision)
    departs = bool(advice and outcome is not None and advice.option_id != outcome.pk)
    departure = (departure or "").strip()
    if departs and not departure:
        errors["departure"] = (
            f"The advisors recommended option {advice.option.label} ({advice.option.title}): "
            "explain why you depart from their recommendation."
        )
    elif departure and not departs:
        errors["departure"] = (
            "This is the option the advisors recommended (or none was sought): there is no "
            "departure to explain. Put your reasons in the rationale."
        )
    elif len(departure) > MAX_TEXT:
        errors["departure"] = f"Keep it to {MAX_TEXT:,} characters."
    if supersedes is not None:
        # The stored stage decides, not that of the copy the caller holds.
        supersedes = Decision.objects.filter(pk=supersedes.pk).first() or supersedes
        if supersedes.pk == decision.pk:
            errors["supersedes"] = "A decision cannot supersede itself."
        elif not Item.objects.visible_to(actor).filter(pk=supersedes.pk).exists():
            errors["supersedes"] = "No decision you can see has that identifier."
        elif supersedes.stage not in (Stage.DECIDED, Stage.REVIEWED):
            errors["supersedes"] = "Only a decision already taken can be superseded."
        elif Decision.objects.filter(supersedes=supersedes).exists():
            errors["supersedes"] = "That decision has already been superseded."
    _raise(errors)
    check_text({"rationale": rationale, "departure": departure, "consequences": consequences})
    decided = _move(
        actor=actor,
        decision=decision,
        to=Stage.DECIDED,
        action="decision.decided",
        changes={
            "chosen": outcome,
            "decided_on": today or timezone.localdate(),
            "decided_by": actor,
            "rationale": rationale,
            "consequences": consequences,
            "departs_from_advice": departs,
            "departure": departure,
            "supersedes": supersedes,
        },
        data={
            "option": outcome.label,
            "departs_from_advice": departs,
            "supersedes": supersedes.uid if supersedes else "",
        },
    )
    if supersedes is not None:
        link_items(source=decided, target=supersedes, relation=Relation.SUPERSEDES, actor=actor)
    return decided


@transaction.atomic
def defer(
    *, actor: User, decision: Decision, until: dt.date, reason: str, today: dt.date | None = None
) -> Decision:
    """Put a decision back to a later date, saying why."""
    if not actor.has_perm("decisions.defer", decision):
        raise PermissionDenied("Only the Product Team and Portfolio Management defer decisions.")
    decision = _lock(decision)
    _refuse_unless(
        decision,
        (Stage.PLANNED, Stage.GATHERING_EVIDENCE, Stage.ADVICE_REQUESTED, Stage.ADVISED),
        "defer it",
    )
    errors: dict[str, str] = {}
    reason = _text(errors, "reason", reason, what="why the decision is deferred", limit=5000)
    if not isinstance(until, dt.date):
        errors["until"] = "Give the new date for the decision."
    elif until <= (today or timezone.localdate()):
        errors["until"] = "The new date must be in the future."
    _raise(errors)
    check_text({"reason": reason})
    return _move(
        actor=actor,
        decision=decision,
        to=Stage.DEFERRED,
        action="decision.deferred",
        comment=reason,
        changes={
            "deferred_from": decision.stage,
            "deferral_reason": reason,
            "scheduled_on": until,
        },
        data={"from_date": decision.scheduled_on.isoformat(), "until": until.isoformat()},
    )


@transaction.atomic
def resume(*, actor: User, decision: Decision, comment: str = "") -> Decision:
    """Take a deferred decision up again where it was left."""
    if not actor.has_perm("decisions.defer", decision):
        raise PermissionDenied("Only the Product Team and Portfolio Management resume decisions.")
    decision = _lock(decision)
    _refuse_unless(decision, (Stage.DEFERRED,), "resume it")
    return _move(
        actor=actor,
        decision=decision,
        to=decision.deferred_from or Stage.PLANNED,
        action="decision.resumed",
        comment=_comment(comment),
        changes={"deferred_from": ""},
    )


@transaction.atomic
def withdraw(*, actor: User, decision: Decision, reason: str) -> Decision:
    """Take a question off the schedule for good, saying why."""
    if not actor.has_perm("decisions.withdraw", decision):
        raise PermissionDenied("Only a product owner withdraws a decision.")
    decision = _lock(decision)
    _refuse_unless(decision, OPEN_STAGES, "withdraw it")
    errors: dict[str, str] = {}
    reason = _text(errors, "reason", reason, what="why the decision is withdrawn", limit=5000)
    _raise(errors)
    check_text({"reason": reason})
    return _move(
        actor=actor,
        decision=decision,
        to=Stage.WITHDRAWN,
        action="decision.withdrawn",
        comment=reason,
        changes={"withdrawal_reason": reason},
    )


@transaction.atomic
def record_opinion(*, actor: User, decision: Decision, opinion: str) -> BoardOpinion:
    """A Board member documents their opinion of a decision taken, before the Board's review closes it."""
    if not actor.has_perm("decisions.record_opinion", decision):
        raise PermissionDenied("Only members of the Board record Board opinions.")
    decision = _lock(decision)
    _refuse_unless(decision, (Stage.DECIDED,), "record an opinion on it")
    errors: dict[str, str] = {}
    opinion = _text(errors, "opinion", opinion, what="your opinion")
    _raise(errors)
    board = next(a.organisation for a in current_appointments(actor) if a.role == Role.BOARD_MEMBER)
    recorded = create_item(
        actor=actor,
        owner=board,
        model=BoardOpinion,
        title=f"Board opinion of {actor.full_name}"[:MAX_TITLE],
        fields={"for_decision": decision, "member": actor, "opinion": opinion},
        permission="decisions.record_opinion",
    )
    audit.append(
        actor=actor, action="board.opinion_recorded", item=decision, data={"opinion": recorded.uid}
    )
    return recorded


@transaction.atomic
def review(
    *,
    actor: User,
    decision: Decision,
    outcome: str,
    reasons: str = "",
    today: dt.date | None = None,
) -> Decision:
    """The Board's assurance outcome, which closes the decision's process."""
    if not actor.has_perm("decisions.review", decision):
        raise PermissionDenied("Only the Board record its assurance of a decision.")
    decision = _lock(decision)
    _refuse_unless(decision, (Stage.DECIDED,), "review it")
    errors: dict[str, str] = {}
    if outcome not in Assurance.values:
        errors["outcome"] = "Choose assured, assured with comments, or not assured."
    elif outcome == Assurance.NOT_ASSURED:
        reasons = _text(errors, "reasons", reasons, what="the reasons the Board is not assured")
    elif outcome == Assurance.ASSURED_WITH_COMMENTS:
        reasons = _text(errors, "reasons", reasons, what="the Board's comments")
    else:
        reasons = _optional(errors, "reasons", reasons)
    _raise(errors)
    check_text({"reasons": reasons})
    return _move(
        actor=actor,
        decision=decision,
        to=Stage.REVIEWED,
        action="decision.reviewed",
        changes={
            "assurance": outcome,
            "assurance_reasons": reasons,
            "reviewed_on": today or timezone.localdate(),
        },
        data={"assurance": outcome},
    )
