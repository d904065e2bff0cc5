"""``manage.py import_resolutions PATH [--dry-run] [--user U]``: the district's resolution ledger of consultation (CSV or XLSX).

Runs :func:`dataio.importing.resolutions.import_resolutions` as ``--user`` (else the first superuser)
and prints the report: one line per problem (row, field, problem). Exits with status 1, having
imported nothing, when any row is wrong. Columns: docs/data-io.md ("Resolution ledger").
"""

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from dataio.importing.resolutions import import_resolutions
from dataio.importing.report import ImportRefused
from dataio.management.users import named_or_first_superuser

NO_SUPERUSER = "No superuser exists: create one, or name a district administrator or street staff with --user."


class Command(BaseCommand):
    help = ("Import consultation resolutions from the resolution ledger (CSV in UTF-8, or .xlsx; English or Chinese "
            "headers). Every row is checked first; all rows are imported or none. Rows of one meeting (same "
            "community, level, date and topic) form one meeting; rows whose external_id is a resolution's update "
            "it through the same operations as the pages.")

    def add_arguments(self, parser):
        parser.add_argument("path", help="The ledger: a .csv file (UTF-8) or an .xlsx workbook (first sheet), "
                                         "with a header row.")
        parser.add_argument("--dry-run", action="store_true", help="Check and report only; import nothing.")
        parser.add_argument("--user", help="Import as this user (default: the first superuser).")

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        actor = named_or_first_superuser(options["user"], no_superuser=NO_SUPERUSER)
        try:
            report = import_resolutions(actor=actor, path=path, dry_run=options["dry_run"])
        except ImportRefused as refused:
            self.stdout.write(refused.report.as_text())
            raise CommandError(refused.messages[0], returncode=1) from None
        except (ValidationError, PermissionDenied, UnicodeDecodeError) as error:
            messages = getattr(error, "messages", None) or [str(error)]
            raise CommandError(" ".join(str(m) for m in messages)) from None
        self.stdout.write(report.as_text())
        self.stdout.write("Checked only (--dry-run); nothing imported." if report.dry_run else "Imported.")
