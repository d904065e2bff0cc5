"""``manage.py create_staff USERNAME EMAIL ROLE [--street CODE …] [--community CODE …] [--grid CODE …]``

Provisions a staff account with its role and the part of the district it works in, in one
transaction (with an audit entry). The password is either read from the environment variable
named by ``--password-env`` (for scripted provisioning) or generated, printed once, and never
stored anywhere else: hand it over and have the person change it at their first sign-in.

    manage.py create_staff chen chen@example.org street_staff --street 440103006
    STAFF_PASSWORD=… manage.py create_staff wu wu@example.org grid_worker --grid 44010300600101 \\
        --password-env STAFF_PASSWORD
"""

import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from registry import audit
from registry.geography import Community, Grid, Street
from registry.staffing import Role, StaffAssignment


def _areas(model, codes, option):
    """The areas with these codes, or CommandError naming the unknown ones."""
    codes = list(dict.fromkeys(codes))
    found = {area.code: area for area in model.objects.filter(code__in=codes).defer("boundary")}
    unknown = [code for code in codes if code not in found]
    if unknown:
        raise CommandError(f"Unknown {option} code(s): {', '.join(unknown)}")
    return [found[code] for code in codes]


def check_scope(role, streets, communities, grids) -> None:
    """Each role needs its kind of area, and only that kind."""
    if role == Role.DISTRICT_ADMIN and (streets or communities or grids):
        raise CommandError("A district administrator works on every street: give no --street, --community or --grid.")
    if role == Role.STREET_STAFF and (not streets or communities or grids):
        raise CommandError("Street staff need at least one --street (and no --community or --grid).")
    if role == Role.GRID_WORKER and (streets or not (communities or grids)):
        raise CommandError("A grid worker needs at least one --community or --grid (and no --street).")


class Command(BaseCommand):
    help = "Create a staff account with a role (district_admin, street_staff, grid_worker) and its streets, " \
           "communities or grids; prints a one-time password unless --password-env names one."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("email")
        parser.add_argument("role", choices=Role.values)
        parser.add_argument("--street", action="append", default=[], metavar="CODE", help="Street code (repeatable).")
        parser.add_argument("--community", action="append", default=[], metavar="CODE",
                            help="Community code (repeatable).")
        parser.add_argument("--grid", action="append", default=[], metavar="CODE", help="Grid code (repeatable).")
        parser.add_argument("--can-reveal-mobile", action="store_true",
                            help="May reveal adopters' full mobile numbers (each reveal is audited).")
        parser.add_argument("--password-env", metavar="VARIABLE",
                            help="Read the password from this environment variable instead of generating one.")

    def handle(self, *args, username, email, role, **options):
        users = get_user_model()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"Not an e-mail address: {email}") from None
        if users.objects.filter(username=username).exists():
            raise CommandError(f"A user named {username} already exists; change their role in the admin.")
        streets = _areas(Street, options["street"], "street")
        communities = _areas(Community, options["community"], "community")
        grids = _areas(Grid, options["grid"], "grid")
        check_scope(role, streets, communities, grids)
        password, generated = self._password(options["password_env"], username, email)
        with transaction.atomic():
            user = users.objects.create_user(username=username, email=email, password=password, is_staff=True)
            assignment = StaffAssignment.objects.create(user=user, role=role,
                                                        can_reveal_mobile=options["can_reveal_mobile"])
            assignment.streets.set(streets)
            assignment.communities.set(communities)
            assignment.grids.set(grids)
            audit.record(actor=None, action="staff.create", obj=assignment, changes={
                "role": [None, role], "streets": [None, [s.code for s in streets]],
                "communities": [None, [c.code for c in communities]], "grids": [None, [g.code for g in grids]],
                "can_reveal_mobile": [None, options["can_reveal_mobile"]]})
        areas = ", ".join(area.code for area in [*streets, *communities, *grids]) or "all streets"
        self.stdout.write(f"Created {username} ({Role(role).label}; {areas}).")
        if generated:
            self.stdout.write(f"One-time password (shown once, not stored): {password}")

    def _password(self, variable, username, email) -> tuple[str, bool]:
        if not variable:
            return secrets.token_urlsafe(12), True
        password = os.environ.get(variable, "")
        if not password:
            raise CommandError(f"The environment variable {variable} is empty or not set.")
        try:
            validate_password(password, get_user_model()(username=username, email=email))
        except ValidationError as error:
            raise CommandError("The password is too weak: " + " ".join(error.messages)) from None
        return password, False
