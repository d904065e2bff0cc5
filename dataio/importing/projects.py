"""The district's project ledger (CSV in UTF-8, or an Excel .xlsx: its first sheet) → renovation
projects, all or nothing.

    report = import_projects(actor=user, path=path, dry_run=False)

Every row is checked first (no writes): a problem is reported as row / field / problem in the
user's language, and then nothing is imported (:class:`ImportRefused`). A row whose
``external_id`` is already a project's updates it: its dates, its phase (through
``projects.operations.change_phase``, so the change is in the phase history) and its progress
(a milestone "from the project ledger"). New rows create projects with their funding lines and
contractor through the same operations. The columns are in docs/data-io.md ("Project ledger").
"""

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from django.contrib.gis.geos import GEOSException, GEOSGeometry, Point
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils.exceptions import InvalidFileException

from dataio.importing.report import ImportRefused, ImportReport, Problem
from projects import operations
from projects.models import ContractorRole, FundingSource, Project, ProjectKind
from projects.phases import Phase
from registry.access import Action, role_allows
from registry.geography import Street

#: The ledger's columns (header names, case and spaces ignored); ``funding_<source>`` and
#: ``received_<source>`` for each FundingSource value.
BASE_COLUMNS = ("external_id", "name_zh", "name_en", "kind", "street", "lon", "lat", "wkt", "phase",
                "planned_start", "planned_end", "actual_start", "actual_end", "budget", "progress",
                "parent_external_id", "weight", "description", "is_public", "sponsor", "contractor",
                "contractor_role", "contractor_credit_code")
FUNDING_COLUMNS = tuple(f"funding_{source}" for source in FundingSource.values)
RECEIVED_COLUMNS = tuple(f"received_{source}" for source in FundingSource.values)
COLUMNS = BASE_COLUMNS + FUNDING_COLUMNS + RECEIVED_COLUMNS
REQUIRED = ("external_id", "name_zh", "kind", "street")
MAX_ROWS = 20000
DATES = ("planned_start", "planned_end", "actual_start", "actual_end")
#: Sources whose sponsor (the ``sponsor`` column) is named on their line.
SPONSORED = (FundingSource.ENTERPRISE, FundingSource.PARTY_UNIT, FundingSource.DONATION)


@dataclass
class LedgerRow:
    number: int
    values: dict
    site: GEOSGeometry | None = None
    street: Street | None = None
    dates: dict = field(default_factory=dict)
    funding: list = field(default_factory=list)  # (source, planned, received)
    progress: int | None = None
    weight: int = 1


def _choice(value: str, choices) -> str | None:
    """A choice by its value or its label in either language ("施工" or "construction")."""
    value = value.strip()
    for key, label in choices:
        if value.lower() in (key, str(label).lower()):
            return key
    return None


def _header(names) -> dict:
    return {name: (str(name) if name is not None else "").strip().lower().replace(" ", "_") for name in names}


def _rows_of(header: list, records) -> tuple[list[dict], list[str]]:
    """Records (lists of cells, in header order) as dicts of the known columns; the unknown columns' names."""
    keys = _header(header)
    ignored = [str(name) for name, key in keys.items() if key not in COLUMNS and name not in (None, "")]
    rows = []
    for record in records:
        row = {keys[name]: cell for name, cell in zip(header, record) if keys.get(name) in COLUMNS}
        if any(row.values()):
            rows.append(row)
    return rows, ignored


def read_csv(data: bytes) -> tuple[list[dict], list[str]]:
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig")))
    header = next(reader, [])
    return _rows_of(header, ([cell.strip() for cell in record] for record in reader))


def cell_text(value) -> str:
    """An Excel cell as the ledger's text: dates ISO, whole numbers without ".0", the rest as written."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_xlsx(data: bytes) -> tuple[list[dict], list[str]]:
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError):
        raise ValidationError(_("This is not an Excel workbook (.xlsx).")) from None
    records = workbook.worksheets[0].iter_rows(values_only=True)
    header = list(next(records, ()))
    result = _rows_of(header, [[cell_text(cell) for cell in record] for record in records])
    workbook.close()
    return result


def read_rows(data: bytes, suffix: str = ".csv") -> tuple[list[dict], list[str]]:
    """The ledger's rows as dicts of known columns, and the unknown columns' names."""
    return read_xlsx(data) if suffix.lower() == ".xlsx" else read_csv(data)


class RowChecker:
    """Checks rows one by one, collecting problems; writes nothing."""

    def __init__(self, report: ImportReport):
        self.report = report
        self.streets = {}
        for street in Street.objects.defer("boundary"):
            for key in (street.code, street.name_zh, street.name_en):
                if key:
                    self.streets[key.lower()] = street
        self.seen_ids: dict[str, int] = {}

    def problem(self, row: int, column: str, message) -> None:
        self.report.problems.append(Problem(row, column, str(message)))

    def check(self, number: int, values: dict) -> LedgerRow:
        row = LedgerRow(number, values)
        for column in REQUIRED:
            if not values.get(column):
                self.problem(number, column, _("This column is required."))
        external_id = values.get("external_id", "")
        if external_id in self.seen_ids:
            self.problem(number, "external_id", _("The same external id is on row %(row)d too.")
                         % {"row": self.seen_ids[external_id]})
        elif external_id:
            self.seen_ids[external_id] = number
        if values.get("kind") and _choice(values["kind"], ProjectKind.choices) is None:
            self.problem(number, "kind", _("Unknown kind: %(value)s.") % {"value": values["kind"]})
        if values.get("phase") and _choice(values["phase"], Phase.choices) is None:
            self.problem(number, "phase", _("Unknown phase: %(value)s.") % {"value": values["phase"]})
        if values.get("street"):
            row.street = self.streets.get(values["street"].lower())
            if row.street is None:
                self.problem(number, "street", _("Unknown street: %(value)s.") % {"value": values["street"]})
        self._check_site(row)
        self._check_dates(row)
        self._check_numbers(row)
        return row

    def _check_site(self, row: LedgerRow) -> None:
        values = row.values
        try:
            if values.get("wkt"):
                row.site = GEOSGeometry(values["wkt"], srid=4326)
            elif values.get("lon") and values.get("lat"):
                row.site = Point(float(values["lon"]), float(values["lat"]), srid=4326)
            else:
                self.problem(row.number, "lon", _("Give lon and lat, or wkt."))
                return
        except (GEOSException, ValueError):
            self.problem(row.number, "wkt" if values.get("wkt") else "lon", _("This is not a location."))
            return
        probe = Project(site=row.site)
        try:
            operations.place_site(probe)
        except ValidationError as error:
            self.problem(row.number, "wkt" if values.get("wkt") else "lon", " ".join(error.messages))
            return
        if row.street is not None and probe.street_id != row.street.pk:
            self.problem(row.number, "street", _("The location lies in %(actual)s, not in %(given)s.")
                         % {"actual": probe.street.name_zh, "given": row.street.name_zh})

    def _check_dates(self, row: LedgerRow) -> None:
        for column in DATES:
            value = row.values.get(column, "")
            if not value:
                continue
            try:
                row.dates[column] = datetime.date.fromisoformat(value)
            except ValueError:
                self.problem(row.number, column, _("Not a date (YYYY-MM-DD): %(value)s.") % {"value": value})
        for start, end in (("planned_start", "planned_end"), ("actual_start", "actual_end")):
            if start in row.dates and end in row.dates and row.dates[end] < row.dates[start]:
                self.problem(row.number, end, _("The end date cannot be before the start date."))

    def _amount(self, row: LedgerRow, column: str):
        value = row.values.get(column, "")
        if not value:
            return None
        try:
            return operations.parse_amount(value, column)
        except ValidationError as error:
            self.problem(row.number, column, " ".join(error.messages))
            return None

    def _check_numbers(self, row: LedgerRow) -> None:
        values = row.values
        for source in FundingSource.values:
            planned, received = self._amount(row, f"funding_{source}"), self._amount(row, f"received_{source}")
            if planned is not None or received is not None:
                row.funding.append((source, planned or 0, received or 0))
        budget = self._amount(row, "budget")
        if budget is not None:
            if not row.funding:
                row.funding.append((FundingSource.DISTRICT_BUDGET, budget, 0))
            elif sum(planned for _source, planned, _received in row.funding) != budget:
                self.problem(row.number, "budget", _("The budget is not the sum of the funding columns."))
        for column, low, high in (("progress", 0, 100), ("weight", 1, 1000)):
            if values.get(column):
                try:
                    number = int(values[column])
                    if not low <= number <= high:
                        raise ValueError
                    setattr(row, column, number)
                except ValueError:
                    self.problem(row.number, column, _("A whole number from %(low)d to %(high)d.")
                                 % {"low": low, "high": high})
        if values.get("contractor_role") and _choice(values["contractor_role"], ContractorRole.choices) is None:
            self.problem(row.number, "contractor_role", _("Unknown contractor role: %(value)s.")
                         % {"value": values["contractor_role"]})

    def check_parents(self, rows: list[LedgerRow]) -> None:
        in_file = {row.values.get("external_id") for row in rows}
        wanted = {row.values["parent_external_id"] for row in rows if row.values.get("parent_external_id")}
        known = set(Project.objects.filter(external_id__in=wanted - in_file).values_list("external_id", flat=True))
        for row in rows:
            parent = row.values.get("parent_external_id")
            if parent and parent not in in_file and parent not in known:
                self.problem(row.number, "parent_external_id", _("No project has the external id %(value)s.")
                             % {"value": parent})
            if parent and parent == row.values.get("external_id"):
                self.problem(row.number, "parent_external_id", _("A project cannot be part of itself."))


def _in_parent_order(rows: list[LedgerRow]) -> list[LedgerRow]:
    """Rows with parents in the file after those parents (a loop in the file is left to the operation)."""
    by_id = {row.values["external_id"]: row for row in rows}
    ordered, placed = [], set()

    def place(row, trail=()):
        key = row.values["external_id"]
        if key in placed or key in trail:
            return
        parent = by_id.get(row.values.get("parent_external_id", ""))
        if parent is not None:
            place(parent, (*trail, key))
        placed.add(key)
        ordered.append(row)

    for row in rows:
        place(row)
    return ordered


def import_projects(*, actor, path: Path, dry_run: bool = False, progress=None) -> ImportReport:
    """Check every row of the ledger at ``path``, then (unless ``dry_run``) write them all or none.

    ``progress`` wraps the rows for a progress bar (tqdm, a job's row), as ``import_assets``'s does.

    Raises :class:`ImportRefused` (with the report) when any row is wrong, nothing written.
    """
    if not role_allows(actor, Action.CHANGE_PROJECT):
        raise PermissionDenied(_("Only district administrators and street-office staff import projects."))
    report = ImportReport(filename=path.name, kind="projects", driver="XLSX" if path.suffix.lower() == ".xlsx"
                          else "CSV", srid=4326, dry_run=dry_run)
    values, report.ignored_columns = read_rows(path.read_bytes(), path.suffix)
    if len(values) > MAX_ROWS:
        raise ValidationError(_("The ledger has more than %(max)d rows.") % {"max": MAX_ROWS})
    report.rows = len(values)
    checker = RowChecker(report)
    progress = progress or _no_progress
    rows = [checker.check(number, row) for number, row in progress(  # row 1 is the header
        enumerate(values, start=2), total=len(values), desc=_("Checking"), unit=_("rows"), phase="checking")]
    checker.check_parents(rows)
    existing = {project.external_id: project for project in Project.objects.filter(
        external_id__in=[row.values.get("external_id") for row in rows if row.values.get("external_id")])}
    report.to_update = sum(1 for row in rows if row.values.get("external_id") in existing)
    report.to_create = report.rows - report.to_update
    if report.problems:
        raise ImportRefused(report)
    if dry_run:
        return report
    with transaction.atomic():
        for row in progress(_in_parent_order(rows), total=len(rows), desc=_("Writing"), unit=_("rows"),
                            phase="writing"):
            try:
                _write_row(actor, row, existing)
            except ValidationError as error:
                for column, messages in (error.message_dict.items() if hasattr(error, "error_dict")
                                         else [("", error.messages)]):
                    checker.problem(row.number, column, " ".join(messages))
            except PermissionDenied as error:
                checker.problem(row.number, "street", str(error))
        if report.problems:
            transaction.set_rollback(True)
            raise ImportRefused(report)
    report.imported = True
    return report


def _no_progress(iterable, **_bar):
    return iterable


def _write_row(actor, row: LedgerRow, existing: dict) -> None:
    values = row.values
    project = existing.get(values["external_id"])
    parent_id = values.get("parent_external_id")
    parent = existing.get(parent_id) or (Project.objects.filter(external_id=parent_id).first() if parent_id else None)
    phase = _choice(values["phase"], Phase.choices) if values.get("phase") else None
    if project is None:
        project = operations.create_project(
            actor=actor, name_zh=values["name_zh"], name_en=values.get("name_en", ""),
            kind=_choice(values["kind"], ProjectKind.choices), site=row.site, description=values.get("description", ""),
            is_public=values.get("is_public", "").lower() not in ("0", "false", "no", "否"),
            parent=parent, weight=row.weight, external_id=values["external_id"],
            date=row.dates.get("planned_start") or timezone.localdate(), **row.dates)
        existing[project.external_id] = project
        for source, planned, received in row.funding:
            operations.add_funding(actor=actor, project=project, source=source, amount_planned=planned,
                                   amount_received=received, note=_("From the project ledger."),
                                   sponsor_name=values.get("sponsor", "") if source in SPONSORED else "")
        if values.get("contractor"):
            operations.add_contractor(
                actor=actor, project=project, name=values["contractor"],
                role=_choice(values.get("contractor_role") or "construction", ContractorRole.choices),
                credit_code=values.get("contractor_credit_code", ""))
    else:
        changed = {name: value for name, value in row.dates.items() if getattr(project, name) != value}
        if changed:
            operations.update_project(actor=actor, project=project, **changed)
    if phase and phase != project.phase:
        operations.change_phase(actor=actor, project=project, phase=phase, note=_("From the project ledger."))
    if row.progress is not None and row.progress != project.progress:
        operations.add_milestone(actor=actor, project=project, date=timezone.localdate(),
                                 text=_("Progress from the project ledger."), progress=row.progress)
