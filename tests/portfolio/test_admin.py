"""The Django admin lists badges, awards and issuers for the installation's operators; the
salt and hashed identity of an award are shown, never changed."""

import pytest
from django.urls import reverse

from tests import factories
from tests.portfolio.factories import AwardFactory, BadgeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(db):
    user = factories.UserFactory(district=None, is_staff=True, is_superuser=True)
    factories.with_totp(user)
    return user


def test_operators_list_and_open_badges_awards_and_issuers(client, operator, program_people):
    badge = BadgeFactory(district=program_people.program.district, name="Quokka helper")
    award = AwardFactory(badge=badge, recipient=program_people.mentee)
    client.force_login(operator)

    for url in [reverse("admin:portfolio_badge_changelist"),
                reverse("admin:portfolio_award_changelist"),
                reverse("admin:portfolio_issuer_changelist"),
                reverse("admin:portfolio_badge_change", args=[badge.pk])]:
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(reverse("admin:portfolio_award_change", args=[award.pk])).content.decode()
    assert award.identity in page
    assert 'name="identity"' not in page and 'name="salt"' not in page


def test_an_award_keeps_its_recipient_and_its_evidence_in_the_admin(client, operator,
                                                                    program_people):
    badge = BadgeFactory(district=program_people.program.district)
    award = AwardFactory(badge=badge, recipient=program_people.mentee,
                         evidence="Quokka evidence of the science night",
                         revocation_reason="Quokka reason")
    client.force_login(operator)
    page = client.get(reverse("admin:portfolio_award_change", args=[award.pk])).content.decode()
    assert 'name="recipient"' not in page
    assert "Quokka" not in page
    assert client.get(reverse("admin:portfolio_award_delete",
                              args=[award.pk])).status_code == 403
    assert client.get(reverse("admin:portfolio_award_add")).status_code == 403
