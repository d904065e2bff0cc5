"""The district's resolution ledger (CSV in UTF-8, or an Excel .xlsx: its first sheet) →
consultation meetings and resolutions, all or nothing.

    report = import_resolutions(actor=user, path=path, dry_run=False)

Headers in English or Chinese (``external_id`` or 决议编号 …, see :data:`HEADERS` and docs/data-io.md,
"Resolution ledger"). Every row is checked first (no writes): a problem is reported as row / column
/ problem in the user's language, and then nothing is imported (:class:`ImportRefused`). Rows of one
meeting (same community, level, date and topic) form one meeting. A row whose ``external_id`` is
already a resolution's updates it (text, votes, responsible party, and its status forward); new rows
are recorded with ``consultation.operations.record_meeting`` and their status reached through the
same named operations as the staff pages (start, execute, not feasible), so each is in the audit
trail and the history.
"""

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl.utils.exceptions import InvalidFileException

from consultation import operations
from consultation.models import Meeting, MeetingLevel, Resolution, ResolutionStatus
from consultation.operations import ResolutionInput
from dataio.importing.projects import cell_text
from dataio.importing.report import ImportRefused, ImportReport, Problem
from registry.access import Action, can, role_allows
from registry.geography import Community

#: Column → its Chinese header. Either name is read (case and spaces ignored).
HEADERS = {
    "external_id": "决议编号", "community": "社区", "level": "层级", "meeting_date": "议事日期", "topic": "议题",
    "resolution": "决议内容", "votes_for": "赞成", "votes_against": "反对", "votes_abstain": "弃权",
    "status": "状态", "executed_on": "落实日期", "responsible": "责任方", "participants": "参会人数",
    "not_feasible_reason": "无法落实原因",
}
REQUIRED = ("external_id", "community", "level", "meeting_date", "topic", "resolution", "status")
COUNTS = ("votes_for", "votes_against", "votes_abstain", "participants")
LEVEL_WORDS = {"社区": MeetingLevel.COMMUNITY, "网格": MeetingLevel.GRID, "楼宇": MeetingLevel.BUILDING,
               **{level: level for level in MeetingLevel.values}}
STATUS_WORDS = {"已通过": ResolutionStatus.ADOPTED, "落实中": ResolutionStatus.IN_PROGRESS,
                "已落实": ResolutionStatus.EXECUTED, "无法落实": ResolutionStatus.NOT_FEASIBLE,
                "未通过": ResolutionStatus.REJECTED, **{status: status for status in ResolutionStatus.values}}
#: The order of statuses: a re-import moves a resolution forward, never back.
RANK = {ResolutionStatus.ADOPTED: 0, ResolutionStatus.IN_PROGRESS: 1, ResolutionStatus.EXECUTED: 2,
        ResolutionStatus.NOT_FEASIBLE: 2, ResolutionStatus.REJECTED: 0}
MAX_ROWS = 50000


@dataclass
class LedgerRow:
    number: int
    values: dict
    community: Community | None = None
    level: str = ""
    status: str = ""
    meeting_date: datetime.date | None = None
    executed_on: datetime.date | None = None
    counts: dict = field(default_factory=dict)

    @property
    def meeting_key(self) -> tuple:
        return (self.community.pk if self.community else None, self.level, self.meeting_date,
                self.values.get("topic", ""))


def _key(name) -> str:
    return (str(name) if name is not None else "").strip().lower().replace(" ", "_")


_BY_HEADER = {**{_key(column): column for column in HEADERS}, **{_key(zh): column for column, zh in HEADERS.items()}}


def _rows_of(header: list, records) -> tuple[list[dict], list[str]]:
    keys = {index: _BY_HEADER.get(_key(name)) for index, name in enumerate(header)}
    ignored = [str(name) for index, name in enumerate(header) if keys[index] is None and name not in (None, "")]
    rows = []
    for record in records:
        row = {keys[index]: cell for index, cell in enumerate(record) if keys.get(index)}
        if any(row.values()):
            rows.append(row)
    return rows, ignored


def read_rows(data: bytes, suffix: str = ".csv") -> tuple[list[dict], list[str]]:
    """The ledger's rows as dicts of known columns (English names), and the unknown columns' names."""
    if suffix.lower() == ".xlsx":
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError):
            raise ValidationError(_("This is not an Excel workbook (.xlsx).")) from None
        records = workbook.worksheets[0].iter_rows(values_only=True)
        header = list(next(records, ()))
        result = _rows_of(header, [[cell_text(cell) for cell in record] for record in records])
        workbook.close()
        return result
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig")))
    header = next(reader, [])
    return _rows_of(header, ([cell.strip() for cell in record] for record in reader))


class RowChecker:
    """Checks rows one by one, collecting problems; writes nothing."""

    def __init__(self, report: ImportReport, actor):
        self.report, self.actor = report, actor
        self.communities = {}
        for community in Community.objects.defer("boundary"):
            self.communities[community.code.lower()] = community
            self.communities.setdefault(community.name_zh, community)
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
        self._check_words(row)
        self._check_dates(row)
        for column in COUNTS:
            text = values.get(column, "")
            if not text:
                continue
            try:
                row.counts[column] = int(text)
                if row.counts[column] < 0:
                    raise ValueError
            except ValueError:
                self.problem(number, column, _("A whole number of at least 0: %(value)s.") % {"value": text})
        votes = sum(row.counts.get(column, 0) for column in COUNTS[:3])
        if "participants" in row.counts and votes > row.counts["participants"]:
            self.problem(number, "votes_for", _(
                "The votes (%(votes)d) are more than the participants (%(participants)d).")
                % {"votes": votes, "participants": row.counts["participants"]})
        if row.status == ResolutionStatus.NOT_FEASIBLE and not values.get("not_feasible_reason"):
            self.problem(number, "not_feasible_reason", _("A resolution not feasible needs the public reason."))
        return row

    def _check_words(self, row: LedgerRow) -> None:
        values, number = row.values, row.number
        if values.get("community"):
            text = values["community"]
            row.community = self.communities.get(text.lower()) or self.communities.get(text)
            if row.community is None:
                self.problem(number, "community", _("Unknown community: %(value)s.") % {"value": text})
            elif not can(self.actor, Action.RECORD_MEETING, _Area(row.community)):
                self.problem(number, "community", _("%(value)s is not in your area.") % {"value": text})
        if values.get("level"):
            row.level = LEVEL_WORDS.get(values["level"].strip().lower(), "")
            if not row.level:
                self.problem(number, "level", _("Unknown level: %(value)s (社区 / 网格 / 楼宇 or community / grid / "
                                                "building).") % {"value": values["level"]})
        if values.get("status"):
            row.status = STATUS_WORDS.get(values["status"].strip().lower(), "")
            if not row.status:
                self.problem(number, "status", _("Unknown status: %(value)s (已通过 / 落实中 / 已落实 / 无法落实 or "
                                                 "adopted / in_progress / executed / not_feasible).")
                             % {"value": values["status"]})

    def _check_dates(self, row: LedgerRow) -> None:
        for column in ("meeting_date", "executed_on"):
            text = row.values.get(column, "")
            if not text:
                continue
            try:
                setattr(row, column, datetime.date.fromisoformat(text))
            except ValueError:
                self.problem(row.number, column, _("Not a date (YYYY-MM-DD): %(value)s.") % {"value": text})
        if row.status == ResolutionStatus.EXECUTED and not row.values.get("executed_on"):
            self.problem(row.number, "executed_on", _("An executed resolution needs the date it was carried out."))
        if row.values.get("executed_on") and row.status and row.status != ResolutionStatus.EXECUTED:
            self.problem(row.number, "executed_on", _("Leave the date empty unless the resolution is executed."))
        if row.executed_on and row.meeting_date and row.executed_on < row.meeting_date:
            self.problem(row.number, "executed_on", _("It cannot have been carried out before the meeting (%(date)s).")
                         % {"date": row.meeting_date.isoformat()})

    def check_meetings(self, rows: list[LedgerRow]) -> None:
        """Rows of one meeting agree on its participants."""
        participants = {}
        for row in rows:
            if "participants" not in row.counts:
                continue
            first = participants.setdefault(row.meeting_key, (row.number, row.counts["participants"]))
            if first[1] != row.counts["participants"]:
                self.problem(row.number, "participants", _("Row %(row)d of the same meeting gives %(count)d "
                                                           "participants.") % {"row": first[0], "count": first[1]})


@dataclass(frozen=True)
class _Area:
    """A community as ``registry.access.can`` reads a row: its street, itself, no grid."""

    community: Community

    @property
    def street_id(self):
        return self.community.street_id

    @property
    def community_id(self):
        return self.community.pk

    grid_id = None


def import_resolutions(*, actor, path: Path, dry_run: bool = False, progress=None) -> ImportReport:
    """Check every row of the ledger at ``path``, then (unless ``dry_run``) write them all or none.

    ``progress`` wraps the rows for a progress bar (tqdm, a job's row), as ``import_assets``'s does.

    Raises :class:`ImportRefused` (with the report) when any row is wrong, nothing written.
    """
    if not role_allows(actor, Action.IMPORT_ASSETS) or not role_allows(actor, Action.RECORD_MEETING):
        raise PermissionDenied(_("Only district administrators and street-office staff import resolutions."))
    report = ImportReport(filename=path.name, kind="resolutions", driver="XLSX" if path.suffix.lower() == ".xlsx"
                          else "CSV", dry_run=dry_run)
    values, report.ignored_columns = read_rows(path.read_bytes(), path.suffix)
    if len(values) > MAX_ROWS:
        raise ValidationError(_("The ledger has more than %(max)d rows.") % {"max": MAX_ROWS})
    report.rows = len(values)
    checker = RowChecker(report, actor)
    progress = progress or (lambda iterable, **_bar: iterable)
    rows = [checker.check(number, row) for number, row in progress(  # row 1 is the header
        enumerate(values, start=2), total=len(values), desc=_("Checking"), unit=_("rows"), phase="checking")]
    checker.check_meetings(rows)
    existing = {resolution.external_id: resolution for resolution in Resolution.objects.select_related("meeting")
                .filter(external_id__in=[row.values.get("external_id") for row in rows if row.values.get("external_id")])}
    for row in rows:
        resolution = existing.get(row.values.get("external_id"))
        if resolution is not None and row.status and RANK[row.status] < RANK[resolution.status]:
            checker.problem(row.number, "status", _("Resolution %(id)s is already “%(status)s”: a status does not go "
                                                    "back.") % {"id": resolution.external_id,
                                                                "status": resolution.get_status_display()})
    report.to_update = sum(1 for row in rows if row.values.get("external_id") in existing)
    report.to_create = report.rows - report.to_update
    if report.problems:
        raise ImportRefused(report)
    if dry_run:
        return report
    with transaction.atomic():
        _write(actor, rows, existing, checker)
        if report.problems:
            transaction.set_rollback(True)
            raise ImportRefused(report)
    report.imported = True
    return report


def _problem_from(checker, row_number, error) -> None:
    if isinstance(error, PermissionDenied):
        checker.problem(row_number, "community", str(error))
        return
    for column, messages in (error.message_dict.items() if hasattr(error, "error_dict") else [("", error.messages)]):
        checker.problem(row_number, column, " ".join(messages))


def _write(actor, rows: list[LedgerRow], existing: dict, checker: RowChecker) -> None:
    new_by_meeting: dict[tuple, list[LedgerRow]] = {}
    for row in rows:
        resolution = existing.get(row.values["external_id"])
        if resolution is None:
            new_by_meeting.setdefault(row.meeting_key, []).append(row)
            continue
        try:
            _update(actor, row, resolution)
        except (ValidationError, PermissionDenied) as error:
            _problem_from(checker, row.number, error)
    for key, meeting_rows in new_by_meeting.items():
        first = meeting_rows[0]
        try:
            meeting = Meeting.objects.filter(community=first.community, level=first.level, date=first.meeting_date,
                                             topic=first.values["topic"]).order_by("id").first()
            inputs = [ResolutionInput(
                text=row.values["resolution"], votes_for=row.counts.get("votes_for", 0),
                votes_against=row.counts.get("votes_against", 0), votes_abstain=row.counts.get("votes_abstain", 0),
                adopted=row.status != ResolutionStatus.REJECTED, responsible=row.values.get("responsible", ""),
                external_id=row.values["external_id"]) for row in meeting_rows]
            if meeting is None:
                meeting = operations.record_meeting(
                    actor=actor, community=first.community, level=first.level, date=first.meeting_date,
                    topic=first.values["topic"], participants=first.counts.get("participants"),
                    resolutions=inputs)
                created = list(meeting.resolutions.order_by("id"))
            else:
                created = [operations.add_resolution(actor=actor, meeting=meeting, resolution=given)
                           for given in inputs]
        except (ValidationError, PermissionDenied) as error:
            _problem_from(checker, first.number, error)
            continue
        for row, resolution in zip(meeting_rows, created):
            try:
                _advance(actor, row, resolution)
            except (ValidationError, PermissionDenied) as error:
                _problem_from(checker, row.number, error)


def _update(actor, row: LedgerRow, resolution: Resolution) -> None:
    changes = {"text": row.values["resolution"], "votes_for": row.counts.get("votes_for", 0),
               "votes_against": row.counts.get("votes_against", 0),
               "votes_abstain": row.counts.get("votes_abstain", 0), "responsible": row.values.get("responsible", "")}
    changed = {name: value for name, value in changes.items() if getattr(resolution, name) != value}
    if changed:
        operations.update_resolution(actor=actor, resolution=resolution, **changed)
    _advance(actor, row, resolution)


def _advance(actor, row: LedgerRow, resolution: Resolution) -> None:
    """Take ``resolution`` forward to the row's status through the named operations."""
    if row.status == resolution.status or row.status == ResolutionStatus.REJECTED:
        return
    if row.status in (ResolutionStatus.IN_PROGRESS, ResolutionStatus.EXECUTED) \
            and resolution.status == ResolutionStatus.ADOPTED:
        operations.start_resolution(actor=actor, resolution=resolution)
    if row.status == ResolutionStatus.EXECUTED:
        operations.execute_resolution(actor=actor, resolution=resolution, executed_on=row.executed_on)
    elif row.status == ResolutionStatus.NOT_FEASIBLE:
        operations.declare_not_feasible(actor=actor, resolution=resolution,
                                        reason=row.values.get("not_feasible_reason", ""))
