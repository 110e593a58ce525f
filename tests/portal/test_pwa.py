"""The site as an installable web app (manifest, icons, service worker, offline page), as served.
The browser tests (tests/browser/test_mobile.py) check that a browser does what these promise."""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path

import pytest
from django.test import Client

import orchestrator
from orchestrator.portal import pwa

from ..conftest import client_for

PACKAGE = Path(orchestrator.__file__).resolve().parent
DIST = PACKAGE / "static" / "dist"
SCSS = PACKAGE.parent.parent / "frontend" / "orchestrator.scss"


@pytest.fixture(autouse=True)
def _built_assets():
    if not (DIST / "icons" / "icon-192.png").exists():
        pytest.fail(f"The front-end assets are not built in {DIST}: run `npm run build`.")


def fetch(path: str, client: Client | None = None) -> tuple[int, str, bytes]:
    """Status, content type and body, of a view or of a static file (served by whitenoise)."""
    response = (client or Client()).get(path)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, response.get("Content-Type", ""), body


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's signature and IHDR chunk, refusing anything else."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    length, chunk = struct.unpack(">I4s", data[8:16])
    assert chunk == b"IHDR" and length == 13
    return struct.unpack(">II", data[16:24])


def manifest() -> dict:
    status, content_type, body = fetch("/manifest.webmanifest")
    assert status == 200
    assert content_type == "application/manifest+json"
    return json.loads(body)


def test_the_manifest_has_what_browsers_need_to_install_the_site(db):
    data = manifest()
    for member in ("name", "short_name", "start_url", "scope", "display", "icons"):
        assert data[member], member
    assert data["start_url"] == "/" and data["scope"] == "/"
    assert data["display"] == "standalone"
    assert len(data["short_name"]) <= 12  # what a home screen shows under the icon
    assert re.fullmatch(r"#[0-9a-f]{6}", data["theme_color"])
    assert re.fullmatch(r"#[0-9a-f]{6}", data["background_color"])


def test_the_manifest_colours_are_the_brand_s(client, db):
    data = manifest()
    assert f"$orch-navy: {data['theme_color']};" in SCSS.read_text()
    # The colour the browser paints around the page before the manifest is read is the same.
    assert f'<meta name="theme-color" content="{data["theme_color"]}">' in client.get("/").text
    assert data["background_color"] == "#ffffff"  # the page's own background: no flash


@pytest.mark.parametrize(
    ("size", "purpose"), [(192, "any"), (512, "any"), (192, "maskable"), (512, "maskable")]
)
def test_each_png_icon_is_there_at_the_size_the_manifest_says(db, size, purpose):
    icons = [
        i
        for i in manifest()["icons"]
        if i["type"] == "image/png" and i["purpose"] == purpose and i["sizes"] == f"{size}x{size}"
    ]
    assert len(icons) == 1
    status, content_type, body = fetch(icons[0]["src"])
    assert status == 200 and content_type == "image/png"
    assert png_size(body) == (size, size)


def test_the_svg_icon_and_favicons_are_our_mark_not_the_crown(client, db):
    (svg,) = [i for i in manifest()["icons"] if i["type"] == "image/svg+xml"]
    status, content_type, body = fetch(svg["src"])
    assert status == 200 and content_type.startswith("image/svg+xml")
    mark = body.decode()
    assert "#0b3d5c" in mark and "#00796b" in mark  # navy and teal
    page = client.get("/").text
    for href in re.findall(r'<link rel="(?:icon|apple-touch-icon)"[^>]*href="([^"]+)"', page):
        status, _, body = fetch(href)
        assert status == 200, href
        # GOV.UK's favicons and app icons are the crown, on GOV.UK blue: none of that here.
        assert b"#1D70B8" not in body and b"#1d70b8" not in body, href
    _, _, touch = fetch(re.search(r'rel="apple-touch-icon" href="([^"]+)"', page)[1])
    assert png_size(touch) == (180, 180)
    _, _, ico = fetch(re.search(r'href="([^"]+favicon\.ico)"', page)[1])
    assert ico[:4] == b"\x00\x00\x01\x00"  # an ICO file


def test_every_page_links_the_manifest(client, db):
    page = client.get("/").text
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page


def test_the_service_worker_is_served_from_the_root_for_the_whole_site(db):
    response = Client().get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    script = response.content.decode()
    offline_url, precache, version = pwa._precache()
    assert f"const OFFLINE_URL = {json.dumps(offline_url)};" in script
    assert f"const PRECACHE = {json.dumps(precache)};" in script
    assert f'const CACHE = "orchestrator-offline-{version}";' in script
    # It pre-caches the offline page and static files only, and never writes anything else.
    assert precache[0] == "/offline"
    assert all(url.startswith("/static/") for url in precache[1:])
    assert "/static/dist/orchestrator.css" in precache
    assert "cache.put" not in script and ".put(" not in script
    assert 'credentials: "omit"' in script


def test_the_service_worker_is_the_same_whoever_asks(world):
    anonymous = client_for(None).get("/sw.js")
    staff = client_for(world.people["staff"]).get("/sw.js")
    assert anonymous.content == staff.content
    assert "Cookie" not in anonymous.get("Vary", "")


def test_everything_the_service_worker_pre_caches_is_there(db):
    for url in pwa._precache()[1]:
        status, _, _ = fetch(url)
        assert status == 200, url


def test_the_offline_page_says_what_to_do(db):
    response = Client().get("/offline")
    assert response.status_code == 200
    text = response.text
    assert '<h1 class="govuk-heading-l">You are offline</h1>' in text
    assert "What you can do" in text
    assert "cannot tell whether you are signed in" in text
    assert "You are not signed in" not in text  # the banner says it cannot know


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_the_pwa_views_only_answer_reads(db, method):
    for path in ("/manifest.webmanifest", "/sw.js", "/offline"):
        assert getattr(Client(), method)(path).status_code == 405, path
