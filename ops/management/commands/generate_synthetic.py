"""``manage.py generate_synthetic --assets N --seed S``: N more plausible assets (see ops.demo.synthetic)."""

import time
from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from ops.demo.synthetic import GeographyMissing, generate_synthetic
from registry.assets import Asset


class Command(BaseCommand):
    help = "Add N synthetic assets of every kind spread over the loaded streets (deterministic for a seed)."

    def add_arguments(self, parser):
        parser.add_argument("--assets", type=int, required=True, help="How many assets to add.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")

    def handle(self, *args, **options):
        count = options["assets"]
        if count < 1:
            raise CommandError("--assets must be at least 1.")
        started = time.perf_counter()
        try:
            progress = self.stdout.write if options["verbosity"] > 1 else None
            ids = generate_synthetic(count, options["seed"], log=progress)
        except GeographyMissing as error:
            raise CommandError(str(error)) from None
        elapsed = time.perf_counter() - started
        kinds = Counter(Asset.objects.filter(pk__in=ids).values_list("kind", flat=True))
        self.stdout.write(f"Added {len(ids):,} synthetic assets in {elapsed:.1f} s: "
                          + ", ".join(f"{kind} {n:,}" for kind, n in sorted(kinds.items())))
