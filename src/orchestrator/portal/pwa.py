"""The site as an installable web app: its manifest, its service worker and the page shown offline.

The service worker (`/sw.js`, from `templates/portal/sw.js`) has one job: when a page cannot be fetched
because the network is down, show `/offline` instead of the browser's error. It pre-caches that page and
the few static files it needs, fetched without cookies so they are the same for everyone, and never
stores any other response: a page someone saw signed in is never kept on the device for the next person.
See docs/architecture.md ("Installable and offline").
"""

from __future__ import annotations

import hashlib
import json
from functools import cache

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import get_template, render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

# The brand's colours, as in frontend/orchestrator.scss ($orch-navy) and base.html's theme-color;
# the background is the page's own (GOV.UK Frontend's body), so the splash screen does not flash.
THEME_COLOUR = "#0b3d5c"
BACKGROUND_COLOUR = "#ffffff"

# Built by scripts/build-assets.mjs from frontend/orchestrator-mark.svg.
ICONS = [
    ("dist/icons/icon-192.png", "192x192", "image/png", "any"),
    ("dist/icons/icon-512.png", "512x512", "image/png", "any"),
    ("dist/icons/icon-maskable-192.png", "192x192", "image/png", "maskable"),
    ("dist/icons/icon-maskable-512.png", "512x512", "image/png", "maskable"),
    ("dist/icons/icon.svg", "any", "image/svg+xml", "any"),
]

# What the offline page needs besides itself: its stylesheet, GOV.UK Frontend's script and the icon.
OFFLINE_ASSETS = [
    "dist/orchestrator.css",
    "dist/govuk-frontend.min.js",
    "dist/register-service-worker.js",
    "dist/assets/images/favicon.svg",
]


@require_safe
@cache_control(public=True, max_age=3600)
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest (https://www.w3.org/TR/appmanifest/): the same for everyone."""
    home = reverse("portal:home")
    data = {
        "id": home,
        "name": "Orchestrator — Shared Knowledge Base",
        "short_name": "Orchestrator",
        "description": "What the energy sector's Digitalisation Orchestrator is planning, designing, "
        "deciding, contracting and delivering, by whom, and why.",
        "lang": "en-GB",
        "dir": "ltr",
        "start_url": home,
        "scope": home,
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {"src": static(path), "sizes": sizes, "type": kind, "purpose": purpose}
            for path, sizes, kind, purpose in ICONS
        ],
    }
    return JsonResponse(
        data,
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )


@require_safe
@cache_control(no_cache=True)
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, from the site's root so that its scope is the whole site.

    Rendered without the request, so it holds nothing about the viewer. `no-cache` makes browsers
    check for a new one on every visit; its cache name changes whenever what it pre-caches does.
    """
    offline_url, precache, version = _precache()
    body = render_to_string(
        "portal/sw.js",
        {
            "cache_name": f"orchestrator-offline-{version}",
            "offline_url": json.dumps(offline_url),
            "precache": json.dumps(precache),
        },
    )
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = reverse("portal:home")
    return response


@cache
def _precache() -> tuple[str, list[str], str]:
    """The offline page, what it needs, and a version that changes whenever any of them might."""
    offline_url = reverse("portal:offline")
    precache = [offline_url, *(static(path) for path in OFFLINE_ASSETS)]
    digest = hashlib.sha256(json.dumps(precache).encode())
    for name in ("portal/sw.js", "portal/offline.html", "base.html"):
        digest.update(get_template(name).template.source.encode())
    for path in OFFLINE_ASSETS:  # their names carry a hash in production, but not in the demo
        if found := finders.find(path):
            with open(found, "rb") as file:
                digest.update(hashlib.sha256(file.read()).digest())
    return offline_url, precache, digest.hexdigest()[:12]


@require_safe
def offline(request: HttpRequest) -> HttpResponse:
    """What to do when you are offline. The service worker keeps a copy fetched without cookies."""
    return render(request, "portal/offline.html")
