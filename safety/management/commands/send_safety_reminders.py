from django.core.management.base import BaseCommand

from safety.reminders import escalate_overdue, remind_overdue


class Command(BaseCommand):
    help = ("Hourly: remind each street's office of safety interventions past their deadline, and escalate "
            "overdue high-severity ones to the district administrators (each once, however often it runs).")

    def handle(self, *args, **options):
        escalated = escalate_overdue()
        reminders = remind_overdue()
        self.stdout.write(f"Safety reminders sent: {reminders}; interventions escalated: {len(escalated)}")
