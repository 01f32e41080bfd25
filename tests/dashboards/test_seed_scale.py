"""`manage.py seed_scale` at a tiny size: every kind of row made, in one district, and
figures that the roll-up and the pages read."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import District, User
from dashboards.management.commands.seed_scale import program_sizes, seeded_people
from dashboards.models import ImpactFigure, StaffYear
from dashboards.rollups import refresh_district
from goals.models import Reflection
from observations.models import ObservationCycle, ObservationNote
from pairing.models import CheckIn, Pairing

pytestmark = pytest.mark.django_db


def test_program_sizes_add_up_with_a_few_large_ones():
    sizes = program_sizes(25_000, 50)
    assert sum(sizes) == 25_000
    assert 2_000 < sizes[0] < 5_000
    assert sizes == sorted(sizes, reverse=True)


def test_a_tiny_district_is_seeded_and_rolled_up(client, capsys):
    call_command("seed_scale", teachers=120, schools=6, pairings=40, programs=4,
                 school_year="2026-27")
    out = capsys.readouterr().out
    assert "Done in" in out
    district = District.objects.get(name="Scale district")
    assert district.schools.count() == 6
    assert User.objects.filter(district=district, email__startswith="teacher",
                               is_active=True).count() == 120
    current = Pairing.objects.filter(program__school_year="2026-27")
    assert current.count() == 40
    assert CheckIn.objects.filter(pairing__in=current).count() > 40 * 10
    assert ObservationCycle.objects.filter(program__district=district).exists()
    assert Reflection.objects.filter(program__district=district).count() == 40 * 10
    assert ObservationNote.objects.filter(cycle__program__district=district).exists()
    assert set(StaffYear.objects.values_list("school_year", flat=True)) == {"2025-26",
                                                                          "2026-27"}
    for label in ("check-ins", "reflections", "pairings", "teachers"):
        assert label in out

    refresh_district(district)
    total = ImpactFigure.objects.get(district=district, school_year="2026-27", grouping="all")
    assert total.people == 40
    assert ImpactFigure.objects.get(district=district, school_year="2025-26",
                                    grouping="all").mentees_on_staff > 0

    people = seeded_people(district)
    client.force_login(people["district_admin"])
    assert client.get(reverse("dashboards:district")).status_code == 200


def test_seed_scale_refuses_more_pairings_than_teachers_allow():
    with pytest.raises(CommandError, match="at most half"):
        call_command("seed_scale", teachers=10, schools=2, pairings=8, programs=2)
