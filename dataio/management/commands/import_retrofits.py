"""``python manage.py import_retrofits PATH [--srid S] [--gcj02] [--dry-run] [--user U]``: the ledger.

Runs :func:`dataio.importing.retrofit_ledger.import_retrofit_ledger` (see :mod:`dataio.management.ledger`);
a dry run with a wrong row exits with status 1 too.
"""

from django.core.management.base import CommandError

from dataio.importing.retrofit_ledger import import_retrofit_ledger
from dataio.management.ledger import LedgerImportCommand


class Command(LedgerImportCommand):
    help = ("Import the district's elevator retrofit ledger (CSV, Chinese or English headers; docs/data-io.md). "
            "Every row is checked first; all rows are imported or none. Rows whose external_id (项目编号) matches "
            "a retrofit update it, and new stage dates become stage events.")
    ledger_import = staticmethod(import_retrofit_ledger)
    path_help = "The ledger: a .csv file (UTF-8 or GB18030) or an .xlsx workbook (first sheet)."
    no_superuser = "No superuser exists: create one, or name a district administrator with --user."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--srid", help="EPSG code of lon/lat (4326 default, 4490, 4547, 3857).")
        parser.add_argument("--gcj02", action="store_true", help="lon/lat are GCJ-02 (Gaode/AMap): convert them.")

    def import_options(self, options) -> dict:
        return {"srid": options["srid"], "gcj02": options["gcj02"]}

    def finish(self, report) -> None:
        if report.dry_run and not report.ok:
            raise CommandError("Dry run: fix the rows above; nothing was written.", returncode=1)
        if report.dry_run:
            self.stdout.write("Dry run: every row can be imported; nothing was written.")
        else:
            self.stdout.write(self.style.SUCCESS(
                f"Imported {report.to_create} new and updated {report.to_update} retrofits."))
