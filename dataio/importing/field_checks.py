"""The field constraints of an import, checked in SQL over the staging table (issue 20).

What a field's ``clean()`` checks after the cell is parsed is set-based by nature: a required
field left empty, a text longer than its ``max_length``, a value that is none of the field's
choices, a number below or above its range (``MinValueValidator`` / ``MaxValueValidator``: a
positive small integer's 0…32,767). :data:`FIELD_CHECKS_SQL` checks them all, for every row, in one
scan of the staging table (:mod:`dataio.importing.staging`), and returns the fields each row
breaks. The fields it covers are those :func:`dataio.schema.sql_checked` accepts (text, dates,
integers with only these validators); lists, booleans and decimals are checked whole in Python as
their cells are read.

Parsing stays in Python (:func:`dataio.schema.parse_cell`: a spreadsheet's ``1001.0`` as text, a
choice's Chinese or English label, ``2021-05-01T00:00:00`` as a date, ``"12"`` as a number):
GDAL hands the cells over as Python values, and SQL would gain nothing re-parsing them. A cell
found wrong here is worded by :func:`dataio.schema.cell_to_value` on that one cell, so the report
says exactly what it said when every cell was checked in Python.
"""

from django.core import validators
from django.db import connection

from dataio.importing.staging import STAGING, value_column

#: One condition per constraint, true when the row breaks it; {column} is the field's staging column.
REQUIRED_SQL = "({column} IS NULL OR {column}::text = '')"
NOT_A_CHOICE_SQL = "({column}::text <> '' AND NOT {column}::text = ANY(%({choices})s::text[]))"
TOO_LONG_SQL = "char_length({column}) > %({limit})s"
BELOW_SQL = "{column} < %({limit})s"
ABOVE_SQL = "{column} > %({limit})s"

VALIDATOR_SQL = {validators.MaxLengthValidator: TOO_LONG_SQL, validators.MinValueValidator: BELOW_SQL,
                 validators.MaxValueValidator: ABOVE_SQL}

FIELD_CHECKS_SQL = f"""
-- The fields each row breaks a constraint of (one CASE per field: its name when any condition holds); rows that
-- break none left out. Every row: a row with a cell that could not be read still has its other cells reported.
SELECT ord, failed FROM (
    SELECT ord, array_remove(ARRAY[{{cases}}]::text[], NULL) AS failed FROM {STAGING}
) AS checked
WHERE cardinality(failed) > 0
"""


def _conditions(field, index: int, params: dict) -> list[str]:
    """The SQL conditions of ``field``'s constraints, their values added to ``params``."""
    column = value_column(field)
    conditions = []
    if not field.blank:
        conditions.append(REQUIRED_SQL.format(column=column))
    if field.choices:
        params[f"choices_{index}"] = [str(value) for value, _label in field.flatchoices]
        conditions.append(NOT_A_CHOICE_SQL.format(column=column, choices=f"choices_{index}"))
    for number, validator in enumerate(field.validators):
        limit = validator.limit_value() if callable(validator.limit_value) else validator.limit_value
        params[f"limit_{index}_{number}"] = limit
        conditions.append(VALIDATOR_SQL[type(validator)].format(column=column, limit=f"limit_{index}_{number}"))
    return conditions


def check_fields(fields: list) -> dict:
    """ord → names of the ``fields`` (all :func:`dataio.schema.sql_checked`) whose constraints the row breaks."""
    params: dict = {}
    cases = []
    for index, field in enumerate(fields):
        conditions = _conditions(field, index, params)
        if conditions:
            params[f"name_{index}"] = field.name
            cases.append(f"CASE WHEN {' OR '.join(conditions)} THEN %(name_{index})s END")
    if not cases:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(FIELD_CHECKS_SQL.format(cases=", ".join(cases)), params)
        return {ord_: set(failed) for ord_, failed in cursor.fetchall()}
