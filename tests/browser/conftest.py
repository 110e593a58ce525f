"""Browser tests: Chromium, driven through Playwright, against pytest-django's live server.

Chromium is the system one at /usr/bin/chromium (`playwright install` is not used). Without it the
tests here are skipped, unless ORCHESTRATOR_REQUIRE_BROWSER=1 (as CI sets), when they fail.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

import orchestrator
from orchestrator.people.models import User

# Playwright's sync API runs an event loop in the test thread, and Django refuses ORM calls from a
# thread with a running loop unless told this is safe. It is: the loop only talks to the browser.
# The variable is set only while Playwright runs (see `browser`), not for the whole session: it
# would leak into the rest of the suite, such as the `check --deploy` subprocess, which rejects it.
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
DIST = Path(orchestrator.__file__).resolve().parent / "static" / "dist"
HERE = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test in this folder `browser`, before `-m` selects on it."""
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


def _unavailable(reason: str) -> None:
    if os.environ.get("ORCHESTRATOR_REQUIRE_BROWSER") == "1":
        pytest.fail(
            f"{reason}, and ORCHESTRATOR_REQUIRE_BROWSER=1 requires the browser tests to run.",
            pytrace=False,
        )
    pytest.skip(
        f"{reason}: browser tests skipped (set ORCHESTRATOR_REQUIRE_BROWSER=1 to fail instead)."
    )


@pytest.fixture(scope="package")
def browser() -> Iterator:
    """Chromium, launched once for all the tests in this folder.

    Package-scoped rather than session-scoped on purpose: Playwright leaves its event loop marked as
    running in this thread until it stops, so it must stop when the last browser test is done, or
    Django would see every later test in the session as running in an async context.
    """
    if not CHROMIUM.exists():
        _unavailable(f"Chromium is not installed at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed (pip install -e '.[test]')")
    if not (DIST / "orchestrator.css").exists():
        pytest.fail(
            f"The front-end assets are not built in {DIST}: run `npm run build`.", pytrace=False
        )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(ASYNC_UNSAFE, "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser
            browser.close()


@pytest.fixture
def new_context(browser, live_server) -> Iterator[Callable]:
    """Make browser contexts (each a fresh profile) aimed at the live server; all closed afterwards.

    Uncaught JavaScript errors, console errors, and stylesheets, scripts or images that fail to load
    fail the test: the pages and GOV.UK Frontend must load cleanly. (A page that is itself an error,
    such as the 404 page, is what some tests ask for, so documents are not checked here.)
    """
    contexts = []
    errors: list[str] = []

    def make(**options):
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(10_000)
        context.on("weberror", lambda error: errors.append(f"uncaught: {error.error}"))
        context.on("console", lambda message: _console(message, errors))
        context.on("response", lambda response: _subresource(response, errors))
        context.on("requestfailed", lambda request: _failed(request, errors))
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    assert not errors, f"Errors in the browser console: {errors}"


def _console(message, errors: list[str]) -> None:
    # Chromium reports any HTTP error, the page's own 404 included, as "Failed to load resource";
    # subresources are checked by status instead, in _subresource.
    if message.type == "error" and not message.text.startswith("Failed to load resource"):
        errors.append(f"console: {message.text} ({message.location.get('url')})")


def _failed(request, errors: list[str]) -> None:
    # A request cut short because the test moved on or closed the page (ERR_ABORTED, typically the
    # favicon) is not a fault of the page; any other failure is.
    if request.failure != "net::ERR_ABORTED":
        errors.append(f"failed: {request.url} ({request.failure})")


def _subresource(response, errors: list[str]) -> None:
    # The service worker's navigation preload fetches the page itself, for the document: it is the
    # document's response, and the page may be an error on purpose (see above).
    if response.request.headers.get("service-worker-navigation-preload"):
        return
    if response.status >= 400 and response.request.resource_type != "document":
        errors.append(f"HTTP {response.status}: {response.url}")


@pytest.fixture
def context(new_context):
    return new_context()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def sign_in(live_server) -> Callable:
    """Sign a person in by giving the browser context a session cookie (quicker than the form)."""

    def sign_in(context, user: User) -> None:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": cookie.value,
                    "url": live_server.url,
                    "httpOnly": True,
                    "sameSite": "Lax",
                }
            ]
        )

    return sign_in


@pytest.fixture
def page_as(context, sign_in) -> Callable:
    """A page signed in as `user` (or anonymous for None)."""

    def page_as(user: User | None):
        if user is not None:
            sign_in(context, user)
        return context.new_page()

    return page_as


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    """Every persona gets a password; the default hasher makes each one cost a noticeable fraction
    of a second. Signing in through the form works the same with a quick hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
