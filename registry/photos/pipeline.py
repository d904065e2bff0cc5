"""The one way a photo enters the registry: from any upload (staff, adopters, residents, imports).

    validate_upload(upload)            # forms call it early, for a message on the field
    add_photo(asset=…, upload=…, …)    # operations call it inside their transaction

Both refuse, with a message in the user's language (ValidationError): an empty file, a file
over 20 MB, anything that is not a JPEG, PNG or WebP by its content (an HTML page or an SVG
named .jpg, a HEIC photo), an image over 50 megapixels (read from the header, before decoding)
and a damaged or truncated file. See ``renditions`` for what is kept of an accepted photo.

A failed upload leaves no row and no file: nothing is written before the image is processed,
and if anything fails after the files are written inside ``add_photo`` they are deleted before
the exception goes on. If a *surrounding* transaction rolls back later, Django offers no hook
to learn of it; the row disappears with the transaction and its files are removed by
``manage.py cleanup_orphan_photos`` (run it periodically), which deletes files no row refers to.
"""

from django.db import transaction

from registry import audit
from registry.photos import renditions, storage
from registry.photos.models import Photo
from registry.photos.renditions import MAX_BYTES, check_byte_size

#: Fields worth keeping in the audit trail (pixels and hashes say nothing to a reader).
AUDITED_FIELDS = ["caption", "credit", "is_public", "upkeep_log_id", "taken_at", "large"]


def read_upload(upload) -> bytes:
    """The upload's bytes (at most MAX_BYTES + 1 read); refused early by its declared size."""
    check_byte_size(getattr(upload, "size", None))
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if hasattr(upload, "seek"):
        upload.seek(0)  # leave the file as it was given: a form may read it again
    check_byte_size(len(data))
    return data


def validate_upload(upload) -> None:
    """Raise ValidationError unless ``upload`` would be accepted by ``add_photo``. Writes nothing."""
    renditions.verify(read_upload(upload))


def attach_renditions(photo: Photo, processed: renditions.Processed) -> list[str]:
    """Store the renditions and point ``photo`` (unsaved) at them; return the names this call created."""
    created = []
    try:
        for field, rendition in (("large", processed.large), ("small", processed.small)):
            name, new = storage.write(rendition)
            if new:
                created.append(name)
            setattr(photo, field, name)
    except BaseException:
        storage.delete_quietly(created)  # the large one written, the small one failed
        raise
    photo.width, photo.height = processed.large.width, processed.large.height
    photo.small_width, photo.small_height = processed.small.width, processed.small.height
    photo.content_hash = processed.source_sha256
    if photo.taken_at is None:
        photo.taken_at = processed.taken_at
    return created


def add_photo(*, asset, upload, uploaded_by, caption="", credit="", upkeep_log=None, is_public=True) -> Photo:
    """Process ``upload`` into a photo of ``asset``; return the saved Photo or raise ValidationError.

    Permission is the caller's: the operation that takes the photo (log_upkeep, a problem report,
    an adopter's page) has already decided that ``uploaded_by`` (None for an anonymous resident)
    may add it. Runs in its own atomic block, joining the caller's transaction.
    """
    photo = Photo(asset=asset, upkeep_log=upkeep_log, caption=caption, credit=credit, is_public=is_public)
    return save_new_photo(photo, upload=upload, uploaded_by=uploaded_by)


def save_new_photo(photo: Photo, *, upload, uploaded_by) -> Photo:
    """``add_photo`` for an unsaved Photo already holding its asset and texts (the admin's form)."""
    if photo.upkeep_log is not None and photo.upkeep_log.asset_id != photo.asset_id:
        raise ValueError("The upkeep log belongs to another asset.")
    processed = renditions.process(read_upload(upload))
    photo.uploaded_by = uploaded_by if getattr(uploaded_by, "is_authenticated", False) else None
    photo.full_clean(exclude=["asset", "upkeep_log", "uploaded_by", "large", "small"])  # before any file
    created = []
    try:
        with transaction.atomic():
            created = attach_renditions(photo, processed)
            photo.save()
            audit.record(actor=uploaded_by, action="photo.add", obj=photo,
                         changes=audit.diff({}, audit.snapshot(photo, AUDITED_FIELDS)))
    except BaseException:
        storage.delete_quietly(created)
        raise
    return photo


def remake_small(photo: Photo) -> bool:
    """Make ``photo``'s thumbnail again from its large rendition (after SMALL_SIDE or the quality changed, or
    a thumbnail file was lost); return whether it changed. The upload is not kept, so the large rendition
    is the source; it stays as it is. An old thumbnail no row names any more goes with the orphan sweep."""
    with photo.large.open("rb") as handle:
        small = renditions.process(handle.read()).small
    name, _created = storage.write(small)
    if name == photo.small.name and (photo.small_width, photo.small_height) == (small.width, small.height):
        return False
    Photo.objects.filter(pk=photo.pk).update(small=name, small_width=small.width, small_height=small.height)
    return True
