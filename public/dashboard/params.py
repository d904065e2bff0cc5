"""The dashboard's parameters from the query string: ``street`` and ``community`` (codes), ``from``
and ``to`` (YYYY-MM-DD, both days included). Bad values are errors with a message in the visitor's
language (the page shows them, the JSON answers 400), never a 500.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from registry.geography import Community, Street

#: The default period: the last twelve months up to today.
DEFAULT_DAYS = 365
#: The longest period asked for (ten years).
MAX_DAYS = 3660


@dataclass(frozen=True)
class DashboardParams:
    street: Street | None
    community: Community | None
    date_from: datetime.date
    date_to: datetime.date

    def query(self) -> dict:
        values = {"street": self.street.code if self.street else "",
                  "community": self.community.code if self.community else "",
                  "from": self.date_from.isoformat(), "to": self.date_to.isoformat()}
        return {key: value for key, value in values.items() if value}


class BadParameters(Exception):
    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


def _date(raw: str, name: str, errors: dict):
    if not raw:
        return None
    try:
        if len(raw) != 10:  # only YYYY-MM-DD (fromisoformat would also take 20240101 and week dates)
            raise ValueError(raw)
        return datetime.date.fromisoformat(raw)
    except ValueError:
        errors[name] = _("Enter a date as YYYY-MM-DD.")
        return None


def read_params(query, today: datetime.date | None = None) -> DashboardParams:
    """The parameters of ``query`` (a QueryDict), or ``BadParameters`` with one message per field."""
    today = today or timezone.localdate()
    errors = {}
    street_code, community_code = query.get("street", "").strip()[:32], query.get("community", "").strip()[:32]
    street = community = None
    if street_code:
        street = Street.objects.defer("boundary").filter(code=street_code).first()
        if street is None:
            errors["street"] = _("No street has the code “%(code)s”.") % {"code": street_code}
    if community_code:
        community = Community.objects.defer("boundary").select_related("street").defer(
            "street__boundary").filter(code=community_code).first()
        if community is None:
            errors["community"] = _("No community has the code “%(code)s”.") % {"code": community_code}
        elif street is not None and community.street_id != street.pk:
            errors["community"] = _("That community is not in that street.")
        elif street is None and "street" not in errors:
            street = community.street
    date_to = _date(query.get("to", ""), "to", errors) or today
    date_from = _date(query.get("from", ""), "from", errors) or date_to - datetime.timedelta(days=DEFAULT_DAYS - 1)
    if "from" not in errors and "to" not in errors:
        if date_to < date_from:
            errors["to"] = _("The end of the period is before its start.")
        elif (date_to - date_from).days >= MAX_DAYS:
            errors["from"] = _("Ask for at most ten years at a time.")
    if errors:
        raise BadParameters(errors)
    return DashboardParams(street, community, date_from, date_to)
