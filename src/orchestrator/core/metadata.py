"""The fifteen Dublin Core elements for every record (Ofgem's minimum metadata for energy data)."""

from __future__ import annotations

from django.conf import settings

from .models import Item, Visibility

OGL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
RIGHTS = {
    Visibility.OPEN: f"Open Government Licence v3.0 ({OGL})",
    Visibility.REGISTERED: "Shared with registered users of the Shared Knowledge Base; not for onward publication.",
    Visibility.RESTRICTED: "Shared with the named organisations only; not for onward sharing.",
    Visibility.CLOSED: "Closed: for Orchestrator staff only.",
}


def dublin_core(item: Item, *, relations: list[str], description: str) -> dict[str, object]:
    """The record's Dublin Core elements; `relations` are the uids of visible linked records."""
    base = settings.SITE_URL.rstrip("/")
    date = item.published_at or item.created_at
    return {
        "title": item.title,
        "creator": item.owner.name,
        "subject": [s.strip() for s in item.subject.split(",") if s.strip()],
        "description": description,
        "publisher": settings.PUBLISHER_NAME,
        "contributor": [item.created_by.full_name] if item.created_by_id else [],
        "date": date.date().isoformat(),
        "type": f"Text/{item.kind_label}",
        "format": "text/markdown",
        "identifier": f"{base}/k/{item.uid}",
        "source": item.source,
        "language": item.language,
        "relation": [f"{base}/k/{uid}" for uid in relations],
        "coverage": item.coverage,
        "rights": RIGHTS[Visibility(item.visibility)],
    }
