"""axe-core on every kind of page the portal serves, against WCAG 2.0, 2.1 and 2.2 at levels A and AA.

axe-core is the copy `npm run build` puts in the static files (scripts/build-assets.mjs). The Swagger
UI at /api/v1/docs is third-party and is not checked here.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import expect

import orchestrator
from orchestrator.people.models import Role

from ..factories import person

DIST = Path(orchestrator.__file__).resolve().parent / "static" / "dist"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@cache
def axe_source() -> str:
    path = DIST / "axe.min.js"
    if not path.exists():
        pytest.fail(f"axe-core is not in {DIST}: run `npm run build`.", pytrace=False)
    return path.read_text()


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"]:
            lines.append(f"    at {json.dumps(node['target'])}")
            lines.append(f"       {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n       ")
            lines.append(f"       {summary}")
    return "\n".join(lines)


def axe_violations(page) -> list[dict]:
    """Run axe on the page as it stands."""
    page.wait_for_load_state("load")
    page.add_script_tag(content=axe_source())
    results = page.evaluate(
        """tags => axe.run(document, {runOnly: {type: "tag", values: tags},
                                      resultTypes: ["violations"]})""",
        WCAG_TAGS,
    )
    return results["violations"]


def assert_accessible(page) -> None:
    """Fail with every violation axe finds on the page."""
    violations = axe_violations(page)
    report = describe(violations)
    if violations:
        print(f"axe found {len(violations)} violation(s) on {page.url}:\n{report}")
    assert not violations, f"axe found violations on {page.url}:\n{report}"


def test_the_axe_harness_reports_a_known_violation(page):
    """A typo in the tags would make axe run no rules and pass everything: prove it can fail."""
    page.set_content(
        '<!DOCTYPE html><html lang="en"><head><title>Bad</title></head>'
        '<body><main><input type="text" name="unlabelled"></main></body></html>'
    )
    assert "label" in [v["id"] for v in axe_violations(page)]


def visit(page, url: str, *, status: int = 200):
    response = page.goto(url)
    assert response is not None
    assert response.status == status, f"{url} answered {response.status}, not {status}"
    return page


def url(world, name: str, suffix: str = "") -> str:
    return world.records[name].get_absolute_url() + suffix


# Pages that need nothing more than the right person and a GET.
PAGES = [
    # (test id, persona, url, or a callable taking the world)
    ("home-anonymous", "anonymous", "/"),
    ("home-signed-in", "author", "/"),
    ("home-staff", "staff", "/"),
    ("record-open", "anonymous", lambda w: url(w, "open")),
    ("record-closed-staff", "staff", lambda w: url(w, "closed")),
    ("withheld", "anonymous", "/withheld"),
    ("withheld-staff", "staff", "/withheld"),
    ("audit", "anonymous", "/audit"),
    ("audit-staff", "staff", "/audit"),
    ("governance", "anonymous", "/governance"),
    ("sign-in", "anonymous", "/sign-in"),
    ("register", "anonymous", "/register"),
    ("password-reset", "anonymous", "/password-reset"),
    ("account", "member", "/account"),
    ("account-no-appointments", "registered", "/account"),
    ("tokens", "registered", "/account/tokens"),
    ("create-form", "author", "/k/new"),
    ("search", "anonymous", "/search"),
    ("search-results", "staff", "/search?q=record"),
    ("search-narrowed", "staff", "/search?q=record&visibility=closed"),
    ("decisions", "anonymous", "/decisions"),
    ("decisions-staff", "staff", "/decisions"),
    ("decision-new", "staff", "/decisions/new"),
    ("decision-responses", "triager", "/decisions/responses"),
]


@pytest.mark.parametrize(("persona", "target"), [p[1:] for p in PAGES], ids=[p[0] for p in PAGES])
def test_page_is_accessible(page_as, world, persona, target):
    page = page_as(world.people[persona])
    visit(page, target(world) if callable(target) else target)
    assert_accessible(page)


def test_not_found_page_is_accessible(page, world):
    visit(page, url(world, "closed"), status=404)
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_accessible(page)


def test_draft_seen_by_its_author_is_accessible(page_as, world):
    page = visit(page_as(world.people["author"]), url(world, "draft"))
    # The author sees the controls for their draft: check them, not a page without them.
    expect(page.get_by_role("link", name="Edit", exact=True)).to_be_visible()
    assert_accessible(page)


def test_draft_seen_by_the_triager_is_accessible(page_as, world):
    page = visit(page_as(world.people["triager"]), url(world, "draft"))
    for name in ("Edit", "Triage"):
        expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Publish")).to_be_visible()
    assert_accessible(page)


def test_edit_form_is_accessible(page_as, world):
    page = visit(page_as(world.people["author"]), url(world, "draft", "/edit"))
    expect(page.get_by_label("Title")).to_have_value("The draft record")
    assert_accessible(page)


def test_edit_form_with_validation_errors_is_accessible(page_as, world):
    page = visit(page_as(world.people["author"]), url(world, "draft", "/edit"))
    page.get_by_label("Title").fill("")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.locator(".govuk-error-message")).not_to_have_count(0)
    assert_accessible(page)


def test_triage_form_is_accessible(page_as, world):
    page = visit(page_as(world.people["triager"]), url(world, "draft", "/triage"))
    expect(page.get_by_role("button", name="Record triage")).to_be_visible()
    assert_accessible(page)


def test_triage_form_with_validation_errors_is_accessible(page_as, world):
    page = visit(page_as(world.people["triager"]), url(world, "draft", "/triage"))
    # Closed without a rationale, and no review date: both are refused.
    page.get_by_label("Closed").check()
    page.get_by_label("Review by").fill("")
    page.get_by_role("button", name="Record triage").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)


def test_sign_in_with_errors_is_accessible(page, world):
    visit(page, "/sign-in")
    page.get_by_label("E-mail address").fill(world.people["registered"].email)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)


def test_register_with_errors_is_accessible(page, world):
    visit(page, "/register")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)


def test_tokens_page_with_a_new_token_is_accessible(page_as, world):
    page = visit(page_as(world.people["registered"]), "/account/tokens")
    page.get_by_label("What the token is for").fill("nightly export script")
    page.get_by_role("button", name="Make a token").click()
    expect(page.get_by_test_id("new-token")).to_be_visible()
    expect(page.get_by_role("table")).to_be_visible()
    assert_accessible(page)


def test_success_message_after_registering_is_accessible(page, world):
    visit(page, "/register")
    page.get_by_label("Full name").fill("Nia Newcomer")
    page.get_by_label("E-mail address").fill("nia@example.org")
    page.get_by_label("Password").fill("a long and unusual passphrase")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    assert_accessible(page)


def test_phone_width_home_with_the_menu_open_is_accessible(new_context, world):
    context = new_context(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)
    page = visit(context.new_page(), "/")
    page.get_by_role("button", name="Menu").tap()
    assert_accessible(page)


# At 320 CSS pixels (WCAG 1.4.10, reflow) every page must read without sideways scrolling and stay
# free of violations: a table may scroll inside its own region, but not the page.
PHONE = {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True}
PHONE_PAGES = {
    "anonymous": [
        "/",
        "open",
        "closed",
        "/withheld",
        "/audit",
        "/governance",
        "/sign-in",
        "/register",
        "/password-reset",
        "/no-such-page",
        "/decisions",
    ],
    "staff": [
        "/",
        "restricted",
        "closed",
        "/withheld",
        "/audit",
        "/governance",
        "/account",
        "/account/tokens",
        "/decisions",
        "/decisions/new",
    ],
    "author": ["/", "draft", "draft/edit", "/k/new"],
    "triager": ["draft", "draft/triage", "/decisions/responses"],
}


def resolve(world, target: str) -> str:
    """A path as is, or a record's name with an optional action: "draft/edit"."""
    if target.startswith("/"):
        return target
    name, _, action = target.partition("/")
    return url(world, name, f"/{action}" if action else "")


@pytest.mark.parametrize("persona", PHONE_PAGES)
def test_pages_at_phone_width_reflow_and_are_accessible(new_context, sign_in, world, persona):
    context = new_context(**PHONE)
    if world.people[persona] is not None:
        sign_in(context, world.people[persona])
    page = context.new_page()
    problems = []
    for target in PHONE_PAGES[persona]:
        page.goto(resolve(world, target))
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            problems.append(f"{page.url} is {width}px wide: it scrolls sideways at 320px")
        if violations := axe_violations(page):
            problems.append(f"axe on {page.url}:\n{describe(violations)}")
    assert not problems, "\n\n".join(problems)


def test_declare_form_is_accessible(page_as, world):
    member = world.people["member"]
    appointment = member.appointments.get()
    page = visit(page_as(member), f"/account/appointments/{appointment.pk}/declare")
    assert_accessible(page)


@pytest.mark.parametrize("suffix", ["/archive", "/links"])
def test_archive_and_link_forms_are_accessible(page_as, world, suffix):
    page = visit(page_as(world.people["triager"]), url(world, "open", suffix))
    assert_accessible(page)


def test_governance_forms_are_accessible(page_as, world):
    leader = person(Role.ORGANISATION_LEADER, world.team, full_name="Lena Leader")
    page = page_as(leader)
    appointment = world.people["staff"].appointments.get()
    for target in (
        "/governance",
        "/governance/appointments/new",
        f"/governance/appointments/{appointment.pk}/end",
    ):
        visit(page, target)
        assert_accessible(page)
    page = visit(page_as(world.people["triager"]), "/governance/organisations/new")
    assert_accessible(page)


def test_password_reset_pages_are_accessible(page, world):
    user = world.people["registered"]
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    for target in (
        "/password-reset/sent",
        f"/password-reset/{uid}/{token}",
        "/password-reset/complete",
    ):
        visit(page, target)
        assert_accessible(page)
