"""Decision making on the web: the schedule and its filters, scheduling a decision, each step of its
process through its form (and each refusal shown on it, with nothing written), the queue of
consultation responses, and what a decision's page shows to whom."""

from __future__ import annotations

import datetime as dt
import re
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from orchestrator.core.models import AuditEvent, Link, Relation
from orchestrator.decisions import services
from orchestrator.decisions.models import (
    BoardOpinion,
    ConsultationResponse,
    Decision,
    Evidence,
    Recommendation,
    ResponseState,
    Stage,
)
from orchestrator.people import forms as people_forms
from orchestrator.planning import services as planning

from ..conftest import client_for
from ..factories import document, publish
from .conftest import advised, scheduled

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


def get(user, url: str, **params):
    return client_for(user).get(url, params)


def post(user, url: str, data=None):
    return client_for(user).post(url, data or {})


def html(response) -> str:
    return response.content.decode()


def text(response) -> str:
    """The page's words, without its markup, so a phrase split by a tag is still found."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html(response))).replace("&#x27;", "'")


def refresh(decision: Decision) -> Decision:
    return Decision.objects.get(pk=decision.pk)


def step_url(decision, step: str) -> str:
    return f"/k/{decision.uid}/{step}"


def gathering(c, **kwargs) -> Decision:
    decision = scheduled(c, **kwargs)
    services.start_gathering_evidence(actor=c.owner, decision=decision)
    return refresh(decision)


def asked(c, **kwargs) -> Decision:
    decision = gathering(c, **kwargs)
    services.add_evidence(
        actor=c.architect, decision=decision, description="Study", url="https://example.org/s"
    )
    services.request_advice(actor=c.owner, decision=decision)
    return refresh(decision)


def investment(c):
    organisation = c.portfolio.appointments.get().organisation
    return planning.create_investment(
        actor=c.portfolio,
        owner=organisation,
        title="Data Sharing Infrastructure",
        summary="Shared data sharing.",
        purpose="Let the sector share data safely.",
        capabilities="Trust framework; identity.",
        phase_dates={"discovery": TODAY - 100 * DAY},
    )


def decided(c, *, option: str = "A", **kwargs) -> Decision:
    decision = advised(c, **kwargs)
    services.decide(
        decision=decision,
        actor=c.owner,
        outcome=decision.options.get(label=option),
        rationale="The evidence favours it.",
        departure="" if option == "A" else "Resilience matters more than cost.",
    )
    return refresh(decision)


# --- The schedule ---------------------------------------------------------------------------


def _between(page: str, start: str, end: str | None = None) -> str:
    part = page.split(start, 1)[1]
    return part.split(end, 1)[0] if end else part


def test_the_schedule_lists_upcoming_decisions_by_date_and_past_ones_separately(council):
    c = council
    later = scheduled(c, title="Later decision", scheduled_on=TODAY + 40 * DAY)
    sooner = scheduled(c, title="Sooner decision", scheduled_on=TODAY + 10 * DAY)
    put_off = scheduled(c, title="Put-off decision", scheduled_on=TODAY + 5 * DAY)
    services.defer(actor=c.owner, decision=put_off, until=TODAY + 60 * DAY, reason="Ofgem first.")
    taken = decided(c, title="Taken decision", option="B")
    dropped = scheduled(c, title="Dropped decision")
    services.withdraw(actor=c.owner, decision=dropped, reason="Overtaken.")
    page = html(get(c.owner, "/decisions"))
    upcoming = _between(page, 'id="upcoming"', 'id="past"')
    past = _between(page, 'id="past"')
    positions = [
        upcoming.index(t) for t in ("Sooner decision", "Later decision", "Put-off decision")
    ]
    assert positions == sorted(positions)
    assert "Deferred" in _between(upcoming, "Put-off decision") and "First planned for" in upcoming
    assert "Taken decision" in past and "Dropped decision" in past
    assert past.index("Taken decision") < past.index("Dropped decision")
    assert "Taken decision" not in upcoming and "Later decision" not in past
    assert "Departs from advice" in _between(past, "Taken decision", "Dropped decision")
    # Drafts are the staff's: the public see a decision once it is published.
    anonymous = html(get(None, "/decisions"))
    assert "Sooner decision" not in anonymous
    publish(sooner, by=c.triager)
    anonymous = html(get(None, "/decisions"))
    assert "Sooner decision" in anonymous and "Later decision" not in anonymous
    assert later.uid in page and taken.uid in page


def test_the_schedule_filters_by_stage_and_type_and_names_a_bad_filter(council):
    c = council
    scheduled(c, title="A design decision", decision_type="design")
    scheduled(c, title="A delivery decision", decision_type="delivery_approach")
    deferred = scheduled(c, title="A deferred decision", decision_type="design")
    services.defer(actor=c.owner, decision=deferred, until=TODAY + 90 * DAY, reason="Later.")
    page = html(get(c.owner, "/decisions", type="design"))
    assert "A design decision" in page and "A deferred decision" in page
    assert "A delivery decision" not in page
    page = html(get(c.owner, "/decisions", stage="deferred"))
    assert "A deferred decision" in page and "A design decision" not in page
    # A bad stage is named, and the type still applies.
    bad = get(c.owner, "/decisions", stage="nonsense", type="delivery_approach")
    assert bad.status_code == 400
    assert "The stage filter must be one of" in html(bad)
    assert "A delivery decision" in html(bad) and "A design decision" not in html(bad)
    bad = get(c.owner, "/decisions", type="sideways")
    assert bad.status_code == 400 and "The type filter must be one of" in html(bad)
    for nonsense in ("\x00", "a" * 3000, "²", "'; select 1"):
        for name in ("stage", "type"):
            assert get(c.owner, "/decisions", **{name: nonsense}).status_code == 400
        for name in ("page", "past_page"):
            assert get(c.owner, "/decisions", **{name: nonsense}).status_code == 200
    assert get(c.owner, "/decisions", page="999", past_page="-1").status_code == 200


def test_the_schedules_two_lists_page_apart_keeping_the_filter_and_each_others_place(council):
    c = council
    for n in range(26):
        scheduled(c, title=f"Design decision {n:02}", decision_type="design",
                  scheduled_on=TODAY + (n + 1) * DAY)  # fmt: skip
    page = html(get(c.owner, "/decisions", type="design"))
    assert 'aria-label="Pages of upcoming decisions"' in page
    assert "Pages of past decisions" not in page  # one page of them: no pages to go to
    # The next page of upcoming decisions keeps the filter, and comes back to the upcoming list.
    assert 'href="?type=design&amp;page=2#upcoming" rel="next"' in page
    second = html(get(c.owner, "/decisions", type="design", page="2"))
    assert "Design decision 25" in second and "Design decision 00" not in second
    assert 'href="?type=design&amp;page=1#upcoming" rel="prev"' in second


def test_the_schedule_offers_its_calendar_and_scheduling_to_those_who_schedule(council):
    c = council
    owner = html(get(c.owner, "/decisions"))
    assert 'href="/decisions.ics"' in owner and "Schedule a decision" in owner
    for user in (None, c.registered, c.advisor):
        page = html(get(user, "/decisions"))
        assert 'href="/decisions.ics"' in page and "Schedule a decision" not in page


def test_the_schedule_is_paginated_and_keeps_a_fixed_number_of_queries(
    council, django_assert_max_num_queries
):
    c = council
    scheduled(c, title="Decision 0")
    decided(c, title="Decided 0")
    client = client_for(c.owner)
    client.get("/decisions")  # the session, once
    with CaptureQueriesContext(connection) as few:
        assert client.get("/decisions").status_code == 200
    for n in range(1, 27):
        scheduled(c, title=f"Decision {n}", scheduled_on=TODAY + n * DAY)
    for n in range(1, 3):
        decided(c, title=f"Decided {n}")
    with django_assert_max_num_queries(len(few)):
        page = client.get("/decisions")
    assert page.status_code == 200 and "Page 1 of 2" in html(page)
    second = html(client.get("/decisions", {"page": 2}))
    assert "Decision 0" in second or "Decision 26" in second
    assert "Decided 0" in second  # the past list is still on its first page


# --- Scheduling a decision ------------------------------------------------------------------


def schedule_data(**overrides) -> dict:
    data = {
        "title": "Identity for the Data Sharing Infrastructure",
        "summary": "Which identity scheme the DSI uses.",
        "question": "Which identity scheme should the Data Sharing Infrastructure use?",
        "context": "Participants need to know who they share data with.",
        "decision_type": "design",
        "scheduled_on": (TODAY + 30 * DAY).isoformat(),
        "affects": "",
    }
    for letter, title in (("a", "Federated identity"), ("b", "A central register")):
        data.update(
            {
                f"option_{letter}_title": title,
                f"option_{letter}_description": f"{title}, described.",
                f"option_{letter}_benefits": "Some",
                f"option_{letter}_costs": "Some",
                f"option_{letter}_risks": "Some",
            }
        )
    data.update(overrides)
    return data


def test_scheduling_a_decision_through_the_page(council):
    c = council
    assert get(None, "/decisions/new").status_code == 302
    assert get(c.registered, "/decisions/new").status_code == 403
    assert get(c.owner, "/decisions/new").status_code == 200
    target = investment(c)
    response = post(
        c.portfolio,
        "/decisions/new",
        schedule_data(affects=f"{target.uid}, ", concerns=[c.vendor.slug]),
    )
    assert response.status_code == 302
    decision = Decision.objects.get(title="Identity for the Data Sharing Infrastructure")
    assert response["Location"] == decision.get_absolute_url()
    assert decision.stage == Stage.PLANNED and decision.decision_type == "design"
    assert decision.scheduled_on == TODAY + 30 * DAY
    assert [o.title for o in decision.options.all()] == ["Federated identity", "A central register"]
    assert list(decision.concerns.all()) == [c.vendor]
    assert Link.objects.filter(source=decision, target=target, relation=Relation.AFFECTS).exists()
    # The page shows it, and the advisor who declared an interest in the vendor withdraws.
    page = text(get(c.owner, decision.get_absolute_url()))
    assert "Colin Conflicted declared an interest in Identity Vendor Ltd and withdraws" in page
    assert "Data Sharing Infrastructure (investment)" in page


@pytest.fixture
def many_organisations(monkeypatch):
    """As across the sector: too many organisations to tick in a list, so they are named."""
    monkeypatch.setattr(people_forms, "ORGANISATIONS_AS_CHECKBOXES", 3)


def test_with_many_organisations_those_it_concerns_are_named(council, many_organisations):
    c = council
    form = html(get(c.owner, "/decisions/new"))
    assert '<textarea name="concerns"' in form and 'type="checkbox" name="concerns"' not in form
    # By full name in any case, or by short name; said twice is once.
    named = f"identity vendor ltd\n  {c.board_org.slug}  \n\nIdentity Vendor Ltd\n"
    assert post(c.owner, "/decisions/new", schedule_data(concerns=named)).status_code == 302
    decision = Decision.objects.get()
    assert set(decision.concerns.all()) == {c.vendor, c.board_org}
    page = text(get(c.owner, decision.get_absolute_url()))
    assert "Colin Conflicted declared an interest in Identity Vendor Ltd and withdraws" in page


def test_an_organisation_named_that_does_not_exist_is_refused_by_name(council, many_organisations):
    c = council
    named = "Identity Vendor Ltd\nNo Such Energy plc\nGhost Networks"
    response = post(c.owner, "/decisions/new", schedule_data(concerns=named))
    assert response.status_code == 400
    page = html(response)
    assert 'id="id_concerns_1_error"' in page
    assert "No organisation is called “No Such Energy plc”, “Ghost Networks”" in page
    assert "No Such Energy plc\nGhost Networks</textarea>" in page  # kept as typed
    assert not Decision.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"option_b_title": ""}, "option_b_title", "Give option B a title."),
        ({"option_a_risks": ""}, "option_a_risks", "Give option A's risks."),
        ({"option_c_title": "A third way"}, "option_c_benefits", "leave all of option C empty"),
        ({"question": ""}, "question", "Write the question to be decided."),
        ({"scheduled_on": "31/2/2027"}, "scheduled_on", "Give a real date"),
        ({"decision_type": "sideways"}, "decision_type", "Choose the type of decision"),
        ({"affects": "NOSUCHTHING"}, "affects", "No record you can see has that identifier"),
        ({"concerns": ["no-such-org"]}, "concerns", "Choose organisations from the list."),
        ({"title": "x\x00y"}, "title", "Null characters are not allowed."),
    ],
)
def test_a_decision_that_cannot_be_scheduled_says_why_and_keeps_what_was_typed(
    council, overrides, field, message
):
    response = post(council.owner, "/decisions/new", schedule_data(**overrides))
    assert response.status_code == 400
    page = html(response).replace("&#x27;", "'")
    assert message in page
    # The message is against the field it is about, and what was typed is still there.
    assert f'id="id_{field}_1_error"' in page
    kept = "Federated identity, described." if field == "question" else "Which identity scheme"
    assert kept in page
    assert not Decision.objects.exists()


def test_a_record_a_decision_cannot_affect_is_refused_by_the_service(council):
    c = council
    note = document(author=c.owner, owner=c.product, title="A note")
    response = post(c.owner, "/decisions/new", schedule_data(affects=note.uid))
    assert response.status_code == 400 and "not a document" in html(response)
    assert not Decision.objects.exists()


# --- Options, evidence and what it affects ---------------------------------------------------


def option_data(**overrides) -> dict:
    return {
        "title": "Do nothing",
        "description": "Leave it to the market.",
        "benefits": "No cost",
        "costs": "None",
        "risks": "Fragmentation",
        **overrides,
    }


def test_adding_an_option_while_evidence_is_gathered(council):
    c = council
    decision = gathering(c)
    url = step_url(decision, "options/new")
    assert post(c.architect, url, option_data()).status_code == 302
    assert decision.options.get(label="C").title == "Do nothing"
    empty = post(c.architect, url, option_data(title=""))
    assert empty.status_code == 400 and "Give the option a title." in html(empty)
    assert decision.options.count() == 3
    assert post(c.advisor, url, option_data()).status_code == 403
    services.add_evidence(
        actor=c.architect, decision=decision, description="S", url="https://example.org/x"
    )
    services.request_advice(actor=c.owner, decision=decision)
    # Once advice is asked for, the options are fixed: the page says so at once.
    refused = get(c.architect, url)
    assert refused.status_code == 409 and "advice requested, so you cannot add an option" in html(
        refused
    )
    late = post(c.architect, url, option_data(title="Too late"))
    assert late.status_code == 409 and "Too late" in html(late)
    assert decision.options.count() == 3


def test_attaching_evidence_as_a_link_or_a_record(council):
    c = council
    decision = gathering(c)
    url = step_url(decision, "evidence/new")
    study = publish(document(author=c.architect, owner=c.product, title="Study"), by=c.triager)
    both = post(
        c.architect,
        url,
        {"description": "Both", "url": "https://example.org/a", "record": study.uid},
    )
    assert both.status_code == 400 and "not both or neither" in html(both)
    missing = post(c.architect, url, {"description": "Gone", "record": "ZZZZZZZZZZ"})
    assert missing.status_code == 400
    assert "No record you can see has that identifier" in html(missing)
    bad_url = post(c.architect, url, {"description": "Bad", "url": "ftp://example.org"})
    assert bad_url.status_code == 400 and "full web address" in html(bad_url)
    assert not Evidence.objects.exists()
    assert (
        post(c.architect, url, {"description": "Options study", "record": study.uid}).status_code
        == 302
    )
    assert (
        post(
            c.architect, url, {"description": "Cost model", "url": "https://example.org/costs"}
        ).status_code
        == 302
    )
    page = html(get(c.owner, decision.get_absolute_url()))
    assert 'href="https://example.org/costs"' in page and study.get_absolute_url() in page


def test_saying_what_a_decision_affects(council):
    c = council
    decision = scheduled(c)
    url = step_url(decision, "affects")
    note = document(author=c.owner, owner=c.product, title="A note")
    wrong = post(c.owner, url, {"affects": note.uid})
    assert wrong.status_code == 400 and "not a document" in html(wrong)
    missing = post(c.owner, url, {"affects": "x\x00"})
    assert missing.status_code == 400
    target = investment(c)
    assert post(c.owner, url, {"affects": target.uid}).status_code == 302
    assert Link.objects.filter(source=decision, target=target, relation=Relation.AFFECTS).exists()
    assert Link.objects.filter(source=decision, relation=Relation.AFFECTS).count() == 1


# --- Moving through the process --------------------------------------------------------------


def test_the_process_moves_through_their_pages(council):
    c = council
    decision = scheduled(c)
    assert post(c.owner, step_url(decision, "process/gather"), {"comment": ""}).status_code == 302
    assert refresh(decision).stage == Stage.GATHERING_EVIDENCE
    # Advice needs evidence first: the service's reason is shown, with the comment kept.
    url = step_url(decision, "process/request-advice")
    refused = post(c.owner, url, {"comment": "One option, with reasons."})
    assert refused.status_code == 409
    assert "Attach the evidence first" in html(refused)
    assert "One option, with reasons." in html(refused)
    assert refresh(decision).stage == Stage.GATHERING_EVIDENCE
    services.add_evidence(
        actor=c.architect, decision=decision, description="S", url="https://example.org/s"
    )
    assert post(c.owner, url, {"comment": "One option, with reasons."}).status_code == 302
    assert refresh(decision).stage == Stage.ADVICE_REQUESTED
    assert refresh(decision).steps.last().comment == "One option, with reasons."
    # The advisors read what they were asked on the decision's page.
    publish(refresh(decision), by=c.triager)
    page = html(client_for(c.advisor).get(f"/k/{decision.uid}"))
    assert "What the Product Team asked them" in page and "One option, with reasons." in page


def test_deferring_resuming_and_withdrawing(council):
    c = council
    decision = gathering(c)
    defer = step_url(decision, "process/defer")
    past = post(c.portfolio, defer, {"until": TODAY.isoformat(), "reason": "Waiting for Ofgem."})
    assert past.status_code == 400 and "must be in the future" in html(past)
    assert "Waiting for Ofgem." in html(past)
    assert refresh(decision).stage == Stage.GATHERING_EVIDENCE
    later = TODAY + 90 * DAY
    assert (
        post(c.portfolio, defer, {"until": later.isoformat(), "reason": "Ofgem first."}).status_code
        == 302
    )
    decision = refresh(decision)
    assert decision.stage == Stage.DEFERRED and decision.scheduled_on == later
    page = text(get(c.owner, decision.get_absolute_url()))
    assert "Ofgem first." in page and "first planned for" in page
    # Resuming is for a deferred decision only: the other moves say why not at once.
    refused = get(c.owner, step_url(decision, "process/gather"))
    assert refused.status_code == 409 and "is deferred, so you cannot" in html(refused)
    # The way on from a refusal is back to the decision being worked on.
    assert f'href="{decision.get_absolute_url()}">Back to “{decision.title}”' in html(refused)
    assert post(c.owner, step_url(decision, "process/resume")).status_code == 302
    assert refresh(decision).stage == Stage.GATHERING_EVIDENCE
    withdraw = step_url(decision, "process/withdraw")
    assert post(c.portfolio, withdraw, {"reason": "Mine."}).status_code == 403
    empty = post(c.owner, withdraw, {"reason": ""})
    assert empty.status_code == 400 and "Say why the decision is withdrawn." in html(empty)
    assert post(c.owner, withdraw, {"reason": "Overtaken by events."}).status_code == 302
    decision = refresh(decision)
    assert decision.stage == Stage.WITHDRAWN
    assert "Overtaken by events." in text(get(c.owner, decision.get_absolute_url()))
    assert get(c.owner, step_url(decision, "process/nonsense")).status_code == 404


# --- Advice ----------------------------------------------------------------------------------


def test_an_advisor_recommends_and_the_chair_consolidates(council):
    c = council
    decision = asked(c)
    a, b = decision.options.get(label="A"), decision.options.get(label="B")
    form = get(c.advisor, step_url(decision, "recommend"))
    assert form.status_code == 200 and "Option B: Operated service" in html(form)
    assert (
        post(
            c.advisor, step_url(decision, "recommend"), {"option": b.pk, "reasoning": "Resilience."}
        ).status_code
        == 302
    )
    assert Recommendation.objects.get(advisor=c.advisor).option == b
    again = post(c.advisor, step_url(decision, "recommend"), {"option": a.pk, "reasoning": "Hm."})
    assert again.status_code == 409 and "already recorded your recommendation" in html(again)
    assert (
        post(
            c.chair, step_url(decision, "consolidate"), {"option": b.pk, "reasoning": "We agree."}
        ).status_code
        == 302
    )
    decision = refresh(decision)
    assert decision.stage == Stage.ADVISED
    page = text(get(c.owner, decision.get_absolute_url()))
    assert "Their consolidated recommendation: option B, Operated service" in page
    assert "Ada Advisor recommended option B, Operated service: Resilience." in page
    assert "Recommended by the advisors" in page


def test_a_recommendation_by_someone_who_is_not_an_advisor_is_forbidden(council):
    c = council
    decision = asked(c)
    b = decision.options.get(label="B")
    for user in (c.architect, c.owner):
        assert get(user, step_url(decision, "recommend")).status_code == 403
        refused = post(user, step_url(decision, "recommend"), {"option": b.pk, "reasoning": "B."})
        assert refused.status_code == 403
        assert "Only an appointed Independent Technical Advisor" in html(refused)
    assert (
        post(
            c.advisor, step_url(decision, "consolidate"), {"option": b.pk, "reasoning": "B"}
        ).status_code
        == 403
    )
    assert not Recommendation.objects.exists()


def test_the_conflicted_advisor_is_refused_with_the_reason(council):
    c = council
    decision = asked(c)
    b = decision.options.get(label="B")
    url = step_url(decision, "recommend")
    at_once = get(c.conflicted, url)
    assert at_once.status_code == 403 and "Identity Vendor Ltd" in html(at_once)
    refused = post(c.conflicted, url, {"option": b.pk, "reasoning": "My considered view."})
    assert refused.status_code == 403
    assert "You declared an interest in Identity Vendor Ltd" in html(refused)
    assert "My considered view." in html(refused)
    assert not Recommendation.objects.exists()
    page = html(get(c.conflicted, decision.get_absolute_url()))
    assert "you withdraw from advising on it" in page and "Recommend an option" not in page


# --- Consultation ------------------------------------------------------------------------------


def local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_opening_a_consultation_through_its_page(council):
    c = council
    decision = advised(c)
    url = step_url(decision, "consultation")
    assert get(c.owner, url).status_code == 403
    start = (timezone.now() + DAY).replace(second=0, microsecond=0)
    backwards = post(c.triager, url, {"opens": local(start), "closes": local(start - DAY)})
    assert backwards.status_code == 400
    assert "The consultation must close after it opens." in html(backwards)
    assert refresh(decision).stage == Stage.ADVISED
    nonsense = post(c.triager, url, {"opens": "soon", "closes": local(start)})
    assert nonsense.status_code == 400 and "Give a real date and time" in html(nonsense)
    done = post(c.triager, url, {"opens": local(start), "closes": local(start + 14 * DAY)})
    assert done.status_code == 302
    decision = refresh(decision)
    assert decision.stage == Stage.CONSULTATION
    # Typed as UK time: the stored moment is that time in London.
    assert timezone.localtime(decision.consultation_opens).strftime("%Y-%m-%dT%H:%M") == local(
        start
    )


def consulting(c) -> tuple[Decision, dt.datetime, dt.datetime]:
    decision = advised(c)
    publish(decision, by=c.triager)
    now = timezone.now()
    opens, closes = now + dt.timedelta(hours=1), now + dt.timedelta(days=14)
    services.open_consultation(actor=c.triager, decision=decision, opens=opens, closes=closes)
    return refresh(decision), opens, closes


def at(moment: dt.datetime):
    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_a_response_is_taken_only_while_the_consultation_is_open(council):
    c = council
    decision, opens, closes = consulting(c)
    url = step_url(decision, "respond")
    answer = {"response": "Option B, please.", "consent_to_publish": "on"}
    with at(opens - dt.timedelta(microseconds=1)):
        early = post(c.registered, url, answer)
        assert get(c.registered, url).status_code == 409
    assert early.status_code == 409 and "The consultation opens on" in html(early)
    with at(opens):
        assert post(c.registered, url, answer).status_code == 302
    with at(closes - dt.timedelta(microseconds=1)):
        assert post(c.outsider, url, {"response": "Keep it out of it."}).status_code == 302
    with at(closes):
        late = post(c.registered, url, {"response": "Late thoughts.", "consent_to_publish": "on"})
        at_once = get(c.registered, url)
    assert late.status_code == 409
    assert "responses are no longer accepted" in html(late) and "Late thoughts." in html(late)
    assert at_once.status_code == 409 and "responses are no longer accepted" in html(at_once)
    assert ConsultationResponse.objects.count() == 2
    assert post(None, url, answer).status_code == 302  # to sign in
    assert ConsultationResponse.objects.count() == 2


def test_responses_are_triaged_from_the_queue_and_published_without_personal_data(council):
    c = council
    decision, opens, closes = consulting(c)
    url = step_url(decision, "respond")
    with at(opens):
        post(
            c.registered,
            url,
            {"response": "Rob Registered of Leeds says B.", "consent_to_publish": "on"},
        )
        post(c.outsider, url, {"response": "Do not publish me."})
    first, second = ConsultationResponse.objects.order_by("pk")
    assert get(c.registered, "/decisions/responses").status_code == 403
    assert get(c.owner, "/decisions/responses").status_code == 403
    queue = html(get(c.triager, "/decisions/responses"))
    assert queue.index(first.uid) < queue.index(second.uid)
    triage = step_url(first, "triage-response")
    form = html(get(c.triager, triage))
    assert "Rob Registered of Leeds says B." in form  # prefilled
    no_consent = post(
        c.triager, step_url(second, "triage-response"), {"publish": "yes", "personal_data": "no"}
    )
    assert no_consent.status_code == 400 and "did not consent" in html(no_consent)
    assert (
        post(
            c.triager,
            triage,
            {"publish": "yes", "personal_data": "yes", "published_text": "A respondent says B."},
        ).status_code
        == 302
    )
    assert (
        post(
            c.triager,
            step_url(second, "triage-response"),
            {"publish": "no", "personal_data": "no", "reason": "No consent."},
        ).status_code
        == 302
    )
    assert ConsultationResponse.objects.get(pk=second.pk).state == ResponseState.WITHHELD
    already = get(c.triager, triage)
    assert already.status_code == 409 and "already triaged: published" in html(already)
    assert f'href="{first.get_absolute_url()}"' in html(already)
    public = html(get(None, decision.get_absolute_url()))
    assert "A respondent says B." in public and "Rob Registered of Leeds" not in public
    assert "Do not publish me." not in public
    assert "Rob Registered of Leeds" not in html(get(None, first.get_absolute_url()))
    # The summary waits for the close, then is published.
    summary = step_url(decision, "feedback-summary")
    early = get(c.triager, summary)
    assert early.status_code == 409 and "open until" in html(early)
    with at(closes):
        assert post(c.triager, summary, {"summary": "One for B; one withheld."}).status_code == 302
    assert "One for B; one withheld." in html(get(None, decision.get_absolute_url()))


# --- Deciding ----------------------------------------------------------------------------------


def test_deciding_through_the_page(council):
    c = council
    decision = advised(c)
    a = decision.options.get(label="A")
    url = step_url(decision, "decide")
    form = html(get(c.owner, url))
    assert (
        "recommended option A" in form and "The advisors&#x27; consolidated recommendation" in form
    )
    assert post(c.portfolio, url, {"outcome": a.pk, "rationale": "A."}).status_code == 403
    done = post(c.owner, url, {"outcome": a.pk, "rationale": "Cheapest.", "consequences": "Go."})
    assert done.status_code == 302
    decision = refresh(decision)
    assert decision.stage == Stage.DECIDED and decision.chosen == a
    assert not decision.departs_from_advice
    page = text(get(c.owner, decision.get_absolute_url()))
    assert "Cheapest." in page and "Priya Product" in page and "Chosen" in page
    assert "This decision departs" not in page
    # Once taken, the page says so rather than offer the form.
    again = get(c.owner, url)
    assert again.status_code == 409 and "is decided, so you cannot decide it" in html(again)


@pytest.mark.parametrize(
    ("data", "field_message"),
    [
        ({"option": "A", "rationale": ""}, "Write the rationale for the decision."),
        ({"option": "B", "rationale": "Resilience."}, "explain why you depart from their"),
        (
            {"option": "A", "rationale": "A.", "departure": "No reason."},
            "there is no departure to explain",
        ),
        ({"option": "other", "rationale": "Because."}, "the option you sent is not one of them"),
        ({"option": "A", "rationale": "A.", "supersedes": "ZZZZZZZZZZ"}, "No decision you can see"),
        ({"option": "", "rationale": "A."}, "Choose one of the options."),
    ],
)
def test_a_decision_that_cannot_be_taken_says_why_and_nothing_is_written(
    council, data, field_message
):
    c = council
    decision = advised(c)
    other = scheduled(c, title="Another decision")
    options = {
        "A": decision.options.get(label="A").pk,
        "B": decision.options.get(label="B").pk,
        "other": other.options.first().pk,
        "": "",
    }
    posted = {k: v for k, v in data.items() if k != "option"}
    posted["outcome"] = options[data["option"]]
    events = AuditEvent.objects.count()
    response = post(c.owner, step_url(decision, "decide"), posted)
    assert response.status_code == 400
    assert field_message in html(response).replace("&#x27;", "'")
    if posted.get("rationale"):
        assert posted["rationale"] in html(response)
    decision = refresh(decision)
    assert decision.stage == Stage.ADVISED and decision.chosen is None
    assert AuditEvent.objects.count() == events


def test_a_departure_from_advice_is_shown_prominently(council):
    c = council
    decision = advised(c, option="A")
    b = decision.options.get(label="B")
    response = post(
        c.owner,
        step_url(decision, "decide"),
        {
            "outcome": b.pk,
            "rationale": "Resilience of the whole system.",
            "departure": "An operated service is needed for resilience.",
        },
    )
    assert response.status_code == 302
    publish(refresh(decision), by=c.triager)
    # The advisors' recommendation is a record of its own: the public see it once published.
    publish(Recommendation.objects.get(consolidated=True), by=c.triager)
    for user in (None, c.owner):
        page = html(get(user, decision.get_absolute_url()))
        banner = _between(page, 'class="govuk-notification-banner"', "</div>\n</div>")
        assert "This decision departs from the advisors' recommendation" in banner
        assert "An operated service is needed for resilience." in banner
        assert "option A: Open-source pattern" in banner and "option B: Operated service" in banner
        # Near the top: before the question and the options.
        assert page.index("This decision departs") < page.index('id="options"')
    assert "Departs from advice" in html(get(None, "/decisions"))


def test_a_later_decision_supersedes_an_earlier_one_through_the_page(council):
    c = council
    first = decided(c, title="First decision")
    second = advised(c, title="Second decision")
    a = second.options.get(label="A")
    response = post(
        c.owner,
        step_url(second, "decide"),
        {"outcome": a.pk, "rationale": "Still A.", "supersedes": first.uid},
    )
    assert response.status_code == 302
    assert refresh(second).supersedes_id == first.pk
    page = text(get(c.owner, first.get_absolute_url()))
    assert "Superseded by a later decision: Second decision" in page


# --- The Board -------------------------------------------------------------------------------


def test_board_opinions_and_review_through_their_pages(council):
    c = council
    decision = advised(c)
    assert get(c.board, step_url(decision, "opinion")).status_code == 409  # not decided yet
    services.decide(
        decision=decision, actor=c.owner, outcome=decision.options.get(label="A"), rationale="A."
    )
    assert get(c.owner, step_url(decision, "opinion")).status_code == 403
    empty = post(c.board, step_url(decision, "opinion"), {"opinion": " "})
    assert empty.status_code == 400 and not BoardOpinion.objects.exists()
    assert (
        post(c.board, step_url(decision, "opinion"), {"opinion": "A sound process."}).status_code
        == 302
    )
    unexplained = post(c.board_chair, step_url(decision, "review"), {"outcome": "not_assured"})
    assert unexplained.status_code == 400
    assert "the reasons the Board is not assured" in html(unexplained)
    assert refresh(decision).stage == Stage.DECIDED
    done = post(
        c.board_chair,
        step_url(decision, "review"),
        {"outcome": "assured_with_comments", "reasons": "Consult more widely next time."},
    )
    assert done.status_code == 302
    decision = refresh(decision)
    assert decision.stage == Stage.REVIEWED and decision.assurance == "assured_with_comments"
    page = text(get(c.owner, decision.get_absolute_url()))
    assert "Assured with comments" in page and "Consult more widely next time." in page
    assert "Bea Board : A sound process." in page or "Bea Board: A sound process." in page


# --- Who sees what -----------------------------------------------------------------------------


def test_a_hidden_decision_is_a_404_on_every_page(council):
    c = council
    decision = advised(c)  # a draft: the staff's
    a = decision.options.get(label="A")
    steps = [
        "options/new",
        "evidence/new",
        "affects",
        "process/gather",
        "process/request-advice",
        "process/defer",
        "process/resume",
        "process/withdraw",
        "recommend",
        "consolidate",
        "consultation",
        "respond",
        "feedback-summary",
        "decide",
        "opinion",
        "review",
    ]
    for user in (c.registered, c.outsider):
        assert get(user, decision.get_absolute_url()).status_code == 404
        for step in steps:
            url = step_url(decision, step)
            assert get(user, url).status_code == 404, step
            assert post(user, url, {"outcome": a.pk, "rationale": "x"}).status_code == 404, step
    assert get(None, decision.get_absolute_url()).status_code == 404
    for step in steps:
        assert post(None, step_url(decision, step)).status_code == 302
    assert get(c.registered, "/k/ZZZZZZZZZZ/decide").status_code == 404
    assert refresh(decision).stage == Stage.ADVISED
    # A response waiting for triage is its author's and the staff's.
    decision, opens, _ = consulting(c)
    with at(opens):
        services.respond(
            actor=c.registered, decision=decision, response="Mine.", consent_to_publish=True
        )
    response = ConsultationResponse.objects.get()
    assert get(c.outsider, step_url(response, "triage-response")).status_code == 404
    assert get(c.registered, step_url(response, "triage-response")).status_code == 403
    assert get(c.registered, response.get_absolute_url()).status_code == 200


def test_the_page_shows_each_persona_the_steps_it_may_take(council):
    c = council
    decision = advised(c)
    publish(decision, by=c.triager)
    owner = html(get(c.owner, decision.get_absolute_url()))
    assert "Record the decision" in owner and "Defer it" in owner and "Withdraw it" in owner
    assert "Open a consultation" not in owner
    triager = html(get(c.triager, decision.get_absolute_url()))
    assert "Open a consultation" in triager and "Record the decision</a>" not in triager
    anonymous = html(get(None, decision.get_absolute_url()))
    assert "What you can do" not in anonymous
    for page in (owner, anonymous):
        assert "Open-source pattern" in page and "Cheap to adopt" in page and "Lock-in" in page
        assert "The process it followed" in page and "Timeline" in page
        assert "Advice requested from the Independent Technical Advisors" in page
    # The question is shown once, in the panel, not again beneath it.
    assert anonymous.count("Should the Authentication Service be an open-source pattern") == 1


def test_the_records_of_advice_responses_and_opinions_name_their_decision(council):
    c = council
    decision = decided(c)
    services.record_opinion(actor=c.board, decision=decision, opinion="Fine.")
    recommendation = Recommendation.objects.get(consolidated=False)
    opinion = BoardOpinion.objects.get()
    for record in (recommendation, opinion):
        page = html(get(c.owner, record.get_absolute_url()))
        assert decision.title in page and decision.get_absolute_url() in page
    assert "Option A: Open-source pattern" in html(get(c.owner, recommendation.get_absolute_url()))
    assert "Bea Board, member of the Board" in html(get(c.owner, opinion.get_absolute_url()))
    # Published while its decision is not: the public see it, and not the decision.
    publish(recommendation, by=c.triager)
    public = html(get(None, recommendation.get_absolute_url()))
    assert "A decision you cannot see" in public
    assert decision.get_absolute_url() not in public
    assert "Ada Advisor" in public


def test_a_question_redacted_under_triage_is_redacted_on_the_page(council):
    c = council
    decision = scheduled(c, question="Should we contract with a named supplier?")
    publish(
        decision,
        by=c.triager,
        redacted_fields=["question"],
        rationale="The supplier is not yet told.",
        sensitivities=[
            {"category": "commercial", "finding": "Names a supplier.", "mitigation": "redact"}
        ],
    )
    public = html(get(None, decision.get_absolute_url()))
    assert "named supplier" not in public and "Redacted under this record" in public
    assert "named supplier" in html(get(c.owner, decision.get_absolute_url()))
