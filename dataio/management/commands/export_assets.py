"""``manage.py export_assets --format geojson|gpkg|shp|csv|osm OUT [--kind K] [--street S] [--status S]``.

Exports what a user may see (``--user``, default the first superuser: everything), filtered like
the map. ``--public`` writes what anyone may download instead: public assets, public columns.
Shapefiles are written as a zip (OUT must end in .zip).
"""

from pathlib import Path

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from dataio.exporting.rows import export_rows
from dataio.exporting.selection import is_public_export, map_selection, query_from
from dataio.exporting.writers import FORMATS, ExportFailed, write_export
from dataio.management.users import named_or_first_superuser


class Command(BaseCommand):
    help = "Export assets to GeoJSON, GeoPackage, a zipped Shapefile, CSV (with WKT) or OpenStreetMap XML."

    def add_arguments(self, parser):
        parser.add_argument("out", help="The file to write (a Shapefile export is a .zip).")
        parser.add_argument("--format", required=True, choices=FORMATS)
        parser.add_argument("--kind", action="append", default=[], help="Only this kind (repeatable).")
        parser.add_argument("--street", action="append", default=[], help="Only this street code (repeatable).")
        parser.add_argument("--community", action="append", default=[], help="Only this community code.")
        parser.add_argument("--status", action="append", default=[], help="Only this status (repeatable).")
        parser.add_argument("--public", action="store_true",
                            help="Only what the public sees: public assets, without internal columns.")
        parser.add_argument("--user", help="Export what this user may see (default: the first superuser).")
        parser.add_argument("--layer", default="assets", help="Layer name in GeoPackage/Shapefile (default assets).")

    def handle(self, *args, **options):
        out, fmt = Path(options["out"]), options["format"]
        if fmt == "shp" and out.suffix.lower() != ".zip":
            raise CommandError("A Shapefile export is a zip: name the output file *.zip.")
        if not out.parent.is_dir():
            raise CommandError(f"No such folder: {out.parent}")
        user = AnonymousUser() if options["public"] else named_or_first_superuser(
            options["user"], no_superuser="No superuser exists: name a staff user with --user, or use --public.")
        query = query_from(kind=options["kind"], street=options["street"], community=options["community"],
                           status=options["status"])
        try:
            assets = map_selection(user, query)
            count = assets.count()
            columns, rows = export_rows(assets, public=is_public_export(user))
            write_export(fmt, columns, rows, out, layer=options["layer"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        except ExportFailed as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Wrote {count} assets to {out} ({fmt})."))
