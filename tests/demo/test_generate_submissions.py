"""`generate` writes the engagement channel: submissions raised by people outside the Orchestrator,
in every state, resolved by Research & Engagement as the services would, and audited."""

from __future__ import annotations

import collections
import html

import pytest

from orchestrator.core import audit
from orchestrator.core.models import AuditEvent, Link, Relation, Status, Visibility
from orchestrator.demo.generate import SCALES, generate
from orchestrator.engagement import selectors, services
from orchestrator.engagement.models import Category, State, Submission
from orchestrator.people.models import STAFF_ROLES, Appointment, Role

from ..conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def small(capsys):
    generate(scale="small", seed=23)
    return capsys.readouterr()


def test_national_has_at_least_fifty_thousand_submissions_and_small_a_few_hundred():
    assert SCALES["national"].submissions >= 50_000
    assert 100 <= SCALES["small"].submissions <= 1_000


def test_submissions_come_from_outside_in_every_category_and_state(small):
    submissions = Submission.objects.select_related("owner", "created_by")
    total = submissions.count()
    assert total == SCALES["small"].submissions
    states = collections.Counter(submissions.values_list("state", flat=True))
    assert set(states) == set(State.values)
    assert 0.05 * total < states[State.RECEIVED] < 0.25 * total  # most are resolved
    assert set(submissions.values_list("category", flat=True)) == set(Category.values)
    # Held by Research & Engagement; raised by people who hold no staff role.
    assert {s.owner for s in submissions} == {selectors.engagement_owner()}
    raisers = {s.created_by for s in submissions}
    assert not any(a.role in STAFF_ROLES for u in raisers for a in u.appointments.all()), (
        "a submission raised by the Orchestrator's own staff"
    )
    assert "submissions: 400 (" in small.out and "waiting for Research & Engagement" in small.out


def test_each_submission_is_where_the_services_would_leave_it(small):
    triagers = {a.user_id for a in _appointments(Role.RESEARCH_ENGAGEMENT)}
    links = {(s, t, r) for s, t, r in Link.objects.values_list("source", "target", "relation")}
    for submission in Submission.objects.select_related("current_triage", "merged_into"):
        if submission.about_id:  # what it names, its author could see
            about = submission.about
            assert about.status == Status.PUBLISHED and about.visibility == Visibility.OPEN
        if submission.state == State.RECEIVED:
            assert submission.status == Status.DRAFT and submission.current_triage is None
            assert submission.decided_by_id is None and not submission.answer
            continue
        assert submission.status == Status.PUBLISHED and submission.decided_by_id in triagers
        assert submission.current_triage.by_id == submission.decided_by_id
        if submission.state == State.ACCEPTED:
            target = submission.about_id or next(
                t for s, t, r in links if s == submission.pk and r == Relation.AFFECTS
            )
            assert (submission.pk, target, Relation.AFFECTS) in links
        if submission.state == State.ANSWERED:
            assert submission.answer
        if submission.state == State.DECLINED:
            assert submission.decline_reason
        if submission.state == State.MERGED:
            root = submission.merged_into
            assert root is not None and root.state != State.MERGED
            assert (submission.pk, root.pk, Relation.DUPLICATES) in links
        else:
            assert submission.merged_into_id is None
        submission.full_clean()


def _appointments(role: str):
    return Appointment.objects.filter(role=role)


def test_the_queue_and_the_public_see_what_they_should(small):
    triager = _appointments(Role.RESEARCH_ENGAGEMENT).first().user
    waiting = Submission.objects.filter(state=State.RECEIVED)
    assert set(selectors.triage_queue(triager)) == set(waiting)
    # Waiting submissions are seen only by their authors and Research & Engagement.
    public = set(Submission.objects.visible_to(None).values_list("pk", flat=True))
    assert not public & set(waiting.values_list("pk", flat=True))
    author = waiting.first().created_by
    assert waiting.first() in selectors.submissions_of(author)
    # Personal data is redacted for the public; a few are shared with registered users only.
    resolved = Submission.objects.exclude(state=State.RECEIVED).select_related("current_triage")
    redacted = [
        s
        for s in resolved
        if "body" in s.current_triage.redacted_fields and s.visibility == Visibility.OPEN
    ]
    assert 0 < len(redacted) < len(resolved) / 4
    page = client_for(None).get(redacted[0].get_absolute_url())
    shown = html.unescape(page.content.decode())
    assert page.status_code == 200 and redacted[0].body not in shown
    assert "The body of this record is redacted under its triage." in shown
    assert Submission.objects.filter(visibility=Visibility.REGISTERED).exists()
    assert client_for(triager).get("/engagement/queue").status_code == 200


def test_a_waiting_submission_can_be_resolved_by_the_service(small):
    triager = _appointments(Role.RESEARCH_ENGAGEMENT).first().user
    waiting = Submission.objects.filter(state=State.RECEIVED).first()
    resolved = services.resolve_submission(
        actor=triager, submission=waiting, decision="answer", answer="Thank you."
    )
    assert resolved.state == State.ANSWERED and resolved.status == Status.PUBLISHED


def test_submissions_are_audited_as_the_services_record_them_and_the_chain_verifies(small):
    events = collections.defaultdict(list)
    for e in (
        AuditEvent.objects.filter(item_uid__in=Submission.objects.values("uid"))
        .select_related("actor")
        .order_by("seq")
    ):
        events[e.item_uid].append(e)
    for submission in Submission.objects.all():
        mine = events[submission.uid]
        actions = [e.action for e in mine]
        raised = mine[actions.index("submission.raised")]
        assert raised.actor_id == submission.created_by_id
        assert raised.data == {
            "category": submission.category,
            "about": submission.about.uid if submission.about_id else "",
        }
        # Created and raised, as `raise_submission` records them, before anything else.
        assert actions[:2] == ["item.created", "submission.raised"]
        if submission.state == State.RECEIVED:
            assert actions == ["item.created", "submission.raised"]
            continue
        linked = ["link.created"] if submission.state in (State.ACCEPTED, State.MERGED) else []
        assert actions[2:] == [
            "item.triaged",
            "item.published",
            *linked,
            f"submission.{submission.state}",
        ]
        resolved = mine[-1]
        assert resolved.actor_id == submission.decided_by_id
        assert resolved.data["state"] == submission.state
        assert ("concerns" in resolved.data) == bool(linked)
    result = audit.verify()
    assert result.ok, result
