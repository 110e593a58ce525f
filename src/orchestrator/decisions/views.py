"""Pages of decision making."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors


def schedule(request: HttpRequest) -> HttpResponse:
    upcoming, past = selectors.schedule(request.user)
    return render(request, "decisions/schedule.html", {"upcoming": upcoming, "past": past})
