"""When a pairing ends, the past mentor keeps reading the mentee's goals and the entries
shared with them before it ended, and writes nothing more: no progress, steps, comments,
edits or replies. Nothing written or shared after the end reaches them, also when the
mentee is paired again with someone else."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from goals.models import ActionStep, Goal, GoalComment, ProgressEntry, Reflection, ReflectionReply
from pairing.models import Pairing
from programs.models import Participant
from tests import factories
from tests.goals.conftest import GOAL_ROLES, participant
from tests.goals.factories import (
    ActionStepFactory,
    GoalCommentFactory,
    GoalFactory,
    ProgressEntryFactory,
    ReflectionFactory,
    ReflectionReplyFactory,
)
from tests.pairing.factories import PairingFactory
from tests.programs.factories import ParticipantFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_morning")]

NOWHERE = dict.fromkeys(GOAL_ROLES[:-1], 404)
READERS = {**NOWHERE, "mentee": 200, "mentor": 200, "coordinator": 200}


def url(name, *args):
    return reverse(f"goals:{name}", args=args)


@pytest.fixture
def before_the_end(goal, reflections):
    """The goal and the entries were written and shared a week ago; the pairing ends
    today."""
    week_ago = timezone.now() - timedelta(days=7)
    Goal.objects.filter(pk=goal.pk).update(created_at=week_ago)
    Reflection.objects.filter(author=goal.participant.user).update(created_at=week_ago,
                                                                    shared_at=week_ago)
    for entry in (reflections.mentor, reflections.group):
        ReflectionReplyFactory(reflection=entry, author=goal.participant.user,
                               body="Written before the end")
    ReflectionReply.objects.update(created_at=week_ago)
    goal.refresh_from_db()
    return goal


@pytest.fixture
def ended(pair, before_the_end):
    Pairing.objects.filter(pk=pair.pk).update(status=Pairing.Status.ENDED,
                                              ended_on=timezone.localdate())
    return pair


@pytest.fixture
def rematched(ended, people, program_people):
    new_mentor = factories.teacher(people.school)
    mentor = ParticipantFactory(program=program_people.program, user=new_mentor,
                                role=Participant.Role.MENTOR)
    PairingFactory(mentor=mentor, mentee=participant(program_people, "mentee"),
                   started_on=timezone.localdate())
    return new_mentor


def test_a_past_mentor_reads_what_was_theirs_and_writes_nothing(
        ended, goal, reflections, program_people, assert_goal_access):
    step = ActionStepFactory(goal=goal)
    assert_goal_access(url("goal-detail", goal.pk), READERS)
    assert_goal_access(url("step-add", goal.pk), {**NOWHERE, "mentee": 302},
                       method="post", data={"step-description": "Call home",
                                            "step-due_on": "2026-12-04"})
    assert_goal_access(url("step-done", step.pk), {**NOWHERE, "mentee": 302},
                       method="post", data={"done": "1"})
    assert_goal_access(url("progress-add", goal.pk), {**NOWHERE, "mentee": 302},
                       method="post",
                       data={"progress-value": "8", "progress-recorded_on": "2026-11-20"})
    assert_goal_access(url("comment-add", goal.pk), {**NOWHERE, "mentee": 302},
                       method="post", data={"comment-body": "Going well"})
    assert goal.progress.get().recorded_by == program_people.mentee
    assert list(goal.comments.values_list("author", flat=True)) == [program_people.mentee.pk]

    Goal.objects.filter(pk=goal.pk).update(state=Goal.State.DRAFT)
    assert_goal_access(url("goal-edit", goal.pk), {**NOWHERE, "mentee": 200})

    # Entries shared before the end: still read, no longer answered.
    assert_goal_access(url("reflection-detail", reflections.mentor.pk),
                       {**NOWHERE, "mentee": 200, "mentor": 200})
    others = GOAL_ROLES[1:]
    assert_goal_access(url("reflection-reply", reflections.mentor.pk),
                       dict.fromkeys(others[:-1], 404), method="post",
                       data={"body": "Still here"}, roles=others)
    assert reflections.mentor.replies.count() == 1


def test_nothing_written_or_shared_after_the_end_reaches_a_past_mentor(
        ended, goal, reflections, program_people, assert_goal_access):
    mentee = participant(program_people, "mentee")
    new_goal = GoalFactory(participant=mentee, state=Goal.State.ACTIVE)
    assert_goal_access(url("goal-detail", new_goal.pk),
                       {**NOWHERE, "mentee": 200, "coordinator": 200})
    later = ReflectionFactory(author=program_people.mentee, program=program_people.program,
                              visibility=Reflection.Visibility.MENTOR)
    assert_goal_access(url("reflection-detail", later.pk), {**NOWHERE, "mentee": 200})
    # A private entry shared after the end stays out of reach too.
    Reflection.objects.filter(pk=reflections.private.pk).update(
        visibility=Reflection.Visibility.MENTOR, shared_at=timezone.now())
    assert_goal_access(url("reflection-detail", reflections.private.pk),
                       {**NOWHERE, "mentee": 200})

    # With no mentor now, "shared with my mentor" is refused with a message.
    author = Client()
    author.force_login(program_people.mentee)
    response = author.post(url("reflection-create") + f"?program={program_people.program.pk}",
                           {"body": "For nobody", "visibility": "mentor"})
    assert response.status_code == 400
    assert "You have no mentor in this program yet" in response.content.decode()


def test_after_a_rematch_the_new_mentor_reads_and_the_past_one_does_not(
        rematched, goal, reflections, program_people, client):
    client.force_login(program_people.mentee)
    response = client.post(url("reflection-create") + f"?program={program_people.program.pk}",
                           {"body": "For my new mentor only", "visibility": "mentor"})
    assert response.status_code == 302
    entry = Reflection.objects.get(body="For my new mentor only")

    client.force_login(rematched)
    assert client.get(url("reflection-detail", entry.pk)).status_code == 200
    assert client.post(url("reflection-reply", entry.pk),
                       {"body": "Welcome, I read your journal"}).status_code == 302
    assert client.post(url("progress-add", goal.pk), {
        "progress-value": "6", "progress-recorded_on": "2026-11-20"}).status_code == 302

    client.force_login(program_people.mentor)
    assert client.get(url("reflection-detail", entry.pk)).status_code == 404
    assert client.post(url("reflection-reply", entry.pk),
                       {"body": "Peek"}).status_code == 404
    assert client.post(url("progress-add", goal.pk), {
        "progress-value": "9", "progress-recorded_on": "2026-11-21"}).status_code == 404
    page = client.get(url("reflection-detail", reflections.mentor.pk)).content.decode()
    assert "Written before the end" in page
    shared = client.get(url("reflection-list"), {"show": "shared"}).content.decode()
    assert url("reflection-detail", entry.pk) not in shared
    assert url("reflection-detail", reflections.mentor.pk) in shared
    assert list(goal.progress.values_list("value", flat=True)) == [6]


def test_a_past_mentor_sees_no_progress_comment_or_step_added_after_the_end(
        ended, goal, program_people, client):
    before = ProgressEntryFactory(goal=goal, value=9, note="Zebra week before the end")
    GoalCommentFactory(goal=goal, body="Ocelot comment before the end")
    ActionStepFactory(goal=goal, description="Narwhal step before the end")
    week_ago = timezone.now() - timedelta(days=7)
    for model in (ProgressEntry, GoalComment, ActionStep):
        model.objects.filter(goal=goal).update(created_at=week_ago)
    after = ProgressEntryFactory(goal=goal, value=4, note="Walrus week after the end",
                                 evidence=SimpleUploadedFile("after.txt", b"after"),
                                 evidence_name="after.txt", evidence_type="text/plain")
    GoalCommentFactory(goal=goal, author=program_people.mentee,
                       body="Lemur comment after the end")
    ActionStepFactory(goal=goal, description="Gecko step after the end")

    client.force_login(program_people.mentor)
    page = client.get(url("goal-detail", goal.pk)).content.decode()
    for earlier in ("Zebra week before the end", "Ocelot comment before the end",
                    "Narwhal step before the end"):
        assert earlier in page
    for later in ("Walrus week after the end", "Lemur comment after the end",
                  "Gecko step after the end"):
        assert later not in page
    assert client.get(url("evidence", after.pk)).status_code == 404
    listing = client.get(url("goal-list"), {"whose": "mentees"}).content.decode()
    assert "9 → 5" in " ".join(listing.split())
    assert "1 open step" in listing

    # The mentee and the coordinator read everything.
    for reader in (program_people.mentee, program_people.coordinator):
        client.force_login(reader)
        page = client.get(url("goal-detail", goal.pk)).content.decode()
        assert "Walrus week after the end" in page and "Lemur comment after the end" in page
        assert client.get(url("evidence", after.pk)).status_code == 200
    assert before.pk != after.pk


def test_a_resource_page_names_no_step_added_after_the_end_to_a_past_mentor(
        ended, goal, program_people, client):
    from resources.services import attach_to_action_step
    from tests.resources.factories import ResourceFactory

    cards = ResourceFactory(created_by=program_people.mentee, title="Timetable cards")
    before = ActionStepFactory(goal=goal, description="Narwhal step before the end")
    ActionStep.objects.filter(pk=before.pk).update(
        created_at=timezone.now() - timedelta(days=7))
    after = ActionStepFactory(goal=goal, description="Gecko step after the end")
    for step in (before, after):
        attach_to_action_step(resource=cards, step=step, added_by=program_people.mentee)

    # The later step is counted among the places the past mentor cannot open.
    client.force_login(program_people.mentor)
    page = client.get(reverse("resources:detail", args=[cards.pk])).content.decode()
    assert page.count("An action step of") == 1
    assert "1 place you cannot open" in page
    client.force_login(program_people.mentee)
    page = client.get(reverse("resources:detail", args=[cards.pk])).content.decode()
    assert page.count("An action step of") == 2
    assert "place you cannot open" not in page
