"""Tampered ids and hostile query values: another street's rows, ids that do not exist, negative,
huge (past PostgreSQL's bigint) and non-numeric ids, and bounding boxes, limits and tile
coordinates no client would send. Each is a 4xx (or a form error), never a 5xx; nothing changes.
"""

import json

import pytest

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"  # past 2**63: an integer the database cannot even compare with


def gets(world) -> list[str]:
    east, private, plot = world["east_mural"].pk, world["west_private"].pk, world["plot"].pk
    return [
        f"/assets/{HUGE}/", "/assets/0/", f"/assets/{HUGE}/popup.json",
        f"/assets/{HUGE}/qr.svg", f"/assets/{HUGE}/plaque/", f"/assets/{HUGE}/report/", f"/assets/{HUGE}/adopt/",
        f"/staff/assets/{east}/log/", f"/staff/assets/{HUGE}/", f"/staff/assets/{HUGE}/log/",
        f"/staff/assets/{HUGE}/history/", f"/staff/upkeep/{HUGE}/correct/", f"/staff/problems/{HUGE}/",
        f"/me/adoptions/{HUGE}/certificate/", f"/api/v1/assets/{HUGE}/", "/api/v1/assets/abc/",
        "/api/v1/assets/-1/", f"/api/v1/adoptions/{HUGE}/", f"/api/v1/upkeep/{HUGE}/", f"/api/v1/problems/{HUGE}/",
        f"/api/v1/assets/{HUGE}/photos/", f"/api/v1/upkeep/?asset={HUGE}", "/api/v1/upkeep/?asset=abc",
        "/api/v1/upkeep/?asset=-1", f"/api/v1/adoptions/?asset={HUGE}", f"/api/v1/problems/?asset={HUGE}",
        f"/ogc/collections/garden/items/{HUGE}",
        "/ogc/collections/garden/items/abc", "/ogc/collections/garden/items/-1", "/ogc/collections/nothing/items",
        f"/ogc/collections/mural/items/{plot}", f"/staff/statistics/?street={HUGE}", f"/staff/overdue/?street={HUGE}",
        # Query values: bounding boxes, limits, offsets.
        "/api/v1/assets/?bbox=nan,nan,nan,nan", "/api/v1/assets/?bbox=1e308,1e308,1e308,1e308",
        "/api/v1/assets/?bbox=-1e308,-1e308,1e308,1e308", "/api/v1/assets/?bbox=inf,-inf,inf,inf",
        "/api/v1/assets/?bbox=113,23,113,23", "/api/v1/assets/?bbox=1,2,3,4,5,6,7",
        f"/api/v1/assets/?limit={HUGE}", "/api/v1/assets/?limit=-1", f"/api/v1/assets/?offset={HUGE}",
        "/ogc/collections/garden/items?bbox=nan,nan,nan,nan", "/ogc/collections/garden/items?bbox=1e308,0,1e309,1",
        "/ogc/collections/garden/items?bbox=a,b,c,d", "/ogc/collections/garden/items?bbox=1,2,3",
        "/ogc/collections/garden/items?limit=-1",
        "/ogc/collections/garden/items?limit=abc", f"/ogc/collections/garden/items?offset={HUGE}",
        "/ogc/collections/garden/items?bbox-crs=EPSG:2154",
        # Tiles: zoom and coordinates outside the pyramid, filters that name nothing.
        "/tiles/30/0/0.pbf", "/tiles/21/0/0.pbf", "/tiles/14/99999999/0.pbf", f"/tiles/14/{HUGE}/{HUGE}.pbf",
        "/tiles/0/1/0.pbf", "/tiles/14/13358/7119.pbf?kind=parks", "/tiles/14/13358/7119.pbf?looking=maybe",
        "/tiles/14/13358/7119.pbf?street=" + ",".join(str(n) for n in range(200)),
        "/export.geojson?kind=parks", "/export.exe",
    ]


#: Values a server may answer with 200: a limit past the maximum is clamped (OGC API Features), a
#: filter by a number that names no street matches nothing, an unused standard parameter is ignored.
TOLERATED = [f"/api/v1/areas/communities/?street={HUGE}", f"/ogc/collections/garden/items?limit={HUGE}",
             "/ogc/collections/garden/items?datetime=yesterday", f"/search.json?q=x&limit={HUGE}"]


@pytest.mark.parametrize("who", ["west_staff", None])
def test_tampered_ids_and_hostile_queries_are_4xx(client, guard, world, who):
    if who:
        client.force_login(world[who])
    failures = []
    for url in gets(world):
        status = client.get(url, HTTP_ACCEPT_LANGUAGE="en").status_code
        if not (status == 200 and "?" in url and "bbox=113,23" in url) and not (300 <= status < 500 and status != 304):
            failures.append((url, status))
    failures += [(url, status) for url in TOLERATED
                 if (status := client.get(url, HTTP_ACCEPT_LANGUAGE="en").status_code) >= 500]
    if not who:  # another street's private asset, for a visitor: not found
        failures += [(url, status) for url in [f"/assets/{world['west_private'].pk}/"]
                     if (status := client.get(url).status_code) != 404]
    assert failures == [], "\n".join(map(str, failures))
    guard.unchanged()


def test_another_streets_and_unseen_ids_in_write_bodies_are_refused(client, guard, world):
    client.force_login(world["west_staff"])
    plot = world["plot"].pk
    posts = [
        ("/api/v1/upkeep/", {"asset": world["east_mural"].pk, "action": "cleaning"}),
        ("/api/v1/upkeep/", {"asset": HUGE, "action": "cleaning"}),
        ("/api/v1/upkeep/", {"asset": -1, "action": "cleaning"}),
        ("/api/v1/upkeep/", {"asset": "abc", "action": "cleaning"}),
        ("/api/v1/upkeep/", {"asset": int(HUGE), "action": "cleaning"}),
        ("/api/v1/upkeep/", {"asset": [plot], "action": "cleaning"}),
        ("/api/v1/upkeep/", {"asset": {"id": plot}, "action": "cleaning"}),
        ("/api/v1/upkeep/", {"asset": plot, "action": "watering", "participants": int(HUGE)}),
        ("/api/v1/upkeep/", {"asset": plot, "action": "watering", "duration_minutes": -5}),
        ("/api/v1/upkeep/", {"asset": plot, "action": "watering", "performed_at": "9999-12-31T23:59:59Z"}),
        ("/api/v1/problems/", {"asset": HUGE, "category": "litter", "description": "x"}),
        ("/api/v1/adoptions/", {"asset": HUGE, "first_day": "2030-01-01", "last_day": "2030-02-01"}),
        (f"/api/v1/adoptions/{HUGE}/approve/", {}),
        (f"/api/v1/problems/{HUGE}/start/", {}),
        (f"/api/v1/assets/{world['east_mural'].pk}/photos/", {}),
        ("/api/v1/upkeep/", ["not", "an", "object"]),
        ("/api/v1/upkeep/", "just a string"),
    ]
    failures = []
    for url, body in posts:
        response = client.post(url, json.dumps(body), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
        if not 400 <= response.status_code < 500:
            failures.append((url, body, response.status_code))
    assert failures == [], "\n".join(map(str, failures))
    response = client.post("/api/v1/upkeep/", "{not json", content_type="application/json")
    assert response.status_code == 400
    guard.unchanged()


def test_a_staff_log_resolving_another_assets_or_a_huge_report_id_is_a_form_error(client, guard, world):
    from tests.hostile.endpoints import STAFF_LOG

    for resolves in (HUGE, "-1", "abc"):
        response = STAFF_LOG.send(client, world, resolves=resolves, reply="修好了")
        guard.refused(response)
        assert "resolves" in response.context["form"].errors


def test_an_adopter_cannot_act_on_another_adopters_adoption_or_a_huge_one(client, guard, world):
    from tests.factories import AdoptionFactory

    other = AdoptionFactory(asset=world["east_mural"])
    guard.before = guard.state()
    client.force_login(world["adopter"].user)
    for action in ("withdraw", "end", "renew"):
        for pk in (other.pk, HUGE):
            response = client.post(f"/me/adoptions/{pk}/{action}/", {"reason": "x"})
            assert response.status_code == 404, (action, pk, response.status_code)
    guard.unchanged()
