"""Forms for the plan: an objective, a success metric, a measurement."""

from __future__ import annotations

from django import forms

from orchestrator.core.forms import GovukForm
from orchestrator.people.models import Organisation

from .models import Direction


class _Owned(GovukForm):
    owner = forms.ModelChoiceField(queryset=Organisation.objects.all(), label="Owner organisation")
    title = forms.CharField(max_length=300)
    summary = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    body = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 8}), help_text="Markdown"
    )


class ObjectiveForm(_Owned):
    pass


class MetricForm(_Owned):
    unit = forms.CharField(
        required=False, max_length=60, help_text="What the numbers count: %, organisations, days"
    )
    direction = forms.ChoiceField(
        choices=Direction.choices,
        widget=forms.RadioSelect,
        initial=Direction.HIGHER,
        label="Better when",
    )
    baseline = forms.CharField(required=False, max_length=30)
    target = forms.CharField(required=False, max_length=30)
    target_date = forms.DateField(
        required=False,
        label="Target date",
        help_text="For example, 31/3/2028",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
    )
    measures = forms.CharField(
        required=False,
        max_length=10,
        label="The objective it measures (optional)",
        help_text="The objective's identifier",
    )


class MeasurementForm(GovukForm):
    value = forms.CharField(max_length=30, error_messages={"required": "Give a number."})
    measured_on = forms.DateField(
        label="Date measured",
        help_text="For example, 31/3/2026",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={
            "required": "Give the date it was measured.",
            "invalid": "Give a real date, like 31/3/2026.",
        },
    )
    source = forms.CharField(
        max_length=500,
        help_text="Where the number comes from",
        error_messages={"required": "Say where the number comes from."},
    )
