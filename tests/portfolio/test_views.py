"""Badge pages as people use them: defining a badge, awarding it by hand, reading one's own
badges, revoking; bad input keeps what was typed and says what is wrong next to the field."""

import pytest
from django.urls import reverse

from portfolio.models import Award, Badge, Criterion
from tests.portfolio.factories import AwardFactory, BadgeFactory

pytestmark = pytest.mark.django_db


def test_the_home_page_shows_the_readers_latest_badges(client, program_people):
    badge = BadgeFactory(district=program_people.program.district, name="First steps")
    AwardFactory(badge=badge, recipient=program_people.mentee)
    client.force_login(program_people.mentee)

    page = client.get(reverse("home")).content.decode()
    assert "Your badges" in page and "First steps" in page
    assert ">New<" in page

    client.force_login(program_people.mentor)
    page = client.get(reverse("home")).content.decode()
    assert "You have no badges yet." in page and "First steps" not in page


def test_a_coordinator_defines_a_program_badge(client, program_people):
    client.force_login(program_people.coordinator)
    url = reverse("portfolio:badge-create")
    assert client.get(url).status_code == 200

    response = client.post(url, {
        "program": program_people.program.pk, "name": "Regular", "description": "Comes along.",
        "criteria": "Attend three group sessions.", "criterion": Criterion.SESSIONS_ATTENDED,
        "threshold": 3, "color": "#146c43", "active": "on"})

    badge = Badge.objects.get(name="Regular")
    assert response.status_code == 302
    assert response.url == reverse("portfolio:badge-detail", args=[badge.pk])
    assert badge.program == program_people.program
    assert badge.created_by == program_people.coordinator


def test_a_badge_with_missing_words_keeps_what_was_typed(client, program_people):
    client.force_login(program_people.coordinator)
    response = client.post(reverse("portfolio:badge-create"), {
        "program": program_people.program.pk, "name": "Half-written", "description": "",
        "criteria": "Attend.", "criterion": Criterion.SESSIONS_ATTENDED, "threshold": 0,
        "color": "#146c43"})

    page = response.content.decode()
    assert response.status_code == 400
    assert 'value="Half-written"' in page
    assert "This field is required." in page
    assert "Ensure this value is greater than or equal to 1." in page
    assert not Badge.objects.exists()


def test_a_second_badge_of_the_same_name_is_refused_next_to_the_name(client, program_people):
    BadgeFactory(district=program_people.program.district, program=program_people.program,
                 name="Regular")
    client.force_login(program_people.coordinator)
    response = client.post(reverse("portfolio:badge-create"), {
        "program": program_people.program.pk, "name": "Regular", "description": "x",
        "criteria": "x", "criterion": Criterion.MANUAL, "threshold": 1, "color": "#146c43"})

    assert response.status_code == 400
    assert "The program already has a badge with this name." in response.content.decode()


def test_a_coordinator_awards_a_badge_by_email_with_evidence(client, program_people):
    badge = BadgeFactory(district=program_people.program.district,
                         program=program_people.program, name="Family night host")
    client.force_login(program_people.coordinator)
    url = reverse("portfolio:award-create", args=[badge.pk])
    assert client.get(url).status_code == 200

    response = client.post(url, {"email": program_people.mentee.email.upper(),
                                 "evidence": "Ran the science fair night."})
    assert response.status_code == 302
    award = Award.objects.get()
    assert award.recipient == program_people.mentee
    assert award.evidence == "Ran the science fair night."

    again = client.post(url, {"email": program_people.mentee.email, "evidence": "Again."})
    assert again.status_code == 400
    assert "This person already has this badge." in again.content.decode()
    assert "Again." in again.content.decode()


def test_an_unknown_email_is_named_next_to_the_field(client, people, program_people):
    badge = BadgeFactory(district=program_people.program.district,
                         program=program_people.program)
    client.force_login(program_people.coordinator)
    response = client.post(reverse("portfolio:award-create", args=[badge.pk]),
                           {"email": people.outsider_teacher.email, "evidence": "Kept."})

    page = response.content.decode()
    assert response.status_code == 400
    assert "No one in your district has this email address." in page
    assert "Kept." in page
    assert not Award.objects.exists()


def test_my_badges_lists_the_readers_awards_with_revoked_ones_marked(client, program_people):
    district = program_people.program.district
    standing = AwardFactory(badge=BadgeFactory(district=district, name="Standing"),
                            recipient=program_people.mentee)
    AwardFactory(badge=BadgeFactory(district=district, name="Withdrawn one"),
                 recipient=program_people.mentee, revoked_at=standing.issued_at)
    AwardFactory(badge=BadgeFactory(district=district, name="Someone else's"),
                 recipient=program_people.mentor)
    client.force_login(program_people.mentee)

    page = client.get(reverse("portfolio:my-badges")).content.decode()
    assert "Standing" in page and "Withdrawn one" in page and "Revoked" in page
    assert "Someone else" not in page


def test_revoking_needs_a_reason_and_keeps_the_award(client, program_people):
    award = AwardFactory(badge=BadgeFactory(district=program_people.program.district,
                                            program=program_people.program),
                         recipient=program_people.mentee)
    client.force_login(program_people.coordinator)
    url = reverse("portfolio:award-revoke", args=[award.pk])

    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 400 and "This field is required." in empty.content.decode()
    assert client.post(url, {"reason": "Counted twice"}).status_code == 302
    award.refresh_from_db()
    assert award.is_revoked and Award.objects.count() == 1
    detail = client.get(reverse("portfolio:award-detail", args=[award.pk])).content.decode()
    assert "Counted twice" in detail and "Reinstate the badge" in detail

    assert client.post(reverse("portfolio:award-reinstate", args=[award.pk])).status_code == 302
    award.refresh_from_db()
    assert not award.is_revoked


def test_the_badges_list_shows_the_readers_progress(client, program_people):
    from tests.programs.factories import AttendanceFactory, GroupSessionFactory

    program = program_people.program
    BadgeFactory(district=program.district, program=program, name="Regular",
                 criterion=Criterion.SESSIONS_ATTENDED, threshold=3)
    mentee = program.participants.get(user=program_people.mentee)
    AttendanceFactory(session=GroupSessionFactory(group__program=program), participant=mentee)
    client.force_login(program_people.mentee)

    page = client.get(reverse("portfolio:badges")).content.decode()
    assert "Regular" in page and "You: 1 of 3" in page
    assert "3 group sessions attended" in page


def test_who_earns_a_held_badge_cannot_be_changed_but_its_words_can(client, program_people):
    program = program_people.program
    badge = BadgeFactory(district=program.district, program=program, name="Regular",
                         criterion=Criterion.SESSIONS_ATTENDED, threshold=3)
    AwardFactory(badge=badge, recipient=program_people.mentee)
    client.force_login(program_people.coordinator)
    url = reverse("portfolio:badge-edit", args=[badge.pk])
    assert "Fixed: people already hold this badge." in client.get(url).content.decode()

    response = client.post(url, {
        "program": program.pk, "name": "Regular", "description": "Clearer words.",
        "criteria": "Attend three group sessions.", "criterion": Criterion.MANUAL,
        "threshold": 1, "color": "#146c43"})  # no "active": retired
    badge.refresh_from_db()
    assert response.status_code == 302
    assert (badge.criterion, badge.threshold) == (Criterion.SESSIONS_ATTENDED, 3)
    assert badge.description == "Clearer words." and not badge.active


def test_a_coordinator_defines_badges_for_their_own_programs_only(client, program_people):
    client.force_login(program_people.coordinator)
    response = client.post(reverse("portfolio:badge-create"), {
        "program": program_people.other_program.pk, "name": "Elsewhere", "description": "x",
        "criteria": "x", "criterion": Criterion.MANUAL, "threshold": 1, "color": "#146c43"})

    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert not Badge.objects.exists()


def test_a_district_admin_defines_a_badge_for_the_whole_district(client, people):
    client.force_login(people.district_admin)
    response = client.post(reverse("portfolio:badge-create"), {
        "program": "", "name": "District reader", "description": "Reads.",
        "criteria": "Write five reflections.", "criterion": Criterion.REFLECTIONS_WRITTEN,
        "threshold": 5, "color": "#0b3d91", "active": "on"})

    badge = Badge.objects.get()
    assert response.status_code == 302
    assert badge.district == people.district and badge.program is None


def test_a_coordinator_asks_for_a_check_now(client, program_people,
                                            django_capture_on_commit_callbacks):
    from tests.programs.factories import AttendanceFactory, GroupSessionFactory

    program = program_people.program
    badge = BadgeFactory(district=program.district, program=program,
                         criterion=Criterion.SESSIONS_ATTENDED, threshold=1)
    mentee = program.participants.get(user=program_people.mentee)
    AttendanceFactory(session=GroupSessionFactory(group__program=program), participant=mentee)
    client.force_login(program_people.coordinator)
    assert "Check now" in client.get(
        reverse("portfolio:badge-detail", args=[badge.pk])).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portfolio:badge-check", args=[badge.pk]))

    assert response.status_code == 302
    assert list(badge.awards.values_list("recipient", flat=True)) == [program_people.mentee.pk]


def test_private_entries_never_show_in_who_holds_a_reflections_badge(
        client, people, program_people, django_capture_on_commit_callbacks):
    from goals.models import Reflection
    from tests.goals.factories import ReflectionFactory

    for _ in range(2):
        ReflectionFactory(author=program_people.mentee, program=program_people.program,
                          visibility=Reflection.Visibility.PRIVATE)
    client.force_login(people.district_admin)
    form = client.get(reverse("portfolio:badge-create")).content.decode()
    assert "a private journal stays private" in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portfolio:badge-create"), {
            "program": "", "name": "Reflective", "description": "x", "criteria": "x",
            "criterion": Criterion.REFLECTIONS_WRITTEN, "threshold": 1,
            "color": "#0b3d91", "active": "on"})
    assert response.status_code == 302
    badge = Badge.objects.get(name="Reflective")
    page = client.get(reverse("portfolio:badge-detail", args=[badge.pk])).content.decode()
    assert program_people.mentee.display_name not in page
    assert not Award.objects.exists()
