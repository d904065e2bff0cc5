"""/api/v1/routes/: published routes with their line, length and ordered stops; drafts hidden."""

from routes.operations import set_published


def test_the_api_lists_a_route_with_its_line_length_and_stops(client, route, stops):
    listing = client.get("/api/v1/routes/").json()
    [row] = listing["results"]
    assert row["id"] == route.pk and row["approximate"] is True and 820 < row["length_m"] < 870
    assert [stop["asset"] for stop in row["stops"]] == [asset.pk for asset in stops]
    assert row["line"]["type"] == "LineString" and len(row["line"]["coordinates"]) == 4
    detail = client.get(f"/api/v1/routes/{route.pk}/").json()
    assert detail["stops"][0]["position"] == 1 and detail["walking_minutes"] == row["walking_minutes"]


def test_bad_filters_are_400_and_drafts_are_hidden(client, admin, route):
    assert client.get("/api/v1/routes/", {"theme": "nope"}).status_code == 400
    assert client.get("/api/v1/routes/", {"colour": "red"}).status_code == 400
    set_published(actor=admin, route=route, published=False)
    assert client.get("/api/v1/routes/").json()["results"] == []
    assert client.get(f"/api/v1/routes/{route.pk}/").status_code == 404
