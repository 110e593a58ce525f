"""Browsing the knowledge base: by kind, by organisation, by topic, and what changed recently."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from orchestrator.core import topics as topic_services
from orchestrator.core.errors import Conflict, PermissionDenied, ValidationError
from orchestrator.core.following import following
from orchestrator.core.models import Item, Link, Relation, Topic, kind_registry
from orchestrator.core.selectors import (
    CHANGED_WINDOWS,
    changed_since,
    get_visible_item,
    visible_items,
)
from orchestrator.people.models import Organisation

from .forms import FileUnderTopicForm, TopicForm
from .views import paginate


def _listing(queryset):
    return queryset.select_related("owner").order_by("-updated_at", "-id")


def browse(request: HttpRequest) -> HttpResponse:
    """Every way into the knowledge base: kinds, topics, organisations, recent changes."""
    visible = visible_items(request.user)
    kinds = kind_registry()
    by_kind = [
        (row["kind"], kinds[row["kind"]].KIND_PLURAL, row["n"])
        for row in visible.order_by().values("kind").annotate(n=Count("pk")).order_by("kind")
        if row["kind"] in kinds
    ]
    owners = (
        Organisation.objects.annotate(n=Count("owned_items", filter=Q(owned_items__in=visible)))
        .filter(n__gt=0)
        .order_by("name")
    )
    return render(
        request,
        "portal/browse.html",
        {
            "by_kind": by_kind,
            "topics": topic_services.topics_with_counts(request.user),
            "owners": owners,
            "can_curate": request.user.has_perm("core.curate_topics"),
        },
    )


def kind_page(request: HttpRequest, kind: str) -> HttpResponse:
    model = kind_registry().get(kind)
    if model is None:
        raise Http404("No such kind of record.")
    page = paginate(request, _listing(visible_items(request.user).filter(kind=kind)))
    return render(
        request,
        "portal/kind.html",
        {
            "kind": kind,
            "model": model,
            "page_obj": page,
            "is_following": following(request.user, kind=kind) is not None,
        },
    )


def organisation_page(request: HttpRequest, slug: str) -> HttpResponse:
    """What an organisation owns, and what its records say it designs and delivers."""
    organisation = get_object_or_404(Organisation, slug=slug)
    visible = visible_items(request.user)
    owned = visible.filter(owner=organisation)
    by_kind = dict(owned.order_by().values_list("kind").annotate(n=Count("pk")))
    kinds = kind_registry()
    chosen = request.GET.get("kind", "")
    listed = owned.filter(kind=chosen) if chosen in kinds else owned
    page = paginate(request, _listing(listed))

    def linked(relation: str) -> list[Item]:
        # Both ends must be visible: the organisation's record and the record it points at.
        target_ids = Link.objects.filter(
            source__in=owned, target__in=visible, relation=relation
        ).values("target_id")
        return list(
            visible.filter(pk__in=target_ids).select_related("owner").order_by("title")[:50]
        )

    return render(
        request,
        "portal/organisation.html",
        {
            "organisation": organisation,
            "by_kind": [
                (k, kinds[k].KIND_PLURAL, n) for k, n in sorted(by_kind.items()) if k in kinds
            ],
            "chosen": chosen if chosen in kinds else "",
            "page_obj": page,
            "query_string": f"kind={chosen}" if chosen in kinds else "",
            "delivers": linked(Relation.DELIVERS),
            "realises": linked(Relation.REALISES),
        },
    )


def recent(request: HttpRequest) -> HttpResponse:
    """Records the viewer may see, most recently changed first; optionally within a window."""
    window = request.GET.get("changed", "")
    since = changed_since(window)
    queryset = visible_items(request.user)
    if since is not None:
        queryset = queryset.filter(updated_at__gte=since)
    page = paginate(request, _listing(queryset))
    return render(
        request,
        "portal/recent.html",
        {
            "page_obj": page,
            "windows": CHANGED_WINDOWS,
            "window": window if since is not None else "",
            "query_string": f"changed={window}" if since is not None else "",
        },
    )


# Topics


def topic_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/topics.html",
        {
            "topics": topic_services.topics_with_counts(request.user),
            "can_curate": request.user.has_perm("core.curate_topics"),
        },
    )


def topic_page(request: HttpRequest, slug: str) -> HttpResponse:
    topic = get_object_or_404(Topic, slug=slug)
    page = paginate(request, _listing(topic_services.items_under(request.user, topic)))
    return render(
        request,
        "portal/topic.html",
        {
            "topic": topic,
            "page_obj": page,
            "is_following": following(request.user, topic=topic) is not None,
            "can_curate": request.user.has_perm("core.curate_topics"),
        },
    )


def _require_curator(request: HttpRequest) -> None:
    if not request.user.has_perm("core.curate_topics"):
        raise PermissionDenied("Only Research & Engagement curate topics.")


@login_required
@require_http_methods(["GET", "POST"])
def topic_create(request: HttpRequest) -> HttpResponse:
    _require_curator(request)
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            topic = topic_services.create_topic(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_error(exc)
        except Conflict as exc:
            form.add_error("name", exc.message)
        else:
            messages.success(request, f"Topic “{topic.name}” created.")
            return redirect(topic)
    return render(request, "portal/item_form.html", {"form": form, "heading": "Add a topic"})


@login_required
@require_http_methods(["GET", "POST"])
def topic_edit(request: HttpRequest, slug: str) -> HttpResponse:
    _require_curator(request)
    topic = get_object_or_404(Topic, slug=slug)
    form = TopicForm(
        request.POST or None, initial={"name": topic.name, "description": topic.description}
    )
    if request.method == "POST" and form.is_valid():
        try:
            topic_services.update_topic(actor=request.user, topic=topic, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_error(exc)
        except Conflict as exc:
            form.add_error("name", exc.message)
        else:
            messages.success(request, "Topic saved.")
            return redirect(topic)
    return render(
        request, "portal/item_form.html", {"form": form, "heading": f"Change “{topic.name}”"}
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_topics(request: HttpRequest, uid: str) -> HttpResponse:
    """File a record under a topic, or take it out of one."""
    item = get_visible_item(request.user, uid)
    _require_curator(request)
    filed = topic_services.topics_of(item)
    form = FileUnderTopicForm(request.POST or None, exclude=filed)
    if request.method == "POST" and "remove" in request.POST:
        topic = get_object_or_404(Topic, slug=request.POST["remove"])
        try:
            topic_services.unfile_item(actor=request.user, item=item, topic=topic)
        except Conflict as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"Taken out of “{topic.name}”.")
        return redirect("portal:item-topics", uid=item.uid)
    if request.method == "POST" and form.is_valid():
        topic = form.cleaned_data["topic"]
        try:
            topic_services.file_item(actor=request.user, item=item, topic=topic)
        except Conflict as exc:
            form.add_error("topic", exc.message)
        else:
            messages.success(request, f"Filed under “{topic.name}”.")
            return redirect(item)
    return render(request, "portal/item_topics.html", {"form": form, "item": item, "filed": filed})
