"""Restore a backup archive into a fresh database and media folder, and verify it (see ops.backup)."""

from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, restore


class Command(BaseCommand):
    help = ("Restore ARCHIVE (from `manage.py backup`) into a fresh database and media folder, then "
            "check row counts and checksums against its manifest. Refuses a non-empty target unless --force.")

    def add_arguments(self, parser):
        parser.add_argument("archive", metavar="ARCHIVE")
        parser.add_argument("--database-url", metavar="URL",
                            help="target database (postgis://…; created if missing); default: DATABASE_URL")
        parser.add_argument("--media-root", metavar="DIR", help="target media folder; default: MEDIA_ROOT")
        parser.add_argument("--force", action="store_true",
                            help="replace a non-empty target database (its public schema is dropped) "
                                 "and write into a non-empty media folder")

    def handle(self, *, archive, database_url, media_root, force, verbosity, **options):
        try:
            report = restore(archive, database_url=database_url, media_root=media_root, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if verbosity >= 1:
            self.stdout.write(f"Restored the backup of {report['created_at']} into {report['database']} "
                              f"and {report['media_root']}; verified:")
            for table, count in sorted(report["counts"].items()):
                self.stdout.write(f"  {table}: {count} rows")
            self.stdout.write(f"  media: {report['media_files']} files, checksums match")
            if report["missing_media"]:
                self.stderr.write(f"Warning: the backup lacked {len(report['missing_media'])} file(s) "
                                  "that photos refer to (already missing when it was made).")
