"""The base of every form: rendered with GOV.UK Frontend (crispy-forms-gds), showing services' errors."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError


class GovukMixin:
    """Render the form's fields the GOV.UK way; the page supplies the <form> and the button."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def add_service_error(self, error: ValidationError) -> None:
        """Show a service's validation errors against the fields they name."""
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        else:
            self.add_error(None, error)


class GovukForm(GovukMixin, forms.Form):
    pass
