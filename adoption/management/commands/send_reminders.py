"""``python manage.py send_reminders``: e-mail and notify adopters whose adoption ends soon or whose care is overdue.

Safe to run from cron every day: a reminder already sent is never sent again.
"""

import datetime

from django.core.management.base import BaseCommand

from adoption.reminders import send_due_reminders


class Command(BaseCommand):
    help = "Remind adopters of adoptions ending within 30 days and of care not logged in the pledged interval."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None,
                            help="Act as if today were this date (YYYY-MM-DD), e.g. to catch up after downtime.")

    def handle(self, *args, today=None, **options):
        counts = send_due_reminders(today)
        self.stdout.write(f"ending soon: {counts.ending_soon}, care overdue: {counts.care_overdue}")
