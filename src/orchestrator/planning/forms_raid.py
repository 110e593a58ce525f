"""Forms of the RAID log: its filters, an escalation to the Board, and the Board's response."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django import forms
from django.http import Http404

from orchestrator.core.forms import GovukForm
from orchestrator.core.selectors import get_visible_item
from orchestrator.people.models import Organisation

from .models import Investment, RaidStatus
from .raid import RAID_MODELS, SCORES, RaidFilters
from .services import MAX_REASON

if TYPE_CHECKING:
    from collections.abc import Iterable

    from orchestrator.people.models import User

CELL_FIELDS = {
    "likelihood": "likelihood",
    "impact": "impact",
    "residual_likelihood": "residual likelihood",
    "residual_impact": "residual impact",
}


SLUG = re.compile(r"[-a-zA-Z0-9_]{1,200}")


class RaidFilterForm(GovukForm):
    """What /raid is narrowed to, from its query string. Every field is optional; a bad value is
    named with what to put instead, and the other filters still apply."""

    kind = forms.ChoiceField(
        required=False,
        choices=[("", "All kinds"), *((k, m.KIND_PLURAL) for k, m in RAID_MODELS.items())],
        label="Kind",
        error_messages={
            "invalid_choice": "Choose a kind of entry: risks, issues, assumptions or dependencies."
        },
    )
    status = forms.ChoiceField(
        required=False,
        choices=[("", "Any status"), *RaidStatus.choices],
        label="Status",
        error_messages={"invalid_choice": "Choose a status: open, being managed or closed."},
    )
    owner = forms.CharField(
        required=False, max_length=200, label="Owner organisation", widget=forms.Select
    )
    investment = forms.CharField(
        required=False,
        max_length=40,
        label="Investment",
        help_text="The investment's identifier, like 7x3k9m2q4p",
    )
    min_score = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=25,
        label="Lowest risk score",
        help_text="From 1 to 25 (likelihood × impact); shows risks only",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
        error_messages={
            "invalid": "Give the lowest score as a whole number from 1 to 25, like 12.",
            "min_value": "Give the lowest score as a whole number from 1 to 25, like 12.",
            "max_value": "Give the lowest score as a whole number from 1 to 25, like 12.",
        },
    )
    # A heat-map cell, chosen by following its link rather than typed in: kept as hidden fields so
    # that changing another filter keeps the cell.
    likelihood = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    impact = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    residual_likelihood = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    residual_impact = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)

    def __init__(self, *args, user: User | None, owners: Iterable[Organisation], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        choices = [("", "Any organisation"), *((o.slug, o.name) for o in owners)]
        chosen = (self.data.get("owner") or "") if self.is_bound else ""
        # Only something shaped like a slug is looked up: PostgreSQL refuses text with NUL in it,
        # which the field's own validation reports.
        if chosen and chosen not in {slug for slug, _ in choices} and SLUG.fullmatch(chosen):
            # A link may name an organisation with nothing here yet: keep it chosen, not lost.
            organisation = Organisation.objects.filter(slug=chosen).first()
            if organisation is not None:
                choices.append((organisation.slug, organisation.name))
        self.fields["owner"].widget.choices = choices

    def clean_owner(self) -> Organisation | None:
        slug = (self.cleaned_data.get("owner") or "").strip()
        if not slug:
            return None
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            raise forms.ValidationError(
                f"No organisation has the identifier “{slug}”: choose one from the list."
            )
        return organisation

    def clean_investment(self) -> Investment | None:
        uid = (self.cleaned_data.get("investment") or "").strip().lower()
        if not uid:
            return None
        try:
            return get_visible_item(self.user, uid, Investment)
        except Http404:
            raise forms.ValidationError(
                f"No investment you can see has the identifier “{uid}”: it has 10 letters and "
                "digits, the last part of the investment's address."
            ) from None

    def clean(self) -> dict:
        data = super().clean()
        for name, label in CELL_FIELDS.items():
            raw = (data.get(name) or "").strip()
            data[name] = None
            if not raw:
                continue
            if raw in {str(n) for n in SCORES}:
                data[name] = int(raw)
            else:
                # Hidden fields have no place of their own on the page: say it at the top.
                self.add_error(
                    None,
                    f"The heat-map cell's {label} must be a whole number from 1 to 5, not “{raw}”: "
                    "choose a cell on the heat map.",
                )
        return data

    def filters(self) -> RaidFilters:
        """The filters that were valid; those that were not are left out (and named as errors)."""
        data = getattr(self, "cleaned_data", {}) if self.is_bound else {}
        return RaidFilters(
            kind=data.get("kind") or "",
            raid_status=data.get("status") or "",
            investment=data.get("investment"),
            owner=data.get("owner"),
            min_score=data.get("min_score"),
            likelihood=data.get("likelihood"),
            impact=data.get("impact"),
            residual_likelihood=data.get("residual_likelihood"),
            residual_impact=data.get("residual_impact"),
        )


class EscalateForm(GovukForm):
    reason = forms.CharField(
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 6}),
        label="Why does the Board need to see it?",
        help_text=(
            f"Up to {MAX_REASON:,} characters. It is shown with the record to whoever may see the "
            "record."
        ),
        error_messages={
            "required": "Say why the Board needs to see it.",
            "max_length": f"Keep the reason to {MAX_REASON:,} characters.",
        },
    )


class RespondForm(GovukForm):
    response = forms.CharField(
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 6}),
        label="The Board's response",
        help_text=(
            f"Up to {MAX_REASON:,} characters. It is given once, and shown with the record to "
            "whoever may see the record."
        ),
        error_messages={
            "required": "Write the Board's response.",
            "max_length": f"Keep the response to {MAX_REASON:,} characters.",
        },
    )
