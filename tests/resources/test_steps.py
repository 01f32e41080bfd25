"""Resources attached to a debrief's next steps and to a goal's action steps: who attaches
and removes them (the cycle's two people; the goal's owner and their partner), who sees
them (whoever may read the debrief or open the goal, titles only of resources they may
read), what is suggested, and how a resource's page names these places or only counts
them."""

import pytest
from django.urls import reverse
from django.utils import timezone

from goals.models import Goal
from observations.models import CycleShare, DebriefNextStep, ObservationCycle
from programs.models import Participant
from resources.models import Resource, ResourceIndicator, ResourceUse
from resources.services import attach_to_action_step, attach_to_next_step
from tests.goals.factories import ActionStepFactory, GoalFactory
from tests.observations.conftest import CYCLE_ROLES, other_pair, sign_in_as  # noqa: F401
from tests.observations.factories import full_cycle
from tests.programs.factories import ApplicationFactory
from tests.queries import count_queries
from tests.resources.factories import resource

pytestmark = pytest.mark.django_db

NOBODY = {role: 404 for role in CYCLE_ROLES if role != "anonymous"}


def the_pair(status):
    return {**NOBODY, "mentor": status, "mentee": status}


@pytest.fixture
def check_roles(sign_in_as, other_pair):  # noqa: F811
    """Try one URL as every role (the cycle's or goal's two people, the coordinator, the
    school rep, the district's admins, another mentor of the program, a participant of
    another program, another district's admin and teacher, anonymous)."""

    def check(url, expected, method="get", data=None):
        seen = {}
        for role in CYCLE_ROLES:
            response = getattr(sign_in_as(role), method)(url, data or {})
            seen[role] = response.status_code
            if role == "anonymous":
                assert response.url.startswith(reverse("account_login"))
        assert seen == {**expected, "anonymous": 302}, url
        return seen

    return check


@pytest.fixture
def cycle(pair):
    """A closed cycle of the pair whose debrief is shared with the mentee."""
    return full_cycle(pair)


@pytest.fixture
def draft_cycle(pair):
    """A cycle in the debrief stage whose debrief the mentor has not shared yet."""
    return full_cycle(pair, stage=ObservationCycle.Stage.DEBRIEF, shared=False,
                      step="Plan three hinge questions")


def next_step(cycle):
    return cycle.debrief.next_steps.get()


def step_attach_url(step):
    return reverse("resources:debrief-step-attach", args=[step.pk])


def step_detach_url(step, use):
    return reverse("resources:debrief-step-detach", args=[step.pk, use.pk])


def cycle_url(cycle):
    return reverse("observations:cycle-detail", args=[cycle.pk])


def titles_at(target):
    return sorted(ResourceUse.objects.filter(object_id=target.pk)
                  .values_list("resource__title", flat=True))


@pytest.fixture
def goal(program_people, pair):
    """An active goal of the program's mentee, with one open action step."""
    owner = program_people.program.participants.get(user=program_people.mentee,
                                                    role=Participant.Role.MENTEE)
    goal = GoalFactory(participant=owner, state=Goal.State.ACTIVE)
    ActionStepFactory(goal=goal, description="Print the timetable cards")
    return goal


def goal_url(goal):
    return reverse("goals:goal-detail", args=[goal.pk])


def action_attach_url(step):
    return reverse("resources:goal-step-attach", args=[step.pk])


def action_detach_url(step, use):
    return reverse("resources:goal-step-detach", args=[step.pk, use.pk])


# A debrief's next steps: who may attach and remove

def test_the_cycles_two_people_find_resources_for_a_next_step_and_nobody_else(
        check_roles, cycle, program_people):
    resource(program_people.coordinator, title="Wait time cards")

    check_roles(step_attach_url(next_step(cycle)) + "?q=wait", the_pair(200))


def test_the_cycles_two_people_attach_a_resource_and_nobody_else(check_roles, cycle,
                                                                program_people):
    cards = resource(program_people.coordinator, title="Wait time cards")
    step = next_step(cycle)

    check_roles(step_attach_url(step), the_pair(302), method="post",
                data={"resource": cards.pk})

    assert titles_at(step) == ["Wait time cards"]
    cards.refresh_from_db()
    assert cards.use_count == 1


def test_only_the_two_people_remove_a_resource_from_a_next_step(check_roles, cycle, pair):
    step = next_step(cycle)
    attach_to_next_step(resource=resource(pair.mentor.user, title="Wait time cards"),
                        step=step, added_by=pair.mentor.user)
    use = ResourceUse.objects.get()
    expected = {**NOBODY, "mentor": 302}  # the mentor removes it; the mentee finds it gone

    check_roles(step_detach_url(step, use), {**expected, "mentee": 302}, method="post")

    assert titles_at(step) == []


def test_the_mentee_cannot_touch_a_next_step_before_the_debrief_is_shared(client,
                                                                          draft_cycle, pair):
    step = next_step(draft_cycle)
    cards = resource(pair.mentor.user, title="Hinge question bank")
    client.force_login(pair.mentee.user)

    assert client.get(step_attach_url(step)).status_code == 404
    assert client.post(step_attach_url(step), {"resource": cards.pk}).status_code == 404
    assert titles_at(step) == []


def test_a_cancelled_cycle_takes_no_more_resources(client, cycle, pair):
    ObservationCycle.objects.filter(pk=cycle.pk).update(
        stage=ObservationCycle.Stage.CANCELLED, cancelled_at=timezone.now())
    client.force_login(pair.mentor.user)

    response = client.post(step_attach_url(next_step(cycle)),
                           {"resource": resource(pair.mentor.user).pk})

    assert response.status_code == 404
    assert ResourceUse.objects.count() == 0


def test_a_closed_cycle_still_takes_resources_for_its_next_steps(client, cycle, pair):
    client.force_login(pair.mentee.user)

    response = client.post(step_attach_url(next_step(cycle)),
                           {"resource": resource(pair.mentor.user, title="Cards").pk},
                           follow=True)

    assert "“Cards” is attached to the next step." in response.content.decode()
    assert titles_at(next_step(cycle)) == ["Cards"]


# A debrief's next steps: bad input gets a message

@pytest.mark.parametrize("chosen", ["²", "abc", "9" * 30, "", "0"])
def test_a_choice_that_is_no_resource_gets_a_message(client, cycle, pair, chosen):
    client.force_login(pair.mentor.user)

    response = client.post(step_attach_url(next_step(cycle)), {"resource": chosen})

    assert response.status_code == 400
    assert "That resource cannot be attached" in response.content.decode()
    assert ResourceUse.objects.count() == 0


def test_a_resource_the_reader_cannot_read_is_refused_with_a_message(client, cycle, pair,
                                                                     program_people):
    private = resource(program_people.coordinator, title="Coordinator's notes",
                       scope=Resource.Scope.AUTHORS)
    draft = resource(pair.mentor.user, title="My draft", status=Resource.Status.DRAFT)
    client.force_login(pair.mentor.user)

    for chosen in (private, draft):
        response = client.post(step_attach_url(next_step(cycle)), {"resource": chosen.pk})
        assert response.status_code == 400
        assert "choose a published resource you can read" in response.content.decode()
        assert "Coordinator's notes" not in response.content.decode()
    assert ResourceUse.objects.count() == 0


def test_a_use_of_another_debriefs_step_cannot_be_removed_through_this_one(client, cycle,
                                                                           pair):
    other = full_cycle(pair, step="Another step")
    attach_to_next_step(resource=resource(pair.mentor.user, title="Cards"),
                        step=next_step(other), added_by=pair.mentor.user)
    client.force_login(pair.mentor.user)

    response = client.post(step_detach_url(next_step(cycle), ResourceUse.objects.get()),
                           follow=True)

    assert response.status_code == 200
    assert "That resource is not attached to this step" in response.content.decode()
    assert titles_at(next_step(other)) == ["Cards"]


def test_a_step_of_a_debrief_of_other_people_is_not_found(client, cycle, other_pair):  # noqa: F811
    theirs = full_cycle(other_pair, step="Their step")
    client.force_login(cycle.mentor)

    assert client.get(step_attach_url(next_step(theirs))).status_code == 404
    assert client.post(step_attach_url(next_step(theirs)),
                       {"resource": resource(cycle.mentor).pk}).status_code == 404


# A debrief's next steps: who sees what

def test_the_mentee_sees_attachments_only_once_the_debrief_is_shared(client, draft_cycle,
                                                                     pair):
    step = next_step(draft_cycle)
    attach_to_next_step(resource=resource(pair.mentor.user, title="Hinge question bank"),
                        step=step, added_by=pair.mentor.user)
    client.force_login(pair.mentor.user)
    assert "Hinge question bank" in client.get(cycle_url(draft_cycle)).content.decode()

    client.force_login(pair.mentee.user)
    assert "Hinge question bank" not in client.get(cycle_url(draft_cycle)).content.decode()

    draft_cycle.debrief.shared_at = timezone.now()
    draft_cycle.debrief.save(update_fields=["shared_at"])
    page = client.get(cycle_url(draft_cycle)).content.decode()
    assert "Hinge question bank" in page
    assert reverse("resources:debrief-step-attach", args=[step.pk]) in page


def test_someone_the_cycle_is_shared_with_sees_titles_they_may_read_and_changes_nothing(
        client, cycle, pair, program_people):
    step = next_step(cycle)
    for title, scope in [("Wait time cards", Resource.Scope.DISTRICT),
                         ("Mentor's own notes", Resource.Scope.AUTHORS)]:
        attach_to_next_step(resource=resource(pair.mentor.user, title=title, scope=scope),
                            step=step, added_by=pair.mentor.user)
    CycleShare.objects.create(cycle=cycle, recipient=program_people.coordinator,
                              shared_by=pair.mentee.user)
    client.force_login(program_people.coordinator)

    page = client.get(cycle_url(cycle)).content.decode()

    assert "Wait time cards" in page
    assert "Mentor&#x27;s own notes" not in page and "Mentor's own notes" not in page
    assert "A resource you do not have access to" in page
    assert step_attach_url(step) not in page


def test_those_the_cycle_is_not_shared_with_see_nothing_of_it(client, cycle, pair, people,
                                                              program_people):
    attach_to_next_step(resource=resource(pair.mentor.user, title="Wait time cards"),
                        step=next_step(cycle), added_by=pair.mentor.user)
    for reader in (program_people.coordinator, people.school_admin, people.district_admin):
        client.force_login(reader)
        response = client.get(cycle_url(cycle))
        assert "Wait time cards" not in response.content.decode()


# A debrief's next steps: suggestions

def test_suggestions_come_from_the_look_fors_by_key_and_the_focus_areas(client, cycle, pair,
                                                                        people):
    look_for = cycle.look_fors.order_by("position").first()
    by_key = resource(people.district_admin, title="Helps with that look-for")
    # The label is the author's wording of an older version: the key is what matches.
    ResourceIndicator.objects.create(resource=by_key, key=look_for.key, label="Old words")
    area = people.district.focus_areas.get_or_create(name="Questioning")[0]
    goal = GoalFactory(participant=pair.mentee, focus_area=area)
    ObservationCycle.objects.filter(pk=cycle.pk).update(goal=goal)
    by_area = resource(people.district_admin, title="Questioning moves")
    by_area.focus_areas.add(area)
    resource(people.district_admin, title="Unrelated")
    client.force_login(pair.mentor.user)

    page = client.get(cycle_url(cycle)).content.decode()

    assert "Helps with that look-for" in page
    assert "Questioning moves" in page
    assert "Unrelated" not in page
    attach_page = client.get(step_attach_url(next_step(cycle))).content.decode()
    assert "Helps with that look-for" in attach_page and "Questioning moves" in attach_page


def test_suggestions_include_the_mentees_application_focus_areas(client, cycle, pair, people):
    area = people.district.focus_areas.get_or_create(name="Classroom routines")[0]
    ApplicationFactory(participant=pair.mentee).focus_areas.add(area)
    routines = resource(people.district_admin, title="Routine charts")
    routines.focus_areas.add(area)
    client.force_login(pair.mentor.user)

    assert "Routine charts" in client.get(cycle_url(cycle)).content.decode()


# A goal's action steps

def test_the_goals_owner_and_partner_attach_to_an_action_step_and_nobody_else(
        check_roles, goal, program_people):
    cards = resource(program_people.coordinator, title="Timetable cards")
    step = goal.action_steps.get()

    check_roles(action_attach_url(step) + "?q=timetable", the_pair(200))
    check_roles(action_attach_url(step), the_pair(302), method="post",
                data={"resource": cards.pk})

    assert titles_at(step) == ["Timetable cards"]


def test_only_the_owner_and_partner_remove_a_resource_from_an_action_step(check_roles, goal,
                                                                          pair):
    step = goal.action_steps.get()
    attach_to_action_step(resource=resource(pair.mentee.user, title="Cards"), step=step,
                          added_by=pair.mentee.user)
    use = ResourceUse.objects.get()

    check_roles(action_detach_url(step, use), the_pair(302), method="post")

    assert titles_at(step) == []


def test_who_sees_a_goals_attachments(client, goal, pair, people, program_people):
    step = goal.action_steps.get()
    attach_to_action_step(resource=resource(pair.mentor.user, title="Timetable cards"),
                          step=step, added_by=pair.mentor.user)
    attach_to_action_step(resource=resource(pair.mentor.user, title="Mentor only",
                                            scope=Resource.Scope.AUTHORS),
                          step=step, added_by=pair.mentor.user)

    client.force_login(pair.mentee.user)
    page = client.get(goal_url(goal)).content.decode()
    assert "Timetable cards" in page and "Mentor only" not in page
    assert "A resource you do not have access to" in page
    assert action_attach_url(step) in page

    client.force_login(program_people.coordinator)  # reads the goal, changes nothing
    page = client.get(goal_url(goal)).content.decode()
    assert "Timetable cards" in page and action_attach_url(step) not in page

    for admin in (people.school_admin, people.district_admin):
        client.force_login(admin)
        assert client.get(goal_url(goal)).status_code == 404


def test_a_done_action_step_takes_no_more_resources(client, goal, pair):
    step = goal.action_steps.get()
    step.done_on = timezone.localdate()
    step.save(update_fields=["done_on"])
    client.force_login(pair.mentee.user)

    response = client.post(action_attach_url(step),
                           {"resource": resource(pair.mentor.user).pk}, follow=True)

    assert "This action step is done" in response.content.decode()
    assert ResourceUse.objects.count() == 0


def test_a_goal_that_is_over_takes_no_more_resources(client, goal, pair):
    Goal.objects.filter(pk=goal.pk).update(state=Goal.State.DROPPED,
                                             dropped_reason="Changed school")
    client.force_login(pair.mentee.user)

    response = client.post(action_attach_url(goal.action_steps.get()),
                           {"resource": resource(pair.mentor.user).pk})

    assert response.status_code == 404


def test_bad_input_on_an_action_step_gets_a_message(client, goal, pair, program_people):
    step = goal.action_steps.get()
    private = resource(program_people.coordinator, scope=Resource.Scope.AUTHORS)
    other_step = ActionStepFactory(goal=goal, description="Another step")
    attach_to_action_step(resource=resource(pair.mentee.user, title="Cards"), step=other_step,
                          added_by=pair.mentee.user)
    client.force_login(pair.mentee.user)

    refused = client.post(action_attach_url(step), {"resource": private.pk})
    assert refused.status_code == 400
    assert "That resource cannot be attached" in refused.content.decode()
    wrong = client.post(action_detach_url(step, ResourceUse.objects.get()), follow=True)
    assert "That resource is not attached to this step" in wrong.content.decode()
    assert titles_at(other_step) == ["Cards"]


def test_a_goal_suggests_resources_from_its_focus_area(client, goal, pair, people):
    area = people.district.focus_areas.get_or_create(name="Classroom routines")[0]
    Goal.objects.filter(pk=goal.pk).update(focus_area=area)
    charts = resource(people.district_admin, title="Routine charts")
    charts.focus_areas.add(area)
    resource(people.district_admin, title="Unrelated")
    client.force_login(pair.mentee.user)

    page = client.get(goal_url(goal)).content.decode()

    assert "Routine charts" in page and "Unrelated" not in page


# The resource's page: where it has been used

def test_the_resource_page_names_steps_the_reader_may_open_and_counts_the_rest(
        client, draft_cycle, goal, pair, people, program_people):
    cards = resource(people.district_admin, title="Cards")
    attach_to_next_step(resource=cards, step=next_step(draft_cycle), added_by=pair.mentor.user)
    attach_to_action_step(resource=cards, step=goal.action_steps.get(),
                          added_by=pair.mentee.user)
    page_url = reverse("resources:detail", args=[cards.pk])

    client.force_login(pair.mentor.user)
    page = client.get(page_url).content.decode()
    assert "Next step 1 of the debrief for" in page and "An action step of" in page
    assert "place you cannot open" not in page

    client.force_login(pair.mentee.user)  # the debrief is still the mentor's draft
    page = client.get(page_url).content.decode()
    assert "Next step 1 of the debrief for" not in page and "An action step of" in page
    assert "1 place you cannot open" in page

    for reader in (people.district_admin, people.school_admin, program_people.coordinator):
        client.force_login(reader)
        page = client.get(page_url).content.decode()
        assert "Next step 1 of the debrief for" not in page
        assert "Print the timetable cards" not in page
        expected = "1 place you cannot open" if reader == program_people.coordinator \
            else "2 places you cannot open"
        assert expected in page, reader  # the coordinator may open the goal


# Fixed numbers of queries

def _grow(pair, cycle, goal, size):
    debrief = cycle.debrief
    for i in range(size):
        step = DebriefNextStep.objects.create(debrief=debrief, description=f"Step {i}",
                                              position=i + 1)
        action = ActionStepFactory(goal=goal, description=f"Action {i}")
        for j in range(2):
            shared = resource(pair.mentor.user, title=f"R {i}-{j}")
            attach_to_next_step(resource=shared, step=step, added_by=pair.mentor.user)
            attach_to_action_step(resource=shared, step=action, added_by=pair.mentor.user)
            own = resource(pair.mentor.user, title=f"Own {i}-{j}", scope=Resource.Scope.AUTHORS)
            attach_to_next_step(resource=own, step=step, added_by=pair.mentor.user)


@pytest.mark.parametrize("reader", ["mentor", "mentee", "coordinator"])
def test_cycle_goal_and_resource_pages_do_a_fixed_number_of_queries(
        client, cycle, goal, pair, program_people, reader, django_assert_max_num_queries):
    user = {"mentor": pair.mentor.user, "mentee": pair.mentee.user,
            "coordinator": program_people.coordinator}[reader]
    CycleShare.objects.create(cycle=cycle, recipient=program_people.coordinator,
                              shared_by=pair.mentee.user)
    cards = resource(pair.mentor.user, title="Cards")
    attach_to_next_step(resource=cards, step=next_step(cycle), added_by=pair.mentor.user)
    attach_to_action_step(resource=cards, step=goal.action_steps.get(),
                          added_by=pair.mentor.user)
    urls = [cycle_url(cycle), goal_url(goal), reverse("resources:detail", args=[cards.pk])]
    client.force_login(user)
    _grow(pair, cycle, goal, 1)
    for url in urls:  # the first read of a shared cycle is written to the access log
        client.get(url)
    small = [count_queries(client, url) for url in urls]
    _grow(pair, cycle, goal, 12)
    # Every step's use of the same resource: the resource page lists more places.
    for step in DebriefNextStep.objects.filter(debrief=cycle.debrief):
        attach_to_next_step(resource=cards, step=step, added_by=pair.mentor.user)

    large = [count_queries(client, url) for url in urls]

    assert large == small
    with django_assert_max_num_queries(small[2]):
        client.get(urls[2])


def test_the_resource_page_costs_the_same_for_an_admin_who_only_sees_counts(
        client, cycle, goal, pair, people, django_assert_max_num_queries):
    cards = resource(pair.mentor.user, title="Cards")
    first = next_step(cycle)
    attach_to_next_step(resource=cards, step=first, added_by=pair.mentor.user)
    url = reverse("resources:detail", args=[cards.pk])
    client.force_login(people.district_admin)
    _grow(pair, cycle, goal, 1)
    small = count_queries(client, url)
    _grow(pair, cycle, goal, 10)
    for step in DebriefNextStep.objects.filter(debrief=cycle.debrief).exclude(pk=first.pk):
        attach_to_next_step(resource=cards, step=step, added_by=pair.mentor.user)

    with django_assert_max_num_queries(small):
        large = count_queries(client, url)
    assert large == small
    page = client.get(url).content.decode()
    assert "12 places you cannot open" in page
    assert "Next step" not in page and "An action step of" not in page


# The services refuse whoever the pages refuse

def test_the_services_refuse_people_outside_the_cycle_or_the_goal(cycle, draft_cycle, goal,
                                                                 pair, program_people):
    from django.core.exceptions import PermissionDenied, ValidationError

    cards = resource(program_people.coordinator, title="Cards")
    with pytest.raises(PermissionDenied):
        attach_to_next_step(resource=cards, step=next_step(cycle),
                            added_by=program_people.coordinator)
    with pytest.raises(PermissionDenied):  # the draft is still the mentor's
        attach_to_next_step(resource=cards, step=next_step(draft_cycle),
                            added_by=pair.mentee.user)
    with pytest.raises(PermissionDenied):  # coordinators read goals, never change them
        attach_to_action_step(resource=cards, step=goal.action_steps.get(),
                              added_by=program_people.coordinator)
    done = ActionStepFactory(goal=goal, done_on=timezone.localdate())
    with pytest.raises(ValidationError):
        attach_to_action_step(resource=cards, step=done, added_by=pair.mentee.user)
    assert ResourceUse.objects.count() == 0


def test_the_search_on_a_step_answers_htmx_with_its_results_only(client, cycle, goal, pair):
    resource(pair.mentor.user, title="Wait time cards")
    client.force_login(pair.mentee.user)

    for url in (step_attach_url(next_step(cycle)), action_attach_url(goal.action_steps.get())):
        partial = client.get(url, {"q": "wait"}, headers={"HX-Request": "true"})
        page = client.get(url, {"q": "wait"})
        assert "<html" not in partial.content.decode()
        assert "Wait time cards" in partial.content.decode()
        assert "<html" in page.content.decode() and "Wait time cards" in page.content.decode()
