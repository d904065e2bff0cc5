"""``manage.py export_projects --format geojson|gpkg|csv OUT [--street S] [--kind K] [--phase P] [--public] [--user U]``.

Exports the renovation projects a user may see (``--user``, default the first superuser:
everything), filtered like the public list; ``--public`` writes what anyone may download. Columns:
docs/data-io.md ("Exporting projects").
"""

from pathlib import Path

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError

from dataio.exporting.projects import export_rows, selection
from dataio.exporting.selection import is_public_export
from dataio.exporting.writers import ExportFailed, write_export
from dataio.management.users import named_or_first_superuser

FORMATS = ("geojson", "gpkg", "csv")


class Command(BaseCommand):
    help = "Export renovation projects to GeoJSON, GeoPackage or CSV (with WKT)."

    def add_arguments(self, parser):
        parser.add_argument("out", help="The file to write.")
        parser.add_argument("--format", required=True, choices=FORMATS)
        parser.add_argument("--street", default="", help="Only this street (code).")
        parser.add_argument("--kind", default="", help="Only this kind of project.")
        parser.add_argument("--phase", default="", help="Only this phase.")
        parser.add_argument("--public", action="store_true", help="Only what the public sees.")
        parser.add_argument("--user", help="Export what this user may see (default: the first superuser).")

    def handle(self, *args, **options):
        out = Path(options["out"])
        if not out.parent.is_dir():
            raise CommandError(f"No such folder: {out.parent}")
        user = AnonymousUser() if options["public"] else named_or_first_superuser(
            options["user"], no_superuser="No superuser exists: name a user with --user, or use --public.")
        projects = selection(user, {"street": options["street"], "kind": options["kind"], "phase": options["phase"]})
        count = projects.count()
        columns, rows = export_rows(projects, public=is_public_export(user))
        try:
            write_export(options["format"], columns, rows, out, layer="projects")
        except ExportFailed as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Exported {count} project(s) to {out}.")
