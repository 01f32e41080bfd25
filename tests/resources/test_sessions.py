"""Resources on a group session's agenda: who attaches and removes them, what each reader
sees of them on the session page, suggestions from the group's focus areas, and where a
resource has been used."""

import pytest
from django.urls import reverse

from resources.models import Resource, ResourceUse
from resources.services import attach_to_session
from tests import factories
from tests.programs.factories import GroupSessionFactory
from tests.resources.factories import resource

pytestmark = pytest.mark.django_db

NOBODY = dict.fromkeys(["coordinator", "mentor", "mentee", "district_admin", "school_admin",
                        "other_participant", "outsider"], 404)
RUNNERS = {"coordinator", "mentor"}  # the program's coordinator, and the team's lead


@pytest.fixture
def session(team):
    return GroupSessionFactory(group=team, title="Planning the fractions unit")


def session_url(session):
    return reverse("programs:session-detail", args=[session.group.program_id, session.pk])


def attach_url(session):
    return reverse("resources:session-attach", args=[session.group.program_id, session.pk])


def detach_url(session, use):
    return reverse("resources:session-detach",
                   args=[session.group.program_id, session.pk, use.pk])


def on_agenda(session):
    return list(ResourceUse.objects.filter(object_id=session.pk)
                .values_list("resource__title", flat=True).order_by("resource__title"))


def test_those_who_run_the_group_find_resources_to_attach(assert_program_access, session,
                                                          program_people):
    resource(program_people.coordinator, title="Fraction strips")

    seen = assert_program_access(attach_url(session) + "?q=fraction",
                                 {**NOBODY, "coordinator": 200, "mentor": 200})

    assert seen["district_admin"] == 404  # admins see the group, they do not run it


def test_those_who_run_the_group_attach_a_resource_and_nobody_else(
        assert_program_access, session, program_people):
    strips = resource(program_people.coordinator, title="Fraction strips",
                      scope=Resource.Scope.INSTALLATION)

    assert_program_access(attach_url(session), {**NOBODY, "coordinator": 302, "mentor": 302},
                          method="post", data={"resource": strips.pk})

    assert on_agenda(session) == ["Fraction strips"]
    strips.refresh_from_db()
    assert strips.use_count == 1  # the lead's second attach changed nothing


def test_only_those_who_run_the_group_remove_a_resource(as_program_role, session,
                                                        program_people):
    strips = resource(program_people.mentor, title="Fraction strips")
    attach_to_session(resource=strips, session=session, added_by=program_people.mentor)
    use = ResourceUse.objects.get()

    for role in ["mentee", "district_admin", "school_admin", "other_participant", "outsider"]:
        assert as_program_role(role).post(detach_url(session, use)).status_code == 404, role
    assert on_agenda(session) == ["Fraction strips"]
    response = as_program_role("coordinator").post(detach_url(session, use))

    assert response.status_code == 302
    assert on_agenda(session) == []
    strips.refresh_from_db()
    assert strips.use_count == 0


def test_a_lead_cannot_attach_a_resource_they_cannot_read(client, session, program_people):
    private = resource(program_people.coordinator, scope=Resource.Scope.AUTHORS)
    client.force_login(program_people.mentor)

    response = client.post(attach_url(session), {"resource": private.pk})

    assert response.status_code == 404
    assert client.post(attach_url(session), {"resource": "abc"}).status_code == 404
    assert on_agenda(session) == []


def test_members_see_what_is_on_the_agenda_and_only_titles_they_may_read(
        client, session, program_people):
    people = program_people
    shared = resource(people.mentor, title="Fraction strips")
    private = resource(people.mentor, title="My own notes for the lead",
                       scope=Resource.Scope.AUTHORS)
    for res in (shared, private):
        attach_to_session(resource=res, session=session, added_by=people.mentor)
    client.force_login(people.mentee)

    page = client.get(session_url(session)).content.decode()

    assert "Resources for this session" in page
    assert "Fraction strips" in page
    assert "A resource you do not have access to" in page
    assert "My own notes for the lead" not in page
    assert "Search the library" not in page  # members read; leads attach
    assert "Remove" not in page


def test_the_lead_gets_the_search_and_remove_buttons(client, session, program_people):
    attach_to_session(resource=resource(program_people.mentor, title="Fraction strips"),
                      session=session, added_by=program_people.mentor)
    client.force_login(program_people.mentor)

    page = client.get(session_url(session)).content.decode()

    assert "Search the library" in page
    assert "Remove<span class=\"visually-hidden\">: Fraction strips" in page


def test_search_answers_htmx_with_the_results_alone_and_a_browser_with_a_page(
        client, session, program_people):
    resource(program_people.coordinator, title="Fraction strips")
    resource(program_people.coordinator, title="Lab safety")
    client.force_login(program_people.mentor)

    partial = client.get(attach_url(session), {"q": "fractions"}, headers={"HX-Request": "true"})
    full = client.get(attach_url(session), {"q": "fractions"})

    assert [r.title for r in partial.context["results"]] == ["Fraction strips"]
    assert "<html" not in partial.content.decode()
    assert "<html" in full.content.decode()
    assert "Attach a resource to “Planning the fractions unit”" in full.content.decode()


def test_suggestions_share_the_groups_focus_areas_most_used_first(client, session, team,
                                                                  program_people):
    people = program_people
    area = people.program.district.focus_areas.create(name="Assessment literacy")
    other_area = people.program.district.focus_areas.create(name="Family engagement")
    team.focus_areas.add(area)
    popular = resource(people.coordinator, title="Exit tickets", endorsement_count=9)
    quiet = resource(people.coordinator, title="Hinge questions")
    unrelated = resource(people.coordinator, title="Family phone calls")
    hidden = resource(people.coordinator, title="Coordinator's draft",
                      status=Resource.Status.DRAFT)
    attached = resource(people.coordinator, title="Already on the agenda")
    for res in (popular, quiet, hidden, attached):
        res.focus_areas.add(area)
    unrelated.focus_areas.add(other_area)
    attach_to_session(resource=attached, session=session, added_by=people.mentor)
    client.force_login(people.mentee)

    response = client.get(session_url(session))

    page = response.content.decode()
    suggested = page.split("Suggested from the group")[1]
    assert suggested.index("Exit tickets") < suggested.index("Hinge questions")
    for title in ["Family phone calls", "Coordinator&#x27;s draft", "Already on the agenda"]:
        assert title not in suggested


def test_the_session_page_costs_the_same_with_3_or_30_resources(
        client, session, program_people, team, django_assert_max_num_queries):
    people = program_people
    area = people.program.district.focus_areas.create(name="Assessment literacy")
    team.focus_areas.add(area)

    def attach(count):
        for _i in range(count):
            res = resource(people.mentor)
            res.focus_areas.add(area)
            attach_to_session(resource=res, session=session, added_by=people.mentor)
            resource(people.coordinator).focus_areas.add(area)  # a suggestion
            resource(people.coordinator, scope=Resource.Scope.AUTHORS)

    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(session_url(session)).status_code == 200
        return len(queries)

    client.force_login(people.mentor)
    attach(3)
    small = count_queries()
    attach(27)

    # The session page's own 13 (sign-in, program, roles, session, attendance) and the
    # panel's 4: the agenda with what the reader may read, whether the reader runs the
    # group, the group's focus areas, and the suggestions.
    with django_assert_max_num_queries(17):
        large = count_queries()
    assert large == small


def test_the_resource_page_names_the_sessions_the_reader_may_open_and_counts_the_rest(
        client, session, program_people, people):
    strips = resource(program_people.mentor, title="Fraction strips")
    attach_to_session(resource=strips, session=session, added_by=program_people.mentor)
    elsewhere = GroupSessionFactory(group__program=program_people.other_program,
                                    title="Another team's meeting")
    other_lead = factories.teacher(people.school)
    ResourceUse.objects.create(resource=strips, target=elsewhere, district=people.district,
                               added_by=other_lead)
    url = reverse("resources:detail", args=[strips.pk])

    client.force_login(program_people.mentee)
    member_page = client.get(url).content.decode()
    client.force_login(people.school_admin)
    admin_page = client.get(url).content.decode()

    assert "Planning the fractions unit" in member_page
    assert "1 place you cannot open" in member_page
    assert "Another team&#x27;s meeting" not in member_page
    assert "Planning the fractions unit" not in admin_page
    assert "2 places you cannot open" in admin_page
