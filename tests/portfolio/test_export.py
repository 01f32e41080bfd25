"""The teacher's portfolio holds every record they own or received and nothing of anyone
else's: not another mentee's goals, reflections or debriefs, not their mentor's private
reflections, not a debrief still in draft, not other people's badges or time. The HTML and
JSON files carry the same records; the pages cost the same with little and much data."""

import json
from datetime import date

import pytest
from django.urls import reverse

from goals.models import Goal, Reflection
from programs.models import Participant, TimeLog
from tests import factories
from tests.goals.factories import (
    ActionStepFactory,
    GoalCommentFactory,
    GoalFactory,
    ProgressEntryFactory,
    ReflectionFactory,
    ReflectionReplyFactory,
)
from tests.observations.factories import full_cycle
from tests.pairing.factories import PairingFactory
from tests.portfolio.factories import AwardFactory, BadgeFactory
from tests.programs.factories import ParticipantFactory, TimeLogFactory
from tests.queries import count_queries

pytestmark = pytest.mark.django_db

MINE = ["Mine: first goal version", "Mine: sharper goal", "Mine: print the cards",
        "Mine: better on Monday", "Mine: mentor comment on my goal", "Mine: private thought",
        "Mine: shared with my mentor", "Mine: shared with my group", "Mine: mentor reply",
        "Mine: strengths in my debrief", "Mine: step from my debrief", "Mine: badge evidence",
        "Mine: time note", "Mine badge name"]
THEIRS = ["Theirs: other mentee goal", "Theirs: other mentee reflection",
          "Theirs: mentor private reflection", "Theirs: draft debrief strengths",
          "Theirs: other mentee debrief", "Theirs: other badge evidence",
          "Theirs: mentor time note", "Theirs badge name", "Theirs: comment elsewhere"]


@pytest.fixture
def records(people, program_people):
    program = program_people.program
    mentee, mentor = program_people.mentee, program_people.mentor
    participants = program.participants
    me = participants.get(user=mentee, role=Participant.Role.MENTEE)
    pairing = PairingFactory(mentor=participants.get(user=mentor, role=Participant.Role.MENTOR),
                             mentee=me)
    other_mentee = ParticipantFactory(program=program, user=factories.teacher(people.school))
    other_pairing = PairingFactory(mentor=pairing.mentor, mentee=other_mentee)

    # The mentee's goal, revised then achieved, with its steps, progress and a comment.
    first = GoalFactory(participant=me, specific="Mine: first goal version",
                        state=Goal.State.REVISED)
    sharper = GoalFactory(participant=me, specific="Mine: sharper goal", revises=first,
                          state=Goal.State.ACHIEVED, achieved_on=date(2027, 2, 1))
    ActionStepFactory(goal=sharper, description="Mine: print the cards")
    ProgressEntryFactory(goal=sharper, note="Mine: better on Monday")
    GoalCommentFactory(goal=sharper, author=mentor, body="Mine: mentor comment on my goal")
    for visibility, body in [(Reflection.Visibility.PRIVATE, "Mine: private thought"),
                             (Reflection.Visibility.MENTOR, "Mine: shared with my mentor"),
                             (Reflection.Visibility.GROUP, "Mine: shared with my group")]:
        reflection = ReflectionFactory(author=mentee, program=program, body=body,
                                       visibility=visibility)
    ReflectionReplyFactory(reflection=reflection, author=mentor, body="Mine: mentor reply")
    full_cycle(pairing, strengths="Mine: strengths in my debrief",
               step="Mine: step from my debrief")
    full_cycle(pairing, strengths="Theirs: draft debrief strengths", shared=False)
    badge = BadgeFactory(district=program.district, name="Mine badge name")
    AwardFactory(badge=badge, recipient=mentee, evidence="Mine: badge evidence")
    TimeLogFactory(program=program, user=mentee, note="Mine: time note",
                   kind=TimeLog.Kind.TRAINING)

    # Everyone else's.
    theirs = GoalFactory(participant=other_mentee, specific="Theirs: other mentee goal")
    GoalCommentFactory(goal=theirs, author=mentor, body="Theirs: comment elsewhere")
    ReflectionFactory(author=other_mentee.user, program=program,
                      body="Theirs: other mentee reflection",
                      visibility=Reflection.Visibility.MENTOR)
    ReflectionFactory(author=mentor, program=program,
                      body="Theirs: mentor private reflection")
    full_cycle(other_pairing, strengths="Theirs: other mentee debrief")
    AwardFactory(badge=BadgeFactory(district=program.district, name="Theirs badge name"),
                 recipient=mentor, evidence="Theirs: other badge evidence")
    TimeLogFactory(program=program, user=mentor, note="Theirs: mentor time note")
    return program_people


def test_the_json_file_holds_every_own_record_and_no_one_elses(client, records):
    client.force_login(records.mentee)
    response = client.get(reverse("portfolio:portfolio-json"))

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode()
    assert [m for m in MINE if m not in text] == []
    assert [t for t in THEIRS if t in text] == []
    data = json.loads(text)
    assert data["person"]["email"] == records.mentee.email
    assert [g["specific"] for g in data["goals"]] == ["Mine: first goal version",
                                                     "Mine: sharper goal"]
    assert data["goals"][1]["revises"] == data["goals"][0]["id"]
    assert sorted(r["visibility"] for r in data["reflections"]) == ["group", "mentor",
                                                                    "private"]
    assert len(data["debriefs"]) == 1
    assert [b["name"] for b in data["badges"]] == ["Mine badge name"]


def test_the_html_file_holds_the_same_records_ready_to_print(client, records):
    client.force_login(records.mentee)
    response = client.get(reverse("portfolio:portfolio-html"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    html = response.content.decode()
    assert [m for m in MINE if m not in html] == []
    assert [t for t in THEIRS if t in html] == []
    assert "@media print" in html and "<script" not in html


def test_the_mentors_portfolio_holds_their_own_records_not_their_mentees(client, records):
    client.force_login(records.mentor)
    text = client.get(reverse("portfolio:portfolio-json")).content.decode()

    assert "Theirs: mentor private reflection" in text
    assert "Theirs badge name" in text and "Theirs: mentor time note" in text
    for record in ["Mine: private thought", "Mine: sharper goal", "Theirs: other mentee goal",
                   "Mine: strengths in my debrief", "Theirs: other mentee debrief"]:
        assert record not in text
    # Comments they wrote on their mentees' goals belong to those goals' portfolios.
    assert "Mine: mentor comment on my goal" not in text


def test_the_portfolio_page_counts_what_the_files_hold(client, records):
    client.force_login(records.mentee)
    page = client.get(reverse("portfolio:portfolio")).content.decode()
    assert "Download to read and print (HTML)" in page
    assert "Mine: private thought" not in page  # the page counts, the files carry


def test_the_portfolio_costs_the_same_for_little_and_much(client, people, records):
    client.force_login(records.mentee)
    urls = [reverse(name) for name in ("portfolio:portfolio", "portfolio:portfolio-html",
                                       "portfolio:portfolio-json")]
    small = [count_queries(client, url) for url in urls]

    program = records.program
    me = program.participants.get(user=records.mentee, role=Participant.Role.MENTEE)
    for i in range(20):
        goal = GoalFactory(participant=me, specific=f"More {i}")
        ActionStepFactory(goal=goal)
        ProgressEntryFactory(goal=goal)
        GoalCommentFactory(goal=goal, author=records.mentor)
        reply_to = ReflectionFactory(author=records.mentee, program=program)
        ReflectionReplyFactory(reflection=reply_to, author=records.mentor)
        AwardFactory(badge=BadgeFactory(district=program.district), recipient=records.mentee)
        TimeLogFactory(program=program, user=records.mentee, date=date(2026, 9, 1 + i))

    assert [count_queries(client, url) for url in urls] == small


def test_anyone_without_a_district_has_no_portfolio(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory(district=None))
    for name in ("portfolio:portfolio", "portfolio:portfolio-html", "portfolio:portfolio-json"):
        assert client.get(reverse(name)).status_code == 404
