"""`/measures`: the success measures of each process, computed from the records the viewer may see."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from orchestrator.decisions.selectors import decision_measures
from orchestrator.planning.selectors import planning_measures


def measures(request: HttpRequest) -> HttpResponse:
    sections = [
        ("Strategic planning", "How the plan is doing", planning_measures(request.user)),
        (
            "Decision making",
            "Whether decisions follow their process",
            decision_measures(request.user),
        ),
    ]
    return render(request, "portal/measures.html", {"sections": sections})
