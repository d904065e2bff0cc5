"""Field-level history recorded by PostgreSQL itself (django-pghistory), beside the audit trail.

The audit trail (``registry.audit``) records domain events as operations see them: "adoption
approved", "mobile revealed". It misses every write that does not go through an operation's
``save()``: bulk ``.update()`` (boundary reassignment), raw SQL, the admin's delete. Triggers on
the asset table (``Asset`` is tracked with :func:`pghistory.track`; the events are
``registry.AssetEvent``) record every insert, update and delete, whatever wrote it, as a full
row snapshot; the page shows the difference between consecutive snapshots.

Each event carries the context of the write: ``pghistory.middleware.HistoryMiddleware`` attaches
the signed-in user and the URL to every write request; :func:`operation` attaches the name of the
operation (and its acting user, for commands with no request), e.g. ``assets.import``.
"""

import datetime
from contextlib import contextmanager
from dataclasses import dataclass

import pghistory
import pgtrigger
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.gis.db.models import GeometryField

#: Columns PostgreSQL derives itself, not recorded (the Web Mercator copies are generated columns).
UNTRACKED_ASSET_COLUMNS = ["geometry_webmercator", "location_webmercator"]


@contextmanager
def operation(name: str, *, actor=None):
    """Attach ``name`` (and ``actor``, if signed in) to every change the database records inside the block."""
    metadata = {"operation": name}
    if getattr(actor, "is_authenticated", False):
        metadata["user"] = actor.pk
    with pghistory.context(**metadata):
        yield


def any_change(model, exclude) -> pgtrigger.Condition:
    """``WHEN`` any column but ``exclude`` changed, geometries compared as bytes.

    pghistory's own condition compares geometries with ``IS DISTINCT FROM``, which needs
    PostGIS's ``=`` operator: pg_restore (empty search_path) cannot resolve it and the restore of a
    backup fails. A cast to bytea is found without the search path, and compares exactly.
    """
    parts = []
    for field in model._meta.concrete_fields:
        if field.attname in exclude:
            continue
        cast = "::bytea" if isinstance(field, GeometryField) else ""
        parts.append(f'OLD."{field.column}"{cast} IS DISTINCT FROM NEW."{field.column}"{cast}')
    return pgtrigger.Condition(" OR ".join(parts))


def track_changes(model_name: str, *, exclude=()):
    """The class decorator that makes PostgreSQL record every insert, update and delete of a table.

    ``@track_changes("ResolutionEvent")`` over a model creates the event model ``ResolutionEvent``
    in the model's own app (a migration adds its table and triggers). An update that changes only
    ``exclude``'d columns (generated copies, say) records nothing.
    """
    def decorate(model):
        return pghistory.track(
            pghistory.InsertEvent(),
            pghistory.UpdateEvent(condition=any_change(model, exclude)),
            pghistory.DeleteEvent(),
            exclude=list(exclude) or None, model_name=model_name,
        )(model)
    return decorate


def track_asset(model):
    """The class decorator that makes PostgreSQL record every change of the asset table."""
    return track_changes("AssetEvent", exclude=UNTRACKED_ASSET_COLUMNS)(model)


#: Columns whose change alone is not worth a line (every save moves ``updated_at``).
QUIET_COLUMNS = {"updated_at", "updated_by_id"}


@dataclass(frozen=True)
class FieldChange:
    field: str  # the attname, e.g. "street_id"
    old: object
    new: object


@dataclass(frozen=True)
class RecordedChange:
    """One insert, update or delete of an asset row as PostgreSQL recorded it, and its context."""

    at: datetime.datetime
    label: str  # "insert", "update" or "delete"
    user: object  # the user, or None (a command without an actor, a resident)
    operation: str
    url: str
    fields: list[FieldChange]


def asset_event_model():
    return apps.get_model("registry", "AssetEvent")


def tracked_columns() -> list[str]:
    """The asset columns each event snapshots (looked up by name: registry.assets imports this module)."""
    fields = apps.get_model("registry", "Asset")._meta.concrete_fields
    return [field.attname for field in fields if field.attname not in UNTRACKED_ASSET_COLUMNS]


def events_of(asset_pk: int) -> list:
    """Every recorded event of the asset ``asset_pk`` (also after its deletion), oldest first."""
    return list(asset_event_model().objects.filter(pgh_obj_id=asset_pk).select_related("pgh_context")
                .order_by("pgh_id"))


def changes_of(asset_pk: int, limit: int = 100) -> list[RecordedChange]:
    """The asset's recorded changes, newest first: each event against the snapshot before it."""
    columns = [name for name in tracked_columns() if name not in QUIET_COLUMNS]
    events = events_of(asset_pk)
    user_ids = {(event.pgh_context.metadata or {}).get("user") for event in events if event.pgh_context}
    users = get_user_model()._default_manager.in_bulk([pk for pk in user_ids if pk is not None])
    changes, before = [], None
    for event in events:
        metadata = (event.pgh_context.metadata if event.pgh_context else None) or {}
        if event.pgh_label == "delete":
            fields = []  # the row as it was when deleted is the previous snapshot
        else:
            fields = [FieldChange(name, getattr(before, name) if before else None, getattr(event, name))
                      for name in columns if before is None or getattr(before, name) != getattr(event, name)]
        if before is None or fields or event.pgh_label != "update":
            changes.append(RecordedChange(
                at=event.pgh_created_at, label=event.pgh_label, user=users.get(metadata.get("user")),
                operation=metadata.get("operation", ""), url=metadata.get("url", ""), fields=fields))
        before = event
    return changes[::-1][:limit]
