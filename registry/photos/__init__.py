"""Photos of assets: the model in ``models``; uploads go through the pipeline in ``pipeline``."""

from registry.photos.models import Photo, photo_path  # noqa: F401
