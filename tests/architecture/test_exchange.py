"""The ArchiMate exchange format: every conformance model round-trips without loss, bad files are refused
with the line and nothing written, re-import updates in place, and exports show only what the viewer may see."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from lxml import etree

from orchestrator import cli
from orchestrator.architecture.exchange import (
    NS,
    XSI_TYPE,
    ExchangeError,
    export_model,
    import_file,
    load_schema,
    safe_parser,
)
from orchestrator.architecture.models import ArchitectureModel, Element, Relationship, View
from orchestrator.core import services as core_services
from orchestrator.core.errors import PermissionDenied
from orchestrator.core.models import AuditEvent, Item, Status

from ..conftest import client_for

CONFORMANCE = Path(__file__).resolve().parents[3] / "shared" / "conformance" / "archimate"
if not CONFORMANCE.is_dir():
    CONFORMANCE = Path("/work/shared/conformance/archimate")
XSD = CONFORMANCE / "xsd" / "3.1"
VALID = sorted((CONFORMANCE / "models" / "valid").glob("*.xml"))
INVALID = CONFORMANCE / "models" / "invalid" / "arktect_aoeff_3_1.xml"
needs_conformance = pytest.mark.skipif(
    not CONFORMANCE.is_dir(),
    reason="the conformance data (../shared/conformance/archimate) is not beside the checkout",
)


# -- a structural comparison of two exchange files ------------------------------------------------

_IGNORED_ATTRIBUTES = {f"{{{'http://www.w3.org/2001/XMLSchema-instance'}}}schemaLocation"}
# xs:all: the schema lets these children come in any order.
_UNORDERED = {f"{{{NS}}}style"}


@pytest.fixture(autouse=True)
def _architect_who_may_triage(estate):
    """These tests publish what they import, which takes someone who may triage as well: the
    architect here also works in Research & Engagement (tests below check an architect alone)."""
    from orchestrator.people.models import Role
    from orchestrator.people.selectors import forget_appointments

    from ..factories import appoint

    appoint(estate.architect, Role.RESEARCH_ENGAGEMENT, estate.team)
    forget_appointments(estate.architect)


def _value(value: str) -> str:
    # "9.0" and "9" are the same font size; an xsi:type may carry a prefix.
    if re.fullmatch(r"\d+(\.\d+)?", value):
        return str(float(value))
    return value


def canonical(el: etree._Element) -> tuple:
    """An element as (tag, attributes, text, children): what it says, not how it is written."""
    attributes = {
        k: _value(v.rsplit(":", 1)[-1] if k == XSI_TYPE else v)
        for k, v in el.attrib.items()
        # An empty strength (Visual Paradigm writes modifier="") says no more than none.
        if k not in _IGNORED_ATTRIBUTES and not (k == "modifier" and v == "")
    }
    text = el.text or ""
    children = [canonical(c) for c in el if isinstance(c.tag, str)]
    if children:
        text = text.strip()
    if el.tag in _UNORDERED:
        children.sort()
    return (el.tag, tuple(sorted(attributes.items())), text, tuple(children))


def differences(a: etree._Element, b: etree._Element, path: str = "") -> list[str]:
    """Where two exchange files differ, as paths; empty when they say the same."""
    ca, cb = canonical(a), canonical(b)
    if ca == cb:
        return []
    here = f"{path}/{etree.QName(a).localname}[{a.get('identifier') or ''}]"
    if ca[:3] != cb[:3]:
        return [f"{here}: {ca[:3]} != {cb[:3]}"]
    kids_a = [c for c in a if isinstance(c.tag, str)]
    kids_b = [c for c in b if isinstance(c.tag, str)]
    if len(kids_a) != len(kids_b):
        tags = lambda kids: [etree.QName(k).localname for k in kids]  # noqa: E731
        return [f"{here}: children {tags(kids_a)} != {tags(kids_b)}"]
    found = []
    for x, y in zip(kids_a, kids_b, strict=True):
        found.extend(differences(x, y, here))
    return found or [f"{here}: children in another order"]


def parse(data: bytes) -> etree._Element:
    return etree.fromstring(data, safe_parser())


def export(user, model) -> bytes:
    out = io.BytesIO()
    export_model(user=user, model=model, out=out)
    return out.getvalue()


def assert_schema_valid(data: bytes) -> None:
    if not XSD.is_dir():
        pytest.skip(
            "the ArchiMate 3.1 schemas (../shared/conformance/archimate/xsd/3.1) are absent"
        )
    schema = load_schema(XSD)
    tree = parse(data).getroottree()
    assert schema.validate(tree), schema.error_log


def counts() -> tuple[int, int, int]:
    return Item.objects.count(), Relationship.objects.count(), AuditEvent.objects.count()


# -- round trips -----------------------------------------------------------------------------------


@needs_conformance
@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_every_conformance_model_round_trips_without_loss(estate, path):
    result = import_file(actor=estate.architect, source=path)
    original = parse(path.read_bytes())
    q = lambda tag: f"{{{NS}}}{tag}"  # noqa: E731
    assert result.elements_created == len(original.findall(f"{q('elements')}/{q('element')}"))
    assert result.relationships_created == len(
        original.findall(f"{q('relationships')}/{q('relationship')}")
    )
    assert result.views_created == len(original.findall(f".//{q('diagrams')}/{q('view')}"))
    data = export(estate.architect, result.model)
    assert differences(original, parse(data)) == []
    assert_schema_valid(data)
    # Everything was published at the import's triage, so anyone sees the same file.
    assert differences(original, parse(export(None, result.model))) == []


@needs_conformance
def test_the_comparison_notices_a_moved_bendpoint_and_a_lost_language():
    original = parse((CONFORMANCE / "models/valid/archisurance_ogxe_3.0.xml").read_bytes())
    changed = parse(etree.tostring(original))
    changed.find(f".//{{{NS}}}bendpoint").set("x", "99999")
    assert differences(original, changed)
    changed = parse(etree.tostring(original))
    name = changed.find(f".//{{{NS}}}element/{{{NS}}}name")
    name.set("{http://www.w3.org/XML/1998/namespace}lang", "fr")
    assert differences(original, changed)


@needs_conformance
def test_what_is_stored_is_the_documented_shape(estate):
    result = import_file(
        actor=estate.architect, source=CONFORMANCE / "models/valid/archi_bendpoint.test.xml"
    )
    view = View.objects.get(model=result.model)
    node = view.content["nodes"][0]
    assert {"identifier", "type", "elementRef", "x", "y", "w", "h", "children"} <= set(node)
    connection = view.content["connections"][0]
    assert connection["type"] == "Relationship"
    assert node["identifier"] in (connection["source"], connection["target"])
    assert connection["sourceAttachment"] == {"x": 35, "y": 138}
    service = Element.objects.get(model=result.model, archimate_type="BusinessService")
    assert service.title == "Business Service" and service.names == {"en": "Business Service"}
    assert service.status == Status.PUBLISHED and service.visibility == "open"
    assert AuditEvent.objects.filter(action="archimate.imported", item_uid=result.model.uid).count()


@needs_conformance
def test_properties_definitions_metadata_and_principles_are_kept(estate):
    props = import_file(
        actor=estate.architect,
        source=CONFORMANCE / "models/valid/architoolsrb_Basic_Model_Properties.xml",
    ).model
    assert props.property_definitions[0] == {
        "identifier": "propdef-1",
        "type": "number",
        "names": {"": "Cost"},
    }
    actor = Element.objects.get(model=props, identifier="ba1")
    assert actor.properties == [{"ref": "propdef-1", "values": {"": "4000"}}]
    meta = import_file(
        actor=estate.architect,
        source=CONFORMANCE / "models/valid/architoolsrb_Basic_Model_Metadata.xml",
    ).model
    assert "Phil Beauvoir" in meta.metadata and meta.model_version == "1.0"
    everything = import_file(
        actor=estate.architect, source=CONFORMANCE / "models/valid/architoolsrb_everything.xml"
    ).model
    principle = Element.objects.get(model=everything, archimate_type="Principle")
    assert principle.kind == "principle" and principle.specific().__class__.__name__ == "Principle"


def test_a_windows_1252_file_is_read_by_its_declaration(estate):
    data = (
        b'<?xml version="1.0" encoding="windows-1252"?>\n'
        b'<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/" '
        b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" identifier="m-1252">\n'
        b'<name xml:lang="fr">Mod\xe8le \x80</name>\n'
        b'<elements><element identifier="e1" xsi:type="BusinessActor">'
        b"<name>Caf\xe9</name></element></elements>\n</model>\n"
    )
    result = import_file(actor=estate.architect, source=io.BytesIO(data))
    assert result.model.names == {"fr": "Modèle €"}
    assert Element.objects.get(model=result.model).title == "Café"
    assert "Café" in export(estate.architect, result.model).decode("utf-8")


# -- importing again -------------------------------------------------------------------------------


@needs_conformance
def test_importing_twice_updates_in_place(estate, tmp_path):
    path = CONFORMANCE / "models/valid/architoolsrb_ArchiSurance_V3.xml"
    first = import_file(actor=estate.architect, source=path)
    before = (
        Element.objects.filter(model=first.model).count(),
        Relationship.objects.filter(model=first.model).count(),
        View.objects.filter(model=first.model).count(),
        ArchitectureModel.objects.count(),
    )
    second = import_file(actor=estate.architect, source=path)
    assert second.model.pk == first.model.pk
    assert (second.elements_created, second.relationships_created, second.views_created) == (
        0,
        0,
        0,
    )
    assert sum(second.counts.values()) == 0
    after = (
        Element.objects.filter(model=first.model).count(),
        Relationship.objects.filter(model=first.model).count(),
        View.objects.filter(model=first.model).count(),
        ArchitectureModel.objects.count(),
    )
    assert after == before

    # A renamed element is updated where it is, its record and uid kept.
    original = parse(path.read_bytes())
    element = original.find(f"{{{NS}}}elements/{{{NS}}}element")
    identifier = element.get("identifier")
    record = Element.objects.get(model=first.model, identifier=identifier)
    element.find(f"{{{NS}}}name").text = "Renamed by the test"
    changed = tmp_path / "changed.xml"
    changed.write_bytes(etree.tostring(original, xml_declaration=True, encoding="UTF-8"))
    third = import_file(actor=estate.architect, source=changed)
    assert third.elements_updated == 1 and third.elements_created == 0
    renamed = Element.objects.get(pk=record.pk)
    assert renamed.title == "Renamed by the test" and renamed.uid == record.uid
    assert renamed.version == record.version + 1
    assert Element.objects.filter(model=first.model).count() == before[0]


def _small_model(extra_element: str = "", extra_relationship: str = "", junk: str = "") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/"
       xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" identifier="m-small">
  <name xml:lang="en">Small</name>{junk}
  <elements>
    <element identifier="goal" xsi:type="Goal"><name>Goal</name></element>
    <element identifier="data" xsi:type="DataObject"><name>Data</name></element>
    <element identifier="app" xsi:type="ApplicationComponent"><name>App</name></element>
    <element identifier="rule" xsi:type="Principle"><name>Open by default</name></element>{extra_element}
  </elements>
  <relationships>
    <relationship identifier="r1" xsi:type="Access" source="app" target="data"/>{extra_relationship}
  </relationships>
  <views><diagrams>
    <view identifier="v1" xsi:type="Diagram"><name>View</name>
      <node identifier="n-app" xsi:type="Element" elementRef="app" x="10" y="10" w="120" h="55"/>
      <node identifier="n-data" xsi:type="Element" elementRef="data" x="200" y="10" w="120" h="55"/>
      <connection identifier="c1" xsi:type="Relationship" relationshipRef="r1" source="n-app" target="n-data"/>
    </view>
  </diagrams></views>
</model>
""".encode()


def test_what_leaves_the_file_is_archived_or_deleted(estate):
    extra = '\n    <element identifier="gone" xsi:type="Driver"><name>Gone</name></element>'
    rel = '\n    <relationship identifier="r2" xsi:type="Influence" source="gone" target="goal"/>'
    first = import_file(
        actor=estate.architect, source=io.BytesIO(_small_model(extra, rel)), visibility="open"
    )
    gone = Element.objects.get(model=first.model, identifier="gone")
    second = import_file(actor=estate.architect, source=io.BytesIO(_small_model()))
    assert (second.elements_removed, second.relationships_removed) == (1, 1)
    assert Element.objects.get(pk=gone.pk).status == Status.ARCHIVED
    assert not Relationship.objects.filter(identifier="r2").exists()
    assert b'identifier="gone"' not in export(estate.architect, first.model)
    # Back in the file: the same record again, published.
    third = import_file(actor=estate.architect, source=io.BytesIO(_small_model(extra, rel)))
    assert third.elements_created == 0 and third.relationships_created == 1
    assert Element.objects.get(pk=gone.pk).status == Status.PUBLISHED
    # Drafts that were never triaged are deleted, not archived.
    drafts = _small_model(extra).replace(b"m-small", b"m-drafts")
    import_file(actor=estate.architect, source=io.BytesIO(drafts), visibility=None)
    import_file(
        actor=estate.architect,
        source=io.BytesIO(_small_model().replace(b"m-small", b"m-drafts")),
        visibility=None,
    )
    assert not Element.objects.filter(model__identifier="m-drafts", identifier="gone").exists()


def test_a_change_of_kind_is_refused(estate):
    import_file(actor=estate.architect, source=io.BytesIO(_small_model()))
    before = counts()
    data = _small_model().replace(
        b'identifier="rule" xsi:type="Principle"', b'identifier="rule" xsi:type="Goal"'
    )
    with pytest.raises(ExchangeError, match=r"Line \d+: “rule” is a principle here"):
        import_file(actor=estate.architect, source=io.BytesIO(data))
    assert counts() == before


# -- refusals --------------------------------------------------------------------------------------


@needs_conformance
def test_the_invalid_conformance_file_is_refused_at_line_20(estate):
    before = counts()
    with pytest.raises(ExchangeError) as refused:
        import_file(actor=estate.architect, source=INVALID)
    assert str(refused.value.message).startswith("Line 20:")
    assert "propertyDefinitionRef" in refused.value.message
    assert counts() == before


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/" identifier="m"><name>&lol4;</name></model>
"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE model [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/" identifier="m"><name>&xxe;</name></model>
"""
ARCHIMATE_21 = b"""<?xml version="1.0" encoding="UTF-8"?>
<model xmlns="http://www.opengroup.org/xsd/archimate" identifier="m"><name>Old</name></model>
"""
WRONG_NAMESPACE = b"""<?xml version="1.0" encoding="UTF-8"?>
<model xmlns="http://example.org/not-archimate" identifier="m"><name>Other</name></model>
"""


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (BILLION_LAUGHS, r"^Line 2: the file declares a DOCTYPE"),
        (EXTERNAL_ENTITY, r"^Line 2: the file declares a DOCTYPE"),
        (
            ARCHIMATE_21,
            r"^Line 2: ArchiMate 2.1 exchange files are not supported; export as 3.0 or 3.1",
        ),
        (WRONG_NAMESPACE, r"^Line 2: .*namespace “http://example.org/not-archimate”"),
        (b"<model", r"^Line 1: the file is not well-formed XML"),
        (
            _small_model(
                '\n    <element identifier="x" xsi:type="Wizard"><name>X</name></element>'
            ),
            r"^Line 10: element “x” has the type “Wizard”, which is not an ArchiMate 3.1 element type",
        ),
        (
            _small_model(
                extra_relationship='\n    <relationship identifier="bad" xsi:type="Access" source="goal" target="data"/>'
            ),
            r"^Line 13: relationship “bad” \(Access from Goal “goal” to DataObject “data”\) is not allowed: Access goes from",
        ),
        (
            _small_model(
                extra_relationship='\n    <relationship identifier="dangling" xsi:type="Serving" source="app" target="nowhere"/>'
            ),
            r"^Line 13: relationship “dangling” has the target “nowhere”, which names no element",
        ),
        (
            _small_model().replace(b'elementRef="data"', b'elementRef="missing"'),
            r"^Line 17: view node “n-data” shows the element “missing”, which is not in the file",
        ),
        (
            _small_model(junk="\n  <wrong/>"),
            r"^Line 5: the file does not follow the ArchiMate 3.1 exchange schema: Element 'wrong'",
        ),
    ],
    ids=[
        "billion-laughs",
        "external-entity",
        "archimate-2.1",
        "wrong-namespace",
        "not-xml",
        "unknown-type",
        "forbidden-relationship",
        "dangling-relationship-end",
        "dangling-view-node",
        "schema-invalid",
    ],
)
def test_bad_files_are_refused_with_the_place_and_nothing_written(estate, data, expected):
    before = counts()
    with pytest.raises(ExchangeError) as refused:
        import_file(actor=estate.architect, source=io.BytesIO(data))
    assert re.search(expected, refused.value.message), refused.value.message
    assert "root:" not in refused.value.message  # the passwd file was never read
    assert counts() == before


def test_a_file_over_the_size_limit_is_refused_before_parsing(estate):
    before = counts()
    with pytest.raises(ExchangeError, match="larger than the limit of 100 bytes"):
        import_file(actor=estate.architect, source=io.BytesIO(_small_model()), max_bytes=100)
    assert counts() == before


def test_only_the_architecture_team_imports(world, estate):
    before = counts()
    for who in ("registered", "member", "staff", "triager"):
        with pytest.raises(PermissionDenied):
            import_file(actor=world.people[who], source=io.BytesIO(_small_model()))
    assert counts() == before


def test_less_than_open_needs_a_rationale(estate):
    with pytest.raises(ExchangeError, match="Say why"):
        import_file(actor=estate.architect, source=io.BytesIO(_small_model()), visibility="closed")
    result = import_file(
        actor=estate.architect,
        source=io.BytesIO(_small_model()),
        visibility="registered",
        rationale="Aggregated infrastructure detail.",
    )
    assert {e.visibility for e in Element.objects.filter(model=result.model)} == {"registered"}
    with pytest.raises(PermissionDenied):
        export(None, result.model)


# -- what a viewer may see -------------------------------------------------------------------------


def test_an_export_omits_what_the_viewer_may_not_see(world, estate):
    result = import_file(actor=estate.architect, source=io.BytesIO(_small_model()))
    data = Element.objects.get(model=result.model, identifier="data")
    core_services.retriage_item(
        item=data,
        actor=world.people["triager"],
        outcome="closed",
        rationale="Security of infrastructure.",
        sensitivities=[
            {"category": "security", "finding": "CNI detail.", "mitigation": "restrict"}
        ],
        review_by=__import__("datetime").date.today().replace(year=2100),
    )
    public = export(None, result.model)
    root = parse(public)
    assert root.find(f".//{{{NS}}}element[@identifier='data']") is None
    assert root.find(f".//{{{NS}}}relationship[@identifier='r1']") is None
    assert root.find(f".//{{{NS}}}node[@identifier='n-data']") is None
    assert root.find(f".//{{{NS}}}connection[@identifier='c1']") is None
    assert root.find(f".//{{{NS}}}node[@identifier='n-app']") is not None
    if XSD.is_dir():
        assert_schema_valid(public)
    # Staff still see all of it.
    assert b'identifier="n-data"' in export(world.people["staff"], result.model)


# -- the web pages and the command -----------------------------------------------------------------


def test_an_architect_uploads_a_model(estate):
    client = client_for(estate.architect)
    assert client.get("/architecture/import").status_code == 200
    upload = io.BytesIO(_small_model())
    upload.name = "small.xml"
    response = client.post("/architecture/import", {"file": upload, "visibility": "open"})
    model = ArchitectureModel.objects.get(identifier="m-small")
    assert response.status_code == 302 and response["Location"] == f"/k/{model.uid}"


def test_a_bad_upload_is_shown_on_the_form(estate):
    before = counts()
    upload = io.BytesIO(ARCHIMATE_21)
    upload.name = "old.xml"
    response = client_for(estate.architect).post(
        "/architecture/import", {"file": upload, "visibility": "open"}
    )
    assert response.status_code == 400
    assert "ArchiMate 2.1 exchange files are not supported" in response.content.decode()
    assert "Line 2" in response.content.decode()
    assert counts() == before


def test_others_may_not_import(world, estate):
    assert client_for(world.people["registered"]).get("/architecture/import").status_code == 403
    upload = io.BytesIO(_small_model())
    upload.name = "small.xml"
    response = client_for(world.people["staff"]).post(
        "/architecture/import", {"file": upload, "visibility": "open"}
    )
    assert response.status_code == 403
    assert not ArchitectureModel.objects.filter(identifier="m-small").exists()
    assert client_for(None).get("/architecture/import").status_code == 302  # sign in first


def test_the_export_url(world, estate):
    shown = import_file(actor=estate.architect, source=io.BytesIO(_small_model())).model
    response = client_for(None).get(f"/k/{shown.uid}/archimate.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    assert (
        "attachment" in response["Content-Disposition"]
        and ".xml" in response["Content-Disposition"]
    )
    assert parse(response.content).get("identifier") == "m-small"
    hidden = import_file(
        actor=estate.architect,
        source=io.BytesIO(_small_model().replace(b"m-small", b"m-hidden")),
        visibility=None,
    ).model
    assert client_for(None).get(f"/k/{hidden.uid}/archimate.xml").status_code == 404
    assert (
        client_for(world.people["registered"]).get(f"/k/{hidden.uid}/archimate.xml").status_code
        == 404
    )
    assert client_for(estate.architect).get(f"/k/{hidden.uid}/archimate.xml").status_code == 200
    document = world.records["open"]
    assert client_for(None).get(f"/k/{document.uid}/archimate.xml").status_code == 404
    assert client_for(None).get("/k/not-a-uid!/archimate.xml").status_code == 404


def test_the_command_imports_and_exports(estate, tmp_path, capsys):
    source = tmp_path / "small.xml"
    source.write_bytes(_small_model())
    assert cli.main(["archimate", "import", str(source), "--as", estate.architect.email]) == 0
    out = capsys.readouterr().out
    assert "records" in out and "Imported “Small”" in out
    target = tmp_path / "out.xml"
    assert cli.main(["archimate", "export", str(target), "--model", "m-small"]) == 0
    assert differences(parse(source.read_bytes()), parse(target.read_bytes())) == []
    bad = tmp_path / "old.xml"
    bad.write_bytes(ARCHIMATE_21)
    assert cli.main(["archimate", "import", str(bad)]) == 1
    assert "ArchiMate 2.1" in capsys.readouterr().err


def test_an_architect_alone_imports_drafts_for_research_and_engagement_to_triage(world):
    from orchestrator.architecture.services import create_model
    from orchestrator.core.errors import PermissionDenied
    from orchestrator.people.models import OrganisationKind, Role

    from ..factories import OrganisationFactory, person

    team = OrganisationFactory(name="Architecture Studio", kind=OrganisationKind.ORCHESTRATOR_TEAM)
    architect = person(Role.ARCHITECT, team)
    create_model(actor=architect, owner=team, title="Other", identifier="other")
    before = counts()
    with pytest.raises(PermissionDenied, match="Only Research & Engagement triage"):
        import_file(actor=architect, source=io.BytesIO(_small_model()))
    assert counts() == before
    result = import_file(actor=architect, source=io.BytesIO(_small_model()), visibility=None)
    assert not result.model.elements.exclude(status="draft").exists()
    page = client_for(architect).get("/architecture/import")
    assert "until Research & Engagement triage the model" in page.text
    assert 'value="open"' not in page.text
