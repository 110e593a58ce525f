"""Pages of the Shared Knowledge Base: home, record pages and their editing, withheld register, audit log."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from orchestrator.architecture import selectors as architecture_selectors
from orchestrator.architecture import services as architecture_services
from orchestrator.architecture import solutions as architecture_solutions
from orchestrator.architecture import views_render as architecture_views_render
from orchestrator.core import search, services
from orchestrator.core.errors import Conflict, PermissionDenied, StaleVersion, ValidationError
from orchestrator.core.following import following
from orchestrator.core.models import AuditEvent, Document, Status, Visibility, kind_registry
from orchestrator.core.quality import checks_for
from orchestrator.core.selectors import (
    CHANGED_WINDOWS,
    REDACTED,
    audit_rows,
    get_visible_item,
    history_for,
    links_for,
    public_event,
    redacted_fields,
    triages_for,
    visible_items,
    withheld_register,
)
from orchestrator.core.text import render_markdown
from orchestrator.core.topics import topics_of
from orchestrator.decisions import selectors as decision_selectors
from orchestrator.engagement import selectors as engagement_selectors
from orchestrator.people.models import Organisation
from orchestrator.people.selectors import is_staff, organisation_ids_for
from orchestrator.planning import raid as planning_raid
from orchestrator.planning import roadmap as planning_roadmap
from orchestrator.planning import selectors as planning_selectors

from . import opendata
from .forms import ArchiveForm, DocumentCreateForm, LinkForm, TriageForm, edit_form_for

PAGE_SIZE = 25

# What a kind's page shows beyond the common record: its template, and the selector that gives it
# (only records the viewer may see) its context.
KIND_PANELS = {
    "submission": ("kinds/submission.html", engagement_selectors.panel),
    "metric": ("kinds/metric.html", planning_selectors.metric_panel),
    "objective": ("kinds/objective.html", planning_selectors.objective_panel),
    "investment": ("kinds/investment.html", planning_selectors.investment_panel),
    "plan_version": ("kinds/plan_version.html", planning_selectors.plan_version_panel),
    "milestone": ("kinds/milestone.html", planning_roadmap.milestone_panel),
    "risk": ("kinds/risk.html", planning_raid.risk_panel),
    "issue": ("kinds/issue.html", planning_raid.issue_panel),
    "assumption": ("kinds/assumption.html", planning_raid.assumption_panel),
    "dependency": ("kinds/dependency.html", planning_raid.dependency_panel),
    "architecture_model": ("kinds/architecture_model.html", architecture_selectors.model_panel),
    "element": ("kinds/element.html", architecture_selectors.element_panel),
    "principle": ("kinds/element.html", architecture_selectors.element_panel),
    "constraint": ("kinds/element.html", architecture_selectors.element_panel),
    "requirement": ("kinds/element.html", architecture_selectors.element_panel),
    "solution_architecture": ("kinds/solution_architecture.html", architecture_solutions.panel),
    "architecture_view": ("kinds/architecture_view.html", architecture_views_render.view_panel),
    "decision": ("kinds/decision.html", decision_selectors.decision_panel),
    "recommendation": ("kinds/recommendation.html", decision_selectors.recommendation_panel),
    "consultation_response": (
        "kinds/consultation_response.html",
        decision_selectors.response_panel,
    ),
    "board_opinion": ("kinds/board_opinion.html", decision_selectors.opinion_panel),
}


def paginate(request: HttpRequest, queryset, per_page: int = PAGE_SIZE):
    """The page of `queryset` the request asks for; a bad or out-of-range number gives a real page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def home(request: HttpRequest) -> HttpResponse:
    visible = visible_items(request.user)
    kinds = kind_registry()
    by_kind = [
        (kinds[row["kind"]].KIND_PLURAL if row["kind"] in kinds else row["kind"], row["n"])
        for row in visible.values("kind").annotate(n=Count("pk")).order_by("kind")
    ]
    # Stakeholders' submissions have their own page (/engagement); the knowledge base leads here.
    recent = (
        visible.filter(status="published")
        .exclude(kind="submission")
        .select_related("owner")
        .order_by("-published_at", "-id")[:10]
    )
    drafts = (
        visible.filter(status="draft").select_related("owner")[:10]
        if request.user.is_authenticated
        else []
    )
    return render(
        request,
        "portal/home.html",
        {
            "by_kind": by_kind,
            "recent": recent,
            "drafts": drafts,
            "can_create": request.user.has_perm("core.create_item"),
            "work": _work(request),
        },
    )


def _work(request: HttpRequest) -> list[tuple[str, str, int | None]]:
    """Links to the queues and pages of the viewer's own work."""
    user = request.user
    if not user.is_authenticated:
        return []
    work: list[tuple[str, str, int | None]] = []
    if user.has_perm("engagement.triage_submission"):
        waiting = engagement_selectors.triage_queue(user).count()
        work.append(("Submissions to resolve", reverse("engagement:queue"), waiting))
    if user.has_perm("core.review_quality"):
        work.append(("Records that fall short of the standard", reverse("portal:quality"), None))
    if user.has_perm("core.curate_topics"):
        work.append(("Topics", reverse("portal:topics"), None))
    work.append(("Your submissions", reverse("engagement:mine"), None))
    work.append(("What you follow", reverse("portal:following"), None))
    return work


@opendata.negotiated
def item_detail(request: HttpRequest, uid: str) -> HttpResponse:
    item = get_visible_item(request.user, uid)
    hidden = redacted_fields(request.user, item)
    kind_fields = [
        (
            item._meta.get_field(name).verbose_name,
            REDACTED if name in hidden else getattr(item, name),
        )
        for name in item.kind_model.TEXT_FIELDS
        if getattr(item, name)
    ]
    context = {
        "item": item,
        "summary": REDACTED if "summary" in hidden else item.summary,
        "body_html": "" if "body" in hidden else render_markdown(item.body),
        "body_redacted": "body" in hidden,
        "kind_fields": kind_fields,
        "links": links_for(request.user, item),
        "history": audit_rows(request.user, list(history_for(item))),
        "triages": triages_for(item) if is_staff(request.user) else [],
        "triage": item.current_triage,
        "can_edit": request.user.has_perm("core.change_item", item),
        "can_triage": request.user.has_perm("core.triage_item", item),
        "can_publish": request.user.has_perm("core.publish_item", item),
        "can_link": request.user.has_perm("core.link_items", item),
        "topics": list(topics_of(item)),
        "can_curate": request.user.has_perm("core.curate_topics"),
        "can_raise": request.user.has_perm("engagement.raise_submission"),
        "is_following": following(request.user, item=item) is not None,
    }
    if context["can_edit"] or request.user.has_perm("core.review_quality"):
        context["quality_checks"] = checks_for(request.user, item)
    if item.kind in KIND_PANELS:
        template, panel_context = KIND_PANELS[item.kind]
        context.update(panel_context(request.user, item), kind_panel=template)
    return render(request, "portal/item_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def item_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("core.create_item"):
        raise PermissionDenied("Only contributors to the knowledge base can add records.")
    organisations = (
        Organisation.objects.all()
        if is_staff(request.user)
        else Organisation.objects.filter(pk__in=organisation_ids_for(request.user))
    )
    form = DocumentCreateForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.create_item(
                actor=request.user,
                owner=data["owner"],
                model=Document,
                title=data["title"],
                summary=data["summary"],
                body=data["body"],
                fields={"document_type": data["document_type"], "subject": data["subject"]},
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, "Draft saved. It is seen only by you, its owner and staff.")
            return redirect(item)
    return render(request, "portal/item_form.html", {"form": form, "heading": "Add a document"})


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, uid: str) -> HttpResponse:
    item = get_visible_item(request.user, uid)
    if not request.user.has_perm("core.change_item", item):
        raise PermissionDenied("You cannot edit this record.")
    own = item.kind_model.EDIT_FIELDS
    initial = {
        "title": item.title,
        "summary": item.summary,
        "body": item.body,
        "subject": item.subject,
        "version": item.version,
        **{name: getattr(item, name) for name in own},
    }
    form = edit_form_for(item.kind_model)(request.POST or None, initial=initial)
    newer = None
    conflict = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {k: data[k] for k in ("title", "summary", "body", "subject")}
        # A kind's own field left out of the form (an older form, a script) keeps its value.
        changes.update({k: data[k] for k in own if k in form.data})
        try:
            services.update_item(
                item=item, actor=request.user, version=data["version"], changes=changes
            )
        except StaleVersion as exc:
            # Keep what they typed, show what is stored now, and let them save over the newer one.
            newer = exc.current
            form.add_error(None, exc.message)
            form.data = form.data.copy()
            form.data["version"] = newer.version
        except ValidationError as exc:
            form.add_service_error(exc)
        except Conflict as exc:
            conflict = True
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Changes saved.")
            return redirect(item)
    status = 409 if newer is not None or conflict else 200
    return render(
        request,
        "portal/item_form.html",
        {"form": form, "item": item, "newer": newer, "heading": f"Edit “{item.title}”"},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_triage(request: HttpRequest, uid: str) -> HttpResponse:
    item = get_visible_item(request.user, uid)
    if not request.user.has_perm("core.triage_item", item):
        raise PermissionDenied("Only Research & Engagement triage records.")
    redactable = ["summary", "body", *item.kind_model.TEXT_FIELDS]
    form = TriageForm(request.POST or None, redactable=redactable)
    # A model's draft elements and views (an architect's import) may take the model's triage.
    contents = (
        architecture_services.draft_contents(item) if item.kind == "architecture_model" else []
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        service = services.triage_item if item.is_draft else services.retriage_item
        triage = {
            "outcome": data["outcome"],
            "sensitivities": form.sensitivities(),
            "rationale": data["rationale"],
            "review_by": data["review_by"],
            "restricted_to": list(data["restricted_to"]),
            "title_public": data["title_public"],
        }
        try:
            with transaction.atomic():
                service(
                    item=item,
                    actor=request.user,
                    redacted_fields=data["redacted_fields"],
                    **triage,
                )
                if contents and request.POST.get("contents") == "yes":
                    architecture_services.triage_contents(actor=request.user, model=item, **triage)
        except ValidationError as exc:
            form.add_service_error(exc)
        except Conflict as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Triage recorded: {item.get_visibility_display()}.")
            return redirect(item)
    untriaged = sum(1 for c in contents if c.current_triage_id is None)
    return render(
        request, "portal/item_triage.html", {"form": form, "item": item, "contents": untriaged}
    )


@login_required
@require_POST
def item_publish(request: HttpRequest, uid: str) -> HttpResponse:
    item = get_visible_item(request.user, uid)
    try:
        with transaction.atomic():
            services.publish_item(item=item, actor=request.user)
            if item.kind == "architecture_model" and request.POST.get("contents") == "yes":
                architecture_services.publish_contents(actor=request.user, model=item)
    except Conflict as exc:
        messages.error(request, exc.message)
        return redirect(item)
    messages.success(request, "Published.")
    return redirect(item)


@login_required
@require_http_methods(["GET", "POST"])
def item_archive(request: HttpRequest, uid: str) -> HttpResponse:
    item = get_visible_item(request.user, uid)
    if not request.user.has_perm("core.publish_item", item):
        raise PermissionDenied("Only Research & Engagement archive records.")
    form = ArchiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.archive_item(item=item, actor=request.user, reason=form.cleaned_data["reason"])
        except Conflict as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Archived.")
            return redirect(item)
    return render(
        request,
        "portal/item_form.html",
        {"form": form, "item": item, "heading": f"Archive “{item.title}”"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_link(request: HttpRequest, uid: str) -> HttpResponse:
    item = get_visible_item(request.user, uid)
    if not request.user.has_perm("core.link_items", item):
        raise PermissionDenied("Only contributors to the knowledge base can link records.")
    form = LinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # The target is looked up as the actor sees it: a record they cannot see cannot be linked.
            target = get_visible_item(request.user, data["target"])
            services.link_items(
                source=item,
                target=target,
                relation=data["relation"],
                actor=request.user,
                note=data["note"],
            )
        except Http404:
            form.add_error("target", "No record you can see has that identifier.")
        except ValidationError as exc:
            form.add_service_error(exc)
        except Conflict as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Linked to “{target.title}”.")
            return redirect(item)
    return render(
        request,
        "portal/item_form.html",
        {"form": form, "item": item, "heading": f"Link “{item.title}” to another record"},
    )


SEARCH_FACETS = (
    ("kind", "Kind"),
    ("owner", "Owner"),
    ("visibility", "Visibility"),
    ("status", "Status"),
    ("changed", "Last changed"),
)


def search_page(request: HttpRequest) -> HttpResponse:
    """Search every record the viewer may see; narrow by kind, owner, visibility and status."""
    q = request.GET.get("q", "")[: search.MAX_QUERY_LENGTH]
    chosen = {name: request.GET.get(name, "") for name, _ in SEARCH_FACETS}
    filters = {
        "kind": chosen["kind"],
        "owner__slug": chosen["owner"],
        "visibility": chosen["visibility"],
        "status": chosen["status"],
        "changed": chosen["changed"],
    }
    # Ranked, counted and faceted in bounded time; counts are estimates for very broad queries.
    results = search.results(request.user, q, filters)
    facets = _facets(results, chosen)
    page = paginate(request, results, 20)
    hidden = {item.pk: redacted_fields(request.user, item) for item in page.object_list}
    hits = [
        {
            "item": item,
            "title": search.highlight(item.title, q, length=300),
            "snippet": search.highlight(
                " ".join(getattr(item, f) for f in ("summary", "body") if f not in hidden[item.pk]),
                q,
            ),
        }
        for item in page.object_list
    ]
    params = {k: v for k, v in {"q": q, **chosen}.items() if v}
    return render(
        request,
        "portal/search.html",
        {
            "q": q,
            "page_obj": page,
            "hits": hits,
            "facets": facets,
            "chosen": chosen,
            "query_string": urlencode(params),
            "filtered": any(chosen.values()),
            "searched": bool(search.terms(q)),
            "exact": results.exact,
            "facets_exact": results.facets_exact,
            "candidates": search.CANDIDATES,
        },
    )


# Each facet lists its most frequent values (and the one chosen): a broad search has hundreds of owners.
FACET_LIMIT = 10


def _facets(results, chosen: dict[str, str]) -> list[tuple[str, str, list[tuple], int]]:
    """For each facet, its most frequent values among the results with counts (all of them
    visible records), and how many other values there are."""
    kinds = kind_registry()
    labels = {
        "kind": lambda v: kinds[v].KIND_PLURAL if v in kinds else v,
        "visibility": lambda v: dict(Visibility.choices).get(v, v),
        "status": lambda v: dict(Status.choices).get(v, v),
        "changed": lambda v: {name: label for name, label, _ in CHANGED_WINDOWS}.get(v, v),
    }
    out = []
    counted = results.facets()
    for name, heading in SEARCH_FACETS:
        every = counted["owner__slug" if name == "owner" else name]
        rows = every[:FACET_LIMIT] + [r for r in every[FACET_LIMIT:] if r[0] == chosen[name]]
        if name == "owner":
            names = dict(
                Organisation.objects.filter(slug__in=[v for v, _ in rows]).values_list(
                    "slug", "name"
                )
            )
            values = [(v, names.get(v, v), n) for v, n in rows]
        else:
            values = [(v, labels[name](v), n) for v, n in rows]
        values = [(v, label, n, chosen[name] == v) for v, label, n in values]
        out.append((name, heading, values, len(every) - len(rows)))
    return out


def withheld(request: HttpRequest) -> HttpResponse:
    page = paginate(request, withheld_register())
    seen = set(
        visible_items(request.user)
        .filter(pk__in=[i.pk for i in page.object_list])
        .values_list("pk", flat=True)
    )
    return render(request, "portal/withheld.html", {"page_obj": page, "seen": seen})


def audit_log(request: HttpRequest) -> HttpResponse:
    events = AuditEvent.objects.select_related("actor").order_by("-seq")
    seq = request.GET.get("seq", "")
    if seq.isdigit() and len(seq) <= 18:  # a number the database can hold
        # Start the page at the event asked for (linked from a record's history).
        events = events.filter(seq__lte=int(seq))
    page = paginate(request, events, 50)
    rows = audit_rows(request.user, list(page.object_list))
    return render(request, "portal/audit.html", {"page_obj": page, "rows": rows})


def audit_jsonl(request: HttpRequest) -> StreamingHttpResponse:
    """The whole chain as JSON Lines, oldest first: anyone can verify it with docs/audit.md."""
    user = request.user

    def lines() -> Iterator[str]:
        chunk: list[AuditEvent] = []
        for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
            chunk.append(event)
            if len(chunk) == 2000:
                yield from _jsonl(user, chunk)
                chunk = []
        yield from _jsonl(user, chunk)

    response = StreamingHttpResponse(lines(), content_type="application/x-ndjson; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="audit.jsonl"'
    return response


def _jsonl(user, events: list[AuditEvent]) -> Iterator[str]:
    for row in audit_rows(user, events):
        yield json.dumps(public_event(row), ensure_ascii=False, sort_keys=True) + "\n"


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return HttpResponse('{"detail": "Not found"}', status=404, content_type="application/json")
    return render(
        request,
        "portal/error.html",
        {
            "title": "Page not found",
            "message": "If you typed the web address, check it is correct. The record may "
            "not exist, or you may need to sign in to see it.",
        },
        status=404,
    )


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if exception else "You do not have permission to do this."
    return render(
        request,
        "portal/error.html",
        {"title": "You cannot do this", "message": message},
        status=403,
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        message = "What you sent is larger than 1 MB. Make the text shorter, or link to it instead."
    else:
        message = "The request could not be understood."
    if request.path.startswith("/api/"):
        return HttpResponse(
            json.dumps({"detail": message}), status=400, content_type="application/json"
        )
    return render(
        request, "portal/error.html", {"title": "Bad request", "message": message}, status=400
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/error.html",
        {"title": "Sorry, there is a problem", "message": "Try again later."},
        status=500,
    )
