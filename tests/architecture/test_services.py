"""Elements and relationships through the services: ArchiMate's rules, permissions and the audit chain."""

from __future__ import annotations

import pytest

from orchestrator.architecture import services
from orchestrator.architecture.models import Element, Principle, Relationship
from orchestrator.core.errors import Conflict, PermissionDenied, ValidationError
from orchestrator.core.models import AuditEvent


def test_an_architect_builds_elements_and_relates_them(estate):
    component = services.create_element(
        actor=estate.architect,
        model=estate.model,
        archimate_type="ApplicationComponent",
        title="Data catalogue",
    )
    service = services.create_element(
        actor=estate.architect,
        model=estate.model,
        archimate_type="ApplicationService",
        title="Dataset discovery",
    )
    assert component.layer == "application" and component.kind == "element"
    # A component realises a service only through its behaviour; serving it is allowed directly.
    rel = services.relate(actor=estate.architect, source=component, target=service, type="Serving")
    assert Relationship.objects.get(pk=rel.pk).type == "Serving"
    assert AuditEvent.objects.filter(action="relationship.created").count() == 1


def test_a_principle_is_its_own_kind(estate):
    principle = services.create_element(
        actor=estate.architect,
        model=estate.model,
        archimate_type="Principle",
        title="Open by default",
        fields={"rationale": "Presumed open.", "implications": "Publish designs."},
    )
    assert isinstance(principle, Principle) and principle.kind == "principle"
    assert Element.objects.filter(pk=principle.pk).exists()


@pytest.mark.parametrize(
    ("source", "type", "target", "says"),
    [
        ("Goal", "Access", "DataObject", "Access goes from behaviour or active structure"),
        ("BusinessActor", "Specialization", "BusinessRole", "same type"),
        (
            "DataObject",
            "Assignment",
            "ApplicationFunction",
            "Assignment goes from active structure",
        ),
        ("ApplicationComponent", "Influence", "Node", "Influence ends at a motivation element"),
        ("Goal", "Serving", "BusinessProcess", "Serving goes from behaviour"),
    ],
)
def test_a_relationship_archimate_forbids_is_refused_naming_the_rule(
    estate, source, type, target, says
):
    a = services.create_element(
        actor=estate.architect, model=estate.model, archimate_type=source, title="A"
    )
    b = services.create_element(
        actor=estate.architect, model=estate.model, archimate_type=target, title="B"
    )
    with pytest.raises(ValidationError) as caught:
        services.relate(actor=estate.architect, source=a, target=b, type=type)
    assert says in caught.value.message_dict["type"][0]
    assert not Relationship.objects.exists()


def test_only_the_architecture_team_maintain_the_enterprise_model(estate, world):
    with pytest.raises(PermissionDenied):
        services.create_element(
            actor=world.people["staff"],
            model=estate.model,
            archimate_type="Node",
            title="A server",
        )


def test_an_identifier_is_used_once_in_a_model(estate):
    services.create_element(
        actor=estate.architect,
        model=estate.model,
        archimate_type="Node",
        title="A",
        identifier="n1",
    )
    with pytest.raises(Conflict):
        services.create_element(
            actor=estate.architect,
            model=estate.model,
            archimate_type="Node",
            title="B",
            identifier="n1",
        )


def test_a_principle_cannot_become_a_goal_nor_an_element_a_principle(estate):
    from orchestrator.core.services import update_item

    principle = services.create_element(
        actor=estate.architect, model=estate.model, archimate_type="Principle", title="Open"
    )
    with pytest.raises(ValidationError) as caught:
        update_item(
            item=principle,
            actor=estate.architect,
            version=principle.version,
            changes={"archimate_type": "Goal"},
        )
    assert "archimate_type" in str(caught.value)
    node = services.create_element(
        actor=estate.architect, model=estate.model, archimate_type="Node", title="Server"
    )
    with pytest.raises(ValidationError, match="kinds of their own"):
        update_item(
            item=node,
            actor=estate.architect,
            version=node.version,
            changes={"archimate_type": "Principle"},
        )
    node.refresh_from_db()
    assert node.archimate_type == "Node"


def test_a_principle_without_its_rationale_is_in_the_quality_queue(estate, world):
    from orchestrator.core.quality import quality_queue

    from ..factories import publish

    thin = services.create_element(
        actor=estate.architect,
        model=estate.model,
        archimate_type="Principle",
        title="Reuse before build",
        summary="Use what exists.",
        fields={"implications": "Designs show the options considered."},
    )
    whole = services.create_element(
        actor=estate.architect,
        model=estate.model,
        archimate_type="Principle",
        title="Presumed open",
        summary="Open unless triage finds a reason.",
        fields={"rationale": "Accountability.", "implications": "Publish designs."},
    )
    for p in (thin, whole):
        publish(p, by=world.people["triager"])
    queued = set(quality_queue(world.people["triager"]).values_list("uid", flat=True))
    assert thin.uid in queued and whole.uid not in queued
