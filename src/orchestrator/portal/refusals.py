"""The page that says why something cannot be done, and leads back to the record it concerns."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from orchestrator.core.models import Item


def refusal(
    request: HttpRequest, *, title: str, message: str, status: int, record: Item | None = None
) -> HttpResponse:
    """A 4xx page in the service's words; with `record`, its way on is back to that record rather
    than to the home page, since that is where the person was working."""
    return render(
        request,
        "portal/error.html",
        {"title": title, "message": message, "record": record},
        status=status,
    )
