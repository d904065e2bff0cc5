"""Check every row of a file against the registry's rules before anything is written.

Each row becomes an unsaved asset of the kind (new, or the existing one with the same external
id, to update), held to what ``Asset.save()`` holds one asset to: the fields' own validation,
the kind's geometry types and :func:`registry.geometry.validate_geometry`'s checks (run set-based
in SQL over a staging table, with duplicate external ids: :mod:`dataio.importing.checks`), a street covering it (:func:`registry.bulk.locate_in_bulk`, the
``covering()`` rule), and, for the importing user, a street they may change. Every problem is
collected with its row and field, so the report shows them all at once.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from dataio.importing.checks import Findings, StagedRow, check_rows
from dataio.importing.columns import ColumnMap
from dataio.importing.report import Problem
from dataio.importing.sources import RawRow
from dataio.schema import cell_text, cell_to_value, required_fields
from registry.access import Action, can
from registry.bulk import locate_in_bulk, set_areas

EXISTING_CHUNK = 5000


@dataclass
class PlannedRow:
    asset: object
    is_new: bool


@dataclass
class Plan:
    rows: list[PlannedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    raw_rows: list[RawRow] = field(default_factory=list)

    @property
    def new(self) -> list:
        return [row.asset for row in self.rows if row.is_new]

    @property
    def updated(self) -> list:
        return [row.asset for row in self.rows if not row.is_new]


def _messages(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


class Planner:
    """Turns raw rows into checked, placed assets of ``model`` for ``actor``."""

    def __init__(self, *, model, columns: ColumnMap, actor, progress=None):
        self.model, self.columns, self.actor = model, columns, actor
        self.progress = progress or (lambda iterable, **_kwargs: iterable)
        self.required = [name for name in required_fields(model) if name not in columns.field_names]
        self.lookups: dict = {}
        self.plan = Plan()

    def problem(self, row: RawRow, field_name: str, message) -> None:
        self.plan.problems.append(Problem(row=row.number, field=field_name, message=str(message), layer=row.layer))

    def run(self, raw_rows) -> Plan:
        """Read every row's cells (Python: parsing), check the rows set-based in SQL
        (dataio/importing/checks.py: duplicate external ids, geometry), then place the rows that
        pass. Each row's problems come out in the order the checks had when they ran row by row."""
        raw_rows = list(raw_rows)
        self.plan.raw_rows = raw_rows
        existing = self._existing(raw_rows)
        read = []
        staged = []
        for ord_, row in enumerate(self.progress(raw_rows, total=len(raw_rows), desc=_("Checking"), unit=_("rows"),
                                                 phase="checking")):
            values = self._values(row)
            read.append(values)
            staged.append(StagedRow(ord=ord_, row_number=row.number, layer=row.layer,
                                    external_id=(values or {}).get("external_id") or None,
                                    geometry=row.geometry if not row.problem else None))
        findings = check_rows(staged, self.model.GEOMETRY_TYPES)
        placed = []
        for ord_, (row, values) in enumerate(zip(raw_rows, read)):
            asset = self._build(ord_, row, values, existing, findings)
            if asset is not None:
                placed.append((row, asset))
        self._locate(placed)
        self.plan.problems.sort(key=lambda problem: (problem.layer, problem.row or 0))  # stable: fields keep order
        return self.plan

    def _existing(self, raw_rows) -> dict:
        """Assets of this kind whose external id appears in the file, by external id (one query per chunk)."""
        column = self.columns.column_of("external_id")
        if column is None:
            return {}
        # As _values will read them (cell_text: a spreadsheet's 1001.0 is "1001"), or rows would miss their asset.
        ids = sorted({cell_text(row.cells.get(column)) for row in raw_rows if row.cells.get(column) not in (None, "")})
        existing = {}
        for start in range(0, len(ids), EXISTING_CHUNK):
            chunk = ids[start:start + EXISTING_CHUNK]
            matches = self.model.objects.filter(external_id__in=chunk).defer("geometry_webmercator", "location_webmercator")
            existing.update({asset.external_id: asset for asset in matches})
        return existing

    def _values(self, row: RawRow) -> dict | None:
        values, failed = {}, False
        for column, name, model_field in self.columns.fields:
            try:
                values[name] = cell_to_value(model_field, row.cells.get(column), self.lookups)
            except ValidationError as error:
                self.problem(row, column, _messages(error))
                failed = True
        kind_column = self.columns.kind_column
        if kind_column and str(row.cells.get(kind_column) or "").strip() not in ("", self.model.KIND):
            self.problem(row, kind_column, _("This row is a “%(row_kind)s”, not a %(kind)s.") % {
                "row_kind": row.cells.get(kind_column), "kind": self.model._meta.verbose_name})
            failed = True
        return None if failed else values

    def _build(self, ord_: int, row: RawRow, values: dict | None, existing: dict, findings: Findings):
        """The row's asset, shape derived, or None after recording why it cannot be imported."""
        external_id = (values or {}).get("external_id") or ""
        if external_id and ord_ in findings.duplicate_of:
            self.problem(row, "external_id", _("External id “%(id)s” already appears in row %(row)d.") % {
                "id": external_id, "row": findings.duplicate_of[ord_]})
            values = None
        geometry_ok = self._check_geometry(row)
        if values is None or not geometry_ok:
            return None
        asset = existing.get(external_id)
        is_new = asset is None
        if is_new:
            for name in self.required:
                self.problem(row, name, _("Required field “%(field)s” is missing: the file has no column for it.")
                             % {"field": name})
            if self.required:
                return None
            asset = self.model(**values, created_by=self.actor, updated_by=self.actor)
        else:
            if not can(self.actor, Action.IMPORT_ASSETS, asset):
                self.problem(row, "external_id", _("External id “%(id)s” belongs to an asset outside the streets "
                                                   "you manage.") % {"id": external_id})
                return None
            for name, value in values.items():
                setattr(asset, name, value)
            asset.updated_by, asset.updated_at = self.actor, timezone.now()
        if ord_ in findings.geometry_errors:
            self.problem(row, "geometry", _messages(findings.geometry_errors[ord_]))
            return None
        asset.geometry = row.geometry
        asset.derive_shape(checked=True)
        self.plan.rows.append(PlannedRow(asset=asset, is_new=is_new))
        return asset

    def _check_geometry(self, row: RawRow) -> bool:
        if row.problem:
            self.problem(row, "geometry", row.problem)
            return False
        if row.geometry is None:
            self.problem(row, "geometry", _("The row has no geometry."))
            return False
        return True

    def _locate(self, placed) -> None:
        """Street, community and grid for every placed row in one query; refuse rows outside them."""
        if not placed:
            return
        located = locate_in_bulk([asset.location for _row, asset in placed])
        refused = set()
        for (row, asset), area_ids in zip(placed, located):
            if area_ids[0] is None:
                self.problem(row, "geometry", _("This location is outside the district: no street boundary covers "
                                                "it. Are the coordinates in the coordinate reference system the file says (or the one given)?"))
                refused.add(id(asset))
                continue
            set_areas(asset, area_ids)
            if not can(self.actor, Action.IMPORT_ASSETS, asset):
                self.problem(row, "geometry", _("This location is outside the streets you manage."))
                refused.add(id(asset))
        if refused:
            self.plan.rows = [planned for planned in self.plan.rows if id(planned.asset) not in refused]
