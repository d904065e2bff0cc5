"""The period the programme's figures count over, shared by ``elevators.figures`` and
``elevators.service`` (a module of its own, so that the figures may include the service figures)."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

#: The first day of the programme (August 2017): "all time" starts here.
PROGRAMME_START = datetime.date(2017, 8, 1)


@dataclass(frozen=True)
class Period:
    start: datetime.date = PROGRAMME_START
    end: datetime.date | None = None
    street_id: int | None = None

    def params(self) -> dict:
        return {"start": self.start, "end": self.end or timezone.localdate(), "street": self.street_id}
