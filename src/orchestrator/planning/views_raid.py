"""Pages of the RAID log: /raid and its heat maps, escalations to the Board, and logging submissions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from orchestrator.core.errors import Conflict, PermissionDenied, ValidationError
from orchestrator.core.selectors import get_visible_item
from orchestrator.engagement.models import Submission
from orchestrator.portal.refusals import refusal

from . import raid, services
from .forms_raid import EscalateForm, RaidFilterForm, RespondForm
from .models import Escalation

PAGE_SIZE = 25


CANNOT_LOG = "This submission cannot go into the RAID log"


def _messages(exc: ValidationError) -> str:
    return " ".join(m for ms in exc.message_dict.values() for m in ms)


def raid_log(request: HttpRequest) -> HttpResponse:
    """The RAID log: the heat maps of risks, and every entry the viewer may see, filtered."""
    user = request.user
    owners = list(raid.raid_owners(user))
    form = RaidFilterForm(request.GET or None, user=user, owners=owners)
    status = 400 if form.is_bound and not form.is_valid() else 200
    filters = form.filters()
    page = Paginator(raid.raid_entries(user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    to_log = raid.submissions_to_log(user)
    waiting = list(to_log[: raid.TO_LOG_SHOWN])
    # Count them only when there are more than are shown.
    waiting_count = to_log.count() if len(waiting) == raid.TO_LOG_SHOWN else len(waiting)
    counts = raid.escalation_counts(user)
    return render(
        request,
        "planning/raid.html",
        {
            "form": form,
            "filters": filters,
            "query_string": filters.query_string,
            "page_obj": page,
            "rows": raid.raid_rows(user, page),
            "heat_maps": raid.heat_maps(user, filters),
            "to_log": waiting,
            "to_log_count": waiting_count,
            "can_plan": user.has_perm("planning.maintain_plan"),
            "open_escalations": counts["open"],
        },
        status=status,
    )


def escalations(request: HttpRequest) -> HttpResponse:
    """Escalations to the Board of records the viewer may see: those awaiting its response, or
    those it has answered."""
    answered = request.GET.get("state") == "answered"
    page = Paginator(raid.visible_escalations(request.user, answered=answered), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "planning/escalations.html",
        {
            "answered": answered,
            "counts": raid.escalation_counts(request.user),
            "page_obj": page,
            "rows": raid.escalation_views(request.user, list(page.object_list)),
            "query_string": "state=answered" if answered else "",
            "can_respond": request.user.has_perm("planning.respond_to_escalation"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def escalate(request: HttpRequest, uid: str) -> HttpResponse:
    """Escalate a risk, an issue or a stakeholder's concern to the Board, with a reason."""
    item = get_visible_item(request.user, uid)
    if not request.user.has_perm("planning.escalate"):
        raise PermissionDenied(
            "Only the Portfolio Management Team, the Organisation Leader and Research & "
            "Engagement escalate to the Board."
        )
    why = raid.escalation_refusal(item)
    if why:
        return refusal(
            request,
            title="This record cannot go to the Board",
            message=why,
            status=400,
            record=item,
        )
    form = EscalateForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.escalate(actor=request.user, item=item, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_service_error(exc)
        except Conflict as exc:
            form.add_error(None, exc.message)
            status = 409
        else:
            messages.success(request, "Escalated to the Board. Its response will be shown here.")
            return redirect(item)
    if form.errors and status == 200:
        status = 400
    return render(
        request,
        "planning/escalation_form.html",
        {
            "form": form,
            "item": item,
            "heading": f"Escalate “{item.title}” to the Board",
            "button": "Escalate to the Board",
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def respond(request: HttpRequest, escalation_id: int) -> HttpResponse:
    """The Board's response to an escalation, given once."""
    escalation = raid.get_visible_escalation(request.user, escalation_id)
    if not request.user.has_perm("planning.respond_to_escalation"):
        raise PermissionDenied("Only the Board responds to escalations.")
    item = escalation.item
    view = raid.escalation_views(request.user, [escalation])[0]
    context = {
        "item": item,
        "escalation": view,
        "heading": f"Respond to the escalation of “{item.title}”",
        "button": "Record the Board's response",
    }
    if not escalation.is_open:
        return render(
            request,
            "planning/escalation_form.html",
            {**context, "answered": True},
            status=409,
        )
    form = RespondForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.respond_to_escalation(
                actor=request.user, escalation=escalation, response=form.cleaned_data["response"]
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        except Conflict as exc:
            # Another Board member answered while this one was writing: show theirs.
            escalation = Escalation.objects.select_related("responded_by").get(pk=escalation.pk)
            view = raid.escalation_views(request.user, [escalation])[0]
            return render(
                request,
                "planning/escalation_form.html",
                {**context, "escalation": view, "answered": True, "conflict": exc.message},
                status=409,
            )
        else:
            messages.success(request, "The Board's response is recorded.")
            return redirect(item)
    if form.errors:
        status = 400
    return render(
        request, "planning/escalation_form.html", {**context, "form": form}, status=status
    )


@login_required
@require_POST
def log_submission(request: HttpRequest, uid: str) -> HttpResponse:
    """Take an accepted risk or dependency submission into the RAID log, as a draft entry."""
    submission = get_visible_item(request.user, uid, Submission)
    if not request.user.has_perm("planning.maintain_plan"):
        raise PermissionDenied(
            "Only the Portfolio Management Team and the Organisation Leader keep the RAID log."
        )
    owner = raid.log_owner(request.user)
    if owner is None:
        return refusal(
            request,
            title="Nobody can own this entry yet",
            message="Nobody is appointed to the Portfolio Management Team, whose entry this would "
            "be. Appoint someone first.",
            status=409,
            record=submission,
        )
    try:
        entry = services.log_submission(actor=request.user, submission=submission, owner=owner)
    except Conflict as exc:
        return refusal(
            request, title=CANNOT_LOG, message=exc.message, status=409, record=submission
        )
    except ValidationError as exc:
        return refusal(
            request, title=CANNOT_LOG, message=_messages(exc), status=400, record=submission
        )
    messages.success(
        request,
        f"“{submission.title}” is in the RAID log as a draft {entry.kind_label.lower()}: score "
        "and complete it, then have it triaged.",
    )
    return redirect(entry)
