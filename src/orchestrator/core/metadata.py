"""The fifteen Dublin Core elements for every record (Ofgem's minimum metadata for energy data)."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from django.conf import settings

from .models import Item, Visibility

OGL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
RIGHTS = {
    Visibility.OPEN: f"Open Government Licence v3.0 ({OGL})",
    Visibility.REGISTERED: "Shared with registered users of the Shared Knowledge Base; not for onward publication.",
    Visibility.RESTRICTED: "Shared with the named organisations only; not for onward sharing.",
    Visibility.CLOSED: "Closed: for Orchestrator staff only.",
}


def public_people(ids: Iterable[int | None]) -> set[int]:
    """Of these people, those who hold or held an appointment, and so act in a public role."""
    from orchestrator.people.models import Appointment

    wanted = {i for i in ids if i is not None}
    if not wanted:
        return set()
    return set(Appointment.objects.filter(user_id__in=wanted).values_list("user_id", flat=True))


def dublin_core(
    item: Item,
    *,
    relations: list[str],
    description: str,
    named_people: Collection[int] | None = None,
) -> dict[str, object]:
    """The record's Dublin Core elements; `relations` are the uids of visible linked records.

    The contributor is named only if they hold or held an appointment (a public role), as in the
    audit log: a stakeholder's name is personal data. `named_people` are those people's ids, for
    callers that describe many records at once; otherwise it is looked up for this record."""
    base = settings.SITE_URL.rstrip("/")
    if named_people is None:
        named_people = public_people([item.created_by_id])
    date = item.published_at or item.created_at
    return {
        "title": item.title,
        "creator": item.owner.name,
        "subject": [s.strip() for s in item.subject.split(",") if s.strip()],
        "description": description,
        "publisher": settings.PUBLISHER_NAME,
        "contributor": [item.created_by.full_name] if item.created_by_id in named_people else [],
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
