"""Forms for signing in, registering, declaring interests and managing API tokens."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm

from orchestrator.core.forms import GovukForm, GovukMixin

from .models import Organisation, OrganisationKind, Role, Sector


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
    organisations = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Organisations in which you have an interest",
    )

    def __init__(self, *args, organisations, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = organisations


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
