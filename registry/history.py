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
import functools
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


def recorded_as(name: str):
    """Decorator for an operation (``actor`` a keyword argument): every write it makes carries its name
    and acting user in the database's history, whoever calls it — a view, the API, the admin, a command."""
    def decorate(function):
        @functools.wraps(function)
        def recorded(*args, actor=None, **kwargs):
            with operation(name, actor=actor):
                return function(*args, actor=actor, **kwargs)
        return recorded
    return decorate


def any_change(model, exclude) -> pgtrigger.Condition:
    """``WHEN`` any column but ``exclude`` changed, geometries compared as bytes.

    pghistory's own condition compares geometries with ``IS DISTINCT FROM``, which needs
    PostGIS's ``=`` operator: pg_restore (empty search_path) cannot resolve it and the restore of a
    backup fails. A cast to bytea is found without the search path, and compares exactly.
    """
    parts = []
    for field in model._meta.local_concrete_fields:  # a kind's table holds only its own columns
        if field.attname in exclude:
            continue
        cast = "::bytea" if isinstance(field, GeometryField) else ""
        parts.append(f'OLD."{field.column}"{cast} IS DISTINCT FROM NEW."{field.column}"{cast}')
    return pgtrigger.Condition(" OR ".join(parts))


def track_changes(model_name: str, *, exclude=(), related_name: str = "+"):
    """The class decorator that makes PostgreSQL record every insert, update and delete of a table.

    ``@track_changes("ResolutionEvent")`` over a model creates the event model ``ResolutionEvent``
    in the model's own app (a migration adds its table and triggers). An update that changes only
    ``exclude``'d columns (generated copies, say) records nothing. The events are read by the
    row's id (:func:`events_of`), so the row gets no reverse accessor unless ``related_name`` asks.

    The triggers are statement-level (``level=pghistory.Statement``): one ``INSERT … SELECT`` into the
    event table per statement, from its transition table, the context attached once. Row-level, each
    row ran pghistory's two PL/pgSQL exception blocks (``_pgh_attach_context``,
    ``_pgtrigger_should_ignore``), subtransactions whose cost grew with the rows already written in
    the transaction: 100,000 imported assets took minutes in the triggers alone (docs/data-io.md,
    "What an import's write costs"). ``any_change``'s condition becomes the join of the old and new
    transition tables' rows; a statement that changes nothing still records nothing.
    """
    def decorate(model):
        return pghistory.track(
            pghistory.InsertEvent(),
            pghistory.UpdateEvent(condition=any_change(model, exclude)),
            pghistory.DeleteEvent(),
            level=pghistory.Statement,
            exclude=list(exclude) or None, model_name=model_name,
            obj_field=pghistory.ObjForeignKey(related_name=related_name),
        )(model)
    return decorate


def track_asset(model):
    """The class decorator that makes PostgreSQL record every change of the asset table."""
    return track_changes("AssetEvent", exclude=UNTRACKED_ASSET_COLUMNS, related_name="events")(model)


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


def event_model_of(model):
    """The event model ``@track_changes`` made for ``model`` (None when it is not tracked)."""
    try:
        return apps.get_model(model._meta.app_label, f"{model.__name__}Event")
    except LookupError:
        return None


def tracked_columns(event_model) -> list[str]:
    """The columns an event model snapshots (the tracked row's, without pghistory's own)."""
    return [field.attname for field in event_model._meta.concrete_fields
            if not field.name.startswith("pgh_") and field.attname not in UNTRACKED_ASSET_COLUMNS]


def events_of(asset_pk: int, event_model=None) -> list:
    """Every recorded event of the asset ``asset_pk``'s row (also after its deletion), oldest first;
    with ``event_model``, the events of its kind's row (same id) instead."""
    event_model = event_model or asset_event_model()
    return list(event_model.objects.filter(pgh_obj_id=asset_pk).select_related("pgh_context").order_by("pgh_id"))


def last_snapshot(asset_pk: int):
    """The asset row as the database last recorded it (for a deleted asset: as it was when deleted)."""
    return asset_event_model().objects.filter(pgh_obj_id=asset_pk).order_by("-pgh_id").first()


def _kind_event_model(asset_pk: int):
    snapshot = last_snapshot(asset_pk)
    kind_model = apps.get_model("registry", "Asset").kind_models.get(snapshot.kind) if snapshot else None
    return event_model_of(kind_model) if kind_model else None


def changes_of(asset_pk: int, limit: int | None = None) -> list[RecordedChange]:
    """The asset's recorded changes, newest first: those of its own row and of its kind's row (a garden's
    seats, a mural's motifs), each event against the snapshot of the same row before it."""
    changes = _changes(events_of(asset_pk), tracked_columns(asset_event_model()))[::-1]
    kind_events = _kind_event_model(asset_pk)
    if kind_events is not None:
        own = [column for column in tracked_columns(kind_events) if column != "asset_ptr_id"]
        changes += [change for change in _changes(events_of(asset_pk, kind_events), own)[::-1]
                    if change.label == "update"]  # its insert and delete are the asset's own
        # newest first; the sort is stable, so one transaction's changes keep their order
        changes.sort(key=lambda change: change.at, reverse=True)
    return changes[:limit] if limit else changes


def _changes(events, columns) -> list[RecordedChange]:
    columns = [name for name in columns if name not in QUIET_COLUMNS]
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
    return changes
