"""Pages of the enterprise architecture: /architecture, elements, states and gap analysis."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods, require_POST

from orchestrator.core.errors import Conflict, PermissionDenied, ValidationError
from orchestrator.core.selectors import get_visible_item
from orchestrator.portal.refusals import refusal

from . import selectors, services
from .forms import DesignateForm, ElementForm, ModelForm, RelationshipForm, StateForm
from .models import ArchitectureModel, Element, State


def architecture_home(request: HttpRequest) -> HttpResponse:
    return render(request, "architecture/home.html", selectors.shared_estate(request.user))


def _form_page(request, form, heading: str, item=None, status: int = 200) -> HttpResponse:
    return render(
        request,
        "portal/item_form.html",
        {"form": form, "heading": heading, "item": item},
        status=400 if request.method == "POST" else status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def new_model(request: HttpRequest) -> HttpResponse:
    services.require_maintainer(request.user)
    form = ModelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        from orchestrator.people.selectors import current_appointments

        appointments = current_appointments(request.user)
        if not appointments:
            raise PermissionDenied("You hold no appointment to an organisation that could own it.")
        try:
            model = services.create_model(
                actor=request.user, owner=appointments[0].organisation, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        except Conflict as exc:
            form.add_error("identifier", exc.message)
        else:
            messages.success(request, "Draft model saved; it is published once triaged.")
            return redirect(model)
    return _form_page(request, form, "Start an architecture model")


@login_required
@require_http_methods(["GET", "POST"])
def new_element(request: HttpRequest, uid: str) -> HttpResponse:
    model = get_visible_item(request.user, uid, ArchitectureModel)
    services.require_maintainer(request.user, model)
    form = ElementForm(request.POST or None, initial={"archimate_type": request.GET.get("type")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = form.kind_fields()
        source_uid = (data.get("source") or "").strip()
        if source_uid and data["archimate_type"] == "Requirement":
            try:
                fields["source_record"] = get_visible_item(request.user, source_uid)
            except Http404:
                form.add_error("source", "No record you can see has that identifier.")
        if form.is_valid():
            try:
                element = services.create_element(
                    actor=request.user,
                    model=model,
                    archimate_type=data["archimate_type"],
                    title=data["title"],
                    summary=data["summary"],
                    body=data["body"],
                    fields=fields,
                )
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, "Draft element saved; it is published once triaged.")
                return redirect(element)
    return _form_page(request, form, f"Add an element to “{model.title}”", model)


@login_required
@require_http_methods(["GET", "POST"])
def new_relationship(request: HttpRequest, uid: str) -> HttpResponse:
    source = get_visible_item(request.user, uid, Element)
    services.require_maintainer(request.user, source.model)
    form = RelationshipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            target = get_visible_item(request.user, data["target"].strip(), Element)
        except Http404:
            form.add_error("target", "No element you can see has that identifier.")
        else:
            try:
                services.relate(
                    actor=request.user,
                    source=source,
                    target=target,
                    type=data["type"],
                    name=data["name"],
                    access_type=data["access_type"],
                    modifier=data["modifier"],
                )
            except ValidationError as exc:
                form.add_service_error(exc)
            except Conflict as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, "Relationship added.")
                return redirect(source)
    return _form_page(request, form, f"Relate “{source.title}” to another element", source)


@login_required
@require_http_methods(["GET", "POST"])
def new_state(request: HttpRequest, uid: str) -> HttpResponse:
    model = get_visible_item(request.user, uid, ArchitectureModel)
    services.require_maintainer(request.user, model)
    form = StateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_state(actor=request.user, model=model, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_error(exc)
        except Conflict as exc:
            form.add_error("name", exc.message)
        else:
            messages.success(request, "State added.")
            return redirect(model)
    return _form_page(request, form, f"Add a state to “{model.title}”", model)


@login_required
@require_POST
def element_states(request: HttpRequest, uid: str) -> HttpResponse:
    """Set which of its model's states an element belongs to (the checkboxes on its page)."""
    element = get_visible_item(request.user, uid, Element)
    services.require_maintainer(request.user, element.model)
    chosen = set(request.POST.getlist("states"))
    states = list(State.objects.filter(model_id=element.model_id))
    if not chosen <= {str(s.pk) for s in states}:
        return refusal(
            request,
            title="Bad request",
            message="Choose states of this element's model.",
            status=400,
            record=element,
        )
    member_of = set(element.states.values_list("pk", flat=True))
    for state in states:
        wanted = str(state.pk) in chosen
        if wanted != (state.pk in member_of):
            services.place_in_state(
                actor=request.user, state=state, elements=[element], remove=not wanted
            )
    messages.success(request, "States saved.")
    return redirect(element)


@login_required
@require_http_methods(["GET", "POST"])
def designate(request: HttpRequest, uid: str) -> HttpResponse:
    element = get_visible_item(request.user, uid, Element)
    if not request.user.has_perm("architecture.designate"):
        raise PermissionDenied(
            "Only the Product Team decide what is and is not shared digital infrastructure."
        )
    form = DesignateForm(
        request.POST or None,
        initial={
            "designation": element.sdi_designation,
            "decision": element.designated_by.uid if element.designated_by_id else "",
        },
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and form.designate(
            request.user,
            lambda designation, decision: services.designate(
                actor=request.user, element=element, designation=designation, decision=decision
            ),
        )
    ):
        messages.success(request, "Designation saved.")
        return redirect(element)
    return _form_page(request, form, f"Designate “{element.title}”", element)


def _state(model: ArchitectureModel, value: str | None) -> State | None:
    if not value or not (value.isascii() and value.isdigit()) or len(value) > 18:
        return None
    return State.objects.filter(model=model, pk=int(value)).first()


def gap(request: HttpRequest, uid: str) -> HttpResponse:
    """Gap analysis: what is added, removed and changed between two states of a model."""
    model = get_visible_item(request.user, uid, ArchitectureModel)
    states = list(State.objects.filter(model=model).order_by("position", "pk"))
    before_param, after_param = request.GET.get("before"), request.GET.get("after")
    before, after = _state(model, before_param), _state(model, after_param)
    errors = {}
    if before_param is not None and before is None:
        errors["before"] = "Choose one of the model's states."
    if after_param is not None and after is None:
        errors["after"] = "Choose one of the model's states."
    if before is None and after is None and not errors and len(states) >= 2:
        before, after = states[0], states[-1]
    result = None
    if before and after and not errors:
        result = selectors.gap_analysis(request.user, before=before, after=after)
    return render(
        request,
        "architecture/gap.html",
        {
            "architecture_model": model,
            "states": states,
            "before": before,
            "after": after,
            "errors": errors,
            "gap": result,
        },
        status=400 if errors else 200,
    )


@login_required
@require_POST
def publish_contents(request: HttpRequest, uid: str) -> HttpResponse:
    model = get_visible_item(request.user, uid, ArchitectureModel)
    n = services.publish_contents(actor=request.user, model=model)
    messages.success(request, f"Published {n} of the model's records.")
    return redirect(model)


urls = [
    path("architecture", architecture_home, name="home"),
    path("architecture/models/new", new_model, name="new-model"),
    path("k/<str:uid>/elements/new", new_element, name="new-element"),
    path("k/<str:uid>/relationships/new", new_relationship, name="new-relationship"),
    path("k/<str:uid>/states/new", new_state, name="new-state"),
    path("k/<str:uid>/states", element_states, name="element-states"),
    path("k/<str:uid>/designate", designate, name="designate"),
    path("k/<str:uid>/gap", gap, name="gap"),
    path("k/<str:uid>/publish-contents", publish_contents, name="publish-contents"),
]
