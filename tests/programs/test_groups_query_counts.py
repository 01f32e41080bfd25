"""Group pages cost the same number of queries whatever the size of the group."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.programs.factories import (
    AttendanceFactory,
    GroupMembershipFactory,
    GroupSessionFactory,
    HubPostFactory,
    ParticipantFactory,
)
from tests.queries import count_queries

pytestmark = pytest.mark.django_db

# Session, person, two-factor check (admins), district (time zone); then program, roles,
# group, membership check, and the page's own lists.
MAX_QUERIES = 17


def grow(group, size):
    """Add `size` members, `size` past sessions with attendance, `size` upcoming sessions and
    `size` hub threads with two replies each."""
    school = group.program.district.schools.first()
    now = timezone.now()
    for i in range(size):
        member = ParticipantFactory(program=group.program, user=factories.teacher(school))
        GroupMembershipFactory(group=group, participant=member)
        past = GroupSessionFactory(group=group, starts_at=now - timedelta(days=i + 1))
        AttendanceFactory(session=past, participant=member)
        GroupSessionFactory(group=group, starts_at=now + timedelta(days=i + 1))
        thread = HubPostFactory(group=group, author=member.user)
        for replier in (member.user, group.memberships.filter(is_lead=True).first()
                        .participant.user):
            HubPostFactory(group=group, author=replier, parent=thread)


@pytest.mark.parametrize(("name", "role"), [
    (name, role) for name in ("groups", "group-detail")
    for role in ("coordinator", "mentor", "mentee", "district_admin")
] + [("hub", "mentor"), ("hub", "mentee")])
def test_group_pages_do_a_fixed_number_of_queries(client, people, program_people, hub_team,
                                                   role, name, django_assert_max_num_queries):
    client.force_login(getattr(program_people, role, None) or getattr(people, role))
    args = [hub_team.program.pk] + ([] if name == "groups" else [hub_team.pk])
    url = reverse(f"programs:{name}", args=args)
    grow(hub_team, 5)
    small = count_queries(client, url)
    grow(hub_team, 35)

    with django_assert_max_num_queries(MAX_QUERIES):
        large = count_queries(client, url)
    assert large == small


def test_session_detail_does_a_fixed_number_of_queries(client, program_people, team,
                                                       django_assert_max_num_queries):
    client.force_login(program_people.mentor)
    session = GroupSessionFactory(group=team)
    url = reverse("programs:session-detail", args=[team.program.pk, session.pk])
    grow(team, 5)
    small = count_queries(client, url)
    grow(team, 35)

    with django_assert_max_num_queries(MAX_QUERIES):
        large = count_queries(client, url)
    assert large == small
