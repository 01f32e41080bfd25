"""Import a staff roster from the file system, for scheduled syncs (cron, a systemd timer).

    manage.py import_roster PATH [--district ID_OR_NAME] [--format oneroster|simple_csv]
                                 [--partial] [--check]

PATH is a OneRoster zip, a directory of OneRoster CSV files, or a simple staff CSV. The
import is all or nothing: when the roster has problems they are listed, nothing changes,
and the command exits with status 1.
"""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import District
from programs.roster.formats import READERS
from programs.roster.sync import COUNT_LABELS
from programs.services.roster import import_roster_path


class Command(BaseCommand):
    help = "Import staff and schools from a OneRoster 1.1 CSV export or a simple staff CSV."

    def add_arguments(self, parser):
        parser.add_argument("path", help="a zip, a directory of OneRoster CSVs, or a CSV file")
        parser.add_argument("--district", help="the district's id or exact name (needed "
                                               "when the installation has several)")
        parser.add_argument("--format", choices=sorted(READERS),
                            help="default: oneroster for a zip or directory, simple_csv for "
                                 "a .csv file")
        parser.add_argument("--partial", action="store_true",
                            help="the file holds some people only: nobody is marked inactive "
                                 "for being missing from it")
        parser.add_argument("--check", action="store_true",
                            help="only check the file and print what would change")

    def handle(self, path, district=None, format=None, partial=False, check=False, **options):
        district = find_district(district)
        outcome = import_roster_path(path=path, district=district, format=format,
                                     full_sync=not partial, apply=not check)
        if outcome.problems:
            for problem in outcome.problems.kept:
                self.stderr.write(str(problem))
            hidden = outcome.problems.count - len(outcome.problems.kept)
            if hidden:
                self.stderr.write(f"... and {hidden} more problems.")
            raise CommandError(f"The roster has {outcome.problems.count} problems; nothing "
                               f"was changed.")
        verb = "Would change" if check else "Changed"
        self.stdout.write(f"{district.name}: {verb} {outcome.changes}.")
        for key, label in COUNT_LABELS:
            self.stdout.write(f"  {label}: {outcome.counts[key]}")


def find_district(value):
    districts = District.objects.all()
    if value is None:
        found = list(districts[:2])
        if len(found) != 1:
            raise CommandError("Name the district with --district (its id or name).")
        return found[0]
    match = (districts.filter(pk=int(value)) if value.isascii() and value.isdecimal()
             else districts.filter(name=value))
    found = list(match[:2])
    if len(found) != 1:
        raise CommandError(f"No single district matches “{value}”.")
    return found[0]
