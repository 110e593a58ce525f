"""The ArchiMate Model Exchange File Format (3.0 and 3.1): read and check a file, import it, export a model.

`import_file(*, actor, source, …)` (in `exchange_import`) stores everything a file holds — the model's
names, documentation, properties, property definitions, organizations and metadata; every element,
relationship and view, with names and documentation in every language, properties, and each view's
nodes, connections, bounds, bendpoints and styles — and `export_model(*, user, model, out)` (in
`exchange_export`) writes it back, so a model passes between Archi, Sparx EA and the like and here
without loss. Order is kept: records are written in file order and exported by primary key.

Reading is safe: the size is checked before parsing (`MAX_BYTES`); a DOCTYPE (an XML bomb, an external
entity) is refused outright; lxml never resolves entities nor touches the network; the file is
validated against the packaged ArchiMate 3.1 schemas (`xsd/`, with `xml.xsd` and `dc.xsd` resolved
locally). Every refusal names the line and the reason, and nothing is written.

Importing again updates in place: the model is matched by its identifier, and its elements,
relationships and views by their identifiers within it. What changed is updated (a type change that
would change the kind of record — a Principle becoming a Goal — is refused). What the file no longer
holds: relationships are deleted; elements and views that were published are archived (their pages
and history stay; they are no longer exported), and those never triaged are deleted. New records
take the import's triage (`visibility`) and are published; records already here keep theirs.

Exporting writes what the viewer may see: an element they may not see is omitted, with every
relationship touching it, every view node showing it (with the nodes inside it and the connections
to them) and every organization item referring to it; hidden views and relationships likewise.
Archived elements and views are not exported. Not kept: custom `<viewpoints>` definitions and
elements of other namespaces inside concepts (none of the conformance files has them).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from lxml import etree

from orchestrator.core.errors import ValidationError

from .archimate import ELEMENT_TYPES, RELATIONSHIP_END, RELATIONSHIP_TYPES, refusal

NS = "http://www.opengroup.org/xsd/archimate/3.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XSI_TYPE = f"{{{XSI}}}type"
SCHEMA_LOCATION = f"{NS} http://www.opengroup.org/xsd/archimate/3.1/archimate3_Diagram.xsd"
ARCHIMATE_2 = "http://www.opengroup.org/xsd/archimate"
XSD_DIR = Path(__file__).with_name("xsd")
# Real models run to a few MB; 50 MB leaves room for the largest while bounding memory.
MAX_BYTES = 50 * 1024 * 1024


class ExchangeError(ValidationError):
    """An exchange file refused: the message names the line and the reason."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.line = line
        super().__init__(f"Line {line}: {message}" if line else message)


def q(name: str) -> str:
    return f"{{{NS}}}{name}"


def safe_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )


class _LocalSchemas(etree.Resolver):
    """Resolve the schemas' imports of xml.xsd and dc.xsd (by URL) to the copies beside them."""

    def __init__(self, directory: Path) -> None:
        super().__init__()
        self.directory = directory

    def resolve(self, system_url, public_id, context):
        local = self.directory / os.path.basename(system_url or "")
        if local.is_file():
            return self.resolve_filename(str(local), context)
        return self.resolve_empty(context)


_SCHEMAS: dict[Path, etree.XMLSchema] = {}


def load_schema(directory: Path = XSD_DIR) -> etree.XMLSchema:
    """The 3.1 schema (Diagram, including View and Model) with Dublin Core for `<metadata>`."""
    directory = Path(directory).resolve()
    if directory not in _SCHEMAS:
        parser = safe_parser()
        parser.resolvers.add(_LocalSchemas(directory))
        # A driver schema, so that `<metadata>`'s Dublin Core elements have declarations too.
        driver = (
            '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
            f'<xs:import namespace="{NS}" schemaLocation="archimate3_Diagram.xsd"/>'
            '<xs:import namespace="http://purl.org/dc/elements/1.1/" schemaLocation="dc.xsd"/>'
            "</xs:schema>"
        )
        document = etree.fromstring(
            driver.encode(), parser, base_url=str(directory / "driver.xsd")
        ).getroottree()
        _SCHEMAS[directory] = etree.XMLSchema(document)
    return _SCHEMAS[directory]


def schema_error(schema: etree.XMLSchema, tree) -> ExchangeError | None:
    """The first schema error of `tree` as a refusal naming its line, or None when it is valid."""
    if schema.validate(tree):
        return None
    error = schema.error_log[0]
    message = re.sub(r"\{[^}]*\}", "", error.message)
    return ExchangeError(
        f"the file does not follow the ArchiMate 3.1 exchange schema: {message}", error.line
    )


def read_bytes(source: str | os.PathLike | IO[bytes], max_bytes: int = MAX_BYTES) -> bytes:
    """The file's bytes, refused if larger than `max_bytes` before any of it is parsed."""
    limit = f"{max_bytes / 1024 / 1024:.1f} MB" if max_bytes >= 100_000 else f"{max_bytes:,} bytes"
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if not path.is_file():
            raise ExchangeError(f"There is no file {path}.")
        if path.stat().st_size > max_bytes:
            raise ExchangeError(f"The file is larger than the limit of {limit}.")
        return path.read_bytes()
    data = source.read(max_bytes + 1)
    if isinstance(data, str):
        raise ExchangeError("Give the file as bytes (open it in binary mode).")
    if len(data) > max_bytes:
        raise ExchangeError(f"The file is larger than the limit of {limit}.")
    return data


def parse(data: bytes) -> etree._Element:
    """The root of a well-formed exchange file of the 3.x namespace; anything else is refused."""
    doctype = data.find(b"<!DOCTYPE")
    if doctype >= 0:
        raise ExchangeError(
            "the file declares a DOCTYPE, which exchange files never need and which can hide "
            "entity expansion (an XML bomb) or external entities; remove it.",
            data.count(b"\n", 0, doctype) + 1,
        )
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        raise ExchangeError(f"the file is not well-formed XML: {exc.msg}", line) from exc
    except ValueError as exc:
        raise ExchangeError(f"The file cannot be read as XML: {exc}") from exc
    if root.getroottree().docinfo.doctype:
        raise ExchangeError("the file declares a DOCTYPE; remove it.", 1)
    name = etree.QName(root)
    namespace = name.namespace or ""
    if namespace == ARCHIMATE_2 or namespace.startswith(ARCHIMATE_2 + "/2"):
        raise ExchangeError(
            "ArchiMate 2.1 exchange files are not supported; export as 3.0 or 3.1 "
            f"(the namespace is “{namespace}”).",
            root.sourceline,
        )
    if namespace != NS or name.localname != "model":
        raise ExchangeError(
            f"the root element is “{name.localname}” in the namespace “{namespace or 'none'}”; "
            f"an ArchiMate 3.x exchange file has a “model” in the namespace “{NS}”.",
            root.sourceline,
        )
    return root


# -- from XML to the stored shapes ---------------------------------------------------------------


def local_type(el: etree._Element) -> str:
    value = el.get(XSI_TYPE) or ""
    return value.rsplit(":", 1)[-1]


def texts(el: etree._Element, tag: str) -> dict[str, str]:
    """The texts of `el`'s `tag` children by language (xml:lang, or "" for none), in file order."""
    out: dict[str, str] = {}
    for child in el.iterchildren(q(tag)):
        out.setdefault(child.get(XML_LANG, ""), child.text or "")
    return out


def properties(el: etree._Element) -> list[dict[str, Any]]:
    holder = el.find(q("properties"))
    if holder is None:
        return []
    return [
        {"ref": p.get("propertyDefinitionRef"), "values": texts(p, "value")}
        for p in holder.iterchildren(q("property"))
    ]


def extra_attributes(el: etree._Element, known: set[str]) -> dict[str, str]:
    return {k: v for k, v in el.attrib.items() if k not in known}


def _number(value: str) -> int | float:
    number = float(value)
    return int(number) if number.is_integer() else number


def colour(el: etree._Element | None) -> dict[str, int] | None:
    if el is None:
        return None
    return {k: int(el.get(k)) for k in ("r", "g", "b", "a") if el.get(k) is not None}


def style(el: etree._Element | None) -> dict[str, Any] | None:
    if el is None:
        return None
    out: dict[str, Any] = {}
    for name in ("lineColor", "fillColor"):
        found = colour(el.find(q(name)))
        if found is not None:
            out[name] = found
    font = el.find(q("font"))
    if font is not None:
        f: dict[str, Any] = {}
        if font.get("name") is not None:
            f["name"] = font.get("name")
        if font.get("size") is not None:
            f["size"] = _number(font.get("size"))
        if font.get("style") is not None:
            f["style"] = font.get("style")
        found = colour(font.find(q("color")))
        if found is not None:
            f["color"] = found
        out["font"] = f
    if el.get("lineWidth") is not None:
        out["lineWidth"] = int(el.get("lineWidth"))
    extra = extra_attributes(el, {"lineWidth"})
    if extra:
        out["extra"] = extra
    return out


def _concept_parts(el: etree._Element, d: dict[str, Any]) -> None:
    """What nodes and connections share: label, documentation, style, drill-down views."""
    for key, tag in (("label", "label"), ("documentation", "documentation")):
        found = texts(el, tag)
        if found:
            d[key] = found
    found_style = style(el.find(q("style")))
    if found_style is not None:
        d["style"] = found_style
    views = [v.get("ref") for v in el.iterchildren(q("viewRef"))]
    if len(views) == 1:
        d["viewRef"] = views[0]
    elif views:
        d["viewRefs"] = views
    props = properties(el)
    if props:
        d["properties"] = props


_NODE_ATTRS = {"identifier", XSI_TYPE, "elementRef", "x", "y", "w", "h"}
_CONNECTION_ATTRS = {"identifier", XSI_TYPE, "relationshipRef", "source", "target"}


def node(el: etree._Element) -> dict[str, Any]:
    d: dict[str, Any] = {"identifier": el.get("identifier"), "type": local_type(el)}
    if el.get("elementRef") is not None:
        d["elementRef"] = el.get("elementRef")
    for key in ("x", "y", "w", "h"):
        d[key] = int(el.get(key))
    _concept_parts(el, d)
    d["children"] = [node(child) for child in el.iterchildren(q("node"))]
    extra = extra_attributes(el, _NODE_ATTRS)
    if extra:
        d["extra"] = extra
    return d


def connection(el: etree._Element) -> dict[str, Any]:
    d: dict[str, Any] = {"identifier": el.get("identifier"), "type": local_type(el)}
    if el.get("relationshipRef") is not None:
        d["relationshipRef"] = el.get("relationshipRef")
    d["source"], d["target"] = el.get("source"), el.get("target")
    d["bendpoints"] = [
        {"x": int(b.get("x")), "y": int(b.get("y"))} for b in el.iterchildren(q("bendpoint"))
    ]
    for name in ("sourceAttachment", "targetAttachment"):
        found = el.find(q(name))
        if found is not None:
            d[name] = {"x": int(found.get("x")), "y": int(found.get("y"))}
    _concept_parts(el, d)
    extra = extra_attributes(el, _CONNECTION_ATTRS)
    if extra:
        d["extra"] = extra
    return d


def organization_item(el: etree._Element) -> dict[str, Any]:
    d: dict[str, Any] = {}
    for key in ("identifier", "identifierRef"):
        if el.get(key) is not None:
            d[key] = el.get(key)
    for key in ("label", "documentation"):
        found = texts(el, key)
        if found:
            d[key] = found
    d["items"] = [organization_item(child) for child in el.iterchildren(q("item"))]
    extra = extra_attributes(el, {"identifier", "identifierRef"})
    if extra:
        d["extra"] = extra
    return d


@dataclass
class Concept:
    """An element, relationship or view as read from a file."""

    line: int
    identifier: str
    type: str
    names: dict[str, str]
    documentation: dict[str, str]
    properties: list[dict[str, Any]]
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass
class ParsedModel:
    identifier: str
    version: str
    names: dict[str, str]
    documentation: dict[str, str]
    properties: list[dict[str, Any]]
    property_definitions: list[dict[str, Any]]
    organizations: list[dict[str, Any]]
    metadata: str
    elements: list[Concept]
    relationships: list[Concept]
    views: list[Concept]


_NAME, _DOCUMENTATION, _PROPERTIES = q("name"), q("documentation"), q("properties")
_PROPERTY, _VALUE = q("property"), q("value")


def _concept(el: etree._Element, **attrs: Any) -> Concept:
    """`el` as a Concept: its names, documentation and properties as `texts` and `properties`
    read them (the first text per language; the first <properties>), in one pass of its children."""
    names: dict[str, str] = {}
    documentation: dict[str, str] = {}
    props: list[dict[str, Any]] | None = None
    for child in el.iterchildren(_NAME, _DOCUMENTATION, _PROPERTIES):
        tag = child.tag
        if tag == _NAME:
            names.setdefault(child.get(XML_LANG, ""), child.text or "")
        elif tag == _DOCUMENTATION:
            documentation.setdefault(child.get(XML_LANG, ""), child.text or "")
        elif props is None:
            props = []
            for p in child.iterchildren(_PROPERTY):
                values: dict[str, str] = {}
                for v in p.iterchildren(_VALUE):
                    values.setdefault(v.get(XML_LANG, ""), v.text or "")
                props.append({"ref": p.get("propertyDefinitionRef"), "values": values})
    value = el.get(XSI_TYPE) or ""
    return Concept(
        line=el.sourceline,
        identifier=el.get("identifier"),
        type=value.rsplit(":", 1)[-1],
        names=names,
        documentation=documentation,
        properties=props if props is not None else [],
        attrs=attrs,
    )


def _children(root: etree._Element, *path: str) -> Iterator[etree._Element]:
    holders = [root]
    for name in path[:-1]:
        holders = [c for h in holders for c in h.iterchildren(q(name))]
    for holder in holders:
        yield from holder.iterchildren(q(path[-1]))


def read(data: bytes, schema: etree.XMLSchema | None = None) -> ParsedModel:
    """Parse, validate and check an exchange file: every refusal is an ExchangeError naming a line."""
    parsed, validation = read_deferred(data, schema)
    validation.wait()
    return parsed


class Validation:
    """The schema check of a file, run in a thread of its own: libxml2 validates without holding
    the GIL, so the file is read (and imported) meanwhile. `wait` raises the schema's refusal.

    Whoever starts one calls `wait` before anything that followed the check can be reported or
    kept: a refusal by the schema comes first, as when the check ran before everything else."""

    def __init__(self, data: bytes, schema: etree.XMLSchema) -> None:
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, args=(data, schema), name="archimate-schema", daemon=True
        )
        self._thread.start()

    def _run(self, data: bytes, schema: etree.XMLSchema) -> None:
        try:
            # A tree of its own (the reader's is not shared across threads); the bytes parsed
            # once already, so they parse again the same way.
            tree = etree.fromstring(data, safe_parser()).getroottree()
            with _SCHEMA_LOCK:  # the schema keeps the last validation's error log
                self._error = schema_error(schema, tree)
        except BaseException as exc:  # raised again by `wait`
            self._error = exc

    def wait(self) -> None:
        self._thread.join()
        if self._error is not None:
            raise self._error


_SCHEMA_LOCK = threading.Lock()


def read_deferred(
    data: bytes, schema: etree.XMLSchema | None = None
) -> tuple[ParsedModel, Validation]:
    """`read`, with the schema check still running: call the Validation's `wait` before using or
    reporting anything that depends on the file being valid (any refusal by the schema comes
    first, so call it before raising any other error too)."""
    root = parse(data)
    # Unknown types first: the schema's own message for them is obscure.
    for el in _children(root, "elements", "element"):
        if local_type(el) not in ELEMENT_TYPES:
            raise ExchangeError(
                f"element “{el.get('identifier')}” has the type “{local_type(el)}”, which is not "
                "an ArchiMate 3.1 element type.",
                el.sourceline,
            )
    for el in _children(root, "relationships", "relationship"):
        if local_type(el) not in RELATIONSHIP_TYPES:
            raise ExchangeError(
                f"relationship “{el.get('identifier')}” has the type “{local_type(el)}”, which is "
                f"not an ArchiMate relationship ({', '.join(RELATIONSHIP_TYPES)}).",
                el.sourceline,
            )
    _check_references(root)
    validation = Validation(data, schema or load_schema())
    try:
        parsed = _read_checked(root)
    except BaseException:
        validation.wait()  # the schema's refusal, if it has one, is the one reported
        raise
    return parsed, validation


def _read_checked(root: etree._Element) -> ParsedModel:
    """The file's contents, read from a root whose references are checked."""

    elements = [_concept(el) for el in _children(root, "elements", "element")]
    relationships = []
    for el in _children(root, "relationships", "relationship"):
        directed = el.get("isDirected")
        relationships.append(
            _concept(
                el,
                source=el.get("source"),
                target=el.get("target"),
                access_type=el.get("accessType") or "",
                modifier=el.get("modifier") or "",
                is_directed=None if directed is None else directed in ("true", "1"),
            )
        )
    views = []
    for el in _children(root, "views", "diagrams", "view"):
        content: dict[str, Any] = {
            "nodes": [node(n) for n in el.iterchildren(q("node"))],
            "connections": [connection(c) for c in el.iterchildren(q("connection"))],
        }
        # Its xsi:type stays among the attributes: some tools leave it out.
        extra = extra_attributes(el, {"identifier", "viewpoint"})
        if extra:
            content["extra"] = extra
        views.append(_concept(el, viewpoint=el.get("viewpoint") or "", content=content))
    metadata = root.find(q("metadata"))
    organizations = []
    for n, holder in enumerate(root.iterchildren(q("organizations"))):
        for child in holder.iterchildren(q("item")):
            item = organization_item(child)
            if n:
                item["block"] = n  # a second <organizations> (the schema allows several)
            organizations.append(item)
    parsed = ParsedModel(
        identifier=root.get("identifier"),
        version=root.get("version") or "",
        names=texts(root, "name"),
        documentation=texts(root, "documentation"),
        properties=properties(root),
        property_definitions=[
            {"identifier": d.get("identifier"), "type": d.get("type"), "names": texts(d, "name")}
            for d in _children(root, "propertyDefinitions", "propertyDefinition")
        ],
        organizations=organizations,
        metadata=etree.tostring(metadata, encoding="unicode", with_tail=False)
        if metadata is not None
        else "",
        elements=elements,
        relationships=relationships,
        views=views,
    )
    _check_rules(parsed)
    return parsed


def _check_references(root: etree._Element) -> None:
    """Every reference names something in the file (each refusal says where)."""
    elements = {el.get("identifier") for el in _children(root, "elements", "element")}
    relationships = {
        el.get("identifier") for el in _children(root, "relationships", "relationship")
    }
    everything = set(root.xpath("//@identifier"))
    for el in _children(root, "relationships", "relationship"):
        for end in ("source", "target"):
            ref = el.get(end)
            if ref is not None and ref not in elements and ref not in relationships:
                raise ExchangeError(
                    f"relationship “{el.get('identifier')}” has the {end} “{ref}”, which names "
                    "no element or relationship in the file.",
                    el.sourceline,
                )
    for view in _children(root, "views", "diagrams", "view"):
        in_view = {el.get("identifier") for el in view.iter(q("node"), q("connection"))}
        for el in view.iter(q("node")):
            ref = el.get("elementRef")
            if ref is not None and ref not in elements:
                raise ExchangeError(
                    f"view node “{el.get('identifier')}” shows the element “{ref}”, which is "
                    "not in the file.",
                    el.sourceline,
                )
        for el in view.iter(q("connection")):
            ref = el.get("relationshipRef")
            if ref is not None and ref not in relationships:
                raise ExchangeError(
                    f"view connection “{el.get('identifier')}” shows the relationship “{ref}”, "
                    "which is not in the file.",
                    el.sourceline,
                )
            for end in ("source", "target"):
                ref = el.get(end)
                if ref is not None and ref not in in_view:
                    raise ExchangeError(
                        f"view connection “{el.get('identifier')}” has the {end} “{ref}”, "
                        "which is no node or connection of its view.",
                        el.sourceline,
                    )
    for el in root.iter(q("item")):
        ref = el.get("identifierRef")
        if ref is not None and ref not in everything:
            raise ExchangeError(
                f"organization item refers to “{ref}”, which names nothing in the file.",
                el.sourceline,
            )


def _check_rules(parsed: ParsedModel) -> None:
    """Every relationship is one ArchiMate allows between the types of its ends."""
    types = {e.identifier: e.type for e in parsed.elements}
    for r in parsed.relationships:
        ends = [types.get(r.attrs[end], RELATIONSHIP_END) for end in ("source", "target")]
        why = refusal(r.type, *ends)
        if why:
            raise ExchangeError(
                f"relationship “{r.identifier}” ({r.type} from {ends[0]} “{r.attrs['source']}” "
                f"to {ends[1]} “{r.attrs['target']}”) is not allowed: {why}",
                r.line,
            )


@dataclass
class ImportResult:
    """What an import did: the model, and how many of each thing it created, updated or removed."""

    model: Any
    elements_created: int = 0
    elements_updated: int = 0
    elements_removed: int = 0
    relationships_created: int = 0
    relationships_updated: int = 0
    relationships_removed: int = 0
    views_created: int = 0
    views_updated: int = 0
    views_removed: int = 0
    model_created: bool = False

    @property
    def counts(self) -> dict[str, int]:
        return {
            f"{thing}_{what}": getattr(self, f"{thing}_{what}")
            for thing in ("elements", "relationships", "views")
            for what in ("created", "updated", "removed")
        }


def __getattr__(name: str) -> Any:
    # The writers import this module, so they are reached lazily rather than imported here.
    if name == "import_file":
        from .exchange_import import import_file

        return import_file
    if name == "export_model":
        from .exchange_export import export_model

        return export_model
    raise AttributeError(name)
