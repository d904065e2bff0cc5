"""State changes of an asset's photos that check who may make them (the pipeline itself does not).

Photos of an asset are the core's: the API's upload, and any page that adds a photo outside an
upkeep log or a problem report, come here.
"""

from registry import history
from registry.access import Action, can, upkeep_performer
from registry.photos.pipeline import add_photo


@history.recorded_as("photo.add")
def add_asset_photo(*, actor, asset, upload, caption: str = "", credit: str = ""):
    """Add a public photo of ``asset``: staff who work on it, or its caretaker (current adopter).

    The photo pipeline checks and processes the file (ValidationError for anything but a sound
    JPEG/PNG/WebP of acceptable size) and saves it with its audit entry in one transaction;
    nothing stays if anything fails.
    """
    if not can(actor, Action.CHANGE_ASSET, asset):
        upkeep_performer(actor, asset)  # PermissionDenied unless staff in scope or the current adopter
    return add_photo(asset=asset, upload=upload, uploaded_by=actor, caption=caption, credit=credit)
