"""The routes as an OGC API – Features collection of line features."""


def test_the_routes_collection_has_the_published_routes_as_lines(client, route):
    collections = client.get("/ogc/collections", {"f": "json"}).json()["collections"]
    routes = next(c for c in collections if c["id"] == "routes")
    assert routes["extent"]["spatial"]["bbox"][0][0] == 113.236
    items = client.get("/ogc/collections/routes/items").json()
    assert items["numberMatched"] == 1 and items["features"][0]["geometry"]["type"] == "LineString"
    assert items["features"][0]["properties"]["stops"] == 4
    assert client.get("/ogc/collections/routes/items", {"bbox": "100,10,101,11"}).json()["numberMatched"] == 0
    feature = client.get(f"/ogc/collections/routes/items/{route.pk}").json()
    assert feature["id"] == route.pk and feature["properties"]["approximate"] is True
    assert client.get("/ogc/collections/routes/items/999999").status_code == 404
