"""Pages of the plan: adding objectives and success metrics, and recording measurements."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from orchestrator.core.errors import Conflict, PermissionDenied, ValidationError
from orchestrator.core.selectors import get_visible_item

from . import services
from .forms import MeasurementForm, MetricForm, ObjectiveForm
from .models import Metric, Objective


def _require(request: HttpRequest) -> None:
    if not request.user.has_perm("planning.maintain_plan"):
        raise PermissionDenied(
            "Only the Portfolio Management Team and the Organisation Leader maintain the plan."
        )


@login_required
@require_http_methods(["GET", "POST"])
def new_objective(request: HttpRequest) -> HttpResponse:
    _require(request)
    form = ObjectiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            objective = services.create_objective(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, "Draft objective saved; it is published once triaged.")
            return redirect(objective)
    return render(
        request, "portal/item_form.html", {"form": form, "heading": "Add a strategic objective"}
    )


@login_required
@require_http_methods(["GET", "POST"])
def new_metric(request: HttpRequest) -> HttpResponse:
    _require(request)
    form = MetricForm(request.POST or None, initial={"measures": request.GET.get("measures", "")})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        uid = data.pop("measures")
        try:
            measures = get_visible_item(request.user, uid, Objective) if uid else None
        except Http404:
            form.add_error("measures", "No objective you can see has that identifier.")
        else:
            try:
                metric = services.create_metric(actor=request.user, measures=measures, **data)
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, "Draft metric saved; it is published once triaged.")
                return redirect(metric)
    return render(
        request, "portal/item_form.html", {"form": form, "heading": "Add a success metric"}
    )


@login_required
@require_http_methods(["GET", "POST"])
def measure(request: HttpRequest, uid: str) -> HttpResponse:
    metric = get_visible_item(request.user, uid, Metric)
    _require(request)
    form = MeasurementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_measurement(actor=request.user, metric=metric, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_error(exc)
        except Conflict as exc:
            form.add_error("measured_on", exc.message)
        else:
            messages.success(request, "Measurement recorded.")
            return redirect(metric)
    return render(
        request,
        "portal/item_form.html",
        {"form": form, "item": metric, "heading": f"Record a measurement of “{metric.title}”"},
    )
