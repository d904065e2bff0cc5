"""``manage.py send_reminders``: adoptions ending within 30 days and care not logged in the pledged
interval, each reminded once however often the command runs; e-mail only to confirmed addresses."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from adoption.models import AdoptionStatus, Notice, NoticeKind, ReminderSent
from adoption.operations import period_of
from adoption.reminders import send_due_reminders
from ops.tasks import send_adoption_reminders
from tests.adoption.conftest import days, make_adopter
from tests.dataio.jobs import run_queued_jobs
from tests.factories import AdoptionFactory
from upkeep.models import UpkeepLog

pytestmark = pytest.mark.django_db


def adoption(adopter, asset, first=-300, last=20, interval=None, status=AdoptionStatus.APPROVED):
    return AdoptionFactory(adopter=adopter, asset=asset, status=status, period=period_of(days(first), days(last)),
                           care_interval_days=interval)


def confirm(adopter, email="chen@example.com"):
    adopter.email = adopter.profile.confirmed_email = email
    adopter.save()
    adopter.profile.save()


def run():
    call_command("send_reminders")


def test_an_adoption_ending_within_30_days_is_reminded_once(adopter, west_plot, mailoutbox,
                                                            django_capture_on_commit_callbacks):
    confirm(adopter)
    ending = adoption(adopter, west_plot, last=20)
    with django_capture_on_commit_callbacks(execute=True):
        run()
        run()  # cron twice the same day
    assert ReminderSent.objects.filter(adoption=ending, kind="ending_soon").count() == 1
    notice = Notice.objects.get(adopter=adopter)
    assert (notice.kind, notice.params["last_day"]) == (NoticeKind.ENDING_SOON, days(20).isoformat())
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["chen@example.com"]
    assert "ends soon" in mailoutbox[0].subject and "http://127.0.0.1:8000/me/" in mailoutbox[0].body


def test_the_reminder_shows_on_the_dashboard(client, adopter, west_plot):
    adoption(adopter, west_plot, last=20)
    run()
    client.force_login(adopter.user)
    page = client.get("/me/").content.decode()
    assert f"Your adoption of {west_plot.name_zh} ends on" in page and "You can ask to renew it" in page


def test_later_endings_and_unconfirmed_addresses(adopter, west_plot, east_plot, mailoutbox,
                                                 django_capture_on_commit_callbacks):
    adopter.email = "unconfirmed@example.com"
    adopter.save()
    adoption(adopter, west_plot, last=45)   # not yet
    adoption(adopter, east_plot, last=30)   # the 30th day counts
    with django_capture_on_commit_callbacks(execute=True):
        counts = send_due_reminders()
    assert counts.ending_soon == 1 and mailoutbox == []  # a notice, but no mail to an unproved address
    assert Notice.objects.get().adoption.asset_id == east_plot.pk


def test_no_ending_reminder_once_a_renewal_is_asked(adopter, west_plot):
    adoption(adopter, west_plot, last=20)
    adoption(adopter, west_plot, first=21, last=380, status=AdoptionStatus.REQUESTED)
    assert send_due_reminders().ending_soon == 0


def test_care_overdue_counts_from_the_last_care_and_repeats_per_missed_interval(adopter, west_plot):
    granted = adoption(adopter, west_plot, first=-60, last=300, interval=7)
    UpkeepLog.objects.create(asset=west_plot, adopter=adopter, action="watering",
                             performed_at=timezone.now() - datetime.timedelta(days=10))
    today = timezone.localdate()
    assert send_due_reminders(today).care_overdue == 1
    assert send_due_reminders(today).care_overdue == 0        # idempotent
    assert send_due_reminders(today + datetime.timedelta(days=1)).care_overdue == 0  # same missed interval
    assert send_due_reminders(today + datetime.timedelta(days=4)).care_overdue == 1  # 14 days: a second one
    notice = Notice.objects.filter(kind=NoticeKind.CARE_OVERDUE).last()
    assert notice.params == {"days": 10, "interval": 7}
    UpkeepLog.objects.create(asset=west_plot, adopter=adopter, action="weeding", performed_at=timezone.now())
    assert send_due_reminders(today + datetime.timedelta(days=4)).care_overdue == 0
    assert ReminderSent.objects.filter(adoption=granted, kind="care_overdue").count() == 2


def test_care_overdue_counts_from_the_start_when_nothing_was_logged(adopter, west_plot, east_plot):
    adoption(adopter, west_plot, first=-3, last=300, interval=7)   # within the first interval
    adoption(adopter, east_plot, first=-8, last=300, interval=7)   # past it
    assert send_due_reminders().care_overdue == 1
    assert Notice.objects.get().adoption.asset_id == east_plot.pk


def test_staff_upkeep_does_not_count_as_the_adopters_care(adopter, west_plot, west_staff):
    adoption(adopter, west_plot, first=-30, last=300, interval=7)
    UpkeepLog.objects.create(asset=west_plot, staff=west_staff, action="watering", performed_at=timezone.now())
    assert send_due_reminders().care_overdue == 1


def test_ended_withdrawn_and_pending_adoptions_are_not_reminded(adopter, west_plot, east_plot):
    other = make_adopter(mobile="13900007777", kind="volunteer", name="别人")
    adoption(adopter, west_plot, first=-300, last=-1, interval=7)                      # expired
    adoption(other, west_plot, first=1, last=20, interval=7, status=AdoptionStatus.REQUESTED)
    adoption(adopter, east_plot, first=-100, last=10, interval=7, status=AdoptionStatus.ENDED)
    counts = send_due_reminders()
    assert (counts.ending_soon, counts.care_overdue) == (0, 0)


def test_the_command_prints_what_it_sent(adopter, west_plot, capsys):
    adoption(adopter, west_plot, last=20, interval=7)
    call_command("send_reminders")
    assert "ending soon: 1, care overdue: 1" in capsys.readouterr().out
    call_command("send_reminders", "--today", timezone.localdate().isoformat())
    assert "ending soon: 0, care overdue: 0" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)  # the worker reads the queued task over its own connection
def test_the_daily_reminder_task_runs_in_the_job_queue_worker(adopter, west_plot, mailoutbox):
    confirm(adopter)
    ending = adoption(adopter, west_plot, last=20)
    send_adoption_reminders.defer(timestamp=0)
    run_queued_jobs("maintenance")
    assert ReminderSent.objects.filter(adoption=ending).count() == 1
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["chen@example.com"]
