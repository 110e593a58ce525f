"""Bulk loading: organisations, people, records of any kind, triages and links, all audited."""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import json
import re
import secrets
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from django.db import connection, transaction
from django.db.models import Field, JSONField, Model
from django.db.models.expressions import DatabaseDefault
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify

from . import audit
from .errors import ValidationError
from .models import (
    UID_ALPHABET,
    UID_LENGTH,
    UID_PATTERN,
    Document,
    DocumentType,
    Item,
    ItemRestriction,
    Link,
    Relation,
    SearchEntry,
    Status,
    Triage,
    Visibility,
)
from .services import MAX_BODY_BYTES, check_text, validate_triage

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


def insert_rows(model: type[Model], fields: Sequence[str], rows: Sequence[tuple]) -> None:
    """INSERT rows (values as the database takes them) into `model`'s own table: one prepared
    statement (executemany) on SQLite, COPY on PostgreSQL."""
    if not rows:
        return
    opts = model._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(opts.get_field(name).column) for name in fields)
    table = quote(opts.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        params = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({params})"  # noqa: S608  (names from model metadata)
        cursor.executemany(sql, rows)


# Values that are immutable and hashable, and whose check or database form depends on nothing
# else: a field's verdict on one is reused for the rest of the batch.
_SIMPLE = frozenset({str, int, bool, float, type(None), dt.date, dt.datetime, decimal.Decimal})
_TEXT_TYPES = frozenset({"CharField", "TextField", "SlugField", "EmailField", "URLField"})


def _preparer(field: Any) -> Callable[[Any], Any]:
    """`field.get_db_prep_save(value, connection)`, fast for the values bulk loading writes:
    text as it is, JSON as `json.dumps` writes it (the form COPY and SQLite both take), and other
    simple values prepared once per distinct value."""
    if isinstance(field, JSONField):
        dumps = (
            audit.json_text
            if field.encoder is None
            else functools.partial(json.dumps, cls=field.encoder)
        )
        prepare = field.get_db_prep_save

        def json_value(value: Any) -> Any:
            if value is None or hasattr(value, "as_sql"):
                return prepare(value, connection)
            return dumps(value)

        return json_value
    text = field.get_internal_type() in _TEXT_TYPES
    memo: dict[tuple[type, Any], Any] = {}
    prepare = field.get_db_prep_save

    def value_of(value: Any) -> Any:
        kind = type(value)
        if text and kind is str:
            return value
        if kind not in _SIMPLE:
            return prepare(value, connection)
        key = (kind, value)
        try:
            return memo[key]
        except KeyError:
            memo[key] = prepared = prepare(value, connection)
            return prepared

    return value_of


def prepared_rows(fields: Sequence[Any], rows: Iterable[Sequence[Any]]) -> list[tuple]:
    """Rows of Python values for `fields` as the database takes them."""
    preparers = [_preparer(f) for f in fields]
    return [tuple(p(v) for p, v in zip(preparers, row, strict=True)) for row in rows]


def _pks(model: type[Model], field: str, values: Sequence[Any]) -> dict[Any, int]:
    """The primary keys of the rows whose unique `field` has these values, by value."""
    found: dict[Any, int] = {}
    for chunk in _chunks(list(values)):
        found.update(
            model._default_manager.filter(**{f"{field}__in": chunk}).values_list(field, "pk")
        )
    return found


def _set_current_triages(pairs: Sequence[tuple[int, int]]) -> None:
    """Point each record (item pk) at its triage (triage pk)."""
    if not pairs:
        return
    opts = Item._meta
    quote = connection.ops.quote_name
    table, column = quote(opts.db_table), quote(opts.get_field("current_triage").column)
    pk = quote(opts.pk.column)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"UPDATE {table} SET {column} = v.triage FROM unnest(%s::bigint[], %s::bigint[])"  # noqa: S608
                f" AS v(item, triage) WHERE {table}.{pk} = v.item",
                [[item for item, _ in pairs], [triage for _, triage in pairs]],
            )
            return
        cursor.executemany(
            f"UPDATE {table} SET {column} = %s WHERE {pk} = %s",  # noqa: S608
            [(triage_pk, item_pk) for item_pk, triage_pk in pairs],
        )


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


# -- records of any kind, their triage and links --------------------------------------------------


@dataclass(frozen=True, slots=True)
class RecordSpec:
    """A record of any kind (`model`, a direct subclass of `Item`) to create as a draft, then
    triage (if `triage`) and publish (if `publish`), as `create_item`, `triage_item` and
    `publish_item` would.

    `fields` holds the kind's own fields by name; a relation is given as a saved instance (its
    `clean` may read it, as the single-record service's validation does) or by its `<name>_id`."""

    model: type[Item]
    owner: Organisation
    created_by: User
    title: str
    summary: str = ""
    body: str = ""
    subject: str = ""
    source: str = ""
    fields: Mapping[str, Any] = field(default_factory=dict)
    uid: str | None = None
    triage: TriageSpec | None = None
    publish: bool = False


@dataclass(slots=True)
class _Pending:
    record: Item
    spec: RecordSpec
    sensitivities: list[dict[str, str]]


@functools.cache
def _relations(model: type[Item]) -> list[Any]:
    """The kind's own foreign keys: checked for a saved target here, not by a query per row."""
    return [
        f
        for f in model._meta.concrete_fields
        if f.many_to_one and not f.remote_field.parent_link and f.model is not Item
    ]


class Checks:
    """`Model.clean_fields` and `validate_triage` for a batch of records, by the same rules, with
    what depends only on its input worked out once: a field's verdict on a simple value (a kind's
    type, an owner's id, the batch's time), and the verdict on a triage shared by many records."""

    def __init__(self) -> None:
        self.verdicts: dict[tuple[Any, type, Any], tuple[Any, Any]] = {}
        self.plain_json: dict[Any, bool] = {}
        self.triages: dict[tuple[int, type[Item]], tuple[TriageSpec, list[dict[str, str]]]] = {}

    @staticmethod
    @functools.cache
    def _fields(model: type[Model], exclude: frozenset[str]) -> list[Any]:
        return [f for f in model._meta.fields if f.name not in exclude and not f.generated]

    def clean(self, field: Any, raw: Any, instance: Model | None) -> Any:
        """`field.clean(raw, instance)`. Of a simple value it depends on the value alone (the
        instance matters only to relations, which bulk loading checks apart), so the verdict on
        each distinct one is reused for the batch."""
        kind = type(raw)
        if kind not in _SIMPLE:
            if kind is dict or kind is list:
                plain = self.plain_json.get(field)
                if plain is None:
                    plain = self.plain_json[field] = (
                        isinstance(field, JSONField)
                        and field.encoder is None
                        and type(field).validate is JSONField.validate
                        and type(field).to_python is Field.to_python
                    )
                if plain:
                    # JSONField.clean, with its check that the value serialises made by the
                    # encoder built once (json.dumps builds one per call).
                    Field.validate(field, raw, instance)
                    try:
                        audit.json_text(raw)
                    except TypeError as exc:
                        raise ValidationError(
                            field.error_messages["invalid"], code="invalid", params={"value": raw}
                        ) from exc
                    field.run_validators(raw)
                    return raw
            return field.clean(raw, instance)
        key = (field, kind, raw)
        verdict = self.verdicts.get(key)
        if verdict is None:
            try:
                verdict = (field.clean(raw, instance), None)
            except ValidationError as e:
                verdict = (None, e)
            self.verdicts[key] = verdict
        if verdict[1] is not None:
            raise verdict[1]
        return verdict[0]

    def clean_fields(self, record: Model, exclude: frozenset[str]) -> None:
        """`record.clean_fields(exclude=exclude)`: the same checks, conversions and errors."""
        errors: dict[str, Any] = {}
        for f in self._fields(type(record), exclude):
            raw = getattr(record, f.attname)
            if (f.blank and raw in f.empty_values) or isinstance(raw, DatabaseDefault):
                continue
            try:
                cleaned = self.clean(f, raw, record)
            except ValidationError as e:
                errors[f.name] = e.error_list
                continue
            if cleaned is not raw:
                setattr(record, f.attname, cleaned)
        if errors:
            raise ValidationError(errors)

    def clean_values(self, fields: Sequence[Any], values: Sequence[Any]) -> list[Any]:
        """`clean_fields` of a row given as values (one per field, no relations among them)
        rather than an instance: the cleaned values, or the ValidationError it would raise."""
        errors: dict[str, Any] = {}
        cleaned = list(values)
        for n, (f, raw) in enumerate(zip(fields, values, strict=True)):
            if (f.blank and raw in f.empty_values) or isinstance(raw, DatabaseDefault):
                continue
            try:
                cleaned[n] = self.clean(f, raw, None)
            except ValidationError as e:
                errors[f.name] = e.error_list
        if errors:
            raise ValidationError(errors)
        return cleaned

    def triage(self, record: Item, triage: TriageSpec) -> list[dict[str, str]]:
        """`validate_triage` of `triage` for `record`: it depends on the triage and the kind only."""
        key = (id(triage), record.kind_model)
        known = self.triages.get(key)
        if known is not None and known[0] is triage:
            return [dict(s) for s in known[1]]
        clean = validate_triage(
            item=record,
            outcome=triage.outcome,
            sensitivities=triage.sensitivities,
            redacted_fields=triage.redacted_fields,
            rationale=triage.rationale,
            review_by=triage.review_by,
            restricted_to=triage.restricted_to,
        )
        self.triages[key] = (triage, clean)  # the spec is held, so its id is not reused
        return [dict(s) for s in clean]


@functools.cache
def _record_exclude(model: type[Item]) -> frozenset[str]:
    return frozenset([*_ITEM_EXCLUDE, *(r.name for r in _relations(model))])


def _new_uid() -> str:
    """What `new_uid` makes (each character uniformly from the 32 of the alphabet), faster."""
    return "".join([UID_ALPHABET[b & 31] for b in secrets.token_bytes(UID_LENGTH)])


def _check_record(n: int, spec: RecordSpec, now: dt.datetime, checks: Checks) -> _Pending:
    """Validate one record and its triage by the rules of `create_item` and `triage_item`: the
    fields' own checks, the kind's `clean` (its invariants), and presumed-open triage."""
    model, triage = spec.model, spec.triage
    what = model.KIND_LABEL.lower()
    if Item not in model._meta.get_parent_list():
        raise ValueError(f"{model.__name__} is not a kind of record (a subclass of Item)")
    if spec.publish and triage is None:
        refusal = "an untriaged record cannot be published; triage it first."
        raise ValidationError({"status": f"{what.capitalize()} {n}: {refusal}"})
    published = spec.publish and triage is not None
    try:
        record = model(
            uid=spec.uid or _new_uid(),
            kind=model.KIND,
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
            **spec.fields,
        )
    except (TypeError, ValueError) as exc:  # a field the kind does not have, or a wrong instance
        raise _refuse(what, n, ValidationError(str(exc))) from exc
    relations = _relations(model)
    try:
        if len(spec.body.encode()) > MAX_BODY_BYTES:
            raise ValidationError({"body": "The body is over 1 MB; split it or link to it."})
        check_text({name: value for name, value in spec.fields.items() if isinstance(value, str)})
        if spec.owner.pk is None or spec.created_by.pk is None:
            raise ValidationError({"owner": "Owner and author must be saved first."})
        if spec.uid is not None and not re.fullmatch(UID_PATTERN, spec.uid):
            raise ValidationError({"uid": f"“{spec.uid}” is not a record uid."})
        errors: dict[str, list[str]] = {}
        for relation in relations:
            if getattr(record, relation.attname) is not None:
                continue
            target = relation.get_cached_value(record, None)
            if target is not None:
                errors[relation.name] = ["Save what it refers to first."]
            elif not relation.null:
                errors[relation.name] = ["This field cannot be empty."]
        try:
            checks.clean_fields(record, _record_exclude(model))
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if not errors:
            try:
                record.clean()
            except ValidationError as exc:
                errors.update(exc.message_dict)
        if errors:
            raise ValidationError(errors)
        clean: list[dict[str, str]] = []
        if triage is not None:
            clean = checks.triage(record, triage)
            if any(org.pk is None for org in triage.restricted_to):
                raise ValidationError({"restricted_to": "Name saved organisations."})
    except ValidationError as exc:
        raise _refuse(what, n, exc) from exc
    return _Pending(record, spec, clean)


_ITEM_COLUMNS = [f for f in Item._meta.concrete_fields if not f.primary_key]


def _insert_records(pending: Sequence[_Pending]) -> None:
    """Write the records' `Item` rows, then each kind's own rows (bulk_create refuses multi-table
    inheritance), each table with one prepared statement or COPY; the new primary keys are read
    back by uid (unique), so no row object is built twice."""
    insert_rows(
        Item,
        [f.name for f in _ITEM_COLUMNS],
        prepared_rows(
            _ITEM_COLUMNS,
            ([getattr(p.record, f.attname) for f in _ITEM_COLUMNS] for p in pending),
        ),
    )
    pks = _pks(Item, "uid", [p.record.uid for p in pending])
    db = connection.alias
    by_model: dict[type[Item], list[Item]] = {}
    for p in pending:
        record = p.record
        pk = pks[record.uid]
        # A kind of a kind (a principle is an element) links to each ancestor's row.
        for parent in type(record)._meta.get_parent_list():
            setattr(record, parent._meta.pk.attname, pk)
        record.pk = pk
        record._state.adding, record._state.db = False, db
        by_model.setdefault(type(record), []).append(record)
    for model, records in by_model.items():
        parents = [m for m in reversed(model._meta.get_parent_list()) if m is not Item]
        for table in [*parents, model]:
            fields = table._meta.local_concrete_fields
            insert_rows(
                table,
                [f.name for f in fields],
                prepared_rows(fields, ([getattr(r, f.attname) for f in fields] for r in records)),
            )


_TRIAGE_FIELDS = [
    Triage._meta.get_field(name)
    for name in (
        "item",
        "outcome",
        "sensitivities",
        "redacted_fields",
        "rationale",
        "title_public",
        "by",
        "at",
        "review_by",
    )
]
_SEARCH_FIELDS = [
    SearchEntry._meta.get_field(n) for n in ("item", "title", "summary", "body", "extra")
]


def _search_row(item: Item, redacted: Iterable[str]) -> tuple[Any, ...]:
    """`search.index`'s entry for a record, as a row: a redacted field is left out altogether."""
    hidden = set(redacted)

    def text(name: str) -> str:
        return "" if name in hidden else str(getattr(item, name) or "")

    return (
        item.pk,
        item.title,
        text("summary"),
        text("body"),
        " ".join(text(name) for name in item.kind_model.TEXT_FIELDS),
    )


@transaction.atomic
def load_records(
    *,
    records: Iterable[RecordSpec],
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
    on_creation: Callable[[Item], Iterable[AuditEventSpec]] | None = None,
) -> list[Item]:
    """Create records of any kinds, triage and publish them as their specs say; audit every step.

    Per record, in order: `item.created`, the events `on_creation` gives for it (what the kind's
    own service records as it creates one, such as `submission.raised`), then `item.triaged` and
    `item.published` when it is triaged and published, with the data the single-record services
    record; each is indexed for search, leaving out what its triage redacts. One transaction: the
    first invalid record (or triage) refuses the whole call with a ValidationError and nothing is
    written. `progress` is called with the number written after each batch. Returns the records,
    saved, as instances of their kinds (so a caller can refer to them in its next call).
    """
    return [
        record for batch in _load(records, batch_size, progress, on_creation) for record in batch
    ]


@transaction.atomic
def load_documents(
    *,
    documents: Iterable[DocumentSpec],
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
) -> list[Ref]:
    """`load_records` for documents, returning only what a link needs, so memory stays small."""
    specs = (
        RecordSpec(
            model=Document,
            owner=d.owner,
            created_by=d.created_by,
            title=d.title,
            summary=d.summary,
            body=d.body,
            subject=d.subject,
            source=d.source,
            fields={"document_type": d.document_type, "external_url": d.external_url},
            uid=d.uid,
            triage=d.triage,
            publish=d.publish,
        )
        for d in documents
    )
    return [Ref(r.pk, r.uid) for batch in _load(specs, batch_size, progress) for r in batch]


def _load(
    records: Iterable[RecordSpec],
    batch_size: int,
    progress: Callable[[int], None] | None,
    on_creation: Callable[[Item], Iterable[AuditEventSpec]] | None = None,
) -> Iterator[list[Item]]:
    """Write the records batch by batch (inside the caller's transaction), yielding each batch."""
    n = 0
    for batch in _batches(records, batch_size):
        now = timezone.now()
        checks = Checks()
        pending = []
        for spec in batch:
            n += 1
            pending.append(_check_record(n, spec, now, checks))
        del checks
        uids = [p.record.uid for p in pending]
        _refuse_duplicates("record", uids, "uid", _existing(Item, "uid", uids))
        _insert_records(pending)

        triaged = [p for p in pending if p.spec.triage is not None]
        insert_rows(
            Triage,
            [f.name for f in _TRIAGE_FIELDS],
            prepared_rows(
                _TRIAGE_FIELDS,
                (
                    (
                        p.record.pk,
                        t.outcome,
                        p.sensitivities,
                        sorted(set(t.redacted_fields)),
                        t.rationale.strip(),
                        t.title_public,
                        t.by.pk,
                        now,
                        t.review_by,
                    )
                    for p in triaged
                    for t in (p.spec.triage,)
                ),
            ),
        )
        # Each of these records is new, so it has exactly the one triage just written.
        triage_pks = _pks(Triage, "item", [p.record.pk for p in triaged])
        through = Triage.restricted_to.through
        restricted = [
            (p.record.pk, triage_pks[p.record.pk], org.pk)
            for p in triaged
            for org in dict.fromkeys(p.spec.triage.restricted_to)
        ]
        if restricted:
            through.objects.bulk_create(
                [through(triage_id=t, organisation_id=o) for _, t, o in restricted]
            )
            ItemRestriction.objects.bulk_create(
                [ItemRestriction(item_id=i, organisation_id=o) for i, _, o in restricted]
            )
        _set_current_triages([(p.record.pk, triage_pks[p.record.pk]) for p in triaged])
        for p in triaged:
            p.record.current_triage_id = triage_pks[p.record.pk]
        # What `search.index` writes; these records are new, so no entry is there to update.
        insert_rows(
            SearchEntry,
            [f.name for f in _SEARCH_FIELDS],
            prepared_rows(
                _SEARCH_FIELDS,
                (
                    _search_row(
                        p.record, p.spec.triage.redacted_fields if p.spec.triage is not None else ()
                    )
                    for p in pending
                ),
            ),
        )
        audit.append_many(_record_events(pending, on_creation))
        if progress is not None:
            progress(len(pending))
        yield [p.record for p in pending]


def _record_events(
    pending: Sequence[_Pending],
    on_creation: Callable[[Item], Iterable[AuditEventSpec]] | None = None,
) -> Iterator[AuditEventSpec]:
    for p in pending:
        record, spec, triage = p.record, p.spec, p.spec.triage
        yield (
            spec.created_by,
            "item.created",
            record.uid,
            {"kind": record.kind, "title": record.title},
        )
        if on_creation is not None:
            yield from on_creation(record)
        if triage is None:
            continue
        yield (
            triage.by,
            "item.triaged",
            record.uid,
            {
                "outcome": triage.outcome,
                "sensitivities": sorted({s["category"] for s in p.sensitivities}),
                "redacted_fields": sorted(set(triage.redacted_fields)),
                "review_by": triage.review_by.isoformat(),
            },
        )
        if spec.publish:
            yield triage.by, "item.published", record.uid, {"visibility": triage.outcome}


M = TypeVar("M", bound=Model)


@transaction.atomic
def load_rows(
    *,
    rows: Iterable[M],
    events: Callable[[M], Iterable[AuditEventSpec]],
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Create rows that are not records themselves — an investment's feature, a dependency between
    two milestones (a many-to-many `through` row) — each audited with the events `events` gives
    for it, as the service that makes one would record them.

    Each row is checked by its model's own rules: its fields' checks and `clean`, and a saved
    target for every foreign key (given as an instance or an id). The database's constraints
    (uniqueness, and that every id exists) refuse the rest, with an IntegrityError. What a
    service checks beyond the model — such as that milestone dependencies make no cycle — is
    the caller's to keep. One transaction: an invalid row refuses the whole call.
    """
    total = 0
    for batch in _batches(rows, batch_size):
        for n, row in enumerate(batch, start=total + 1):
            model = type(row)
            what = model._meta.verbose_name
            relations = [f for f in model._meta.concrete_fields if f.many_to_one]
            errors: dict[str, list[str]] = {}
            for relation in relations:
                if getattr(row, relation.attname) is None and not relation.null:
                    errors[relation.name] = ["Give a saved record for this field."]
            try:
                row.clean_fields(exclude=[r.name for r in relations])
                row.clean()
            except ValidationError as exc:
                errors.update(exc.message_dict)
            if errors:
                raise _refuse(what, n, ValidationError(errors))
        by_model: dict[type[Model], list[Model]] = {}
        for row in batch:
            by_model.setdefault(type(row), []).append(row)
        for model, same in by_model.items():
            model._default_manager.bulk_create(same)
        audit.append_many(event for row in batch for event in events(row))
        total += len(batch)
        if progress is not None:
            progress(len(batch))
    return total


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
        insert_rows(
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
