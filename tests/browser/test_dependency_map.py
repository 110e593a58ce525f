"""Dependency maps in a real browser: cytoscape.js draws what the table lists, the form redraws it,
and the map, impact, analysis and view pages pass axe-core and fit 320 px."""

from __future__ import annotations

import pytest

from ..architecture.conftest import estate  # noqa: F401  (a fixture)
from ..architecture.test_map_pages import HIDDEN, mapped  # noqa: F401  (a fixture)
from .test_accessibility import assert_accessible, visit

PHONE = {"viewport": {"width": 320, "height": 640}, "has_touch": True, "is_mobile": True}


def _drawn(page) -> int:
    page.wait_for_function("() => window.orchestratorMap && window.orchestratorMap.nodes().length")
    # ELK lays out asynchronously; wait until it has placed the nodes apart.
    page.wait_for_function(
        """() => { const ps = window.orchestratorMap.nodes().map(n => n.position());
                   return new Set(ps.map(p => `${Math.round(p.x)},${Math.round(p.y)}`)).size
                          === ps.length; }"""
    )
    return page.evaluate("window.orchestratorMap.nodes().length")


def test_the_map_draws_what_the_table_lists_and_the_form_redraws_it(page_as, world, mapped):  # noqa: F811
    page = page_as(None)
    visit(page, f"/k/{mapped.a.uid}/map")
    assert page.locator("#dependency-map canvas").count() > 0
    rows = page.locator("#map-elements tbody tr")
    assert _drawn(page) == rows.count() == 3  # a, b and c (c serves a); h is hidden
    page.get_by_label("Depth").fill("1")
    page.get_by_role("button", name="Show the map").click()
    page.wait_for_url("**/map?depth=1**")
    assert _drawn(page) == rows.count()
    # Only the Serving relationships: the map and the table both shrink to a and b.
    page.get_by_text("Choose relationships and layers").click()
    page.get_by_label("Serving (serves)").check()
    page.get_by_role("button", name="Show the map").click()
    page.wait_for_url("**types=Serving**")
    assert _drawn(page) == rows.count() == 2
    assert HIDDEN not in page.content()


def test_the_map_reads_without_javascript(new_context, world, mapped):  # noqa: F811
    page = new_context(java_script_enabled=False).new_page()
    visit(page, f"/k/{mapped.a.uid}/map")
    assert page.locator("#dependency-map").is_hidden()
    assert page.locator("#map-elements tbody tr").count() == 3


@pytest.mark.parametrize("where", ["map", "impact", "analysis", "view"])
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_pages_are_accessible_and_fit_320px(new_context, sign_in, world, mapped, where, size):  # noqa: F811
    context = new_context(**(PHONE if size == "phone" else {}))
    sign_in(context, world.people["staff"])
    page = context.new_page()
    target = {
        "map": f"/k/{mapped.a.uid}/map?depth=2",
        "impact": f"/k/{mapped.a.uid}/impact",
        "analysis": f"/k/{mapped.model.uid}/analysis",
        "view": f"/k/{mapped.view.uid}",
    }[where]
    visit(page, target)
    if where == "map":
        _drawn(page)
    assert_accessible(page)
    if size == "phone":
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{page.url} scrolls sideways: {width}px wide at a 320px viewport"
