"""Solution architectures in the API: authoring, tracing, conformance and sign-off."""

from __future__ import annotations

import math
import re
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import Field, Query, Router, Schema, Status

from orchestrator.architecture import solutions
from orchestrator.architecture.models import (
    Element,
    Principle,
    Scope,
    SignOff,
    SolutionArchitecture,
)
from orchestrator.core.models import Relation
from orchestrator.core.selectors import get_visible_item
from orchestrator.people.models import Organisation
from orchestrator.planning.models import Investment

from .api import WRITE_ERRORS, ItemOut, OptionalToken, Problem, RequireToken, _reject_unknown
from .representations import item_detail

router = Router(tags=["architecture"], auth=RequireToken())

_SLUG = re.compile(r"^[-\w]{1,200}$", re.ASCII)
MAX_PAGE_SIZE = 100


class SolutionIn(Schema):
    investment: str = Field(..., description="The uid of the work package (an investment)")
    design_body: str = Field(
        ...,
        description="The slug of the Design Body (or, for a low-level design, the Delivery Partner)",
    )
    title: str = Field(..., min_length=1, max_length=300)
    summary: str = Field("", max_length=2000)
    body: str = ""
    scope: str = Field(Scope.SOLUTION, description="solution or low_level")
    follows: str | None = Field(
        None, description="For a low-level design: the uid of the solution architecture it follows"
    )
    functional_requirements: str = Field("", max_length=20000)
    non_functional_requirements: str = Field("", max_length=20000)
    availability: str | float | None = Field(None, description="Per cent, e.g. 99.9")
    latency_ms: int | None = Field(None, ge=0)
    support_hours: str = Field("", max_length=100)
    recovery_time_minutes: int | None = Field(None, ge=0)
    recovery_point_minutes: int | None = Field(None, ge=0)


class CommentIn(Schema):
    comment: str = Field("", max_length=solutions.MAX_COMMENT)


class SolutionElementIn(Schema):
    archimate_type: str = Field(..., description="An ArchiMate 3.1 element type, e.g. Node")
    title: str = Field(..., min_length=1, max_length=300)
    summary: str = Field("", max_length=2000)
    body: str = ""
    refines: str | None = Field(None, description="The uid of the element it refines or realises")
    relation: str = Field(Relation.REFINES, description="refines or realises")
    category: str | None = Field(None, description="For a requirement: e.g. non_functional")
    measure: str | None = Field(None, description="For a non-functional requirement")
    threshold: str | float | None = None


class AddressIn(Schema):
    principle: str = Field(..., description="The uid of a published enterprise principle")
    by: str | None = Field(
        None, description="The uid of one of the design's elements, if not the design"
    )
    note: str = Field("", max_length=500)


class SolutionSummary(Schema):
    uid: str
    title: str
    scope: str
    sign_off: str
    design_body: str
    status: str
    visibility: str
    url: str


class SolutionPage(Schema):
    count: int
    page: int
    pages: int
    items: list[SolutionSummary]


class SolutionOut(ItemOut):
    sign_off: str
    scope: str
    sign_off_history: list[dict[str, Any]]
    conformance: dict[str, Any]


class SolutionListFilters(Schema):
    sign_off: SignOff | None = Field(None, description="Only designs in this sign-off state")
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(25, ge=1, le=MAX_PAGE_SIZE)


def _detail(user, solution: SolutionArchitecture) -> dict[str, Any]:
    solution = get_visible_item(user, solution.uid, SolutionArchitecture)
    data = item_detail(user, solution)
    data.update(
        {
            "sign_off": solution.sign_off,
            "scope": solution.scope,
            "sign_off_history": [
                {"to": step.to_state, "by": by, "at": step.at, "comment": step.comment}
                for step, by in solutions.steps_for(user, solution)
            ],
            "conformance": solutions.conformance(user, solution).as_dict(),
        }
    )
    return data


def _organisation(slug: str, field: str) -> Organisation:
    found = Organisation.objects.filter(slug=slug).first() if _SLUG.match(slug) else None
    if found is None:
        raise DjangoValidationError({field: f"No organisation “{slug}”."})
    return found


@router.post("", response={201: SolutionOut, **WRITE_ERRORS})
def create_solution(request, payload: SolutionIn):
    """The Architecture Team scope a work package's design and give it to a Design Body (or a
    low-level design to a Delivery Partner); it gets its own architecture model."""
    investment = get_visible_item(request.auth, payload.investment, Investment)
    follows = (
        get_visible_item(request.auth, payload.follows, SolutionArchitecture)
        if payload.follows
        else None
    )
    solution = solutions.create_solution_architecture(
        actor=request.auth,
        investment=investment,
        design_body=_organisation(payload.design_body, "design_body"),
        title=payload.title,
        summary=payload.summary,
        body=payload.body,
        scope=payload.scope,
        follows=follows,
        functional_requirements=payload.functional_requirements,
        non_functional_requirements=payload.non_functional_requirements,
        agreements={name: getattr(payload, name) for name in solutions.AGREEMENT_FIELDS},
    )
    return Status(201, _detail(request.auth, solution))


@router.get("", response={200: SolutionPage, 422: Problem}, auth=OptionalToken())
def list_solutions(request, filters: Query[SolutionListFilters]):
    """The designs you may see, most recently changed first."""
    _reject_unknown(request, {"sign_off", "page", "page_size"})
    found = solutions.visible_solutions(request.auth, filters.sign_off or "")
    count = found.count()
    start = (filters.page - 1) * filters.page_size
    return {
        "count": count,
        "page": filters.page,
        "pages": max(1, math.ceil(count / filters.page_size)),
        "items": [
            {
                "uid": s.uid,
                "title": s.title,
                "scope": s.scope,
                "sign_off": s.sign_off,
                "design_body": s.design_body.slug,
                "status": s.status,
                "visibility": s.visibility,
                "url": s.get_absolute_url(),
            }
            for s in found[start : start + filters.page_size]
        ],
    }


@router.get("/{uid}", response={200: SolutionOut, 404: Problem}, auth=OptionalToken())
def get_solution(request, uid: str):
    """One design, with its sign-off history and its conformance report (counted from what you
    may see)."""
    _reject_unknown(request, set())
    return _detail(request.auth, get_visible_item(request.auth, uid, SolutionArchitecture))


def _move(request, uid: str, service, comment: str):
    solution = get_visible_item(request.auth, uid, SolutionArchitecture)
    service(actor=request.auth, solution=solution, comment=comment)
    return _detail(request.auth, solution)


@router.post("/{uid}/submit", response={200: SolutionOut, **WRITE_ERRORS})
def submit(request, uid: str, payload: CommentIn):
    """The Design Body submit their design to the Architecture Team for sign-off."""
    return _move(request, uid, solutions.submit_for_sign_off, payload.comment)


@router.post("/{uid}/request-changes", response={200: SolutionOut, **WRITE_ERRORS})
def request_changes(request, uid: str, payload: CommentIn):
    """The Architecture Team send a submitted design back, saying what to change (required)."""
    return _move(request, uid, solutions.request_changes, payload.comment)


@router.post("/{uid}/sign-off", response={200: SolutionOut, **WRITE_ERRORS})
def sign_off(request, uid: str, payload: CommentIn):
    """The Architecture Team sign off a submitted design; it can no longer be changed."""
    return _move(request, uid, solutions.sign_off, payload.comment)


@router.post("/{uid}/elements", response={201: SolutionOut, **WRITE_ERRORS})
def add_element(request, uid: str, payload: SolutionElementIn):
    """Add an element to the design's own model, traced to the element it refines."""
    solution = get_visible_item(request.auth, uid, SolutionArchitecture)
    refines = get_visible_item(request.auth, payload.refines) if payload.refines else None
    if refines is not None and not isinstance(refines, Element):
        raise DjangoValidationError({"refines": "Name an architecture element."})
    fields = {
        name: getattr(payload, name)
        for name in ("category", "measure", "threshold")
        if getattr(payload, name) is not None
    }
    if "threshold" in fields:
        fields["threshold"] = str(fields["threshold"])
    solutions.add_element(
        actor=request.auth,
        solution=solution,
        archimate_type=payload.archimate_type,
        title=payload.title,
        summary=payload.summary,
        body=payload.body,
        fields=fields,
        refines=refines,
        relation=payload.relation,
    )
    return Status(201, _detail(request.auth, solution))


@router.post("/{uid}/addresses", response={201: SolutionOut, **WRITE_ERRORS})
def address(request, uid: str, payload: AddressIn):
    """Say that the design, or one of its elements, addresses an enterprise principle."""
    solution = get_visible_item(request.auth, uid, SolutionArchitecture)
    principle = get_visible_item(request.auth, payload.principle, Principle)
    by = get_visible_item(request.auth, payload.by) if payload.by else None
    if by is not None and not isinstance(by, Element):
        raise DjangoValidationError({"by": "Name one of the design's elements."})
    solutions.address_principle(
        actor=request.auth, solution=solution, principle=principle, by=by, note=payload.note
    )
    return Status(201, _detail(request.auth, solution))
