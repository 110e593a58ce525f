"""The site's URLs plus `/__bench/trivial`, for benchmarks/reads.py only; the shipped site never has it.

`reads_settings` selects this module; nothing in `orchestrator` imports either.
"""

from django.http import HttpRequest, JsonResponse
from django.urls import path

from orchestrator import urls as site


def trivial(request: HttpRequest) -> JsonResponse:
    """The least a Django JSON view can do, through the same middleware as every real page."""
    return JsonResponse({"ok": True})


urlpatterns = [path("__bench/trivial", trivial), *site.urlpatterns]

handler404 = site.handler404
handler500 = site.handler500
handler403 = site.handler403
handler400 = site.handler400
