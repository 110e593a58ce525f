"""ArchiMate 3.1 as encoded: every element type the schema defines, and relationship rules that accept
every relationship in real models and refuse what the specification forbids."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from orchestrator.architecture.archimate import (
    ELEMENT_TYPES,
    RELATIONSHIP_END,
    RELATIONSHIP_TYPES,
    Layer,
    refusal,
)

CONFORMANCE = Path(__file__).resolve().parents[3] / "shared" / "conformance" / "archimate"
needs_conformance = pytest.mark.skipif(
    not CONFORMANCE.is_dir(), reason="the conformance suite (../shared/conformance) is absent"
)
XS = "{http://www.w3.org/2001/XMLSchema}"
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
NS = "{http://www.opengroup.org/xsd/archimate/3.0/}"


def _schema_types(base: str) -> set[str]:
    tree = etree.parse(str(CONFORMANCE / "xsd" / "3.1" / "archimate3_Model.xsd"))
    return {
        t.get("name")
        for t in tree.iter(f"{XS}complexType")
        if t.find(f".//{XS}extension[@base='{base}']") is not None and t.get("abstract") != "true"
    }


@needs_conformance
def test_every_element_type_of_the_31_schema_is_known_with_its_layer():
    schema = _schema_types("RealElementType") | _schema_types("RelationshipConnectorType")
    schema |= _schema_types("CompositeType")
    assert schema == set(ELEMENT_TYPES)
    assert {t.layer for t in ELEMENT_TYPES.values()} == set(Layer)


@needs_conformance
def test_every_relationship_type_of_the_schema_is_known():
    assert _schema_types("RelationshipType") == set(RELATIONSHIP_TYPES)


def _sample_relationships():
    for path in sorted((CONFORMANCE / "models" / "valid").glob("*.xml")):
        tree = etree.parse(str(path))
        types = {e.get("identifier"): e.get(XSI_TYPE) for e in tree.iter(f"{NS}element")}
        for r in tree.iter(f"{NS}relationship"):
            yield (
                path.name,
                r.get("identifier"),
                r.get(XSI_TYPE),
                types.get(r.get("source"), RELATIONSHIP_END),
                types.get(r.get("target"), RELATIONSHIP_END),
            )


@needs_conformance
def test_every_relationship_in_every_sample_model_is_allowed():
    rows = list(_sample_relationships())
    assert len(rows) > 1200  # the fifteen models hold 1,252
    refused = [(f, i, t, s, d, refusal(t, s, d)) for f, i, t, s, d in rows if refusal(t, s, d)]
    assert refused == []


@pytest.mark.parametrize(
    ("relationship", "source", "target", "section"),
    [
        ("Access", "Goal", "DataObject", "§5.3.2"),
        ("Access", "ApplicationComponent", "ApplicationService", "§5.3.2"),
        ("Influence", "ApplicationComponent", "Node", "§5.3.3"),
        ("Specialization", "BusinessActor", "BusinessRole", "§5.4.2"),
        ("Assignment", "DataObject", "ApplicationFunction", "§5.2.2"),
        ("Assignment", "BusinessProcess", "BusinessActor", "§5.2.2"),
        ("Realization", "BusinessProcess", "ApplicationService", "§12"),
        ("Realization", "Goal", "ApplicationComponent", "§6.4"),
        ("Serving", "Goal", "BusinessProcess", "§5.3.1"),
        ("Serving", "BusinessObject", "BusinessProcess", "§5.3.1"),
        ("Composition", "DataObject", "ApplicationComponent", "§5.1"),
        ("Composition", "Goal", "BusinessActor", "§6.4"),
        ("Triggering", "DataObject", "BusinessProcess", "§5.4"),
        ("Flow", "Goal", "Outcome", "§5.4"),
        ("Serving", "ApplicationService", RELATIONSHIP_END, "§5.1"),
    ],
)
def test_what_the_specification_forbids_is_refused_with_its_section(
    relationship, source, target, section
):
    why = refusal(relationship, source, target)
    assert why is not None and section in why


@pytest.mark.parametrize(
    ("relationship", "source", "target"),
    [
        ("Association", "Goal", RELATIONSHIP_END),
        ("Serving", "ApplicationService", "BusinessProcess"),
        ("Serving", "TechnologyService", "ApplicationComponent"),
        ("Realization", "ApplicationComponent", "Requirement"),
        ("Realization", "Artifact", "DataObject"),
        ("Realization", "ApplicationProcess", "BusinessProcess"),
        ("Access", "BusinessProcess", "BusinessObject"),
        ("Influence", "Goal", "Principle"),
        ("Assignment", "BusinessActor", "BusinessRole"),
        ("Triggering", "BusinessEvent", "BusinessProcess"),
        ("Specialization", "Node", "Node"),
        ("Aggregation", "Grouping", "Goal"),
        ("Composition", "Location", RELATIONSHIP_END),
        ("Triggering", "AndJunction", "BusinessProcess"),
    ],
)
def test_what_the_specification_allows_is_allowed(relationship, source, target):
    assert refusal(relationship, source, target) is None


def test_unknown_types_are_named():
    assert "not an ArchiMate relationship" in refusal("Dependency", "Node", "Node")
    assert "“Spaceship” is not an ArchiMate 3.1 element type" in refusal(
        "Association", "Spaceship", "Node"
    )
