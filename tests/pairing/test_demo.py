"""The demo's pairings: active pairs with a history of check-ins, some overdue, one paused,
one ended for a rematch, a rematch request waiting; a second run changes nothing."""

from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from pairing.models import CheckIn, NextStep, Pairing, RematchRequest


def seed():
    out = StringIO()
    call_command("seed_demo", force=True, stdout=out)
    return out.getvalue()


def test_the_demo_has_pairings_with_check_ins_some_overdue(db):
    seed()
    today = timezone.localdate()
    pairings = Pairing.objects.active()
    assert pairings.count() >= 8
    assert pairings.filter(mentor__user__email="mentor@riverside.example.org",
                           mentee__user__email="mentee@riverside.example.org").exists()
    assert Pairing.objects.overdue(today).exists()
    assert pairings.filter(next_checkin_due_on__gte=today).exists()
    assert CheckIn.objects.filter(status=CheckIn.Status.HELD).count() >= 20
    assert CheckIn.objects.filter(status=CheckIn.Status.SCHEDULED,
                                  scheduled_at__gte=timezone.now()).exists()
    assert NextStep.objects.open().filter(owner__email="mentee@riverside.example.org").exists()
    assert CheckIn.objects.filter(status=CheckIn.Status.MISSED).exists()
    assert not CheckIn.objects.filter(status__in=[CheckIn.Status.HELD, CheckIn.Status.MISSED],
                                      scheduled_at__gte=timezone.now()).exists()
    assert Pairing.objects.filter(status=Pairing.Status.PAUSED).count() == 1
    ended = Pairing.objects.get(status=Pairing.Status.ENDED)
    assert ended.end_reason == Pairing.EndReason.REMATCH
    assert ended.rematch_requests.get().state == RematchRequest.State.REMATCHED
    assert RematchRequest.objects.filter(state=RematchRequest.State.OPEN).count() == 1


def test_seeding_twice_changes_no_pairing(db):
    seed()
    counts = {model: model.objects.count()
              for model in (Pairing, CheckIn, NextStep, RematchRequest)}
    assert "no changes" in seed()
    assert counts == {model: model.objects.count() for model in counts}
