"""The demo district's programs: several models, with applicants, participants and groups;
a second run changes nothing."""

from io import StringIO

from django.core.management import call_command

from programs.models import Application, Group, GroupSession, HubPost, Participant, Program


def seed():
    out = StringIO()
    call_command("seed_demo", force=True, stdout=out)
    return out.getvalue()


def test_the_demo_has_programs_of_several_models_with_people_and_groups(db):
    seed()
    programs = Program.objects.all()
    assert len({p.model for p in programs}) >= 4
    assert programs.filter(status=Program.Status.ENROLLING).exists()
    applicants = Participant.objects.applicants()
    assert applicants.count() >= 5
    assert Application.objects.filter(preferred_mentors__isnull=False).distinct().count() >= 5
    assert Participant.objects.filter(user__email="mentee@riverside.example.org",
                                      role=Participant.Role.MENTEE).exists()
    assert Group.objects.filter(memberships__is_lead=True).exists()
    assert GroupSession.objects.filter(attendance__isnull=False).exists()
    assert HubPost.objects.filter(parent__isnull=False).exists()
    for program in programs:
        assert program.participants.governance().exists(), program
        assert program.terms.count() == 2


def test_seeding_twice_changes_no_program(db):
    seed()
    counts = {model: model.objects.count() for model in
              (Program, Participant, Application, Group, GroupSession, HubPost)}
    assert "no changes" in seed()
    assert counts == {model: model.objects.count() for model in counts}


def test_the_learning_team_enrols_only_the_people_in_its_team(db):
    seed()
    program = Program.objects.get(name="Secondary Science Learning Team")
    in_team = Participant.objects.filter(program=program, memberships__isnull=False)
    enrolled = program.participants.exclude(role=Participant.Role.COORDINATOR)
    assert enrolled.count() == in_team.count()
    assert enrolled.filter(role=Participant.Role.LEAD_MENTOR).count() == 2
