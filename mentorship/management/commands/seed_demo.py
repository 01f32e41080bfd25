"""`manage.py seed_demo`: the demo district, built by each app's `demo.py` in turn."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.demo import (
    DEMO_PASSWORD,
    DISTRICT_NAME,
    SCHOOLS,
    STAFF_COUNT,
    DemoData,
    seed_demo_accounts,
    seed_district,
    seed_staff,
)
from accounts.models import StaffProfile
from goals.demo import seed_goals
from observations.demo import seed_observations
from pairing.demo import seed_pairings
from portfolio.demo import seed_portfolio
from programs.demo import seed_programs
from resources.demo import seed_resources
from surveys.demo import seed_surveys


class Command(BaseCommand):
    help = (
        f"Create the demo district '{DISTRICT_NAME}': {len(SCHOOLS)} schools, its subjects and "
        f"focus areas, about {STAFF_COUNT} staff with profiles (fixed random seed), and one "
        f"account per role (district admin, school admin, mentor, mentee, superuser) with the "
        f"password '{DEMO_PASSWORD}'; admins get a TOTP authenticator whose secret is printed. "
        f"Safe to run again: existing rows are reused and nothing changes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true",
            help="Seed even with DEBUG off, on a throwaway installation such as a test run.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo creates accounts with a published password, so it runs only with "
                "DEBUG on. Use --force on a throwaway installation."
            )
        demo = DemoData()
        with transaction.atomic():
            seed_district(demo)
            seed_staff(demo)
            seed_demo_accounts(demo)
            seed_programs(demo)
            seed_pairings(demo)
            seed_goals(demo)
            seed_observations(demo)
            seed_portfolio(demo)
            seed_resources(demo)
            seed_surveys(demo)
        self.report(demo)

    def report(self, demo):
        out, style = self.stdout, self.style
        district = demo.district
        out.write(style.SUCCESS(
            f"{district.name} ({district.time_zone}): {len(demo.schools)} schools, "
            f"{len(demo.subjects)} subjects, {len(demo.focus_areas)} focus areas, "
            f"{StaffProfile.objects.filter(user__district=district).count()} staff profiles."
        ))
        parts = [f"{n} {label} {verb}"
                 for verb, counter in (("created", demo.created), ("updated", demo.updated),
                                       ("removed", demo.removed))
                 for label, n in sorted(counter.items()) if n]
        if parts:
            out.write("This run: " + ", ".join(parts) + ".")
        else:
            out.write("This run: no changes; the demo data was already in place.")

        out.write("")
        out.write(style.MIGRATE_HEADING("Demo accounts"))
        width = max(len(a.spec.email) for a in demo.accounts)
        role_width = max(len(a.spec.role) for a in demo.accounts)
        out.write(f"  {'role':<{role_width}}  {'email':<{width}}  password")
        for account in demo.accounts:
            out.write(f"  {account.spec.role:<{role_width}}  {account.spec.email:<{width}}  "
                      f"{DEMO_PASSWORD}")

        out.write("")
        out.write(style.MIGRATE_HEADING(
            "Two-factor for admins: add the secret (or the URI) to any authenticator app"))
        for account in demo.accounts:
            if not account.totp_secret:
                continue
            out.write(f"  {account.spec.email}")
            out.write(f"    password: {DEMO_PASSWORD}")
            out.write(f"    secret:   {account.totp_secret}")
            out.write(f"    URI:      {account.totp_uri}")
