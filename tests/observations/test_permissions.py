"""Every observation page tried by every role: the cycle's mentor and mentee, the program's
coordinator and school rep, the district's and the school's admins, another mentor of the
program, a participant of another program, an admin and a teacher of another district.

What a cycle holds (notes, ratings, evidence, the debrief) reaches its two people only;
anyone else gets 404 and finds none of it in any page, unless the mentee shares that one
cycle with them, and then each read is written to the access log."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from accounts.models import AccessRecord
from observations.models import EvidenceFile, ObservationCycle
from observations.services import cycles as services
from programs.models import Participant
from tests.observations.conftest import CYCLE_ROLES, PNG
from tests.observations.factories import CycleFactory, full_cycle, local, template_version

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_morning")]
Stage = ObservationCycle.Stage

NOTE = "Quetzal: nine of twelve students began within a minute"
STRENGTHS = "Wombat routines at the door"
GROWTH = "Ocelot wait time after questions"
STEP = "Axolotl: count to five"
SECRETS = [NOTE, STRENGTHS, GROWTH, STEP, "evidence-photo.png"]

PAIR = {"mentor", "mentee"}
NOBODY = dict.fromkeys(CYCLE_ROLES[:-1], 404)


def only(**statuses):
    return {**NOBODY, **statuses}


@pytest.fixture
def scene(pair):
    cycle = full_cycle(pair, note=NOTE, strengths=STRENGTHS, growth=GROWTH, step=STEP)
    evidence = EvidenceFile.objects.create(
        cycle=cycle, file=ContentFile(PNG, name="evidence-photo.png"),
        original_name="evidence-photo.png", content_type="image/png", size=len(PNG),
        uploaded_by=cycle.mentor)
    return cycle, evidence


def assert_no_secrets(responses, allowed=PAIR):
    for role, response in responses.items():
        if role in allowed or role == "anonymous" or not hasattr(response, "content"):
            continue
        page = response.content.decode(errors="ignore")
        leaked = [s for s in SECRETS if s in page]
        assert leaked == [], f"{role} read {leaked}"


def test_the_cycle_page_is_the_pairs_alone(scene, assert_cycle_access):
    cycle, _evidence = scene
    responses = assert_cycle_access(reverse("observations:cycle-detail", args=[cycle.pk]),
                                    only(mentor=200, mentee=200))
    assert all(s in responses["mentee"].content.decode() for s in SECRETS)
    assert_no_secrets(responses)
    # The two people of the cycle are never logged reading their own cycle.
    assert AccessRecord.objects.count() == 0


def test_evidence_files_are_served_to_the_pair_alone(scene, assert_cycle_access):
    _cycle, evidence = scene
    responses = assert_cycle_access(reverse("observations:evidence", args=[evidence.pk]),
                                    only(mentor=200, mentee=200))
    assert b"".join(responses["mentee"].streaming_content) == PNG
    assert responses["mentor"]["Cache-Control"].startswith("private")


def test_the_feedback_timeline_and_trends_are_the_teachers_and_their_mentors(
        scene, assert_cycle_access):
    cycle, _evidence = scene
    for name in ("observations:timeline", "observations:trends"):
        responses = assert_cycle_access(reverse(name, args=[cycle.mentee_id]),
                                        only(mentor=200, mentee=200))
        assert_no_secrets(responses)


def test_everyone_has_a_board_of_their_own_cycles_only(scene, assert_cycle_access):
    responses = assert_cycle_access(reverse("observations:board"),
                                    dict.fromkeys(CYCLE_ROLES[:-1], 200))
    assert_no_secrets(responses, allowed=set())
    mentee_board = responses["mentee"].content.decode()
    assert "Your feedback" in mentee_board
    assert "Your feedback" not in responses["coordinator"].content.decode()


def test_the_coordinator_and_admins_see_counts_not_content(scene, assert_cycle_access):
    cycle, _evidence = scene
    url = reverse("observations:coverage", args=[cycle.program_id])
    responses = assert_cycle_access(url, only(coordinator=200, district_admin=200,
                                              school_admin=200))
    assert_no_secrets(responses, allowed=set())
    assert "Closed" in responses["coordinator"].content.decode()


def test_work_pages_of_each_stage_are_the_pairs_alone(pair, assert_cycle_access):
    planning = CycleFactory(pairing=pair, look_fors=[])
    observing = CycleFactory(pairing=pair, stage=Stage.OBSERVING,
                             scheduled_at=local(2026, 11, 23, 9))
    debriefing = CycleFactory(pairing=pair, stage=Stage.DEBRIEF,
                              scheduled_at=local(2026, 11, 23, 9))
    reflecting = full_cycle(pair, stage=Stage.REFLECTION)

    assert_cycle_access(reverse("observations:cycle-start", args=[pair.pk]), only(mentor=200))
    assert_cycle_access(reverse("observations:cycle-plan", args=[planning.pk]),
                        only(mentor=200, mentee=200))
    assert_cycle_access(reverse("observations:cycle-observe", args=[observing.pk]),
                        only(mentor=200, mentee=200))
    assert_cycle_access(reverse("observations:debrief", args=[debriefing.pk]),
                        only(mentor=200))
    assert_cycle_access(reverse("observations:reflect", args=[reflecting.pk]),
                        only(mentee=200))
    assert_cycle_access(reverse("observations:sharing", args=[reflecting.pk]),
                        only(mentee=200))


def test_writes_are_refused_to_everyone_outside_the_pair(pair, assert_cycle_access):
    observing = CycleFactory(pairing=pair, stage=Stage.OBSERVING,
                             scheduled_at=local(2026, 11, 23, 9))
    indicator = observing.look_fors.first()

    assert_cycle_access(reverse("observations:note-add", args=[observing.pk]),
                        only(mentor=302, mentee=302), method="post",
                        data={"text": "A note", "client_id": "7d3a0a57-3a52-4b6c-9c1e-"
                                                             "3b1d7c0f8a11"})
    assert observing.notes.count() == 1
    assert_cycle_access(reverse("observations:ratings-save", args=[observing.pk]),
                        only(mentor=302), method="post",
                        data={f"indicator_{indicator.pk}": "na"})
    assert_cycle_access(reverse("observations:evidence-add", args=[observing.pk]),
                        only(mentor=400, mentee=400), method="post")
    assert_cycle_access(reverse("observations:cycle-stage", args=[observing.pk]),
                        only(mentor=302, mentee=302), method="post",
                        data={"action": "finish"})
    observing.refresh_from_db()
    assert observing.stage == Stage.DEBRIEF

    planning = CycleFactory(pairing=pair, look_fors=[])
    assert_cycle_access(reverse("observations:cycle-stage", args=[planning.pk]),
                        only(mentor=302), method="post", data={"action": "cancel"})
    planning.refresh_from_db()
    assert planning.stage == Stage.CANCELLED


def test_sharing_and_taking_back_are_the_mentees(pair, people, assert_cycle_access):
    cycle = full_cycle(pair)
    share = services.share_cycle(cycle=cycle, shared_by=pair.mentee.user,
                                 recipient=people.school_admin)
    assert_cycle_access(reverse("observations:share-revoke", args=[share.pk]),
                        only(mentee=302), method="post")
    share.refresh_from_db()
    assert share.revoked_at is not None


def test_a_shared_cycle_is_read_by_that_person_alone_and_each_read_is_logged(
        scene, people, program_people, client):
    cycle, evidence = scene
    share = services.share_cycle(cycle=cycle, shared_by=cycle.mentee,
                                 recipient=people.school_admin)
    url = reverse("observations:cycle-detail", args=[cycle.pk])

    client.force_login(people.school_admin)
    page = client.get(url).content.decode()
    client.get(reverse("observations:evidence", args=[evidence.pk]))

    assert all(s in page for s in SECRETS)
    assert "access log" in page
    reads = AccessRecord.objects.order_by("pk")
    assert [(r.reader, r.owner, r.record_id) for r in reads] == [
        (people.school_admin, cycle.mentee, cycle.pk),
        (people.school_admin, cycle.mentee, evidence.pk)]
    # Nobody else gains anything from the share.
    for other in (people.district_admin, program_people.coordinator):
        client.force_login(other)
        assert client.get(url).status_code == 404

    services.revoke_share(share=share, by=cycle.mentee)
    client.force_login(people.school_admin)
    assert client.get(url).status_code == 404
    assert client.get(reverse("observations:evidence", args=[evidence.pk])).status_code == 404


def test_a_draft_debrief_is_the_mentors_alone_even_when_the_cycle_is_shared(
        pair, people, client):
    cycle = full_cycle(pair, stage=Stage.DEBRIEF, shared=False, strengths=STRENGTHS)
    services.share_cycle(cycle=cycle, shared_by=cycle.mentee, recipient=people.district_admin)

    for reader, sees in ((cycle.mentor, True), (cycle.mentee, False),
                         (people.district_admin, False)):
        client.force_login(reader)
        page = client.get(reverse("observations:cycle-detail", args=[cycle.pk])).content
        assert (STRENGTHS in page.decode()) is sees, reader


def test_templates_are_read_in_the_district_and_built_by_those_who_manage(
        pair, people, program_people, assert_cycle_access):
    district = template_version(people.district, name="District rubric").template
    own = template_version(people.district, program=pair.program, name="Program rubric")
    readers = dict.fromkeys(CYCLE_ROLES[:-1], 200)

    assert_cycle_access(reverse("observations:templates"), readers)
    assert_cycle_access(reverse("observations:template-detail", args=[district.pk]),
                        {**readers, "outsider": 404, "outsider_teacher": 404})
    assert_cycle_access(reverse("observations:template-edit", args=[district.pk]),
                        only(district_admin=200))
    assert_cycle_access(reverse("observations:template-edit", args=[own.template_id]),
                        only(district_admin=200, coordinator=200))
    # Every district admin may build their own district's templates.
    assert_cycle_access(reverse("observations:template-create"),
                        only(district_admin=200, coordinator=200, outsider=200))


def test_a_programs_own_template_is_read_by_its_people_and_those_who_manage_it(
        pair, other_pair, people, program_people, client, assert_cycle_access):
    own = template_version(people.district, program=pair.program, name="Kestrel rubric")
    readers = only(mentor=200, mentee=200, coordinator=200, school_rep=200,
                   district_admin=200, other_mentor=200)
    for url in (reverse("observations:template-detail", args=[own.template_id]),
                reverse("observations:version-detail", args=[own.template_id, 1])):
        assert_cycle_access(url, readers)

    # The list names it to the same people only; the district's templates to everyone.
    template_version(people.district, name="Heron district rubric")
    for reader, sees in ((program_people.mentee, True), (people.district_admin, True),
                         (program_people.other_participant, False),
                         (people.school_admin, False)):
        client.force_login(reader)
        page = client.get(reverse("observations:templates")).content.decode()
        assert ("Kestrel rubric" in page) is sees, reader
        assert "Heron district rubric" in page

    # Someone who left the program no longer reads it.
    pair.mentee.status = Participant.Status.WITHDRAWN
    pair.mentee.save(update_fields=["status"])
    client.force_login(program_people.mentee)
    assert client.get(reverse("observations:template-detail",
                              args=[own.template_id])).status_code == 404


def test_next_steps_become_action_steps_for_the_pair_alone(pair, assert_cycle_access):
    from goals.models import ActionStep
    from tests.goals.factories import GoalFactory

    goal = GoalFactory(participant=pair.mentee)
    cycle = full_cycle(pair, stage=Stage.REFLECTION, goal=goal)
    step = cycle.debrief.next_steps.get()

    assert_cycle_access(reverse("observations:next-step-action", args=[step.pk]),
                        only(mentor=302, mentee=302), method="post", data={"goal": goal.pk})
    assert ActionStep.objects.get().goal == goal


def test_a_draft_version_is_read_by_those_who_edit_it(people, assert_cycle_access):
    version = template_version(people.district, published=False)
    url = reverse("observations:version-detail", args=[version.template_id, 1])

    assert_cycle_access(url, only(district_admin=200))
