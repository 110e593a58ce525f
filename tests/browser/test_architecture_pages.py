"""The architecture's pages in a real browser — /architecture, element and model pages, gap analysis
and the forms — with axe-core, at desktop width and at 320 px."""

from __future__ import annotations

import pytest

from orchestrator.architecture import services
from orchestrator.people.models import OrganisationKind, Role

from ..architecture.test_pages import build_dsi
from ..factories import OrganisationFactory, person
from .test_accessibility import assert_accessible, visit

PHONE = {"viewport": {"width": 320, "height": 640}, "has_touch": True, "is_mobile": True}


@pytest.fixture
def dsi(world):
    team = OrganisationFactory(name="Architecture Team", kind=OrganisationKind.ORCHESTRATOR_TEAM)
    architect = person(Role.ARCHITECT, team, full_name="Archie Tect")
    model = services.create_model(
        actor=architect, owner=team, title="Energy data architecture", identifier="ea"
    )
    return build_dsi(architect, model, world)


PAGES = [
    ("architecture", None, lambda d: "/architecture"),
    ("element", None, lambda d: d["catalogue"].get_absolute_url()),
    ("element-as-architect", "architect", lambda d: d["catalogue"].get_absolute_url()),
    ("model", None, lambda d: d["model"].get_absolute_url()),
    ("gap", None, lambda d: f"/k/{d['model'].uid}/gap"),
    ("gap-error", None, lambda d: f"/k/{d['model'].uid}/gap?before=x"),
    ("new-element", "architect", lambda d: f"/k/{d['model'].uid}/elements/new"),
    ("new-relationship", "architect", lambda d: f"/k/{d['catalogue'].uid}/relationships/new"),
    ("new-state", "architect", lambda d: f"/k/{d['model'].uid}/states/new"),
    ("new-model", "architect", lambda d: "/architecture/models/new"),
    ("import", "architect", lambda d: "/architecture/import"),
]


@pytest.mark.parametrize(("who", "target"), [p[1:] for p in PAGES], ids=[p[0] for p in PAGES])
def test_architecture_page_is_accessible_and_fits_a_phone(new_context, sign_in, dsi, who, target):
    for options in ({}, PHONE):
        context = new_context(**options)
        if who:
            sign_in(context, dsi[who])
        page = context.new_page()
        url = target(dsi)
        visit(page, url, status=400 if "before=x" in url else 200)
        assert_accessible(page)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_forbidden_relationship_is_explained_on_the_form(new_context, sign_in, dsi):
    context = new_context()
    sign_in(context, dsi["architect"])
    page = context.new_page()
    visit(page, f"/k/{dsi['search'].uid}/relationships/new")
    page.select_option("#id_type", "Access")
    page.fill("#id_target", dsi["catalogue"].uid)
    page.click("button:has-text('Save')")
    assert "Access goes from behaviour or active structure" in page.inner_text(
        ".govuk-error-summary"
    )
    assert_accessible(page)
