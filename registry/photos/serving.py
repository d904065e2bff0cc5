"""Photo files under ``/media/photos/``, served only to whom may see them.

A photo's file name is its content hash, so guessing one is hopeless, but a URL travels (a
forwarded link, a browser history, a shared screen). Photos not public — a problem report's own,
an adopter's unpublished care photos, photos of an asset the public does not see — are therefore
served only after a check:

* a file some public photo of a public asset uses: everyone, ``public, max-age=31536000,
  immutable`` (the name never changes its bytes), as before;
* otherwise: the staff whose scope covers the photo's asset (``registry.access.managed_scope``)
  and the person who uploaded it, ``private, no-store``;
* anyone else: 404, the answer for a file that does not exist, so nothing is confirmed.

The bytes: with ``PHOTO_ACCEL_REDIRECT_PREFIX`` set (production, e.g. ``/internal-media/``) the
answer is an empty response with ``X-Accel-Redirect``, and nginx sends the file from an
``internal`` location nobody can request directly (docs/deployment.md); without it (development,
tests) Django streams the file from the storage. Files in an S3 store are addressed by the
store's own URLs and do not pass here.
"""

from django.conf import settings
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from registry.access import asset_scope, managed_scope
from registry.photos.models import Photo
from registry.photos.storage import ROOT, photo_storage

IMMUTABLE_MAX_AGE = 365 * 24 * 3600


def _photos_with_file(name: str):
    return Photo.objects.filter(Q(large=name) | Q(small=name))


def is_public_file(name: str) -> bool:
    """Does a public photo of a public asset use the file ``name``?"""
    return _photos_with_file(name).filter(is_public=True, asset__is_public=True).exists()


def may_see_private_file(user, name: str) -> bool:
    """May ``user`` see the file ``name`` that is not public: a photo they uploaded, or of an asset they work on."""
    if not getattr(user, "is_authenticated", False):
        return False
    own = Q(uploaded_by=user) | managed_scope(user, "asset__")
    seen = Q(is_public=True) & asset_scope(user, "asset__")  # a public photo of an asset only staff see
    return _photos_with_file(name).filter(own | seen).exists()


def _file_response(name: str):
    prefix = getattr(settings, "PHOTO_ACCEL_REDIRECT_PREFIX", "")
    if prefix:
        response = HttpResponse(content_type="")  # nginx sets the type from the file name
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + name
        return response
    storage = photo_storage()
    if not storage.exists(name):
        raise Http404
    return FileResponse(storage.open(name, "rb"))


@require_safe
def photo_file(request, name: str):
    """``/media/photos/<name>``: the file, if ``request.user`` may see it (see the module's docstring)."""
    name = f"{ROOT}/{name}"
    if ".." in name.split("/"):
        raise Http404
    public = is_public_file(name)
    if not public and not may_see_private_file(request.user, name):
        raise Http404
    response = _file_response(name)
    response["X-Content-Type-Options"] = "nosniff"
    if public:
        patch_cache_control(response, public=True, max_age=IMMUTABLE_MAX_AGE, immutable=True)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response
