"""`generate` writes an enterprise architecture: every layer, allowed relationships, states, audited."""

from __future__ import annotations

import pytest

from orchestrator.architecture.archimate import ELEMENT_TYPES, Layer, refusal
from orchestrator.architecture.models import (
    ArchitectureModel,
    Element,
    Relationship,
    Scope,
    State,
    StateKind,
)
from orchestrator.core import audit
from orchestrator.core.models import (
    AuditEvent,
    Item,
    Link,
    Relation,
    SearchEntry,
    Status,
    Visibility,
)
from orchestrator.demo.generate import PATTERNS, SCALES, generate
from orchestrator.planning.models import Investment

pytestmark = pytest.mark.django_db


@pytest.fixture
def small(capsys):
    generate(scale="small", seed=13)
    return capsys.readouterr()


def test_national_is_at_least_what_the_issue_asks_for():
    national = SCALES["national"]
    assert national.elements >= 100_000 and national.relationships >= 300_000
    assert 3 <= national.architecture_models <= 10  # a handful of enterprise models


def test_every_pattern_the_generator_uses_is_allowed_and_the_layers_are_all_there():
    assert not [p for p in PATTERNS if refusal(*p[:3])]
    used = {t for _, source, target, _ in PATTERNS for t in (source, target)}
    assert {ELEMENT_TYPES[t].layer for t in used} == set(Layer)


def test_small_writes_enterprise_models_with_elements_in_every_layer(small):
    size = SCALES["small"]
    models = ArchitectureModel.objects.all()
    assert models.count() == size.architecture_models
    assert set(models.values_list("scope", flat=True)) == {Scope.ENTERPRISE}
    assert size.elements <= Element.objects.count() < 2 * size.elements
    assert set(Element.objects.values_list("layer", flat=True)) == {layer.value for layer in Layer}
    for element in Element.objects.all():
        # The layer follows from the type, though bulk loading never called save().
        assert element.layer == ELEMENT_TYPES[element.archimate_type].layer.value
        assert element.names == {"en": element.title}
        element.full_clean()
    # Each model has its governance framework, kinds of element of their own.
    for model in models:
        kinds = set(model.elements.values_list("kind", flat=True))
        assert {"principle", "constraint", "requirement"} <= kinds
    assert "architecture: 3 models" in small.out
    assert "relationships (" in small.err and "state memberships (" in small.err


def test_every_relationship_is_one_archimate_allows(small):
    size = SCALES["small"]
    relationships = Relationship.objects.select_related("source", "target")
    assert size.relationships <= relationships.count() < 2 * size.relationships
    for r in relationships:
        assert refusal(r.type, r.source.archimate_type, r.target.archimate_type) is None, r
        assert r.source.model_id == r.model_id == r.target.model_id
        r.full_clean()
    assert relationships.filter(type="Access").exclude(access_type="").exists()
    assert len(set(relationships.values_list("type", flat=True))) >= 8


def test_elements_have_the_generators_visibility_mix(small):
    elements = Item.objects.filter(kind=Element.KIND)
    published = set(elements.filter(status=Status.PUBLISHED).values_list("visibility", flat=True))
    assert published == set(Visibility.values)
    assert elements.filter(status=Status.DRAFT).exists()
    seen = Element.objects.visible_to(None).count()
    assert 0.5 * elements.count() < seen < elements.count()
    # A relationship with a hidden end is hidden too.
    assert 0 < Relationship.objects.visible_to(None).count() < Relationship.objects.count()


def test_each_model_has_as_is_transition_and_to_be_states_with_members(small):
    for model in ArchitectureModel.objects.all():
        states = {s.kind: s for s in State.objects.filter(model=model)}
        assert set(states) == set(StateKind.values)
        baseline, target = states[StateKind.BASELINE], states[StateKind.TARGET]
        assert baseline.elements.exists() and target.elements.exists()
        assert baseline.relationships.exists() and target.relationships.exists()
        assert states[StateKind.TRANSITION].elements.exists()
        # Some elements are retiring (as-is only), some new (to-be only).
        as_is = set(baseline.elements.values_list("pk", flat=True))
        to_be = set(target.elements.values_list("pk", flat=True))
        assert as_is - to_be and to_be - as_is and as_is & to_be
        # A relationship belongs to a state only when both its ends do.
        for r in target.relationships.all():
            assert {r.source_id, r.target_id} <= to_be
        assert (
            not State.elements.through.objects.exclude(element__model_id=model.pk)
            .filter(state__model_id=model.pk)
            .exists()
        )


def test_investments_depend_on_open_elements(small):
    links = Link.objects.filter(relation=Relation.DEPENDS_ON, target__kind=Element.KIND)
    assert links.exists()
    assert set(links.values_list("source__kind", flat=True)) == {Investment.KIND}
    assert not links.exclude(target__visibility=Visibility.OPEN).exists()


def test_the_architecture_is_audited_as_its_services_record_it_and_the_chain_verifies(small):
    kinds = [Element.KIND, "principle", "constraint", "requirement"]
    created = AuditEvent.objects.filter(action="item.created", data__kind__in=kinds)
    assert created.count() == Element.objects.count()
    related = AuditEvent.objects.filter(action="relationship.created")
    assert related.count() == Relationship.objects.count()
    r = Relationship.objects.select_related("source", "target").first()
    event = related.get(item_uid=r.source.uid, data__identifier=r.identifier)
    assert event.data == {"identifier": r.identifier, "type": r.type, "source": r.source.uid,
                          "target": r.target.uid}  # fmt: skip
    assert event.actor.appointments.filter(role="architect").exists()
    assert AuditEvent.objects.filter(action="state.created").count() == State.objects.count()
    placed = AuditEvent.objects.filter(action="state.joined")
    elements = sum(len(e.data["elements"]) for e in placed)
    relationships = sum(len(e.data["relationships"]) for e in placed)
    assert elements == State.elements.through.objects.count()
    assert relationships == State.relationships.through.objects.count()
    assert SearchEntry.objects.filter(item__kind__in=kinds).count() == Element.objects.count()
    result = audit.verify()
    assert result.ok, result.reason
