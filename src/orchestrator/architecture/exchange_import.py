"""Import an ArchiMate exchange file into an architecture model, in one transaction (see `exchange`)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from django.db import connection, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from orchestrator.core import audit, bulk, search
from orchestrator.core.errors import PermissionDenied, ValidationError
from orchestrator.core.models import Mitigation, Sensitivity, Status, Visibility
from orchestrator.core.services import MAX_BODY_BYTES
from orchestrator.people.models import Organisation, Role
from orchestrator.people.selectors import current_appointments

from .archimate import ELEMENT_TYPES
from .exchange import (
    MAX_BYTES,
    Concept,
    ExchangeError,
    ImportResult,
    ParsedModel,
    read_bytes,
    read_deferred,
)
from .models import IDENTIFIER_LENGTH, ArchitectureModel, Element, Relationship, View, first_text
from .services import MODEL_FOR_TYPE, require_maintainer

if TYPE_CHECKING:
    from orchestrator.people.models import User

TITLE_MAX = 300
REMOVED = "No longer in the imported ArchiMate exchange file."
RESTORED = "Back in the imported ArchiMate exchange file."
# How long an import's triage stands before it is reviewed.
REVIEW_AFTER = dt.timedelta(days=365)

_ELEMENT_FIELDS = ("archimate_type", "layer", "names", "documentation", "properties")
_VIEW_FIELDS = ("viewpoint", "names", "documentation", "properties", "content")
_ITEM_FIELDS = ("title", "body")
_RELATIONSHIP_ENDS = ("source", "target", "source_relationship", "target_relationship")
_RELATIONSHIP_FIELDS = (
    "type",
    "access_type",
    "modifier",
    "is_directed",
    "names",
    "documentation",
    "properties",
    "source_id",
    "target_id",
    "source_relationship_id",
    "target_relationship_id",
)


def import_file(
    *,
    actor: User,
    source: str | os.PathLike | IO[bytes],
    owner: Organisation | None = None,
    visibility: str | None = Visibility.OPEN,
    rationale: str = "",
    progress: Callable[[int, int], None] | None = None,
    max_bytes: int = MAX_BYTES,
) -> ImportResult:
    """Import (or re-import, updating in place) the exchange file `source` as `actor`.

    New records are triaged at `visibility` (with `rationale` when less than open) and published;
    `None` leaves them drafts. One transaction: any refusal (an ExchangeError naming the line and
    the reason, or PermissionDenied) leaves nothing written."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied("Sign in as a member of the Architecture Team to import a model.")
    if not (actor.has_perm("architecture.maintain") or _may_author_a_solution(actor)):
        raise PermissionDenied("Only the Architecture Team import architecture models.")
    if visibility is not None and not (
        actor.has_perm("core.triage_item") and actor.has_perm("core.publish_item")
    ):
        raise PermissionDenied(
            "Only Research & Engagement triage and publish records: import the model as drafts, "
            "and they will give its elements and views the model's triage."
        )
    if visibility is not None and visibility not in Visibility.values:
        raise ExchangeError(
            f"“{visibility}” is not a visibility level; choose one of {', '.join(Visibility.values)}."
        )
    if visibility not in (None, Visibility.OPEN) and not rationale.strip():
        raise ExchangeError(
            "Say why the imported records are less than open (the rationale of their triage)."
        )
    if owner is not None and not actor.has_perm("core.own_item_for", owner):
        raise PermissionDenied(f"You cannot file records for {owner}: you are not a member of it.")
    parsed, validation = read_deferred(read_bytes(source, max_bytes))
    # The schema check runs meanwhile (see `exchange.Validation`); its refusal, if any, is the one
    # reported, and is known before the transaction commits, so a refused file leaves nothing.
    try:
        _check_lengths(parsed)
        with transaction.atomic():
            result = _Importer(actor, parsed, owner, visibility, rationale, progress).run()
            validation.wait()
            return result
    except BaseException:
        validation.wait()
        raise


def _may_author_a_solution(actor: User) -> bool:
    roles = {Role.DESIGN_BODY_MEMBER, Role.DELIVERY_PARTNER_MEMBER}
    return any(a.role in roles for a in current_appointments(actor))


def default_owner(actor: User) -> Organisation:
    """The actor's Architecture Team (the organisation of their architect appointment), else
    their first organisation, else the first organisation."""
    appointments = current_appointments(actor)
    for a in appointments:
        if a.role == Role.ARCHITECT:
            return a.organisation
    if appointments:
        return appointments[0].organisation
    org = Organisation.objects.order_by("pk").first()
    if org is None:
        raise ExchangeError("There is no organisation to own the model; create one first.")
    return org


def _check_lengths(parsed: ParsedModel) -> None:
    """What the schema allows but the database cannot hold, refused with its line."""
    if len(parsed.identifier) > IDENTIFIER_LENGTH:
        raise ExchangeError(f"the model's identifier is over {IDENTIFIER_LENGTH} characters.", 2)
    if len(parsed.version) > 100:
        raise ExchangeError("the model's version is over 100 characters.", 2)
    for c in [*parsed.elements, *parsed.relationships, *parsed.views]:
        if len(c.identifier) > IDENTIFIER_LENGTH:
            raise ExchangeError(
                f"the identifier “{c.identifier[:40]}…” is over {IDENTIFIER_LENGTH} characters.",
                c.line,
            )
        if len(first_text(c.documentation).encode()) > MAX_BODY_BYTES:
            raise ExchangeError(f"the documentation of “{c.identifier}” is over 1 MB.", c.line)
        if len(c.attrs.get("modifier", "")) > 20:
            raise ExchangeError(
                f"the influence strength of “{c.identifier}” is over 20 characters.", c.line
            )
        if len(c.attrs.get("viewpoint", "")) > 100:
            raise ExchangeError(
                f"the viewpoint of “{c.identifier}” is over 100 characters.", c.line
            )


def _title(c: Concept, fallback: str) -> str:
    return first_text(c.names, fallback).strip()[:TITLE_MAX] or fallback


class _Importer:
    def __init__(self, actor, parsed, owner, visibility, rationale, progress) -> None:
        self.actor: User = actor
        self.parsed: ParsedModel = parsed
        self.owner: Organisation | None = owner
        self.visibility = visibility
        self.rationale = rationale.strip()
        self.progress = progress
        self.done = 0
        self.total = len(parsed.elements) + len(parsed.relationships) + len(parsed.views)
        self.now = timezone.now()
        self.events: list[bulk.AuditEventSpec] = []

    def tick(self, n: int) -> None:
        self.done += n
        if self.progress is not None and n:
            self.progress(self.done, self.total)

    def triage(self, owner: Organisation) -> bulk.TriageSpec | None:
        if self.visibility is None:
            return None
        closed = self.visibility != Visibility.OPEN
        finding = {
            "category": Sensitivity.SECURITY,
            "finding": self.rationale,
            "mitigation": Mitigation.RESTRICT,
        }
        return bulk.TriageSpec(
            by=self.actor,
            outcome=self.visibility,
            review_by=timezone.localdate() + REVIEW_AFTER,
            sensitivities=[finding] if closed else (),
            rationale=self.rationale,
            restricted_to=[owner] if self.visibility == Visibility.RESTRICTED else (),
        )

    def spec(self, kind: type, title: str, body: str, fields: dict[str, Any]) -> bulk.RecordSpec:
        return bulk.RecordSpec(
            model=kind,
            owner=self.model.owner,
            created_by=self.actor,
            title=title,
            body=body,
            fields=fields,
            triage=self.triage_spec,
            publish=self.triage_spec is not None,
        )

    def run(self) -> ImportResult:
        p = self.parsed
        model = (
            ArchitectureModel.objects.select_for_update().filter(identifier=p.identifier).first()
        )
        require_maintainer(self.actor, model)
        fields = {
            "names": p.names,
            "documentation": p.documentation,
            "properties": p.properties,
            "property_definitions": p.property_definitions,
            "organizations": p.organizations,
            "metadata": p.metadata,
            "model_version": p.version,
        }
        title = first_text(p.names, p.identifier).strip()[:TITLE_MAX] or p.identifier
        body = first_text(p.documentation)
        created = model is None
        if created:
            owner = self.owner or default_owner(self.actor)
            [model] = bulk.load_records(
                records=[
                    bulk.RecordSpec(
                        model=ArchitectureModel,
                        owner=owner,
                        created_by=self.actor,
                        title=title,
                        body=body,
                        fields={"identifier": p.identifier, **fields},
                        triage=self.triage(owner),
                        publish=self.visibility is not None,
                    )
                ]
            )
        else:
            self._update_model(model, {"title": title, "body": body, **fields})
        self.model = model
        self.triage_spec = self.triage(model.owner)
        result = ImportResult(model=model, model_created=created)
        self.elements = self._import_elements(result)
        self._import_relationships(result)
        self._import_views(result)
        audit.append_many(self.events)
        audit.append(
            actor=self.actor,
            action="archimate.imported",
            item=model,
            data={"identifier": p.identifier, "model_created": created, **result.counts},
        )
        return result

    def _update_model(self, model: ArchitectureModel, values: dict[str, Any]) -> None:
        changed = sorted(k for k, v in values.items() if getattr(model, k) != v)
        if not changed:
            return
        for name in changed:
            setattr(model, name, values[name])
        model.version += 1
        model.updated_at = self.now
        model.save(update_fields=[*changed, "version", "updated_at"])
        search.index([model])
        self.events.append(
            (
                self.actor,
                "item.updated",
                model.uid,
                {"changed": changed, "version": model.version},
            )
        )

    # -- records: elements and views ---------------------------------------------------------

    def _sync_records(
        self,
        *,
        queryset,
        concepts: list[Concept],
        values_for: Callable[[Concept], tuple[type, dict[str, Any]]],
        local_fields: tuple[str, ...],
    ) -> tuple[dict[str, Any], int, int, int]:
        """Create, update and remove the records of one kind of concept; returns them by
        identifier and how many were created, updated and removed."""
        existing = {r.identifier: r for r in queryset.filter(model=self.model).order_by("pk")}
        by_identifier: dict[str, Any] = {}
        new: list[tuple[Concept, bulk.RecordSpec]] = []
        changed: list[Any] = []
        for c in concepts:
            kind, values = values_for(c)
            record = existing.pop(c.identifier, None)
            if record is None:
                title, body = values.pop("title"), values.pop("body")
                fields = {"model": self.model, "identifier": c.identifier, **values}
                new.append((c, self.spec(kind, title, body, fields)))
                continue
            if record.kind != kind.KIND:
                raise ExchangeError(
                    f"“{c.identifier}” is a {record.kind_label.lower()} here, and as a {c.type} it "
                    f"would become a {kind.KIND_LABEL.lower()}; a record cannot change its kind. "
                    "Give the new element a new identifier.",
                    c.line,
                )
            by_identifier[c.identifier] = record
            diff = sorted(k for k, v in values.items() if getattr(record, k) != v)
            restored = record.status == Status.ARCHIVED
            if not diff and not restored:
                continue
            for name in diff:
                setattr(record, name, values[name])
            record.version += 1
            record.updated_at = self.now
            self.events.append(
                (
                    self.actor,
                    "item.updated",
                    record.uid,
                    {"changed": diff, "version": record.version},
                )
            )
            if restored:
                record.status = Status.PUBLISHED
                self.events.append((self.actor, "item.restored", record.uid, {"reason": RESTORED}))
            changed.append(record)
        self.tick(len(concepts) - len(new))
        made = bulk.load_records(records=[s for _, s in new], progress=self.tick)
        for (c, _), record in zip(new, made, strict=True):
            by_identifier[c.identifier] = record
        if changed:
            queryset.model.objects.bulk_update(
                changed,
                [*_ITEM_FIELDS, "version", "updated_at", "status", *local_fields],
                batch_size=1000,
            )
            self._reindex(changed)
        removed = self._remove(queryset.model, existing.values())
        return by_identifier, len(new), len(changed), removed

    def _reindex(self, records: list[Any]) -> None:
        by_kind: dict[type, list[int]] = {}
        for r in records:
            by_kind.setdefault(r.kind_model, []).append(r.pk)
        for kind, pks in by_kind.items():
            for start in range(0, len(pks), 900):
                search.index(kind.objects.filter(pk__in=pks[start : start + 900]))

    def _remove(self, model: type, records: Iterable[Any]) -> int:
        """Archive what was triaged (its page and history stay); delete drafts never triaged."""
        records = [r for r in records if r.status != Status.ARCHIVED]
        archived = [r for r in records if r.current_triage_id is not None]
        deleted = [r for r in records if r.current_triage_id is None]
        if archived:
            for start in range(0, len(archived), 900):
                model.objects.filter(pk__in=[r.pk for r in archived[start : start + 900]]).update(
                    status=Status.ARCHIVED, updated_at=self.now
                )
            self.events.extend(
                (self.actor, "item.archived", r.uid, {"reason": REMOVED}) for r in archived
            )
        if deleted:
            try:
                for start in range(0, len(deleted), 900):
                    model.objects.filter(
                        pk__in=[r.pk for r in deleted[start : start + 900]]
                    ).delete()
            except ProtectedError as exc:
                raise ExchangeError(
                    "A draft no longer in the file cannot be removed: other records refer to it "
                    f"({', '.join(str(o) for o in list(exc.protected_objects)[:3])}). Keep it in "
                    "the file, or remove those references first."
                ) from exc
            self.events.extend(
                (
                    self.actor,
                    "item.deleted",
                    r.uid,
                    {"kind": r.kind, "title": r.title, "reason": REMOVED},
                )
                for r in deleted
            )
        return len(records)

    def _element_values(self, c: Concept) -> tuple[type, dict[str, Any]]:
        element_type = ELEMENT_TYPES[c.type]
        return MODEL_FOR_TYPE.get(c.type, Element), {
            "title": _title(c, element_type.label),
            "body": first_text(c.documentation),
            "archimate_type": c.type,
            "layer": element_type.layer.value,
            "names": c.names,
            "documentation": c.documentation,
            "properties": c.properties,
        }

    def _import_elements(self, result: ImportResult) -> dict[str, Element]:
        elements, *counts = self._sync_records(
            queryset=Element.objects,
            concepts=self.parsed.elements,
            values_for=self._element_values,
            local_fields=_ELEMENT_FIELDS,
        )
        result.elements_created, result.elements_updated, result.elements_removed = counts
        return elements

    def _view_values(self, c: Concept) -> tuple[type, dict[str, Any]]:
        return View, {
            "title": _title(c, c.identifier[:TITLE_MAX]),
            "body": first_text(c.documentation),
            "viewpoint": c.attrs["viewpoint"],
            "names": c.names,
            "documentation": c.documentation,
            "properties": c.properties,
            "content": c.attrs["content"],
        }

    def _import_views(self, result: ImportResult) -> None:
        _, *counts = self._sync_records(
            queryset=View.objects,
            concepts=self.parsed.views,
            values_for=self._view_values,
            local_fields=_VIEW_FIELDS,
        )
        result.views_created, result.views_updated, result.views_removed = counts

    # -- relationships -------------------------------------------------------------------------

    def _ends(self, c: Concept, relationships: dict[str, Relationship]) -> dict[str, Any]:
        """The relationship's ends as model fields (every relationship is written by now)."""
        ends: dict[str, Any] = {}
        for end in ("source", "target"):
            ref = c.attrs[end]
            if ref in self.elements:
                ends[end], ends[f"{end}_relationship"] = self.elements[ref], None
            else:
                ends[end], ends[f"{end}_relationship"] = None, relationships[ref]
        return ends

    def _relationship_values(self, c: Concept) -> dict[str, Any]:
        return {
            "type": c.type,
            "access_type": c.attrs["access_type"],
            "modifier": c.attrs["modifier"],
            "is_directed": c.attrs["is_directed"],
            "names": c.names,
            "documentation": c.documentation,
            "properties": c.properties,
        }

    def _relationship_events(self, r: Relationship) -> list[bulk.AuditEventSpec]:
        return [
            (
                self.actor,
                "relationship.created",
                r.source.uid if r.source_id else self.model.uid,
                {
                    "identifier": r.identifier,
                    "type": r.type,
                    "source": _end_ref(r, "source"),
                    "target": _end_ref(r, "target"),
                },
            )
        ]

    def _create_relationships(self, concepts: list[Concept], kept: dict[str, Any]) -> None:
        """Write new relationships in file order (so export keeps it). One that ends at a
        relationship written later holds an element end until every row is written (the database
        requires one end or the other), then is pointed at it.

        Rows go straight to the table (bulk.insert_rows), each checked as `clean_fields` checks
        it (bulk.Checks): building a model instance per row would cost more than the rest."""
        placeholder = next(iter(self.elements.values()), None)
        checks = bulk.Checks()
        model_id, actor_id, model_uid = self.model.pk, self.actor.pk, self.model.uid
        rows: list[list[Any]] = []
        later: list[tuple[int, str, str]] = []
        events: list[bulk.AuditEventSpec] = []
        for c in concepts:
            ends: dict[str, Any] = dict.fromkeys(_END_IDS)
            refs: dict[str, str] = {}
            for end in ("source", "target"):
                ref = c.attrs[end]
                element = self.elements.get(ref)
                if element is not None:
                    ends[f"{end}_id"] = element.pk
                    refs[end] = element.uid
                    continue
                refs[end] = f"relationship:{ref}"
                if ref in kept:
                    ends[f"{end}_relationship_id"] = kept[ref].pk
                else:
                    ends[f"{end}_id"] = placeholder.pk if placeholder is not None else None
                    later.append((len(rows), end, ref))
            values = [
                c.identifier,
                c.type,
                c.attrs["access_type"],
                c.attrs["modifier"],
                c.attrs["is_directed"],
                c.names,
                c.documentation,
                c.properties,
                self.now,
            ]
            try:
                values = checks.clean_values(_CHECKED_FIELDS, values)
            except ValidationError as exc:
                raise ExchangeError(
                    f"relationship “{c.identifier}”: {'; '.join(exc.messages)}", c.line
                ) from exc
            rows.append([model_id, actor_id, *(ends[name] for name in _END_IDS), *values])
            events.append(
                (
                    self.actor,
                    "relationship.created",
                    refs["source"] if c.attrs["source"] in self.elements else model_uid,
                    {
                        "identifier": c.identifier,
                        "type": c.type,
                        "source": refs["source"],
                        "target": refs["target"],
                    },
                )
            )
        for start in range(0, len(rows), bulk.BATCH_SIZE):
            batch = rows[start : start + bulk.BATCH_SIZE]
            bulk.insert_rows(
                Relationship,
                [f.name for f in _INSERTED_FIELDS],
                bulk.prepared_rows(_INSERTED_FIELDS, batch),
            )
            self.tick(len(batch))
        if rows:
            pks = dict(
                Relationship.objects.filter(model=self.model).values_list("identifier", "pk")
            )
            kept.update((c.identifier, _Written(pks[c.identifier])) for c in concepts)
        fixed: dict[int, list[Any]] = {}
        for n, end, ref in later:
            row = rows[n]
            # [source, target, source_relationship, target_relationship] after model and author
            offset = 2 if end == "source" else 3
            row[offset], row[offset + 2] = None, kept[ref].pk
            fixed[n] = row
        if fixed:
            quote = connection.ops.quote_name
            ends_sql = ", ".join(f"{quote(name)} = %s" for name in _END_COLUMNS)
            table, pk = quote(Relationship._meta.db_table), quote(Relationship._meta.pk.column)
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"UPDATE {table} SET {ends_sql} WHERE {pk} = %s",  # noqa: S608
                    [(*row[2:6], kept[concepts[n].identifier].pk) for n, row in fixed.items()],
                )
        self.events.extend(events)

    def _import_relationships(self, result: ImportResult) -> None:
        existing = {
            r.identifier: r for r in Relationship.objects.filter(model=self.model).order_by("pk")
        }
        kept: dict[str, Relationship] = {}
        updates: list[tuple[Concept, Relationship]] = []
        remaining: list[Concept] = []
        for c in self.parsed.relationships:
            record = existing.pop(c.identifier, None)
            if record is None:
                remaining.append(c)
            else:
                kept[c.identifier] = record
                updates.append((c, record))
        self._create_relationships(remaining, kept)
        result.relationships_created = len(remaining)
        changed = []
        for c, record in updates:
            values = {**self._relationship_values(c), **_ids(self._ends(c, kept))}
            diff = sorted(k for k, v in values.items() if getattr(record, k) != v)
            if diff:
                for name in diff:
                    setattr(record, name, values[name])
                changed.append(record)
                self.events.append(
                    (
                        self.actor,
                        "relationship.updated",
                        self.model.uid,
                        {"identifier": record.identifier, "changed": diff},
                    )
                )
        if changed:
            Relationship.objects.bulk_update(changed, _RELATIONSHIP_FIELDS, batch_size=1000)
        self.tick(len(updates))
        result.relationships_updated = len(changed)
        gone = list(existing.values())
        for start in range(0, len(gone), 900):
            Relationship.objects.filter(pk__in=[r.pk for r in gone[start : start + 900]]).delete()
        self.events.extend(
            (
                self.actor,
                "relationship.removed",
                self.model.uid,
                {"identifier": r.identifier, "type": r.type, "reason": REMOVED},
            )
            for r in gone
        )
        result.relationships_removed = len(gone)


class _Written(NamedTuple):
    """A relationship written by this import: all its referrers need is its primary key."""

    pk: int


_END_IDS = ("source_id", "target_id", "source_relationship_id", "target_relationship_id")
_CHECKED_FIELDS = [
    Relationship._meta.get_field(name)
    for name in (
        "identifier",
        "type",
        "access_type",
        "modifier",
        "is_directed",
        "names",
        "documentation",
        "properties",
        "created_at",
    )
]
_INSERTED_FIELDS = [
    Relationship._meta.get_field(name) for name in ("model", "created_by", *_RELATIONSHIP_ENDS)
] + _CHECKED_FIELDS
_END_COLUMNS = [Relationship._meta.get_field(name).column for name in _RELATIONSHIP_ENDS]


def _ids(ends: dict[str, Any]) -> dict[str, int | None]:
    return {f"{name}_id": (value.pk if value is not None else None) for name, value in ends.items()}


def _end_ref(r: Relationship, end: str) -> str:
    element = getattr(r, end)
    if element is not None:
        return element.uid
    return f"relationship:{getattr(r, f'{end}_relationship').identifier}"
