"""The portal on a phone, and as an installable web app: a 320 CSS px wide screen used by touch,
the web app manifest, and the service worker's offline page.

WCAG 2.2 asks for reflow at 320 CSS px (1.4.10: no sideways scrolling, a wide table scrolling in its
own region instead) and for targets of at least 24 by 24 CSS px or spaced as if they were (2.5.8).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from orchestrator.portal import pwa

from .test_accessibility import PHONE, axe_violations, describe, url

# Key pages, each at phone width: (test id, persona, path or record name).
KEY_PAGES = [
    ("home", "anonymous", "/"),
    ("home-signed-in", "staff", "/"),
    ("record", "anonymous", "open"),
    ("record-staff", "staff", "closed"),
    ("search", "anonymous", "/search"),
    ("search-results", "staff", "/search?q=record"),
    ("sign-in", "anonymous", "/sign-in"),
    ("withheld", "anonymous", "/withheld"),
    ("audit", "anonymous", "/audit"),
    ("governance", "anonymous", "/governance"),
    ("accessibility", "anonymous", "/accessibility"),
    ("offline", "anonymous", "/offline"),
    ("tokens", "registered", "/account/tokens"),
    ("decisions", "anonymous", "/decisions"),
    ("decisions-staff", "staff", "/decisions"),
    ("decision-new", "staff", "/decisions/new"),
]

# Every target a person can tap, with its box; and whether it sits inside a line of text (a link in
# a sentence), which 2.5.8 excepts. The spacing test is WCAG's: a 24 px circle centred on an undersized
# target must not touch another target, nor another undersized target's circle.
TARGETS_JS = """() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])';
  const targets = [];
  const elements = [...document.querySelectorAll(selector)];
  for (const el of elements) {
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.display === "none") continue;
    let box = el.getBoundingClientRect();
    // A GOV.UK radio or checkbox hides its input under a larger label-sized box; measure that box.
    if (el.matches(".govuk-radios__input, .govuk-checkboxes__input")) {
      box = el.parentElement.getBoundingClientRect();
    }
    if (box.width === 0 && box.height === 0) continue;
    let inline = false;
    if (style.display === "inline" && el.parentElement) {
      const own = el.textContent.trim();
      const around = el.parentElement.textContent.replace(own, "").trim();
      inline = around.length > 0;
    }
    const name = (el.getAttribute("aria-label") || el.textContent || el.value || el.name || el.tagName).trim().slice(0, 60);
    // A scrollable region holding a table is a target that holds others: it does not crowd them.
    const nested = elements.map((other, i) => other !== el && (other.contains(el) || el.contains(other)) ? i : -1)
                           .filter(i => i >= 0);
    targets.push({name, tag: el.tagName.toLowerCase(), inline, index: elements.indexOf(el), nested,
                  x: box.left + scrollX, y: box.top + scrollY, w: box.width, h: box.height});
  }
  return targets;
}"""

MINIMUM = 24


def too_small(targets: list[dict]) -> list[str]:
    """Targets under 24×24 CSS px that are neither in a line of text nor spaced enough."""

    def centre(t):
        return (t["x"] + t["w"] / 2, t["y"] + t["h"] / 2)

    def circle_touches_box(c, t) -> bool:
        nx = min(max(c[0], t["x"]), t["x"] + t["w"])
        ny = min(max(c[1], t["y"]), t["y"] + t["h"])
        return (c[0] - nx) ** 2 + (c[1] - ny) ** 2 < (MINIMUM / 2) ** 2

    small = [t for t in targets if (t["w"] < MINIMUM or t["h"] < MINIMUM) and not t["inline"]]
    problems = []
    for t in small:
        c = centre(t)
        for other in targets:
            if other is t or other["inline"] or other["index"] in t["nested"]:
                continue
            if other in small:
                oc = centre(other)
                clash = (c[0] - oc[0]) ** 2 + (c[1] - oc[1]) ** 2 < MINIMUM**2
            else:
                clash = circle_touches_box(c, other)
            if clash:
                problems.append(
                    f"<{t['tag']}> {t['name']!r} is {t['w']:.0f}×{t['h']:.0f}px and too close to "
                    f"<{other['tag']}> {other['name']!r}"
                )
                break
    return problems


def phone_page(new_context, sign_in, world, persona):
    context = new_context(**PHONE)
    if world.people[persona] is not None:
        sign_in(context, world.people[persona])
    return context.new_page()


def resolve(world, target: str) -> str:
    return target if target.startswith("/") else url(world, target)


@pytest.mark.parametrize(
    ("persona", "target"), [p[1:] for p in KEY_PAGES], ids=[p[0] for p in KEY_PAGES]
)
def test_key_pages_fit_a_phone_can_be_tapped_and_are_accessible(
    new_context, sign_in, world, persona, target
):
    page = phone_page(new_context, sign_in, world, persona)
    response = page.goto(resolve(world, target))
    assert response is not None and response.status == 200
    # The menu is open too, so that its links are measured as well.
    page.get_by_role("button", name="Menu").tap()
    problems = []
    width, viewport = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    if width > viewport:
        wide = page.evaluate(
            """w => [...document.querySelectorAll('body *')]
                   .filter(el => el.getBoundingClientRect().right > w + 0.5
                                 && !el.closest('.orch-table-wrap'))
                   .slice(0, 5).map(el => el.outerHTML.slice(0, 120))""",
            viewport,
        )
        problems.append(f"{page.url} is {width}px wide at {viewport}px; too wide: {wide}")
    problems += too_small(page.evaluate(TARGETS_JS))
    if violations := axe_violations(page):
        problems.append(describe(violations))
    assert not problems, "\n".join(problems)


def test_a_wide_table_scrolls_in_its_own_labelled_region(new_context, sign_in, world):
    page = phone_page(new_context, sign_in, world, "anonymous")
    page.goto("/audit")
    region = page.get_by_role("region", name="Audit events")
    expect(region).to_have_attribute("tabindex", "0")
    # The table is wider than the phone, so the region scrolls rather than the page.
    scroll_width, client_width = region.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert scroll_width > client_width
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")


def test_search_from_the_home_page_and_open_a_result_by_tapping(new_context, world):
    page = new_context(**PHONE).new_page()
    page.goto("/")
    page.get_by_role("button", name="Menu").tap()
    page.get_by_role("link", name="Search", exact=True).tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Search the knowledge base")
    box = page.get_by_label("Words to find")
    box.tap()
    expect(box).to_be_focused()
    page.keyboard.type("open record")
    page.get_by_role("button", name="Search", exact=True).tap()
    expect(page).to_have_url(re.compile(r"/search\?q=open\+record$"))
    expect(page.get_by_role("status")).to_contain_text("for “open record”")
    page.get_by_role("link", name="The open record").tap()
    expect(page).to_have_url(re.compile(re.escape(url(world, "open")) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("The open record")
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")


def test_the_site_is_installable(page, world):
    page.goto("/")
    manifest = page.locator('link[rel="manifest"]')
    expect(manifest).to_have_attribute("href", "/manifest.webmanifest")
    expect(page.locator('meta[name="theme-color"]')).to_have_attribute("content", pwa.THEME_COLOUR)
    expect(page.locator('link[rel="apple-touch-icon"]')).to_have_count(1)
    data = page.evaluate("fetch('/manifest.webmanifest').then(r => r.json())")
    # Every icon the manifest names loads as an image of the size it claims.
    for icon in data["icons"]:
        size = page.evaluate(
            """src => new Promise((ok, fail) => {
                 const img = new Image();
                 img.onload = () => ok([img.naturalWidth, img.naturalHeight]);
                 img.onerror = () => fail(new Error("cannot load " + src));
                 img.src = src;
               })""",
            icon["src"],
        )
        if icon["sizes"] != "any":
            assert f"{size[0]}x{size[1]}" == icon["sizes"], icon


def wait_for_the_service_worker(page) -> None:
    page.evaluate("navigator.serviceWorker.ready")
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def test_offline_a_page_that_cannot_be_fetched_shows_the_offline_page(
    browser, live_server, sign_in, world
):
    # A context of its own, not `new_context`'s: going offline fails requests on purpose, which
    # that fixture would report as the page's faults. Errors on the page itself still fail the test.
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    errors = []
    context.on("weberror", lambda error: errors.append(str(error.error)))
    try:
        sign_in(context, world.people["staff"])
        page = context.new_page()
        page.goto(url(world, "closed"))
        wait_for_the_service_worker(page)
        # Reload so this page, too, is fetched through the service worker.
        page.reload()
        expect(page.get_by_role("heading", level=1)).to_have_text("The closed record")

        context.set_offline(True)
        page.goto(url(world, "open"))
        expect(page.get_by_role("heading", level=1)).to_have_text("You are offline")
        # The stylesheet came from the cache: the page is styled, not bare HTML.
        colour = page.locator("header").evaluate("el => getComputedStyle(el).backgroundColor")
        assert colour == "rgb(11, 61, 92)"  # $orch-navy
        assert "Stella Staff" not in page.content()

        # Back online, pages come from the network again.
        context.set_offline(False)
        page.goto("/")
        expect(page.get_by_role("heading", level=1)).to_have_text("The Shared Knowledge Base")
    finally:
        context.close()
    assert not errors


def test_the_service_worker_stores_nothing_a_signed_in_person_saw(context, sign_in, world):
    sign_in(context, world.people["staff"])
    page = context.new_page()
    page.goto("/")
    wait_for_the_service_worker(page)
    for target in (url(world, "closed"), "/search?q=record", "/account", "/audit"):
        page.goto(target)
    stored = page.evaluate(
        """async () => {
             const urls = [];
             for (const name of await caches.keys()) {
               const cache = await caches.open(name);
               for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
             }
             return urls;
           }"""
    )
    assert sorted(stored) == sorted(pwa._precache()[1])
    # And the copy of the offline page it keeps is the one anyone would get, not this person's.
    offline = page.evaluate("caches.match('/offline', {ignoreVary: true}).then(r => r.text())")
    assert "You are offline" in offline and "Stella Staff" not in offline


def test_without_javascript_the_site_works_and_no_service_worker_is_registered(new_context, world):
    context = new_context(java_script_enabled=False, **PHONE)
    page = context.new_page()
    page.goto("/")
    # Without JavaScript the menu is not collapsed: its links are there to tap.
    page.get_by_role("link", name="Search", exact=True).tap()
    page.get_by_label("Words to find").fill("open")
    page.get_by_role("button", name="Search", exact=True).tap()
    page.get_by_role("link", name="The open record").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("The open record")
    assert context.service_workers == []


def test_the_tokens_table_fits_a_phone(new_context, sign_in, world):
    from orchestrator.api.services import create_token

    rita = world.people["registered"]
    for name in ("nightly export of every open record to our data warehouse", "dashboard"):
        create_token(actor=rita, name=name)
    page = phone_page(new_context, sign_in, world, "registered")
    page.goto("/account/tokens")
    expect(page.get_by_role("table")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert not too_small(page.evaluate(TARGETS_JS))
    assert not axe_violations(page)
