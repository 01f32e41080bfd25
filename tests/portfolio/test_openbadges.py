"""Open Badges 2.0 hosted verification: each award's assertion, its badge class, the issuer
profile and the badge image answer at public addresses on the configured site, with every
property the specification requires; a revoked award says so; the check page confirms an
email address without naming anyone."""

import hashlib
import json
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from portfolio import services
from portfolio.models import Issuer
from tests.portfolio.factories import AwardFactory, BadgeFactory

pytestmark = pytest.mark.django_db

SITE = "https://mentoring.example.org"
ASSERTION_FIELDS = {"@context", "type", "id", "recipient", "badge", "verification", "issuedOn"}
RECIPIENT_FIELDS = {"type", "identity", "hashed", "salt"}
BADGE_CLASS_FIELDS = {"@context", "type", "id", "name", "description", "image", "criteria",
                      "issuer"}
ISSUER_FIELDS = {"@context", "type", "id", "name", "url", "email"}


@pytest.fixture
def award(settings, program_people):
    settings.SITE_URL = SITE
    badge = BadgeFactory(district=program_people.program.district,
                         program=program_people.program, name="Community builder",
                         description="Brought colleagues together.",
                         criteria="Awarded by the coordinator for leading a family night.")
    Issuer.objects.create(district=badge.district, email="mentoring@example.org",
                          url="https://district.example.org/")
    return AwardFactory(badge=badge, recipient=program_people.mentee,
                        issued_at=datetime(2026, 11, 2, 15, tzinfo=UTC))


def get_json(client, url, status=200):
    assert url.startswith(SITE), url
    response = client.get(url.removeprefix(SITE))
    assert response.status_code == status
    assert response["Content-Type"] == "application/ld+json"
    return json.loads(response.content)


def test_the_assertion_has_every_required_property_at_its_own_address(client, award):
    url = SITE + reverse("portfolio:assertion", args=[award.public_id])
    document = get_json(client, url)

    assert ASSERTION_FIELDS - document.keys() == set()
    assert document["@context"] == "https://w3id.org/openbadges/v2"
    assert document["type"] == "Assertion"
    assert document["id"] == url
    assert document["verification"] == {"type": "hosted"}
    assert document["issuedOn"] == "2026-11-02T15:00:00+00:00"
    assert document["revoked"] is False
    recipient = document["recipient"]
    assert RECIPIENT_FIELDS - recipient.keys() == set()
    assert recipient["type"] == "email" and recipient["hashed"] is True
    expected = hashlib.sha256((award.recipient.email + recipient["salt"]).encode()).hexdigest()
    assert recipient["identity"] == f"sha256${expected}"
    # Nobody is named: neither the name nor the address appears anywhere.
    text = json.dumps(document)
    assert award.recipient.email not in text and award.recipient.display_name not in text
    assert document["badge"].startswith(SITE)


def test_the_badge_class_and_the_issuer_answer_at_the_addresses_they_are_named_by(
        client, award):
    assertion = get_json(client, SITE + reverse("portfolio:assertion", args=[award.public_id]))
    badge = get_json(client, assertion["badge"])

    assert BADGE_CLASS_FIELDS - badge.keys() == set()
    assert badge["type"] == "BadgeClass" and badge["id"] == assertion["badge"]
    assert badge["name"] == "Community builder"
    assert badge["description"] == "Brought colleagues together."
    assert badge["criteria"] == {
        "narrative": "Awarded by the coordinator for leading a family night."}

    issuer = get_json(client, badge["issuer"])
    assert ISSUER_FIELDS - issuer.keys() == set()
    assert issuer["type"] == "Issuer" and issuer["id"] == badge["issuer"]
    assert issuer["name"] == award.badge.district.name
    assert issuer["url"] == "https://district.example.org/"
    assert issuer["email"] == "mentoring@example.org"

    image = client.get(badge["image"].removeprefix(SITE))
    assert image.status_code == 200
    assert image["Content-Type"] == "image/svg+xml"
    assert b"<svg" in image.content and b"Community" in image.content


def test_a_revoked_assertion_answers_gone_and_revoked(client, award, program_people):
    services.revoke_award(award=award, by=program_people.coordinator,
                          reason="Private: given to the wrong person")
    url = SITE + reverse("portfolio:assertion", args=[award.public_id])
    document = get_json(client, url, status=410)

    assert document["revoked"] is True
    assert document["id"] == url
    assert "recipient" not in document
    assert "wrong person" not in json.dumps(document)


def test_the_issuer_falls_back_to_the_site_and_its_sender(client, settings, program_people):
    settings.SITE_URL = SITE
    settings.DEFAULT_FROM_EMAIL = "District Mentoring <mentoring@riverside.example.org>"
    issuer = Issuer.objects.create(district=program_people.program.district)
    document = get_json(client, SITE + reverse("portfolio:issuer", args=[issuer.public_id]))

    assert document["url"] == SITE + "/"
    assert document["email"] == "mentoring@riverside.example.org"


def test_the_download_is_the_public_assertion(client, award):
    client.force_login(award.recipient)
    response = client.get(reverse("portfolio:assertion-download", args=[award.pk]))

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert json.loads(response.content) == get_json(
        client, SITE + reverse("portfolio:assertion", args=[award.public_id]))


def test_an_unknown_address_is_not_found(client, award):
    import uuid

    for name in ("assertion", "badge-class", "badge-image", "issuer", "verify"):
        assert client.get(reverse(f"portfolio:{name}", args=[uuid.uuid4()])).status_code == 404


def test_the_check_page_confirms_the_address_it_was_awarded_to(client, award):
    url = reverse("portfolio:verify", args=[award.public_id])
    page = client.get(url)
    assert page.status_code == 200
    assert "Community builder" in page.content.decode()
    assert award.recipient.display_name not in page.content.decode()

    right = client.post(url, {"email": award.recipient.email.upper()}).content.decode()
    assert "Yes: this badge was awarded to this email address." in right
    wrong = client.post(url, {"email": "someone@example.org"}).content.decode()
    assert "No: this badge was not awarded to this email address." in wrong
    typo = client.post(url, {"email": "someone@"})
    assert typo.status_code == 400
    assert 'value="someone@"' in typo.content.decode()
    assert "Enter a valid email address." in typo.content.decode()


def test_a_revoked_badge_says_so_on_the_check_page(client, award, program_people):
    services.revoke_award(award=award, by=program_people.coordinator, reason="Mistake")
    page = client.get(reverse("portfolio:verify", args=[award.public_id])).content.decode()
    assert "This badge was revoked by its issuer" in page
    assert "Mistake" not in page


def test_the_downloaded_image_carries_the_assertion(client, award):
    client.force_login(award.recipient)
    response = client.get(reverse("portfolio:baked-image", args=[award.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert "attachment" in response["Content-Disposition"]
    svg = response.content.decode()
    url = SITE + reverse("portfolio:assertion", args=[award.public_id])
    assert f'<openbadges:assertion verify="{url}">' in svg
    assert 'xmlns:openbadges="http://openbadges.org"' in svg
    # The public image of the badge carries no award.
    public = client.get(reverse("portfolio:badge-image", args=[award.badge.public_id]))
    assert "openbadges:assertion" not in public.content.decode()


def test_an_assertion_is_checked_again_on_every_read_so_a_revocation_shows_at_once(
        client, award, program_people):
    url = reverse("portfolio:assertion", args=[award.public_id])
    assert "no-cache" in client.get(url)["Cache-Control"]
    services.revoke_award(award=award, by=program_people.coordinator, reason="Twice")
    response = client.get(url)
    assert response.status_code == 410 and "no-cache" in response["Cache-Control"]
