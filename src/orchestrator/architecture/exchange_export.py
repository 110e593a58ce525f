"""Export an architecture model as an ArchiMate 3.1 exchange file, of what the viewer may see (see `exchange`)."""

from __future__ import annotations

import io
from typing import IO, TYPE_CHECKING, Any

from lxml import etree

from orchestrator.core.errors import PermissionDenied
from orchestrator.core.models import Status

from .exchange import NS, SCHEMA_LOCATION, XML_LANG, XSI, XSI_TYPE, q, safe_parser
from .models import ArchitectureModel, Element, Relationship, View

if TYPE_CHECKING:
    from orchestrator.people.models import User


def export_model(*, user: User | None, model: ArchitectureModel, out: IO) -> None:
    """Write `model` as UTF-8 exchange-format XML to `out` (binary, or text), leaving out
    whatever `user` may not see and whatever no longer belongs to the model (archived)."""
    if not ArchitectureModel.objects.visible_to(user).filter(pk=model.pk).exists():
        raise PermissionDenied("There is no such model.")
    data = etree.tostring(
        build(user=user, model=model), xml_declaration=True, encoding="UTF-8", pretty_print=True
    )
    if isinstance(out, io.TextIOBase):
        out.write(data.decode("utf-8"))
    else:
        out.write(data)


def build(*, user: User | None, model: ArchitectureModel) -> etree._Element:
    """The exchange file's root element for what `user` may see of `model`."""
    elements = list(
        Element.objects.visible_to(user)
        .filter(model=model)
        .exclude(status=Status.ARCHIVED)
        .order_by("pk")
    )
    element_pks = {e.pk: e.identifier for e in elements}
    relationships = _visible_relationships(user, model, element_pks)
    views = list(
        View.objects.visible_to(user)
        .filter(model=model)
        .exclude(status=Status.ARCHIVED)
        .order_by("pk")
    )
    seen = {
        "elements": set(element_pks.values()),
        "relationships": {r.identifier for r in relationships},
        "views": {v.identifier for v in views},
    }
    seen["all"] = set().union(*seen.values())
    ends = {r.pk: r.identifier for r in relationships}

    root = etree.Element(q("model"), nsmap={None: NS, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", _schema_location(model))
    root.set("identifier", model.identifier)
    if model.model_version:
        root.set("version", model.model_version)
    _texts(root, "name", model.names or {"": model.title})
    _texts(root, "documentation", model.documentation)
    _properties(root, model.properties)
    if model.metadata:
        root.append(etree.fromstring(model.metadata.encode(), safe_parser()))
    if elements:
        holder = etree.SubElement(root, q("elements"))
        for e in elements:
            el = etree.SubElement(holder, q("element"), {"identifier": e.identifier})
            el.set(XSI_TYPE, e.archimate_type)
            names = e.names or ({} if e.is_junction else {"": e.title})
            _texts(el, "name", names)
            _texts(el, "documentation", e.documentation)
            _properties(el, e.properties)
    if relationships:
        holder = etree.SubElement(root, q("relationships"))
        for r in relationships:
            el = etree.SubElement(holder, q("relationship"), {"identifier": r.identifier})
            el.set(XSI_TYPE, r.type)
            el.set("source", element_pks.get(r.source_id) or ends[r.source_relationship_id])
            el.set("target", element_pks.get(r.target_id) or ends[r.target_relationship_id])
            if r.access_type:
                el.set("accessType", r.access_type)
            if r.modifier:
                el.set("modifier", r.modifier)
            if r.is_directed is not None:
                el.set("isDirected", "true" if r.is_directed else "false")
            _texts(el, "name", r.names)
            _texts(el, "documentation", r.documentation)
            _properties(el, r.properties)
    _organizations(root, model.organizations, seen["all"])
    if model.property_definitions:
        holder = etree.SubElement(root, q("propertyDefinitions"))
        for d in model.property_definitions:
            el = etree.SubElement(holder, q("propertyDefinition"))
            el.set("identifier", d["identifier"])
            el.set("type", d.get("type") or "string")
            _texts(el, "name", d.get("names") or {"": d["identifier"]})
    if views:
        diagrams = etree.SubElement(etree.SubElement(root, q("views")), q("diagrams"))
        for v in views:
            _view(diagrams, v, seen)
    return root


def _schema_location(model: ArchitectureModel) -> str:
    location = SCHEMA_LOCATION
    if model.metadata and "http://purl.org/dc/elements/1.1/" in model.metadata:
        location += " http://purl.org/dc/elements/1.1/ http://dublincore.org/schemas/xmls/qdc/2008/02/11/dc.xsd"
    return location


def _visible_relationships(
    user: User | None, model: ArchitectureModel, element_pks: dict[int, str]
) -> list[Relationship]:
    """The relationships whose ends are all exported (an end at a hidden relationship hides it)."""
    candidates = list(Relationship.objects.visible_to(user).filter(model=model).order_by("pk"))
    kept = {r.pk for r in candidates}
    changed = True
    while changed:
        changed = False
        for r in candidates:
            if r.pk not in kept:
                continue
            for element_id, relationship_id in (
                (r.source_id, r.source_relationship_id),
                (r.target_id, r.target_relationship_id),
            ):
                ok = element_id in element_pks if element_id else relationship_id in kept
                if not ok:
                    kept.discard(r.pk)
                    changed = True
                    break
    return [r for r in candidates if r.pk in kept]


def _texts(parent: etree._Element, tag: str, texts: dict[str, str] | None) -> None:
    for lang, text in (texts or {}).items():
        el = etree.SubElement(parent, q(tag))
        if lang:
            el.set(XML_LANG, lang)
        el.text = text


def _properties(parent: etree._Element, properties: list[dict[str, Any]] | None) -> None:
    if not properties:
        return
    holder = etree.SubElement(parent, q("properties"))
    for p in properties:
        el = etree.SubElement(holder, q("property"), {"propertyDefinitionRef": p["ref"]})
        _texts(el, "value", p.get("values") or {"": ""})


def _organizations(root: etree._Element, items: list[dict[str, Any]], seen: set[str]) -> None:
    blocks: dict[int, etree._Element] = {}

    def add(parent: etree._Element, item: dict[str, Any]) -> None:
        ref = item.get("identifierRef")
        if ref is not None and ref not in seen:
            return  # an item for something the viewer may not see
        el = etree.SubElement(parent, q("item"))
        if item.get("identifier"):
            el.set("identifier", item["identifier"])
        if ref is not None:
            el.set("identifierRef", ref)
        _attributes(el, item.get("extra"))
        _texts(el, "label", item.get("label"))
        _texts(el, "documentation", item.get("documentation"))
        for child in item.get("items", []):
            add(el, child)

    for item in items or []:
        n = item.get("block", 0)
        if n not in blocks:
            blocks[n] = etree.SubElement(root, q("organizations"))
        add(blocks[n], item)
    for holder in blocks.values():
        if not len(holder):
            root.remove(holder)  # the schema wants at least one item


def _attributes(el: etree._Element, extra: dict[str, str] | None) -> None:
    for key, value in (extra or {}).items():
        el.set(key, value)


def _colour(parent: etree._Element, tag: str, colour: dict[str, int] | None) -> None:
    if colour is not None:
        etree.SubElement(parent, q(tag), {k: str(v) for k, v in colour.items()})


def _style(parent: etree._Element, style: dict[str, Any] | None) -> None:
    if style is None:
        return
    el = etree.SubElement(parent, q("style"))
    if "lineWidth" in style:
        el.set("lineWidth", str(style["lineWidth"]))
    _attributes(el, style.get("extra"))
    _colour(el, "lineColor", style.get("lineColor"))
    _colour(el, "fillColor", style.get("fillColor"))
    font = style.get("font")
    if font is not None:
        f = etree.SubElement(el, q("font"))
        for key in ("name", "size", "style"):
            if key in font:
                f.set(key, str(font[key]))
        _colour(f, "color", font.get("color"))


def _concept_parts(el: etree._Element, d: dict[str, Any], seen: dict[str, set[str]]) -> None:
    _texts(el, "label", d.get("label"))
    _texts(el, "documentation", d.get("documentation"))
    _style(el, d.get("style"))
    refs = d.get("viewRefs") or ([d["viewRef"]] if d.get("viewRef") else [])
    for ref in refs:
        if ref in seen["views"]:
            etree.SubElement(el, q("viewRef"), {"ref": ref})
    _properties(el, d.get("properties"))


def _node(parent: etree._Element, d: dict[str, Any], seen: dict[str, set[str]], shown: set[str]):
    ref = d.get("elementRef")
    if ref is not None and ref not in seen["elements"]:
        return  # a node for an element the viewer may not see, with all it holds
    el = etree.SubElement(parent, q("node"), {"identifier": d["identifier"]})
    el.set(XSI_TYPE, d.get("type") or "Element")
    if ref is not None:
        el.set("elementRef", ref)
    for key in ("x", "y", "w", "h"):
        el.set(key, str(d[key]))
    extra = dict(d.get("extra") or {})
    if extra.get("conceptRef") is not None and extra["conceptRef"] not in seen["all"]:
        del extra["conceptRef"]
    _attributes(el, extra)
    _concept_parts(el, d, seen)
    shown.add(d["identifier"])
    for child in d.get("children", []):
        _node(el, child, seen, shown)


def _view(diagrams: etree._Element, v: View, seen: dict[str, set[str]]) -> None:
    content = v.content or {}
    el = etree.SubElement(diagrams, q("view"), {"identifier": v.identifier})
    if v.viewpoint:
        el.set("viewpoint", v.viewpoint)
    _attributes(el, content.get("extra"))
    _texts(el, "name", v.names or {"": v.title})
    _texts(el, "documentation", v.documentation)
    _properties(el, v.properties)
    shown: set[str] = set()
    for d in content.get("nodes", []):
        _node(el, d, seen, shown)
    connections = list(content.get("connections", []))
    # A connection may end at a connection: keep only those whose ends are still shown.
    kept: list[dict[str, Any]] = []
    changed = True
    while changed:
        changed = False
        ids = {c["identifier"] for c in kept}
        for c in connections:
            if c["identifier"] in ids:
                continue
            ref = c.get("relationshipRef")
            if ref is not None and ref not in seen["relationships"]:
                continue
            ends = shown | ids
            if all(c.get(end) is None or c.get(end) in ends for end in ("source", "target")):
                kept.append(c)
                ids.add(c["identifier"])
                changed = True
    order = {c["identifier"]: n for n, c in enumerate(connections)}
    for c in sorted(kept, key=lambda c: order[c["identifier"]]):
        _connection(el, c, seen)


def _connection(parent: etree._Element, d: dict[str, Any], seen: dict[str, set[str]]) -> None:
    el = etree.SubElement(parent, q("connection"), {"identifier": d["identifier"]})
    el.set(XSI_TYPE, d.get("type") or "Relationship")
    if d.get("relationshipRef") is not None:
        el.set("relationshipRef", d["relationshipRef"])
    for end in ("source", "target"):
        if d.get(end) is not None:
            el.set(end, d[end])
    _attributes(el, d.get("extra"))
    _concept_parts(el, d, seen)
    if d.get("sourceAttachment"):
        etree.SubElement(el, q("sourceAttachment"), _point(d["sourceAttachment"]))
    for point in d.get("bendpoints", []):
        etree.SubElement(el, q("bendpoint"), _point(point))
    if d.get("targetAttachment"):
        etree.SubElement(el, q("targetAttachment"), _point(d["targetAttachment"]))


def _point(point: dict[str, int]) -> dict[str, str]:
    return {"x": str(point["x"]), "y": str(point["y"])}
