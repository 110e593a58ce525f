"""A decision taken in a real browser, from the schedule to the Board's review: the product owner
schedules it, an architect gathers the evidence, the Independent Technical Advisors advise (the one
with a declared interest in the vendor is turned away), Research & Engagement publish it and consult
on it, the product owner departs from the advice and says why, and the Board review it — each as the
right person, through the pages, with axe-core on every page and the pages read at 320 px. A visitor
then reads what was decided, and why, without the respondent's personal data."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import expect

from orchestrator.decisions.models import (
    BoardOpinion,
    ConsultationResponse,
    Decision,
    ResponseState,
    Stage,
)

from ..decisions.conftest import council  # noqa: F401 - the personas of decision making
from ..factories import publish
from .test_accessibility import assert_accessible, visit

PHONE = {"viewport": {"width": 320, "height": 640}, "has_touch": True, "is_mobile": True}
TITLE = "Authentication Service: open-source pattern or operated service"
QUESTION = "Should the Authentication Service be an open-source pattern or an operated service?"
ORIGINAL = "I am Rob Registered of 12 Acacia Avenue, Leeds (07700 900123): option B, please."
PUBLISHED = "A respondent from Yorkshire prefers option B, the operated service."
DEPARTURE = "The consultation showed the sector will not run its own identity stack."


def as_person(new_context, sign_in, user, **options):
    context = new_context(**options)
    if user is not None:
        sign_in(context, user)
    return context.new_page()


def click(page, name: str, *, role: str = "button") -> int:
    """Press a button or link by its name, and return the status of the page it leads to."""
    with page.expect_navigation() as navigation:
        page.get_by_role(role, name=name, exact=True).click()
    page.wait_for_load_state("load")
    return navigation.value.status


def follow(page, name: str) -> None:
    """Press one of the decision page's "What you can do" buttons (links styled as buttons)."""
    click(page, name, role="link")


def stage(decision: Decision) -> str:
    return Decision.objects.get(pk=decision.pk).stage


def assert_refused(page, status: int, message: str) -> None:
    """The form came back with the service's refusal in the error summary."""
    assert status in (400, 409), f"{page.url} answered {status}, not a refusal"
    expect(page.locator(".govuk-error-summary")).to_contain_text(message)
    assert page.title().startswith("Error: "), page.title()
    assert_accessible(page)


def assert_fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{page.url} scrolls sideways: {width}px wide at a 320px viewport"


def conformance(page) -> dict[str, str]:
    """The process table on the decision page: each step's status."""
    table = page.get_by_role("region", name="The process this decision followed")
    rows = table.locator("tbody tr").all()
    return {
        row.locator("td").nth(0).inner_text(): row.locator("td").nth(1).inner_text() for row in rows
    }


def test_a_decision_from_the_schedule_to_the_boards_review(council, new_context, sign_in):  # noqa: F811
    c = council
    soon = timezone.localdate() + dt.timedelta(days=30)

    # 1. The product owner schedules the decision, with two options, concerning the vendor.
    owner = as_person(new_context, sign_in, c.owner)
    visit(owner, "/decisions")
    assert_accessible(owner)
    follow(owner, "Schedule a decision")
    expect(owner.get_by_role("heading", level=1)).to_have_text("Schedule a decision")
    assert_accessible(owner)
    # Pressed before anything is filled in, it says what is missing, against each field.
    assert_refused(owner, click(owner, "Schedule it"), "Give a short title.")
    summary = owner.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Write the question to be decided.")
    expect(summary).to_contain_text("Give option A a title.")
    expect(summary).to_contain_text("Give option B's risks.")
    expect(summary).not_to_contain_text("option C")
    # The decision's own title shares its label with each option's: only the first is outside
    # an option's fieldset.
    owner.locator("#id_title").fill(TITLE)
    owner.get_by_label("Summary").fill("Scenario A or scenario B for the Authentication Service.")
    owner.get_by_label("The question to be decided").fill(QUESTION)
    owner.get_by_label("Context").fill("Many parts of the infrastructure authenticate users.")
    owner.get_by_label("Delivery approach").check()
    owner.get_by_label("Date the decision is planned for").fill(soon.isoformat())
    for letter, title, benefits, costs, risks in (
        ("A", "Open-source pattern", "Cheap to adopt", "Low", "Fragmentation"),
        ("B", "Operated service", "Resilient", "Higher", "Lock-in"),
    ):
        option = owner.get_by_role("group", name=f"Option {letter}", exact=True)
        option.get_by_label("Title").fill(title)
        option.get_by_label("Description").fill(f"{title}, described.")
        option.get_by_label("Benefits").fill(benefits)
        option.get_by_label("Costs").fill(costs)
        option.get_by_label("Risks").fill(risks)
    owner.get_by_label("Identity Vendor Ltd").check()
    click(owner, "Schedule it")
    decision = Decision.objects.get(title=TITLE)
    assert owner.url.endswith(decision.get_absolute_url())
    expect(owner.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(owner.locator(".govuk-notification-banner--success")).to_contain_text(
        "Put on the schedule"
    )
    main = owner.locator("main")
    expect(main).to_contain_text("Option A: Open-source pattern")
    expect(main).to_contain_text("Option B: Operated service")
    expect(main).to_contain_text(
        "Colin Conflicted declared an interest in Identity Vendor Ltd and withdraws from advising"
    )
    assert_accessible(owner)
    visit(owner, "/decisions")
    row = (
        owner.get_by_role("region", name="Upcoming decisions")
        .get_by_role("row")
        .filter(has=owner.get_by_role("link", name=TITLE))
    )
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Delivery approach")
    expect(row).to_contain_text("Planned")
    expect(row).to_contain_text(soon.strftime("%-d %b %Y"))
    assert_accessible(owner)

    # 2. The architect starts gathering the evidence; the owner asks for advice too soon, and is
    # told why on the page, with what they typed kept; the architect attaches a web link.
    architect = as_person(new_context, sign_in, c.architect)
    visit(architect, decision.get_absolute_url())
    assert_accessible(architect)
    follow(architect, "Start gathering evidence")
    assert_accessible(architect)
    architect.get_by_label("Comment (optional)").fill("Collating the options analysis.")
    click(architect, "Start gathering evidence")
    assert stage(decision) == Stage.GATHERING_EVIDENCE
    expect(architect.locator(".govuk-notification-banner--success")).to_contain_text(
        "Gathering evidence"
    )

    visit(owner, decision.get_absolute_url())
    follow(owner, "Ask the advisors for advice")
    assert_accessible(owner)
    owner.get_by_label("The form of recommendation required (optional)").fill(
        "One option, with the reasons and evidence."
    )
    assert_refused(owner, click(owner, "Ask for advice"), "Attach the evidence first")
    expect(owner.get_by_label("The form of recommendation required (optional)")).to_have_value(
        "One option, with the reasons and evidence."
    )
    assert stage(decision) == Stage.GATHERING_EVIDENCE

    visit(architect, decision.get_absolute_url())
    follow(architect, "Attach evidence")
    assert_accessible(architect)
    architect.get_by_label("What the evidence shows").fill("Options analysis of the two scenarios")
    architect.get_by_label("Web address (or give a record below)").fill(
        "https://example.org/options-analysis"
    )
    click(architect, "Attach it")
    expect(architect.locator(".govuk-notification-banner--success")).to_contain_text(
        "Evidence attached."
    )
    expect(
        architect.get_by_role("link", name="Options analysis of the two scenarios")
    ).to_have_attribute("href", "https://example.org/options-analysis")
    assert_accessible(architect)

    # The owner's page at phone width, with every button it offers them at this stage.
    phone = as_person(new_context, sign_in, c.owner, **PHONE)
    visit(phone, decision.get_absolute_url())
    assert_fits(phone)
    assert_accessible(phone)

    # 3. The owner asks for advice; the conflicted advisor is turned away with the reason; the
    # advisor recommends option A and the chair consolidates it.
    visit(owner, decision.get_absolute_url())
    follow(owner, "Ask the advisors for advice")
    owner.get_by_label("The form of recommendation required (optional)").fill(
        "One option, with the reasons and evidence."
    )
    click(owner, "Ask for advice")
    assert stage(decision) == Stage.ADVICE_REQUESTED
    assert_accessible(owner)

    conflicted = as_person(new_context, sign_in, c.conflicted)
    visit(conflicted, decision.get_absolute_url())
    expect(conflicted.get_by_role("link", name="Recommend an option")).to_have_count(0)
    expect(conflicted.locator("main")).to_contain_text(
        "You declared an interest in Identity Vendor Ltd, which this decision concerns"
    )
    assert_accessible(conflicted)
    visit(conflicted, f"/k/{decision.uid}/recommend", status=403)
    expect(conflicted.get_by_role("heading", level=1)).to_have_text(
        "You withdraw from advising on this decision"
    )
    expect(conflicted.locator("main")).to_contain_text(
        "You declared an interest in Identity Vendor Ltd, which this decision concerns: you are "
        "conflicted, and withdraw from advising on it."
    )
    assert_accessible(conflicted)

    advisor = as_person(new_context, sign_in, c.advisor)
    visit(advisor, decision.get_absolute_url())
    follow(advisor, "Recommend an option")
    assert_accessible(advisor)
    advisor.get_by_label("Option A: Open-source pattern").check()
    advisor.get_by_label("Your reasoning, from the evidence").fill("Cheapest to adopt, and open.")
    click(advisor, "Record your recommendation")
    expect(advisor.locator(".govuk-notification-banner--success")).to_contain_text(
        "Your recommendation is recorded."
    )
    expect(advisor.locator("main")).to_contain_text(
        "Ada Advisor recommended option A, Open-source pattern"
    )
    assert_accessible(advisor)

    chair = as_person(new_context, sign_in, c.chair)
    visit(chair, decision.get_absolute_url())
    follow(chair, "Record the advisors' consolidated recommendation")
    assert_accessible(chair)
    chair.get_by_label("Option A: Open-source pattern").check()
    chair.get_by_label("Your reasoning, from the evidence").fill("We agree: option A.")
    click(chair, "Record it")
    assert stage(decision) == Stage.ADVISED
    expect(chair.locator("main")).to_contain_text(
        "Their consolidated recommendation: option A, Open-source pattern"
    )
    assert_accessible(chair)

    # 4. Research & Engagement publish the decision, through the record's own triage page, and
    # open a consultation from now; a registered user responds, consenting to publication.
    triager = as_person(new_context, sign_in, c.triager)
    visit(triager, decision.get_absolute_url())
    follow(triager, "Triage")
    assert_accessible(triager)
    triager.get_by_label("Open", exact=True).check()
    # The review date is offered a year ahead, in the form a date picker shows.
    review_by = timezone.localdate() + dt.timedelta(days=365)
    expect(triager.get_by_label("Review by")).to_have_value(review_by.isoformat())
    click(triager, "Record triage")
    expect(triager.locator(".govuk-notification-banner--success")).to_contain_text(
        "Triage recorded: Open."
    )
    click(triager, "Publish")
    assert not Decision.objects.get(pk=decision.pk).is_draft
    assert_accessible(triager)
    follow(triager, "Open a consultation")
    assert_accessible(triager)
    now = timezone.localtime()
    triager.get_by_label("Opens").fill(now.strftime("%Y-%m-%dT%H:%M"))
    triager.get_by_label("Closes").fill((now + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    click(triager, "Open the consultation")
    assert stage(decision) == Stage.CONSULTATION
    expect(triager.locator(".govuk-notification-banner--success")).to_contain_text(
        "Consultation scheduled."
    )
    assert_accessible(triager)

    registered = as_person(new_context, sign_in, c.registered)
    visit(registered, decision.get_absolute_url())
    assert_accessible(registered)
    follow(registered, "Respond to the consultation")
    expect(registered.locator("main")).to_contain_text("The consultation is open until")
    assert_accessible(registered)
    registered.get_by_label("Your response").fill(ORIGINAL)
    registered.get_by_label("You may publish my response, with any personal data taken out").check()
    click(registered, "Send your response")
    expect(registered.locator(".govuk-notification-banner--success")).to_contain_text(
        "Research & Engagement read every response"
    )
    # The respondent sees their own words, waiting for triage.
    expect(registered.locator("main")).to_contain_text("waiting for triage by Research")
    expect(registered.locator("main")).to_contain_text(ORIGINAL)
    assert_accessible(registered)
    response = ConsultationResponse.objects.get(for_decision=decision)
    assert response.consent_to_publish

    # The consultation closes. The live server runs in another thread, so time cannot be frozen
    # or moved for it (a mock of `timezone.now` would leak between threads, and waiting for a
    # real close costs at least a minute at the form's minute precision). The window is moved into
    # the past in the database instead, as if the two hours had gone by.
    closed = timezone.now() - dt.timedelta(minutes=1)
    Decision.objects.filter(pk=decision.pk).update(
        consultation_opens=closed - dt.timedelta(hours=2), consultation_closes=closed
    )
    visit(registered, decision.get_absolute_url())
    expect(registered.get_by_role("link", name="Respond to the consultation")).to_have_count(0)
    visit(registered, f"/k/{decision.uid}/respond", status=409)
    expect(registered.locator("main")).to_contain_text("responses are no longer accepted")
    assert_accessible(registered)

    # Research & Engagement triage the response: it names its author, so they publish an edited text.
    visit(triager, "/decisions/responses")
    assert_accessible(triager)
    queue = triager.get_by_role("region", name="Consultation responses to triage")
    expect(queue.get_by_role("row").filter(has_text=TITLE)).to_contain_text("Yes")
    click(triager, f"Triage response {response.uid}", role="link")
    expect(triager.locator("main")).to_contain_text("Its author agreed to its publication.")
    published_text = triager.get_by_label("The text to publish, with any personal data taken out")
    expect(published_text).to_have_value(ORIGINAL)
    assert_accessible(triager)
    triager.get_by_label("Yes, publish it").check()
    triager.get_by_role("group", name="Does it contain personal data?").get_by_label(
        "Yes", exact=True
    ).check()
    published_text.fill(PUBLISHED)
    click(triager, "Record the triage")
    expect(triager.locator(".govuk-notification-banner--success")).to_contain_text("Published.")
    expect(triager.locator("main")).to_contain_text("0 responses waiting")
    assert_accessible(triager)
    response = ConsultationResponse.objects.get(pk=response.pk)
    assert response.state == ResponseState.PUBLISHED and response.published_text == PUBLISHED

    visit(triager, decision.get_absolute_url())
    follow(triager, "Publish the summary of feedback")
    assert_accessible(triager)
    triager.get_by_label("Summary of feedback").fill(
        "One response, for option B: the sector prefers an operated service."
    )
    click(triager, "Publish the summary")
    expect(triager.locator(".govuk-notification-banner--success")).to_contain_text(
        "Summary of feedback published."
    )
    assert_accessible(triager)

    # 5. The owner decides option B. Without saying why they depart from the advice they are
    # refused, with what they typed kept; then they say why.
    visit(owner, decision.get_absolute_url())
    follow(owner, "Record the decision")
    expect(owner.locator("main")).to_contain_text(
        "The Independent Technical Advisors recommended option A (Open-source pattern)."
    )
    assert_accessible(owner)
    owner.get_by_label("Option B: Operated service").check()
    owner.get_by_label("Rationale").fill("Resilience matters more than the cost.")
    assert_refused(
        owner,
        click(owner, "Record the decision"),
        "The advisors recommended option A (Open-source pattern): explain why you depart from "
        "their recommendation.",
    )
    # The message is against the field it is about, and the choice and rationale are kept.
    departure = owner.get_by_label("Why you depart from the advisors' recommendation")
    expect(owner.locator(".govuk-form-group--error").filter(has=departure)).to_contain_text(
        "explain why you depart"
    )
    expect(owner.get_by_label("Option B: Operated service")).to_be_checked()
    expect(owner.get_by_label("Rationale")).to_have_value("Resilience matters more than the cost.")
    assert stage(decision) == Stage.CONSULTATION
    departure.fill(DEPARTURE)
    click(owner, "Record the decision")
    assert stage(decision) == Stage.DECIDED
    banner = owner.get_by_role("region", name="Departs from advice")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("This decision departs from the advisors' recommendation")
    expect(banner).to_contain_text("option A: Open-source pattern")
    expect(banner).to_contain_text("option B: Operated service")
    expect(banner).to_contain_text(DEPARTURE)
    # Prominently: the banner comes before the rest of the decision's story.
    assert banner.bounding_box()["y"] < owner.locator("#question").bounding_box()["y"]
    assert_accessible(owner)

    # 6. A Board member gives their opinion; the Board chair records the assurance, first
    # without the comments "assured with comments" needs.
    board = as_person(new_context, sign_in, c.board)
    visit(board, decision.get_absolute_url())
    follow(board, "Record your opinion")
    assert_accessible(board)
    board.get_by_label("Your opinion").fill("The departure is well explained.")
    click(board, "Record your opinion")
    expect(board.locator(".govuk-notification-banner--success")).to_contain_text(
        "Your opinion is recorded."
    )
    assert_accessible(board)

    board_chair = as_person(new_context, sign_in, c.board_chair)
    visit(board_chair, decision.get_absolute_url())
    follow(board_chair, "Record the Board's assurance")
    assert_accessible(board_chair)
    board_chair.get_by_label("Assured with comments").check()
    assert_refused(
        board_chair, click(board_chair, "Record the assurance"), "Write the Board's comments"
    )
    board_chair.get_by_label("Reasons or comments").fill("Follow up the cost in a year.")
    click(board_chair, "Record the assurance")
    assert stage(decision) == Stage.REVIEWED
    expect(board_chair.locator("main")).to_contain_text("Reviewed by the Board")
    steps = conformance(board_chair)
    for step in (
        "Put on the schedule",
        "Options set out with their benefits, costs and risks",
        "Evidence gathered",
        "Advice requested from the Independent Technical Advisors",
        "The advisors' consolidated recommendation",
        "Stakeholders consulted",
        "Summary of feedback published",
        "Decided, with the rationale recorded",
        "Departure from advice explained",
        "Board opinions documented",
        "The Board's assurance",
    ):
        assert steps.get(step) == "Followed", (step, steps)
    assert_accessible(board_chair)

    # 7. A visitor reads the decision: the departure and why, the response as published (not the
    # respondent's own words), the summary, and the Board member's opinion once it is published.
    visitor = as_person(new_context, sign_in, None)
    visit(visitor, decision.get_absolute_url())
    main = visitor.locator("main")
    expect(main).to_contain_text("No opinion of a Board member you can see yet.")
    expect(main).not_to_contain_text("The departure is well explained.")
    publish(BoardOpinion.objects.get(for_decision=decision), by=c.triager)
    visit(visitor, decision.get_absolute_url())
    banner = visitor.get_by_role("region", name="Departs from advice")
    expect(banner).to_contain_text("the Product Team chose option B: Operated service")
    expect(banner).to_contain_text(DEPARTURE)
    expect(main).to_contain_text(PUBLISHED)
    expect(main).not_to_contain_text("Acacia Avenue")
    expect(main).not_to_contain_text("07700 900123")
    expect(main).to_contain_text("the sector prefers an operated service")
    expect(main).to_contain_text("Bea Board: The departure is well explained.")
    expect(main).to_contain_text("Assured with comments")
    assert_accessible(visitor)
    visit(visitor, response.get_absolute_url())
    expect(visitor.locator("main")).to_contain_text(PUBLISHED)
    expect(visitor.locator("main")).not_to_contain_text("Acacia Avenue")
    assert_accessible(visitor)
    visit(visitor, "/decisions")
    row = (
        visitor.get_by_role("region", name="Past decisions")
        .get_by_role("row")
        .filter(has=visitor.get_by_role("link", name=TITLE))
    )
    expect(row).to_contain_text("Departs from advice")
    expect(row).to_contain_text("Reviewed by the Board")
    assert_accessible(visitor)
    # A bad filter is named, and the good one still applies.
    visit(visitor, "/decisions?stage=reviewed&type=sideways", status=400)
    expect(visitor.locator(".govuk-error-summary")).to_contain_text(
        "The type filter must be one of"
    )
    expect(visitor.get_by_role("link", name=TITLE)).to_be_visible()
    assert_accessible(visitor)
    visit(visitor, "/decisions?stage=planned")
    expect(visitor.get_by_role("link", name=TITLE)).to_have_count(0)
    visit(visitor, "/decisions")

    # The schedule as a calendar: the link downloads it, as an iCalendar file.
    with visitor.expect_download() as download:
        visitor.get_by_role("link", name=re.compile("Follow the schedule in your calendar")).click()
    assert download.value.suggested_filename == "decisions.ics"
    ics = Path(download.value.path()).read_bytes().decode()
    assert f"SUMMARY:{TITLE}" in ics
    # Long lines are folded (RFC 5545): unfold them to read the description.
    unfolded = re.sub(r"\r\n[ \t]", "", ics)
    assert "Decided: option B\\, Operated service. It departs from the advisors'" in unfolded
    calendar = visitor.request.get("/decisions.ics")
    assert calendar.ok and calendar.headers["content-type"].startswith("text/calendar")

    # And at phone width, for a visitor: neither page scrolls sideways.
    phone = as_person(new_context, sign_in, None, **PHONE)
    for target in (decision.get_absolute_url(), "/decisions"):
        visit(phone, target)
        assert_fits(phone)
        assert_accessible(phone)
