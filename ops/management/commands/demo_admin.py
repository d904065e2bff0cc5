"""Create the local demo's administrator account, so `make run` opens onto a usable admin.

Refuses to run with DEBUG off: a production registry gets its administrators from
`createsuperuser`, never from a known password.
"""

import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

DEFAULT_USERNAME = "admin"
DEFAULT_PASSWORD = "liwan-demo"


class Command(BaseCommand):
    help = "Create the demo administrator (admin / liwan-demo, or DEMO_ADMIN_PASSWORD) if it is missing."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo_admin only runs with DEBUG on; use createsuperuser in production.")
        users = get_user_model()
        if users.objects.filter(username=DEFAULT_USERNAME).exists():
            return
        password = os.environ.get("DEMO_ADMIN_PASSWORD", DEFAULT_PASSWORD)
        users.objects.create_superuser(DEFAULT_USERNAME, email="", password=password)
        self.stdout.write(f"Demo administrator created: {DEFAULT_USERNAME} / {password}")
