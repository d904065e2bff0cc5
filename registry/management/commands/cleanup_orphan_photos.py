"""Delete photo files that no photo row refers to (run it periodically, e.g. hourly from cron).

Orphans come from transactions rolled back after their photos were stored (Django has no
rollback hook to delete them at once), from deleted photos and assets, and from crashes. Files
younger than ``--min-age`` minutes are left alone: their transaction may not have committed yet.
"""

import datetime

from django.core.management.base import BaseCommand

from registry.photos.storage import delete_quietly, orphan_files


class Command(BaseCommand):
    help = "Delete photo files no photo refers to and older than --min-age minutes (default 60)."

    def add_arguments(self, parser):
        parser.add_argument("--min-age", type=int, default=60, metavar="MINUTES",
                            help="only files at least this old (minutes; default 60)")
        parser.add_argument("--dry-run", action="store_true", help="list the files, delete nothing")

    def handle(self, *, min_age, dry_run, verbosity, **options):
        orphans = orphan_files(datetime.timedelta(minutes=min_age))
        if dry_run:
            for name in orphans:
                self.stdout.write(name)
            self.stdout.write(f"{len(orphans)} orphan file(s); nothing deleted (--dry-run).")
            return
        delete_quietly(orphans)
        if verbosity >= 1:
            self.stdout.write(f"Deleted {len(orphans)} orphan photo file(s).")
