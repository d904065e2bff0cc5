from django.core.management.base import BaseCommand

from elevators.reminders import send_green_channel_digests


class Command(BaseCommand):
    help = ("Daily: e-mail each street-office staff member and district administrator the retrofits of their "
            "streets waiting past their stage's target (once a day, however often it runs).")

    def handle(self, *args, **options):
        self.stdout.write(f"Green-channel digests sent: {send_green_channel_digests()}")
