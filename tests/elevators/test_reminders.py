"""send_green_channel_reminders: the queue reaches the street office once a day, in both languages."""

import pytest
from django.core import mail
from django.core.management import call_command

from registry.staffing import Role
from tests.elevators.conftest import make_retrofit
from tests.elevators.test_figures import events
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


def test_the_digest_goes_once_a_day_to_staff_with_a_queue(district):
    waiting = make_retrofit(name_zh="龙津西路3号加装电梯")
    events(waiting, accepted="2022-01-01", consent="2022-02-01", planning_permit="2022-03-01")
    east = make_staff(Role.STREET_STAFF, streets=[district["E"]])
    west = make_staff(Role.STREET_STAFF, streets=[district["W"]])  # nothing waits in the west
    for user, address in ((east, "east@example.org"), (west, "west@example.org")):
        user.email = address
        user.save()
    call_command("send_green_channel_reminders")
    call_command("send_green_channel_reminders")
    assert [message.to for message in mail.outbox] == [["east@example.org"]]
    body = mail.outbox[0].body
    assert "龙津西路3号加装电梯" in body and "自 2022-03-01 起处于“已取得规划许可”" in body
    assert "/staff/elevators/#green-channel" in body and "1 个加装电梯项目超过阶段目标时限" in body
    assert "1 retrofit is waiting past its stage's target" in body
