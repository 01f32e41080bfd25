"""Bad input gets a clear message next to the field, status 400, and keeps what was typed;
the SMART check answers as the goal is typed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from goals.models import Goal, Reflection

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_morning")]

GOAL = {"specific": "Use a visual timetable each morning in room 12",
        "measure": "Minutes from the bell until all are working", "baseline": "12",
        "target": "5", "unit": "minutes", "relevance": "Calm starts give students time.",
        "due_on": "2027-03-19"}


def errors_of(response, field):
    return [str(e) for e in response.context["form"].errors.get(field, [])]


def test_goal_date_outside_the_program_is_refused_next_to_the_field(client, program_people):
    client.force_login(program_people.mentee)
    url = reverse("goals:goal-create") + f"?program={program_people.program.pk}"
    response = client.post(url, {**GOAL, "program": program_people.program.pk,
                                 "due_on": "2027-08-01"})
    assert response.status_code == 400
    assert errors_of(response, "due_on") == [
        "Choose a date inside the program (Aug. 17, 2026 to June 11, 2027)."]
    html = response.content.decode()
    assert 'value="Use a visual timetable' in html or "Use a visual timetable" in html
    assert "The date is outside the program." in html  # the SMART check beside it
    assert not Goal.objects.exists()


def test_activating_a_goal_without_a_number_says_why(client, program_people):
    client.force_login(program_people.mentee)
    url = reverse("goals:goal-create") + f"?program={program_people.program.pk}"
    response = client.post(url, {**GOAL, "program": program_people.program.pk,
                                 "baseline": "", "target": "", "measure": "How calm it feels",
                                 "activate": "1"})
    assert response.status_code == 400
    assert "There is no number to measure against." in response.content.decode()
    assert not Goal.objects.exists()


def test_not_a_number_keeps_the_rest(client, program_people):
    client.force_login(program_people.mentee)
    url = reverse("goals:goal-create") + f"?program={program_people.program.pk}"
    response = client.post(url, {**GOAL, "program": program_people.program.pk,
                                 "target": "five"})
    assert response.status_code == 400
    assert errors_of(response, "target") == ["Enter a number, such as 12 or 7.5."]
    assert response.context["form"]["measure"].value() == GOAL["measure"]


def test_smart_check_flags_vague_and_passes_sharp(client, program_people):
    client.force_login(program_people.mentee)
    url = reverse("goals:smart-check")
    vague = client.post(url, {"program": program_people.program.pk,
                              "specific": "Get better at stuff"}).content.decode()
    assert "Vague wording" in vague and "There is no date." in vague
    sharp = client.post(url, {**GOAL, "program": program_people.program.pk}).content.decode()
    assert "Sharp:" in sharp


def test_progress_errors_keep_what_was_typed(client, goal, program_people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(program_people.mentee)
    response = client.post(reverse("goals:progress-add", args=[goal.pk]), {
        "progress-value": "8", "progress-recorded_on": "2026-11-20",
        "progress-note": "Two calm days",
        "progress-evidence": SimpleUploadedFile("tally.pdf", b"not a pdf at all")})
    assert response.status_code == 400
    form = response.context["progress_form"]
    assert form.errors["evidence"] == [
        "This file’s content is not a PDF file, whatever its name says."]
    assert form["note"].value() == "Two calm days"
    assert not goal.progress.exists()


def test_action_step_outside_the_program(client, goal, program_people):
    client.force_login(program_people.mentor)
    response = client.post(reverse("goals:step-add", args=[goal.pk]), {
        "step-description": "Visit a colleague's class", "step-due_on": "2027-07-01"})
    assert response.status_code == 400
    form = response.context["step_form"]
    assert "inside the program" in form.errors["due_on"][0]
    assert form["description"].value() == "Visit a colleague's class"


def test_drop_without_a_reason(client, goal, program_people):
    client.force_login(program_people.mentee)
    response = client.post(reverse("goals:goal-drop", args=[goal.pk]), {"reason": ""})
    assert response.status_code == 400
    assert errors_of(response, "reason") == ["Say in a few words why you are dropping it."]
    goal.refresh_from_db()
    assert goal.state == Goal.State.ACTIVE


def test_reflection_errors_keep_what_was_typed(client, program_people):
    client.force_login(program_people.mentee)
    response = client.post(reverse("goals:reflection-create"), {
        "program": program_people.program.pk, "body": "A long week, but the routine held.",
        "confidence": "4", "visibility": "mentor"})
    assert response.status_code == 400
    assert errors_of(response, "visibility") == [
        "You have no mentor in this program yet: keep it private for now."]
    assert response.context["form"]["body"].value() == "A long week, but the routine held."
    assert not Reflection.objects.exists()


def test_empty_comment_and_reply(client, goal, program_people, reflections):
    client.force_login(program_people.mentor)
    response = client.post(reverse("goals:comment-add", args=[goal.pk]), {"comment-body": ""})
    assert response.status_code == 400
    assert response.context["comment_form"].errors["body"] == ["Write a comment first."]
    response = client.post(reverse("goals:reflection-reply", args=[reflections.mentor.pk]),
                           {"body": " "})
    assert response.status_code == 400


def test_revise_keeps_the_old_version_readable(client, goal, program_people):
    client.force_login(program_people.mentee)
    response = client.post(reverse("goals:goal-revise", args=[goal.pk]),
                           {**GOAL, "target": "4", "program": program_people.program.pk})
    new = Goal.objects.get(revises=goal)
    assert response.url == reverse("goals:goal-detail", args=[new.pk])
    old_page = client.get(reverse("goals:goal-detail", args=[goal.pk])).content.decode()
    assert "This is an earlier version of the goal." in old_page
    new_page = client.get(response.url).content.decode()
    assert "Earlier versions" in new_page


def test_example_goal_prefills_a_new_goal(client, program_people):
    from tests.goals.factories import ExampleGoalFactory

    example = ExampleGoalFactory(program=program_people.program)
    client.force_login(program_people.mentee)
    response = client.get(reverse("goals:goal-create")
                          + f"?program={program_people.program.pk}&example={example.pk}")
    assert response.context["form"]["specific"].value() == example.specific
    assert "Started from an example" in response.content.decode()


def test_an_entry_can_be_about_a_goal_and_a_checkin_chosen_on_the_form(client, goal, pair,
                                                                       program_people):
    from pairing.models import CheckIn
    from tests.pairing.factories import CheckInFactory

    held = CheckInFactory(pairing=pair, status=CheckIn.Status.HELD)
    client.force_login(program_people.mentee)
    url = reverse("goals:reflection-create")
    page = client.get(url).content.decode()
    assert "About a check-in" in page and "About a goal" in page
    response = client.post(url, {"program": program_people.program.pk, "body": "Good talk.",
                                 "visibility": "private", "about_goal": goal.pk,
                                 "about_checkin": held.pk, "about_session": ""})
    entry = Reflection.objects.get()
    assert response.url == reverse("goals:reflection-detail", args=[entry.pk])
    assert (entry.goal, entry.checkin, entry.session) == (goal, held, None)


@pytest.mark.parametrize("value", ["abc", "1.5", "\x00"])
def test_smart_check_with_a_program_that_is_not_a_number_is_not_found(client,
                                                                      program_people, value):
    client.raise_request_exception = False
    client.force_login(program_people.mentee)
    response = client.post(reverse("goals:smart-check"), {**GOAL, "program": value})
    assert response.status_code == 404


@pytest.mark.parametrize("show", ["mine", "shared"])
def test_journal_search_with_a_nul_character_searches_the_rest(client, program_people,
                                                               reflections, show):
    client.raise_request_exception = False
    client.force_login(program_people.mentee if show == "mine" else program_people.mentor)
    response = client.get(reverse("goals:reflection-list"), {"q": "Pang\x00olin",
                                                              "show": show})
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("goals:reflection-detail", args=[reflections.mentor.pk]) in page
    assert reverse("goals:reflection-detail", args=[reflections.group.pk]) not in page


def test_the_draft_form_offers_celebrating_with_the_group_to_the_owner_only(
        client, goal, program_people):
    Goal.objects.filter(pk=goal.pk).update(state=Goal.State.DRAFT, celebrate_in_group=False)
    url = reverse("goals:goal-edit", args=[goal.pk])
    client.force_login(program_people.mentor)
    assert "celebrate_in_group" not in client.get(url).content.decode()
    response = client.post(url, {**GOAL, "celebrate_in_group": "on"})
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.specific == GOAL["specific"] and not goal.celebrate_in_group

    client.force_login(program_people.mentee)
    assert "celebrate_in_group" in client.get(url).content.decode()


def test_a_form_of_an_earlier_version_sends_to_the_current_one_and_saves_nothing(
        client, goal, program_people):
    from goals import services

    newer = services.revise_goal(goal=goal, revised_by=program_people.mentee,
                                 specific="Use a visual timetable every morning and noon")
    client.force_login(program_people.mentor)
    for name, data in [("progress-add", {"progress-value": "7",
                                         "progress-recorded_on": "2026-11-20"}),
                       ("step-add", {"step-description": "Laminate the cards",
                                     "step-due_on": "2026-12-04"}),
                       ("comment-add", {"comment-body": "Nice start"})]:
        response = client.post(reverse(f"goals:{name}", args=[goal.pk]), data, follow=True)
        assert response.redirect_chain == [
            (reverse("goals:goal-detail", args=[newer.pk]), 302)], name
        assert "This goal has been revised since the page was opened" in (
            response.content.decode())
    client.force_login(program_people.mentee)
    response = client.post(reverse("goals:goal-achieve", args=[goal.pk]))
    assert response.url == reverse("goals:goal-detail", args=[newer.pk])
    assert not goal.progress.exists() and not goal.comments.exists()
    assert not newer.progress.exists() and not newer.comments.exists()
    assert Goal.objects.get(pk=newer.pk).state == Goal.State.ACTIVE
