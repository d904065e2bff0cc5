"""An asset's change history for staff: ``/staff/assets/<id>/history/``.

Two parts: the audit trail's domain events (below), and "Recorded by the database": every
change of the asset's own row as PostgreSQL's triggers recorded it (``registry.history``), bulk
updates, imports and raw SQL included, with the user and the operation.

Reads :class:`registry.audit.AuditEntry` rows of the asset — its own edits and those of its
adoptions, upkeep logs and problem reports — and shows who, when, what, and each field's old →
new value under the field's verbose name, choices by their labels. Only staff who may read the
asset's history (``registry.access``, ``Action.READ_HISTORY``) see it; to anyone else the page
does not exist (404), like another street's asset everywhere else.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.gis.db.models import GeometryField
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from registry import history
from registry.access import Action, can
from registry.assets import Asset
from registry.audit import AuditEntry
from registry.naming import localized_name, person_name
from registry.queries import staff_photos

PAGE_SIZE = 50
PHOTO_LIMIT = 48
EMPTY = "—"

#: Readable names of the actions operations record; others are shown as recorded.
ACTION_LABELS = {
    "asset.create": _("asset created"),
    "asset.change": _("asset changed"),
    "upkeep.log": _("upkeep logged"),
    "upkeep.correct": _("upkeep corrected"),
    "upkeep.schedule": _("upkeep schedule set"),
    "upkeep.schedule.remove": _("upkeep schedule removed"),
    "photo.add": _("photo added"),
    "adoption.apply": _("adoption applied for"),
    "adoption.approve": _("adoption approved"),
    "adoption.reject": _("adoption rejected"),
    "adoption.end": _("adoption ended"),
    "adoption.withdraw": _("adoption withdrawn"),
    "adopter.reveal_mobile": _("adopter's mobile number shown"),
    "problem.report": _("problem reported"),
    "problem.join": _("same problem reported again"),
    "problem.in_progress": _("problem: work started"),
    "problem.reply": _("problem: reply changed"),
    "problem.resolved": _("problem resolved"),
    "problem.closed": _("problem closed, not fixed"),
    "problem.reveal_mobile": _("reporters' mobile numbers shown"),
}


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryLine:
    entry: AuditEntry
    action: str
    subject: str
    changes: list[Change]


def _fields_of(object_type: str) -> tuple[str, dict]:
    """The model's verbose name and attname → field for an audit ``object_type`` ("app.model")."""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type, {}
    return capfirst(model._meta.verbose_name), {field.attname: field for field in model._meta.concrete_fields}


def _display(field, value, names: dict) -> str:
    """A stored audit value as a person reads it: choice labels, Yes/No, local dates, related names."""
    if value is None or value == "" or value == []:
        return EMPTY
    if field is None:
        return str(value)
    if isinstance(field, GeometryField):
        return gettext("(shape on the map)")
    if isinstance(value, list):
        return ", ".join(_display(getattr(field, "base_field", None), item, names) for item in value)
    choices = dict(getattr(field, "base_field", field).flatchoices)
    if value in choices:
        return str(choices[value])
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(field, models.DateTimeField) and (moment := parse_datetime(str(value))):
        return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
    if isinstance(field, models.DateField) and (day := parse_date(str(value))):
        return formats.date_format(day, "SHORT_DATE_FORMAT")
    if _is_reference(field):
        related = names.get((field.related_model, str(value)))
        if related is None:
            return f"#{value}"
        return person_name(related) if isinstance(related, AbstractBaseUser) else str(related)
    return str(value)


def _is_reference(field) -> bool:
    return field is not None and field.is_relation and field.related_model is not None


def _old_and_new(values) -> tuple:
    return tuple((values + [None, None])[:2]) if isinstance(values, list) else (None, values)


def _referenced_rows(entries) -> dict:
    """(model, str(pk)) → row for every row the entries' foreign-key values point to: one query per model
    for the whole page, not one per value shown."""
    wanted = defaultdict(set)
    for entry in entries:
        fields = _fields_of(entry.object_type)[1]
        for name, values in (entry.changes or {}).items():
            field = fields.get(name)
            if _is_reference(field):
                wanted[field.related_model].update(
                    value for value in _old_and_new(values) if isinstance(value, (int, str)) and value != "")
    return {(model, str(pk)): row for model, pks in wanted.items()
            for pk, row in model._default_manager.in_bulk(pks).items()}


def history_lines(entries) -> list[HistoryLine]:
    entries = list(entries)
    names = _referenced_rows(entries)
    return [history_line(entry, names) for entry in entries]


def history_line(entry: AuditEntry, names: dict) -> HistoryLine:
    """``names``: the rows the entry's foreign-key values point to, from :func:`_referenced_rows`."""
    subject, fields = _fields_of(entry.object_type)
    changes = []
    for name, values in (entry.changes or {}).items():
        field = fields.get(name)
        old, new = _old_and_new(values)
        label = capfirst(field.verbose_name) if field is not None else name
        changes.append(Change(str(label), _display(field, old, names), _display(field, new, names)))
    return HistoryLine(entry=entry, action=str(ACTION_LABELS.get(entry.action, entry.action)),
                       subject=f"{subject} #{entry.object_id}", changes=changes)


#: How many of the database's recorded changes a page shows, newest first.
RECORDED_PAGE_SIZE = 50
RECORDED_LABELS = {"insert": _("created"), "update": _("changed"), "delete": _("deleted")}


@dataclass(frozen=True)
class RecordedLine:
    change: history.RecordedChange
    action: str
    changes: list[Change]


def recorded_lines(recorded, kind_model) -> list[RecordedLine]:
    """The database's recorded changes of the asset, each field shown as :func:`history_line` shows them."""
    fields = {field.attname: field for field in (kind_model or Asset)._meta.concrete_fields}
    wanted = defaultdict(set)
    for change in recorded:
        for item in change.fields:
            field = fields.get(item.field)
            if _is_reference(field):
                wanted[field.related_model].update(value for value in (item.old, item.new) if value is not None)
    names = {(model, str(pk)): row for model, pks in wanted.items()
             for pk, row in model._default_manager.in_bulk(pks).items()}
    lines = []
    for change in recorded:
        shown = []
        for item in change.fields:
            field = fields.get(item.field)
            old, new = (_readable(item.old), _readable(item.new))
            shown.append(Change(str(capfirst(field.verbose_name)) if field else item.field,
                                _display(field, old, names), _display(field, new, names)))
        lines.append(RecordedLine(change=change, action=str(RECORDED_LABELS.get(change.label, change.label)),
                                  changes=shown))
    return lines


def _readable(value):
    """A snapshot value as the audit trail stores it (dates as ISO text), for :func:`_display`."""
    return value.isoformat() if hasattr(value, "isoformat") else value


@require_safe
def asset_history(request, pk):
    """The history of an asset, also of one deleted since: then the database's last snapshot of its row
    says where it was, and so who may read it."""
    asset = Asset.objects.defer("geometry", "geometry_webmercator", "location_webmercator").filter(pk=pk).first()
    deleted = asset is None
    if deleted:
        asset = history.last_snapshot(pk)
    if asset is None or not can(request.user, Action.READ_HISTORY, asset):
        raise Http404
    entries = AuditEntry.objects.filter(asset_id=pk).select_related("actor").order_by("-at", "-id")
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    recorded_page = Paginator(history.changes_of(pk), RECORDED_PAGE_SIZE).get_page(request.GET.get("recorded"))
    kind_model = Asset.kind_models.get(asset.kind)
    return render(request, "staff/history.html", {
        "asset": asset, "asset_pk": pk, "name": localized_name(asset.name_zh, asset.name_en), "deleted": deleted,
        "page": page, "lines": history_lines(page.object_list),
        "recorded_page": recorded_page, "recorded": recorded_lines(recorded_page.object_list, kind_model),
        "photos": staff_photos(asset)[:PHOTO_LIMIT] if page.number == 1 and not deleted else [],
    })


urlpatterns = [
    path("<int:pk>/history/", asset_history, name="asset-history"),
]
