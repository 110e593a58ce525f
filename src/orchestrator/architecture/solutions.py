"""Solution architectures and low-level designs: scoping, authoring, tracing, conformance, sign-off."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from orchestrator.core import audit
from orchestrator.core.errors import Conflict, PermissionDenied, ValidationError
from orchestrator.core.metadata import public_people
from orchestrator.core.models import Item, Link, Relation, Status
from orchestrator.core.services import check_text, create_item, link_items, update_item
from orchestrator.people.models import Organisation, OrganisationKind
from orchestrator.people.selectors import is_staff

from . import services
from .models import (
    Constraint,
    Element,
    Measurable,
    Measure,
    Principle,
    Requirement,
    Scope,
    SignOff,
    SignOffStep,
    SolutionArchitecture,
)

if TYPE_CHECKING:
    from orchestrator.people.models import User
    from orchestrator.planning.models import Investment

# How an element traces to what it refines; `addresses` is for principles.
REFINING = (Relation.REFINES, Relation.REALISES)
# The organisation that writes each scope of design.
WRITER_KIND = {
    Scope.SOLUTION: OrganisationKind.DESIGN_BODY,
    Scope.LOW_LEVEL: OrganisationKind.DELIVERY_PARTNER,
}
# A low-level design follows a solution architecture that is at least ready for sign-off.
FOLLOWABLE = (SignOff.SUBMITTED, SignOff.SIGNED_OFF)
# The service agreements that have a measure enterprise constraints can set a threshold on.
AGREEMENT_MEASURES = {
    "availability": Measure.AVAILABILITY,
    "latency_ms": Measure.LATENCY,
    "recovery_time_minutes": Measure.RECOVERY_TIME,
    "recovery_point_minutes": Measure.RECOVERY_POINT,
}
AGREEMENT_FIELDS = (*AGREEMENT_MEASURES, "support_hours")
AGREEMENT_LABELS = {
    "availability": ("Availability", "%"),
    "latency_ms": ("Latency", " ms"),
    "support_hours": ("Support hours", ""),
    "recovery_time_minutes": ("Recovery time objective", " minutes"),
    "recovery_point_minutes": ("Recovery point objective", " minutes"),
}


def number_text(value: Any) -> str:
    """A threshold as people write it: 99.9, not 99.9000."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = f"{value.normalize():f}"
        return text
    return str(value)


MAX_COMMENT = 5000
# What each move is called, for the message refusing it.
MOVES = {
    SignOff.SUBMITTED: "submitted for sign-off",
    SignOff.CHANGES_REQUESTED: "sent back for changes",
    SignOff.SIGNED_OFF: "signed off",
}


# --- Writes -----------------------------------------------------------------------------------


def _state_label(state: str) -> str:
    return SignOff(state).label.lower()


def _refuse_if_signed_off(solution: SolutionArchitecture) -> None:
    # The kind's own rule (`edit_refusal`), asked of the stored row too: the caller's copy may
    # predate the sign-off.
    stored = SolutionArchitecture.objects.filter(pk=solution.pk).first()
    refusal = solution.edit_refusal() or (stored.edit_refusal() if stored else None)
    if refusal:
        raise Conflict(refusal)


def _require_author(actor: User, solution: SolutionArchitecture) -> None:
    if not actor.has_perm("architecture.author_solution", solution):
        raise PermissionDenied(
            f"Only members of {solution.design_body.name}, or the Architecture Team, may work on "
            "this design."
        )


def _agreement_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """Service agreements as the model's types, with a message naming any that is not a number."""
    out: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, value in values.items():
        if name == "support_hours":
            out[name] = value or ""
            continue
        if value in (None, ""):
            out[name] = None
            continue
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            errors[name] = "Give a number, e.g. 99.9 or 200."
            continue
        if not number.is_finite() or number < 0:
            errors[name] = "Give a number of zero or more."
        elif name != "availability" and number != number.to_integral_value():
            errors[name] = "Give a whole number."
        else:
            out[name] = number if name == "availability" else int(number)
    if errors:
        raise ValidationError(errors)
    return out


@transaction.atomic
def create_solution_architecture(
    *,
    actor: User,
    investment: Investment,
    design_body: Organisation,
    title: str,
    summary: str = "",
    body: str = "",
    scope: str = Scope.SOLUTION,
    follows: SolutionArchitecture | None = None,
    functional_requirements: str = "",
    non_functional_requirements: str = "",
    agreements: Mapping[str, Any] | None = None,
) -> SolutionArchitecture:
    """The Architecture Team scope a work package's design and give it to a Design Body (or, for a
    low-level design, to a Delivery Partner, following a solution architecture), with its own
    architecture model; both are owned by that organisation, so its members can write them."""
    if not actor.has_perm("architecture.maintain"):
        raise PermissionDenied(
            "Only the Architecture Team scope solution architectures and give them to Design Bodies."
        )
    if scope not in WRITER_KIND:
        raise ValidationError(
            {"scope": "Choose a solution architecture (by a Design Body) or a low-level design."}
        )
    errors: dict[str, str] = {}
    wanted = WRITER_KIND[scope]
    if design_body.kind != wanted:
        errors["design_body"] = (
            f"{design_body.name} is a {design_body.get_kind_display().lower()}, not a "
            f"{wanted.label.lower()}: a {Scope(scope).label.split(' (')[0].lower()} is given to "
            f"a {wanted.label.lower()}."
        )
    if scope == Scope.LOW_LEVEL:
        if follows is None:
            errors["follows"] = "Name the solution architecture the low-level design follows."
        elif follows.scope != Scope.SOLUTION:
            errors["follows"] = "A low-level design follows a solution architecture."
        elif follows.sign_off not in FOLLOWABLE:
            errors["follows"] = (
                f"“{follows.title}” is {_state_label(follows.sign_off)}; a low-level design "
                "follows one submitted for sign-off or signed off."
            )
        elif follows.for_investment_id != investment.pk:
            errors["follows"] = "The design it follows is for another work package."
    elif follows is not None:
        errors["follows"] = "Only a low-level design follows another design."
    if not (title or "").strip():
        errors["title"] = "Give the design a title."
    if errors:
        raise ValidationError(errors)
    values = _agreement_values(
        {
            name: (agreements or {}).get(name)
            for name in AGREEMENT_FIELDS
            if name in (agreements or {})
        }
    )
    solution = create_item(
        actor=actor,
        owner=design_body,
        model=SolutionArchitecture,
        title=title.strip(),
        summary=summary,
        body=body,
        fields={
            "scope": scope,
            "for_investment": investment,
            "design_body": design_body,
            "follows": follows,
            "functional_requirements": functional_requirements,
            "non_functional_requirements": non_functional_requirements,
            **values,
        },
        permission="architecture.maintain",
    )
    model = services.create_model(
        actor=actor,
        owner=design_body,
        title=f"{solution.title}: architecture",
        identifier=f"{'sa' if scope == Scope.SOLUTION else 'lld'}-{solution.uid.lower()}",
        summary=f"The elements and relationships of “{solution.title}”.",
        scope=scope,
    )
    SolutionArchitecture.objects.filter(pk=solution.pk).update(architecture=model)
    solution.architecture = model
    SignOffStep.objects.create(
        solution=solution, to_state=SignOff.DRAFT, by=actor, comment=f"Given to {design_body.name}."
    )
    audit.append(
        actor=actor,
        action="solution.scoped",
        item=solution,
        data={
            "scope": scope,
            "investment": investment.uid,
            "design_body": design_body.slug,
            "follows": follows.uid if follows else None,
            "architecture": model.uid,
        },
    )
    return solution


def _transition(
    *,
    actor: User,
    solution: SolutionArchitecture,
    allowed_from: tuple[str, ...],
    to: str,
    comment: str,
    action: str,
) -> SolutionArchitecture:
    check_text({"comment": comment})
    if len(comment) > MAX_COMMENT:
        raise ValidationError({"comment": f"Keep the comment to {MAX_COMMENT:,} characters."})
    # Lock the row so two architects pressing at once cannot both move it.
    locked = SolutionArchitecture.objects.select_for_update().get(pk=solution.pk)
    if locked.sign_off not in allowed_from:
        raise Conflict(
            f"“{locked.title}” is {_state_label(locked.sign_off)}, so it cannot be "
            f"{MOVES[to]}; "
            f"only a design that is {' or '.join(_state_label(s) for s in allowed_from)} can be."
        )
    before = locked.sign_off
    now = timezone.now()
    # The state is not an edit field, so it moves here; the version moves too, so an edit made
    # from the page as it was before is refused as stale rather than overwriting the new state.
    SolutionArchitecture.objects.filter(pk=locked.pk).update(
        sign_off=to, version=locked.version + 1, updated_at=now
    )
    locked.sign_off, locked.version, locked.updated_at = to, locked.version + 1, now
    SignOffStep.objects.create(solution=locked, to_state=to, by=actor, at=now, comment=comment)
    audit.append(
        actor=actor,
        action=action,
        item=locked,
        data={"from": before, "to": to, "comment": comment},
    )
    return locked


@transaction.atomic
def submit_for_sign_off(
    *, actor: User, solution: SolutionArchitecture, comment: str = ""
) -> SolutionArchitecture:
    """The Design Body (or Delivery Partner) send their design to the Architecture Team."""
    _require_author(actor, solution)
    return _transition(
        actor=actor,
        solution=solution,
        allowed_from=(SignOff.DRAFT, SignOff.CHANGES_REQUESTED),
        to=SignOff.SUBMITTED,
        comment=(comment or "").strip(),
        action="solution.submitted",
    )


@transaction.atomic
def request_changes(
    *, actor: User, solution: SolutionArchitecture, comment: str
) -> SolutionArchitecture:
    """The Architecture Team send a submitted design back, saying what to change."""
    if not actor.has_perm("architecture.sign_off", solution):
        raise PermissionDenied("Only the Architecture Team ask for changes to a design.")
    if not (comment or "").strip():
        raise ValidationError({"comment": "Say what needs to change before it can be signed off."})
    return _transition(
        actor=actor,
        solution=solution,
        allowed_from=(SignOff.SUBMITTED,),
        to=SignOff.CHANGES_REQUESTED,
        comment=comment.strip(),
        action="solution.changes_requested",
    )


@transaction.atomic
def sign_off(
    *, actor: User, solution: SolutionArchitecture, comment: str = ""
) -> SolutionArchitecture:
    """The Architecture Team sign off a submitted design; it is then fixed."""
    if not actor.has_perm("architecture.sign_off", solution):
        raise PermissionDenied("Only the Architecture Team sign off a design.")
    return _transition(
        actor=actor,
        solution=solution,
        allowed_from=(SignOff.SUBMITTED,),
        to=SignOff.SIGNED_OFF,
        comment=(comment or "").strip(),
        action="solution.signed_off",
    )


@transaction.atomic
def update_solution(
    *, actor: User, solution: SolutionArchitecture, version: int, changes: Mapping[str, Any]
) -> SolutionArchitecture:
    """Edit a design's requirements and service agreements, unless it is signed off."""
    _refuse_if_signed_off(solution)
    agreements = {k: v for k, v in changes.items() if k in AGREEMENT_FIELDS}
    changes = {**changes, **_agreement_values(agreements)}
    return update_item(item=solution, actor=actor, version=version, changes=changes)


def trace_targets(solution: SolutionArchitecture) -> QuerySet[Element]:
    """What a design's elements trace to: the enterprise architecture's elements, or, for a
    low-level design, those of the solution architecture it follows."""
    if solution.scope == Scope.LOW_LEVEL:
        follows = solution.follows
        model_id = follows.architecture_id if follows is not None else None
        return Element.objects.filter(model_id=model_id)
    return Element.objects.filter(model__scope=Scope.ENTERPRISE)


@transaction.atomic
def trace_element(
    *,
    actor: User,
    solution: SolutionArchitecture,
    element: Element,
    refines: Element,
    relation: str = Relation.REFINES,
) -> Link:
    """Trace one of the design's elements to the element it refines or realises."""
    _require_author(actor, solution)
    _refuse_if_signed_off(solution)
    if element.model_id != solution.architecture_id:
        raise ValidationError({"element": "Choose an element of this design."})
    if relation not in REFINING:
        raise ValidationError({"relation": "Trace with “refines” or “realises”."})
    if not trace_targets(solution).visible_to(actor).filter(pk=refines.pk).exists():
        where = (
            "the solution architecture it follows"
            if solution.scope == Scope.LOW_LEVEL
            else "the enterprise architecture"
        )
        raise ValidationError({"refines": f"Choose an element of {where}."})
    return services.trace(actor=actor, source=element, target=refines, relation=relation)


@transaction.atomic
def add_element(
    *,
    actor: User,
    solution: SolutionArchitecture,
    archimate_type: str,
    title: str,
    summary: str = "",
    body: str = "",
    fields: Mapping[str, Any] | None = None,
    refines: Element | None = None,
    relation: str = Relation.REFINES,
) -> Element:
    """An element of the design's own model (logical or physical), traced to what it refines."""
    _require_author(actor, solution)
    _refuse_if_signed_off(solution)
    if solution.architecture_id is None:
        raise Conflict("This design has no architecture model to add elements to.")
    if not (title or "").strip():
        raise ValidationError({"title": "Name the element."})
    element = services.create_element(
        actor=actor,
        model=solution.architecture,
        archimate_type=archimate_type,
        title=title.strip(),
        summary=summary,
        body=body,
        fields=fields,
    )
    if refines is not None:
        trace_element(
            actor=actor, solution=solution, element=element, refines=refines, relation=relation
        )
    return element


@transaction.atomic
def address_principle(
    *,
    actor: User,
    solution: SolutionArchitecture,
    principle: Principle,
    by: Element | None = None,
    note: str = "",
) -> Link:
    """Say that the design (or one of its elements) addresses an enterprise principle."""
    _require_author(actor, solution)
    _refuse_if_signed_off(solution)
    if not enterprise_principles(actor).filter(pk=principle.pk).exists():
        raise ValidationError({"principle": "Choose a published principle of the enterprise."})
    if by is not None:
        if by.model_id != solution.architecture_id:
            raise ValidationError({"by": "Choose the design itself or one of its elements."})
        return services.trace(
            actor=actor, source=by, target=principle, relation=Relation.ADDRESSES, note=note
        )
    if Link.objects.filter(source=solution, target=principle, relation=Relation.ADDRESSES).exists():
        raise Conflict("The design already says it addresses this principle.")
    return link_items(
        source=solution, target=principle, relation=Relation.ADDRESSES, actor=actor, note=note
    )


# --- Reads ------------------------------------------------------------------------------------


def visible_solutions(user: User | None, sign_off: str = "") -> QuerySet[SolutionArchitecture]:
    """The designs `user` may see, most recently changed first, optionally in one sign-off state."""
    found = SolutionArchitecture.objects.visible_to(user).select_related("design_body", "owner")
    if sign_off:
        found = found.filter(sign_off=sign_off)
    return found.order_by("-updated_at", "-id")


def enterprise_principles(user: User | None) -> QuerySet[Principle]:
    return Principle.objects.visible_to(user).filter(
        status=Status.PUBLISHED, model__scope=Scope.ENTERPRISE
    )


@dataclass
class Agreement:
    """A service agreement as a threshold, so it can be weighed against a constraint."""

    field: str
    label: str
    measure: str
    threshold: Decimal | None

    weaker_than = Measurable.weaker_than


@dataclass
class Shortfall:
    """Something of the design that asks for less than what it must keep within."""

    what: Any  # a Requirement or an Agreement
    than: Any  # a Constraint, a Requirement, or the followed design's Agreement
    measure: str

    @property
    def measure_label(self) -> str:
        return Measure(self.measure).label

    @property
    def what_threshold(self) -> str:
        return number_text(self.what.threshold)

    @property
    def than_threshold(self) -> str:
        return number_text(self.than.threshold)


@dataclass
class ElementTrace:
    element: Element
    targets: list[tuple[str, Element]] = field(default_factory=list)


@dataclass
class Conformance:
    """How far a design keeps to what it refines, counted from the records the viewer may see."""

    elements: list[ElementTrace]
    untraced: list[Element]
    unaddressed: list[Principle]
    addressed: list[Principle]
    weaker: list[Shortfall]
    traces_to: str

    @property
    def conforms(self) -> bool:
        return not (self.untraced or self.unaddressed or self.weaker)

    def as_dict(self) -> dict[str, Any]:
        def ref(item: Item) -> dict[str, str]:
            return {"uid": item.uid, "title": item.title, "kind": item.kind}

        def side(x: Any) -> dict[str, Any]:
            if isinstance(x, Agreement):
                return {"agreement": x.field, "threshold": number_text(x.threshold)}
            return {**ref(x), "threshold": number_text(x.threshold)}

        return {
            "conforms": self.conforms,
            "counted_from": "the records you may see",
            "traces_to": self.traces_to,
            "elements": [
                {
                    **ref(t.element),
                    "archimate_type": t.element.archimate_type,
                    "traces": [{"relation": r, **ref(e)} for r, e in t.targets],
                }
                for t in self.elements
            ],
            "untraced": [ref(e) for e in self.untraced],
            "unaddressed_principles": [ref(p) for p in self.unaddressed],
            "addressed_principles": [ref(p) for p in self.addressed],
            "weaker": [
                {"measure": s.measure, "what": side(s.what), "than": side(s.than)}
                for s in self.weaker
            ],
        }


def agreements_of(solution: SolutionArchitecture) -> list[Agreement]:
    return [
        Agreement(name, AGREEMENT_LABELS[name][0], measure, getattr(solution, name))
        for name, measure in AGREEMENT_MEASURES.items()
        if getattr(solution, name) is not None
    ]


def conformance(user: User | None, solution: SolutionArchitecture) -> Conformance:
    """Its elements not traced to what they refine, the enterprise principles it does not say it
    addresses, and its non-functional requirements and service agreements that ask for less than
    the constraints and requirements they must keep within — all of what `user` may see."""
    elements = list(
        Element.objects.visible_to(user)
        .filter(model_id=solution.architecture_id)
        .order_by("title", "id")
        if solution.architecture_id
        else []
    )
    element_ids = [e.pk for e in elements]
    targets = trace_targets(solution).visible_to(user)
    links = list(
        Link.objects.filter(
            source_id__in=element_ids, relation__in=REFINING, target__in=targets.values("pk")
        ).values_list("source_id", "relation", "target_id")
    )
    target_rows = {
        e.pk: e for e in Element.objects.filter(pk__in={t for _, _, t in links}).order_by("title")
    }
    traces = {e.pk: ElementTrace(e) for e in elements}
    for source_id, relation, target_id in links:
        traces[source_id].targets.append((relation, target_rows[target_id]))
    untraced = [t.element for t in traces.values() if not t.targets]

    principles = list(enterprise_principles(user).order_by("title", "id"))
    addressed_ids = set(
        Link.objects.filter(
            Q(source_id=solution.pk) | Q(source_id__in=element_ids),
            relation=Relation.ADDRESSES,
            target_id__in=[p.pk for p in principles],
        ).values_list("target_id", flat=True)
    )
    addressed = [p for p in principles if p.pk in addressed_ids]
    unaddressed = [p for p in principles if p.pk not in addressed_ids]

    weaker: list[Shortfall] = []
    # Its non-functional requirements against the constraints and requirements they refine.
    requirements = {
        r.pk: r
        for r in Requirement.objects.visible_to(user).filter(
            model_id=solution.architecture_id, pk__in=element_ids
        )
        if r.measure
    }
    refined = [(s, t) for s, _, t in links if s in requirements]
    measured = {
        m.pk: m
        for kind in (Constraint, Requirement)
        for m in kind.objects.filter(pk__in={t for _, t in refined}).exclude(measure="")
    }
    for source_id, target_id in refined:
        requirement, other = requirements[source_id], measured.get(target_id)
        if other is not None and requirement.weaker_than(other):
            weaker.append(Shortfall(requirement, other, requirement.measure))
    # Its service agreements against the enterprise constraints on the same measure …
    agreements = agreements_of(solution)
    if agreements:
        constraints = list(
            Constraint.objects.visible_to(user)
            .filter(
                status=Status.PUBLISHED,
                model__scope=Scope.ENTERPRISE,
                measure__in=[a.measure for a in agreements],
            )
            .order_by("title", "id")
        )
        for agreement in agreements:
            for constraint in constraints:
                if agreement.weaker_than(constraint):
                    weaker.append(Shortfall(agreement, constraint, agreement.measure))
        # … and a low-level design's against those of the solution architecture it follows.
        follows = (
            SolutionArchitecture.objects.visible_to(user).filter(pk=solution.follows_id).first()
            if solution.follows_id
            else None
        )
        if follows is not None:
            theirs = {a.measure: a for a in agreements_of(follows)}
            for agreement in agreements:
                other = theirs.get(agreement.measure)
                if other is not None and agreement.weaker_than(other):
                    weaker.append(Shortfall(agreement, other, agreement.measure))
    return Conformance(
        elements=list(traces.values()),
        untraced=untraced,
        unaddressed=unaddressed,
        addressed=addressed,
        weaker=weaker,
        traces_to="solution architecture"
        if solution.scope == Scope.LOW_LEVEL
        else "enterprise architecture",
    )


def steps_for(user: User | None, solution: SolutionArchitecture) -> list[tuple[SignOffStep, str]]:
    """The sign-off history, each step with who took it, named by the audit log's rule."""
    steps = list(solution.sign_off_steps.select_related("by"))
    named = public_people(s.by_id for s in steps)
    staff = is_staff(user)
    return [
        (s, s.by.full_name if staff or s.by_id in named else "a registered user") for s in steps
    ]


def actions_for(user: User | None, solution: SolutionArchitecture) -> dict[str, bool]:
    """The sign-off buttons (and authoring links) this viewer may press now."""
    if user is None or not user.is_authenticated:
        return {"submit": False, "request_changes": False, "approve": False, "author": False}
    state = solution.sign_off
    author = user.has_perm("architecture.author_solution", solution)
    architect = user.has_perm("architecture.sign_off", solution)
    return {
        "submit": author and state in (SignOff.DRAFT, SignOff.CHANGES_REQUESTED),
        "request_changes": architect and state == SignOff.SUBMITTED,
        "approve": architect and state == SignOff.SUBMITTED,
        "author": author and state != SignOff.SIGNED_OFF,
    }


def panel(user: User | None, item: Item) -> dict[str, Any]:
    """What a solution architecture's page shows: its work package, writer, service agreements,
    elements and their traces, conformance, sign-off history and the buttons this viewer may press."""
    solution = item if isinstance(item, SolutionArchitecture) else item.specific()
    seen = Item.objects.visible_to(user)
    related = {
        i.pk: i
        for i in seen.filter(
            pk__in=[
                pk
                for pk in (
                    solution.for_investment_id,
                    solution.follows_id,
                    solution.architecture_id,
                )
                if pk
            ]
        )
    }
    return {
        "solution": solution,
        "investment": related.get(solution.for_investment_id),
        "follows": related.get(solution.follows_id),
        "architecture": related.get(solution.architecture_id),
        "low_level_designs": list(
            visible_solutions(user).filter(follows_id=solution.pk).order_by("title", "id")
        ),
        "agreements": [
            (
                label,
                f"{number_text(getattr(solution, name))}{unit}"
                if getattr(solution, name) not in (None, "")
                else "",
            )
            for name, (label, unit) in AGREEMENT_LABELS.items()
        ],
        "conformance": conformance(user, solution),
        "steps": steps_for(user, solution),
        "actions": actions_for(user, solution),
    }
