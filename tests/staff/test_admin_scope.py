"""The Django admin applies registry.access: lists, change pages, autocomplete, foreign-key choices,
geometry moved out of scope, read-only rows, hidden mobiles."""

import json

import pytest
from django.db.models import Q
from django.urls import reverse

from gardens.models import NeighbourhoodGarden
from registry.audit import AuditEntry
from registry.staffing import Role
from tests.factories import (
    AdopterFactory,
    AdoptionFactory,
    GardenFactory,
    MuralFactory,
    UserFactory,
    make_district_admin,
    make_staff,
    square,
)
from upkeep.models import UpkeepSchedule


def admin_user(role, **areas):
    user = make_staff(role, **areas)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


@pytest.fixture
def assets(district):
    return {"west": GardenFactory(name_zh="西园"), "east": MuralFactory(name_zh="东墙")}


@pytest.fixture
def west_staff(district):
    return admin_user(Role.STREET_STAFF, streets=[district["W"]])


def names_listed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return {str(obj) for obj in response.context["cl"].result_list}


def test_street_staff_list_only_their_streets_assets(client, assets, west_staff):
    client.force_login(west_staff)
    assert names_listed(client, reverse("admin:registry_asset_changelist")) == {"西园"}
    assert names_listed(client, reverse("admin:gardens_neighbourhoodgarden_changelist")) == {"西园"}
    assert names_listed(client, reverse("admin:heritage_mural_changelist")) == set()


def test_another_streets_asset_by_id_is_not_found(client, assets, west_staff):
    client.force_login(west_staff)
    response = client.get(reverse("admin:heritage_mural_change", args=[assets["east"].pk]))
    assert response.status_code == 302 and response.url == reverse("admin:index")
    response = client.get(reverse("admin:registry_asset_change", args=[assets["east"].pk]))
    assert response.status_code == 302 and response.url == reverse("admin:index")
    # Their own opens (the overview redirects to the kind's page).
    own = client.get(reverse("admin:registry_asset_change", args=[assets["west"].pk]))
    assert own.url == reverse("admin:gardens_neighbourhoodgarden_change", args=[assets["west"].pk])
    assert client.get(own.url).status_code == 200


def garden_post(client, garden, **changes):
    """The change form's data as the browser would send it, with ``changes`` applied."""
    page = client.get(reverse("admin:gardens_neighbourhoodgarden_change", args=[garden.pk]))
    data = {}
    form = page.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        data[name] = "" if value is None else value
    data["geometry"] = garden.geometry.geojson
    data["facilities"] = ""
    for inline in page.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management[name].value()
    data.update(changes)
    return client.post(reverse("admin:gardens_neighbourhoodgarden_change", args=[garden.pk]), data)


def test_staff_change_their_asset_but_cannot_move_it_into_another_street(client, assets, west_staff):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # messages compared in English
    client.force_login(west_staff)
    garden = assets["west"]
    response = garden_post(client, garden, name_zh="西园（新）")
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert NeighbourhoodGarden.objects.get(pk=garden.pk).name_zh == "西园（新）"

    moved = garden_post(client, garden, geometry=square(113.245, 23.127).geojson)
    assert moved.status_code == 200
    assert "This place is outside the streets you look after." in str(moved.context["adminform"].form.errors)
    garden.refresh_from_db()
    assert garden.street == assets["west"].street and garden.name_zh == "西园（新）"


def test_a_grid_worker_reads_but_cannot_change_or_delete(client, district, assets):
    worker = admin_user(Role.GRID_WORKER, grids=[district["W1S"]])
    client.force_login(worker)
    assert names_listed(client, reverse("admin:registry_asset_changelist")) == {"西园"}
    page = client.get(reverse("admin:gardens_neighbourhoodgarden_change", args=[assets["west"].pk]))
    assert page.status_code == 200 and not page.context["has_change_permission"]
    assert client.post(reverse("admin:gardens_neighbourhoodgarden_change", args=[assets["west"].pk]),
                       {"name_zh": "x"}).status_code == 403
    assert client.post(reverse("admin:gardens_neighbourhoodgarden_delete", args=[assets["west"].pk]),
                       {"post": "yes"}).status_code == 403
    assert NeighbourhoodGarden.objects.get(pk=assets["west"].pk).name_zh == "西园"


def test_street_staff_cannot_delete_assets_a_district_administrator_can(client, assets, west_staff):
    client.force_login(west_staff)
    url = reverse("admin:gardens_neighbourhoodgarden_delete", args=[assets["west"].pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    district_admin = make_district_admin()
    district_admin.is_staff = True
    district_admin.save()
    client.force_login(district_admin)
    assert client.get(url).status_code == 200


def test_autocomplete_and_foreign_key_choices_stay_in_scope(client, assets, west_staff):
    client.force_login(west_staff)
    response = client.get(reverse("admin:autocomplete"), {
        "app_label": "upkeep", "model_name": "upkeepschedule", "field_name": "asset", "term": ""})
    assert {item["text"] for item in json.loads(response.content)["results"]} == {"西园"}

    url = reverse("admin:upkeep_upkeepschedule_add")
    tampered = client.post(url, {"asset": assets["east"].pk, "action": "inspection", "interval_days": 10,
                                 "active": "on"})
    assert tampered.status_code == 200 and "asset" in tampered.context["adminform"].form.errors
    assert not UpkeepSchedule.objects.exists()

    own = client.post(url, {"asset": assets["west"].pk, "action": "watering", "interval_days": 5,
                            "summer_interval_days": 2, "active": "on"})
    assert own.status_code == 302
    schedule = UpkeepSchedule.objects.get()
    assert schedule.summer_interval_days == 2
    assert AuditEntry.objects.get(action="upkeep.schedule").actor == west_staff

    # On its change page the asset and the action are fixed; a tampered action is ignored.
    change = reverse("admin:upkeep_upkeepschedule_change", args=[schedule.pk])
    assert client.post(change, {"action": "pruning", "interval_days": 4, "active": "on"}).status_code == 302
    schedule.refresh_from_db()
    assert (schedule.action, schedule.interval_days, schedule.summer_interval_days) == ("watering", 4, None)
    assert UpkeepSchedule.objects.count() == 1
    assert client.post(reverse("admin:upkeep_upkeepschedule_delete", args=[schedule.pk]),
                       {"post": "yes"}).status_code == 302
    assert not UpkeepSchedule.objects.exists()
    assert AuditEntry.objects.get(action="upkeep.schedule.remove").actor == west_staff


def test_staff_see_only_adopters_and_adoptions_of_their_street_without_mobiles(client, assets, west_staff):
    west_adopter, east_adopter = AdopterFactory(display_name="西邻"), AdopterFactory(display_name="东邻")
    AdoptionFactory(adopter=west_adopter, asset=assets["west"])
    AdoptionFactory(adopter=east_adopter, asset=assets["east"])
    client.force_login(west_staff)
    assert names_listed(client, reverse("admin:adopters_adopter_changelist")) == {"西邻"}
    assert len(client.get(reverse("admin:adopters_adoption_changelist")).context["cl"].result_list) == 1
    page = client.get(reverse("admin:adopters_adopter_change", args=[west_adopter.pk]))
    assert page.status_code == 200 and "13812345678" not in page.content.decode()
    assert client.get(reverse("admin:adopters_adopter_change", args=[east_adopter.pk])).status_code == 302
    adoption = west_adopter.adoptions.get()
    assert client.post(reverse("admin:adopters_adoption_change", args=[adoption.pk]), {}).status_code == 403


def test_staff_assignments_are_for_superusers_only(client, west_staff):
    client.force_login(west_staff)
    assert client.get(reverse("admin:registry_staffassignment_changelist")).status_code == 403
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    assert client.get(reverse("admin:registry_staffassignment_changelist")).status_code == 200


def test_is_staff_without_a_role_grants_nothing(client, assets):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("admin:registry_asset_changelist")).status_code == 403
    assert client.get(reverse("admin:gardens_neighbourhoodgarden_change", args=[assets["west"].pk])).status_code in (
        302, 403)


def test_a_superuser_still_sees_everything(client, assets):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert names_listed(client, reverse("admin:registry_asset_changelist")) == {"西园", "东墙"}


def test_a_district_administrators_scope_survives_being_ored_with_another_condition(district, assets):
    """``managed_scope`` is never an empty Q(): Django would drop it from ``x | Q()``."""
    from registry.access import managed_scope
    from registry.assets import Asset

    admin = make_district_admin()
    nothing = Asset.objects.filter(name_zh="no such asset")
    assert Asset.objects.filter(Q(name_zh="no such asset") | managed_scope(admin)).count() == 2
    assert not nothing.filter(~managed_scope(admin)).exists() and Asset.objects.filter(
        ~managed_scope(admin)).count() == 0


def test_a_district_administrator_sees_every_adopter_in_the_admin(client, assets):
    AdopterFactory(display_name="尚未认领")
    admin = make_district_admin()
    admin.is_staff = True
    admin.save()
    client.force_login(admin)
    assert names_listed(client, reverse("admin:adopters_adopter_changelist")) == {"尚未认领"}
