"""Forms for solution architectures: scoping one, sign-off comments, elements and principles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms

from orchestrator.core.forms import GovukForm
from orchestrator.core.models import Relation
from orchestrator.people.models import Organisation, OrganisationKind
from orchestrator.planning.models import Investment

from .archimate import ELEMENT_TYPES
from .models import Measure, RequirementCategory, Scope, SignOff, SolutionArchitecture
from .solutions import FOLLOWABLE, MAX_COMMENT, enterprise_principles, trace_targets

if TYPE_CHECKING:
    from orchestrator.people.models import User

# Choices are offered from what the viewer may see and checked against that list, so a posted
# value is never looked up in the database as typed (PostgreSQL refuses a NUL in a query).
NO_CHOICE = ("", "Choose one")


class SolutionFilterForm(GovukForm):
    state = forms.ChoiceField(
        required=False,
        label="Sign-off state",
        choices=[("", "Any state"), *SignOff.choices],
        error_messages={
            "invalid_choice": "Choose a sign-off state: draft, submitted for sign-off, changes "
            "requested or signed off."
        },
    )


class SolutionCreateForm(GovukForm):
    """The Architecture Team scope a design and give it to a Design Body or Delivery Partner."""

    title = forms.CharField(max_length=300)
    summary = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the work package's design covers",
    )
    investment = forms.ChoiceField(label="Work package (investment)")
    scope = forms.ChoiceField(
        choices=Scope.choices[1:],
        initial=Scope.SOLUTION,
        widget=forms.RadioSelect,
        label="What kind of design",
    )
    design_body = forms.ChoiceField(
        label="Given to",
        help_text="A Design Body for a solution architecture; a Delivery Partner for a low-level "
        "design",
    )
    follows = forms.ChoiceField(
        required=False,
        label="The solution architecture it follows (low-level designs only)",
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.investments = {
            i.uid: i for i in Investment.objects.visible_to(user).order_by("title", "id")
        }
        self.organisations = {
            o.slug: o
            for o in Organisation.objects.filter(
                kind__in=[OrganisationKind.DESIGN_BODY, OrganisationKind.DELIVERY_PARTNER]
            ).order_by("name")
        }
        self.designs = {
            s.uid: s
            for s in SolutionArchitecture.objects.visible_to(user)
            .filter(scope=Scope.SOLUTION, sign_off__in=FOLLOWABLE)
            .order_by("title", "id")
        }
        self.fields["investment"].choices = [
            NO_CHOICE,
            *((uid, i.title) for uid, i in self.investments.items()),
        ]
        self.fields["design_body"].choices = [
            NO_CHOICE,
            *(
                (slug, f"{o.name} ({o.get_kind_display()})")
                for slug, o in self.organisations.items()
            ),
        ]
        self.fields["follows"].choices = [
            ("", "None: this is a solution architecture"),
            *((uid, s.title) for uid, s in self.designs.items()),
        ]


class CommentForm(GovukForm):
    comment = forms.CharField(
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, required: bool = False, label: str = "Comment", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["comment"]
        field.required, field.label = required, label
        field.error_messages["required"] = "Say what needs to change before it can be signed off."


class SolutionElementForm(GovukForm):
    """An element of the design's own model, and the element it refines."""

    archimate_type = forms.ChoiceField(
        label="ArchiMate type",
        choices=[
            NO_CHOICE,
            *sorted(((n, t.label) for n, t in ELEMENT_TYPES.items()), key=lambda c: c[1]),
        ],
    )
    title = forms.CharField(max_length=300, label="Name")
    summary = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What it does, and for whom",
    )
    refines = forms.ChoiceField(required=False, label="The element it refines")
    relation = forms.ChoiceField(
        choices=[(Relation.REFINES, "Refines it"), (Relation.REALISES, "Realises it")],
        initial=Relation.REFINES,
        widget=forms.RadioSelect,
        label="How it traces",
    )
    category = forms.ChoiceField(
        required=False,
        choices=[("", "Not a requirement"), *RequirementCategory.choices],
        label="Requirement category (requirements only)",
    )
    measure = forms.ChoiceField(
        required=False,
        choices=[("", "None"), *Measure.choices],
        label="Service-level measure (non-functional requirements only)",
    )
    threshold = forms.DecimalField(
        required=False, max_digits=12, decimal_places=4, label="Threshold"
    )

    def __init__(self, *args, user: User, solution: SolutionArchitecture, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.targets = {
            e.uid: e
            for e in trace_targets(solution)
            .visible_to(user)
            .select_related("model")
            .order_by("title", "id")[:500]
        }
        where = "solution architecture" if solution.scope == Scope.LOW_LEVEL else "enterprise"
        self.fields["refines"].choices = [
            ("", "None yet"),
            *((uid, f"{e.title} ({e.type_label})") for uid, e in self.targets.items()),
        ]
        self.fields["refines"].help_text = f"An element of the {where} architecture"

    def clean(self):
        data = super().clean()
        if data.get("archimate_type") != "Requirement" and (
            data.get("category") or data.get("measure")
        ):
            self.add_error("category", "Only a requirement has a category and a measure.")
        return data


class AddressesForm(GovukForm):
    """Say the design, or one of its elements, addresses an enterprise principle."""

    principle = forms.ChoiceField(label="Principle")
    by = forms.ChoiceField(required=False, label="What addresses it")
    note = forms.CharField(
        required=False,
        max_length=500,
        label="How (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, user: User, solution: SolutionArchitecture, elements, **kwargs):
        super().__init__(*args, **kwargs)
        self.principles = {
            p.uid: p for p in enterprise_principles(user).order_by("title", "id")[:500]
        }
        self.elements = {e.uid: e for e in elements}
        self.fields["principle"].choices = [
            NO_CHOICE,
            *((uid, p.title) for uid, p in self.principles.items()),
        ]
        self.fields["by"].choices = [
            ("", "The design as a whole"),
            *((uid, e.title) for uid, e in self.elements.items()),
        ]
