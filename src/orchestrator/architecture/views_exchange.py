"""Pages for importing and exporting ArchiMate exchange files."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from orchestrator.core.errors import PermissionDenied, ValidationError
from orchestrator.core.forms import GovukForm
from orchestrator.core.models import Visibility
from orchestrator.core.selectors import get_visible_item

from .exchange import MAX_BYTES
from .exchange_export import export_model
from .exchange_import import import_file
from .models import ArchitectureModel

DRAFT = "draft"


class ImportForm(GovukForm):
    file = forms.FileField(
        label="Exchange file",
        help_text=(
            "An ArchiMate 3.0 or 3.1 Model Exchange File Format file (.xml) exported from Archi, "
            f"Sparx Enterprise Architect or another tool; at most {MAX_BYTES // 1024 // 1024} MB. "
            "Importing a model again updates it in place."
        ),
        error_messages={"required": "Choose the exchange file to import."},
    )
    visibility = forms.ChoiceField(
        label="Who may see the new records",
        choices=[
            *Visibility.choices,
            (DRAFT, "Nobody yet — leave them drafts for Research & Engagement to triage"),
        ],
        initial=Visibility.OPEN,
        widget=forms.RadioSelect,
        help_text="Presumed open: new elements, relationships and views are triaged at this level "
        "and published. Records already imported keep their triage.",
    )
    rationale = forms.CharField(
        required=False,
        max_length=2000,
        label="Why less than open",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed for any level other than Open, e.g. “aggregated detail of critical "
        "national infrastructure”.",
    )

    def clean(self):
        data = super().clean()
        level = data.get("visibility")
        if (
            level
            and level not in (Visibility.OPEN, DRAFT)
            and not data.get("rationale", "").strip()
        ):
            self.add_error("rationale", "Say why the records are less than open.")
        return data


def _require_architect(request: HttpRequest) -> None:
    if not request.user.has_perm("architecture.maintain"):
        raise PermissionDenied("Only the Architecture Team import architecture models.")


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    _require_architect(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if not request.user.has_perm("core.triage_item"):
        # Triage is Research & Engagement's: the Architecture Team's imports arrive as drafts.
        visibility = form.fields["visibility"]
        visibility.choices = [c for c in visibility.choices if c[0] == DRAFT]
        visibility.initial = DRAFT
        visibility.help_text = (
            "New elements, relationships and views stay drafts until Research & Engagement "
            "triage the model; records already imported keep their triage."
        )
        del form.fields["rationale"]
    if request.method == "POST" and form.is_valid():
        level = form.cleaned_data["visibility"]
        try:
            result = import_file(
                actor=request.user,
                source=form.cleaned_data["file"],
                visibility=None if level == DRAFT else level,
                rationale=form.cleaned_data.get("rationale", ""),
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("file", message)
        else:
            c = result.counts
            messages.success(
                request,
                f"Imported “{result.model.title}”: {c['elements_created']:,} elements, "
                f"{c['relationships_created']:,} relationships and {c['views_created']:,} views "
                f"added; {c['elements_updated'] + c['relationships_updated'] + c['views_updated']:,} "
                f"updated; {c['elements_removed'] + c['relationships_removed'] + c['views_removed']:,} "
                "no longer in the file.",
            )
            return redirect(result.model)
    return render(
        request,
        "architecture/import.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_GET
def export_page(request: HttpRequest, uid: str) -> HttpResponse:
    """The model as an exchange file, of what the viewer may see (a hidden model is a 404)."""
    model = get_visible_item(request.user, uid, ArchitectureModel)
    response = HttpResponse(content_type="application/xml; charset=utf-8")
    filename = slugify(model.title)[:80] or model.uid
    response["Content-Disposition"] = f'attachment; filename="{filename}.archimate.xml"'
    export_model(user=request.user, model=model, out=response)
    return response


urls = [
    path("architecture/import", import_page, name="import"),
    path("k/<str:uid>/archimate.xml", export_page, name="export"),
]
