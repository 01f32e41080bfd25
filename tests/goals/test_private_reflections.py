"""A private reflection reaches nobody but its author: not the mentor, the coordinator,
the school or district admin, a superuser (the Django admin included), on any page, in any
export, count or search."""

import pytest
from django.urls import reverse

from goals.models import Reflection
from tests import factories
from tests.goals.factories import ReflectionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_morning")]

SECRET = "Quetzal private worry about Fridays"


@pytest.fixture
def superuser(people):
    user = factories.UserFactory(district=people.district, is_superuser=True, is_staff=True)
    factories.with_totp(user)
    return user


def pages(reflections, program):
    private = reflections.private.pk
    return [
        reverse("home"),
        reverse("goals:reflection-list"),
        reverse("goals:reflection-list") + "?show=shared",
        reverse("goals:reflection-list") + "?show=shared&q=Quetzal",
        reverse("goals:reflection-list") + "?q=Quetzal",
        reverse("goals:reflection-export"),
        reverse("goals:reflection-detail", args=[private]),
        reverse("goals:reflection-edit", args=[private]),
        reverse("goals:goal-list") + "?whose=mentees",
        reverse("goals:program-goals", args=[program.pk]),
        reverse("goals:program-goals-export", args=[program.pk]),
        reverse("programs:detail", args=[program.pk]),
    ]


def read(client, url):
    response = client.get(url)
    if hasattr(response, "streaming_content"):
        return response.status_code, b"".join(response.streaming_content).decode()
    return response.status_code, response.content.decode()


@pytest.mark.parametrize("role", ["mentor", "coordinator", "school_rep", "district_admin",
                                  "school_admin", "superuser"])
def test_private_entry_is_nowhere_for_anyone_else(role, client, people, program_people,
                                                  reflections, superuser):
    # The mentor may read the entries shared with them; they have an answer to it too.
    reader = {"superuser": superuser}.get(role) or getattr(program_people, role, None) or \
        getattr(people, role)
    client.force_login(reader)
    detail = reverse("goals:reflection-detail", args=[reflections.private.pk])
    for url in pages(reflections, program_people.program):
        status, body = read(client, url)
        assert SECRET not in body, (role, url)
        if url.startswith(detail):
            assert status == 404, (role, url)
        else:
            assert detail not in body, (role, url)
    assert not Reflection.objects.visible_to(reader).filter(pk=reflections.private.pk).exists()


def test_shared_list_counts_only_shared_entries(client, program_people, reflections):
    client.force_login(program_people.mentor)
    response = client.get(reverse("goals:reflection-list") + "?show=shared")
    assert response.context["page"].paginator.count == 2
    assert "Pangolin" not in response.content.decode()  # no body in another's list


def test_author_sees_and_exports_their_private_entry(client, program_people, reflections):
    client.force_login(program_people.mentee)
    _, listing = read(client, reverse("goals:reflection-list") + "?q=Quetzal")
    assert SECRET in listing
    _, export = read(client, reverse("goals:reflection-export"))
    assert SECRET in export and "Pangolin" in export


def test_django_admin_never_shows_a_private_entry(client, superuser, reflections):
    client.force_login(superuser)
    listing = client.get(reverse("admin:goals_reflection_changelist"))
    assert listing.status_code == 200
    page = listing.content.decode()
    assert SECRET not in page
    assert reverse("admin:goals_reflection_change", args=[reflections.private.pk]) not in page
    change = client.get(reverse("admin:goals_reflection_change",
                                args=[reflections.private.pk]))
    assert SECRET not in change.content.decode()
    assert change.status_code == 302  # "does not exist", back to the list
    shared = client.get(reverse("admin:goals_reflection_change",
                                args=[reflections.mentor.pk]))
    assert shared.status_code == 200
    assert "Pangolin" not in shared.content.decode()


def test_making_an_entry_private_again_takes_it_back(client, program_people, reflections):
    from goals import services

    services.update_reflection(reflection=reflections.mentor, changed_by=program_people.mentee,
                               body=reflections.mentor.body, confidence=None,
                               visibility=Reflection.Visibility.PRIVATE)
    client.force_login(program_people.mentor)
    assert client.get(reverse("goals:reflection-detail",
                              args=[reflections.mentor.pk])).status_code == 404


def test_reading_a_shared_entry_is_logged(client, program_people, reflections):
    from accounts.models import AccessRecord

    client.force_login(program_people.mentor)
    client.get(reverse("goals:reflection-detail", args=[reflections.mentor.pk]))
    client.force_login(program_people.mentee)
    client.get(reverse("goals:reflection-detail", args=[reflections.mentor.pk]))
    records = AccessRecord.objects.filter(record_id=reflections.mentor.pk)
    assert [(r.reader, r.owner) for r in records] == [(program_people.mentor,
                                                       program_people.mentee)]


def test_private_entries_of_other_programs_stay_private(client, program_people):
    ReflectionFactory(author=program_people.other_participant,
                      program=program_people.other_program, body="Okapi private")
    client.force_login(program_people.mentor)
    response = client.get(reverse("goals:reflection-list") + "?show=shared&q=Okapi")
    assert response.context["page"].paginator.count == 0
    assert "Okapi private" not in response.content.decode()


def test_group_members_do_not_read_the_linked_goal(client, reflections, team, goal,
                                                   program_people, people):
    from programs.models import Participant
    from tests.programs.factories import GroupMembershipFactory, ParticipantFactory

    Reflection.objects.filter(pk=reflections.group.pk).update(goal=goal)
    member = factories.teacher(people.school)
    GroupMembershipFactory(group=team, participant=ParticipantFactory(
        program=program_people.program, user=member, role=Participant.Role.MENTEE))
    client.force_login(member)
    for url in (reverse("goals:reflection-detail", args=[reflections.group.pk]),
                reverse("goals:reflection-list") + "?show=shared"):
        page = client.get(url).content.decode()
        assert "Axolotl" in page or "show=shared" in url
        assert goal.title[:40] not in page
    client.force_login(program_people.mentor)
    page = client.get(reverse("goals:reflection-detail",
                              args=[reflections.group.pk])).content.decode()
    assert goal.title[:40] in page
