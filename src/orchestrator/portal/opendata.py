"""Open data: the /data/ page, the bulk exports, the DCAT catalogue, and each record's JSON twin.

The bulk exports read as anonymous — open records only, under the Open Government Licence —
unless the request carries a personal API token (`Authorization: Bearer <token>`, as the API
takes it); then they hold what the token's holder may see. A token that is wrong or revoked is
a 401, never a silent fall-back to anonymous. A signed-in browser session does not widen them:
a file called open data holds open data unless someone asks otherwise on purpose.

The JSON twin of a record is its API representation, read exactly as the API reads (a token,
else the signed-in user, else anonymous), so `/k/<uid>.json` is `GET /api/v1/items/{uid}`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import get_resolver, reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_safe
from ninja.errors import AuthenticationError

from orchestrator.api.api import ItemOut, OptionalToken, api
from orchestrator.api.representations import item_detail
from orchestrator.api.services import user_for_token
from orchestrator.core import dcat, exports
from orchestrator.core.metadata import RIGHTS
from orchestrator.core.models import Visibility, kind_registry
from orchestrator.core.selectors import get_visible_item

if TYPE_CHECKING:
    from orchestrator.people.models import User

BEARER_HELP = "Use the header “Authorization: Bearer <token>”, with a token from /account/tokens."
BAD_TOKEN = "The API token is not valid, or has been revoked. Make a new one at /account/tokens."  # noqa: S105


class Unauthorised(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def bearer_user(request: HttpRequest) -> User | None:
    """The holder of the request's API token, or None (anonymous) if it carries none.

    Raises `Unauthorised` for a malformed header or a token that is wrong or revoked."""
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorised(BEARER_HELP)
    user = user_for_token(token.strip())
    if user is None:
        raise Unauthorised(BAD_TOKEN)
    return user


def unauthorised(message: str) -> HttpResponse:
    response = HttpResponse(message + "\n", status=401, content_type="text/plain; charset=utf-8")
    response["WWW-Authenticate"] = 'Bearer realm="Orchestrator"'
    return response


def _bad_request(message: str) -> HttpResponse:
    return HttpResponse(message + "\n", status=400, content_type="text/plain; charset=utf-8")


# -- /data/ ----------------------------------------------------------------------------------------


@require_safe
def data_page(request: HttpRequest) -> HttpResponse:
    """What open data there is, in which formats, under which licence, and how to get more."""
    total, per_kind = dcat.open_summary()
    base = settings.SITE_URL.rstrip("/")
    return render(
        request,
        "portal/data/index.html",
        {
            "total": total,
            "per_kind": per_kind,
            "base": base,
            "ogl": dcat.OGL_IRI,
            "rights": [(label, RIGHTS[Visibility(value)]) for value, label in Visibility.choices],
            "record_fields": exports.RECORD_FIELDS,
            "dc_elements": exports.DC_ELEMENTS,
            "separator": exports.CSV_LIST_SEPARATOR,
            "example_uid": "0123456789",
        },
    )


# -- /data/items.jsonl and /data/items.csv -----------------------------------------------------------


def _export(request: HttpRequest, extension: str) -> HttpResponse:
    unknown = sorted(set(request.GET) - {"kind"})
    if unknown:
        return _bad_request(
            f"Unknown parameter {', '.join(unknown)}: the only one is kind, e.g. ?kind=document."
        )
    kind = request.GET.get("kind") or None
    if kind is not None and kind not in kind_registry():
        return _bad_request(
            f"Unknown kind “{kind}”; use one of: {', '.join(sorted(kind_registry()))}."
        )
    try:
        user = bearer_user(request)
    except Unauthorised as exc:
        return unauthorised(exc.message)
    # A HEAD request gets the headers alone, without reading a single record.
    rows = iter(()) if request.method == "HEAD" else exports.records(user, kind=kind)
    if extension == "jsonl":
        content, content_type = exports.jsonl_lines(rows), "application/x-ndjson; charset=utf-8"
    else:
        content, content_type = exports.csv_lines(rows), "text/csv; charset=utf-8; header=present"
    response = StreamingHttpResponse(content, content_type=content_type)
    name = f"orchestrator-{kind or 'records'}{'' if user is None else '-shared'}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    patch_vary_headers(response, ["Authorization"])
    if user is not None:
        # What a token holder may see is theirs alone: no shared cache may keep it.
        patch_cache_control(response, private=True, no_store=True)
    return response


@require_safe
def items_jsonl(request: HttpRequest) -> HttpResponse:
    return _export(request, "jsonl")


@require_safe
def items_csv(request: HttpRequest) -> HttpResponse:
    return _export(request, "csv")


# -- /data/catalog.ttl and /data/catalog.jsonld --------------------------------------------------------


@require_safe
def catalog_ttl(request: HttpRequest) -> HttpResponse:
    """The DCAT catalogue as Turtle: public, and the same for everyone."""
    return HttpResponse(dcat.turtle(), content_type="text/turtle; charset=utf-8")


@require_safe
def catalog_jsonld(request: HttpRequest) -> HttpResponse:
    return HttpResponse(dcat.jsonld(), content_type="application/ld+json; charset=utf-8")


# -- the JSON twin of a record ------------------------------------------------------------------------


def _json_problem(request: HttpRequest, status: int, detail: str) -> HttpResponse:
    """An error as the API writes one: `{"detail": …}`."""
    return api.create_response(request, {"detail": detail}, status=status)


@require_safe
def item_json(request: HttpRequest, uid: str) -> HttpResponse:
    """`/k/<uid>.json`: the body of `GET /api/v1/items/{uid}`, byte for byte."""
    try:
        user = OptionalToken()(request)
    except AuthenticationError as exc:
        return _json_problem(
            request, 401, getattr(exc, "message", "") or "Authentication required."
        )
    try:
        item = get_visible_item(user, uid)
    except Http404:
        response = _json_problem(request, 404, "Not found")
    else:
        body = ItemOut.model_validate(item_detail(user, item)).model_dump()
        response = api.create_response(request, body, status=200)
    patch_vary_headers(response, ["Accept", "Authorization", "Cookie"])
    return response


def wants_json(request: HttpRequest) -> bool:
    """Whether the client prefers JSON to HTML (`Accept: application/json`)."""
    return request.get_preferred_type(["text/html", "application/json"]) == "application/json"


def negotiated(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a record page's JSON twin to clients that ask for JSON, and say the page varies."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, uid: str, *args, **kwargs) -> HttpResponse:
        if wants_json(request):
            return item_json(request, uid)
        try:
            response = view(request, uid, *args, **kwargs)
        except Http404 as exc:
            if settings.DEBUG:
                raise
            response = get_resolver().resolve_error_handler(404)(request, exc)
        patch_vary_headers(response, ["Accept"])
        if response.status_code == 200:
            twin = reverse("portal:item-json", kwargs={"uid": uid})
            response["Link"] = f'<{twin}>; rel="alternate"; type="application/json"'
        return response

    return wrapper
