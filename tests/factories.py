"""factory_boy factories. Records are made through the services, so tests see real audit chains."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from orchestrator.core import services
from orchestrator.core.models import Document, Item, Visibility
from orchestrator.people import services as people
from orchestrator.people.models import Organisation, OrganisationKind, Role, User


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.OTHER
    sector = "energy"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def appoint(user: User, role: str, organisation: Organisation, *, chair: bool = False):
    return people.appoint(
        actor=None,
        user=user,
        role=role,
        organisation=organisation,
        start=timezone.localdate() - dt.timedelta(days=30),
        chair=chair,
    )


def person(role: str | None = None, organisation: Organisation | None = None, **kwargs) -> User:
    user = UserFactory(**kwargs)
    if role is not None:
        appoint(user, role, organisation or OrganisationFactory())
    return user


def triager(team: Organisation | None = None) -> User:
    team = team or OrganisationFactory(kind=OrganisationKind.ORCHESTRATOR_TEAM)
    return person(Role.RESEARCH_ENGAGEMENT, team)


def document(*, author: User, owner: Organisation, title: str = "A document", **fields) -> Document:
    return services.create_item(
        actor=author,
        owner=owner,
        title=title,
        summary=fields.pop("summary", "Summary"),
        body=fields.pop("body", "Body text"),
        fields=fields or None,
    )


def published(
    *,
    author: User,
    owner: Organisation,
    by: User,
    outcome: str = Visibility.OPEN,
    title: str = "A document",
    restricted_to=(),
    **triage,
) -> Document:
    """A document triaged to `outcome` and published."""
    item = document(author=author, owner=owner, title=title)
    return publish(item, by=by, outcome=outcome, restricted_to=restricted_to, **triage)


def publish(
    item: Item, *, by: User, outcome: str = Visibility.OPEN, restricted_to=(), **triage
) -> Item:
    """Triage a draft of any kind to `outcome` (with a rationale and a finding if less than open) and
    publish it."""
    if outcome != Visibility.OPEN:
        triage.setdefault("rationale", f"Withheld as {outcome} for the test.")
        triage.setdefault(
            "sensitivities",
            [{"category": "commercial", "finding": "Commercial detail.", "mitigation": "restrict"}],
        )
    services.triage_item(
        item=item,
        actor=by,
        outcome=outcome,
        restricted_to=list(restricted_to),
        review_by=timezone.localdate() + dt.timedelta(days=90),
        **triage,
    )
    return services.publish_item(item=item, actor=by)


def decided(
    *,
    owner: User,
    by: User,
    title: str = "The data catalogue is shared digital infrastructure",
    outcome: str = Visibility.OPEN,
):
    """A decision the product owner `owner` has taken (on its evidence, without advice), triaged
    to `outcome` and published by `by`: what a designation names."""
    from orchestrator.decisions import services as decisions

    decision = decisions.schedule_decision(
        actor=owner,
        title=title,
        question=f"Is it so: {title.lower()}?",
        summary="Whether it is shared digital infrastructure.",
        context="The sector needs it, and no one organisation can provide it alone.",
        scheduled_on=timezone.localdate(),
        options=[{"title": "Yes"}, {"title": "No"}],
    )
    decisions.start_gathering_evidence(actor=owner, decision=decision)
    decisions.decide(
        decision=decision,
        actor=owner,
        outcome=decision.options.get(label="A"),
        rationale="The evidence shows the sector needs one.",
    )
    publish(decision, by=by, outcome=outcome)
    decision.refresh_from_db()
    return decision
