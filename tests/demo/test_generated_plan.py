"""`generate` writes the plan — investments, milestones, the RAID log — valid by the models' own rules."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from orchestrator.core import audit, bulk
from orchestrator.core.models import AuditEvent, Item, SearchEntry, Status, Visibility
from orchestrator.demo.generate import SCALES, generate
from orchestrator.planning.models import (
    Assumption,
    Dependency,
    Feature,
    Investment,
    Issue,
    Milestone,
    Phase,
    Risk,
)

from ..factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

KINDS = (Investment, Milestone, Risk, Issue, Assumption, Dependency)


@pytest.fixture
def small(capsys):
    generate(scale="small", seed=11)
    return capsys.readouterr()


def test_small_creates_each_kind_of_the_plan_in_proportion(small):
    size = SCALES["small"]
    assert Investment.objects.count() == size.investments
    assert Milestone.objects.count() == size.milestones
    raid = {model: model.objects.count() for model in (Risk, Issue, Assumption, Dependency)}
    assert raid == {Risk: size.risks, Issue: size.issues, Assumption: size.assumptions,
                    Dependency: size.dependencies}  # fmt: skip
    assert set(Investment.objects.values_list("phase", flat=True)) == set(Phase.values)
    assert Feature.objects.filter(investment__isnull=False).count() >= 2 * size.investments
    assert "investments (" in small.out and "RAID entries" in small.out
    assert "milestones: 100/100" in small.err


def test_national_is_at_least_what_the_issue_asks_for():
    national = SCALES["national"]
    assert national.investments >= 2_000 and national.milestones >= 20_000
    assert national.risks + national.issues + national.assumptions + national.dependencies >= 30_000


def test_every_generated_plan_record_passes_its_models_invariants(small):
    for model in KINDS:
        for record in model.objects.all():
            record.full_clean()  # phase dates in order, dates not in the future, scores 1–5 …


def test_milestones_keep_to_their_dates_and_a_realistic_share_slip(small):
    today = timezone.localdate()
    milestones = list(Milestone.objects.select_related("for_investment"))
    assert not [m for m in milestones if m.actual_on and m.actual_on > today]
    for m in milestones:
        began = m.for_investment.phase_began(m.phase or Phase.DISCOVERY)
        for value in (m.forecast_on, m.actual_on):
            assert not (began and value and value < began), m.title
    reached = [m for m in milestones if m.actual_on]
    slipped = [m for m in milestones if m.slipped_days > 0]
    assert reached and len(reached) < len(milestones)  # some reached, some still to come
    assert 0.1 <= len(slipped) / len(milestones) <= 0.7
    assert any(m.forecast_on and m.forecast_on > m.planned_on > today for m in milestones)


def test_milestone_dependencies_make_no_cycle_and_some_cross_investments(small):
    through = Milestone.depends_on.through
    edges = list(through.objects.values_list("from_milestone_id", "to_milestone_id"))
    assert len(edges) >= Milestone.objects.count() // 2
    investment = dict(Milestone.objects.values_list("pk", "for_investment_id"))
    assert any(investment[a] != investment[b] for a, b in edges)
    assert any(investment[a] == investment[b] for a, b in edges)
    # A depth-first walk that meets a milestone still on its path has found a cycle.
    graph: dict[int, list[int]] = {}
    for a, b in edges:
        graph.setdefault(a, []).append(b)
    state: dict[int, str] = {}
    for start in graph:
        if start in state:
            continue
        stack = [(start, iter(graph.get(start, ())))]
        state[start] = "on path"
        while stack:
            node, rest = stack[-1]
            nxt = next(rest, None)
            if nxt is None:
                state[node] = "done"
                stack.pop()
            elif state.get(nxt) == "on path":
                pytest.fail(f"cycle through milestone {nxt}")
            elif nxt not in state:
                state[nxt] = "on path"
                stack.append((nxt, iter(graph.get(nxt, ()))))


def test_the_raid_log_has_scored_risks_foreseen_issues_and_external_dependencies(small):
    risks = Risk.objects.all()
    assert len(set(risks.values_list("likelihood", flat=True))) >= 3
    assert len(set(risks.values_list("impact", flat=True))) >= 3
    foreseen = Issue.objects.filter(foreseen_by__isnull=False).select_related("foreseen_by")
    assert foreseen.exists() and Issue.objects.filter(foreseen_by__isnull=True).exists()
    assert all(i.foreseen_by.identified_on <= i.occurred_on for i in foreseen)
    external = Dependency.objects.filter(external=True)
    assert external.exists() and not external.filter(on_organisation__isnull=True).exists()
    assert Dependency.objects.filter(external=False, on_organisation__isnull=True).exists()
    assert Risk.objects.filter(for_investment__isnull=False).exists()


@pytest.mark.parametrize("model", KINDS, ids=lambda m: m.KIND)
def test_each_kind_has_the_generators_visibility_and_triage_mix(small, model):
    records = Item.objects.filter(kind=model.KIND)
    published = set(records.filter(status=Status.PUBLISHED).values_list("visibility", flat=True))
    assert published == set(Visibility.values)
    assert records.filter(status=Status.DRAFT, current_triage__isnull=True).exists()
    assert records.filter(status=Status.DRAFT, current_triage__isnull=False).exists()
    anonymous = Item.objects.visible_to(None).filter(kind=model.KIND)
    assert 0 < anonymous.count() < records.count()


def test_the_plan_is_audited_as_its_services_record_it_and_the_chain_verifies(small):
    for model in KINDS:
        created = AuditEvent.objects.filter(action="item.created", data__kind=model.KIND)
        assert created.count() == model.objects.count()
    assert AuditEvent.objects.filter(action="feature.added").count() == Feature.objects.count()
    through = Milestone.depends_on.through
    added = AuditEvent.objects.filter(action="milestone.dependency_added")
    assert added.count() == through.objects.count()
    edge = through.objects.select_related("from_milestone", "to_milestone").first()
    event = added.get(item_uid=edge.from_milestone.uid, data__depends_on=edge.to_milestone.uid)
    assert event.actor.appointments.filter(role="portfolio_manager").exists()
    designated = Investment.objects.filter(designated_sdi=True)
    for investment in designated:
        assert investment.incoming_links.filter(source=investment.designated_by_id).exists()
    assert SearchEntry.objects.filter(item__kind=Risk.KIND).count() == Risk.objects.count()
    result = audit.verify()
    assert result.ok, result.reason


# -- the bulk loader, for records of any kind ------------------------------------------------------


@pytest.fixture
def cast():
    return OrganisationFactory(name="Plan Owner"), UserFactory()


def _investment(cast, **fields) -> bulk.RecordSpec:
    owner, author = cast
    today = timezone.localdate()
    values = {"phase": Phase.ALPHA, "discovery_began": today - dt.timedelta(days=200),
              "alpha_began": today - dt.timedelta(days=50), **fields}  # fmt: skip
    return bulk.RecordSpec(model=Investment, owner=owner, created_by=author, title="Grid hub",
                           fields=values)  # fmt: skip


def test_bulk_loads_records_of_a_kind_with_their_own_fields_and_rows(cast):
    [investment] = bulk.load_records(records=[_investment(cast, cost_low=10, cost_high=20,
                                                          cost_confidence="low")])  # fmt: skip
    assert Investment.objects.get(pk=investment.pk).alpha_began == investment.alpha_began
    owner, author = cast
    spec = bulk.RecordSpec(model=Milestone, owner=owner, created_by=author, title="Alpha ends",
                           fields={"for_investment": investment, "phase": Phase.ALPHA,
                                   "planned_on": timezone.localdate()})  # fmt: skip
    first, second = bulk.load_records(records=[spec, spec])
    through = Milestone.depends_on.through
    written = bulk.load_rows(
        rows=[through(from_milestone_id=second.pk, to_milestone_id=first.pk)],
        events=lambda row: [(author, "milestone.dependency_added", second.uid,
                             {"depends_on": first.uid})],
    )  # fmt: skip
    assert written == 1
    assert list(Milestone.objects.get(pk=second.pk).depends_on.all()) == [first]
    assert AuditEvent.objects.filter(action="item.created", data__kind="milestone").count() == 2
    assert audit.verify().ok


@pytest.mark.parametrize(
    "fields",
    [
        {"alpha_began": timezone.localdate() - dt.timedelta(days=300)},  # before discovery began
        {"phase": Phase.BETA},  # the current phase has no date
        {"cost_low": 20, "cost_high": 10, "cost_confidence": "low"},  # range upside down
        {"designated_sdi": True},  # with no decision named
        {"phase": "gamma"},  # not a phase
    ],
)
def test_bulk_refuses_a_record_its_model_refuses_and_writes_nothing(cast, fields):
    before = (Item.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as refused:
        bulk.load_records(records=[_investment(cast), _investment(cast, **fields)], batch_size=1)
    assert "Investment 2" in str(refused.value)
    assert (Item.objects.count(), AuditEvent.objects.count()) == before


def test_bulk_refuses_a_milestone_reached_in_the_future_or_of_an_unsaved_investment(cast):
    owner, author = cast
    [investment] = bulk.load_records(records=[_investment(cast)])
    future = timezone.localdate() + dt.timedelta(days=3)
    for fields in (
        {"for_investment": investment, "planned_on": future, "actual_on": future},
        {"for_investment": Investment(title="Unsaved"), "planned_on": future},
    ):
        spec = bulk.RecordSpec(model=Milestone, owner=owner, created_by=author, title="M",
                               fields=fields)  # fmt: skip
        with pytest.raises(ValidationError):
            bulk.load_records(records=[spec])
    assert not Milestone.objects.exists()


def test_bulk_refuses_an_invalid_row_and_writes_nothing(cast):
    [investment] = bulk.load_records(records=[_investment(cast)])
    before = AuditEvent.objects.count()
    rows = [Feature(investment=investment, name="Fine", target_date=timezone.localdate()),
            Feature(investment=investment, name="", target_date=timezone.localdate())]  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        bulk.load_rows(rows=rows, events=lambda f: [(None, "feature.added", investment.uid, {})])
    assert "Feature 2" in str(refused.value)
    assert not Feature.objects.exists() and AuditEvent.objects.count() == before
