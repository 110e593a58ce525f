"""Forms for the plan: objectives, metrics, investments, milestones, RAID entries, RACI, versions."""

from __future__ import annotations

from django import forms

from orchestrator.core.forms import GovukForm
from orchestrator.people.models import Organisation, Role

from .models import Confidence, Direction, Phase, Proximity, Raci


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


DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def _date(label: str, *, required: bool = False, help_text: str = "For example, 31/3/2027"):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": "Give a real date, like 31/3/2027."},
    )


def _uid(label: str, *, required: bool = False, help_text: str = "The record's identifier"):
    return forms.CharField(label=label, required=required, max_length=10, help_text=help_text)


def _uids(label: str, help_text: str = "Identifiers, separated by spaces or commas"):
    return forms.CharField(label=label, required=False, max_length=2000, help_text=help_text)


def split_uids(value: str) -> list[str]:
    return [uid for uid in value.replace(",", " ").split() if uid]


class InvestmentForm(_Owned):
    purpose = forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    capabilities = forms.CharField(
        max_length=5000,
        label="High-level capabilities and services",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    phase = forms.ChoiceField(choices=Phase.choices, label="Current GOV.UK phase")
    discovery_began = _date("Discovery began")
    alpha_began = _date("Alpha began")
    beta_began = _date("Beta began")
    live_began = _date("Live began")
    retired_began = _date("Retired on")
    cost_low = forms.CharField(
        required=False, max_length=20, label="Cost estimate from (£)", help_text="A whole number"
    )
    cost_high = forms.CharField(required=False, max_length=20, label="Cost estimate to (£)")
    cost_confidence = forms.ChoiceField(
        required=False,
        choices=[("", "Not estimated"), *Confidence.choices],
        label="Confidence in the estimate",
    )
    technical_details_url = forms.URLField(
        required=False,
        assume_scheme="https",
        max_length=500,
        label="Where to find the technical details",
    )
    designated_sdi = forms.BooleanField(
        required=False, label="Designated shared digital infrastructure"
    )
    left_to_market = forms.BooleanField(
        required=False, label="Left to the market (decided not to be shared digital infrastructure)"
    )
    designated_by = _uid(
        "The decision that designated it, or left it to the market",
        help_text="The identifier of a decision that has been taken",
    )
    objectives = _uids("Strategic objectives it serves")
    metrics = _uids("Success metrics that measure it")


class MilestoneForm(GovukForm):
    investment = _uid("The investment", required=True, help_text="The investment's identifier")
    title = forms.CharField(max_length=300)
    summary = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    phase = forms.ChoiceField(
        required=False, choices=[("", "Not in a phase"), *Phase.choices], label="Phase"
    )
    planned_on = _date("Planned date", required=True)
    forecast_on = _date("Forecast date")
    actual_on = _date("Date reached")
    depends_on = _uids("Milestones it depends on")


class DependencyForm(GovukForm):
    prerequisite = _uid(
        "The milestone it depends on", required=True, help_text="That milestone's identifier"
    )


class _Raid(_Owned):
    investment = _uid("The investment it concerns (optional)")
    managed_by = forms.CharField(
        required=False, max_length=200, help_text="The role or organisation that manages it"
    )
    review_on = _date("Next review")


SCORES = [(str(n), str(n)) for n in range(1, 6)]


class RiskForm(_Raid):
    cause = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    event = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    effect = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    likelihood = forms.ChoiceField(choices=SCORES, widget=forms.RadioSelect, help_text="1 to 5")
    impact = forms.ChoiceField(choices=SCORES, widget=forms.RadioSelect, help_text="1 to 5")
    proximity = forms.ChoiceField(choices=Proximity.choices, initial=Proximity.MEDIUM)
    mitigation = forms.CharField(
        required=False,
        max_length=5000,
        label="Mitigating actions",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    residual_likelihood = forms.ChoiceField(
        required=False, choices=[("", "Not scored"), *SCORES], label="Residual likelihood"
    )
    residual_impact = forms.ChoiceField(
        required=False, choices=[("", "Not scored"), *SCORES], label="Residual impact"
    )
    identified_on = _date("Identified on", help_text="Leave blank for today")


class IssueForm(_Raid):
    occurred_on = _date("It happened on", required=True)
    severity = forms.ChoiceField(choices=SCORES, widget=forms.RadioSelect, help_text="1 to 5")
    resolution = forms.CharField(
        required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    foreseen_by = _uid(
        "The risk that foresaw it (optional)", help_text="Leave blank if no risk foresaw it"
    )


class AssumptionForm(_Raid):
    test = forms.CharField(
        required=False,
        max_length=2000,
        label="How it will be tested",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RaidDependencyForm(_Raid):
    external = forms.BooleanField(required=False, label="On an outside organisation")
    on_organisation = forms.ModelChoiceField(
        required=False, queryset=Organisation.objects.all(), label="The outside organisation"
    )
    need_by = _date("Needed by")


class FeatureForm(GovukForm):
    name = forms.CharField(max_length=200)
    target_date = _date("Target date", required=True)
    delivered_on = _date("Delivered on")


class ActivityForm(GovukForm):
    name = forms.CharField(max_length=300, label="Activity")
    work_area = forms.CharField(
        required=False, max_length=200, help_text="Only for an activity not of one investment"
    )


class AssignmentForm(GovukForm):
    part = forms.ChoiceField(choices=Raci.choices, widget=forms.RadioSelect)
    organisation = forms.ModelChoiceField(required=False, queryset=Organisation.objects.all())
    role = forms.ChoiceField(required=False, choices=[("", "Not a role"), *Role.choices])


class PlanVersionForm(GovukForm):
    summary = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What changed in the plan since the last version, and why",
    )
    body = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 6}), help_text="Markdown"
    )
