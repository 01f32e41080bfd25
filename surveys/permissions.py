"""Who may build surveys and read their results.

Surveys are found through `Survey.objects.visible_to` (anything outside it is a 404); these
predicates say what a person may do with what they can see. Those who manage the program
build and send surveys and read every result; a district admin reads every program's
results; a school admin reads the results of their own school's people. Who answered a
named survey is read by those who manage the program only.
"""

import rules

from programs.permissions import can_manage_program, in_district, is_school_admin_in_district


@rules.predicate
def manages_survey_program(user, survey):
    return survey is not None and can_manage_program(user, survey.program)


@rules.predicate
def district_admin_of_survey(user, survey):
    return survey is not None and in_district(user, survey.program) and user.is_district_admin


@rules.predicate
def school_admin_of_survey(user, survey):
    return (survey is not None and in_district(user, survey.program)
            and user.is_school_admin)


def results_scope(user, survey):
    """The schools whose people's answers this reader sees; None for every school."""
    if manages_survey_program(user, survey) or district_admin_of_survey(user, survey):
        return None
    return [school.pk for school in user.administered_schools]


rules.add_perm("surveys.manage_surveys", can_manage_program)
rules.add_perm("surveys.edit_survey", manages_survey_program)
rules.add_perm("surveys.view_results", manages_survey_program | district_admin_of_survey
               | school_admin_of_survey)
# The people of a named survey are shown to those who run the program, never to admins who
# only read results (mentoring is kept apart from evaluation).
rules.add_perm("surveys.view_respondents", manages_survey_program)
rules.add_perm("surveys.view_program_surveys",
               can_manage_program | is_school_admin_in_district)
