"""``manage.py regenerate_renditions [--asset ID …] [--batch 500] [--user U] [--here] [--no-progress]``: make the
photos' thumbnails again from their large renditions (after SMALL_SIDE or the quality changed, or files
were lost), as background jobs: one per ``--batch`` photos, so several workers share a large run, each with
its progress page (``/staff/jobs/<id>/``). ``--here`` runs in this process instead, with a tqdm bar.
"""

from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from dataio.management.progress import terminal_progress
from dataio.management.users import named_or_first_superuser
from dataio.operations import RENDITION_BATCH, start_rendition_jobs
from registry.photos.models import Photo
from registry.photos.pipeline import remake_small


class Command(BaseCommand):
    help = "Make photo thumbnails again from the large renditions, as background jobs (one per batch)."

    def add_arguments(self, parser):
        parser.add_argument("--asset", type=int, action="append", help="Only the photos of this asset (repeatable).")
        parser.add_argument("--batch", type=int, default=RENDITION_BATCH, help="Photos per job (default %(default)s).")
        parser.add_argument("--user", help="Queue the jobs as this district administrator (default: the first "
                                           "superuser); they are theirs to watch and cancel.")
        parser.add_argument("--here", action="store_true", help="Run in this process, not as background jobs.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bars (e.g. in cron or logs).")

    def handle(self, *args, **options):
        photos = Photo.objects.order_by("pk")
        if options["asset"]:
            photos = photos.filter(asset_id__in=options["asset"])
        ids = list(photos.values_list("pk", flat=True))
        if options["here"]:
            return self._here(ids, disable=options["no_progress"] or options["verbosity"] < 1)
        if options["batch"] < 1:
            raise CommandError("--batch must be at least 1.")
        actor = named_or_first_superuser(options["user"], no_superuser="No superuser exists: name one with --user.")
        try:
            jobs = start_rendition_jobs(actor=actor, photo_ids=ids, batch=options["batch"])
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Queued {len(jobs)} job(s) for {len(ids)} photo(s):")
        for job in jobs:
            self.stdout.write(f"  {reverse('staff-job', args=[job.pk])}  {job.filename}")

    def _here(self, ids: list[int], *, disable: bool) -> None:
        progress = partial(terminal_progress, disable=disable)
        changed = unreadable = 0
        for photo in progress(Photo.objects.filter(pk__in=ids).order_by("pk").iterator(chunk_size=100),
                              total=len(ids), desc="Thumbnails", unit="photos"):
            try:
                changed += remake_small(photo)
            except (OSError, ValidationError):
                unreadable += 1
        self.stdout.write(f"{len(ids)} photo(s): {changed} thumbnail(s) made again, {unreadable} unreadable.")
