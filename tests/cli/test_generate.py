"""`orchestrator generate` and the bulk loader it writes through: complete, audited, refused if invalid."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from orchestrator.core import audit, bulk
from orchestrator.core.models import (
    AuditEvent,
    AuditHead,
    Document,
    Item,
    ItemRestriction,
    Link,
    Status,
    Triage,
    Visibility,
)
from orchestrator.demo.generate import generate
from orchestrator.people.models import Appointment, Organisation, OrganisationKind, Role, User

from ..factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


def _counts() -> dict[str, int]:
    head = AuditHead.objects.filter(pk=1).first()
    return {
        "items": Item.objects.count(),
        "documents": Document.objects.count(),
        "triages": Triage.objects.count(),
        "restrictions": ItemRestriction.objects.count(),
        "links": Link.objects.count(),
        "events": AuditEvent.objects.count(),
        "head": head.seq if head else 0,
    }


@pytest.fixture
def small(capsys):
    generate(scale="small", seed=1)
    return capsys.readouterr()


def test_small_has_every_visibility_level_published_and_drafts(small):
    published = set(
        Item.objects.filter(status=Status.PUBLISHED).values_list("visibility", flat=True)
    )
    assert published == set(Visibility.values)
    drafts = Item.objects.filter(status=Status.DRAFT)
    assert drafts.filter(current_triage__isnull=True).exists()  # never triaged
    assert drafts.filter(current_triage__isnull=False).exists()  # triaged, not yet published
    assert Item.objects.filter(status=Status.PUBLISHED).count() > drafts.count()
    counts = {v: Item.objects.filter(visibility=v).count() for v in Visibility.values}
    assert max(counts, key=counts.get) == Visibility.OPEN


def test_small_records_are_consistent_documents_with_their_triage(small):
    items = Item.objects.all()
    assert 200 <= items.count() <= 3000
    assert Document.objects.count() == items.filter(kind="document").count() == 300
    for item in items.filter(current_triage__isnull=False).select_related("current_triage"):
        assert item.visibility == item.current_triage.outcome
        if item.visibility != Visibility.OPEN:
            assert item.current_triage.rationale and item.current_triage.sensitivities
    assert not items.filter(status=Status.PUBLISHED, current_triage__isnull=True).exists()
    assert not items.filter(status=Status.PUBLISHED, published_at__isnull=True).exists()


def test_restricted_records_name_organisations(small):
    restricted = Item.objects.filter(visibility=Visibility.RESTRICTED)
    assert restricted.exists()
    for item in restricted.select_related("current_triage"):
        named = set(item.restrictions.values_list("organisation_id", flat=True))
        assert named
        assert named == set(item.current_triage.restricted_to.values_list("pk", flat=True))
    assert not ItemRestriction.objects.exclude(item__visibility=Visibility.RESTRICTED).exists()


def test_small_has_links_people_and_every_role_and_kind(small):
    # The generator's links between documents, besides the designations and what submissions
    # accepted by Research & Engagement concern.
    between = Link.objects.filter(target__kind="document").exclude(source__kind="submission")
    assert between.count() == 400
    assert not Link.objects.filter(source=F("target")).exists()
    assert set(Appointment.objects.values_list("role", flat=True)) == set(Role.values)
    assert set(Organisation.objects.values_list("kind", flat=True)) == set(OrganisationKind.values)
    assert len(set(Organisation.objects.values_list("sector", flat=True))) >= 5
    assert Appointment.objects.filter(end__isnull=False).exists()
    assert Appointment.objects.filter(role=Role.BOARD_MEMBER, chair=True).count() == 1
    assert not any(u.has_usable_password() for u in User.objects.all())


def test_every_change_is_audited_and_the_chain_verifies(small):
    result = audit.verify()
    assert result.ok, result.reason
    assert result.checked == AuditEvent.objects.count()
    actions = {a: AuditEvent.objects.filter(action=a).count() for a in (
        "organisation.created", "user.registered", "appointment.made", "item.created",
        "item.triaged", "item.published", "link.created")}  # fmt: skip
    assert actions["organisation.created"] == Organisation.objects.count()
    assert actions["user.registered"] == User.objects.count()
    assert actions["appointment.made"] == Appointment.objects.count()
    assert actions["item.created"] == Item.objects.count()
    assert actions["item.triaged"] == Triage.objects.count()
    assert actions["item.published"] == Item.objects.filter(status=Status.PUBLISHED).count()
    assert actions["link.created"] == Link.objects.count()
    # The same data as the single-record services record.
    item = Item.objects.filter(
        kind="document", visibility=Visibility.CLOSED, status=Status.PUBLISHED
    ).first()
    triaged = AuditEvent.objects.get(action="item.triaged", item_uid=item.uid)
    assert set(triaged.data) == {"outcome", "sensitivities", "redacted_fields", "review_by"}
    assert triaged.data["outcome"] == "closed" and triaged.actor_id == item.current_triage.by_id
    created = AuditEvent.objects.get(action="item.created", item_uid=item.uid)
    assert created.data == {"kind": "document", "title": item.title}
    link = Link.objects.select_related("source", "target").first()
    event = AuditEvent.objects.filter(action="link.created", item_uid=link.source.uid).first()
    assert event.data["relation"] and event.data["target"]


def test_progress_goes_to_stderr_and_a_summary_to_stdout(small):
    assert "documents: 300/300" in small.err and "links: 400/400" in small.err
    assert "Generated small dataset S1" in small.out


def test_a_seed_gives_the_same_dataset():
    def snapshot():
        return list(Item.objects.order_by("id").values_list("uid", "title", "visibility", "status"))

    with pytest.raises(Rollback), transaction.atomic():
        generate(scale="small", seed=7)
        first = snapshot()
        raise Rollback
    generate(scale="small", seed=7)
    assert snapshot() == first


def test_a_second_run_of_a_seed_adds_to_the_database_without_colliding():
    generate(scale="small", seed=3)
    before = _counts()
    generate(scale="small", seed=3)
    after = _counts()
    assert after["items"] == 2 * before["items"]
    assert Organisation.objects.filter(name__startswith="S3r2 ").count() == (
        Organisation.objects.filter(name__startswith="S3 ").count()
    )
    assert audit.verify().ok


# -- the bulk loader ------------------------------------------------------------------------------


@pytest.fixture
def cast():
    owner = OrganisationFactory(name="Bulk Owner")
    other = OrganisationFactory(name="Bulk Other", kind=OrganisationKind.DESIGN_BODY)
    return owner, other, UserFactory(), UserFactory()


def _doc(cast, n: int = 1, **triage) -> bulk.DocumentSpec:
    owner, _, author, triager = cast
    spec = None
    if triage:
        triage.setdefault("review_by", timezone.localdate() + dt.timedelta(days=90))
        spec = bulk.TriageSpec(by=triager, **triage)
    return bulk.DocumentSpec(owner=owner, created_by=author, title=f"Bulk {n}", body="Text",
                             triage=spec, publish=spec is not None)  # fmt: skip


def test_bulk_loads_documents_with_triage_restrictions_and_links(cast):
    owner, other, author, _ = cast
    sensitive = [{"category": "commercial", "finding": "Prices.", "mitigation": "restrict"}]
    refs = bulk.load_documents(
        documents=[
            _doc(cast, 1, outcome=Visibility.OPEN),
            _doc(cast, 2, outcome=Visibility.RESTRICTED, sensitivities=sensitive,
                 rationale="Commercial.", restricted_to=[other, owner]),
            _doc(cast, 3),
        ],
        batch_size=2,
    )  # fmt: skip
    assert len(refs) == 3
    restricted = Document.objects.get(pk=refs[1].pk)
    assert restricted.status == Status.PUBLISHED and restricted.visibility == "restricted"
    assert set(restricted.restrictions.values_list("organisation", flat=True)) == {
        owner.pk, other.pk}  # fmt: skip
    assert Document.objects.get(pk=refs[2].pk).status == Status.DRAFT
    assert bulk.load_links(
        links=[bulk.LinkSpec(source=refs[0], target=refs[1], relation="references",
                             created_by=author)]
    ) == 1  # fmt: skip
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions == ["item.created", "item.triaged", "item.published"] * 2 + [
        "item.created", "link.created"]  # fmt: skip
    assert audit.verify().ok


@pytest.mark.parametrize(
    "triage",
    [
        {"outcome": "secret"},  # not a visibility level
        {"outcome": Visibility.CLOSED, "sensitivities": [
            {"category": "legal", "finding": "Privileged.", "mitigation": "delay"}]},  # no rationale
        {"outcome": Visibility.RESTRICTED, "rationale": "Commercial.", "sensitivities": [
            {"category": "commercial", "finding": "Prices.", "mitigation": "restrict"}]},  # no org
        {"outcome": Visibility.OPEN, "review_by": dt.date(2020, 1, 1)},  # review in the past
    ],
)  # fmt: skip
def test_bulk_refuses_an_invalid_triage_and_writes_nothing(cast, triage):
    bulk.load_documents(documents=[_doc(cast, 0, outcome=Visibility.OPEN)])
    before = _counts()
    documents = [_doc(cast, 1, outcome=Visibility.OPEN), _doc(cast, 2), _doc(cast, 3, **triage)]
    with pytest.raises(ValidationError) as refused:
        bulk.load_documents(documents=documents, batch_size=1)  # the first two are written first
    assert "Document 3" in str(refused.value)
    assert _counts() == before
    assert audit.verify().ok


def test_bulk_refuses_publishing_an_untriaged_document(cast):
    owner, _, author, _ = cast
    before = _counts()
    spec = bulk.DocumentSpec(owner=owner, created_by=author, title="Untriaged", publish=True)
    with pytest.raises(ValidationError):
        bulk.load_documents(documents=[spec])
    assert _counts() == before


def test_bulk_refuses_bad_links_and_writes_nothing(cast):
    refs = bulk.load_documents(documents=[_doc(cast, 1), _doc(cast, 2)])
    author = cast[2]
    bulk.load_links(links=[bulk.LinkSpec(refs[0], refs[1], "references", author)])
    before = _counts()
    for bad in (
        [bulk.LinkSpec(refs[1], refs[0], "depends_on", author),
         bulk.LinkSpec(refs[0], refs[1], "references", author)],  # already linked
        [bulk.LinkSpec(refs[0], refs[0], "references", author)],  # to itself
        [bulk.LinkSpec(refs[0], refs[1], "likes", author)],  # not a relation
        [bulk.LinkSpec(refs[0], bulk.Ref(refs[1].pk, "zzzzzzzzzz"), "serves", author)],  # wrong uid
    ):  # fmt: skip
        with pytest.raises(ValidationError):
            bulk.load_links(links=bad)
        assert _counts() == before


# -- the verifier's fast path ---------------------------------------------------------------------


def test_fast_verify_builds_the_bytes_of_canonical_for_unusual_values():
    tricky = [
        {"title": "Énergie — ☃ 🌍", "z": 1, "a": [1.5, True, None, {"y": '"quoted"\\', "b": 2}]},
        {"text": "line\nbreak\ttab\u0001control\u2028sep"},
        {},
        {"n": -1, "big": 10**20, "nested": {"k": [[], {}]}},  # (jsonb turns -0.0 into 0.0)
    ]
    noon = dt.datetime(2026, 1, 1, 12, 0, 0, tzinfo=dt.UTC)  # no microseconds: stored shorter
    with transaction.atomic():
        audit.append_many((None, "test.event", "", data) for data in tricky)
        with mock.patch.object(audit.timezone, "now", return_value=noon):
            audit.append_many([(None, "test.noon", "abcdefghjk", {"ok": "yes"})])
    stored = audit._verify_stored(2)
    assert stored is not None and stored.ok and stored.checked == len(tricky) + 1
    assert audit.verify() == stored


def test_fast_verify_falls_back_to_the_seq_walk_on_any_mismatch(cast):
    bulk.load_documents(documents=[_doc(cast, n, outcome=Visibility.OPEN) for n in range(3)])
    AuditEvent.objects.filter(seq=4).update(action="item.forged")
    assert audit._verify_stored(5000) is None
    result = audit.verify()
    assert not result.ok and result.bad_seq == 4


PARALLEL_CHECK = """
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from orchestrator.core import audit
from orchestrator.demo.generate import generate

call_command("migrate", verbosity=0)
generate(scale="small", seed=1)
single = audit._verify_span(500)
audit.PARALLEL_MIN_EVENTS = 10
spans = audit._parallel_spans(500)
assert spans is not None and len(spans) >= 2 and all(spans), spans
assert sum(span.count for span in spans) == single.count
result = audit.verify()
assert result.ok and result.checked == single.count and result.last_hash == single.last_hash
with connection.cursor() as cursor:
    cursor.execute("UPDATE core_auditevent SET action = 'item.forged' WHERE seq = 900")
broken = audit.verify()
assert not broken.ok and broken.bad_seq == 900, broken
print("parallel ok", result.checked)
"""


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: verify runs in one process")
def test_parallel_verify_agrees_with_one_walk_and_still_finds_the_bad_event(tmp_path):
    # Forked workers need committed rows in a file, so this runs in a process of its own.
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'parallel.sqlite3'}",
           "DJANGO_SETTINGS_MODULE": "orchestrator.settings"}  # fmt: skip
    done = subprocess.run([sys.executable, "-c", PARALLEL_CHECK], env=env, capture_output=True,
                          text=True, timeout=300, cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert "parallel ok" in done.stdout
