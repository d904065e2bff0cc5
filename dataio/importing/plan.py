"""Check every row of a file against the registry's rules before anything is written.

Each row is held to what ``Asset.save()`` holds one asset to, and every problem is collected with
its row and field, so the report shows them all at once. Python reads the cells (parsing,
:func:`dataio.schema.cell_reader`) and stages each row (:mod:`dataio.importing.staging`); the rest
runs set-based in SQL over the staging table: the fields' constraints
(:mod:`dataio.importing.field_checks`), duplicate external ids and the geometry checks of
:func:`registry.geometry.validate_geometry` (:mod:`dataio.importing.checks`), the representative
point, area and the street covering it (``Staging.place``). Python then words each row's
problems, in the order they had when every row was checked in Python, and applies the importer's
scope (a street they may change; an existing asset they may change). The staging table, checked,
is what the write copies from (:mod:`dataio.importing.write`).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from django.contrib.gis.geos import GEOSException
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dataio.importing.checks import duplicate_rows, geometry_errors
from dataio.importing.columns import ColumnMap
from dataio.importing.field_checks import check_fields
from dataio.importing.report import Problem
from dataio.importing.sources import RawRow, unreadable_geometry
from dataio.schema import cell_reader, cell_text, cell_to_value, required_fields, sql_checked
from dataio.importing.staging import Staging
from registry.access import Action, can

EXISTING_CHUNK = 5000


class Existing(NamedTuple):
    """An asset of the kind with an external id of the file: what the scope check needs (``can``)."""
    id: int
    street_id: int
    community_id: int | None
    grid_id: int | None


class Place(NamedTuple):
    street_id: int | None
    community_id: int | None
    grid_id: int | None


@dataclass
class Plan:
    new: int = 0
    updated: int = 0
    problems: list[Problem] = field(default_factory=list)
    raw_rows: list[RawRow] = field(default_factory=list)


def _messages(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


class Planner:
    """Checks the raw rows of ``model`` for ``actor`` over ``staging`` (created by the caller, who drops it)."""

    def __init__(self, *, model, columns: ColumnMap, actor, staging: Staging, progress=None):
        self.model, self.columns, self.actor, self.staging = model, columns, actor, staging
        self.progress = progress or (lambda iterable, **_kwargs: iterable)
        self.required = [name for name in required_fields(model) if name not in columns.field_names]
        self.readers = [(column, name, model_field, cell_reader(model_field))
                        for column, name, model_field in columns.fields]
        self.lookups: dict = {}
        self.plan = Plan()
        #: Rows whose cells could not all be read, or of another kind (ords).
        self.unreadable: set[int] = set()
        #: ord → field name → why its cell could not be read.
        self.parse_failures: dict[int, dict] = {}
        #: ord → the row's problems as (field, message), in the order the report lists them.
        self.found: dict[int, list] = defaultdict(list)

    def run(self, raw_rows) -> Plan:
        raw_rows = list(raw_rows)
        self.plan.raw_rows = raw_rows
        existing = self._existing(raw_rows)
        self.staging.load(self._stage(raw_rows, existing))
        field_failures = check_fields([f for f in self.staging.fields if sql_checked(f)])
        self._word_field_failures(raw_rows, field_failures)
        self.staging.mark_unreadable(field_failures)
        unreadable = self.unreadable | set(field_failures)
        duplicates = duplicate_rows() if self.columns.column_of("external_id") else {}
        refused = geometry_errors(lambda ord_: self._geos(raw_rows[ord_]), self.model.GEOMETRY_TYPES)
        located = self.staging.place(refused)
        geometry = {ord_: error for ord_, error in refused.items() if error is not None}
        for ord_, row in enumerate(raw_rows):
            self._judge(ord_, row, unreadable, duplicates, geometry, located, existing)
        for ord_, row in enumerate(raw_rows):
            for field_name, message in self.found.get(ord_, ()):
                self.plan.problems.append(Problem(row=row.number, field=field_name, message=message, layer=row.layer))
        self.plan.problems.sort(key=lambda problem: (problem.layer, problem.row or 0))  # stable: fields keep order
        return self.plan

    def _existing(self, raw_rows) -> dict:
        """Assets of this kind whose external id appears in the file, by external id (one query per chunk)."""
        column = self.columns.column_of("external_id")
        if column is None:
            return {}
        # As the cells are read (cell_text: a spreadsheet's 1001.0 is "1001"), or rows would miss their asset.
        ids = sorted({cell_text(row.cells.get(column)) for row in raw_rows if row.cells.get(column) not in (None, "")})
        existing = {}
        for start in range(0, len(ids), EXISTING_CHUNK):
            matches = self.model.objects.filter(external_id__in=ids[start:start + EXISTING_CHUNK]).values_list(
                "external_id", "id", "street_id", "community_id", "grid_id")
            existing.update({external_id: Existing(*rest) for external_id, *rest in matches})
        return existing

    def _stage(self, raw_rows, existing):
        """Read every row's cells (progress: the checking phase) into staging lines; note the parse problems."""
        for ord_, row in enumerate(self.progress(raw_rows, total=len(raw_rows), desc=_("Checking"), unit=_("rows"),
                                                 phase="checking")):
            values, failed = self._values(ord_, row)
            if failed:
                self.unreadable.add(ord_)
            match = existing.get(values.get("external_id") or "") if not failed else None
            yield (ord_, row.number, row.layer, None if row.problem else row.wkb, not failed,
                   match.id if match else None, values)

    def _values(self, ord_: int, row: RawRow) -> tuple[dict, bool]:
        values, failures = {}, {}
        for column, name, model_field, read in self.readers:
            try:
                values[name] = read(model_field, row.cells.get(column), self.lookups)
            except ValidationError as error:
                failures[name] = _messages(error)
        if failures:
            self.parse_failures[ord_] = failures
        kind_column = self.columns.kind_column
        wrong_kind = kind_column and str(row.cells.get(kind_column) or "").strip() not in ("", self.model.KIND)
        return values, bool(failures) or bool(wrong_kind)

    def _word_field_failures(self, raw_rows, field_failures: dict) -> None:
        """Each row's field problems in the file's column order: those found parsing, then those SQL found (worded
        by cell_to_value on the cell), then a row of another kind."""
        for ord_ in sorted(set(self.parse_failures) | set(field_failures) | self.unreadable):
            row = raw_rows[ord_]
            parsed, broken = self.parse_failures.get(ord_, {}), field_failures.get(ord_, set())
            for column, name, model_field, _read in self.readers:
                if name in parsed:
                    self.found[ord_].append((column, parsed[name]))
                elif name in broken:
                    try:
                        cell_to_value(model_field, row.cells.get(column), self.lookups)
                    except ValidationError as error:
                        self.found[ord_].append((column, _messages(error)))
                    else:  # field_checks and the field's clean() disagree: a bug, not a row to drop silently
                        raise RuntimeError(f"SQL found {name} of row {row.number} wrong; its clean() does not.")
            kind_column = self.columns.kind_column
            if kind_column and str(row.cells.get(kind_column) or "").strip() not in ("", self.model.KIND):
                self.found[ord_].append((kind_column, _("This row is a “%(row_kind)s”, not a %(kind)s.") % {
                    "row_kind": row.cells.get(kind_column), "kind": self.model._meta.verbose_name}))

    def _judge(self, ord_, row, unreadable, duplicates, geometry, located, existing) -> None:
        """The row's remaining problems, in the order the row-by-row checks had; count it if it has none."""
        found = self.found[ord_]
        readable = ord_ not in unreadable
        external_id = self._external_id(row) if readable else ""
        if external_id and ord_ in duplicates:
            found.append(("external_id", _("External id “%(id)s” already appears in row %(row)d.") % {
                "id": external_id, "row": duplicates[ord_]}))
            readable = False
        if row.problem:
            found.append(("geometry", row.problem))
            return
        if row.wkb is None:
            found.append(("geometry", _("The row has no geometry.")))
            return
        if not readable:
            return
        match = existing.get(external_id)
        if match is None and self.required:
            found.extend((name, _("Required field “%(field)s” is missing: the file has no column for it.")
                          % {"field": name}) for name in self.required)
            return
        if match is not None and not can(self.actor, Action.IMPORT_ASSETS, match):
            found.append(("external_id", _("External id “%(id)s” belongs to an asset outside the streets "
                                           "you manage.") % {"id": external_id}))
            return
        if ord_ in geometry:
            found.append(("geometry", _messages(geometry[ord_])))
            return
        place = Place(*located[ord_])
        if place.street_id is None:
            found.append(("geometry", _("This location is outside the district: no street boundary covers it. Are "
                                        "the coordinates in the coordinate reference system the file says (or the "
                                        "one given)?")))
        elif not can(self.actor, Action.IMPORT_ASSETS, place):
            found.append(("geometry", _("This location is outside the streets you manage.")))
        elif match is None:
            self.plan.new += 1
        else:
            self.plan.updated += 1

    @staticmethod
    def _geos(row: RawRow):
        """The row's geometry for GEOS (asked only for a geometry that failed a check in SQL), or None after
        noting that GEOS cannot read it: the row's problem, as when the file was read (its geometry is gone, so
        the preview leaves it off the map)."""
        try:
            return row.geometry
        except (GEOSException, ValueError) as error:
            row.problem, row.wkb = unreadable_geometry(error), None
            return None

    def _external_id(self, row) -> str:
        column = self.columns.column_of("external_id")
        if column is None:
            return ""
        raw = row.cells.get(column)
        return cell_text(raw) if raw not in (None, "") else ""
