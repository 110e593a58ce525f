"""The open-data page in a browser: accessible (axe-core), and fitting a 320 CSS px wide phone."""

from __future__ import annotations

from .test_accessibility import assert_accessible, visit
from .test_mobile import TARGETS_JS, phone_page, too_small


def test_the_open_data_page_is_accessible(page, world):
    assert_accessible(visit(page, "/data/"))


def test_the_open_data_page_fits_a_phone_and_can_be_tapped(new_context, sign_in, world):
    page = phone_page(new_context, sign_in, world, "anonymous")
    response = page.goto("/data/")
    assert response is not None and response.status == 200
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert not too_small(page.evaluate(TARGETS_JS))
    # The table of channels scrolls in its own labelled region if it must, not the page.
    region = page.get_by_role("region", name="Ways to get the data")
    assert region.get_attribute("tabindex") == "0"
