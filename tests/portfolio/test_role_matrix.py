"""Every badge page tried by every role: the program's coordinator, its mentor, mentee and
school rep, the district's admins, a participant of another program, an admin of another
district and anonymous visitors. Those outside get "not found" and see nothing; an award
is read by its recipient and those who manage its badge; the public Open Badges
addresses answer anyone."""

import uuid

import pytest
from django.urls import reverse

from portfolio.models import Criterion
from tests.portfolio.conftest import BADGE_ROLES
from tests.portfolio.factories import AwardFactory, BadgeFactory

pytestmark = pytest.mark.django_db

NAME = "Quasar family-night host"
EVIDENCE = "Zephyr: ran the science fair night"
NOWHERE = dict.fromkeys(BADGE_ROLES[:-1], 404)
MANAGERS = {"coordinator": 200, "district_admin": 200}


@pytest.fixture
def badge(program_people):
    return BadgeFactory(district=program_people.program.district,
                        program=program_people.program, name=NAME,
                        criterion=Criterion.MANUAL)


@pytest.fixture
def award(badge, program_people):
    return AwardFactory(badge=badge, recipient=program_people.mentee,
                        method="manual", awarded_by=program_people.coordinator,
                        evidence=EVIDENCE)


def test_the_badge_list_opens_for_everyone_and_shows_outsiders_nothing(
        badge, assert_badge_access, client, people):
    assert_badge_access(reverse("portfolio:badges"), dict.fromkeys(BADGE_ROLES[:-1], 200))

    client.force_login(people.outsider)
    assert NAME not in client.get(reverse("portfolio:badges")).content.decode()


def test_a_program_badge_is_seen_by_those_who_see_the_program(badge, assert_badge_access,
                                                               client, program_people):
    url = reverse("portfolio:badge-detail", args=[badge.pk])
    assert_badge_access(url, {**NOWHERE, "coordinator": 200, "mentor": 200, "mentee": 200,
                              "school_rep": 200, "district_admin": 200,
                              "school_admin": 200})


def test_only_those_who_manage_a_badge_change_it_or_award_it(badge, assert_badge_access):
    for name in ("portfolio:badge-edit", "portfolio:award-create"):
        assert_badge_access(reverse(name, args=[badge.pk]), {**NOWHERE, **MANAGERS})


def test_creating_a_badge_is_for_district_admins_and_program_managers(assert_badge_access):
    # The admin of another district creates badges for their own district.
    assert_badge_access(reverse("portfolio:badge-create"),
                        {**NOWHERE, **MANAGERS, "outsider": 200})


def test_an_award_is_read_by_its_recipient_and_those_who_manage_the_badge(
        award, assert_badge_access, client, people, program_people):
    expected = {**NOWHERE, **MANAGERS, "mentee": 200}
    for name in ("portfolio:award-detail", "portfolio:certificate",
                 "portfolio:assertion-download", "portfolio:baked-image"):
        assert_badge_access(reverse(name, args=[award.pk]), expected)
    # The evidence is read by the recipient and the coordinators only.
    for role in ("mentee", "coordinator"):
        client.force_login(getattr(program_people, role))
        page = client.get(reverse("portfolio:award-detail", args=[award.pk])).content.decode()
        assert EVIDENCE in page


def test_the_awards_list_of_a_badge_is_for_those_who_manage_it(award, client, people,
                                                               program_people):
    url = reverse("portfolio:badge-detail", args=[award.badge.pk])
    for person in (program_people.coordinator, people.district_admin):
        client.force_login(person)
        assert program_people.mentee.display_name in client.get(url).content.decode()
    for person in (program_people.mentor, program_people.school_rep, people.school_admin):
        client.force_login(person)
        page = client.get(url).content.decode()
        assert program_people.mentee.display_name not in page and EVIDENCE not in page


def test_revoking_and_reinstating_are_for_those_who_manage_the_badge(award,
                                                                    assert_badge_access):
    # The coordinator revokes first; the admin after finds it revoked already.
    revoke = reverse("portfolio:award-revoke", args=[award.pk])
    assert_badge_access(revoke, {**NOWHERE, "coordinator": 302, "district_admin": 400},
                        method="post", data={"reason": "Counted twice"})
    reinstate = reverse("portfolio:award-reinstate", args=[award.pk])
    assert_badge_access(reinstate, {**NOWHERE, "coordinator": 302, "district_admin": 302},
                        method="post")


def test_my_badges_opens_for_everyone_with_their_own_badges_only(award, assert_badge_access,
                                                                  client, program_people):
    assert_badge_access(reverse("portfolio:my-badges"), dict.fromkeys(BADGE_ROLES[:-1], 200))
    client.force_login(program_people.coordinator)
    assert NAME not in client.get(reverse("portfolio:my-badges")).content.decode()


def test_the_public_addresses_answer_anyone_and_name_nobody(award, client, program_people):
    badge = award.badge
    public = [reverse("portfolio:assertion", args=[award.public_id]),
              reverse("portfolio:badge-class", args=[badge.public_id]),
              reverse("portfolio:badge-image", args=[badge.public_id]),
              reverse("portfolio:verify", args=[award.public_id])]
    client.logout()
    for url in public:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert program_people.mentee.display_name not in text
        assert program_people.mentee.email not in text and EVIDENCE not in text
    assert client.get(reverse("portfolio:verify", args=[uuid.uuid4()])).status_code == 404


def test_everyone_in_a_district_downloads_their_own_portfolio(award, assert_badge_access,
                                                              client, program_people):
    for name in ("portfolio:portfolio", "portfolio:portfolio-html", "portfolio:portfolio-json"):
        assert_badge_access(reverse(name), dict.fromkeys(BADGE_ROLES[:-1], 200))
    client.force_login(program_people.coordinator)
    assert EVIDENCE not in client.get(reverse("portfolio:portfolio-json")).content.decode()


def test_the_awards_export_is_for_those_who_manage_the_badge(award, assert_badge_access,
                                                             client, program_people):
    url = reverse("portfolio:awards-export", args=[award.badge.pk])
    assert_badge_access(url, {**NOWHERE, **MANAGERS})
    client.force_login(program_people.coordinator)
    text = b"".join(client.get(url).streaming_content).decode()
    assert program_people.mentee.email in text and EVIDENCE not in text


def test_asking_for_a_check_is_for_those_who_manage_the_badge(badge, assert_badge_access):
    assert_badge_access(reverse("portfolio:badge-check", args=[badge.pk]),
                        {**NOWHERE, "coordinator": 302, "district_admin": 302}, method="post")
