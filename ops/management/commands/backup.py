"""Back up the database and the media files into one verified tar archive (see ops.backup)."""

from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, backup
from ops.backup import missing_media as backup_missing_media


class Command(BaseCommand):
    help = ("Write one tar archive with a pg_dump of the database, every media file and a manifest "
            "(row counts, sha256 checksums). Restore it with `manage.py restore`.")

    def add_arguments(self, parser):
        parser.add_argument("--output", default="backups", metavar="DIR",
                            help="folder for the archive (default: backups/)")

    def handle(self, *, output, verbosity, **options):
        try:
            path = backup(output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if verbosity >= 1:
            self.stdout.write(str(path))
        missing = backup_missing_media(path)
        if missing:
            self.stderr.write(f"Warning: {len(missing)} file(s) that photos refer to were not in the storage "
                              f"and are not in the backup: {', '.join(missing[:10])}")
