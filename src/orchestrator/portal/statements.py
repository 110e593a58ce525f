"""Statements the site publishes about itself: the accessibility statement.

Its form follows the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility
Regulations 2018 and GOV.UK's sample accessibility statement. Keep the dates and the known issues true:
when an issue is fixed or a new one is found, change the template and `REVIEWED`.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

PREPARED = dt.date(2026, 12, 4)
REVIEWED = dt.date(2026, 12, 4)
# How long we take to answer a report of a problem, in working days.
RESPONSE_DAYS = 10


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/accessibility.html",
        {
            "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
            "operator": settings.PUBLISHER_NAME,
            "prepared": PREPARED,
            "reviewed": REVIEWED,
            "response_days": RESPONSE_DAYS,
        },
    )
