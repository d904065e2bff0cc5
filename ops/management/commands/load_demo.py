"""``manage.py load_demo [--if-empty] [--geography-only]``: the Liwan demo district (see ops.demo)."""

from django.core.management.base import BaseCommand

from ops.demo.loader import format_summary, load_demo


class Command(BaseCommand):
    help = ("Load the Liwan demo: 22 streets with communities and grids, assets of every kind, adopters, "
            "adoptions, a year of upkeep and photos. Idempotent.")

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true",
                            help="Do nothing when any asset exists (what `make run` uses).")
        parser.add_argument("--geography-only", action="store_true",
                            help="Load only the district, its streets, communities and grids.")

    def handle(self, *args, **options):
        counts = load_demo(if_empty=options["if_empty"], geography_only=options["geography_only"],
                           log=self.stdout.write)
        self.stdout.write("Database now holds:\n" + format_summary(counts))
