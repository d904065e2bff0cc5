from django.core.management.base import BaseCommand

from consultation.reminders import send_overdue_digests


class Command(BaseCommand):
    help = ("Daily: e-mail each staff member the resolutions of their area past their due date and not executed "
            "(once a day, however often it runs).")

    def handle(self, *args, **options):
        self.stdout.write(f"Overdue-resolution digests sent: {send_overdue_digests()}")
