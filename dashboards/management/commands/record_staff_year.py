from django.core.management.base import BaseCommand, CommandError

from accounts.models import District
from dashboards.models import school_year_start
from dashboards.staff_years import current_school_year, record_staff_year


class Command(BaseCommand):
    help = ("Record who teaches in a district this school year (for retention), for "
            "districts that do not import a roster. Run it once a year, after staff "
            "changes settle; running it again replaces that year's list.")

    def add_arguments(self, parser):
        parser.add_argument("district", type=int, help="the district's number")
        parser.add_argument("--school-year", help="for example 2026-27 (default: the current one)")

    def handle(self, *args, district, school_year=None, **options):
        found = District.objects.filter(pk=district).first()
        if found is None:
            raise CommandError(f"No district number {district}.")
        year = school_year or current_school_year()
        if school_year_start(year) is None:
            raise CommandError("Write the school year as 2026-27.")
        count = record_staff_year(district=found, school_year=year)
        self.stdout.write(f"{found}: {count} teachers listed for {year}.")
