"""send_consultation_reminders: overdue resolutions reach the staff of their area once a day, in both languages."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from consultation.operations import ResolutionInput
from tests.consultation.conftest import make_meeting

pytestmark = pytest.mark.django_db


def test_the_digest_goes_once_a_day_to_staff_of_the_area(west_staff, east_staff, grid_worker, district):
    make_meeting(west_staff, district["W1"], resolutions=[
        ResolutionInput(text="修复围墙", votes_for=30, due_date=datetime.date(2026, 6, 1)),
        ResolutionInput(text="已经不急", votes_for=30, due_date=datetime.date(2099, 1, 1))])
    for user in (west_staff, east_staff, grid_worker):
        user.email = f"{user.username}@example.org"
        user.save()
    call_command("send_consultation_reminders")
    call_command("send_consultation_reminders")
    assert sorted(message.to[0] for message in mail.outbox) == ["grid@example.org", "west@example.org"]
    body = mail.outbox[0].body
    assert "修复围墙" in body and "已经不急" not in body and "/staff/consultation/#overdue" in body
    assert "1 resolution is past its due date" in body and "1 项决议已过完成期限" in body
