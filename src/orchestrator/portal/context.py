"""Template context shared by every page: navigation, and who the viewer is."""

from __future__ import annotations

from django.http import HttpRequest

from orchestrator.people.selectors import is_staff, roles_for

NAVIGATION = [
    ("Knowledge base", "portal:home"),
    ("Browse", "portal:browse"),
    ("Search", "portal:search"),
    ("The plan", "planning:plan"),
    ("Architecture", "architecture:home"),
    ("Decisions", "decisions:schedule"),
    ("Take part", "engagement:take-part"),
    ("Governance", "people:governance"),
    ("Withheld register", "portal:withheld"),
    ("Audit log", "portal:audit"),
    ("API", "api-1.0.0:openapi-view"),
]


def site(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    return {
        "navigation": NAVIGATION,
        "viewer_is_staff": is_staff(user),
        "viewer_roles": roles_for(user),
    }
