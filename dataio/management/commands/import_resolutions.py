"""``manage.py import_resolutions PATH [--dry-run] [--user U]``: the district's resolution ledger of consultation (CSV or XLSX).

Runs :func:`dataio.importing.resolutions.import_resolutions` (see :mod:`dataio.management.ledger`).
Columns: docs/data-io.md ("Resolution ledger").
"""

from dataio.importing.resolutions import import_resolutions
from dataio.management.ledger import LedgerImportCommand


class Command(LedgerImportCommand):
    help = ("Import consultation resolutions from the resolution ledger (CSV in UTF-8, or .xlsx; English or Chinese "
            "headers). Every row is checked first; all rows are imported or none. Rows of one meeting (same "
            "community, level, date and topic) form one meeting; rows whose external_id is a resolution's update "
            "it through the same operations as the pages.")
    ledger_import = staticmethod(import_resolutions)
