"""Forms of the engagement channel: raising a submission, and resolving one."""

from __future__ import annotations

from django import forms

from orchestrator.core.forms import GovukForm
from orchestrator.core.models import UID_PATTERN, Sensitivity, Visibility

from .models import Category
from .services import MAX_TEXT, MAX_TITLE

CATEGORY_HINTS = {
    Category.OPPORTUNITY: "Something the Orchestrator could do, use or build on.",
    Category.CONCERN: "Something you think is going wrong, or is being missed.",
    Category.RISK: "Something that might happen and harm the plans or the people they serve.",
    Category.DEPENDENCY: "Something the plans rely on, or that relies on them.",
    Category.FEEDBACK: "What you think of a plan, design, decision or this site.",
}


class SubmissionForm(GovukForm):
    category = forms.ChoiceField(
        choices=Category.choices,
        widget=forms.RadioSelect,
        label="What are you raising?",
        error_messages={"required": "Choose what you are raising."},
    )
    title = forms.CharField(
        max_length=MAX_TITLE,
        label="Title",
        help_text="A few words that sum it up. It is published.",
        error_messages={"required": "Give your submission a title."},
    )
    text = forms.CharField(
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 10}),
        label="Tell us about it",
        help_text=(
            f"Up to {MAX_TEXT:,} characters. Please do not include anyone's personal details: "
            "Research & Engagement remove any they find before publishing."
        ),
        error_messages={"required": "Write what you want to tell us: it cannot be empty."},
    )
    about = forms.RegexField(
        regex=rf"^{UID_PATTERN}$",
        required=False,
        label="Which record is it about? (optional)",
        help_text="The record's identifier: the last part of its address, like 7x3k9m2q4p.",
        error_messages={
            "invalid": "That is not a record identifier: it has 10 letters and digits."
        },
    )


DECISION_CHOICES = [
    ("accept", "Accept — it concerns a record, and is linked to it"),
    ("answer", "Answer it publicly"),
    ("merge", "Merge — it duplicates another submission"),
    ("decline", "Decline, with a reason"),
]


class ResolveForm(GovukForm):
    decision = forms.ChoiceField(choices=DECISION_CHOICES, widget=forms.RadioSelect)
    concerns = forms.RegexField(
        regex=rf"^{UID_PATTERN}$",
        required=False,
        label="The record it concerns (for accept)",
        help_text="Its identifier; left empty, the record the submitter named.",
    )
    answer = forms.CharField(
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        label="Public answer (for answer; optional for accept)",
    )
    duplicate_of = forms.RegexField(
        regex=rf"^{UID_PATTERN}$",
        required=False,
        label="The submission it duplicates (for merge)",
    )
    reason = forms.CharField(
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Why it is declined (for decline)",
    )
    outcome = forms.ChoiceField(
        # Restricting to named organisations is done by re-triaging the published record.
        choices=[c for c in Visibility.choices if c[0] != Visibility.RESTRICTED],
        initial=Visibility.OPEN,
        label="Who may see it once resolved",
        help_text="Presumed open: anything less needs a rationale.",
    )
    personal_data = forms.BooleanField(
        required=False,
        label="The text contains personal data: redact it",
        help_text="Its title, category, state and your answer stay public.",
    )
    sensitivity = forms.ChoiceField(
        required=False,
        choices=[("", "None")]
        + [c for c in Sensitivity.choices if c[0] != Sensitivity.PERSONAL_DATA],
        label="Sensitivity (if less than open)",
        help_text="Why it cannot be open; personal data is redacted instead, above.",
    )
    rationale = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Rationale (if less than open)",
    )
