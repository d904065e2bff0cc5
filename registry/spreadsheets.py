"""Cells of the CSV files people open in a spreadsheet: the one rule every CSV export follows."""

#: What a spreadsheet reads as the start of a formula (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """``value`` as a CSV cell a spreadsheet will not run as a formula: a text that starts like one is
    quoted with ``'``; None is an empty cell; numbers and dates are left to the CSV writer."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value
