"""Pages cost the same number of queries whatever the size of the district."""

import pytest
from django.urls import reverse

from tests import factories
from tests.queries import count_queries

pytestmark = pytest.mark.django_db

# Session, person, roles, authenticator check, district (time zone), then the page's own.
MAX_QUERIES = 16
# The home page: those five, the person's programs, rematch requests, pairings, next steps,
# enrolling programs, one for each app's section (goals, observations, badges); for an
# admin their schools (and figures), for a district admin its programs and their health,
# people and invitations (see tests/dashboards/test_home_queries.py for every role).
HOME_QUERIES = 22


def grow(people, size):
    """Add `size` teachers with full profiles, `size` invitations to the school, and some
    district and school admins."""
    subjects = [people.district.subjects.get_or_create(name=f"Subject {i}")[0] for i in range(2)]
    for i in range(size):
        teacher = factories.teacher(people.school, years_of_experience=size % 12)
        teacher.staff_profile.subjects.set(subjects)
        factories.InvitationFactory(school=people.school, invited_by=people.district_admin)
        if i % 5 == 0:  # admins' roles are listed with them
            factories.district_admin(people.district)
            factories.school_admin(people.school)


@pytest.mark.parametrize(("role", "name"), [
    ("district_admin", "accounts:people"), ("district_admin", "accounts:schools"),
    ("district_admin", "accounts:invitations"), ("district_admin", "home"),
    ("school_admin", "accounts:school-detail"), ("school_admin", "home"),
])
def test_pages_do_a_fixed_number_of_queries(client, people, role, name,
                                            django_assert_max_num_queries):
    client.force_login(getattr(people, role))
    url = reverse(name, args=[people.school.pk] if name.endswith("detail") else [])
    grow(people, 1)
    small = count_queries(client, url)
    grow(people, 30)

    with django_assert_max_num_queries(HOME_QUERIES if name == "home" else MAX_QUERIES):
        large = count_queries(client, url)
    assert large == small
