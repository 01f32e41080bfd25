"""The pages the pair works in: bad input keeps what was typed and is named next to its
field; the plain forms work without the page's script."""

import uuid

import pytest
from django.urls import reverse

from observations.models import ObservationCycle, ObservationNote, Rating
from tests.observations.factories import CycleFactory, generic_version, local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_morning")]
Stage = ObservationCycle.Stage


def test_the_mentor_starts_a_cycle_from_the_board(client, pair):
    client.force_login(pair.mentor.user)
    board = client.get(reverse("observations:board"))
    assert "New observation cycle" in board.content.decode()
    version = generic_version()

    response = client.post(reverse("observations:cycle-start", args=[pair.pk]),
                           {"kind": "mentor_observes", "template_version": version.pk})

    cycle = ObservationCycle.objects.get()
    assert response.url == reverse("observations:cycle-plan", args=[cycle.pk])


def test_a_pre_conference_on_a_weekend_keeps_what_was_typed(client, pair):
    cycle = CycleFactory(pairing=pair, look_fors=[])
    indicator = cycle.template_version.domains.first().indicators.first()
    client.force_login(pair.mentee.user)

    response = client.post(reverse("observations:cycle-plan", args=[cycle.pk]), {
        "focus": "Zebra questioning focus", "lesson_context": "Fractions",
        "look_fors": [indicator.pk], "scheduled_at": "2026-11-28T10:00",
        "duration_minutes": 45, "location": ""})

    assert response.status_code == 400
    page = response.content.decode()
    assert "not a school day" in page
    assert "Zebra questioning focus" in page
    cycle.refresh_from_db()
    assert cycle.focus == "Pacing of the opening"


def test_notes_post_without_the_script_and_a_resend_stores_one(client, pair):
    cycle = CycleFactory(pairing=pair, stage=Stage.OBSERVING, scheduled_at=local(2026, 11, 23, 9))
    client.force_login(pair.mentor.user)
    url = reverse("observations:note-add", args=[cycle.pk])
    data = {"text": "Teacher waits 3 seconds", "client_id": str(uuid.uuid4())}

    first = client.post(url, data)
    again = client.post(url, data, HTTP_HX_REQUEST="true")

    assert first.status_code == 302
    assert again.status_code == 200
    assert "Teacher waits 3 seconds" in again.content.decode()
    assert ObservationNote.objects.count() == 1


def test_an_empty_note_is_refused_next_to_the_field(client, pair):
    cycle = CycleFactory(pairing=pair, stage=Stage.OBSERVING, scheduled_at=local(2026, 11, 23, 9))
    client.force_login(pair.mentor.user)

    response = client.post(reverse("observations:note-add", args=[cycle.pk]),
                           {"text": "  ", "client_id": str(uuid.uuid4())})

    assert response.status_code == 400
    assert "Write what you saw or heard." in response.content.decode()


def test_ratings_are_saved_with_not_observed(client, pair):
    cycle = CycleFactory(pairing=pair, stage=Stage.OBSERVING, scheduled_at=local(2026, 11, 23, 9))
    first, second = cycle.look_fors.all()
    level = cycle.template_version.levels.get(value=3)
    client.force_login(pair.mentor.user)

    client.post(reverse("observations:ratings-save", args=[cycle.pk]),
                {f"indicator_{first.pk}": level.pk, f"indicator_{second.pk}": "na"})

    assert dict(Rating.objects.values_list("indicator_id", "level_id")) == {
        first.pk: level.pk, second.pk: None}
    page = client.get(reverse("observations:cycle-detail", args=[cycle.pk])).content.decode()
    assert "3. Established" in page and "Not observed" in page


def test_sharing_a_debrief_without_strengths_keeps_what_was_typed(client, pair):
    cycle = CycleFactory(pairing=pair, stage=Stage.DEBRIEF, scheduled_at=local(2026, 11, 23, 9))
    client.force_login(pair.mentor.user)

    response = client.post(reverse("observations:debrief", args=[cycle.pk]), {
        "strengths": "", "growth_areas": "Quokka pacing", "step_1": "Try a timer",
        "share": "1"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Start with what is working" in page
    assert "Quokka pacing" in page and "Try a timer" in page
    cycle.refresh_from_db()
    assert cycle.stage == Stage.DEBRIEF


def test_the_mentee_reads_the_debrief_only_once_it_is_shared(client, pair):
    cycle = CycleFactory(pairing=pair, stage=Stage.DEBRIEF, scheduled_at=local(2026, 11, 23, 9))
    client.force_login(pair.mentor.user)
    client.post(reverse("observations:debrief", args=[cycle.pk]), {
        "strengths": "Narwhal routines", "growth_areas": "", "step_1": "Timer", "save": "1"})
    client.force_login(pair.mentee.user)
    url = reverse("observations:cycle-detail", args=[cycle.pk])

    assert "Narwhal routines" not in client.get(url).content.decode()

    client.force_login(pair.mentor.user)
    client.post(reverse("observations:debrief", args=[cycle.pk]), {
        "strengths": "Narwhal routines", "growth_areas": "", "step_1": "Timer", "share": "1"})
    client.force_login(pair.mentee.user)
    assert "Narwhal routines" in client.get(url).content.decode()


def test_coverage_counts_cycles_per_term_and_names_teachers_not_observed(
        client, pair, people, program_people):
    from tests import factories
    from tests.observations.factories import full_cycle
    from tests.pairing.factories import PairingFactory
    from tests.programs.factories import ParticipantFactory

    program = pair.program
    program.terms.create(name="Fall term", starts_on="2026-08-17", ends_on="2026-12-18")
    full_cycle(pair)
    elsewhere = factories.teacher(people.other_school, user__display_name="Rosa Elsewhere")
    PairingFactory(mentor=ParticipantFactory(program=program, role="mentor",
                                             user=factories.teacher(people.school)),
                   mentee=ParticipantFactory(program=program, role="mentee", user=elsewhere))
    url = reverse("observations:coverage", args=[program.pk])

    client.force_login(program_people.coordinator)
    page = client.get(url + "?weeks=4").content.decode()
    assert "Rosa Elsewhere" in page
    assert pair.mentee.user.display_name not in page
    client.force_login(people.school_admin)
    # A school's admin counts their own school's teachers only.
    assert "Rosa Elsewhere" not in client.get(url).content.decode()
    bad = client.get(url + "?weeks=0")
    assert "Choose 1 to 52 weeks." in bad.content.decode()


def test_the_home_page_shows_the_readers_open_cycles_and_the_stage_due(client, pair,
                                                                       program_people):
    CycleFactory(pairing=pair, focus="Hidden focus words")
    client.force_login(pair.mentee.user)
    page = client.get(reverse("home")).content.decode()
    assert "Observation cycles" in page
    assert f"Your observation with {pair.mentor.user.display_name}" in page
    assert "Pre-conference" in page
    assert "Hidden focus words" not in page

    client.force_login(program_people.coordinator)
    assert "Observation cycles" not in client.get(reverse("home")).content.decode()


def test_the_program_tab_is_for_those_who_see_the_counts(client, pair, program_people):
    url = reverse("programs:detail", args=[pair.program_id])
    coverage = reverse("observations:coverage", args=[pair.program_id])

    client.force_login(program_people.coordinator)
    assert coverage in client.get(url).content.decode()
    client.force_login(pair.mentee.user)
    assert coverage not in client.get(url).content.decode()


def test_the_trend_follows_a_look_for_across_template_versions(pair, people):
    from observations.services import templates as template_services
    from observations.views.overview import trend_chart
    from tests.observations.factories import full_cycle, template_version

    first = template_version(people.district, levels=("Low", "Middle", "High"),
                             domains=(("Climate", ("Calm start",)),))
    full_cycle(pair, template_version=first)
    template_services.save_draft(
        version=template_services.start_draft(template=first.template,
                                              created_by=people.district_admin),
        edited_by=people.district_admin, outline="# Climate\n- A calm and quick start",
        levels="Low\nMiddle\nHigh", allows_not_observed=True)
    second = first.template.versions.get(number=2)
    template_services.publish_version(version=second, published_by=people.district_admin)
    later = full_cycle(pair, template_version=second)
    Rating.objects.filter(cycle=later).update(level=second.levels.get(value=3))

    chart = trend_chart(ObservationCycle.objects.of_mentee(pair.mentee.user))

    assert [s["label"] for s in chart["series"]] == ["A calm and quick start"]
    assert chart["series"][0]["values"] == [1, 3]
    assert chart["y_ticks"] == {1: "Low", 3: "High"}


def test_a_template_without_a_name_keeps_what_was_typed(client, people):
    client.force_login(people.district_admin)

    response = client.post(reverse("observations:template-create"),
                           {"name": "", "description": "Kestrel look-fors for science"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "This field is required." in page
    assert "Kestrel look-fors for science" in page


def test_sharing_with_someone_not_offered_is_refused_next_to_the_field(client, pair, people):
    from tests.observations.factories import full_cycle

    cycle = full_cycle(pair)
    client.force_login(pair.mentee.user)

    response = client.post(reverse("observations:sharing", args=[cycle.pk]),
                           {"recipient": people.outsider.pk})

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not cycle.shares.exists()


def test_a_double_posted_start_opens_the_cycle_started_a_moment_ago(client, pair):
    version = generic_version()
    client.force_login(pair.mentor.user)
    url = reverse("observations:cycle-start", args=[pair.pk])
    data = {"kind": ObservationCycle.Kind.MENTOR_OBSERVES, "template_version": version.pk}

    first = client.post(url, data)
    second = client.post(url, data, follow=True)

    cycle = ObservationCycle.objects.get()
    assert first.url == reverse("observations:cycle-plan", args=[cycle.pk])
    assert second.redirect_chain[-1][0] == first.url
    assert "This cycle was started a moment ago" in second.content.decode()
