"""Pages of the plan: adding its records, RACI, measures, and its versions and their differences."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from orchestrator.architecture.forms import DesignateForm
from orchestrator.core.errors import Conflict, PermissionDenied, ValidationError
from orchestrator.core.models import Item
from orchestrator.core.selectors import get_visible_item
from orchestrator.people.models import Organisation, Role
from orchestrator.people.selectors import current_appointments

from . import selectors, services
from .forms import (
    ActivityForm,
    AssignmentForm,
    AssumptionForm,
    DependencyForm,
    FeatureForm,
    InvestmentForm,
    IssueForm,
    MeasurementForm,
    MetricForm,
    MilestoneForm,
    ObjectiveForm,
    PlanVersionForm,
    RaidDependencyForm,
    RiskForm,
    split_uids,
)
from .models import Activity, Investment, Metric, Milestone, Objective, Phase, Raci, Risk


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


def _resolve(request: HttpRequest, form, name: str, model, what: str):
    """The visible record a form field names by uid, or None with a form error."""
    uid = (form.cleaned_data.get(name) or "").strip()
    if not uid:
        return None
    try:
        return get_visible_item(request.user, uid, model)
    except Http404:
        form.add_error(name, f"No {what} you can see has the identifier “{uid}”.")
        return None


def _resolve_many(request: HttpRequest, form, name: str, model, what: str) -> list:
    found = []
    for uid in split_uids(form.cleaned_data.get(name) or ""):
        try:
            found.append(get_visible_item(request.user, uid, model))
        except Http404:
            form.add_error(name, f"No {what} you can see has the identifier “{uid}”.")
    return found


def _form_page(request, form, heading: str, item=None, status: int = 200) -> HttpResponse:
    return render(
        request,
        "portal/item_form.html",
        {"form": form, "heading": heading, "item": item},
        status=status,
    )


def _create(request, form, heading: str, build) -> HttpResponse:
    """Run `build(data)` (which calls a service) on a valid form; show its errors on the form."""
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            created = build(data)
        except ValidationError as exc:
            form.add_service_error(exc)
        except Conflict as exc:
            form.add_error(None, exc.message)
        else:
            if created is not None:
                messages.success(request, "Saved as a draft; it is published once triaged.")
                return redirect(created)
    return _form_page(request, form, heading, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def new_investment(request: HttpRequest) -> HttpResponse:
    _require(request)
    form = InvestmentForm(request.POST or None)

    def build(data):
        designated_by = _resolve(request, form, "designated_by", None, "decision")
        objectives = _resolve_many(request, form, "objectives", Objective, "objective")
        metrics = _resolve_many(request, form, "metrics", Metric, "metric")
        if form.errors:
            return None
        return services.create_investment(
            actor=request.user,
            owner=data["owner"],
            title=data["title"],
            summary=data["summary"],
            body=data["body"],
            purpose=data["purpose"],
            capabilities=data["capabilities"],
            phase=data["phase"],
            phase_dates={p: data[f"{p}_began"] for p in Phase.values if data[f"{p}_began"]},
            cost_low=data["cost_low"],
            cost_high=data["cost_high"],
            cost_confidence=data["cost_confidence"],
            technical_details_url=data["technical_details_url"],
            designated_sdi=data["designated_sdi"],
            left_to_market=data["left_to_market"],
            designated_by=designated_by,
            objectives=objectives,
            metrics=metrics,
        )

    return _create(request, form, "Add an investment", build)


@login_required
@require_http_methods(["GET", "POST"])
def new_milestone(request: HttpRequest) -> HttpResponse:
    _require(request)
    form = MilestoneForm(
        request.POST or None, initial={"investment": request.GET.get("investment")}
    )

    def build(data):
        investment = _resolve(request, form, "investment", Investment, "investment")
        depends_on = _resolve_many(request, form, "depends_on", Milestone, "milestone")
        if form.errors:
            return None
        return services.create_milestone(
            actor=request.user,
            investment=investment,
            title=data["title"],
            summary=data["summary"],
            phase=data["phase"],
            planned_on=data["planned_on"],
            forecast_on=data["forecast_on"],
            actual_on=data["actual_on"],
            depends_on=depends_on,
        )

    return _create(request, form, "Add a milestone", build)


@login_required
@require_http_methods(["GET", "POST"])
def add_dependency(request: HttpRequest, uid: str) -> HttpResponse:
    milestone = get_visible_item(request.user, uid, Milestone)
    _require(request)
    form = DependencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        prerequisite = _resolve(request, form, "prerequisite", Milestone, "milestone")
        if prerequisite is not None:
            try:
                services.add_milestone_dependency(
                    actor=request.user, milestone=milestone, prerequisite=prerequisite
                )
            except ValidationError as exc:
                form.add_error("prerequisite", exc.message_dict.get("depends_on", exc.messages))
            except Conflict as exc:
                form.add_error("prerequisite", exc.message)
            else:
                messages.success(request, f"“{milestone.title}” now depends on “{prerequisite}”.")
                return redirect(milestone)
    return _form_page(
        request,
        form,
        f"What “{milestone.title}” depends on",
        item=milestone,
        status=400 if form.errors else 200,
    )


def _raid_common(request, form, data) -> dict | None:
    investment = _resolve(request, form, "investment", Investment, "investment")
    return {
        "actor": request.user,
        "owner": data["owner"],
        "title": data["title"],
        "summary": data["summary"],
        "body": data["body"],
        "investment": investment,
        "managed_by": data["managed_by"],
        "review_on": data["review_on"],
    }


RAID_FORMS = {
    "risks": (RiskForm, "Add a risk"),
    "issues": (IssueForm, "Add an issue"),
    "assumptions": (AssumptionForm, "Add an assumption"),
    "dependencies": (RaidDependencyForm, "Add a dependency"),
}


@login_required
@require_http_methods(["GET", "POST"])
def new_raid_entry(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in RAID_FORMS:
        raise Http404("No such part of the RAID log.")
    _require(request)
    form_class, heading = RAID_FORMS[kind]
    form = form_class(request.POST or None, initial={"investment": request.GET.get("investment")})

    def build(data):
        common = _raid_common(request, form, data)
        if kind == "risks":
            return services.create_risk(
                cause=data["cause"],
                event=data["event"],
                effect=data["effect"],
                likelihood=data["likelihood"],
                impact=data["impact"],
                proximity=data["proximity"],
                mitigation=data["mitigation"],
                residual_likelihood=data["residual_likelihood"] or None,
                residual_impact=data["residual_impact"] or None,
                identified_on=data["identified_on"],
                **common,
            )
        if kind == "issues":
            foreseen_by = _resolve(request, form, "foreseen_by", Risk, "risk")
            if form.errors:
                return None
            return services.create_issue(
                occurred_on=data["occurred_on"],
                severity=data["severity"],
                resolution=data["resolution"],
                foreseen_by=foreseen_by,
                **common,
            )
        if form.errors:
            return None
        if kind == "assumptions":
            return services.create_assumption(test=data["test"], **common)
        return services.create_dependency(
            external=data["external"],
            on_organisation=data["on_organisation"],
            need_by=data["need_by"],
            **common,
        )

    return _create(request, form, heading, build)


@login_required
@require_http_methods(["GET", "POST"])
def new_feature(request: HttpRequest, uid: str) -> HttpResponse:
    investment = get_visible_item(request.user, uid, Investment)
    _require(request)
    form = FeatureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_feature(actor=request.user, investment=investment, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_error(exc)
        except Conflict as exc:
            form.add_error("name", exc.message)
        else:
            messages.success(request, "Feature added.")
            return redirect(investment)
    return _form_page(
        request,
        form,
        f"Add a feature to “{investment.title}”",
        item=investment,
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def designate_investment(request: HttpRequest, uid: str) -> HttpResponse:
    """The Product Team say an investment is shared digital infrastructure, or left to the
    market, or not yet decided — as they designate an architecture element."""
    investment = get_visible_item(request.user, uid, Investment)
    if not request.user.has_perm("planning.designate"):
        raise PermissionDenied(
            "Only the Product Team decide what is and is not shared digital infrastructure."
        )
    current = (
        "shared"
        if investment.designated_sdi
        else "market"
        if investment.left_to_market
        else "undecided"
    )
    # The decision it names now, as its uid, only if the designer may see it.
    named = (
        Item.objects.visible_to(request.user)
        .filter(pk=investment.designated_by_id)
        .values_list("uid", flat=True)
        .first()
        if investment.designated_by_id
        else None
    )
    form = DesignateForm(
        request.POST or None, initial={"designation": current, "decision": named or ""}
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and form.designate(
            request.user,
            lambda designation, decision: services.designate_investment(
                actor=request.user,
                investment=investment,
                designation=designation,
                decision=decision,
            ),
        )
    ):
        messages.success(request, "Designation saved.")
        return redirect(investment)
    return _form_page(
        request,
        form,
        f"Designate “{investment.title}”",
        item=investment,
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def new_activity(request: HttpRequest) -> HttpResponse:
    _require(request)
    uid = request.GET.get("investment") or request.POST.get("investment") or ""
    investment = get_visible_item(request.user, uid, Investment) if uid else None
    form = ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.add_activity(
                actor=request.user,
                investment=investment,
                name=form.cleaned_data["name"],
                work_area="" if investment else form.cleaned_data["work_area"],
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, "Activity added; now say who is accountable for it.")
            return redirect("planning:assign", activity=activity.pk)
    heading = f"Add an activity to “{investment.title}”" if investment else "Add an activity"
    return _form_page(request, form, heading, item=investment, status=400 if form.errors else 200)


def _visible_activity(request: HttpRequest, pk: int) -> Activity:
    activity = selectors.activities_of(request.user).filter(pk=pk).first()
    if activity is None:
        raise Http404("No such activity.")
    return activity


@login_required
@require_http_methods(["GET", "POST"])
def assign(request: HttpRequest, activity: int) -> HttpResponse:
    activity = _visible_activity(request, activity)
    _require(request)
    form = AssignmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.assign(actor=request.user, activity=activity, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_error(exc)
        except Conflict as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Part assigned.")
            return redirect(activity.investment or "planning:responsibilities")
    return render(
        request,
        "planning/assign.html",
        {"form": form, "activity": activity, "row": selectors.raci_rows([activity])[0]},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["POST"])
def unassign(request: HttpRequest, activity: int, assignment: int) -> HttpResponse:
    activity = _visible_activity(request, activity)
    _require(request)
    found = activity.assignments.filter(pk=assignment).first()
    if found is None:
        raise Http404("No such part.")
    services.unassign(actor=request.user, assignment=found)
    messages.success(request, "Part removed.")
    return redirect("planning:assign", activity=activity.pk)


def responsibilities(request: HttpRequest) -> HttpResponse:
    """Who is responsible for delivering what, across the sector."""
    organisation = None
    slug = request.GET.get("organisation", "")
    problems = []
    if slug:
        # Only a slug-shaped value is looked up (PostgreSQL cannot compare text holding NUL).
        organisation = (
            Organisation.objects.filter(slug=slug).first()
            if re.fullmatch(r"[-a-zA-Z0-9_]{1,200}", slug)
            else None
        )
        if organisation is None:
            problems.append(f"No organisation “{slug[:200]}”: showing every organisation.")
    rows = selectors.responsibilities(request.user, organisation=organisation)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "planning/responsibilities.html",
        {
            "page": page,
            "rows": page.object_list,
            "organisation": organisation,
            "organisations": Organisation.objects.order_by("name"),
            "problems": problems,
            "parts": Raci.choices,
            "can_plan": request.user.has_perm("planning.maintain_plan"),
        },
        status=400 if problems else 200,
    )


def plan(request: HttpRequest) -> HttpResponse:
    """The strategic plan: its objectives and investments, where its parts are, and its versions."""
    versions = list(selectors.plan_versions(request.user))
    return render(
        request,
        "planning/plan.html",
        {
            "versions": versions,
            "objectives": selectors.visible(Objective, request.user).order_by("title")[:20],
            "investments": selectors.visible(Investment, request.user).order_by("title")[:50],
            "can_publish": request.user.has_perm("planning.publish_plan_version"),
            "can_plan": request.user.has_perm("planning.maintain_plan"),
        },
    )


def _leader_organisation(user) -> Organisation:
    """The organisation a plan version is filed under: the Organisation Leader's."""
    appointments = current_appointments(user)
    for appointment in appointments:
        if appointment.role == Role.ORGANISATION_LEADER:
            return appointment.organisation
    if appointments:
        return appointments[0].organisation
    raise PermissionDenied("You need a current appointment to publish a version of the plan.")


@login_required
@require_http_methods(["GET", "POST"])
def new_plan_version(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("planning.publish_plan_version"):
        raise PermissionDenied("Only the Organisation Leader publishes versions of the plan.")
    form = PlanVersionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        owner = _leader_organisation(request.user)
        try:
            version = services.create_plan_version(
                actor=request.user, owner=owner, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(
                request,
                f"Version {version.number} snapshotted; it is published once triaged, and "
                "cannot change after that.",
            )
            return redirect(version)
    return _form_page(
        request, form, "Publish a version of the plan", status=400 if form.errors else 200
    )


def compare_plan(request: HttpRequest) -> HttpResponse:
    """What changed between two versions of the plan."""
    versions = selectors.plan_versions(request.user)
    numbers = {}
    for name in ("from", "to"):
        raw = request.GET.get(name, "")
        # Plain ASCII digits, short enough for the column: "²" is a digit to Python, not to int().
        if not (raw.isascii() and raw.isdigit() and len(raw) <= 9):
            return render(
                request,
                "planning/plan.html",
                {"versions": list(versions), "problem": "Choose two versions to compare."},
                status=400,
            )
        numbers[name] = int(raw)
    older = versions.filter(number=numbers["from"]).first()
    newer = versions.filter(number=numbers["to"]).first()
    if older is None or newer is None:
        raise Http404("No such version of the plan.")
    if older.number > newer.number:
        older, newer = newer, older
    return render(
        request,
        "planning/compare.html",
        {"older": older, "newer": newer, "diff": selectors.plan_diff(older, newer)},
    )
