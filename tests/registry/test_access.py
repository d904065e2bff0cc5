"""Row scope by role: what each role sees and may work on, own street against another street."""

import pytest
from django.contrib.auth.models import AnonymousUser

from registry.access import Action, asset_scope, can, managed_scope
from registry.assets import Asset
from registry.staffing import Role
from tests.factories import GardenFactory, MuralFactory, UserFactory, make_district_admin, make_staff


@pytest.fixture
def assets(district):
    return {
        "west_public": GardenFactory(),  # street W, grid W1S
        "west_hidden": GardenFactory(is_public=False),
        "east_public": MuralFactory(),  # street E, grid E1N
        "east_hidden": MuralFactory(is_public=False),
    }


def seen(user):
    return set(Asset.objects.filter(asset_scope(user)).values_list("name_zh", flat=True))


def names(assets, *keys):
    return {assets[key].name_zh for key in keys}


def test_residents_and_plain_admin_site_staff_see_only_public_assets(assets):
    assert seen(AnonymousUser()) == names(assets, "west_public", "east_public")
    assert seen(UserFactory(is_staff=True)) == names(assets, "west_public", "east_public")


def test_district_admin_and_superuser_see_everything(assets):
    assert seen(make_district_admin()) == set(Asset.objects.values_list("name_zh", flat=True))
    assert seen(UserFactory(is_superuser=True)) == set(Asset.objects.values_list("name_zh", flat=True))


def test_street_staff_see_public_assets_and_their_own_streets_hidden_ones(district, assets):
    staff = make_staff(Role.STREET_STAFF, streets=[district["W"]])
    assert seen(staff) == names(assets, "west_public", "west_hidden", "east_public")
    assert set(Asset.objects.filter(managed_scope(staff))) == {assets["west_public"].asset_ptr,
                                                              assets["west_hidden"].asset_ptr}


def test_grid_worker_works_on_their_grid_only(district, assets):
    worker = make_staff(Role.GRID_WORKER, grids=[district["E1N"]])
    assert set(Asset.objects.filter(managed_scope(worker)).values_list("name_zh", flat=True)) == names(
        assets, "east_public", "east_hidden")


@pytest.mark.parametrize("action", [Action.CHANGE_ASSET, Action.DECIDE_ADOPTION, Action.LOG_UPKEEP,
                                    Action.TRIAGE_PROBLEM, Action.READ_HISTORY])
def test_street_staff_may_act_on_their_street_and_not_another(district, assets, action):
    staff = make_staff(Role.STREET_STAFF, streets=[district["W"]])
    assert can(staff, action, assets["west_hidden"])
    assert not can(staff, action, assets["east_public"])
    assert can(make_district_admin(), action, assets["east_public"])
    assert not can(AnonymousUser(), action, assets["west_public"])


def test_grid_workers_log_upkeep_but_do_not_decide_adoptions(district, assets):
    worker = make_staff(Role.GRID_WORKER, communities=[district["W1"]])
    assert can(worker, Action.LOG_UPKEEP, assets["west_public"])
    assert not can(worker, Action.DECIDE_ADOPTION, assets["west_public"])
    assert not can(worker, Action.LOG_UPKEEP, assets["east_public"])


def test_revealing_mobiles_needs_the_explicit_permission(district):
    assert not can(make_staff(Role.STREET_STAFF, streets=[district["W"]]), Action.REVEAL_MOBILE, None)
    assert can(make_staff(Role.STREET_STAFF, streets=[district["W"]], can_reveal_mobile=True),
               Action.REVEAL_MOBILE, None)


def test_a_limited_role_grants_its_actions_in_its_communities_only(district):
    """``register_limited_role``: a right held without being staff (the safety app's ambassador uses it)."""
    from registry import access

    holder, staff = UserFactory(username="limited"), make_staff(Role.GRID_WORKER, grids=[district["W1S"]])

    def lookup(user):
        return access.LimitedRight(frozenset({"test.report"}), frozenset({district["W1"].pk})) \
            if user.username == "limited" else None

    access.register_limited_role(lookup)
    try:
        here = GardenFactory()  # in W1
        there = MuralFactory()  # street E
        assert can(holder, "test.report", here) and not can(holder, "test.report", there)
        assert not can(holder, Action.LOG_UPKEEP, here)
        assert access.role_allows(holder, "test.report") and not access.is_staff_member(holder)
        assert not can(staff, "test.report", here)  # staff get nothing from a limited role
    finally:
        access._limited_role_lookups.remove(lookup)
