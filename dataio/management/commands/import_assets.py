"""``manage.py import_assets PATH --kind KIND [--layer L] [--srid S] [--gcj02] [--mapping FILE] [--dry-run]
[--no-progress]``.

Runs :func:`dataio.operations.import_assets` as a district administrator (``--user``, else the
first superuser), with a progress bar per phase on the terminal (tqdm, on stderr; ``--no-progress`` or
``-v 0`` turns it off), and prints the report: one line per
problem (layer, row, field, problem). Exits with status 1, having imported nothing, when any
row is wrong.
"""

from functools import partial
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from dataio.importing.columns import load_mapping
from dataio.importing.report import ImportRefused
from dataio.management.users import named_or_first_superuser
from dataio.management.progress import terminal_progress
from dataio.operations import import_assets
from registry.assets import AssetKind

NO_SUPERUSER = "No superuser exists: create one, or name a district administrator with --user."


class Command(BaseCommand):
    help = ("Import assets of one kind from GeoJSON, a zipped Shapefile, a GeoPackage, KML or CSV (lon/lat or "
            "WKT columns). Every row is checked first; all rows are imported or none. Rows whose external_id "
            "matches an asset of the kind update it.")

    def add_arguments(self, parser):
        parser.add_argument("path", help="The file: .geojson/.json, .zip (Shapefile), .shp, .gpkg, .kml or .csv.")
        parser.add_argument("--kind", required=True, choices=AssetKind.values, help="The kind of every row.")
        parser.add_argument("--layer", help="Import only this layer (default: every layer with geometries).")
        parser.add_argument("--srid", help="EPSG code of the coordinates (4326, 4490, 4547, 3857), when the file "
                                           "does not say or says it wrongly. CSV defaults to 4326.")
        parser.add_argument("--gcj02", action="store_true",
                            help="Coordinates are GCJ-02 (copied from Gaode/AMap): convert them to WGS-84.")
        parser.add_argument("--mapping", help="JSON file mapping the file's columns to fields, e.g. "
                                              "{\"名称\": \"name_zh\", \"编号\": \"external_id\"}.")
        parser.add_argument("--dry-run", action="store_true", help="Check and report only; import nothing.")
        parser.add_argument("--user", help="Import as this user (default: the first superuser).")
        parser.add_argument("--no-progress", action="store_true", help="No progress bars (e.g. in cron or logs).")

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            mapping = load_mapping(Path(options["mapping"]).read_bytes()) if options["mapping"] else {}
            report = import_assets(
                actor=named_or_first_superuser(options["user"], no_superuser=NO_SUPERUSER), path=path,
                kind=options["kind"], layer=options["layer"], srid=options["srid"], gcj02=options["gcj02"],
                mapping=mapping, dry_run=options["dry_run"],
                progress=partial(terminal_progress, disable=options["no_progress"] or options["verbosity"] < 1))
        except ImportRefused as refused:
            self.stdout.write(refused.report.as_text())
            raise CommandError(refused.messages[0], returncode=1) from None
        except (ValidationError, PermissionDenied, OSError) as error:
            messages = getattr(error, "messages", None) or [str(error)]
            raise CommandError(" ".join(str(m) for m in messages)) from None
        self.stdout.write(report.as_text())
        if options["verbosity"] > 1:
            self.stdout.write("Seconds: " + ", ".join(f"{phase} {seconds:.2f}" for phase, seconds in report.timings.items()))
        if not report.dry_run:
            self.stdout.write(self.style.SUCCESS(
                f"Imported {report.to_create} new and updated {report.to_update} assets (import #{report.run_id})."))
        elif report.ok:
            self.stdout.write("Dry run: every row can be imported; nothing was written.")
        else:
            raise CommandError("Dry run: fix the rows above; nothing was written.", returncode=1)

