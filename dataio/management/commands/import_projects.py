"""``manage.py import_projects PATH [--dry-run] [--user U]``: the district's project ledger (CSV or XLSX).

Runs :func:`dataio.importing.projects.import_projects` (see :mod:`dataio.management.ledger`).
Columns: docs/data-io.md ("Project ledger").
"""

from dataio.importing.projects import import_projects
from dataio.management.ledger import LedgerImportCommand


class Command(LedgerImportCommand):
    help = ("Import renovation projects from the project ledger (CSV in UTF-8, or .xlsx). Every row is checked first; all "
            "rows are imported or none. Rows whose external_id is a project's update its dates, phase and "
            "progress through the same operations as the pages.")
    ledger_import = staticmethod(import_projects)
