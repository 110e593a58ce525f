"""The delivery roadmap page: a filtered, paged timeline of milestones, its table, and critical paths."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from orchestrator.core.forms import GovukForm

from . import roadmap as selectors
from .models import Phase

# Long enough to quote back a mistyped identifier, short enough to keep the message short.
MAX_QUOTED = 80


class RoadmapFilterForm(GovukForm):
    """What to draw: one investment, one organisation's milestones, one phase (each optional)."""

    investment = forms.CharField(
        required=False,
        max_length=200,
        label="Investment",
        help_text="Its identifier, or its address: the part after /k/",
    )
    organisation = forms.ChoiceField(
        required=False,
        label="Organisation responsible",
        error_messages={
            "invalid_choice": (
                "No organisation is responsible for milestones you can see under “%(value)s”: "
                "choose one from the list."
            )
        },
    )
    phase = forms.ChoiceField(
        required=False,
        label="Phase",
        choices=[("", "Any phase"), *Phase.choices],
        error_messages={
            "invalid_choice": (
                f"“%(value)s” is not a phase: choose one of {', '.join(Phase.labels).lower()}."
            )
        },
    )

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["organisation"].choices = [("", "Any organisation")] + [
            (o.slug, o.name) for o in selectors.responsible_organisations(user)
        ]
        self.investment = None

    def clean_investment(self) -> str:
        value = self.cleaned_data["investment"].strip()
        if not value:
            return ""
        # A pasted address works as well as the bare identifier.
        uid = value.split("?")[0].rstrip("/").rsplit("/", 1)[-1]
        self.investment = selectors.find_investment(self.user, uid)
        if self.investment is None:
            raise forms.ValidationError(
                f"No investment you can see has the identifier “{value[:MAX_QUOTED]}”: copy it "
                "from the investment's address, the part after /k/."
            )
        return uid


@require_GET
def roadmap(request: HttpRequest) -> HttpResponse:
    """The delivery roadmap: one page of investments with their milestones as a timeline and a
    table; with `?to=<milestone>`, the critical path to that milestone, drawn on the timeline."""
    to = request.GET.get("to", "").strip()
    target = selectors.find_milestone(request.user, to) if to else None
    if to and target is None:
        raise Http404("No milestone you can see has that identifier.")
    form = RoadmapFilterForm(request.GET or None, user=request.user)
    context = {"form": form, "target": target}
    if request.GET and not form.is_valid():
        return render(request, "planning/roadmap.html", context, status=400)
    chosen = {
        name: (form.cleaned_data.get(name) or "") if form.is_bound else ""
        for name in ("investment", "organisation", "phase")
    }
    path = selectors.critical_path(request.user, target) if target else None
    page = selectors.roadmap_page(
        request.user, page=request.GET.get("page"), chain=path.steps if path else [], **chosen
    )
    today = timezone.localdate()
    params = {k: v for k, v in {**chosen, "to": target.uid if target else ""}.items() if v}
    context.update(
        {
            "roadmap": page,
            "page_obj": page.page,
            "timeline": selectors.timeline(
                page.lanes, chain=path.steps if path else [], today=today
            ),
            "path": path,
            "path_pks": set(path.pks) if path else set(),
            "chosen": chosen,
            "investment": form.investment if form.is_bound else None,
            "filtered": any(chosen.values()),
            "query_string": urlencode(params),
            "without_path": urlencode({k: v for k, v in params.items() if k != "to"}),
            "today": today,
        }
    )
    return render(request, "planning/roadmap.html", context)
