"""The demo's surveys: one per shipped template in the induction program, some answered,
the demo mentee with one waiting; a second run changes nothing."""

from io import StringIO

from django.core.management import call_command

from surveys.models import Invitation, Response, Survey

MENTEE = "mentee@riverside.example.org"


def seed():
    out = StringIO()
    call_command("seed_demo", force=True, stdout=out)
    return out.getvalue()


def test_the_induction_program_has_a_survey_per_template(db):
    seed()
    surveys = Survey.objects.filter(program__name="New Teacher Induction")
    assert sorted(surveys.values_list("template__key", "status")) == [
        ("mentee-baseline", "closed"), ("mentee-end-of-year", "scheduled"),
        ("mentee-mid-year", "open"), ("mentor-experience", "open"),
        ("program-feedback", "draft")]
    baseline = surveys.get(template__key="mentee-baseline")
    assert baseline.responses.count() >= baseline.program.anonymity_threshold
    assert Invitation.objects.filter(user__email=MENTEE, survey__status="open",
                                     answered_on__isnull=True).exists()


def test_seeding_twice_changes_no_survey(db):
    seed()
    counts = (Survey.objects.count(), Invitation.objects.count(), Response.objects.count())
    assert "no changes" in seed()
    assert (Survey.objects.count(), Invitation.objects.count(),
            Response.objects.count()) == counts
