"""Journeys through the portal in a real browser: what a person would notice if it broke."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from orchestrator.people.models import User

NOT_FOUND = "Page not found"
PASSWORD = "correct horse battery"  # what tests/factories.py gives everyone


def record_url(world, name: str) -> str:
    return world.records[name].get_absolute_url()


def expect_record(page, title: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page).to_have_title(f"{title} – Orchestrator")


def expect_not_found(page, response) -> None:
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text(NOT_FOUND)
    expect(page).to_have_title(f"{NOT_FOUND} – Orchestrator")


def expect_signed_in_as(page, name: str) -> None:
    expect(page.locator(".govuk-phase-banner")).to_contain_text(f"You are signed in as {name}")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def expect_signed_out(page) -> None:
    expect(page.locator(".govuk-phase-banner")).to_contain_text("You are not signed in")
    expect(page.get_by_role("link", name="Sign in", exact=True)).to_be_visible()


def sign_in_through_form(page, email: str, password: str = PASSWORD) -> None:
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_anonymous_visitor_reads_an_open_record_but_not_a_closed_one(page, world):
    page.goto("/")
    expect_signed_out(page)
    recent = page.get_by_role("heading", name="Recently published").locator("xpath=..")
    expect(recent.get_by_role("link", name="The open record")).to_be_visible()
    # Only the open record is listed to someone not signed in.
    expect(recent.get_by_role("link", name="The closed record")).to_have_count(0)
    expect(recent.get_by_role("link", name="The registered record")).to_have_count(0)

    recent.get_by_role("link", name="The open record").click()
    expect(page).to_have_url(re.compile(re.escape(record_url(world, "open")) + "$"))
    expect_record(page, "The open record")
    expect(page.locator("main .orch-badge--open")).to_have_text("Open")
    # Nothing to edit, triage or publish for a visitor.
    expect(page.get_by_role("link", name="Edit")).to_have_count(0)

    expect_not_found(page, page.goto(record_url(world, "closed")))
    expect(page.get_by_text("The closed record")).to_have_count(0)
    page.get_by_role("link", name="Go to the Shared Knowledge Base").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The Shared Knowledge Base")


def test_sign_in_through_the_form_then_read_a_registered_record(page, world):
    rita: User = world.people["registered"]
    expect_not_found(page, page.goto(record_url(world, "registered")))

    page.goto("/")
    page.get_by_role("link", name="Sign in", exact=True).click()
    expect(page).to_have_title("Sign in – Orchestrator")
    # The e-mail field has focus, so a keyboard user can type straight away.
    expect(page.get_by_label("E-mail address")).to_be_focused()
    sign_in_through_form(page, rita.email)

    expect(page).to_have_url(re.compile(r"/$"))
    expect_signed_in_as(page, "Rita Registered")
    page.get_by_role("link", name="The registered record").click()
    expect_record(page, "The registered record")
    # Signed in as a registered stakeholder is not enough for a closed record.
    expect_not_found(page, page.goto(record_url(world, "closed")))


def test_a_wrong_password_is_refused_with_an_error_summary(page, world):
    page.goto("/sign-in")
    sign_in_through_form(page, world.people["registered"].email, "not the password")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()  # GOV.UK Frontend moves focus to the summary
    expect(page).to_have_url(re.compile(r"/sign-in$"))
    expect_signed_out(page)


def test_signing_in_returns_to_the_page_asked_for(page, world):
    page.goto("/account")
    expect(page).to_have_url(re.compile(r"/sign-in\?next=/account$"))
    sign_in_through_form(page, world.people["member"].email)
    expect(page).to_have_url(re.compile(r"/account$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(page.locator("main")).to_contain_text("Design Body member, Named Design Body")


@pytest.mark.parametrize(
    ("persona", "sees", "does_not_see"),
    [
        ("registered", ["open", "registered"], ["restricted", "closed", "draft"]),
        ("member", ["open", "registered", "restricted"], ["closed", "draft"]),
        ("outsider", ["open", "registered"], ["restricted", "closed", "draft"]),
        ("author", ["open", "registered", "draft"], ["restricted", "closed"]),
        ("staff", ["open", "registered", "restricted", "closed", "draft"], []),
    ],
)
def test_each_persona_sees_the_records_their_level_allows(
    page_as, world, persona, sees, does_not_see
):
    page = page_as(world.people[persona])
    for name in sees:
        response = page.goto(record_url(world, name))
        assert response.status == 200, name
        expect_record(page, world.records[name].title)
    for name in does_not_see:
        expect_not_found(page, page.goto(record_url(world, name)))


def test_staff_see_the_closed_record_with_its_triage(page_as, world):
    page = page_as(world.people["staff"])
    page.goto("/")
    expect_signed_in_as(page, "Stella Staff (Orchestrator staff)")
    page.get_by_role("link", name="The closed record").click()
    expect_record(page, "The closed record")
    expect(page.locator("main .orch-badge--closed")).to_have_text("Closed")
    expect(page.locator("main")).to_contain_text("Withheld as closed for the test.")


def test_sign_out_button_signs_out(page_as, world):
    page = page_as(world.people["registered"])
    page.goto(record_url(world, "registered"))
    expect_signed_in_as(page, "Rita Registered")

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect_signed_out(page)
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    # The session is gone, not just hidden: the registered record is out of reach again.
    expect_not_found(page, page.goto(record_url(world, "registered")))


def test_registering_signs_the_new_user_in_at_once(page, world):
    page.goto("/")
    page.get_by_role("link", name="Register", exact=True).click()
    expect(page).to_have_title("Register – Orchestrator")
    page.get_by_label("Full name").fill("Nia Newcomer")
    page.get_by_label("E-mail address").fill("nia@example.org")
    page.get_by_label("Password").fill("a long and unusual passphrase")
    page.get_by_role("button", name="Create account").click()

    expect(page).to_have_url(re.compile(r"/$"))
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text("Your account is ready")
    expect_signed_in_as(page, "Nia Newcomer")
    page.get_by_role("link", name="The registered record").click()
    expect_record(page, "The registered record")
    assert User.objects.filter(email="nia@example.org", full_name="Nia Newcomer").exists()


def test_registration_refuses_a_short_password_and_keeps_what_was_typed(page, world):
    page.goto("/register")
    page.get_by_label("Full name").fill("Nia Newcomer")
    page.get_by_label("E-mail address").fill("nia@example.org")
    page.get_by_label("Password").fill("short")
    page.get_by_role("button", name="Create account").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("too short")
    expect(page.get_by_label("Full name")).to_have_value("Nia Newcomer")
    expect_signed_out(page)
    assert not User.objects.filter(email="nia@example.org").exists()


def test_the_author_edits_their_draft(page_as, world):
    page = page_as(world.people["author"])
    page.goto(record_url(world, "draft"))
    expect(page.locator("main .orch-badge--draft")).to_have_text("Draft")
    page.get_by_role("link", name="Edit", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit “The draft record”")

    # A missing title is refused; the error summary links to the field.
    page.get_by_label("Title").fill("")
    page.get_by_role("button", name="Save").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Title")).to_be_focused()

    page.get_by_label("Title").fill("The revised draft")
    page.get_by_role("button", name="Save").click()
    expect_record(page, "The revised draft")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Changes saved.")


def test_a_phone_user_goes_from_home_to_a_record_without_sideways_scrolling(new_context, world):
    context = new_context(
        viewport={"width": 320, "height": 640},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()

    def assert_no_horizontal_scroll() -> None:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{page.url} scrolls sideways: {width}px wide at a 320px viewport"

    page.goto("/")
    assert_no_horizontal_scroll()
    # The service navigation folds into a Menu button on a narrow screen.
    navigation = page.get_by_role("navigation", name="Menu")
    menu = navigation.get_by_role("button", name="Menu")
    withheld = navigation.get_by_role("link", name="Withheld register", exact=True)
    expect(menu).to_be_visible()
    expect(withheld).to_be_hidden()
    menu.tap()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(withheld).to_be_visible()
    assert_no_horizontal_scroll()

    page.get_by_role("link", name="The open record").tap()
    expect_record(page, "The open record")
    assert_no_horizontal_scroll()


# Words in these places that a browser breaks across two lines ("Identifie / r"); hashes and codes,
# meant to break anywhere, are left out.
BROKEN_WORDS = """() => {
  const broken = [];
  const places = "main h1, main h2, main .govuk-tag, main .govuk-summary-list__key, "
               + "main .govuk-summary-list__value, main .govuk-table__header";
  for (const place of document.querySelectorAll(places)) {
    const walker = document.createTreeWalker(place, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest("code, .orch-hash")) continue;
      for (const match of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const tops = new Set([...range.getClientRects()].filter(r => r.width > 0)
                                                         .map(r => Math.round(r.top)));
        if (tops.size > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}"""


@pytest.mark.parametrize("width", [320, 768, 1280])
def test_labels_and_badges_are_not_broken_mid_word(new_context, sign_in, world, width):
    context = new_context(viewport={"width": width, "height": 800})
    sign_in(context, world.people["staff"])
    page = context.new_page()
    broken = {}
    for target in ["/", record_url(world, "restricted"), record_url(world, "draft"), "/governance"]:
        page.goto(target)
        if words := page.evaluate(BROKEN_WORDS):
            broken[target] = words
    assert not broken, f"words broken mid-word at {width}px: {broken}"


def test_a_wide_table_on_a_phone_scrolls_from_the_keyboard(new_context, world):
    page = new_context(viewport={"width": 320, "height": 640}).new_page()
    page.goto("/withheld")
    region = page.get_by_role("region", name="Withheld records")
    assert region.evaluate("el => el.scrollWidth > el.clientWidth"), (
        "the table fits: nothing to test"
    )
    region.focus()
    expect(region).to_be_focused()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("el => el.scrollLeft > 0", arg=region.element_handle())
