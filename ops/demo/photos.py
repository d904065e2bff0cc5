"""Demo photos: generated pictures of most assets, and of some upkeep work, saved to MEDIA_ROOT.

Pictures go through the photo pipeline's renditions and storage (``attach_renditions``), so
they are stored exactly as uploads are (content-hashed large and small JPEGs in Django's
default storage); rows are then inserted in bulk, without the per-upload audit entry.
"""

import datetime

from django.utils import timezone

from ops.demo.names import ACTION_NAMES_ZH
from ops.demo.pictures import picture
from registry.photos import Photo
from registry.photos.pipeline import attach_renditions
from registry.photos.renditions import process
from upkeep.models import UpkeepAction

ASSET_PHOTO_SHARE = 0.75
#: Upkeep worth a photo, and the share of such logs that get one.
DOCUMENTED_ACTIONS = {UpkeepAction.REPAINTING, UpkeepAction.REPAIR, UpkeepAction.REPLANTING,
                      UpkeepAction.ANNUAL_INSPECTION, UpkeepAction.PEST_CONTROL}
LOG_PHOTO_SHARE = 0.5


def _photo(rng, asset, caption, credit, taken_at, uploaded_by, upkeep_log=None) -> Photo:
    photo = Photo(asset=asset, upkeep_log=upkeep_log, caption=caption[:200], credit=credit[:100],
                  taken_at=taken_at, uploaded_by=uploaded_by, is_public=asset.is_public)
    attach_renditions(photo, process(picture(asset.kind, rng)))
    return photo


def asset_photos(rng, assets, staff_by_street, admin, landmarks: int, today) -> list[Photo]:
    """Two photos of each landmark (the first ``landmarks`` assets), one of most other assets."""
    photos = []
    for index, asset in enumerate(assets):
        count = 2 if index < landmarks else int(rng.random() < ASSET_PHOTO_SHARE)
        staff = staff_by_street.get(asset.street.name_zh, admin)
        for _ in range(count):
            day = today - datetime.timedelta(days=rng.randint(1, 365))
            taken_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(rng.randint(9, 16))))
            photos.append(_photo(rng, asset, asset.name_zh, f"{asset.street.name_zh}办事处", taken_at, staff))
    return photos


def log_photos(rng, logs) -> list[Photo]:
    """Photos documenting some of the repainting, repairs, replanting and inspections."""
    photos = []
    for log in logs:
        if log.action not in DOCUMENTED_ACTIONS or rng.random() >= LOG_PHOTO_SHARE:
            continue
        author = log.adopter.user if log.adopter else log.staff
        credit = log.adopter.display_name if log.adopter else f"{log.asset.street.name_zh}办事处"
        caption = f"{log.asset.name_zh} · {ACTION_NAMES_ZH[log.action]}"
        photos.append(_photo(rng, log.asset, caption, credit, log.performed_at, author, upkeep_log=log))
    return photos


def build_photos(rng, assets, logs, staff_by_street, admin, landmarks, today) -> list[Photo]:
    photos = asset_photos(rng, assets, staff_by_street, admin, landmarks, today) + log_photos(rng, logs)
    Photo.objects.bulk_create(photos)
    return photos
