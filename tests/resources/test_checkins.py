"""Resources attached to a check-in: only the two people of the pairing attach and remove
them, and only while the pairing is open; what each of them sees of them on the check-in
page; suggestions from the mentee's focus areas; and how a resource's page names the
reader's own check-ins and only counts everyone else's."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from pairing.models import CheckIn, Pairing
from programs.models import Participant
from resources.models import Resource, ResourceUse
from resources.services import attach_to_checkin, attach_to_session, detach_from_checkin
from tests import factories
from tests.pairing.days import CHICAGO
from tests.pairing.factories import CheckInFactory, PairingFactory
from tests.programs.factories import ApplicationFactory, GroupSessionFactory, ParticipantFactory
from tests.queries import count_queries
from tests.resources.factories import resource

pytestmark = pytest.mark.django_db

NOBODY = dict.fromkeys(["coordinator", "mentor", "mentee", "school_rep", "district_admin",
                        "school_admin", "other_participant", "outsider"], 404)


def the_pair(status):
    return {**NOBODY, "mentor": status, "mentee": status}


@pytest.fixture
def checkin(pair):
    """A check-in the pair held last week, with notes only the two of them read."""
    return CheckInFactory(pairing=pair, scheduled_at=timezone.now() - timedelta(days=7),
                          status=CheckIn.Status.HELD, minutes_spent=30,
                          whats_working="Routines stick now", recorded_by=pair.mentee.user)


def checkin_url(checkin):
    return reverse("pairing:checkin-detail", args=[checkin.pk])


def attach_url(checkin):
    return reverse("resources:checkin-attach", args=[checkin.pk])


def detach_url(checkin, use):
    return reverse("resources:checkin-detach", args=[checkin.pk, use.pk])


def attached(checkin):
    return list(ResourceUse.objects.filter(object_id=checkin.pk)
                .values_list("resource__title", flat=True).order_by("resource__title"))


def set_status(pairing, status):
    pairing.status = status
    pairing.save(update_fields=["status"])


def other_pair(program_people, people):
    """Another mentor and mentee of the same program, strangers to the reader."""
    program = program_people.program
    return PairingFactory(
        mentor=ParticipantFactory(program=program, role=Participant.Role.MENTOR,
                                  user=factories.teacher(people.school,
                                                         user__display_name="Olive Grant")),
        mentee=ParticipantFactory(program=program, role=Participant.Role.MENTEE,
                                  user=factories.teacher(people.school,
                                                         user__display_name="Pat Moreno")))


# Who may do what: the pair, and nobody else

def test_the_pair_find_resources_to_attach_and_nobody_else(assert_pairing_access, checkin,
                                                           program_people):
    resource(program_people.coordinator, title="Fraction strips")

    assert_pairing_access(attach_url(checkin) + "?q=fraction", the_pair(200))


def test_the_pair_attach_a_resource_and_nobody_else(assert_pairing_access, checkin,
                                                    program_people):
    strips = resource(program_people.coordinator, title="Fraction strips",
                      scope=Resource.Scope.INSTALLATION)

    assert_pairing_access(attach_url(checkin), the_pair(302), method="post",
                          data={"resource": strips.pk})

    assert attached(checkin) == ["Fraction strips"]
    strips.refresh_from_db()
    assert strips.use_count == 1  # the mentee's second attach changed nothing


@pytest.mark.parametrize("chosen", ["²", "①", "abc", "9" * 30, ""])
def test_a_choice_that_is_no_resource_is_not_found(client, checkin, pair, chosen):
    client.force_login(pair.mentor.user)

    assert client.post(attach_url(checkin), {"resource": chosen}).status_code == 404
    assert attached(checkin) == []


def test_only_the_pair_remove_a_resource_whoever_attached_it(as_program_role, people, checkin,
                                                             pair):
    strips = resource(pair.mentor.user, title="Fraction strips")
    attach_to_checkin(resource=strips, checkin=checkin, added_by=pair.mentor.user)
    use = ResourceUse.objects.get()

    for role in ["coordinator", "school_rep", "district_admin", "school_admin",
                 "other_participant", "outsider"]:
        assert as_program_role(role).post(detach_url(checkin, use)).status_code == 404, role
    assert as_program_role("mentee").get(detach_url(checkin, use)).status_code == 405
    assert attached(checkin) == ["Fraction strips"]
    response = as_program_role("mentee").post(detach_url(checkin, use))

    assert response.status_code == 302
    assert response.url == checkin_url(checkin) + "#checkin-resources"
    assert attached(checkin) == []
    strips.refresh_from_db()
    assert strips.use_count == 0


def test_a_use_of_another_check_in_cannot_be_removed_through_this_one(client, checkin, pair):
    later = CheckInFactory(pairing=pair)
    attach_to_checkin(resource=resource(pair.mentor.user), checkin=later,
                      added_by=pair.mentor.user)
    client.force_login(pair.mentor.user)

    response = client.post(detach_url(checkin, ResourceUse.objects.get()))

    assert response.status_code == 404
    assert ResourceUse.objects.count() == 1


def test_a_resource_the_reader_cannot_read_cannot_be_attached(client, checkin, pair,
                                                              program_people):
    private = resource(program_people.coordinator, scope=Resource.Scope.AUTHORS)
    draft = resource(pair.mentee.user, status=Resource.Status.DRAFT)
    client.force_login(pair.mentee.user)

    assert client.post(attach_url(checkin), {"resource": private.pk}).status_code == 404
    assert client.post(attach_url(checkin), {"resource": draft.pk}).status_code == 404
    assert client.post(attach_url(checkin), {"resource": "abc"}).status_code == 404
    assert attached(checkin) == []
    with pytest.raises(PermissionDenied):
        attach_to_checkin(resource=private, checkin=checkin, added_by=pair.mentee.user)


def test_the_services_are_for_the_pair_and_attach_once(checkin, pair, program_people, people):
    strips = resource(program_people.coordinator, title="Fraction strips")

    for person in [program_people.coordinator, people.district_admin, people.school_admin]:
        with pytest.raises(PermissionDenied):
            attach_to_checkin(resource=strips, checkin=checkin, added_by=person)
    assert attach_to_checkin(resource=strips, checkin=checkin, added_by=pair.mentor.user)
    assert not attach_to_checkin(resource=strips, checkin=checkin, added_by=pair.mentee.user)
    use = ResourceUse.objects.get()
    with pytest.raises(PermissionDenied):
        detach_from_checkin(use=use, checkin=checkin, removed_by=program_people.coordinator)
    assert detach_from_checkin(use=use, checkin=checkin, removed_by=pair.mentee.user)
    assert not detach_from_checkin(use=use, checkin=checkin, removed_by=pair.mentee.user)
    strips.refresh_from_db()
    assert strips.use_count == 0


def test_a_paused_pairing_still_attaches(client, checkin, pair, program_people):
    strips = resource(program_people.coordinator, title="Fraction strips")
    set_status(pair, Pairing.Status.PAUSED)
    client.force_login(pair.mentee.user)

    assert client.post(attach_url(checkin), {"resource": strips.pk}).status_code == 302
    assert attached(checkin) == ["Fraction strips"]


def test_once_the_pairing_has_ended_its_check_ins_keep_their_resources_as_they_are(
        client, checkin, pair, program_people):
    strips = resource(program_people.coordinator, title="Fraction strips")
    other = resource(program_people.coordinator, title="Hinge questions")
    attach_to_checkin(resource=strips, checkin=checkin, added_by=pair.mentor.user)
    use = ResourceUse.objects.get()
    set_status(pair, Pairing.Status.ENDED)
    client.force_login(pair.mentor.user)

    assert client.get(attach_url(checkin) + "?q=hinge").status_code == 404
    assert client.post(attach_url(checkin), {"resource": other.pk}).status_code == 404
    assert client.post(detach_url(checkin, use)).status_code == 404
    page = client.get(checkin_url(checkin)).content.decode()

    assert attached(checkin) == ["Fraction strips"]
    assert "Fraction strips" in page
    assert "Search the library" not in page
    assert "Remove" not in page
    with pytest.raises(PermissionDenied):
        attach_to_checkin(resource=other, checkin=checkin, added_by=pair.mentor.user)


# What the pair sees on the check-in page

def test_the_pair_see_what_is_attached_and_only_titles_they_may_read(client, checkin, pair):
    mentor = pair.mentor.user
    shared = resource(mentor, title="Fraction strips")
    private = resource(mentor, title="My own notes on this mentee",
                       scope=Resource.Scope.AUTHORS)
    for res in (shared, private):
        attach_to_checkin(resource=res, checkin=checkin, added_by=mentor)

    client.force_login(pair.mentee.user)
    mentee_page = client.get(checkin_url(checkin)).content.decode()
    client.force_login(mentor)
    mentor_page = client.get(checkin_url(checkin)).content.decode()

    assert "Resources for this check-in" in mentee_page
    assert "Fraction strips" in mentee_page
    assert "A resource you do not have access to" in mentee_page
    assert "My own notes on this mentee" not in mentee_page
    assert "Search the library" in mentee_page  # either of the pair attaches
    assert "My own notes on this mentee" in mentor_page
    assert "Remove<span class=\"visually-hidden\">: Fraction strips" in mentor_page
    # After the notes and next steps.
    assert mentor_page.index("Next steps") < mentor_page.index("Resources for this check-in")


def test_a_check_in_with_nothing_attached_says_so(client, checkin, pair):
    client.force_login(pair.mentee.user)

    page = client.get(checkin_url(checkin)).content.decode()

    assert "No resources are attached to this check-in." in page


def test_search_answers_htmx_with_the_results_alone_and_a_browser_with_a_page(
        client, checkin, pair, program_people):
    resource(program_people.coordinator, title="Fraction strips")
    resource(program_people.coordinator, title="Lab safety")
    already = resource(program_people.coordinator, title="Fraction talks")
    attach_to_checkin(resource=already, checkin=checkin, added_by=pair.mentor.user)
    client.force_login(pair.mentor.user)

    partial = client.get(attach_url(checkin), {"q": "fractions"},
                         headers={"HX-Request": "true"})
    full = client.get(attach_url(checkin), {"q": "fractions"})
    nothing = client.get(attach_url(checkin), {"q": "volcanoes"})

    assert [r.title for r in partial.context["results"]] == ["Fraction strips"]
    assert "<html" not in partial.content.decode()
    assert "<h3" in partial.content.decode()  # under the panel's h2
    assert "<html" in full.content.decode()
    assert "Attach a resource to the check-in of" in full.content.decode()
    assert "every match is already attached to this check-in" in nothing.content.decode()
    assert f'action="{attach_url(checkin)}"' in full.content.decode()


def test_suggestions_share_the_mentees_focus_areas_most_used_first(client, checkin, pair,
                                                                  program_people):
    people = program_people
    area = people.program.district.focus_areas.create(name="Classroom management")
    other_area = people.program.district.focus_areas.create(name="Family engagement")
    ApplicationFactory(participant=pair.mentee).focus_areas.add(area)
    ApplicationFactory(participant=pair.mentor).focus_areas.add(other_area)
    popular = resource(people.coordinator, title="Seating charts", endorsement_count=9)
    quiet = resource(people.coordinator, title="Entry routines")
    unrelated = resource(people.coordinator, title="Family phone calls")
    hidden = resource(people.coordinator, title="Coordinator's draft",
                      status=Resource.Status.DRAFT)
    already = resource(people.coordinator, title="Already attached")
    for res in (popular, quiet, hidden, already):
        res.focus_areas.add(area)
    unrelated.focus_areas.add(other_area)
    attach_to_checkin(resource=already, checkin=checkin, added_by=pair.mentor.user)
    client.force_login(pair.mentor.user)

    page = client.get(checkin_url(checkin)).content.decode()

    suggested = page.split("Suggested from the mentee")[1]
    assert suggested.index("Seating charts") < suggested.index("Entry routines")
    for title in ["Family phone calls", "Coordinator&#x27;s draft", "Already attached"]:
        assert title not in suggested


def test_a_mentee_without_focus_areas_gets_no_suggestions(client, checkin, pair,
                                                         program_people):
    resource(program_people.coordinator, title="Seating charts")
    client.force_login(pair.mentee.user)

    page = client.get(checkin_url(checkin)).content.decode()

    assert "Suggested from the mentee" not in page


def test_the_checkin_page_costs_the_same_with_3_or_30_resources(
        client, checkin, pair, program_people, django_assert_max_num_queries):
    area = program_people.program.district.focus_areas.create(name="Classroom management")
    ApplicationFactory(participant=pair.mentee).focus_areas.add(area)

    def attach(count):
        for _i in range(count):
            res = resource(pair.mentor.user)
            res.focus_areas.add(area)
            attach_to_checkin(resource=res, checkin=checkin, added_by=pair.mentor.user)
            resource(program_people.coordinator).focus_areas.add(area)  # a suggestion
            private = resource(pair.mentor.user, scope=Resource.Scope.AUTHORS)
            attach_to_checkin(resource=private, checkin=checkin, added_by=pair.mentor.user)

    client.force_login(pair.mentee.user)
    attach(3)
    small = count_queries(client, checkin_url(checkin))
    attach(27)

    # The check-in page's own 6 (see tests/pairing/test_checkins_query_counts.py), the
    # panel's 2: what is attached with what the reader may read, and the suggestions; and
    # goals' panel's 1 (the mentee has no open goal here).
    with django_assert_max_num_queries(9):
        large = count_queries(client, checkin_url(checkin))
    assert large == small


# Where a resource was used, on its page

def test_the_resource_page_names_the_readers_own_check_ins_and_counts_the_rest(
        client, checkin, pair, program_people, people):
    strips = resource(program_people.coordinator, title="Fraction strips")
    attach_to_checkin(resource=strips, checkin=checkin, added_by=pair.mentor.user)
    strangers = other_pair(program_people, people)
    theirs = CheckInFactory(pairing=strangers, whats_working="Their private note")
    attach_to_checkin(resource=strips, checkin=theirs, added_by=strangers.mentor.user)
    url = reverse("resources:detail", args=[strips.pk])
    date = checkin.scheduled_at.astimezone(CHICAGO).strftime("%Y-%m-%d")

    client.force_login(pair.mentee.user)
    mentee_page = client.get(url).content.decode()
    readers = {}
    for person in [program_people.coordinator, people.district_admin, people.school_admin]:
        client.force_login(person)
        readers[person] = client.get(url).content.decode()

    assert f'href="{checkin_url(checkin)}"' in mentee_page
    assert f"Your check-in with {pair.mentor.user.display_name}" in mentee_page
    assert f'datetime="{date}' in mentee_page
    assert "1 place you cannot open" in mentee_page
    for page in [mentee_page, *readers.values()]:
        assert "Routines stick now" not in page
        assert "Their private note" not in page
        assert "Olive Grant" not in page
        assert "Pat Moreno" not in page
    for page in readers.values():  # those who run the program, and the admins
        assert reverse("pairing:checkin-detail", args=[checkin.pk]) not in page
        assert reverse("pairing:checkin-detail", args=[theirs.pk]) not in page
        assert "Your check-in" not in page
        assert "2 places you cannot open" in page


def test_the_resource_page_lists_sessions_and_check_ins_together(client, checkin, pair,
                                                                 program_people, team):
    strips = resource(program_people.coordinator, title="Fraction strips")
    session = GroupSessionFactory(group=team, title="Planning the fractions unit")
    attach_to_session(resource=strips, session=session, added_by=pair.mentor.user)
    attach_to_checkin(resource=strips, checkin=checkin, added_by=pair.mentor.user)
    client.force_login(pair.mentee.user)  # a member of the team too

    page = client.get(reverse("resources:detail", args=[strips.pk])).content.decode()

    assert "Planning the fractions unit" in page
    assert "Your check-in with" in page
    assert "you cannot open" not in page


def test_the_resource_page_costs_the_same_with_3_or_30_places(
        client, pair, program_people, people, team, django_assert_max_num_queries):
    strips = resource(program_people.coordinator, title="Fraction strips")
    strangers = other_pair(program_people, people)

    def use(count):
        for _i in range(count):
            mine = CheckInFactory(pairing=pair)
            attach_to_checkin(resource=strips, checkin=mine, added_by=pair.mentor.user)
            theirs = CheckInFactory(pairing=strangers)
            attach_to_checkin(resource=strips, checkin=theirs, added_by=strangers.mentee.user)
            session = GroupSessionFactory(group=team)
            attach_to_session(resource=strips, session=session, added_by=pair.mentor.user)

    url = reverse("resources:detail", args=[strips.pk])
    client.force_login(pair.mentee.user)
    use(3)
    small = count_queries(client, url)
    use(27)

    # The resource page's own 19 and the places' 3: their counts, then the sessions and the
    # check-ins the reader may open.
    with django_assert_max_num_queries(22):
        large = count_queries(client, url)
    assert large == small
    page = client.get(url).content.decode()
    assert "20 more check-ins of yours" in page
    assert "20 more sessions you can open" in page
    assert "30 places you cannot open" in page
