"""Pages of dependency maps, impact analysis, single points of failure, cycles and views."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from orchestrator.core.forms import GovukForm
from orchestrator.core.selectors import get_visible_item

from . import graph
from .archimate import LAYER_LABELS, RELATIONSHIP_LABELS, RELATIONSHIP_TYPES
from .models import ArchitectureModel, Element


class MapForm(GovukForm):
    """What a dependency map shows: how far to go, along which relationships, into which layers."""

    depth = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=graph.MAX_DEPTH,
        label="Depth",
        help_text=f"How many relationships away to go, from 1 to {graph.MAX_DEPTH}",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": f"Enter the depth as a whole number from 1 to {graph.MAX_DEPTH}.",
            "min_value": f"The depth is at least 1 (and at most {graph.MAX_DEPTH}).",
            "max_value": f"The depth is at most {graph.MAX_DEPTH}: a larger map is unreadable.",
        },
    )
    types = forms.MultipleChoiceField(
        required=False,
        label="Relationships",
        help_text="Leave all unticked to follow every kind of relationship",
        choices=[(t, f"{t} ({RELATIONSHIP_LABELS[t]})") for t in RELATIONSHIP_TYPES],
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": (
                "“%(value)s” is not an ArchiMate relationship: tick the ones to follow."
            )
        },
    )
    layers = forms.MultipleChoiceField(
        required=False,
        label="Layers",
        help_text="Leave all unticked to show elements of every layer",
        choices=[(layer.value, label) for layer, label in LAYER_LABELS.items()],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "“%(value)s” is not a layer: tick the layers to show."},
    )

    def clean_depth(self) -> int:
        return self.cleaned_data["depth"] or 1


class ImpactForm(GovukForm):
    direction = forms.ChoiceField(
        required=False,
        label="Direction",
        choices=[
            ("both", "Both"),
            ("downstream", "Downstream only"),
            ("upstream", "Upstream only"),
        ],
        error_messages={
            "invalid_choice": "“%(value)s” is not a direction: choose both, downstream or upstream."
        },
    )

    downstream_page = forms.IntegerField(
        required=False,
        min_value=1,
        label="Page of the elements downstream",
        error_messages={
            "invalid": "Enter the page of elements downstream as a whole number, from 1.",
            "min_value": "The first page of elements downstream is page 1.",
        },
    )
    upstream_page = forms.IntegerField(
        required=False,
        min_value=1,
        label="Page of the elements upstream",
        error_messages={
            "invalid": "Enter the page of elements upstream as a whole number, from 1.",
            "min_value": "The first page of elements upstream is page 1.",
        },
    )

    def clean_direction(self) -> str:
        return self.cleaned_data["direction"] or "both"


@dataclass(frozen=True, slots=True)
class ReachedPage:
    """One page of the elements an impact reaches one way, nearest first, with links to the pages
    either side (None at the ends)."""

    rows: list
    total: int
    number: int
    pages: int
    first: int  # the position of its first row, from 1
    last: int
    previous_url: str | None
    next_url: str | None


def _reached_page(request: HttpRequest, rows: list, param: str, number: int | None, anchor: str):
    pages = max(1, -(-len(rows) // graph.IMPACT_PAGE))
    # A page past the end shows the last one rather than nothing.
    number = min(number or 1, pages)
    start = (number - 1) * graph.IMPACT_PAGE
    shown = rows[start : start + graph.IMPACT_PAGE]

    def url(page: int) -> str:
        query = request.GET.copy()
        query[param] = str(page)
        return f"?{query.urlencode()}#{anchor}"

    return ReachedPage(
        rows=shown,
        total=len(rows),
        number=number,
        pages=pages,
        first=start + 1 if shown else 0,
        last=start + len(shown),
        previous_url=url(number - 1) if number > 1 else None,
        next_url=url(number + 1) if number < pages else None,
    )


def visible_element(request: HttpRequest, uid: str) -> Element:
    item = get_visible_item(request.user, uid)
    if not isinstance(item, Element):
        raise Http404("No such element")
    return item


def _model_of(request: HttpRequest, element: Element) -> ArchitectureModel | None:
    return ArchitectureModel.objects.visible_to(request.user).filter(pk=element.model_id).first()


def _unknown(request: HttpRequest, form: forms.Form) -> None:
    # A misspelt parameter would otherwise be ignored and a different map shown without a word.
    for name in sorted(set(request.GET) - set(form.fields)):
        form.add_error(None, f"“{name[:40]}” is not something a map can be asked for.")


@require_GET
def element_map(request: HttpRequest, uid: str) -> HttpResponse:
    """An element's dependency map: a cytoscape.js drawing where JavaScript runs, always a table."""
    element = visible_element(request, uid)
    form = MapForm(request.GET or None)
    context = {"element": element, "form": form, "element_model": _model_of(request, element)}
    if form.is_bound:
        valid = form.is_valid()
        _unknown(request, form)
        if not valid or form.errors:
            return render(request, "architecture/map.html", context, status=400)
        options = form.cleaned_data
    else:
        options = {"depth": 1, "types": [], "layers": []}
    found = graph.neighbourhood(
        request.user,
        element,
        depth=options["depth"],
        types=options["types"] or None,
        layers=options["layers"] or None,
    )
    context.update({"map": found, "map_data": found.cytoscape(), "options": options})
    return render(request, "architecture/map.html", context)


@require_GET
def element_impact(request: HttpRequest, uid: str) -> HttpResponse:
    """Everything upstream and downstream of an element, with distances and counts."""
    element = visible_element(request, uid)
    form = ImpactForm(request.GET or None)
    context = {"element": element, "form": form, "element_model": _model_of(request, element)}
    options = {"direction": "both", "downstream_page": None, "upstream_page": None}
    if form.is_bound:
        valid = form.is_valid()
        _unknown(request, form)
        if not valid or form.errors:
            return render(request, "architecture/impact.html", context, status=400)
        options = form.cleaned_data
    found = graph.impact(request.user, element, direction=options["direction"])
    context["impact"] = found
    # Thousands of rows make a page nobody can use: the counts are whole, the lists a page each.
    context["downstream_page"] = _reached_page(
        request, found.downstream, "downstream_page", options["downstream_page"], "downstream"
    )
    context["upstream_page"] = _reached_page(
        request, found.upstream, "upstream_page", options["upstream_page"], "upstream"
    )
    return render(request, "architecture/impact.html", context)


@require_GET
def model_analysis(request: HttpRequest, uid: str) -> HttpResponse:
    """A model's single points of failure, its most depended-on elements and its cycles."""
    model = get_visible_item(request.user, uid, ArchitectureModel)
    return render(
        request,
        "architecture/analysis.html",
        {"model": model, "analysis": graph.analysis(request.user, model)},
    )


urls = [
    path("k/<str:uid>/map", element_map, name="element-map"),
    path("k/<str:uid>/impact", element_impact, name="element-impact"),
    path("k/<str:uid>/analysis", model_analysis, name="model-analysis"),
]
