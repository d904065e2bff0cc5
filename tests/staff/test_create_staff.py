"""manage.py create_staff: a role and its areas, a one-time or environment password, bad input refused."""

import io
import re

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from registry.access import managed_scope, scope_of
from registry.assets import Asset
from registry.audit import AuditEntry
from registry.staffing import Role, StaffAssignment
from tests.factories import GardenFactory, MuralFactory


# django-axes checks every sign-in against its lockouts, so authenticate() needs the request.
SIGN_IN = RequestFactory().post("/accounts/login/")


def create(*args, **env):
    out = io.StringIO()
    call_command("create_staff", *args, stdout=out)
    return out.getvalue()


def test_street_staff_get_their_street_and_a_password_shown_once(district):
    output = create("chen", "chen@example.org", "street_staff", "--street", "W", "--can-reveal-mobile")
    password = re.search(r"One-time password \(shown once, not stored\): (\S+)", output).group(1)
    user = authenticate(SIGN_IN, username="chen", password=password)
    assert user is not None and user.is_staff and not user.is_superuser
    scope = scope_of(user)
    assert scope.role == Role.STREET_STAFF and scope.street_ids == {district["W"].pk} and scope.can_reveal_mobile
    west, east = GardenFactory(), MuralFactory()
    assert list(Asset.objects.filter(managed_scope(user))) == [west.asset_ptr]
    assert east.pk
    entry = AuditEntry.objects.get(action="staff.create")
    assert entry.changes["streets"] == [None, ["W"]] and entry.actor is None
    assert password not in str(entry.changes)


def test_a_grid_worker_with_a_password_from_the_environment(district, monkeypatch):
    monkeypatch.setenv("STAFF_PASSWORD", "Lychee-Bay-2021!")
    output = create("wu", "wu@example.org", "grid_worker", "--grid", "E1N", "--community", "W1",
                    "--password-env", "STAFF_PASSWORD")
    assert "One-time password" not in output and "Lychee" not in output
    assert authenticate(SIGN_IN, username="wu", password="Lychee-Bay-2021!") is not None
    assignment = StaffAssignment.objects.get(user__username="wu")
    assert {g.code for g in assignment.grids.all()} == {"E1N"}
    assert {c.code for c in assignment.communities.all()} == {"W1"}


def test_a_district_administrator_needs_no_area(district):
    create("li", "li@example.org", "district_admin")
    assert scope_of(get_user_model().objects.get(username="li")).everywhere


@pytest.mark.parametrize("args, message", [
    (("x", "x@example.org", "street_staff"), "at least one --street"),
    (("x", "x@example.org", "street_staff", "--street", "NOPE"), "Unknown street code(s): NOPE"),
    (("x", "x@example.org", "street_staff", "--street", "W", "--grid", "W1S"), "no --community or --grid"),
    (("x", "x@example.org", "grid_worker", "--street", "W"), "grid worker needs"),
    (("x", "x@example.org", "district_admin", "--street", "W"), "every street"),
    (("x", "not-an-email", "street_staff", "--street", "W"), "Not an e-mail address"),
    (("x", "x@example.org", "street_staff", "--street", "W", "--password-env", "UNSET_VARIABLE_FOR_TEST"),
     "UNSET_VARIABLE_FOR_TEST is empty or not set"),
])
def test_bad_input_is_refused_and_nothing_is_created(district, args, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        create(*args)
    assert not get_user_model().objects.filter(username="x").exists()
    assert not StaffAssignment.objects.exists()


def test_an_unknown_role_a_weak_password_and_an_existing_user_are_refused(district, monkeypatch):
    with pytest.raises(CommandError):
        create("x", "x@example.org", "mayor")
    monkeypatch.setenv("WEAK", "123")
    with pytest.raises(CommandError, match="too weak"):
        create("x", "x@example.org", "street_staff", "--street", "W", "--password-env", "WEAK")
    create("x", "x@example.org", "street_staff", "--street", "W")
    with pytest.raises(CommandError, match="already exists"):
        create("x", "x@example.org", "street_staff", "--street", "E")
    assert StaffAssignment.objects.get().streets.get().code == "W"
