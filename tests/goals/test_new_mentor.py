"""An entry shared with the mentor is for the mentor the author was paired with when they
shared it. A mentor who comes later (a rematch) reads what is shared with them from the
day the pairing was approved, never what the mentee shared with the mentor before; entries
shared with the group keep reaching the group."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from accounts.models import School
from goals import services
from goals.models import Reflection
from pairing.models import Pairing, PairingEvent
from programs.models import Participant
from tests import factories
from tests.goals.conftest import participant
from tests.goals.factories import ReflectionFactory, ReflectionReplyFactory
from tests.pairing.factories import PairingFactory
from tests.programs.factories import GroupMembershipFactory, ParticipantFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_morning")]


def url(name, *args):
    return reverse(f"goals:{name}", args=args)


def share(program_people, body, visibility=Reflection.Visibility.MENTOR, at=None):
    entry = ReflectionFactory(author=program_people.mentee, program=program_people.program,
                              visibility=visibility, body=body)
    if at is not None:
        Reflection.objects.filter(pk=entry.pk).update(created_at=at, shared_at=at)
        entry.refresh_from_db()
    return entry


def end(pair, on=None):
    Pairing.objects.filter(pk=pair.pk).update(status=Pairing.Status.ENDED,
                                              ended_on=on or timezone.localdate())


def a_school(program_people):
    return School.objects.filter(district=program_people.program.district).first()


def new_mentor_for(program_people, *, approved_at=None, started_on=None):
    """A second mentor of the program, paired with the mentee by an approval at
    `approved_at` (now by default)."""
    approved_at = approved_at or timezone.now()
    user = factories.teacher(a_school(program_people))
    mentor = ParticipantFactory(program=program_people.program, user=user,
                                role=Participant.Role.MENTOR)
    pairing = PairingFactory(mentor=mentor, mentee=participant(program_people, "mentee"),
                             started_on=started_on or timezone.localtime(approved_at).date())
    PairingEvent.objects.create(pairing=pairing, kind=PairingEvent.Kind.APPROVED,
                                at=approved_at)
    return user


def test_a_new_mentor_reads_nothing_shared_with_the_mentor_before(
        pair, program_people, team, client):
    week_ago = timezone.now() - timedelta(days=7)
    earlier = share(program_people, "Pangolin worry for my first mentor", at=week_ago)
    ReflectionReplyFactory(reflection=earlier, author=program_people.mentor,
                           body="Answer from the first mentor")
    for_group = share(program_people, "Axolotl news for the team",
                      visibility=Reflection.Visibility.GROUP, at=week_ago)
    end(pair)
    newcomer = new_mentor_for(program_people)
    later = share(program_people, "Quokka hello to my new mentor")

    client.force_login(newcomer)
    assert client.get(url("reflection-detail", earlier.pk)).status_code == 404
    assert client.get(url("reflection-detail", for_group.pk)).status_code == 404
    assert client.post(url("reflection-reply", earlier.pk),
                       {"body": "Catching up"}).status_code == 404
    assert client.get(url("reflection-detail", later.pk)).status_code == 200
    shared = client.get(url("reflection-list"), {"show": "shared"}).content.decode()
    home = client.get(reverse("home")).content.decode()
    for page in (shared, home):
        assert url("reflection-detail", later.pk) in page
        assert url("reflection-detail", earlier.pk) not in page
        assert url("reflection-detail", for_group.pk) not in page
    assert earlier.replies.count() == 1
    with pytest.raises(PermissionDenied):
        services.reply_to_reflection(reflection=earlier, author=newcomer, body="Peek")

    # The first mentor keeps what was shared with them; the team keeps its entry.
    client.force_login(program_people.mentor)
    assert client.get(url("reflection-detail", earlier.pk)).status_code == 200
    assert client.get(url("reflection-detail", later.pk)).status_code == 404
    member = factories.teacher(a_school(program_people))
    GroupMembershipFactory(group=team, participant=ParticipantFactory(
        program=program_people.program, user=member, role=Participant.Role.MENTEE))
    client.force_login(member)
    assert client.get(url("reflection-detail", for_group.pk)).status_code == 200


def test_on_the_day_of_the_rematch_the_moment_of_approval_decides(
        pair, program_people, client):
    now = timezone.now()
    morning = share(program_people, "Shared in the morning", at=now - timedelta(minutes=30))
    end(pair)
    newcomer = new_mentor_for(program_people, approved_at=now - timedelta(minutes=10))
    afternoon = share(program_people, "Shared after the approval")

    client.force_login(newcomer)
    assert client.get(url("reflection-detail", morning.pk)).status_code == 404
    assert client.get(url("reflection-detail", afternoon.pk)).status_code == 200


def test_a_pairing_approved_before_the_program_starts_reads_what_is_shared_meanwhile(
        pair, program_people, client):
    end(pair)
    newcomer = new_mentor_for(program_people, approved_at=timezone.now() - timedelta(days=2),
                              started_on=timezone.localdate() + timedelta(days=10))
    meanwhile = share(program_people, "Before the first day")

    client.force_login(newcomer)
    assert client.get(url("reflection-detail", meanwhile.pk)).status_code == 200
    assert client.post(url("reflection-reply", meanwhile.pk),
                       {"body": "Glad to read it"}).status_code == 302
