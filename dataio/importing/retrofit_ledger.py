"""The district's elevator retrofit ledger (加装电梯台账), CSV with Chinese or English headers.

Every row is checked first (row / field / problem, as for assets); one bad row imports nothing.
A row whose ``external_id`` (项目编号) names a retrofit already registered updates it; the stage
dates it adds become stage events through ``elevators.operations.record_retrofit_stage``, so
they are checked and audited like a stage recorded on the phone. Columns: docs/data-io.md.
"""

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from django.contrib.gis.geos import Point
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dataio.gcj02 import gcj02_to_wgs84
from dataio.importing.report import PREVIEW_ROWS, ImportRefused, ImportReport, Problem
from dataio.importing.sources import csv_encoding
from elevators.models import ProgrammeStage, StageEvent
from elevators.operations import record_retrofit_stage, sign_custody_contract
from registry.access import Action, role_allows
from registry.geography import Street, covering
from registry.spatial_refs import STORAGE_SRID, accepted_srid
from retrofits.models import CustodyMode, ElevatorRetrofit

#: The import page's "kind" for a ledger.
RETROFIT_LEDGER = "retrofit_ledger"

#: Column → its Chinese header. Either may head the column.
COLUMNS = {
    "external_id": "项目编号", "address": "地址", "lon": "经度", "lat": "纬度", "street": "街道",
    "floors": "楼层数", "households": "户数", "applied_on": "受理日期", "consent_on": "业主同意日期",
    "permit_on": "规划许可日期", "permit_no": "规划许可证号", "construction_on": "开工日期",
    "accepted_on": "验收日期", "in_service_on": "投入使用日期", "custody_mode": "托管方式",
    "custodian": "托管单位", "maintenance_company": "维保单位",
}
REQUIRED = ("external_id", "address", "lon", "lat", "street")
#: Date column → the stage it records, in the programme's order.
STAGE_DATES = {
    "applied_on": ProgrammeStage.ACCEPTED, "consent_on": ProgrammeStage.CONSENT,
    "permit_on": ProgrammeStage.PLANNING_PERMIT, "construction_on": ProgrammeStage.CONSTRUCTION,
    "accepted_on": ProgrammeStage.ACCEPTANCE, "in_service_on": ProgrammeStage.IN_SERVICE,
}
#: The custody mode's words as residents and the ledger write them, and the English codes.
CUSTODY_WORDS = {"物业管理+维保": CustodyMode.PROPERTY_MANAGEMENT, "电梯物业+维保": CustodyMode.ELEVATOR_PROPERTY,
                 "托管管家包维保": CustodyMode.STEWARD, **{mode.value: mode for mode in CustodyMode}}


@dataclass
class LedgerRow:
    number: int
    external_id: str
    address: str
    point: Point
    street: Street
    floors: int | None
    households: int | None
    stages: dict = field(default_factory=dict)  # ProgrammeStage → date
    permit_no: str = ""
    custody_mode: str = ""
    custodian: str = ""
    maintenance_company: str = ""


def _header_map(headers: list[str]) -> tuple[dict, list[str]]:
    """Header → column name, and the headers that are no column (ignored)."""
    by_header = {**{name: name for name in COLUMNS}, **{zh: name for name, zh in COLUMNS.items()}}
    mapped, ignored = {}, []
    for header in headers:
        name = by_header.get(header.strip().lstrip("\ufeff"))
        (ignored.append(header) if name is None else mapped.__setitem__(header, name))
    return mapped, ignored


#: The file types a ledger may come as.
LEDGER_SUFFIXES = (".csv", ".xlsx")


def read_rows(path: Path) -> tuple[list[str], list[dict]]:
    """The header and the rows (header → text) of a CSV (UTF-8 or GB18030) or XLSX (first sheet) ledger."""
    if path.suffix.lower() == ".xlsx":
        return _xlsx_rows(path)
    text = path.read_bytes().decode(csv_encoding(path)).lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text))
    return list(reader.fieldnames or []), list(reader)


def _xlsx_cell(value) -> str:
    """A spreadsheet cell as the ledger's text: dates as YYYY-MM-DD, whole numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_rows(path: Path) -> tuple[list[str], list[dict]]:
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise ValidationError(_("This is not a readable XLSX workbook."), code="bad_xlsx") from error
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        headers = [_xlsx_cell(cell) for cell in next(rows, ())]
        return headers, [dict(zip(headers, map(_xlsx_cell, row))) for row in rows if any(c is not None for c in row)]
    finally:
        workbook.close()


class _RowChecker:
    def __init__(self, number: int, cells: dict, problems: list, *, srid: int, gcj02: bool, streets: dict):
        self.number, self.cells, self.problems = number, cells, problems
        self.srid, self.gcj02, self.streets = srid, gcj02, streets
        self.located: Point | None = None  # the row's point once read (for the preview map)

    def problem(self, column: str, message: str) -> None:
        self.problems.append(Problem(row=self.number, field=column, message=message))

    def text(self, column: str) -> str:
        return (self.cells.get(column) or "").strip()

    def integer(self, column: str) -> int | None:
        raw = self.text(column)
        if not raw:
            return None
        if not raw.isdigit():
            self.problem(column, _("Enter a whole number."))
            return None
        return int(raw)

    def date(self, column: str) -> datetime.date | None:
        raw = self.text(column)
        if not raw:
            return None
        try:
            return datetime.date.fromisoformat(raw)
        except ValueError:
            self.problem(column, _("Enter a date as YYYY-MM-DD."))
            return None

    def point(self) -> Point | None:
        try:
            lon, lat = float(self.text("lon")), float(self.text("lat"))
        except ValueError:
            self.problem("lon", _("Longitude and latitude must be numbers."))
            return None
        if self.gcj02:
            lon, lat = gcj02_to_wgs84(lon, lat)
        point = Point(lon, lat, srid=self.srid)
        if self.srid not in (STORAGE_SRID, 4490):  # CGCS2000 equals WGS-84 at map precision
            point.transform(STORAGE_SRID)
        point.srid = STORAGE_SRID
        return point

    def street(self, point: Point | None) -> Street | None:
        named = self.streets.get(self.text("street"))
        if named is None:
            self.problem("street", _("No street is called or coded “%(street)s”.") % {"street": self.text("street")})
            return None
        if point is not None:
            found = covering(Street, point).first()
            if found is None:
                self.problem("lon", _("This point is outside the district."))
            elif found.pk != named.pk:
                self.problem("street", _("The point lies in %(found)s, not in %(named)s.") % {
                    "found": found.display_name, "named": named.display_name})
        return named

    def check(self) -> LedgerRow | None:
        before = len(self.problems)
        for column in REQUIRED:
            if not self.text(column):
                self.problem(column, _("This column is required."))
        if len(self.problems) > before:
            return None
        point = self.located = self.point()
        street = self.street(point)
        row = LedgerRow(number=self.number, external_id=self.text("external_id"), address=self.text("address"),
                        point=point, street=street, floors=self.integer("floors"),
                        households=self.integer("households"), permit_no=self.text("permit_no"),
                        custodian=self.text("custodian"), maintenance_company=self.text("maintenance_company"))
        self.stage_dates(row)
        self.custody(row)
        return row if len(self.problems) == before else None

    def stage_dates(self, row: LedgerRow) -> None:
        latest = None
        for column, stage in STAGE_DATES.items():
            on = self.date(column)
            if on is None:
                continue
            if latest is not None and on < latest[1]:
                self.problem(column, _("This date is before %(column)s (%(date)s): the dates must be in order.") % {
                    "column": latest[0], "date": latest[1]})
            if on > datetime.date.today():
                self.problem(column, _("The date cannot be in the future."))
            row.stages[stage] = on
            latest = (column, on)
        if ProgrammeStage.PLANNING_PERMIT in row.stages and not row.permit_no:
            self.problem("permit_no", _("Enter the planning permit's number."))
        if ProgrammeStage.IN_SERVICE in row.stages and ProgrammeStage.ACCEPTANCE not in row.stages:
            self.problem("in_service_on", _("In service needs the completion acceptance date."))

    def custody(self, row: LedgerRow) -> None:
        word = self.text("custody_mode")
        if not word:
            return
        mode = CUSTODY_WORDS.get(word.replace(" ", "").replace("＋", "+"))
        if mode is None:
            self.problem("custody_mode", _("The custody mode is one of 物业管理+维保, 电梯物业+维保, 托管管家包维保."))
        else:
            row.custody_mode = mode
            if not row.custodian:
                self.problem("custodian", _("Name the custodian of this custody mode."))


def _preview(number: int, point: Point | None, name: str, problems: list) -> dict | None:
    if point is None:
        return None
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [point.x, point.y]},
            "properties": {"row": number, "layer": "", "name": name,
                           "problem": any(problem.row == number for problem in problems)}}


def check_ledger(path: Path, *, srid=None, gcj02: bool = False, progress=None) -> tuple[ImportReport, list[LedgerRow]]:
    """Read and check every row; the report lists every problem (nothing is written here). ``progress``
    wraps the rows for a progress bar (tqdm, a job's row), as ``import_assets``'s does."""
    report = ImportReport(filename=path.name, kind="elevator", driver="CSV",
                          srid=accepted_srid(srid) if srid else STORAGE_SRID, gcj02=gcj02)
    headers, raw_rows = read_rows(path)
    mapped, report.ignored_columns = _header_map(headers)
    missing = [f"{name} ({COLUMNS[name]})" for name in REQUIRED if name not in mapped.values()]
    if missing:
        report.problems.append(Problem(row=None, field=", ".join(missing), message=_("Required columns are missing.")))
        return report, []
    streets = {}
    for street in Street.objects.defer("boundary"):
        streets.update({street.code: street, street.name_zh: street})
    rows, seen = [], {}
    progress = progress or (lambda iterable, **_bar: iterable)
    for number, raw in progress(enumerate(raw_rows, start=2), total=len(raw_rows), desc=_("Checking"),
                                unit=_("rows"), phase="checking"):  # row 1 is the header, as a spreadsheet counts
        cells = {mapped[header]: value for header, value in raw.items() if header in mapped}
        checker = _RowChecker(number, cells, report.problems, srid=report.srid, gcj02=gcj02, streets=streets)
        external_id = checker.text("external_id")
        if external_id and external_id in seen:
            checker.problem("external_id", _("This id is also on row %(row)d.") % {"row": seen[external_id]})
        seen.setdefault(external_id, number)
        row = checker.check()
        if row is not None:
            rows.append(row)
        if len(report.preview) < PREVIEW_ROWS:
            feature = _preview(number, checker.located, checker.text("address"), report.problems)
            if feature is not None:
                report.preview.append(feature)
    report.rows = len(raw_rows)
    existing = set(ElevatorRetrofit.objects.filter(external_id__in=[r.external_id for r in rows])
                   .values_list("external_id", flat=True))
    report.to_update = sum(r.external_id in existing for r in rows)
    report.to_create = len(rows) - report.to_update
    return report, rows


def import_retrofit_ledger(*, actor, path: Path, srid=None, gcj02: bool = False, dry_run: bool = False,
                           progress=None) -> ImportReport:
    """Check the ledger, then (unless ``dry_run``) write it all in one transaction or nothing.

    A dry run returns the report, problems and all; a real run with a problem raises
    :class:`ImportRefused` with it (as ``dataio.operations.import_assets`` does)."""
    if not role_allows(actor, Action.RECORD_RETROFIT_STAGE):
        raise PermissionDenied(_("Only district administrators and street-office staff may import the ledger."))
    report, rows = check_ledger(path, srid=srid, gcj02=gcj02, progress=progress)
    report.dry_run = dry_run
    if dry_run:  # the report says what is wrong; nothing is written either way
        return report
    if report.problems:
        raise ImportRefused(report)
    with transaction.atomic():
        for row in rows:
            try:
                _write_row(actor, row)
            except ValidationError as error:  # e.g. a date before one already recorded for this retrofit
                report.problems += [Problem(row=row.number, field=name, message=str(message))
                                    for name, messages in _message_dict(error).items() for message in messages]
            except PermissionDenied as refusal:
                report.problems.append(Problem(row=row.number, field="street", message=str(refusal)))
        if report.problems:
            transaction.set_rollback(True)
    if report.problems:
        raise ImportRefused(report)
    report.imported = True
    return report


def _message_dict(error: ValidationError) -> dict:
    return error.message_dict if hasattr(error, "error_dict") else {"": error.messages}


def _write_row(actor, row: LedgerRow) -> None:
    retrofit = ElevatorRetrofit.objects.filter(external_id=row.external_id).first()
    facts = {"address": row.address, "floors": row.floors, "households": row.households}
    if retrofit is None:
        retrofit = ElevatorRetrofit(external_id=row.external_id, name_zh=f"{row.address}加装电梯",
                                    geometry=row.point, created_by=actor, updated_by=actor, **facts)
        retrofit.full_clean()
        retrofit.save()
    else:
        ElevatorRetrofit.objects.filter(pk=retrofit.pk).update(**{k: v for k, v in facts.items() if v is not None})
    recorded = set(StageEvent.objects.filter(retrofit=retrofit).values_list("stage", flat=True))
    for stage, on in row.stages.items():
        if stage not in recorded:
            record_retrofit_stage(actor=actor, retrofit=retrofit, stage=stage, happened_on=on,
                                  document_number=row.permit_no if stage == ProgrammeStage.PLANNING_PERMIT else "",
                                  note=_("from the ledger"))
    if row.custody_mode and not retrofit.custody_contracts.filter(mode=row.custody_mode,
                                                                  custodian=row.custodian).exists():
        sign_custody_contract(actor=actor, retrofit=retrofit, mode=row.custody_mode, custodian=row.custodian,
                              maintenance_company=row.maintenance_company,
                              starts_on=row.stages.get(ProgrammeStage.IN_SERVICE) or datetime.date.today())
