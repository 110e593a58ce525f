"""The API at /api/v1/: visibility-aware reads for anyone, writes with a personal API token."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from ninja import Field, NinjaAPI, Query, Schema, Status
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security.base import AuthBase

from orchestrator.core import search, services
from orchestrator.core.errors import Conflict, StaleVersion
from orchestrator.core.models import Document, DocumentType, kind_registry
from orchestrator.core.selectors import get_visible_item, visible_items
from orchestrator.people.models import Organisation

from .representations import item_detail, item_summary
from .services import user_for_token

MAX_PAGE_SIZE = 100
# Far beyond any real listing; it keeps the database offset inside a 64-bit integer.
MAX_PAGE = 1_000_000


class OptionalToken(AuthBase):
    """`Authorization: Bearer <token>` reads and writes as its user; without one, as anonymous.

    A token that is given but wrong is a 401, never a silent fall-back to anonymous.
    """

    openapi_type = "http"
    openapi_scheme = "bearer"

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization", "")
        if not header:
            user = getattr(request, "user", None)
            return user if user is not None and user.is_authenticated else AnonymousUser()
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise AuthenticationError(message="Use the header “Authorization: Bearer <token>”.")
        user = user_for_token(token.strip())
        if user is None:
            raise AuthenticationError(message="The API token is not valid, or has been revoked.")
        return user


class RequireToken(OptionalToken):
    def __call__(self, request: HttpRequest) -> Any:
        if not request.headers.get("Authorization"):
            raise AuthenticationError(message="Writing needs a personal API token.")
        return super().__call__(request)


api = NinjaAPI(
    title="Orchestrator API",
    version="1.0.0",
    description=(
        "The Shared Knowledge Base as JSON. Every response shows only what the caller may see: "
        "anonymous callers see open records; a personal API token reads and writes as its user. "
        "A record the caller may not see is a 404."
    ),
    auth=OptionalToken(),
)


def _detail(request, status: int, detail: Any):
    return api.create_response(request, {"detail": detail}, status=status)


@api.exception_handler(Http404)
def not_found(request, exc):
    return _detail(request, 404, "Not found")


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return _detail(request, 401, getattr(exc, "message", "") or "Authentication required.")


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return _detail(request, 403, str(exc) or "You do not have permission to do this.")


@api.exception_handler(StaleVersion)
def stale(request, exc: StaleVersion):
    return api.create_response(
        request,
        {"detail": exc.message, "current": item_detail(request.auth, exc.current)},
        status=409,
    )


@api.exception_handler(Conflict)
def conflict(request, exc: Conflict):
    return _detail(request, 409, exc.message)


@api.exception_handler(DjangoValidationError)
def invalid(request, exc: DjangoValidationError):
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return _detail(request, 422, detail)


def _reject_unknown(request: HttpRequest, allowed: set[str]) -> None:
    unknown = sorted(set(request.GET) - allowed)
    if unknown:
        raise NinjaValidationError(
            [
                {
                    "loc": ["query", name],
                    "msg": f"Unknown parameter; use: {', '.join(sorted(allowed))}",
                    "type": "unknown_parameter",
                }
                for name in unknown
            ]
        )


class Owner(Schema):
    name: str
    slug: str
    kind: str


class TriageOut(Schema):
    outcome: str
    spectrum: str
    sensitivities: list[str]
    rationale: str
    at: dt.datetime
    review_by: dt.date


class LinkOut(Schema):
    relation: str
    label: str
    direction: str
    uid: str
    kind: str
    title: str


class ItemSummary(Schema):
    uid: str
    kind: str
    title: str
    summary: str
    visibility: str
    status: str
    version: int
    owner: str
    updated_at: dt.datetime
    url: str


class ItemOut(ItemSummary):
    owner: Owner  # type: ignore[assignment]
    body: str
    fields: dict[str, Any]
    attributes: dict[str, Any] = Field({}, description="The kind's own fields, as facts")
    relations: dict[str, Any] = Field(
        {},
        description="The kind's own relations to records you may see, by uid (null or left out "
        "of a list when hidden)",
    )
    created_at: dt.datetime
    published_at: dt.datetime | None
    redacted_fields: list[str]
    triage: TriageOut | None
    links: list[LinkOut]
    dublin_core: dict[str, Any]


class ItemPage(Schema):
    count: int
    count_exact: bool = Field(
        True,
        description="False when `count` is an estimate: a search that matches very many records",
    )
    page: int
    pages: int
    items: list[ItemSummary]


class Problem(Schema):
    detail: Any


class PageFilters(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(25, ge=1, le=MAX_PAGE_SIZE)


def paged(queryset, filters: PageFilters) -> dict[str, Any]:
    """`count`, `page`, `pages` and the page's `rows` of a queue read in its own order."""
    count = queryset.count()
    start = (filters.page - 1) * filters.page_size
    return {
        "count": count,
        "page": filters.page,
        "pages": max(1, math.ceil(count / filters.page_size)),
        "rows": list(queryset[start : start + filters.page_size]),
    }


class ListFilters(Schema):
    kind: str | None = Field(None, description="Only records of this kind, e.g. document")
    q: str | None = Field(
        None, max_length=200, description="Words to search for; results come best match first"
    )
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(25, ge=1, le=MAX_PAGE_SIZE)


@api.get("/items", response={200: ItemPage, 422: Problem}, tags=["records"])
def list_items(request, filters: Query[ListFilters]):
    """Records the caller may see, a page at a time: most recently changed first, or with `q`,
    those matching every word, best match first."""
    _reject_unknown(request, {"kind", "page", "page_size", "q"})
    if filters.kind and filters.kind not in kind_registry():
        raise NinjaValidationError(
            [
                {
                    "loc": ["query", "kind"],
                    "type": "unknown_kind",
                    "msg": f"Unknown kind; use one of: {', '.join(sorted(kind_registry()))}",
                }
            ]
        )
    start = (filters.page - 1) * filters.page_size
    stop = start + filters.page_size
    if filters.q is not None:
        # Best match first; every word of q must match (see core.search).
        found = search.results(request.auth, filters.q, {"kind": filters.kind or ""})
        count, exact, rows = found.count(), found.exact, found[start:stop]
    else:
        queryset = visible_items(request.auth)
        if filters.kind:
            queryset = queryset.filter(kind=filters.kind)
        count, exact = queryset.count(), True
        rows = queryset.select_related("owner", "current_triage").order_by("-updated_at", "-id")
        rows = rows[start:stop]
    return {
        "count": count,
        "count_exact": exact,
        "page": filters.page,
        "pages": max(1, math.ceil(count / filters.page_size)),
        "items": [item_summary(request.auth, item) for item in rows],
    }


@api.get("/items/{uid}", response={200: ItemOut, 404: Problem}, tags=["records"])
def get_item(request, uid: str):
    """One record, with its triage, links, and Dublin Core metadata."""
    _reject_unknown(request, set())
    return item_detail(request.auth, get_visible_item(request.auth, uid))


class DocumentIn(Schema):
    owner: str = Field(..., description="The owner organisation's slug")
    title: str = Field(..., min_length=1, max_length=300)
    summary: str = Field("", max_length=2000)
    body: str = ""
    document_type: DocumentType = DocumentType.REPORT
    subject: str = Field("", max_length=300)


class ItemPatch(Schema):
    version: int = Field(..., ge=1, description="The version you edited; a stale one is a 409")
    title: str | None = Field(None, min_length=1, max_length=300)
    summary: str | None = Field(None, max_length=2000)
    body: str | None = None
    subject: str | None = Field(None, max_length=300)
    fields: dict[str, Any] | None = Field(
        None,
        description=(
            "The kind's own editable fields by name, e.g. a milestone's forecast_on; dates as "
            "ISO text, numbers as text or numbers"
        ),
    )


class SensitivityIn(Schema):
    category: str
    finding: str
    mitigation: str = "none"


class TriageIn(Schema):
    outcome: str
    sensitivities: list[SensitivityIn] = []
    redacted_fields: list[str] = []
    rationale: str = ""
    review_by: dt.date
    restricted_to: list[str] = Field([], description="Organisation slugs, for a restricted record")
    title_public: bool = True


WRITE = {"auth": RequireToken(), "tags": ["writing"]}
WRITE_ERRORS = {401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem}


@api.post("/items", response={201: ItemOut, **WRITE_ERRORS}, **WRITE)
def create_document(request, payload: DocumentIn):
    """Add a document, as a draft, owned by an organisation you belong to."""
    owner = Organisation.objects.filter(slug=payload.owner).first()
    if owner is None:
        raise DjangoValidationError({"owner": f"No organisation “{payload.owner}”."})
    item = services.create_item(
        actor=request.auth,
        owner=owner,
        model=Document,
        title=payload.title,
        summary=payload.summary,
        body=payload.body,
        fields={"document_type": payload.document_type, "subject": payload.subject},
    )
    return Status(201, item_detail(request.auth, get_visible_item(request.auth, item.uid)))


def _kind_fields(values: dict[str, Any]) -> dict[str, Any]:
    """A kind's own fields as text for the model to convert (a date from a bare number would
    otherwise reach the date parser as an int); objects and lists are no field's value."""
    bad = sorted(n for n, v in values.items() if isinstance(v, (dict, list)))
    if bad:
        raise DjangoValidationError(
            dict.fromkeys(bad, "Send this field as text, a number, true or false, or null.")
        )
    return {n: v if v is None or isinstance(v, str) else str(v) for n, v in values.items()}


@api.patch("/items/{uid}", response={200: ItemOut, **WRITE_ERRORS}, **WRITE)
def update_record(request, uid: str, payload: ItemPatch):
    """Change a record's fields. Send the `version` you edited: if it is stale, nothing is saved."""
    item = get_visible_item(request.auth, uid)
    changes = payload.dict(exclude_unset=True, exclude={"version", "fields"})
    changes = {**_kind_fields(payload.fields or {}), **changes}
    services.update_item(item=item, actor=request.auth, version=payload.version, changes=changes)
    return item_detail(request.auth, get_visible_item(request.auth, uid))


@api.post("/items/{uid}/triage", response={200: ItemOut, **WRITE_ERRORS}, **WRITE)
def triage_record(request, uid: str, payload: TriageIn):
    """Record a triage (or a re-triage, for a published record)."""
    item = get_visible_item(request.auth, uid)
    slugs = set(payload.restricted_to)
    orgs = list(Organisation.objects.filter(slug__in=slugs))
    missing = slugs - {o.slug for o in orgs}
    if missing:
        raise DjangoValidationError(
            {"restricted_to": f"No organisation: {', '.join(sorted(missing))}."}
        )
    service = services.triage_item if item.is_draft else services.retriage_item
    service(
        item=item,
        actor=request.auth,
        outcome=payload.outcome,
        sensitivities=[s.dict() for s in payload.sensitivities],
        redacted_fields=payload.redacted_fields,
        rationale=payload.rationale,
        review_by=payload.review_by,
        restricted_to=orgs,
        title_public=payload.title_public,
    )
    return item_detail(request.auth, get_visible_item(request.auth, uid))


class LinkIn(Schema):
    relation: str = Field(..., description="A relation, e.g. depends_on")
    target: str = Field(..., description="The uid of a record you may see")
    note: str = Field("", max_length=500)


@api.post("/items/{uid}/links", response={201: ItemOut, **WRITE_ERRORS}, **WRITE)
def link_record(request, uid: str, payload: LinkIn):
    """Link this record to another with a typed relation. A target you may not see is a 404."""
    item = get_visible_item(request.auth, uid)
    target = get_visible_item(request.auth, payload.target)
    services.link_items(
        source=item,
        target=target,
        relation=payload.relation,
        actor=request.auth,
        note=payload.note,
    )
    return Status(201, item_detail(request.auth, get_visible_item(request.auth, uid)))


@api.post("/items/{uid}/publish", response={200: ItemOut, **WRITE_ERRORS}, **WRITE)
def publish_record(request, uid: str):
    """Publish a triaged draft at the level its triage set."""
    item = get_visible_item(request.auth, uid)
    services.publish_item(item=item, actor=request.auth)
    return item_detail(request.auth, get_visible_item(request.auth, uid))


# Routers for each domain, imported last: they use the schemas and authentication above.
from .architecture import router as architecture_router  # noqa: E402
from .architecture_graph import router as architecture_graph_router  # noqa: E402
from .decisions import router as decisions_router  # noqa: E402
from .engagement import router as engagement_router  # noqa: E402
from .planning import router as planning_router  # noqa: E402
from .solutions import router as solutions_router  # noqa: E402

api.add_router("/submissions", engagement_router)
api.add_router("/", planning_router)
api.add_router("/architecture", architecture_router)
api.add_router("/architecture", architecture_graph_router)
api.add_router("/solution-architectures", solutions_router)
api.add_router("/decisions", decisions_router)
