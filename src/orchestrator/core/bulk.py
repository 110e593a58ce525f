"""Bulk loading: organisations, people, documents, triages and links by the thousand, audited."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify

from . import audit, search
from .errors import ValidationError
from .models import (
    UID_PATTERN,
    Document,
    DocumentType,
    Item,
    ItemRestriction,
    Link,
    Relation,
    Status,
    Triage,
    Visibility,
    new_uid,
)
from .services import MAX_BODY_BYTES, validate_triage

if TYPE_CHECKING:
    from orchestrator.people.models import Appointment, Organisation, User

# Rows written per round trip of validation, inserts and audit events; memory stays bounded by it.
BATCH_SIZE = 5000
# Keep `IN (…)` look-ups under SQLite's default limit of 999 variables per statement.
_LOOKUP_CHUNK = 900
# The fields of a record that come from its spec, checked as `services._validate` checks them;
# bulk loading sets the others itself, to values that are valid by construction.
_ITEM_CHECKED = {"title", "slug", "summary", "body", "subject", "source"}
_ITEM_EXCLUDE = [f.name for f in Item._meta.concrete_fields if f.name not in _ITEM_CHECKED]

_NOTE_MAX = Link._meta.get_field("note").max_length
_RELATIONS = frozenset(Relation.values)

T = TypeVar("T")
AuditEventSpec = tuple["User | None", str, str, dict[str, Any]]


class Ref(NamedTuple):
    """A record written by bulk loading: its primary key and its uid (all a link needs)."""

    pk: int
    uid: str


@dataclass(frozen=True, slots=True)
class OrganisationSpec:
    name: str
    kind: str
    sector: str = "energy"
    description: str = ""
    website: str = ""


@dataclass(frozen=True, slots=True)
class UserSpec:
    """A person who will sign in with `email`; the password is unusable until they reset it."""

    email: str
    full_name: str


@dataclass(frozen=True, slots=True)
class AppointmentSpec:
    user: User
    role: str
    organisation: Organisation
    start: dt.date
    end: dt.date | None = None
    chair: bool = False


@dataclass(frozen=True, slots=True)
class TriageSpec:
    """The open-data triage of a document, with the same rules as `services.triage_item`."""

    by: User
    outcome: str
    review_by: dt.date | None
    sensitivities: Sequence[Mapping[str, str]] = ()
    redacted_fields: Sequence[str] = ()
    rationale: str = ""
    restricted_to: Sequence[Organisation] = ()
    title_public: bool = True


@dataclass(frozen=True, slots=True)
class DocumentSpec:
    """A document to create as a draft, then triage (if `triage`) and publish (if `publish`)."""

    owner: Organisation
    created_by: User
    title: str
    summary: str = ""
    body: str = ""
    document_type: str = DocumentType.REPORT
    subject: str = ""
    source: str = ""
    external_url: str = ""
    uid: str | None = None
    triage: TriageSpec | None = None
    publish: bool = False


@dataclass(frozen=True, slots=True)
class LinkSpec:
    source: Ref | Item
    target: Ref | Item
    relation: str
    created_by: User
    note: str = ""


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    if size < 1:
        raise ValueError("batch_size must be at least 1")
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _chunks(values: Sequence[T], size: int = _LOOKUP_CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _refuse(what: str, n: int, exc: ValidationError) -> ValidationError:
    """`exc` for the `n`th record of the call (counted from 1), each message naming the record."""
    label = f"{what.capitalize()} {n}"
    if hasattr(exc, "error_dict"):
        return ValidationError(
            {
                field: [f"{label}: {m}" for e in errors for m in e.messages]
                for field, errors in exc.error_dict.items()
            }
        )
    return ValidationError([f"{label}: {m}" for m in exc.messages])


def _existing(model: type[Model], field: str, values: Sequence[Any]) -> set[Any]:
    found: set[Any] = set()
    for chunk in _chunks(list(values)):
        found.update(
            model._default_manager.filter(**{f"{field}__in": chunk}).values_list(field, flat=True)
        )
    return found


def _insert_rows(model: type[Model], fields: Sequence[str], rows: Sequence[tuple]) -> None:
    """INSERT rows into `model`'s own table with one prepared statement (executemany)."""
    opts = model._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(opts.get_field(name).column) for name in fields)
    params = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(opts.db_table)} ({columns}) VALUES ({params})"  # noqa: S608  (names from model metadata)
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _set_current_triages(pairs: Sequence[tuple[int, int]]) -> None:
    """Point each record (item pk) at its triage (triage pk)."""
    opts = Item._meta
    quote = connection.ops.quote_name
    sql = (
        f"UPDATE {quote(opts.db_table)} SET {quote(opts.get_field('current_triage').column)} = %s "  # noqa: S608
        f"WHERE {quote(opts.pk.column)} = %s"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(triage_pk, item_pk) for item_pk, triage_pk in pairs])


# -- organisations and people -------------------------------------------------------------------


@transaction.atomic
def load_organisations(
    *, organisations: Iterable[OrganisationSpec], batch_size: int = BATCH_SIZE
) -> list[Organisation]:
    """Create organisations, each audited as `organisation.created` (as `create_organisation`)."""
    from orchestrator.people.models import Organisation

    made: list[Organisation] = []
    n = 0
    for batch in _batches(organisations, batch_size):
        orgs: list[Organisation] = []
        for spec in batch:
            n += 1
            org = Organisation(
                name=spec.name.strip(),
                kind=spec.kind,
                sector=spec.sector,
                description=spec.description,
                website=spec.website,
            )
            org.slug = slugify(org.name)[:200]
            try:
                org.clean_fields(exclude=["id"])
                if not org.slug:
                    raise ValidationError({"name": "The name must contain letters or digits."})
            except ValidationError as exc:
                raise _refuse("organisation", n, exc) from exc
            orgs.append(org)
        _refuse_duplicates(
            "organisation",
            [o.name for o in orgs],
            "name",
            _existing(Organisation, "name", [o.name for o in orgs]),
        )
        _refuse_duplicates(
            "organisation",
            [o.slug for o in orgs],
            "name",
            _existing(Organisation, "slug", [o.slug for o in orgs]),
        )
        Organisation.objects.bulk_create(orgs)
        audit.append_many(
            (
                None,
                "organisation.created",
                "",
                {"organisation": o.slug, "name": o.name, "kind": o.kind, "sector": o.sector},
            )
            for o in orgs
        )
        made.extend(orgs)
    return made


def _refuse_duplicates(what: str, values: Sequence[Any], field: str, existing: set[Any]) -> None:
    seen: set[Any] = set()
    for n, value in enumerate(values, start=1):
        if value in existing or value in seen:
            raise ValidationError({field: f"{what.capitalize()} {n}: “{value}” already exists."})
        seen.add(value)


@transaction.atomic
def load_users(*, users: Iterable[UserSpec], batch_size: int = BATCH_SIZE) -> list[User]:
    """Register people, each audited as `user.registered` with no personal data (`register_user`).

    Their passwords are unusable: they sign in once they set one (password reset), never by default.
    """
    from orchestrator.people.models import User

    made: list[User] = []
    n = 0
    for batch in _batches(users, batch_size):
        people: list[User] = []
        for spec in batch:
            n += 1
            email = User.objects.normalize_email(spec.email.strip()).lower()
            user = User(email=email, full_name=spec.full_name.strip())
            # What `set_unusable_password` stores, without its per-call overhead.
            user.password = "!" + get_random_string(40)
            try:
                if not user.full_name:
                    raise ValidationError({"full_name": "Enter the full name."})
                user.clean_fields(exclude=["id", "password", "last_login"])
            except ValidationError as exc:
                raise _refuse("user", n, exc) from exc
            people.append(user)
        emails = [u.email for u in people]
        _refuse_duplicates("user", emails, "email", _existing(User, "email", emails))
        User.objects.bulk_create(people)
        audit.append_many((user, "user.registered", "", {}) for user in people)
        made.extend(people)
    return made


@transaction.atomic
def load_appointments(
    *, appointments: Iterable[AppointmentSpec], batch_size: int = BATCH_SIZE
) -> list[Appointment]:
    """Appoint people to roles, each audited as `appointment.made` by the system (as `appoint`)."""
    from orchestrator.people.models import CHAIRED_ROLES, Appointment, Role

    roles = frozenset(Role.values)
    made: list[Appointment] = []
    n = 0
    for batch in _batches(appointments, batch_size):
        rows: list[Appointment] = []
        for spec in batch:
            n += 1
            errors: dict[str, str] = {}
            if spec.role not in roles:
                errors["role"] = f"“{spec.role}” is not a role."
            elif spec.chair and spec.role not in CHAIRED_ROLES:
                errors["chair"] = "Only the Board and the advisors have a chair."
            if spec.end is not None and spec.end < spec.start:
                errors["end"] = "An appointment cannot end before it starts."
            if spec.user.pk is None or spec.organisation.pk is None:
                errors["user"] = "Appoint saved people to saved organisations."
            if errors:
                raise _refuse("appointment", n, ValidationError(errors))
            rows.append(
                Appointment(
                    user=spec.user,
                    role=spec.role,
                    organisation=spec.organisation,
                    start=spec.start,
                    end=spec.end,
                    chair=spec.chair,
                )
            )
        Appointment.objects.bulk_create(rows)
        audit.append_many(
            (
                None,
                "appointment.made",
                "",
                {
                    "appointment": a.pk,
                    "role": a.role,
                    "organisation": a.organisation.slug,
                    "start": a.start.isoformat(),
                    "end": a.end.isoformat() if a.end else None,
                    "chair": a.chair,
                },
            )
            for a in rows
        )
        made.extend(rows)
    return made


# -- documents, triage and links ----------------------------------------------------------------


@dataclass(slots=True)
class _Pending:
    item: Item
    spec: DocumentSpec
    sensitivities: list[dict[str, str]]


# Document's own fields, validated as `Field.clean` does (the parent's fields by `clean_fields`).
_DOCUMENT_FIELDS = [Document._meta.get_field(name) for name in ("document_type", "external_url")]


def _check_document(n: int, spec: DocumentSpec, now: dt.datetime) -> _Pending:
    """Validate one document and its triage by the rules of `create_item` and `triage_item`."""
    triage = spec.triage
    if spec.publish and triage is None:
        raise ValidationError(
            {"status": f"Document {n}: an untriaged record cannot be published; triage it first."}
        )
    published = spec.publish and triage is not None
    item = Item(
        uid=spec.uid or new_uid(),
        kind=Document.KIND,
        slug=slugify(spec.title)[:200],
        title=spec.title,
        summary=spec.summary,
        body=spec.body,
        owner=spec.owner,
        created_by=spec.created_by,
        subject=spec.subject,
        source=spec.source,
        visibility=triage.outcome if triage is not None else Visibility.OPEN,
        status=Status.PUBLISHED if published else Status.DRAFT,
        published_at=now if published else None,
        created_at=now,
        updated_at=now,
    )
    try:
        if len(spec.body.encode()) > MAX_BODY_BYTES:
            raise ValidationError({"body": "The body is over 1 MB; split it or link to it."})
        if spec.owner.pk is None or spec.created_by.pk is None:
            raise ValidationError({"owner": "Owner and author must be saved first."})
        if spec.uid is not None and not re.fullmatch(UID_PATTERN, spec.uid):
            raise ValidationError({"uid": f"“{spec.uid}” is not a record uid."})
        errors: dict[str, list[str]] = {}
        try:
            item.clean_fields(exclude=_ITEM_EXCLUDE)
        except ValidationError as exc:
            errors.update(exc.message_dict)
        for field in _DOCUMENT_FIELDS:
            try:
                field.clean(getattr(spec, field.name), None)
            except ValidationError as exc:
                errors[field.name] = exc.messages
        if errors:
            raise ValidationError(errors)
        clean: list[dict[str, str]] = []
        if triage is not None:
            clean = validate_triage(
                item=item,
                outcome=triage.outcome,
                sensitivities=triage.sensitivities,
                redacted_fields=triage.redacted_fields,
                rationale=triage.rationale,
                review_by=triage.review_by,
                restricted_to=triage.restricted_to,
            )
            if any(org.pk is None for org in triage.restricted_to):
                raise ValidationError({"restricted_to": "Name saved organisations."})
    except ValidationError as exc:
        raise _refuse("document", n, exc) from exc
    return _Pending(item, spec, clean)


@transaction.atomic
def load_documents(
    *,
    documents: Iterable[DocumentSpec],
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
) -> list[Ref]:
    """Create documents, triage and publish them as their specs say; audit every step.

    Per document, in order: `item.created`, then `item.triaged` and `item.published` when it is
    triaged and published, with the data the single-record services record. One transaction:
    the first invalid document (or triage) refuses the whole call with a ValidationError and
    nothing is written. `progress` is called with the number written after each batch.
    """
    refs: list[Ref] = []
    n = 0
    for batch in _batches(documents, batch_size):
        now = timezone.now()
        pending = []
        for spec in batch:
            n += 1
            pending.append(_check_document(n, spec, now))
        uids = [p.item.uid for p in pending]
        _refuse_duplicates("document", uids, "uid", _existing(Item, "uid", uids))

        items = [p.item for p in pending]
        Item.objects.bulk_create(items)
        _insert_rows(
            Document,
            ("item_ptr", "document_type", "external_url"),
            [(p.item.pk, p.spec.document_type, p.spec.external_url) for p in pending],
        )

        triaged = [p for p in pending if p.spec.triage is not None]
        triages = [
            Triage(
                item_id=p.item.pk,
                outcome=t.outcome,
                sensitivities=p.sensitivities,
                redacted_fields=sorted(set(t.redacted_fields)),
                rationale=t.rationale.strip(),
                title_public=t.title_public,
                by=t.by,
                at=now,
                review_by=t.review_by,
            )
            for p in triaged
            for t in (p.spec.triage,)
        ]
        Triage.objects.bulk_create(triages)
        through = Triage.restricted_to.through
        restricted = [
            (p.item.pk, triage.pk, org.pk)
            for p, triage in zip(triaged, triages, strict=True)
            for org in dict.fromkeys(p.spec.triage.restricted_to)
        ]
        through.objects.bulk_create(
            [through(triage_id=t, organisation_id=o) for _, t, o in restricted]
        )
        ItemRestriction.objects.bulk_create(
            [ItemRestriction(item_id=i, organisation_id=o) for i, _, o in restricted]
        )
        _set_current_triages([(p.item.pk, t.pk) for p, t in zip(triaged, triages, strict=True)])
        search.index(
            items,
            redacted={
                p.item.pk: p.spec.triage.redacted_fields
                for p in pending
                if p.spec.triage is not None
            },
        )

        audit.append_many(_document_events(pending))
        refs.extend(Ref(item.pk, item.uid) for item in items)
        if progress is not None:
            progress(len(pending))
    return refs


def _document_events(pending: Sequence[_Pending]) -> Iterator[AuditEventSpec]:
    for p in pending:
        item, spec, triage = p.item, p.spec, p.spec.triage
        yield spec.created_by, "item.created", item.uid, {"kind": item.kind, "title": item.title}
        if triage is None:
            continue
        yield (
            triage.by,
            "item.triaged",
            item.uid,
            {
                "outcome": triage.outcome,
                "sensitivities": sorted({s["category"] for s in p.sensitivities}),
                "redacted_fields": sorted(set(triage.redacted_fields)),
                "review_by": triage.review_by.isoformat(),
            },
        )
        if spec.publish:
            yield triage.by, "item.published", item.uid, {"visibility": triage.outcome}


@transaction.atomic
def load_links(
    *,
    links: Iterable[LinkSpec],
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Relate records with typed links, each audited as `link.created` on its source (as
    `link_items`). One transaction: an invalid or duplicate link refuses the whole call."""
    total = 0
    for batch in _batches(links, batch_size):
        ids = list({pk for spec in batch for pk in (spec.source.pk, spec.target.pk)})
        uids: dict[int, str] = {}
        for chunk in _chunks(ids):
            uids.update(Item.objects.filter(pk__in=chunk).values_list("pk", "uid"))
        keys: list[tuple[int, int, str]] = []
        for n, spec in enumerate(batch, start=total + 1):
            errors: dict[str, str] = {}
            if spec.relation not in _RELATIONS:
                errors["relation"] = (
                    f"“{spec.relation}” is not a relation; choose one of: "
                    f"{', '.join(Relation.values)}."
                )
            for end in ("source", "target"):
                ref = getattr(spec, end)
                if uids.get(ref.pk) != ref.uid:
                    errors[end] = f"There is no record {ref.uid} (pk {ref.pk})."
            if spec.source.pk == spec.target.pk:
                errors["target"] = "A record cannot link to itself."
            if spec.created_by.pk is None:
                errors["created_by"] = "The author must be saved first."
            if len(spec.note) > _NOTE_MAX:
                errors["note"] = f"A note has at most {_NOTE_MAX} characters."
            if errors:
                raise _refuse("link", n, ValidationError(errors))
            keys.append((spec.source.pk, spec.target.pk, spec.relation))
        existing: set[tuple[int, int, str]] = set()
        sources = list({key[0] for key in keys})
        for chunk in _chunks(sources):
            existing.update(
                Link.objects.filter(source_id__in=chunk).values_list(
                    "source_id", "target_id", "relation"
                )
            )
        seen: set[tuple[int, int, str]] = set()
        for n, key in enumerate(keys, start=total + 1):
            if key in existing or key in seen:
                raise ValidationError(
                    {"relation": f"Link {n}: these records are already linked by {key[2]}."}
                )
            seen.add(key)
        now = timezone.now()
        at = Link._meta.get_field("created_at").get_db_prep_save(now, connection)
        _insert_rows(
            Link,
            ("source", "target", "relation", "note", "created_by", "created_at"),
            [(s.source.pk, s.target.pk, s.relation, s.note, s.created_by.pk, at) for s in batch],
        )
        audit.append_many(
            (
                s.created_by,
                "link.created",
                s.source.uid,
                {"relation": s.relation, "target": s.target.uid},
            )
            for s in batch
        )
        total += len(batch)
        if progress is not None:
            progress(len(batch))
    return total
