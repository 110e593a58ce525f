"""Pages of solution architectures: authoring, tracing, conformance and sign-off."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods

from orchestrator.core.errors import Conflict, PermissionDenied, ValidationError
from orchestrator.core.selectors import get_visible_item
from orchestrator.portal.refusals import refusal

from . import solutions
from .forms_solution import (
    AddressesForm,
    CommentForm,
    SolutionCreateForm,
    SolutionElementForm,
    SolutionFilterForm,
)
from .models import Element, SignOff, SolutionArchitecture

PAGE_SIZE = 25
# The sign-off moves a page can ask for: the service, who may, the comment's label, the button.
MOVES = {
    "submit": (
        solutions.submit_for_sign_off,
        "submit",
        "Submit for sign-off",
        "Anything the Architecture Team should know (optional)",
        False,
    ),
    "request-changes": (
        solutions.request_changes,
        "request_changes",
        "Ask for changes",
        "What needs to change before it can be signed off",
        True,
    ),
    "approve": (
        solutions.sign_off,
        "approve",
        "Sign off",
        "Anything to record with the sign-off (optional)",
        False,
    ),
}


def _solution(request: HttpRequest, uid: str) -> SolutionArchitecture:
    return get_visible_item(request.user, uid, SolutionArchitecture)


def solution_list(request: HttpRequest) -> HttpResponse:
    """The solution architectures and low-level designs the viewer may see, by sign-off state."""
    form = SolutionFilterForm(request.GET or None)
    state = ""
    status = 200
    if form.is_bound:
        if form.is_valid():
            state = form.cleaned_data["state"]
        else:
            status = 400
    page = Paginator(solutions.visible_solutions(request.user, state), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "architecture/solution_list.html",
        {
            "form": form,
            "state": state,
            "states": SignOff.choices,
            "page_obj": page,
            "query_string": f"state={state}" if state else "",
            "can_scope": request.user.has_perm("architecture.maintain"),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def solution_new(request: HttpRequest) -> HttpResponse:
    """The Architecture Team scope a work package's design and give it to a Design Body."""
    if not request.user.has_perm("architecture.maintain"):
        raise PermissionDenied("Only the Architecture Team scope solution architectures.")
    initial = {}
    if isinstance(request.GET.get("investment"), str) and len(request.GET["investment"]) <= 40:
        initial["investment"] = request.GET["investment"]
    form = SolutionCreateForm(
        request.POST if request.method == "POST" else None, user=request.user, initial=initial
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                solution = solutions.create_solution_architecture(
                    actor=request.user,
                    investment=form.investments[data["investment"]],
                    design_body=form.organisations[data["design_body"]],
                    title=data["title"],
                    summary=data["summary"],
                    scope=data["scope"],
                    follows=form.designs.get(data["follows"]) if data["follows"] else None,
                )
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(
                    request,
                    f"Scoped and given to {solution.design_body.name}. It is a draft, seen by "
                    "them and the Orchestrator's staff.",
                )
                return redirect(solution)
    return render(
        request,
        "architecture/solution_form.html",
        {
            "form": form,
            "heading": "Scope a solution architecture",
            "button": "Scope it",
            "back": ("architecture:solution-list", None),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def sign_off_move(request: HttpRequest, uid: str, move: str) -> HttpResponse:
    """Submit a design for sign-off, ask for changes to it, or sign it off, with a comment."""
    if move not in MOVES:
        raise Http404("No such step")
    solution = _solution(request, uid)
    service, action, button, label, required = MOVES[move]
    if not _may(request.user, action, solution):
        raise PermissionDenied("You cannot take this step for this design.")
    form = CommentForm(
        request.POST if request.method == "POST" else None, required=required, label=label
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                service(actor=request.user, solution=solution, comment=form.cleaned_data["comment"])
            except ValidationError as exc:
                form.add_service_error(exc)
            except Conflict as exc:
                form.add_error(None, exc.message)
                status = 409
            else:
                done = {
                    "submit": "Submitted to the Architecture Team for sign-off.",
                    "request-changes": "Sent back to the Design Body with your comments.",
                    "approve": "Signed off. The design can no longer be changed.",
                }[move]
                messages.success(request, done)
                return redirect(solution)
    elif not solutions.actions_for(request.user, solution)[action]:
        # Say why rather than show a form that cannot work.
        return refusal(
            request,
            title="This step cannot be taken now",
            message=f"“{solution.title}” is {solution.get_sign_off_display().lower()}.",
            status=409,
            record=solution,
        )
    return render(
        request,
        "architecture/solution_form.html",
        {
            "form": form,
            "item": solution,
            "heading": f"{button}: “{solution.title}”",
            "button": button,
        },
        status=status,
    )


def _may(user, action: str, solution: SolutionArchitecture) -> bool:
    perm = "architecture.author_solution" if action == "submit" else "architecture.sign_off"
    return user.has_perm(perm, solution)


def _require_open_for_authoring(request: HttpRequest, solution: SolutionArchitecture):
    if not request.user.has_perm("architecture.author_solution", solution):
        raise PermissionDenied(
            f"Only members of {solution.design_body.name}, or the Architecture Team, may work on "
            "this design."
        )
    if solution.sign_off == SignOff.SIGNED_OFF:
        return refusal(
            request,
            title="This design is signed off",
            message=f"“{solution.title}” is signed off and cannot be changed.",
            status=409,
            record=solution,
        )
    return None


@login_required
@require_http_methods(["GET", "POST"])
def solution_element_new(request: HttpRequest, uid: str) -> HttpResponse:
    """Add an element to the design's own model, traced to the element it refines."""
    solution = _solution(request, uid)
    refused = _require_open_for_authoring(request, solution)
    if refused:
        return refused
    form = SolutionElementForm(
        request.POST if request.method == "POST" else None, user=request.user, solution=solution
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            fields = {}
            if data["archimate_type"] == "Requirement":
                fields = {
                    "category": data["category"] or "functional",
                    "measure": data["measure"],
                    "threshold": data["threshold"],
                }
            try:
                solutions.add_element(
                    actor=request.user,
                    solution=solution,
                    archimate_type=data["archimate_type"],
                    title=data["title"],
                    summary=data["summary"],
                    fields=fields,
                    refines=form.targets.get(data["refines"]) if data["refines"] else None,
                    relation=data["relation"],
                )
            except ValidationError as exc:
                form.add_service_error(exc)
            except Conflict as exc:
                form.add_error(None, exc.message)
                status = 409
            else:
                messages.success(request, f"Added “{data['title']}” to the design.")
                return redirect(solution)
    return render(
        request,
        "architecture/solution_form.html",
        {
            "form": form,
            "item": solution,
            "heading": f"Add an element to “{solution.title}”",
            "button": "Add the element",
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def solution_addresses(request: HttpRequest, uid: str) -> HttpResponse:
    """Say that the design, or one of its elements, addresses an enterprise principle."""
    solution = _solution(request, uid)
    refused = _require_open_for_authoring(request, solution)
    if refused:
        return refused
    elements = (
        Element.objects.visible_to(request.user)
        .filter(model_id=solution.architecture_id)
        .order_by("title", "id")
    )
    form = AddressesForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        solution=solution,
        elements=elements,
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            principle = form.principles[data["principle"]]
            try:
                solutions.address_principle(
                    actor=request.user,
                    solution=solution,
                    principle=principle,
                    by=form.elements.get(data["by"]) if data["by"] else None,
                    note=data["note"],
                )
            except ValidationError as exc:
                form.add_service_error(exc)
            except Conflict as exc:
                form.add_error(None, exc.message)
                status = 409
            else:
                messages.success(
                    request, f"Recorded that the design addresses “{principle.title}”."
                )
                return redirect(solution)
    return render(
        request,
        "architecture/solution_form.html",
        {
            "form": form,
            "item": solution,
            "heading": f"Say which principle “{solution.title}” addresses",
            "button": "Record it",
        },
        status=status,
    )


urls = [
    path("architecture/solutions", solution_list, name="solution-list"),
    path("architecture/solutions/new", solution_new, name="solution-new"),
    path("k/<str:uid>/sign-off/<str:move>", sign_off_move, name="solution-sign-off"),
    path("k/<str:uid>/solution-elements/new", solution_element_new, name="solution-element-new"),
    path("k/<str:uid>/addresses", solution_addresses, name="solution-addresses"),
]
