"""What each person finds on the pages goals adds to: the home page section, the check-in
page, a program's tabs; and admins see counts of goals, never their words."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import AccessRecord
from goals.models import Goal, PromptSchedule, Reflection
from pairing.models import CheckIn
from programs.models import Participant
from tests import factories
from tests.goals.factories import (
    ActionStepFactory,
    ProgressEntryFactory,
    ReflectionPromptFactory,
)
from tests.pairing.factories import CheckInFactory, NextStepFactory
from tests.programs.factories import GroupMembershipFactory, ParticipantFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_morning")]


def home(client, user):
    client.force_login(user)
    return client.get(reverse("home")).content.decode()


def test_home_shows_the_mentees_goals_steps_and_prompt_due(client, goal, program_people):
    ActionStepFactory(goal=goal, description="Print the countdown cards",
                      due_on=date(2026, 11, 25))
    ActionStepFactory(goal=goal, description="Far away step", due_on=date(2027, 2, 1))
    prompt = ReflectionPromptFactory(text="What worked this week?")
    PromptSchedule.objects.create(program=program_people.program, prompt=prompt)
    page = home(client, program_people.mentee)
    assert goal.title in page
    assert "Print the countdown cards" in page
    assert "Far away step" not in page
    assert "What worked this week?" in page


def test_achievements_are_celebrated_with_the_mentor_and_the_group(client, goal, team,
                                                                    program_people, people):
    member = factories.teacher(people.school, user__display_name="Gail Member")
    GroupMembershipFactory(group=team, participant=ParticipantFactory(
        program=program_people.program, user=member, role=Participant.Role.MENTEE))
    Goal.objects.filter(pk=goal.pk).update(state=Goal.State.ACHIEVED,
                                           achieved_on=date(2026, 11, 20))
    assert "achieved the goal" in home(client, program_people.mentor)
    assert "achieved the goal" not in home(client, member)
    assert "achieved the goal" not in home(client, program_people.school_rep)
    Goal.objects.filter(pk=goal.pk).update(celebrate_in_group=True)
    assert goal.title in home(client, member)
    assert goal.title not in home(client, people.school_admin)


def test_checkin_page_offers_next_steps_to_the_goal(client, goal, pair, program_people):
    held = CheckInFactory(pairing=pair, status=CheckIn.Status.HELD)
    step = NextStepFactory(checkin=held, description="Post the routine")
    client.force_login(program_people.mentor)
    page = client.get(reverse("pairing:checkin-detail", args=[held.pk])).content.decode()
    assert reverse("goals:next-step-to-goal", args=[step.pk]) in page
    client.post(reverse("goals:next-step-to-goal", args=[step.pk]), {"goal": goal.pk})
    page = client.get(reverse("pairing:checkin-detail", args=[held.pk])).content.decode()
    assert reverse("goals:next-step-to-goal", args=[step.pk]) not in page
    assert "An action step of" in page


def test_program_tabs(client, goal, program_people, people):
    url = reverse("programs:detail", args=[program_people.program.pk])
    client.force_login(program_people.coordinator)
    page = client.get(url).content.decode()
    assert reverse("goals:program-goals", args=[program_people.program.pk]) in page
    assert reverse("goals:program-prompts", args=[program_people.program.pk]) in page
    client.force_login(program_people.mentee)
    page = client.get(url).content.decode()
    assert reverse("goals:program-goals", args=[program_people.program.pk]) not in page


def test_admins_see_counts_never_the_words(client, goal, program_people, people):
    url = reverse("goals:program-goals", args=[program_people.program.pk])
    for admin in (people.district_admin, people.school_admin):
        client.force_login(admin)
        response = client.get(url)
        assert response.status_code == 200
        page = response.content.decode()
        assert goal.specific not in page
        assert {v: n for v, _, n in response.context["counts"]}["active"] == 1
    client.force_login(program_people.coordinator)
    assert goal.title in client.get(url).content.decode()


def test_evidence_read_by_the_coordinator_is_logged(client, goal, program_people, settings,
                                                    tmp_path):
    settings.MEDIA_ROOT = tmp_path
    entry = ProgressEntryFactory(goal=goal, evidence=SimpleUploadedFile("a.pdf", b"%PDF-1"),
                                 evidence_name="a.pdf", evidence_type="application/pdf")
    url = reverse("goals:evidence", args=[entry.pk])
    for reader in (program_people.mentee, program_people.mentor,
                   program_people.coordinator):
        client.force_login(reader)
        response = client.get(url)
        assert response["Content-Disposition"].startswith('attachment; filename="a.pdf"')
    assert [(r.reader, r.owner) for r in AccessRecord.objects.all()] == [
        (program_people.coordinator, program_people.mentee)]


def test_django_admin_leaves_out_the_goals_words(client, goal, people):
    root = factories.UserFactory(district=people.district, is_superuser=True, is_staff=True)
    factories.with_totp(root)
    client.force_login(root)
    page = client.get(reverse("admin:goals_goal_change", args=[goal.pk])).content.decode()
    assert goal.specific not in page and goal.relevance not in page


def test_django_admin_names_related_goals_by_number(client, goal, people, program_people,
                                                    reflections):
    from goals import services
    from goals.models import Reflection

    root = factories.UserFactory(district=people.district, is_superuser=True, is_staff=True)
    factories.with_totp(root)
    newer = services.revise_goal(goal=goal, revised_by=program_people.mentee,
                                 specific="Zebra routine for the afternoons")
    Reflection.objects.filter(pk=reflections.mentor.pk).update(goal=newer)
    client.force_login(root)
    pages = [reverse("admin:goals_goal_change", args=[newer.pk]),
             reverse("admin:goals_goal_history", args=[newer.pk]),
             reverse("admin:goals_reflection_change", args=[reflections.mentor.pk])]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert goal.specific not in page and "Zebra" not in page, url


def test_confidence_feeds_dashboards_only_above_the_anonymity_threshold(program_people,
                                                                        people):
    from goals.models import Reflection
    from tests.goals.factories import ReflectionFactory

    program = program_people.program
    authors = [factories.teacher(people.school) for _ in range(program.anonymity_threshold)]
    for index, author in enumerate(authors[:-1]):
        ParticipantFactory(program=program, user=author)
        ReflectionFactory(author=author, program=program, confidence=2 + index % 3)
    assert Reflection.objects.confidence_by_month(program) == []
    ParticipantFactory(program=program, user=authors[-1])
    ReflectionFactory(author=authors[-1], program=program, confidence=5)
    [(month, average, count)] = Reflection.objects.confidence_by_month(program)
    assert (month, count) == (date(2026, 11, 1), 5)
    assert average == pytest.approx((2 + 3 + 4 + 2 + 5) / 5)

    # Each author counts once a month: the last one writing often moves nothing more
    # than their own mean. A private entry's rating counts, as a number.
    for _ in range(4):
        ReflectionFactory(author=authors[-1], program=program, confidence=1,
                          visibility=Reflection.Visibility.PRIVATE)
    [(month, average, count)] = Reflection.objects.confidence_by_month(program)
    assert count == 5
    assert average == pytest.approx((2 + 3 + 4 + 2 + (5 + 1 * 4) / 5) / 5)


def test_the_reflection_form_says_the_rating_counts_without_the_words(client,
                                                                      program_people):
    client.force_login(program_people.mentee)
    page = client.get(reverse("goals:reflection-create")).content.decode()
    assert "Your rating, without your words, counts in the program" in page
    assert "average when enough people rate." in page


def test_checkin_page_invites_a_reflection_and_sessions_are_chosen_on_the_form(
        client, pair, team, program_people):
    from django.utils import timezone

    from tests.programs.factories import GroupSessionFactory

    held = CheckInFactory(pairing=pair, status=CheckIn.Status.HELD)
    client.force_login(program_people.mentee)
    page = client.get(reverse("pairing:checkin-detail", args=[held.pk])).content.decode()
    assert f"checkin={held.pk}" in page
    session = GroupSessionFactory(group=team, title="Reading routines",
                                  starts_at=timezone.now())
    # A session called off did not take place: nothing to reflect on.
    GroupSessionFactory(group=team, title="Called off", starts_at=timezone.now(),
                        cancelled_at=timezone.now())
    form = client.get(reverse("goals:reflection-create")).context["form"]
    assert list(form.fields["about_session"].queryset) == [session]


def test_a_link_to_a_cancelled_session_writes_an_entry_not_tied_to_it(client, team,
                                                                      program_people):
    from django.utils import timezone

    from tests.programs.factories import GroupSessionFactory

    called_off = GroupSessionFactory(group=team, title="Called off", starts_at=timezone.now(),
                                     cancelled_at=timezone.now())
    client.force_login(program_people.mentee)
    url = reverse("goals:reflection-create") + f"?session={called_off.pk}"
    page = client.get(url).content.decode()
    assert "The session “Called off” was cancelled" in page
    assert f'name="session" value="{called_off.pk}"' not in page

    response = client.post(url, {"program": team.program_id, "session": called_off.pk,
                                 "body": "What I tried this week", "visibility": "private"})
    entry = Reflection.objects.get(author=program_people.mentee)
    assert response.status_code == 302
    assert (entry.body, entry.session) == ("What I tried this week", None)


def test_the_journal_service_refuses_a_cancelled_session(team, program_people):
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from goals import services
    from tests.programs.factories import GroupSessionFactory

    called_off = GroupSessionFactory(group=team, starts_at=timezone.now(),
                                     cancelled_at=timezone.now())
    with pytest.raises(ValidationError) as refused:
        services.write_reflection(program_people.mentee, program=team.program,
                                  body="Notes", session=called_off)
    assert "was cancelled" in str(refused.value.message_dict["session"])


def test_reaching_the_target_is_a_milestone_on_the_home_page(client, goal, program_people):
    # The goal goes down from 12 minutes to 5.
    ProgressEntryFactory(goal=goal, value=7, recorded_on=date(2026, 11, 2))
    assert "Target reached" not in home(client, program_people.mentee)
    ProgressEntryFactory(goal=goal, value=5, recorded_on=date(2026, 11, 20))
    assert "Target reached" in home(client, program_people.mentee)


def test_saving_a_goal_in_the_django_admin_names_it_by_number(client, goal, people,
                                                              program_people, reflections):
    from django.contrib.admin.models import LogEntry

    from goals.models import GoalComment, ReflectionReply
    from tests.goals.factories import GoalCommentFactory, ReflectionReplyFactory

    root = factories.UserFactory(district=people.district, is_superuser=True, is_staff=True)
    factories.with_totp(root)
    client.force_login(root)
    url = reverse("admin:goals_goal_change", args=[goal.pk])
    form = client.get(url).context["adminform"].form
    for name in ("focus_area", "baseline", "target", "unit"):
        assert name not in form.fields
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        data[name] = "" if value is None else getattr(value, "pk", value)
    data["celebrate_in_group"] = "on" if goal.celebrate_in_group else ""
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Goal {goal.pk}" in page and "was changed successfully" in page
    assert goal.specific[:30] not in page
    assert [entry.object_repr for entry in LogEntry.objects.all()] == [f"Goal {goal.pk}"]
    assert goal.specific[:30] not in client.get(reverse("admin:index")).content.decode()

    # What a person wrote is not deleted, in the admin either.
    comment = GoalCommentFactory(goal=goal, author=program_people.mentor)
    reply = ReflectionReplyFactory(reflection=reflections.mentor, author=program_people.mentor)
    for name, pk in [("goalcomment", comment.pk), ("reflection", reflections.mentor.pk),
                     ("reflectionreply", reply.pk), ("goal", goal.pk)]:
        assert client.get(reverse(f"admin:goals_{name}_delete", args=[pk])).status_code == 403
    assert GoalComment.objects.filter(pk=comment.pk).exists()
    assert ReflectionReply.objects.filter(pk=reply.pk).exists()
