"""The demo's badges: district and induction badges of every kind, the automatic ones
awarded by the same check the background runs, the demo mentee holding the one awarded by
hand; a second run changes nothing."""

from io import StringIO

from django.core.management import call_command

from portfolio.models import Award, Badge, Criterion, Issuer

MENTEE = "mentee@riverside.example.org"
MENTOR = "mentor@riverside.example.org"


def seed():
    out = StringIO()
    call_command("seed_demo", force=True, stdout=out)
    return out.getvalue()


def test_the_demo_has_badges_of_every_kind_and_people_holding_them(db):
    seed()
    assert set(Badge.objects.values_list("criterion", flat=True)) == set(Criterion.values)
    assert Issuer.objects.get().email == "mentoring@riverside.example.org"
    mine = Award.objects.filter(recipient__email=MENTEE)
    assert mine.filter(badge__name="Community builder", method=Award.Method.MANUAL).exists()
    assert set(mine.values_list("badge__name", flat=True)) >= {
        "First goal achieved", "Observed and growing", "Reflective practitioner"}
    assert set(Award.objects.filter(recipient__email=MENTOR)
               .values_list("badge__name", flat=True)) >= {"Mentor training",
                                                           "Observation coach"}

    before = sorted(Award.objects.values_list("badge_id", "recipient_id", "salt"))
    again = seed()
    assert sorted(Award.objects.values_list("badge_id", "recipient_id", "salt")) == before
    assert "award" not in again.split("This run:")[1].split("\n")[0]
