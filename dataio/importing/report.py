"""What an import found: per-row problems and the counts, for the terminal and the web page alike."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: How many problems a report prints or shows; the count of the rest is given.
SHOWN_PROBLEMS = 200
#: How many rows the web page draws on its preview map.
PREVIEW_ROWS = 50


@dataclass
class Problem:
    """One thing wrong: ``row`` is None for a problem of the whole file (a mapping, a missing column)."""

    row: int | None
    field: str
    message: str
    layer: str = ""


@dataclass
class ImportReport:
    filename: str
    kind: str
    driver: str = ""
    layers: list[str] = field(default_factory=list)
    srid: int | None = None
    gcj02: bool = False
    rows: int = 0
    to_create: int = 0
    to_update: int = 0
    problems: list[Problem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    skipped: int = 0  # OpenStreetMap elements of other kinds
    preview: list[dict] = field(default_factory=list)
    dry_run: bool = False
    imported: bool = False
    run_id: int | None = None
    timings: dict = field(default_factory=dict)  # seconds per phase: read, check, write

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def shown_problems(self) -> list[Problem]:
        """The problems a report lists (the first :data:`SHOWN_PROBLEMS`)."""
        return self.problems[:SHOWN_PROBLEMS]

    @property
    def problem_rows(self) -> int:
        return len({(p.layer, p.row) for p in self.problems if p.row is not None})

    def as_text(self) -> str:
        """The report as the command prints it: a summary, then one line per problem (row, field, problem)."""
        lines = [
            _("File: %(file)s (%(driver)s; layers: %(layers)s; EPSG:%(srid)s%(gcj)s)") % {
                "file": self.filename, "driver": self.driver, "layers": ", ".join(self.layers) or "-",
                "srid": self.srid if self.srid is not None else "?",
                "gcj": _(", from GCJ-02") if self.gcj02 else ""},
            _("Rows read: %(rows)d; new: %(new)d; updates by external id: %(updates)d.") % {
                "rows": self.rows, "new": self.to_create, "updates": self.to_update},
        ]
        if self.skipped:
            lines.append(_("OpenStreetMap elements of other kinds skipped: %(count)d.") % {"count": self.skipped})
        if self.ignored_columns:
            lines.append(_("Columns ignored: %(columns)s") % {"columns": ", ".join(self.ignored_columns)})
        if self.problems:
            lines.append(_("Rows with problems: %(rows)d; problems: %(count)d. Nothing was imported.") % {
                "count": len(self.problems), "rows": self.problem_rows})
            lines.append("\t".join([_("layer"), _("row"), _("field"), _("problem")]))
            for problem in self.shown_problems:
                lines.append("\t".join([problem.layer, str(problem.row or "-"), problem.field or "-",
                                        str(problem.message)]))
            if len(self.problems) > SHOWN_PROBLEMS:
                lines.append(_("… and %(count)d more.") % {"count": len(self.problems) - SHOWN_PROBLEMS})
        return "\n".join(lines)


class ImportRefused(ValidationError):
    """Rows failed validation: nothing was imported. ``report`` holds every problem."""

    def __init__(self, report: ImportReport):
        self.report = report
        super().__init__(_("Problems in the file: %(count)d. Nothing was imported.") % {
            "count": len(report.problems)}, code="import_refused")
