"""Goals and journal pages cost the same number of queries with 1 item and with 200:
goal lists (own, mentees', the program's), a goal's page, the journal (own and shared),
exports, the prompt library and the home page."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from goals.models import Reflection
from tests.goals.factories import (
    ActionStepFactory,
    GoalCommentFactory,
    GoalFactory,
    ProgressEntryFactory,
    ReflectionFactory,
    ReflectionPromptFactory,
    ReflectionReplyFactory,
)
from tests.queries import count_queries

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_morning")]

MAX_QUERIES = 40


def grow_goals(goal, count):
    for i in range(count):
        other = GoalFactory(participant=goal.participant, specific=f"Goal {i} with a timetable")
        ActionStepFactory(goal=other, due_on=date(2026, 11, 25))
        ProgressEntryFactory(goal=other)


def grow_goal(goal, count):
    for i in range(count):
        ProgressEntryFactory(goal=goal, recorded_on=date(2026, 9, 1) + timedelta(days=i % 80))
        ActionStepFactory(goal=goal, description=f"Step {i}")
        GoalCommentFactory(goal=goal, author=goal.participant.user, body=f"Comment {i}")


def grow_journal(program_people, count):
    for i in range(count):
        visibility = [Reflection.Visibility.PRIVATE, Reflection.Visibility.MENTOR,
                      Reflection.Visibility.GROUP][i % 3]
        entry = ReflectionFactory(author=program_people.mentee, program=program_people.program,
                                  visibility=visibility, body=f"Entry {i}",
                                  prompt=ReflectionPromptFactory())
        if visibility != Reflection.Visibility.PRIVATE:
            ReflectionReplyFactory(reflection=entry, author=program_people.mentor)


def same_cost(client, reader, urls, grow):
    client.force_login(reader)
    small = {url: count_queries(client, url) for url in urls}
    grow()
    client.force_login(reader)
    large = {url: count_queries(client, url) for url in urls}
    assert large == small
    assert max(large.values()) <= MAX_QUERIES, large


def test_goal_lists_and_home(client, goal, program_people, django_assert_max_num_queries):
    urls = [reverse("goals:goal-list"), reverse("home"),
            reverse("goals:program-goals", args=[program_people.program.pk])]
    grow_goals(goal, 1)
    same_cost(client, program_people.mentee, urls[:2], lambda: grow_goals(goal, 199))
    same_cost(client, program_people.mentor,
              [reverse("goals:goal-list") + "?whose=mentees", reverse("home")],
              lambda: grow_goals(goal, 100))
    same_cost(client, program_people.coordinator,
              [urls[2], reverse("goals:program-goals-export",
                                args=[program_people.program.pk])],
              lambda: grow_goals(goal, 100))
    client.force_login(program_people.mentee)
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(urls[0])


def test_goal_page(client, goal, program_people):
    grow_goal(goal, 1)
    url = reverse("goals:goal-detail", args=[goal.pk])
    same_cost(client, program_people.mentee, [url], lambda: grow_goal(goal, 199))
    same_cost(client, program_people.coordinator, [url], lambda: None)


def test_journal(client, program_people, reflections):
    urls = [reverse("goals:reflection-list"), reverse("goals:reflection-list") + "?q=Entry",
            reverse("goals:reflection-export"), reverse("home")]
    grow_journal(program_people, 1)
    same_cost(client, program_people.mentee, urls,
              lambda: grow_journal(program_people, 199))
    same_cost(client, program_people.mentor,
              [reverse("goals:reflection-list") + "?show=shared", reverse("home")],
              lambda: grow_journal(program_people, 20))


def test_prompt_library(client, program_people):
    url = reverse("goals:program-prompts", args=[program_people.program.pk])

    def more_prompts():
        for _ in range(200):
            ReflectionPromptFactory(program=program_people.program,
                                    district=program_people.program.district)

    same_cost(client, program_people.coordinator, [url], more_prompts)


def test_reflection_page(client, program_people, reflections):
    from tests.goals.factories import ReflectionReplyFactory

    entry = reflections.mentor
    ReflectionReplyFactory(reflection=entry, author=program_people.mentor)
    url = reverse("goals:reflection-detail", args=[entry.pk])

    def more_replies():
        for i in range(199):
            ReflectionReplyFactory(reflection=entry, author=program_people.mentor,
                                   body=f"Reply {i}")

    same_cost(client, program_people.mentee, [url], more_replies)
