"""Following records, kinds and topics, and the page where a person sees and changes what they follow."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from orchestrator.core import following as services
from orchestrator.core.errors import Conflict, ValidationError
from orchestrator.core.models import Follow, Topic, kind_registry
from orchestrator.core.selectors import get_visible_item, visible_items


def _back(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@login_required
@require_POST
def follow(request: HttpRequest) -> HttpResponse:
    """Follow (or, with `stop`, stop following) one record, kind or topic."""
    item = kind = topic = None
    if request.POST.get("item"):
        item = get_visible_item(request.user, request.POST["item"])
        default, what = item.get_absolute_url(), f"“{item.title}”"
    elif request.POST.get("kind"):
        kind = request.POST["kind"]
        if kind not in kind_registry():
            raise Http404("No such kind of record.")
        default, what = f"/kinds/{kind}", kind_registry()[kind].KIND_PLURAL.lower()
    elif request.POST.get("topic"):
        topic = get_object_or_404(Topic, slug=request.POST["topic"])
        default, what = topic.get_absolute_url(), f"the topic “{topic.name}”"
    else:
        messages.error(request, "Say what to follow: a record, a kind or a topic.")
        return redirect("portal:following")
    if request.POST.get("stop"):
        existing = services.following(request.user, item=item, kind=kind or "", topic=topic)
        if existing is not None:
            services.unfollow(actor=request.user, follow=existing)
        messages.success(request, f"You no longer follow {what}.")
        return redirect(_back(request, default))
    try:
        services.follow(actor=request.user, item=item, kind=kind or "", topic=topic)
    except (Conflict, ValidationError) as exc:
        messages.info(request, getattr(exc, "message", None) or " ".join(exc.messages))
    else:
        messages.success(
            request, f"You now follow {what}. Changes will come in your e-mail digest."
        )
    return redirect(_back(request, default))


@login_required
def following_page(request: HttpRequest) -> HttpResponse:
    follows = list(services.follows_of(request.user))
    if request.method == "POST" and request.POST.get("remove"):
        f = get_object_or_404(Follow, pk=request.POST["remove"], user=request.user)
        services.unfollow(actor=request.user, follow=f)
        messages.success(request, f"You no longer follow {services.label(f)}.")
        return redirect("portal:following")
    seen = set(
        visible_items(request.user)
        .filter(pk__in=[f.item_id for f in follows if f.item_id])
        .values_list("pk", flat=True)
    )
    rows = [
        (
            f,
            services.label(f)
            if not f.item_id or f.item_id in seen
            else "a record you can no longer see",
        )
        for f in follows
    ]
    return render(
        request,
        "portal/following.html",
        {
            "rows": rows,
            "preview": services.render_digest(request.user, services.digest(request.user))
            if follows
            else "",
        },
    )
