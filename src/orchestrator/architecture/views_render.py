"""A view's diagram drawn on the server: an SVG of the nodes and connections its viewer may see.

Coordinates in the exchange format are absolute, children's included: in the conformance file
architoolsrb_Model_View.xml the node at (160, 160), 70 × 55, sits inside its parent at (150, 150),
200 × 155, which only holds if its position is not relative to the parent's; bendpoints (and the
attachments of archi_bendpoint.test.xml) are absolute too. So every node is drawn where it says.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .archimate import RELATIONSHIP_LABELS, Layer
from .models import ArchitectureModel, Element, Relationship, View, first_text

if TYPE_CHECKING:
    from orchestrator.people.models import User

# ArchiMate's customary colours by layer, for a node whose style gives none.
LAYER_FILL = {
    Layer.STRATEGY: "#f5deaa",
    Layer.BUSINESS: "#ffffb5",
    Layer.APPLICATION: "#b5ffff",
    Layer.TECHNOLOGY: "#c9e7b7",
    Layer.PHYSICAL: "#c9e7b7",
    Layer.MOTIVATION: "#ccccff",
    Layer.IMPLEMENTATION: "#ffe0e0",
    Layer.OTHER: "#ffffff",
}
# A limit on what one page draws, whatever a file holds.
MAX_NODES = 2000
MAX_POINTS = 100
PADDING = 10
# Roughly how wide a character of 12-pixel text is, to wrap names inside their boxes.
CHAR_WIDTH = 7
LINE_HEIGHT = 15


@dataclass(slots=True)
class DrawnNode:
    identifier: str
    x: float
    y: float
    w: float
    h: float
    fill: str
    stroke: str
    name: str
    lines: list[str]
    depth: int
    element: Element | None = None
    kind: str = "Element"
    has_children: bool = False

    @property
    def centre(self) -> tuple[float, float]:
        return self.x + self.w / 2, self.y + self.h / 2

    @property
    def text_x(self) -> float:
        return self.x + self.w / 2

    @property
    def text_lines(self) -> list[tuple[float, str]]:
        # Containers carry their name at the top, elements in the middle.
        top = self.y + 16 if self.kind == "Container" or self.has_children else None
        if top is None:
            top = self.y + self.h / 2 - (len(self.lines) - 1) * LINE_HEIGHT / 2 + 4
        return [(top + n * LINE_HEIGHT, line) for n, line in enumerate(self.lines)]


@dataclass(slots=True)
class DrawnConnection:
    identifier: str
    points: str
    stroke: str
    relationship: Relationship | None
    source: DrawnNode
    target: DrawnNode

    @property
    def label(self) -> str:
        if self.relationship is None:
            return "line"
        return RELATIONSHIP_LABELS.get(self.relationship.type, self.relationship.type)


@dataclass(slots=True)
class Diagram:
    view: View
    min_x: float = 0
    min_y: float = 0
    width: float = 0
    height: float = 0
    nodes: list[DrawnNode] = field(default_factory=list)
    connections: list[DrawnConnection] = field(default_factory=list)
    omitted: bool = False

    @property
    def view_box(self) -> str:
        return f"{_n(self.min_x)} {_n(self.min_y)} {_n(self.width)} {_n(self.height)}"

    @property
    def elements(self) -> list[Element]:
        seen: dict[int, Element] = {}
        for node in self.nodes:
            if node.element is not None:
                seen.setdefault(node.element.pk, node.element)
        return sorted(seen.values(), key=lambda e: (e.title.casefold(), e.uid))

    @property
    def relationships(self) -> list[DrawnConnection]:
        return [c for c in self.connections if c.relationship is not None]


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _colour(style: Any, name: str) -> str | None:
    if not isinstance(style, dict) or not isinstance(style.get(name), dict):
        return None
    rgb = []
    for channel in ("r", "g", "b"):
        value = _number(style[name].get(channel))
        if value is None:
            return None
        rgb.append(min(255, max(0, int(value))))
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def _walk_nodes(nodes: Any, depth: int = 0):
    if not isinstance(nodes, list):
        return
    for node in nodes:
        if isinstance(node, dict):
            yield node, depth
            yield from _walk_nodes(node.get("children"), depth + 1)


def _wrap(text: str, width: float, height: float) -> list[str]:
    per_line = max(4, int((width - 8) // CHAR_WIDTH))
    most = max(1, int((height - 4) // LINE_HEIGHT))
    lines = textwrap.wrap(text, per_line) or [""]
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1][: max(1, per_line - 1)] + "…"
    return lines


def _clip(inside: DrawnNode, towards: tuple[float, float]) -> tuple[float, float]:
    """Where the line from `inside`'s centre towards a point leaves its box."""
    cx, cy = inside.centre
    dx, dy = towards[0] - cx, towards[1] - cy
    if dx == 0 and dy == 0:
        return cx, cy
    scale = min(
        (inside.w / 2) / abs(dx) if dx else math.inf, (inside.h / 2) / abs(dy) if dy else math.inf
    )
    scale = min(scale, 1)
    return cx + dx * scale, cy + dy * scale


def diagram(user: User | None, view: View) -> Diagram:
    """The view as `user` may see it: nodes of elements they may not see are left out, with every
    connection to them; so are connections of relationships they may not see."""
    content = view.content if isinstance(view.content, dict) else {}
    raw_nodes = []
    for node, depth in _walk_nodes(content.get("nodes")):
        if len(raw_nodes) >= MAX_NODES:
            break
        raw_nodes.append((node, depth))
    refs = {str(n["elementRef"]) for n, _ in raw_nodes if n.get("elementRef")}
    elements = {
        e.identifier: e
        for e in Element.objects.visible_to(user).filter(
            model_id=view.model_id, identifier__in=refs
        )
    }
    result = Diagram(view)
    drawn: dict[str, DrawnNode] = {}
    for node, depth in raw_nodes:
        kind = node.get("type") or ("Element" if node.get("elementRef") else "Container")
        box = [_number(node.get(k)) for k in ("x", "y", "w", "h")]
        if None in box or box[2] <= 0 or box[3] <= 0:
            continue
        element = None
        if kind == "Element":
            element = elements.get(str(node.get("elementRef", "")))
            if element is None:
                result.omitted = True
                continue
            name = element.title
            default = LAYER_FILL.get(element.layer, "#ffffff")
        else:
            name = first_text(node.get("label") if isinstance(node.get("label"), dict) else {})
            default = "#ffffff"
        style = node.get("style")
        x, y, w, h = box
        drawn_node = DrawnNode(
            identifier=str(node.get("identifier", "")),
            x=x,
            y=y,
            w=w,
            h=h,
            fill=_colour(style, "fillColor") or default,
            stroke=_colour(style, "lineColor") or "#505a5f",
            name=name,
            lines=_wrap(name, w, h),
            depth=depth,
            element=element,
            kind=kind,
            has_children=bool(node.get("children")),
        )
        drawn[drawn_node.identifier] = drawn_node
        result.nodes.append(drawn_node)
    connections = content.get("connections") if isinstance(content.get("connections"), list) else []
    rel_refs = {
        str(c["relationshipRef"])
        for c in connections
        if isinstance(c, dict) and c.get("relationshipRef")
    }
    relationships = {
        r.identifier: r
        for r in Relationship.objects.visible_to(user)
        .filter(model_id=view.model_id, identifier__in=rel_refs)
        .select_related("source", "target")
    }
    for c in connections[:MAX_NODES]:
        if not isinstance(c, dict):
            continue
        source, target = drawn.get(str(c.get("source"))), drawn.get(str(c.get("target")))
        relationship = None
        if c.get("relationshipRef") or c.get("type") == "Relationship":
            relationship = relationships.get(str(c.get("relationshipRef", "")))
            if relationship is None:
                result.omitted = True
                continue
        if source is None or target is None:
            continue
        bends = []
        for point in (c.get("bendpoints") or [])[:MAX_POINTS]:
            if isinstance(point, dict):
                bx, by = _number(point.get("x")), _number(point.get("y"))
                if bx is not None and by is not None:
                    bends.append((bx, by))
        first = _clip(source, bends[0] if bends else target.centre)
        last = _clip(target, bends[-1] if bends else source.centre)
        points = [first, *bends, last]
        result.connections.append(
            DrawnConnection(
                identifier=str(c.get("identifier", "")),
                points=" ".join(f"{_n(px)},{_n(py)}" for px, py in points),
                stroke=_colour(c.get("style"), "lineColor") or "#0b0c0c",
                relationship=relationship,
                source=source,
                target=target,
            )
        )
    xs = [v for n in result.nodes for v in (n.x, n.x + n.w)]
    ys = [v for n in result.nodes for v in (n.y, n.y + n.h)]
    for c in result.connections:
        for pair in c.points.split():
            px, py = pair.split(",")
            xs.append(float(px))
            ys.append(float(py))
    if xs:
        result.min_x, result.min_y = min(xs) - PADDING, min(ys) - PADDING
        result.width = max(xs) - min(xs) + 2 * PADDING
        result.height = max(ys) - min(ys) + 2 * PADDING
    # Parents before children, so children are drawn on top.
    result.nodes.sort(key=lambda n: n.depth)
    return result


def view_panel(user: User | None, item: View) -> dict:
    """The context of a view's record page: its diagram, its tables and its model."""
    view = item if isinstance(item, View) else View.objects.get(pk=item.pk)
    model = ArchitectureModel.objects.visible_to(user).filter(pk=view.model_id).first()
    return {"view": view, "diagram": diagram(user, view), "view_model": model}
