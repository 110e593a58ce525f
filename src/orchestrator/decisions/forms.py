"""Forms of decision making: the schedule's filters, scheduling a decision, and each step of its
process. The services validate what matters; the forms say what is missing before they are asked."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Fieldset, Layout
from django import forms

from orchestrator.core.forms import GovukForm
from orchestrator.people.forms import organisations_field
from orchestrator.people.models import Organisation

from .models import Assurance, DecisionType, Stage

if TYPE_CHECKING:
    from .models import ConsultationResponse, Option

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]
UID_MAX = 40  # a pasted identifier, with room for a stray character to be reported rather than cut
OPTION_PARTS = (
    ("title", "Title", 300),
    ("description", "Description", 20000),
    ("benefits", "Benefits", 20000),
    ("costs", "Costs", 20000),
    ("risks", "Risks", 20000),
)
YES_NO = [("yes", "Yes"), ("no", "No")]


def _listed(choices) -> str:
    return ", ".join(str(label).lower() for _value, label in choices)


def _text(label: str, *, required: bool = True, rows: int = 4, limit: int = 20000, **kwargs):
    return forms.CharField(
        label=label,
        required=required,
        max_length=limit,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


def _date(label: str, **kwargs) -> forms.DateField:
    # A native date picker where the browser has one; typed as 31/3/2027 or 2027-03-31 otherwise.
    return forms.DateField(
        label=label,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Give a real date, like 31/3/2027.", "required": "Give a date."},
        **kwargs,
    )


def _moment(label: str, **kwargs) -> forms.DateTimeField:
    # A naive date and time is read in the site's time zone (Europe/London), as people mean it.
    return forms.DateTimeField(
        label=label,
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "invalid": "Give a real date and time, like 31/3/2027 09:00.",
            "required": "Give a date and time.",
        },
        **kwargs,
    )


def _uid(label: str, *, required: bool = False, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=UID_MAX,
        help_text=help_text or "The record's identifier: the part of its address after /k/",
    )


def split_uids(value: str) -> list[str]:
    """Identifiers separated by spaces or commas, each once, in the order given."""
    return list(dict.fromkeys(uid for uid in value.replace(",", " ").split() if uid))


class ScheduleFilterForm(GovukForm):
    stage = forms.ChoiceField(
        required=False,
        label="Stage",
        choices=[("", "Any stage"), *Stage.choices],
        error_messages={
            "invalid_choice": f"The stage filter must be one of: {_listed(Stage.choices)}."
        },
    )
    type = forms.ChoiceField(
        required=False,
        label="Type",
        choices=[("", "Any type"), *DecisionType.choices],
        error_messages={
            "invalid_choice": f"The type filter must be one of: {_listed(DecisionType.choices)}."
        },
    )

    def filters(self) -> tuple[str, str]:
        """The valid filters: a bad one is dropped (and reported), and the other still applies."""
        if not self.is_bound:
            return "", ""
        self.is_valid()
        return self.cleaned_data.get("stage", ""), self.cleaned_data.get("type", "")


def _option_fields(letter: str, *, required: bool) -> dict[str, forms.Field]:
    fields = {}
    for part, label, limit in OPTION_PARTS:
        name = f"option_{letter.lower()}_{part}"
        if part == "title":
            fields[name] = forms.CharField(
                label=label,
                required=required,
                max_length=limit,
                error_messages={"required": f"Give option {letter} a title."},
            )
        else:
            fields[name] = _text(
                label,
                required=required,
                rows=3,
                limit=limit,
                error_messages={"required": f"Give option {letter}'s {part}."},
            )
    return fields


class OptionsMixin:
    """Options A and B are required, each with its benefits, costs and risks; C is optional, but
    complete if it is given."""

    LETTERS = ("A", "B", "C")

    def option_layout(self) -> list[Fieldset]:
        return [
            Fieldset(
                *(f"option_{letter.lower()}_{part}" for part, _label, _limit in OPTION_PARTS),
                legend=f"Option {letter}" + (" (optional)" if letter == "C" else ""),
                legend_size="m",
            )
            for letter in self.LETTERS
        ]

    def clean_options(self, data: dict) -> None:
        given = {part: (data.get(f"option_c_{part}") or "").strip() for part, _, _ in OPTION_PARTS}
        if any(given.values()):
            for part, value in given.items():
                if not value:
                    self.add_error(
                        f"option_c_{part}",
                        f"Give option C {'a title' if part == 'title' else 'its ' + part}, or "
                        "leave all of option C empty.",
                    )

    def options(self) -> list[dict[str, str]]:
        out = []
        for letter in self.LETTERS:
            values = {
                part: self.cleaned_data.get(f"option_{letter.lower()}_{part}", "")
                for part, _, _ in OPTION_PARTS
            }
            if any(values.values()):
                out.append(values)
        return out


class ScheduleForm(OptionsMixin, GovukForm):
    """Put a decision on the schedule, with the options it will choose between."""

    title = forms.CharField(max_length=300, error_messages={"required": "Give a short title."})
    summary = _text(
        "Summary",
        required=False,
        rows=2,
        limit=2000,
        help_text="One or two sentences, shown in lists and search results",
    )
    question = _text(
        "The question to be decided",
        limit=2000,
        error_messages={"required": "Write the question to be decided."},
    )
    context = _text("Context", required=False, rows=6, help_text="Why the question arises now")
    decision_type = forms.ChoiceField(
        label="Type of decision",
        choices=DecisionType.choices,
        initial=DecisionType.OTHER,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the type of decision.",
            "invalid_choice": f"Choose the type of decision: {_listed(DecisionType.choices)}.",
        },
    )
    scheduled_on = _date("Date the decision is planned for", help_text="For example, 31/3/2027")
    affects = forms.CharField(
        label="Records it affects (optional)",
        required=False,
        max_length=2000,
        help_text="Identifiers of investments, architecture elements, designs or work packages, "
        "separated by spaces or commas",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for letter in self.LETTERS:
            self.fields.update(_option_fields(letter, required=letter != "C"))
        self.fields["concerns"] = organisations_field(
            Organisation.objects.all(),
            label="Organisations it concerns (optional)",
            help_text="An Independent Technical Advisor who declared an interest in one of them "
            "withdraws from advising on it",
        )
        order = ["title", "summary", "question", "context", "decision_type", "scheduled_on"]
        options = [
            f"option_{c.lower()}_{part}" for c in self.LETTERS for part, _, _ in OPTION_PARTS
        ]
        # The error summary lists errors in field order, so it follows the page.
        self.order_fields([*order, *options, "affects", "concerns"])
        self.helper.layout = Layout(*order, *self.option_layout(), "affects", "concerns")

    def clean(self):
        data = super().clean()
        self.clean_options(data)
        return data


class OptionForm(GovukForm):
    """Another option, while the evidence is gathered."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, field in _option_fields("X", required=True).items():
            part = name.removeprefix("option_x_")
            field.error_messages["required"] = (
                "Give the option a title." if part == "title" else f"Give the option's {part}."
            )
            self.fields[part] = field


class EvidenceForm(GovukForm):
    description = _text(
        "What the evidence shows",
        rows=3,
        limit=500,
        error_messages={"required": "Say what the evidence shows."},
    )
    url = forms.CharField(
        label="Web address (or give a record below)",
        required=False,
        max_length=1000,
        help_text="Starting https://",
    )
    record = _uid("A record of the knowledge base (or give a web address above)")


class AffectsForm(GovukForm):
    affects = _uid(
        "The record it affects",
        required=True,
        help_text="The identifier of an investment, architecture element, design or work "
        "package: the part of its address after /k/",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["affects"].error_messages["required"] = "Give the record's identifier."


class CommentForm(GovukForm):
    comment = _text("Comment (optional)", required=False, limit=5000)

    def __init__(self, *args, label: str = "", hint: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if label:
            self.fields["comment"].label = label
        self.fields["comment"].help_text = hint


class ReasonForm(GovukForm):
    reason = _text("Reason", limit=5000)

    def __init__(self, *args, label: str = "Reason", required_message: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].error_messages["required"] = required_message or "Give the reason."


class DeferForm(GovukForm):
    until = _date("The new date", help_text="For example, 31/3/2027")
    reason = _text(
        "Why the decision is deferred",
        limit=5000,
        error_messages={"required": "Say why the decision is deferred."},
    )


def _option_choices(options: list[Option], recommended: Option | None) -> list[Choice]:
    return [
        Choice(
            str(o.pk),
            f"Option {o.label}: {o.title}",
            **(
                {"hint": "The advisors' consolidated recommendation"}
                if recommended and o.pk == recommended.pk
                else {}
            ),
        )
        for o in options
    ]


class _ChooseOption(GovukForm):
    """A choice between this decision's options: a posted option of another decision is refused,
    never looked up."""

    field_name = "option"
    label = "The option"

    def __init__(
        self, *args, options: list[Option], recommended: Option | None = None, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.option_by_pk = {str(o.pk): o for o in options}
        letters = " or ".join(o.label for o in options) or "none"
        self.fields[self.field_name] = forms.ChoiceField(
            label=self.label,
            choices=_option_choices(options, recommended),
            widget=forms.RadioSelect,
            error_messages={
                "required": "Choose one of the options.",
                "invalid_choice": f"Choose one of this decision's options ({letters}): the "
                "option you sent is not one of them.",
            },
        )
        # The option first, then the text explaining it.
        self.order_fields([self.field_name])

    def chosen(self) -> Option:
        return self.option_by_pk[self.cleaned_data[self.field_name]]


class RecommendForm(_ChooseOption):
    label = "The option you recommend"
    reasoning = _text(
        "Your reasoning, from the evidence",
        rows=6,
        error_messages={"required": "Write the reasoning for the recommendation."},
    )


class ConsultationForm(GovukForm):
    opens = _moment("Opens", help_text="Date and time, UK time")
    closes = _moment("Closes", help_text="Date and time, UK time")


class RespondForm(GovukForm):
    response = _text(
        "Your response",
        rows=8,
        help_text="Say what you think of the options, and why",
        error_messages={"required": "Write your response."},
    )
    consent_to_publish = forms.BooleanField(
        required=False,
        label="You may publish my response, with any personal data taken out",
    )


class FeedbackSummaryForm(GovukForm):
    summary = _text(
        "Summary of feedback",
        rows=8,
        help_text="What respondents said, including those who asked not to be published",
        error_messages={"required": "Write the summary of feedback."},
    )


class DecideForm(_ChooseOption):
    field_name = "outcome"
    label = "The option chosen"
    rationale = _text(
        "Rationale",
        rows=6,
        help_text="Why this option, from the evidence and the advice",
        error_messages={"required": "Write the rationale for the decision."},
    )
    departure = _text(
        "Why you depart from the advisors' recommendation",
        required=False,
        rows=5,
        help_text="Only if you choose another option than the advisors recommended",
    )
    consequences = _text("Consequences (optional)", required=False, rows=4)
    supersedes = _uid(
        "The decision it supersedes (optional)",
        help_text="The identifier of an earlier decision this one replaces",
    )

    def __init__(self, *args, options: list[Option], recommended: Option | None = None, **kw):
        super().__init__(*args, options=options, recommended=recommended, **kw)
        self.order_fields(["outcome", "rationale", "departure", "consequences", "supersedes"])


class OpinionForm(GovukForm):
    opinion = _text(
        "Your opinion",
        rows=8,
        help_text="Of the decision and of the process that led to it",
        error_messages={"required": "Write your opinion."},
    )


class ReviewForm(GovukForm):
    outcome = forms.ChoiceField(
        label="The Board's assurance",
        choices=Assurance.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose assured, assured with comments, or not assured.",
            "invalid_choice": "Choose assured, assured with comments, or not assured.",
        },
    )
    reasons = _text(
        "Reasons or comments",
        required=False,
        rows=6,
        help_text="Needed unless the Board is assured without comment",
    )


class TriageResponseForm(GovukForm):
    publish = forms.ChoiceField(
        label="Publish the response?",
        choices=[("yes", "Yes, publish it"), ("no", "No, do not publish it")],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether to publish the response."},
    )
    personal_data = forms.ChoiceField(
        label="Does it contain personal data?",
        choices=YES_NO,
        initial="no",
        widget=forms.RadioSelect,
        help_text="If it does, the respondent's own words are redacted and the text below is "
        "published instead",
        error_messages={"required": "Say whether it contains personal data."},
    )
    published_text = _text(
        "The text to publish, with any personal data taken out",
        required=False,
        rows=8,
    )
    reason = _text(
        "Why it is not published (only if not publishing)",
        required=False,
        rows=3,
        limit=2000,
    )

    def __init__(self, *args, response: ConsultationResponse, **kwargs) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("published_text", response.response)
        super().__init__(*args, **kwargs)
