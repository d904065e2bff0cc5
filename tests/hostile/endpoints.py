"""The product's write endpoints, each with a valid request to poison one field of.

An ``Endpoint`` knows who sends it (``who``: a key of the ``world`` fixture, or None for a
visitor), where it goes, and a valid body; the tests replace one field with a hostile value and
expect that field to be named in the refusal. Keeping the valid body here means a test fails
for the hostile value, not for a missing field.
"""

import json
from dataclasses import dataclass
from typing import Callable

from django.utils import timezone

from tests.hostile.conftest import today


@dataclass(frozen=True)
class Endpoint:
    name: str
    who: str | None
    url: Callable[[dict], str]
    body: Callable[[dict], dict]
    api: bool = False

    def send(self, client, world, **changes):
        if self.who:
            client.force_login(world[self.who].user if self.who == "adopter" else world[self.who])
        data = {**self.body(world), **changes}
        if self.api:
            return client.post(self.url(world), json.dumps(data), content_type="application/json",
                               HTTP_ACCEPT_LANGUAGE="en")
        return client.post(self.url(world), data, HTTP_ACCEPT_LANGUAGE="en")


def _now_local(minutes=-10) -> str:
    return (timezone.localtime() + timezone.timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M")


SIGN_UP = Endpoint(
    "sign-up", None, lambda w: "/adopt/",
    lambda w: {"kind": "volunteer", "person_name": "李志红", "public_name": "", "mobile": "13912345678",
               "password1": "Lychee-Bay-2021!", "password2": "Lychee-Bay-2021!", "consent": "on", "website": ""})
APPLY = Endpoint(
    "apply", "adopter", lambda w: f"/assets/{w['plot'].pk}/adopt/",
    lambda w: {"first_day": today(1), "last_day": today(365), "duties": "每周浇水", "care_interval_days": "7",
               "people": "5", "website": ""})
REPORT = Endpoint(
    "report-a-problem", None, lambda w: f"/assets/{w['plot'].pk}/report/",
    lambda w: {"category": "litter", "description": "很多垃圾", "reporter_name": "", "reporter_mobile": "",
               "reporter_email": "", "website": ""})
STAFF_LOG = Endpoint(
    "staff-log-upkeep", "west_staff", lambda w: f"/staff/assets/{w['plot'].pk}/log/",
    lambda w: {"action": "watering", "performed_at": _now_local(), "participants": "2", "duration_minutes": "20",
               "notes": "浇透"})
API_PROBLEM = Endpoint(
    "api-problem-create", None, lambda w: "/api/v1/problems/",
    lambda w: {"asset": w["plot"].pk, "category": "litter", "description": "很多垃圾"}, api=True)
API_UPKEEP = Endpoint(
    "api-upkeep-create", "west_staff", lambda w: "/api/v1/upkeep/",
    lambda w: {"asset": w["plot"].pk, "action": "watering", "notes": "浇透"}, api=True)
API_ADOPTION = Endpoint(
    "api-adoption-create", "adopter", lambda w: "/api/v1/adoptions/",
    lambda w: {"asset": w["plot"].pk, "first_day": today(1), "last_day": today(180), "duties": "每周浇水"},
    api=True)

ALL = (SIGN_UP, APPLY, REPORT, STAFF_LOG, API_PROBLEM, API_UPKEEP, API_ADOPTION)

#: (endpoint, the free-text field, a name field or None) for the string tests.
TEXT_FIELDS = [
    (SIGN_UP, "person_name"), (SIGN_UP, "public_name"), (APPLY, "duties"), (REPORT, "description"),
    (REPORT, "reporter_name"), (STAFF_LOG, "notes"), (API_PROBLEM, "description"), (API_UPKEEP, "notes"),
    (API_ADOPTION, "duties"),
]
