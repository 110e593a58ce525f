"""Forms for records: create, edit (with the version it was loaded at), triage, publish."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from orchestrator.core.forms import GovukForm
from orchestrator.core.models import (
    UID_PATTERN,
    DocumentType,
    Mitigation,
    Relation,
    Sensitivity,
    Topic,
    Visibility,
)
from orchestrator.core.services import MAX_BODY_BYTES
from orchestrator.people.models import Organisation


def _body_size(value: str) -> str:
    if len(value.encode()) > MAX_BODY_BYTES:
        raise ValidationError("The body is over 1 MB; split it into several records or link to it.")
    return value


class RecordFieldsForm(GovukForm):
    title = forms.CharField(max_length=300)
    summary = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One or two sentences: what this is and why it matters.",
    )
    body = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        validators=[_body_size],
        help_text="Markdown. Headings, lists, links, tables and code are kept; anything else is removed.",
    )
    subject = forms.CharField(
        required=False,
        max_length=300,
        label="Keywords",
        help_text="Separate keywords with commas.",
    )


class DocumentCreateForm(RecordFieldsForm):
    owner = forms.ModelChoiceField(queryset=Organisation.objects.none(), label="Owner organisation")
    document_type = forms.ChoiceField(choices=DocumentType.choices, label="Type of document")

    field_order = ["owner", "document_type", "title", "summary", "body", "subject"]

    def __init__(self, *args, organisations, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = organisations


class RecordEditForm(RecordFieldsForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def edit_form_for(model: type) -> type[RecordEditForm]:
    """The edit form of a kind: the common fields, then the kind's own `EDIT_FIELDS`."""
    if not model.EDIT_FIELDS:
        return RecordEditForm
    own = forms.fields_for_model(
        model,
        fields=model.EDIT_FIELDS,
        formfield_callback=lambda f, **kw: f.formfield(
            **({"assume_scheme": "https"} if isinstance(f, models.URLField) else {}), **kw
        ),
    )
    for field in own.values():
        # Left out, a field keeps its value (see portal.views.item_edit); the model says what it needs.
        field.required = False
        if isinstance(field, forms.DateField):
            field.input_formats = ["%d/%m/%Y", "%Y-%m-%d"]
            field.help_text = field.help_text or "For example, 31/3/2027"
    return type(f"{model.__name__}EditForm", (RecordEditForm,), own)


class TriageForm(GovukForm):
    outcome = forms.ChoiceField(
        choices=Visibility.choices,
        widget=forms.RadioSelect,
        label="Who may see this record",
        help_text="Presumed open: choose Open unless a finding below says otherwise.",
    )
    rationale = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required for anything less than open. It is published in the withheld register.",
    )
    restricted_to = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Organisations that may see a restricted record",
    )
    redacted_fields = forms.MultipleChoiceField(
        choices=(), required=False, widget=forms.CheckboxSelectMultiple, label="Fields to redact"
    )
    review_by = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        label="Review by",
        help_text="The date by which this triage must be looked at again.",
    )
    title_public = forms.BooleanField(
        required=False, initial=True, label="The withheld register may show the title"
    )

    def __init__(self, *args, redactable: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["redacted_fields"].choices = [(f, f.replace("_", " ")) for f in redactable]
        self.fields["review_by"].initial = timezone.localdate() + dt.timedelta(days=365)
        for value, label in Sensitivity.choices:
            self.fields[f"finding_{value}"] = forms.CharField(
                required=False,
                label=f"Finding: {label}",
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"mitigation_{value}"] = forms.ChoiceField(
                choices=Mitigation.choices, required=False, label=f"Mitigation: {label}"
            )

    def sensitivities(self) -> list[dict[str, str]]:
        data = self.cleaned_data
        return [
            {
                "category": value,
                "finding": data.get(f"finding_{value}", ""),
                "mitigation": data.get(f"mitigation_{value}") or Mitigation.NONE,
            }
            for value in Sensitivity.values
        ]


class ArchiveForm(GovukForm):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))


class LinkForm(GovukForm):
    relation = forms.ChoiceField(choices=Relation.choices, label="This record …")
    target = forms.RegexField(
        regex=rf"^\s*{UID_PATTERN}\s*$",
        label="… the record with identifier",
        help_text="The 10-character identifier at the end of the record's address, e.g. 4f7k2m9q1x.",
        error_messages={"invalid": "Enter a record identifier: 10 letters and digits."},
    )
    note = forms.CharField(required=False, max_length=500, label="Note (optional)")

    def clean_target(self) -> str:
        return self.cleaned_data["target"].strip()


class TopicForm(GovukForm):
    name = forms.CharField(max_length=200, help_text="A short name people will recognise.")
    description = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What records belong here.",
    )


class FileUnderTopicForm(GovukForm):
    topic = forms.ModelChoiceField(queryset=Topic.objects.none(), label="Topic")

    def __init__(self, *args, exclude, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = Topic.objects.exclude(pk__in=exclude.values("pk"))
