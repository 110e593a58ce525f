"""Journeys through the knowledge base in a real browser — search, a submission from raising to its public
answer, following — and axe-core on every page they pass through."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from orchestrator.core import topics
from orchestrator.engagement import services as engagement

from .test_accessibility import assert_accessible, visit

PHONE = {"viewport": {"width": 320, "height": 640}, "has_touch": True, "is_mobile": True}


@pytest.fixture
def topic(world):
    t = topics.create_topic(
        actor=world.people["triager"],
        name="Data sharing",
        description="Sharing data across the sector.",
    )
    topics.file_item(actor=world.people["triager"], item=world.records["open"], topic=t)
    return t


@pytest.fixture
def submission(world):
    return engagement.raise_submission(
        actor=world.people["registered"],
        category="risk",
        title="Consent register not scoped",
        text="Nobody has scoped the consent register.",
        about=world.records["open"],
    )


def test_search_from_the_home_page_narrow_and_open_a_result(page, world):
    page.goto("/")
    page.get_by_label("Search the knowledge base").fill("record")
    page.get_by_label("Search the knowledge base").press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q=record"))
    results = page.locator("main ol")
    expect(results.get_by_role("link", name="The open record")).to_be_visible()
    # Hidden records are not among an anonymous visitor's results, nor in the facet counts.
    expect(page.locator("main")).not_to_contain_text("The closed record")
    expect(results.locator("mark").first).to_have_text(re.compile("record", re.I))
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(r"^Documents \(\d+\)")).click()
    expect(page.get_by_text(re.compile(r"1 result for"))).to_be_visible()
    results.get_by_role("link", name="The open record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The open record")


@pytest.mark.parametrize(
    "query", ['"unbalanced', "NEAR(a b)", "* OR 1=1; --", "🙂 énergie", "x" * 1000]
)
def test_search_never_fails_on_what_a_person_types(page, world, query):
    response = page.goto("/search?q=" + query.replace("#", ""))
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Search the knowledge base")


def test_a_submission_from_raising_to_its_public_answer(new_context, sign_in, world):
    stakeholder = new_context()
    sign_in(stakeholder, world.people["registered"])
    page = stakeholder.new_page()
    page.goto(world.records["open"].get_absolute_url())
    page.get_by_role("link", name=re.compile("Raise a concern, risk or feedback")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Raise a submission")
    # Sending it empty is refused with a message, and nothing is lost.
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose what you are raising.")
    assert_accessible(page)
    page.get_by_label("Risk").check()
    page.get_by_label("Title").fill("Consent register not scoped")
    page.get_by_label("Tell us about it").fill("Nobody has scoped the consent register yet.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Consent register not scoped")
    expect(page.locator("main")).to_contain_text("Received")
    assert_accessible(page)
    page.goto("/engagement/mine")
    expect(page.get_by_role("link", name="Consent register not scoped")).to_be_visible()
    assert_accessible(page)

    triager = new_context()
    sign_in(triager, world.people["triager"])
    queue = triager.new_page()
    queue.goto("/engagement/queue")
    assert_accessible(queue)
    queue.get_by_role("link", name=re.compile("Resolve.*Consent register not scoped")).click()
    assert_accessible(queue)
    queue.get_by_label("Answer it publicly").check()
    queue.get_by_role("button", name="Resolve and publish").click()
    # An answer without its text is refused.
    expect(queue.locator(".govuk-error-summary")).to_contain_text("Write the answer")
    queue.get_by_label("Answer it publicly").check()
    queue.get_by_label("Public answer").fill("It is in scope for the 2027 plan.")
    queue.get_by_role("button", name="Resolve and publish").click()
    expect(queue.locator(".govuk-notification-banner")).to_contain_text("Resolved: Answered")

    public = new_context().new_page()
    public.goto("/engagement")
    assert_accessible(public)
    public.get_by_role("link", name="Consent register not scoped").click()
    expect(public.locator("main")).to_contain_text("It is in scope for the 2027 plan.")
    expect(public.locator("main")).not_to_contain_text(world.people["registered"].full_name)
    page.reload()
    expect(page.locator("main")).to_contain_text("Answered")


def test_following_a_topic_from_its_page(page_as, world, topic):
    page = page_as(world.people["registered"])
    page.goto(topic.get_absolute_url())
    page.get_by_role("button", name=re.compile("^Follow")).click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You now follow the topic")
    expect(page.get_by_role("button", name=re.compile("^Stop following"))).to_be_visible()
    page.goto("/account/following")
    expect(page.locator("main")).to_contain_text("The topic “Data sharing”")
    assert_accessible(page)


def test_a_phone_user_browses_by_topic_and_raises_a_submission(new_context, sign_in, world, topic):
    context = new_context(**PHONE)
    sign_in(context, world.people["registered"])
    page = context.new_page()
    page.goto("/browse")
    page.get_by_role("link", name="Data sharing").tap()
    page.get_by_role("link", name="The open record").tap()
    page.get_by_role("link", name=re.compile("Raise a concern")).tap()
    page.get_by_label("Feedback").tap()
    page.get_by_label("Title").fill("Clear and useful")
    page.get_by_label("Tell us about it").fill("This record helped me plan our data work.")
    page.get_by_role("button", name="Send").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Clear and useful")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


NEW_PAGES = [
    ("browse", "anonymous", "/browse"),
    ("kind", "anonymous", "/kinds/document"),
    ("kind-signed-in", "registered", "/kinds/document"),
    ("recent", "anonymous", "/recent?changed=week"),
    ("topics", "triager", "/topics"),
    ("topic", "registered", "/topics/data-sharing"),
    ("topic-create", "triager", "/topics/new"),
    ("item-topics", "triager", lambda w, s: w.records["open"].get_absolute_url() + "/topics"),
    ("organisation", "anonymous", lambda w, s: f"/organisations/{w.team.slug}"),
    ("take-part", "anonymous", "/engagement"),
    ("raise", "registered", "/engagement/new"),
    ("submission-received", "registered", lambda w, s: s.get_absolute_url()),
    ("resolve", "triager", lambda w, s: f"/engagement/{s.uid}/resolve"),
    ("guidance", "anonymous", "/guidance"),
    ("quality", "triager", "/quality"),
    ("record-with-checks", "staff", lambda w, s: w.records["open"].get_absolute_url()),
    ("following-empty", "registered", "/account/following"),
]


@pytest.mark.parametrize(
    ("persona", "target"), [p[1:] for p in NEW_PAGES], ids=[p[0] for p in NEW_PAGES]
)
def test_new_page_is_accessible(page_as, world, topic, submission, persona, target):
    page = page_as(world.people[persona])
    visit(page, target(world, submission) if callable(target) else target)
    assert_accessible(page)


@pytest.mark.parametrize(
    ("persona", "target"), [p[1:] for p in NEW_PAGES], ids=[p[0] for p in NEW_PAGES]
)
def test_new_page_fits_a_phone(new_context, sign_in, world, topic, submission, persona, target):
    context = new_context(**PHONE)
    if world.people[persona] is not None:
        sign_in(context, world.people[persona])
    page = context.new_page()
    visit(page, target(world, submission) if callable(target) else target)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at 320px"
