"""A solution architecture's sign-off in a real browser: the Architecture Team scope it, the Design
Body submit it, the Architecture Team ask for changes, the Design Body resubmit and the Architecture
Team sign it off — each as the right person, through the pages, with axe-core on every page and the
record page read at 320 px."""

from __future__ import annotations

import pytest

from orchestrator.architecture.models import SignOff, SolutionArchitecture

from ..architecture.test_solutions import make_work
from .test_accessibility import assert_accessible, visit

PHONE = {"viewport": {"width": 320, "height": 640}, "has_touch": True, "is_mobile": True}


@pytest.fixture
def work(world):
    return make_work(world)


def as_person(new_context, sign_in, user, **options):
    context = new_context(**options)
    sign_in(context, user)
    return context.new_page()


def press(page, move: str, comment: str, button: str) -> None:
    page.fill(f"#comment-{move}", comment)
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state("load")


def test_the_sign_off_journey(work, new_context, sign_in):
    architect = as_person(new_context, sign_in, work.architect)
    visit(architect, "/architecture/solutions")
    assert_accessible(architect)
    visit(architect, "/architecture/solutions/new")
    assert_accessible(architect)
    architect.get_by_label("Title").fill("Flexibility market: high-level design")
    architect.get_by_label("Summary").fill("How the flexibility market is built.")
    architect.get_by_label("Work package (investment)").select_option(work.investment.uid)
    architect.get_by_label("Given to").select_option(work.body.slug)
    architect.get_by_role("button", name="Scope it").click()
    architect.wait_for_load_state("load")
    solution = SolutionArchitecture.objects.get(title="Flexibility market: high-level design")
    assert architect.url.endswith(solution.get_absolute_url())
    assert_accessible(architect)

    member = as_person(new_context, sign_in, work.member)
    visit(member, f"/k/{solution.uid}/solution-elements/new")
    assert_accessible(member)
    member.get_by_label("ArchiMate type").select_option("ApplicationComponent")
    member.get_by_label("Name").fill("Market platform")
    member.get_by_label("The element it refines").select_option(work.catalogue.uid)
    member.get_by_role("button", name="Add the element").click()
    member.wait_for_load_state("load")
    visit(member, f"/k/{solution.uid}/addresses")
    assert_accessible(member)
    member.get_by_label("Principle").select_option(work.open_principle.uid)
    member.get_by_role("button", name="Record it").click()
    member.wait_for_load_state("load")
    assert_accessible(member)
    press(member, "submit", "Ready for review.", "Submit for sign-off")
    assert SolutionArchitecture.objects.get(pk=solution.pk).sign_off == SignOff.SUBMITTED
    assert_accessible(member)

    visit(architect, solution.get_absolute_url())
    # Asking for changes without saying what is refused, with the message on the page.
    press(architect, "request-changes", "", "Ask for changes")
    assert "Say what needs to change" in architect.content()
    assert_accessible(architect)
    visit(architect, solution.get_absolute_url())
    press(architect, "request-changes", "Give the recovery objectives.", "Ask for changes")
    assert SolutionArchitecture.objects.get(pk=solution.pk).sign_off == SignOff.CHANGES_REQUESTED
    assert_accessible(architect)

    visit(member, solution.get_absolute_url())
    assert "Give the recovery objectives." in member.content()
    press(member, "submit", "Added them.", "Submit for sign-off")
    assert SolutionArchitecture.objects.get(pk=solution.pk).sign_off == SignOff.SUBMITTED

    visit(architect, solution.get_absolute_url())
    press(architect, "approve", "Agreed.", "Sign off")
    assert SolutionArchitecture.objects.get(pk=solution.pk).sign_off == SignOff.SIGNED_OFF
    assert "Signed off. The design can no longer be changed." in architect.content()
    assert_accessible(architect)

    phone = as_person(new_context, sign_in, work.member, **PHONE)
    visit(phone, solution.get_absolute_url())
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{phone.url} scrolls sideways: {width}px wide at a 320px viewport"
    assert_accessible(phone)
    visit(phone, "/architecture/solutions")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(phone)
