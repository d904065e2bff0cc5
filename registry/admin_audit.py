"""The history of asset edits made in the Django admin (``KindAdmin.save_model`` calls these).

The admin has no operation of its own, so it records here what operations record elsewhere:
who changed which asset, and each field's old → new value (registry.audit).
"""

import math

from django.contrib.gis.geos import GEOSGeometry

from registry import audit

#: Who and when are the audit entry's own; a save that changed only them changed nothing.
BOOKKEEPING_FIELDS = ("updated_at", "updated_by_id")


def stored_state(obj, change: bool) -> dict:
    """The asset as stored before the admin saves it (nothing, for a new one)."""
    return audit.snapshot(type(obj)._default_manager.get(pk=obj.pk)) if change else {}


def record_admin_save(*, actor, obj, before: dict, change: bool):
    """Write ``asset.create`` or ``asset.change`` (only if something really changed) for ``obj``."""
    after = audit.snapshot(obj)
    if not change:
        return audit.record(actor=actor, action="asset.create", obj=obj, changes=audit.diff({}, after))
    changes = {name: values for name, values in audit.diff(before, after).items()
               if name not in BOOKKEEPING_FIELDS and not _float_noise(*values)}
    if changes:
        return audit.record(actor=actor, action="asset.change", obj=obj, changes=changes)
    return None


def _float_noise(old, new) -> bool:
    """A shape re-read from the map widget differs from the stored one in the 14th digit (and so do its
    derived point and area): no change to a person."""
    if isinstance(old, str) and isinstance(new, str) and old.startswith("SRID=") and new.startswith("SRID="):
        return GEOSGeometry(old).equals_exact(GEOSGeometry(new), tolerance=1e-9)
    if isinstance(old, float) and isinstance(new, float):
        return math.isclose(old, new, rel_tol=1e-9)
    return False
