"""Pages of the engagement channel: how to take part, raising a submission, your submissions, the queue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from orchestrator.core.errors import Conflict, PermissionDenied, ValidationError
from orchestrator.core.selectors import get_visible_item

from . import selectors, services
from .forms import CATEGORY_HINTS, ResolveForm, SubmissionForm
from .models import Category, State, Submission

PAGE_SIZE = 25


def _page(request: HttpRequest, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def take_part(request: HttpRequest) -> HttpResponse:
    """How to take part, and every resolved submission the viewer may see."""
    queryset = selectors.published_submissions(request.user).order_by("-decided_at", "-id")
    category = request.GET.get("category", "")
    state = request.GET.get("state", "")
    if category in Category.values:
        queryset = queryset.filter(category=category)
    if state in State.values:
        queryset = queryset.filter(state=state)
    params = "&".join(
        f"{k}={v}"
        for k, v in (("category", category), ("state", state))
        if v in Category.values + State.values
    )
    return render(
        request,
        "engagement/take_part.html",
        {
            "page_obj": _page(request, queryset),
            "categories": Category.choices,
            "states": [c for c in State.choices if c[0] != State.RECEIVED],
            "category": category,
            "state": state,
            "query_string": params,
            "hints": CATEGORY_HINTS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def raise_submission(request: HttpRequest) -> HttpResponse:
    about_uid = request.POST.get("about") or request.GET.get("about", "")
    about = None
    if about_uid:
        try:
            about = get_visible_item(request.user, about_uid)
        except Http404:
            about = None
    form = SubmissionForm(request.POST or None, initial={"about": about.uid if about else ""})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["about"] and about is None:
                raise ValidationError({"about": "No record you can see has that identifier."})
            submission = services.raise_submission(
                actor=request.user,
                category=data["category"],
                title=data["title"],
                text=data["text"],
                about=about,
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        except Conflict as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                "Thank you: your submission has been received. Research & Engagement will read it; "
                "you can follow what happens to it here.",
            )
            return redirect(submission)
    return render(
        request,
        "engagement/raise.html",
        {"form": form, "about": about, "hints": CATEGORY_HINTS},
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "engagement/mine.html",
        {"page_obj": _page(request, selectors.submissions_of(request.user))},
    )


def _require_triager(request: HttpRequest) -> None:
    if not request.user.has_perm("engagement.triage_submission"):
        raise PermissionDenied(services.QUEUE_REFUSED)


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    _require_triager(request)
    return render(
        request,
        "engagement/queue.html",
        {"page_obj": _page(request, selectors.triage_queue(request.user))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def resolve(request: HttpRequest, uid: str) -> HttpResponse:
    submission = get_visible_item(request.user, uid, Submission)
    _require_triager(request)
    if submission.state != State.RECEIVED:
        messages.info(
            request, f"This submission was already resolved: {submission.get_state_display()}."
        )
        return redirect(submission)
    form = ResolveForm(
        request.POST or None,
        initial={"concerns": submission.about.uid if submission.about_id else ""},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            concerns = (
                get_visible_item(request.user, data["concerns"]) if data["concerns"] else None
            )
        except Http404:
            form.add_error("concerns", "No record you can see has that identifier.")
            concerns = None
        duplicate_of = None
        if data["duplicate_of"]:
            try:
                duplicate_of = get_visible_item(request.user, data["duplicate_of"], Submission)
            except Http404:
                form.add_error("duplicate_of", "No submission you can see has that identifier.")
        if not form.errors:
            try:
                submission = services.resolve_submission(
                    actor=request.user,
                    submission=submission,
                    decision=data["decision"],
                    concerns=concerns,
                    answer=data["answer"],
                    duplicate_of=duplicate_of,
                    reason=data["reason"],
                    outcome=data["outcome"],
                    personal_data=data["personal_data"],
                    sensitivity=data["sensitivity"],
                    rationale=data["rationale"],
                )
            except ValidationError as exc:
                form.add_service_error(exc)
            except Conflict as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request, f"Resolved: {submission.get_state_display()}. It is now published."
                )
                return redirect("engagement:queue")
    return render(
        request,
        "engagement/resolve.html",
        {
            "form": form,
            "item": submission,
            "submission": submission,
            "about": selectors.panel(request.user, submission)["about"],
        },
    )
