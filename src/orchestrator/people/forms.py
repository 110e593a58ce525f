"""Forms for signing in, registering, declaring interests and managing API tokens."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower

from orchestrator.core.forms import GovukForm, GovukMixin

from .models import Organisation, OrganisationKind, Role, Sector

# Up to this many organisations, those a form asks about are ticked in a list; beyond it (the
# sector has a thousand and more) a page of checkboxes is no use, and they are named instead.
ORGANISATIONS_AS_CHECKBOXES = 40


class NamedOrganisationsField(forms.CharField):
    """Organisations named one to a line, by name (in any case) or by short name (slug)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, *, queryset: QuerySet[Organisation], **kwargs) -> None:
        self.queryset = queryset
        super().__init__(max_length=20000, **kwargs)

    def clean(self, value) -> list[Organisation]:
        text = super().clean(value)
        named = list(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))
        lowered = [n.lower() for n in named]
        found: dict[str, Organisation] = {}
        for organisation in self.queryset.annotate(lower_name=Lower("name")).filter(
            Q(slug__in=named) | Q(lower_name__in=lowered)
        ):
            found[organisation.slug] = found[organisation.name.lower()] = organisation
        unknown = [n for n in named if n not in found and n.lower() not in found]
        if unknown:
            more = f" and {len(unknown) - 3} more" if len(unknown) > 3 else ""
            raise forms.ValidationError(
                "No organisation is called "
                + ", ".join(f"“{n[:100]}”" for n in unknown[:3])
                + f"{more}: give each by its full name, one to a line."
            )
        return list({o.pk: o for o in (found.get(n) or found[n.lower()] for n in named)}.values())


def organisations_field(
    queryset: QuerySet[Organisation], *, label: str, help_text: str = ""
) -> forms.Field:
    """A field for the organisations something concerns: a list of checkboxes (by slug) for a
    few, and a box to name them in for many. Either cleans to a list of organisations."""
    if queryset.count() <= ORGANISATIONS_AS_CHECKBOXES:
        return forms.ModelMultipleChoiceField(
            queryset=queryset.order_by("name"),
            to_field_name="slug",
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label=label,
            help_text=help_text,
            error_messages={"invalid_choice": "Choose organisations from the list."},
        )
    named = "One to a line, by its full name."
    return NamedOrganisationsField(
        queryset=queryset,
        required=False,
        label=label,
        help_text=f"{named} {help_text}" if help_text else named,
    )


class SignInForm(GovukMixin, AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Enter the correct e-mail address and password for your account. "
        "The password is case-sensitive.",
    }
    username = forms.EmailField(
        label="E-mail address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class ResetForm(GovukMixin, PasswordResetForm):
    pass


class NewPasswordForm(GovukMixin, SetPasswordForm):
    pass


class RegistrationForm(GovukForm):
    full_name = forms.CharField(
        max_length=200, label="Full name", widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label="E-mail address", widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        help_text="At least 10 characters; not a common password.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class TokenForm(GovukForm):
    name = forms.CharField(
        max_length=100,
        label="What the token is for",
        help_text="For example: “nightly export script”.",
    )


class DeclarationForm(GovukForm):
    nil_return = forms.BooleanField(required=False, label="I have no interests to declare")
    interests = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Employment, directorships, shareholdings, contracts and close relationships "
        "with organisations in or supplying the energy sector.",
    )

    def __init__(self, *args, organisations: QuerySet[Organisation], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisations"] = organisations_field(
            organisations, label="Organisations in which you have an interest"
        )


class AppointmentForm(GovukForm):
    email = forms.EmailField(
        label="E-mail address of the person appointed",
        help_text="They must have registered first.",
    )
    role = forms.ChoiceField(choices=Role.choices)
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.all())
    start = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    chair = forms.BooleanField(required=False, label="Chair (of the Board, or of the advisors)")


class EndAppointmentForm(GovukForm):
    end = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Last day")


class OrganisationForm(GovukForm):
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=OrganisationKind.choices)
    sector = forms.ChoiceField(choices=Sector.choices)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    website = forms.URLField(required=False, assume_scheme="https")
