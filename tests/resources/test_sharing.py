"""Sharing a resource with a program or a group: who reads it, what the form offers, and
what a copy of it is shared with."""

import pytest
from django.urls import reverse

from programs.models import Participant
from resources.models import Resource
from resources.services import adapt_resource, create_resource, publish_resource
from tests import factories
from tests.programs.factories import GroupFactory, ParticipantFactory, ProgramFactory
from tests.resources.factories import resource

pytestmark = pytest.mark.django_db

NOBODY = dict.fromkeys(["coordinator", "mentor", "mentee", "district_admin", "school_admin",
                        "other_participant", "outsider"], 404)


def detail(res):
    return reverse("resources:detail", args=[res.pk])


def listed(client, **params):
    response = client.get(reverse("resources:list"), params)
    assert response.status_code == 200
    return [r.title for r in response.context["page"].object_list]


def test_a_program_resource_is_read_by_the_program_and_nobody_else(
        assert_program_access, program_people):
    people = program_people
    shared = resource(people.coordinator, scope=Resource.Scope.PROGRAM, program=people.program)

    assert_program_access(detail(shared), {**NOBODY, "coordinator": 200, "mentor": 200,
                                           "mentee": 200})


def test_a_group_resource_is_read_by_the_group_and_nobody_else(assert_program_access, team):
    lead = team.memberships.get(is_lead=True).participant.user
    shared = resource(lead, scope=Resource.Scope.GROUP, group=team)

    # The coordinator runs the program but is not in the group.
    assert_program_access(detail(shared), {**NOBODY, "mentor": 200, "mentee": 200})


def test_someone_who_withdrew_from_the_program_no_longer_reads_it(client, program_people):
    people = program_people
    shared = resource(people.coordinator, scope=Resource.Scope.PROGRAM, program=people.program,
                      title="Induction handbook")
    client.force_login(people.mentee)
    assert listed(client) == ["Induction handbook"]

    Participant.objects.filter(user=people.mentee).update(status=Participant.Status.WITHDRAWN)

    assert listed(client) == []
    assert client.get(detail(shared)).status_code == 404


def test_a_draft_for_the_program_stays_with_its_authors(assert_program_access, program_people):
    people = program_people
    draft = resource(people.coordinator, scope=Resource.Scope.PROGRAM, program=people.program,
                     status=Resource.Status.DRAFT)

    assert_program_access(detail(draft), {**NOBODY, "coordinator": 200})


def test_the_form_offers_only_the_writers_programs_and_groups(client, program_people, team):
    people = program_people
    client.force_login(people.mentee)

    form = client.get(reverse("resources:create")).context["form"]

    assert list(form.fields["program"].queryset) == [people.program]
    assert list(form.fields["group"].queryset) == [team]
    assert ("program", "A program") in form.fields["scope"].choices
    # Someone in no program is offered neither.
    client.force_login(factories.teacher(people.program.district.schools.first()))
    form = client.get(reverse("resources:create")).context["form"]
    assert "program" not in form.fields and "group" not in form.fields
    assert [value for value, _label in form.fields["scope"].choices] == [
        "authors", "district", "installation"]


def test_a_resource_is_written_for_a_program_through_the_form(client, program_people):
    people = program_people
    client.force_login(people.mentor)
    data = {"kind": "activity", "title": "Mentor check-in questions", "summary": "Ten questions.",
            "scope": "program", "program": people.program.pk}

    response = client.post(reverse("resources:create"), data)

    created = Resource.objects.get(title="Mentor check-in questions")
    assert response.status_code == 302
    assert (created.scope, created.program) == ("program", people.program)


def test_the_form_refuses_a_program_scope_without_a_program_or_someone_elses(
        client, program_people):
    people = program_people
    client.force_login(people.mentor)
    data = {"kind": "activity", "title": "Questions", "summary": "Ten.", "scope": "program"}

    missing = client.post(reverse("resources:create"), data)
    elsewhere = client.post(reverse("resources:create"),
                            {**data, "program": people.other_program.pk})

    assert missing.status_code == 400
    assert missing.context["form"].errors["program"] == ["Choose the program to share it with."]
    assert elsewhere.status_code == 400
    assert "program" in elsewhere.context["form"].errors
    assert not Resource.objects.filter(title="Questions").exists()


def test_the_service_refuses_a_group_the_writer_is_not_in(program_people, team):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        create_resource(author=program_people.coordinator, kind="activity", title="T",
                        summary="S", scope=Resource.Scope.GROUP, group=team)

    assert "group" in refused.value.message_dict


def test_a_copy_by_someone_in_the_program_stays_with_the_program(program_people):
    people = program_people
    source = resource(people.coordinator, scope=Resource.Scope.PROGRAM, program=people.program)

    copy = adapt_resource(source=source, author=people.mentee)

    assert (copy.scope, copy.program, copy.status) == ("program", people.program, "draft")


def test_a_copy_by_someone_outside_the_group_is_for_its_authors_only(program_people, team):
    people = program_people
    source = resource(people.mentor, scope=Resource.Scope.GROUP, group=team)
    # The coordinator reads it as its co-author, but is not in the group.
    source.authorships.create(user=people.coordinator)

    copy = adapt_resource(source=source, author=people.coordinator)
    publish_resource(resource=copy, published_by=people.coordinator)

    assert (copy.scope, copy.group, copy.program) == ("authors", None, None)
    assert not Resource.objects.visible_to(people.mentee).filter(pk=copy.pk).exists()


def test_search_filters_by_program_and_group_scope(client, program_people, team):
    people = program_people
    resource(people.mentor, scope=Resource.Scope.PROGRAM, program=people.program,
             title="For the program")
    resource(people.mentor, scope=Resource.Scope.GROUP, group=team, title="For the team")
    resource(people.mentor, title="For the district")
    client.force_login(people.mentee)

    assert listed(client, scope="program") == ["For the program"]
    assert listed(client, scope="group") == ["For the team"]
    assert sorted(listed(client)) == ["For the district", "For the program", "For the team"]


def test_a_program_of_another_district_is_never_offered_or_read(client, program_people):
    people = program_people
    elsewhere = ProgramFactory(name="Elsewhere")
    ParticipantFactory(program=elsewhere, user=people.mentee, role=Participant.Role.MENTEE)
    GroupFactory(program=elsewhere)
    client.force_login(people.mentee)

    form = client.get(reverse("resources:create")).context["form"]

    assert elsewhere not in form.fields["program"].queryset
