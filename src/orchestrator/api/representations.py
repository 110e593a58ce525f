"""A record as JSON, as the viewer may see it: redactions applied, links only to what they may see."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from orchestrator.core.metadata import dublin_core
from orchestrator.core.models import Item, Sensitivity
from orchestrator.core.selectors import REDACTED, links_for, redacted_fields

if TYPE_CHECKING:
    from orchestrator.people.models import User

SENSITIVITY_LABELS = dict(Sensitivity.choices)


def item_summary(user: User | None, item: Item) -> dict[str, Any]:
    hidden = redacted_fields(user, item)
    return {
        "uid": item.uid,
        "kind": item.kind,
        "title": item.title,
        "summary": REDACTED if "summary" in hidden else item.summary,
        "visibility": item.visibility,
        "status": item.status,
        "version": item.version,
        "owner": item.owner.name,
        "updated_at": item.updated_at,
        "url": item.get_absolute_url(),
    }


def item_detail(user: User | None, item: Item) -> dict[str, Any]:
    hidden = redacted_fields(user, item)
    links = links_for(user, item)
    triage = item.current_triage
    data = item_summary(user, item)
    body = REDACTED if "body" in hidden else item.body
    data.update(
        {
            "body": body,
            "fields": {
                name: REDACTED if name in hidden else getattr(item, name)
                for name in item.kind_model.TEXT_FIELDS
            },
            "attributes": {name: getattr(item, name) for name in item.kind_model.ATTRIBUTES},
            "owner": {"name": item.owner.name, "slug": item.owner.slug, "kind": item.owner.kind},
            "created_at": item.created_at,
            "published_at": item.published_at,
            "redacted_fields": sorted(hidden),
            "triage": None
            if triage is None
            else {
                "outcome": triage.outcome,
                "spectrum": triage.spectrum,
                "sensitivities": [
                    SENSITIVITY_LABELS.get(s["category"], s["category"])
                    for s in triage.sensitivities
                ],
                "rationale": triage.rationale,
                "at": triage.at,
                "review_by": triage.review_by,
            },
            "links": [
                {
                    "relation": link.relation,
                    "label": link.label,
                    "direction": link.direction,
                    "uid": link.other.uid,
                    "kind": link.other.kind,
                    "title": link.other.title,
                }
                for link in links
            ],
            "dublin_core": dublin_core(
                item,
                relations=[link.other.uid for link in links],
                description=REDACTED if "summary" in hidden else item.summary,
            ),
        }
    )
    return data
