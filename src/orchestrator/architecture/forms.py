"""Forms for the enterprise architecture: models, elements, relationships, states, designations."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING

from django import forms
from django.http import Http404

from orchestrator.core.errors import ValidationError
from orchestrator.core.forms import GovukForm
from orchestrator.core.models import Item
from orchestrator.core.selectors import get_visible_item

from .archimate import ACCESS_TYPES, ELEMENT_TYPES, LAYER_LABELS, RELATIONSHIP_TYPES
from .models import Measure, RequirementCategory, RequirementSource, SdiDesignation, StateKind

if TYPE_CHECKING:
    from orchestrator.people.models import User


def _type_choices() -> list:
    grouped: dict[str, list] = defaultdict(list)
    for name, t in ELEMENT_TYPES.items():
        grouped[LAYER_LABELS[t.layer]].append((name, t.label))
    return [("", "Choose a type"), *grouped.items()]


class ModelForm(GovukForm):
    title = forms.CharField(max_length=300, label="Name")
    identifier = forms.SlugField(
        max_length=200,
        help_text="A stable identifier for exchange with other tools, e.g. energy-data-ea",
    )
    summary = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ElementForm(GovukForm):
    archimate_type = forms.ChoiceField(choices=_type_choices, label="ArchiMate type")
    title = forms.CharField(max_length=300, label="Name")
    summary = forms.CharField(
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For a principle, its statement",
    )
    body = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        label="Documentation",
        help_text="Markdown",
    )
    rationale = forms.CharField(
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Principles and constraints: why it holds",
    )
    implications = forms.CharField(
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Principles: what following it means for designs and delivery",
    )
    category = forms.ChoiceField(
        required=False, choices=[("", "Not a requirement"), *RequirementCategory.choices]
    )
    source_type = forms.ChoiceField(
        required=False,
        choices=[("", "Not given"), *RequirementSource.choices],
        label="Where the requirement comes from",
    )
    source = forms.CharField(
        required=False,
        max_length=10,
        label="Its source record (optional)",
        help_text="The identifier of the researched need, submission or decision",
    )
    acceptance_criterion = forms.CharField(
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Requirements: how anyone can tell it has been met",
    )
    measure = forms.ChoiceField(
        required=False,
        choices=[("", "None"), *Measure.choices],
        help_text="Non-functional requirements and constraints: a service-level measure",
    )
    threshold = forms.DecimalField(required=False, max_digits=12, decimal_places=4)

    KIND_FIELDS = {
        "Principle": ("rationale", "implications"),
        "Constraint": ("rationale", "measure", "threshold"),
        "Requirement": ("category", "source_type", "acceptance_criterion", "measure", "threshold"),
    }

    def kind_fields(self) -> dict:
        """The fields the chosen type's kind has, as given."""
        names = self.KIND_FIELDS.get(self.cleaned_data["archimate_type"], ())
        values = {name: self.cleaned_data.get(name) for name in names}
        if "category" in values and not values["category"]:
            values["category"] = RequirementCategory.FUNCTIONAL
        return {k: v for k, v in values.items() if v not in (None, "") or k == "threshold"}


class RelationshipForm(GovukForm):
    type = forms.ChoiceField(
        choices=[("", "Choose a relationship"), *((t, t) for t in RELATIONSHIP_TYPES)],
        label="Relationship",
    )
    target = forms.CharField(
        max_length=10, label="To element", help_text="The identifier of an element of this model"
    )
    name = forms.CharField(required=False, max_length=300)
    access_type = forms.ChoiceField(
        required=False,
        choices=[("", "Not given"), *((a, a) for a in ACCESS_TYPES)],
        help_text="Access relationships only",
    )
    modifier = forms.CharField(
        required=False,
        max_length=20,
        label="Influence strength",
        help_text="Influence relationships only, e.g. +, ++, -",
    )


class StateForm(GovukForm):
    name = forms.CharField(max_length=200, help_text="For example, “As-is, 2026” or “To-be, 2030”")
    kind = forms.ChoiceField(choices=StateKind.choices, widget=forms.RadioSelect)
    description = forms.CharField(
        required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DesignateForm(GovukForm):
    designation = forms.ChoiceField(choices=SdiDesignation.choices, widget=forms.RadioSelect)
    decision = forms.CharField(
        required=False,
        max_length=10,
        label="The decision that said so",
        help_text="The identifier of a decision that has been taken",
    )

    def designate(self, user: User, designate: Callable[[str, Item | None], object]) -> bool:
        """Call `designate(designation, decision)` with the decision named, as `user` may see
        it; False, with the refusal on the form, if it cannot be found or the service refuses.
        An element's designation and an investment's share it."""
        decision: Item | None = None
        uid = self.cleaned_data["decision"].strip()
        if uid:
            try:
                decision = get_visible_item(user, uid)
            except Http404:
                self.add_error("decision", "No decision you can see has that identifier.")
                return False
        try:
            designate(self.cleaned_data["designation"], decision)
        except ValidationError as exc:
            # The services name the model's field; the form asks for it as `decision`.
            for name, errors in exc.message_dict.items():
                field = "decision" if name == "designated_by" else name
                self.add_error(field if field in self.fields else None, errors)
            return False
        return True
