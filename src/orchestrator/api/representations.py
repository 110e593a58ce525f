"""A record as JSON, as the viewer may see it: redactions applied, links only to what they may see."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from orchestrator.core.metadata import dublin_core
from orchestrator.core.models import Item, Sensitivity
from orchestrator.core.selectors import REDACTED, links_for, redacted_fields
from orchestrator.people.models import Organisation

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


def _attribute(value: Any) -> Any:
    # An organisation (a dependency's) appears as its slug. A record is never an attribute: its
    # visibility is its own, so it belongs in the links.
    return value.slug if isinstance(value, Organisation) else value


def relations(user: User | None, item: Item) -> dict[str, Any]:
    """The kind's own relations to other records (a milestone's investment and prerequisites, an
    issue's foreseeing risk …), by uid — only records `user` may see; a hidden one is left out."""
    single, many = {}, {}
    for field in item._meta.get_fields():
        model = getattr(field, "related_model", None)
        if not (model and issubclass(model, Item)) or not field.concrete:
            continue
        if getattr(field, "remote_field", None) and getattr(
            field.remote_field, "parent_link", False
        ):
            continue
        if field.many_to_many:
            many[field.name] = list(getattr(item, field.name).values_list("pk", flat=True))
        elif field.many_to_one:
            single[field.name] = getattr(item, field.attname)
    wanted = {pk for pk in single.values() if pk} | {pk for pks in many.values() for pk in pks}
    uids = dict(
        Item.objects.visible_to(user).filter(pk__in=wanted).values_list("pk", "uid")
        if wanted
        else []
    )
    out: dict[str, Any] = {name: uids.get(pk) for name, pk in single.items()}
    out.update({name: sorted(uids[pk] for pk in pks if pk in uids) for name, pks in many.items()})
    return out


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
            "attributes": {
                name: _attribute(getattr(item, name)) for name in item.kind_model.ATTRIBUTES
            },
            "relations": relations(user, item),
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
