"""Contributor guidance, and Research & Engagement's queue of records that fall short of it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from orchestrator.core import quality
from orchestrator.core.errors import PermissionDenied, ValidationError
from orchestrator.core.models import Mitigation, Sensitivity, Visibility
from orchestrator.core.selectors import get_visible_item

from .views import paginate


def guidance(request: HttpRequest) -> HttpResponse:
    """How to contribute, each kind's quality standard (the one the checks apply), how triage works."""
    standards = [
        {
            "kind": kind,
            "plural": model.KIND_PLURAL,
            "required": [quality._label(model, f) for f in model.REQUIRED_FIELDS],
            "min_body": model.MIN_BODY_LENGTH,
            "guidance": model.GUIDANCE,
        }
        for kind, model in sorted(quality.checked_kinds().items())
    ]
    return render(
        request,
        "portal/guidance.html",
        {
            "standards": standards,
            "levels": Visibility.choices,
            "sensitivities": Sensitivity.choices,
            "mitigations": Mitigation.choices,
        },
    )


def _require_reviewer(request: HttpRequest) -> None:
    if not request.user.has_perm("core.review_quality"):
        raise PermissionDenied(
            "Only Research & Engagement review the quality of the knowledge base."
        )


@login_required
def quality_queue(request: HttpRequest) -> HttpResponse:
    _require_reviewer(request)
    page = paginate(request, quality.quality_queue(request.user))
    items = list(page.object_list)
    rows = [
        {
            "item": item,
            "failing": [c for c in quality.checks_for(request.user, item) if not c.passed],
        }
        for item in items
    ]
    return render(
        request,
        "portal/quality.html",
        {"page_obj": page, "rows": rows, "escalated": quality.last_escalations(items)},
    )


@login_required
@require_POST
def escalate(request: HttpRequest, uid: str) -> HttpResponse:
    item = get_visible_item(request.user, uid)
    _require_reviewer(request)
    try:
        quality.escalate(actor=request.user, item=item, note=request.POST.get("note", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
    else:
        messages.success(request, f"Asked the author of “{item.title}” to put it right.")
    return redirect("portal:quality")
