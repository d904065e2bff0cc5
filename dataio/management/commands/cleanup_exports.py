"""``manage.py cleanup_exports``: delete the files of export jobs older than DATAIO_EXPORT_KEEP_DAYS (7).

The daily task ``dataio.delete_expired_exports`` does the same; this is for a one-off run or cron."""

from django.core.management.base import BaseCommand

from dataio.exporting.files import keep_days
from dataio.operations import delete_expired_exports


class Command(BaseCommand):
    help = "Delete export files of background jobs older than DATAIO_EXPORT_KEEP_DAYS days."

    def handle(self, *args, **options):
        deleted = delete_expired_exports()
        self.stdout.write(f"Deleted {deleted} export file(s) older than {keep_days()} day(s).")
