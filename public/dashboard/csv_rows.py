"""The dashboard's JSON as CSV rows (``figure``, ``value``): one row per number, the figure named by
its path of JSON keys joined with dots (``problems.by_month.2025-03``). Null is an empty cell; a
text value is written as it is, a number as JSON writes it, an empty list as ``[]``, so the CSV and the
JSON say the same.
"""

import json


def flatten(figures: dict, prefix: str = "") -> list[tuple[str, str]]:
    rows = []
    for key, value in figures.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            rows.extend(flatten(value, f"{path}."))
        elif isinstance(value, list) and value:
            rows.extend(flatten({str(index): item for index, item in enumerate(value)}, f"{path}."))
        else:
            rows.append((path, cell(value)))
    return rows


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value)
