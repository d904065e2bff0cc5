"""``python manage.py import_retrofits PATH [--srid S] [--gcj02] [--dry-run] [--user U]``: the ledger."""

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from dataio.importing.report import ImportRefused
from dataio.importing.retrofit_ledger import import_retrofit_ledger
from dataio.management.users import named_or_first_superuser

NO_SUPERUSER = "No superuser exists: create one, or name a district administrator with --user."


class Command(BaseCommand):
    help = ("Import the district's elevator retrofit ledger (CSV, Chinese or English headers; docs/data-io.md). "
            "Every row is checked first; all rows are imported or none. Rows whose external_id (项目编号) matches "
            "a retrofit update it, and new stage dates become stage events.")

    def add_arguments(self, parser):
        parser.add_argument("path", help="The ledger: a .csv file (UTF-8 or GB18030) or an .xlsx workbook (first sheet).")
        parser.add_argument("--srid", help="EPSG code of lon/lat (4326 default, 4490, 4547, 3857).")
        parser.add_argument("--gcj02", action="store_true", help="lon/lat are GCJ-02 (Gaode/AMap): convert them.")
        parser.add_argument("--dry-run", action="store_true", help="Check and report only; import nothing.")
        parser.add_argument("--user", help="Import as this user (default: the first superuser).")

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            report = import_retrofit_ledger(
                actor=named_or_first_superuser(options["user"], no_superuser=NO_SUPERUSER), path=path,
                srid=options["srid"], gcj02=options["gcj02"], dry_run=options["dry_run"])
        except ImportRefused as refused:
            self.stdout.write(refused.report.as_text())
            raise CommandError(refused.messages[0], returncode=1) from None
        except (ValidationError, PermissionDenied, OSError, UnicodeDecodeError) as error:
            messages = getattr(error, "messages", None) or [str(error)]
            raise CommandError(" ".join(str(m) for m in messages)) from None
        self.stdout.write(report.as_text())
        if report.dry_run and not report.ok:
            raise CommandError("Dry run: fix the rows above; nothing was written.", returncode=1)
        if report.dry_run:
            self.stdout.write("Dry run: every row can be imported; nothing was written.")
        else:
            self.stdout.write(self.style.SUCCESS(
                f"Imported {report.to_create} new and updated {report.to_update} retrofits."))
