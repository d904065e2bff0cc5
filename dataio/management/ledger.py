"""The shape every ledger import command shares:
``manage.py import_<ledger> PATH [--dry-run] [--user U] [--no-progress]``.

A command names its import function (``ledger_import``) and its help; this base checks the path,
runs the import as ``--user`` (else the first superuser) with a tqdm bar per phase on stderr (off with
``--no-progress`` or ``-v 0``), prints the report — one line per problem
(row, field, problem) — and exits with status 1, having imported nothing, when any row is wrong.
"""

from functools import partial
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from dataio.importing.report import ImportRefused
from dataio.management.progress import terminal_progress
from dataio.management.users import named_or_first_superuser

NO_SUPERUSER = "No superuser exists: create one, or name a district administrator or street staff with --user."
PATH_HELP = "The ledger: a .csv file (UTF-8) or an .xlsx workbook (first sheet), with a header row."


class LedgerImportCommand(BaseCommand):
    #: ``staticmethod(f)``, ``f(actor=, path=, dry_run=, **options_of_the_command) -> ImportReport``.
    ledger_import = None
    path_help = PATH_HELP
    no_superuser = NO_SUPERUSER

    def add_arguments(self, parser):
        parser.add_argument("path", help=self.path_help)
        parser.add_argument("--dry-run", action="store_true", help="Check and report only; import nothing.")
        parser.add_argument("--user", help="Import as this user (default: the first superuser).")
        parser.add_argument("--no-progress", action="store_true", help="No progress bars (e.g. in cron or logs).")

    def import_options(self, options) -> dict:
        """The command's own options the import function takes (``--srid``, say)."""
        return {}

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        actor = named_or_first_superuser(options["user"], no_superuser=self.no_superuser)
        try:
            report = self.ledger_import(actor=actor, path=path, dry_run=options["dry_run"], progress=partial(
                terminal_progress, disable=options["no_progress"] or options["verbosity"] < 1),
                **self.import_options(options))
        except ImportRefused as refused:
            self.stdout.write(refused.report.as_text())
            raise CommandError(refused.messages[0], returncode=1) from None
        except (ValidationError, PermissionDenied, OSError, UnicodeDecodeError) as error:
            messages = getattr(error, "messages", None) or [str(error)]
            raise CommandError(" ".join(str(m) for m in messages)) from None
        self.stdout.write(report.as_text())
        self.finish(report)

    def finish(self, report) -> None:
        self.stdout.write("Checked only (--dry-run); nothing imported." if report.dry_run else "Imported.")
