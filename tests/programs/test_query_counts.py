"""Program pages cost the same number of queries with 5 participants as with 5,000."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.models import StaffProfile, User
from programs.models import Application, Participant
from tests.programs.factories import ProgramFactory
from tests.queries import count_queries

MAX_QUERIES = 16


def enrol(program, school, count, start=0):
    """`count` people of the school, each an active mentee or an applicant with preferences."""
    users = User.objects.bulk_create(
        User(email=f"bulk{start + i}@example.org", display_name=f"Teacher {start + i:05d}",
             district=program.district) for i in range(count))
    StaffProfile.objects.bulk_create(StaffProfile(user=u, school=school) for u in users)
    EmailAddress.objects.bulk_create(EmailAddress(user=u, email=u.email, verified=True,
                                                  primary=True) for u in users)
    participants = Participant.objects.bulk_create(
        Participant(program=program, user=u, school=school,
                    role=Participant.Role.MENTOR if i % 5 == 0 else Participant.Role.MENTEE,
                    status=Participant.Status.APPLIED if i % 2 else Participant.Status.ACTIVE)
        for i, u in enumerate(users))
    mentors = [p for p in participants if p.role == Participant.Role.MENTOR][:3]
    applications = Application.objects.bulk_create(
        Application(participant=p) for p in participants
        if p.status == Participant.Status.APPLIED)
    Application.preferred_mentors.through.objects.bulk_create(
        Application.preferred_mentors.through(application=a, participant=m)
        for a in applications for m in mentors)


@pytest.mark.parametrize("name", ["programs:participants", "programs:participants-export",
                                  "programs:applications",
                                  "programs:detail", "programs:list"])
def test_program_pages_do_a_fixed_number_of_queries(name, people, client,
                                                    django_assert_max_num_queries):
    program = ProgramFactory(district=people.district, model="district_based")
    client.force_login(people.district_admin)
    url = reverse(name) if name == "programs:list" else reverse(name, args=[program.pk])
    enrol(program, people.school, 5)
    small = count_queries(client, url)
    enrol(program, people.school, 4995, start=5)
    assert program.participants.count() == 5000

    with django_assert_max_num_queries(MAX_QUERIES):
        large = count_queries(client, url)
    assert large == small
