import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from accounts.models import AccessRecord
from surveys import services
from surveys.models import Survey
from tests.surveys.factories import answer_all, mentees, open_survey, template

pytestmark = pytest.mark.django_db

MANAGERS = {"coordinator": 200, "district_admin": 200}
NOBODY_ELSE = {"mentor": 404, "mentee": 404, "school_rep": 404, "school_admin": 404,
               "other_participant": 404, "outsider": 404}


@pytest.fixture
def draft(program_people):
    return services.create_survey(program=program_people.program,
                                  created_by=program_people.coordinator, template=template(),
                                  opens_on=date(2026, 9, 1), closes_on=date(2026, 9, 30))


@pytest.fixture
def answered(program_people, people, clock_in_september):
    """An open survey answered by 8 mentees at Lincoln and 2 at Roosevelt."""
    mentees(program_people.program, people.school, 7)
    mentees(program_people.program, people.other_school, 2)
    survey = open_survey(program_people.program, program_people.coordinator)
    answer_all(survey, text="Quokka routines at the door")
    return survey


def test_program_surveys_page_access(assert_survey_access, program_people, draft):
    assert_survey_access(reverse("surveys:program-surveys", args=[program_people.program.pk]),
                         {**NOBODY_ELSE, **MANAGERS, "school_admin": 200})


def test_builder_pages_access(assert_survey_access, program_people, draft):
    question = draft.questions.first()
    expected = {**NOBODY_ELSE, **MANAGERS}
    assert_survey_access(reverse("surveys:survey-create", args=[program_people.program.pk]),
                         expected)
    assert_survey_access(reverse("surveys:survey-detail", args=[draft.pk]), expected)
    assert_survey_access(reverse("surveys:question-edit", args=[draft.pk, question.pk]),
                         expected)


def test_builder_posts_refused_to_everyone_else(assert_survey_access, draft):
    expected = {**NOBODY_ELSE, "coordinator": 302, "district_admin": 302}
    data = {"kind": "short_text", "text": "Anything else?"}
    assert_survey_access(reverse("surveys:question-add", args=[draft.pk]),
                         {**NOBODY_ELSE, "coordinator": 302, "district_admin": 302},
                         method="post", data=data)
    question = draft.questions.last()
    assert_survey_access(reverse("surveys:question-move", args=[draft.pk, question.pk]),
                         expected, method="post", data={"action": "up"})
    assert draft.questions.filter(text="Anything else?").count() == 2


def test_results_and_export_access(assert_survey_access, answered):
    expected = {**NOBODY_ELSE, **MANAGERS, "school_admin": 200}
    assert_survey_access(reverse("surveys:survey-results", args=[answered.pk]), expected)
    assert_survey_access(reverse("surveys:survey-export", args=[answered.pk]), expected)


def test_respondents_of_a_named_survey_for_those_who_run_the_program(
        assert_survey_access, program_people, clock_in_september, client):
    survey = open_survey(program_people.program, None, anonymous=False)
    answer_all(survey)
    response = survey.responses.get()
    expected = {**NOBODY_ELSE, **MANAGERS}
    assert_survey_access(reverse("surveys:survey-respondents", args=[survey.pk]), expected)
    assert_survey_access(reverse("surveys:response-detail", args=[survey.pk, response.pk]),
                         expected)
    # Each read of the mentee's answers by someone else is in the access log.
    assert AccessRecord.objects.filter(owner=program_people.mentee).count() == 2


def test_anonymous_survey_has_no_respondents_page(client, program_people, answered):
    client.force_login(program_people.coordinator)
    assert client.get(reverse("surveys:survey-respondents", args=[answered.pk])
                      ).status_code == 404


def test_create_from_template_then_send(client, program_people, clock_in_september):
    client.force_login(program_people.coordinator)
    response = client.post(reverse("surveys:survey-create", args=[program_people.program.pk]),
                           {"template": template("mentor-experience").pk, "title": "",
                            "stage": "custom", "opens_on": "2026-09-08",
                            "closes_on": "2026-09-25", "audience_roles": ["mentor"],
                            "anonymous": "on"})
    survey = Survey.objects.get()
    assert response.url == reverse("surveys:survey-detail", args=[survey.pk])
    assert survey.title == "Mentor experience"

    client.post(reverse("surveys:survey-send", args=[survey.pk]))

    survey.refresh_from_db()
    assert survey.status == Survey.Status.OPEN
    assert list(survey.invitations.values_list("user_id", flat=True)) == [
        program_people.mentor.pk]


def test_bad_question_is_refused_next_to_the_field_and_kept(client, draft):
    client.force_login(draft.program.participants.get(role="coordinator").user)
    response = client.post(reverse("surveys:question-add", args=[draft.pk]),
                           {"kind": "single", "text": "Which day suits you?",
                            "choices_text": "Only Monday"})

    assert response.status_code == 400
    assert "Give between 2 and 20 choices" in response.content.decode()
    assert "Which day suits you?" in response.content.decode()
    assert draft.questions.count() == 5


def test_custom_survey_without_dates_is_refused(client, program_people):
    client.force_login(program_people.coordinator)
    response = client.post(reverse("surveys:survey-create", args=[program_people.program.pk]),
                           {"title": "Pulse check", "stage": "custom"})

    assert response.status_code == 400
    assert "this survey runs on dates you choose" in response.content.decode()
    assert "Pulse check" in response.content.decode()
    assert not Survey.objects.exists()


def test_answer_without_signing_in_then_refused_kindly(client, program_people,
                                                       clock_in_september):
    survey = open_survey(program_people.program, None)
    url = reverse("surveys:answer", args=[services.invitation_token(
        survey.invitations.get())])
    data = {f"q{q.pk}": "4" for q in survey.questions.filter(kind__in=["likert", "scale"])}

    first = client.get(url)
    assert first.status_code == 200
    # A personal link's page is kept by no cache between the person and the server.
    assert "no-store" in first["Cache-Control"]
    assert client.post(url, data).status_code == 302
    second = client.post(url, data)

    assert second.status_code == 200
    assert "Thank you" in second.content.decode()
    assert "takes no second answer" in second.content.decode()
    assert survey.responses.count() == 1


def test_required_answers_are_asked_for_and_kept(client, program_people, clock_in_september):
    survey = open_survey(program_people.program, None)
    url = reverse("surveys:answer", args=[services.invitation_token(
        survey.invitations.get())])
    text = survey.questions.get(kind="long_text")

    response = client.post(url, {f"q{text.pk}": "Walrus afternoons"})

    assert response.status_code == 400
    page = response.content.decode()
    assert page.count("Please answer this question.") == 4
    assert "Walrus afternoons" in page
    assert survey.responses.count() == 0


def test_a_forged_link_is_not_found(client):
    assert client.get(reverse("surveys:answer", args=["nothing-here"])).status_code == 404


def test_named_survey_asks_the_invitee_to_sign_in(client, program_people, people,
                                                  clock_in_september):
    survey = open_survey(program_people.program, None, anonymous=False)
    url = reverse("surveys:answer", args=[services.invitation_token(
        survey.invitations.get())])

    assert client.get(url).url.startswith(reverse("account_login"))
    client.force_login(people.colleague)
    assert client.get(url).status_code == 403
    client.force_login(program_people.mentee)
    assert client.get(url).status_code == 200


def test_results_hide_a_small_school(client, program_people, people, answered):
    client.force_login(program_people.coordinator)

    response = client.get(reverse("surveys:survey-results", args=[answered.pk]))

    page = response.content.decode()
    assert "10 of 10 people answered" in page
    assert "Quokka routines at the door" in page
    # Lincoln's 8 would give away Roosevelt's 2 as 10 - 8: both hidden.
    assert page.count("hidden (fewer than 5") == 2


def test_filter_to_a_small_school_shows_nothing(client, program_people, people, answered):
    client.force_login(program_people.coordinator)

    response = client.get(reverse("surveys:survey-results", args=[answered.pk]),
                          {"school": people.other_school.pk})

    page = response.content.decode()
    assert "Too few answers to show" in page
    assert "Quokka" not in page


def test_school_admin_reads_their_own_school_only(client, people, answered):
    client.force_login(people.school_admin)

    response = client.get(reverse("surveys:survey-results", args=[answered.pk]))

    # Lincoln's 8 against Roosevelt's 2: showing Lincoln would give Roosevelt away.
    assert "Too few answers to show" in response.content.decode()


def test_csv_export_follows_the_same_rule(client, program_people, people, answered):
    client.force_login(program_people.coordinator)

    response = client.get(reverse("surveys:survey-export", args=[answered.pk]))

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["Section", "Question or group", "Answer", "Count", "Average"]
    assert ["Question", "I feel confident in my teaching.", "4 Agree", "10", ""] in rows
    schools = [row for row in rows if row[0] == "School"]
    assert sorted(schools) == [["School", "Lincoln Elementary", "", "fewer than 5", ""],
                               ["School", "Roosevelt Middle", "", "fewer than 5", ""]]
    filtered = client.get(reverse("surveys:survey-export", args=[answered.pk]),
                          {"school": people.other_school.pk})
    text = b"".join(filtered.streaming_content).decode()
    assert "Quokka" not in text and "Too few answers" in text


def test_home_panel_lists_surveys_to_answer(client, program_people, clock_in_september):
    survey = open_survey(program_people.program, None)
    client.force_login(program_people.mentee)

    page = client.get(reverse("home")).content.decode()

    assert "Surveys to answer" in page
    assert reverse("surveys:answer", args=[services.invitation_token(
        survey.invitations.get())]) in page


def test_program_tab_for_those_who_run_it(client, program_people, draft):
    url = reverse("surveys:program-surveys", args=[program_people.program.pk])
    client.force_login(program_people.coordinator)
    assert url in client.get(reverse("programs:detail", args=[program_people.program.pk])
                             ).content.decode()
    client.force_login(program_people.mentee)
    assert url not in client.get(reverse("programs:detail", args=[program_people.program.pk])
                                 ).content.decode()


def test_breakdown_shows_each_large_groups_average(client, program_people, people,
                                                    clock_in_september):
    lincoln = mentees(program_people.program, people.school, 4)
    mentees(program_people.program, people.other_school, 5)
    survey = open_survey(program_people.program, None)
    for invitation in survey.invitations.all():
        value = 5 if invitation.user_id in {u.pk for u in lincoln} | {
            program_people.mentee.pk} else 2
        services.submit_response(invitation=invitation, answers={
            q.pk: value for q in survey.questions.filter(kind="likert")})
    client.force_login(program_people.coordinator)

    report = client.get(reverse("surveys:survey-results", args=[survey.pk])).context["report"]

    assert [(row["label"], row["count"], row["averages"][0]) for row in report["breakdown"]] == [
        ("Lincoln Elementary", 5, 5.0), ("Roosevelt Middle", 5, 2.0)]
    export = client.get(reverse("surveys:survey-export", args=[survey.pk]))
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert ["School", "Roosevelt Middle", "I feel confident in my teaching.", "", "2.0"] in rows


def test_settings_saved_while_a_draft(client, program_people, draft):
    client.force_login(program_people.coordinator)
    url = reverse("surveys:survey-detail", args=[draft.pk])
    data = {"title": "Start of year check-in", "intro": "", "stage": "custom",
            "opens_on": "2026-09-10", "closes_on": "2026-09-20",
            "audience_roles": ["mentee", "mentor"], "anonymous": "on"}

    assert client.post(url, data).status_code == 302

    draft.refresh_from_db()
    assert (draft.title, str(draft.opens_on), draft.audience_roles) == (
        "Start of year check-in", "2026-09-10", ["mentee", "mentor"])


def test_settings_with_days_the_wrong_way_round_are_refused(client, program_people, draft):
    client.force_login(program_people.coordinator)
    response = client.post(reverse("surveys:survey-detail", args=[draft.pk]), {
        "title": "Backwards", "stage": "custom", "opens_on": "2026-09-20",
        "closes_on": "2026-09-10", "audience_roles": ["mentee"]})

    assert response.status_code == 400
    page = response.content.decode()
    assert "A survey closes on or after it opens." in page
    assert 'value="Backwards"' in page
    draft.refresh_from_db()
    assert draft.title != "Backwards"


def test_a_sent_survey_keeps_its_questions_and_can_be_closed(client, program_people,
                                                             clock_in_september):
    survey = open_survey(program_people.program, None)
    question = survey.questions.first()
    client.force_login(program_people.coordinator)

    client.post(reverse("surveys:question-move", args=[survey.pk, question.pk]),
                {"action": "remove"})
    assert survey.questions.filter(pk=question.pk).exists()
    page = client.get(reverse("surveys:survey-detail", args=[survey.pk])).content.decode()
    assert "Add a question" not in page

    client.post(reverse("surveys:survey-close", args=[survey.pk]))
    survey.refresh_from_db()
    assert survey.status == Survey.Status.CLOSED
    link = reverse("surveys:answer", args=[services.invitation_token(
        survey.invitations.get())])
    assert "The survey has closed" in client.get(link).content.decode()


def test_a_scheduled_survey_link_says_when_it_opens(client, program_people,
                                                    clock_in_september):
    survey = services.create_survey(program=program_people.program, created_by=None,
                                    template=template(), opens_on=date(2026, 9, 8),
                                    closes_on=date(2026, 9, 20))
    services.schedule_survey(survey=survey, scheduled_by=None)
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.SCHEDULED,
                                               opens_on=date(2026, 9, 14))
    link = reverse("surveys:answer", args=[services.invitation_token(
        survey.invitations.get())])

    page = client.get(link).content.decode()

    assert "The survey opens on" in page


def test_a_filtered_view_is_not_broken_down_and_two_filters_are_refused(
        client, program_people, people, answered):
    """Tables of two views side by side give a small cross cell away as a difference, so a
    filtered view shows no breakdown and two filters together show nothing."""
    client.force_login(program_people.coordinator)
    url = reverse("surveys:survey-results", args=[answered.pk])

    filtered = client.get(url, {"role": "mentee", "by": "school"})
    both = client.get(url, {"role": "mentee", "school": people.school.pk})

    assert filtered.context["report"]["allowed"]
    assert filtered.context["report"]["breakdown"] == []
    assert "Breakdowns are shown for the whole survey only" in filtered.content.decode()
    page = both.content.decode()
    assert "Choose one of role, school or group at a time" in page
    assert "Quokka" not in page
    export = client.get(reverse("surveys:survey-export", args=[answered.pk]),
                        {"role": "mentee", "school": people.school.pk})
    assert "Quokka" not in b"".join(export.streaming_content).decode()


def test_a_small_schools_admin_sees_no_count_under_the_threshold(client, people, answered):
    """Roosevelt's 2 answers are hidden in the breakdown; its admin's count says fewer than
    5 too, on the page and in the CSV."""
    from tests import factories

    client.force_login(factories.school_admin(people.other_school))

    page = client.get(reverse("surveys:survey-results", args=[answered.pk])).content.decode()
    export = client.get(reverse("surveys:survey-export", args=[answered.pk]))

    assert "Fewer than 5 of 2 people answered" in page
    assert "2 of 2" not in page and "100%" not in page
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert ["Answered", "", "", "fewer than 5", ""] in rows
