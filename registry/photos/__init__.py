"""Photos of assets: the model in ``models``; uploads go through the pipeline in ``pipeline``
(``add_photo``, ``validate_upload``), which makes the renditions in ``renditions`` and writes
them through ``storage``."""

from registry.photos.models import Photo, PhotoFiles, photo_path  # noqa: F401
