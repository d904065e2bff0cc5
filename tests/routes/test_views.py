"""The public route pages: list, page with numbered stops, leaflet with its QR code, drafts hidden."""

from django.urls import reverse

from routes.operations import set_published


def test_the_list_and_the_page_show_the_route_and_its_numbered_stops(client, route, stops):
    listing = client.get(reverse("route-list"))
    assert route.name_en in listing.content.decode() or route.name_zh in listing.content.decode()
    page = client.get(reverse("route-detail", args=[route.pk])).content.decode()
    for number, asset in enumerate(stops, start=1):
        assert f'data-stop="{number}"' in page and asset.display_name in page
    assert "approximate" in page
    assert reverse("route-gpx", args=[route.pk]) in page


def test_the_leaflet_has_the_qr_code_of_the_route_page(client, route):
    page = client.get(reverse("route-leaflet", args=[route.pk])).content.decode()
    assert reverse("route-qr-svg", args=[route.pk]) in page
    qr = client.get(reverse("route-qr-svg", args=[route.pk]))
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml"


def test_a_draft_is_a_404_to_visitors(client, admin, route):
    set_published(actor=admin, route=route, published=False)
    for name in ("route-detail", "route-gpx", "route-kml", "route-leaflet"):
        assert client.get(reverse(name, args=[route.pk])).status_code == 404
    client.force_login(admin)
    assert client.get(reverse("route-detail", args=[route.pk])).status_code == 200


def test_the_asset_page_says_which_stop_it_is(client, route, stops):
    page = client.get(reverse("asset-detail", args=[stops[1].pk]), headers={"accept-language": "en"}).content.decode()
    assert "Stop 2 of 4 on" in page
    chinese = client.get(reverse("asset-detail", args=[stops[1].pk])).content.decode()
    assert "第 2 站（共 4 站）" in chinese
    assert "Previous: Mural 1" in page and "Next: Mural 3" in page


def test_the_main_maps_routes_layer_and_check_in_spot_filter(client, admin, route, stops):
    from routes.operations import mark_check_in_spot

    layer = client.get(reverse("routes-geojson"), headers={"accept-language": "en"}).json()
    [feature] = layer["features"]
    assert feature["id"] == route.pk and feature["geometry"]["type"] == "LineString"
    assert feature["properties"]["summary"].startswith("4 stops")
    assert 'id="map-routes"' in client.get(reverse("map")).content.decode()
    mark_check_in_spot(actor=admin, asset=stops[2])
    listed = client.get(reverse("assets-in-view"), {"bbox": "113.23,23.12,113.25,23.13", "checkin": "1"}).json()
    assert [asset["id"] for asset in listed["results"]] == [stops[2].pk]
    assert client.get(reverse("assets-in-view"), {"bbox": "113.23,23.12,113.25,23.13", "checkin": "maybe"}).status_code == 400


def test_each_stop_shows_its_newest_public_photo_in_one_query(client, route, stops, settings, tmp_path,
                                                            django_assert_max_num_queries):
    import io

    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from registry.photos.pipeline import add_photo

    settings.MEDIA_ROOT = tmp_path
    uploader = get_user_model().objects.get(username="district")
    photos = []
    for asset in stops[:3]:
        buffer = io.BytesIO()
        Image.new("RGB", (320, 240), (40, 140, 60)).save(buffer, format="JPEG")
        photos.append(add_photo(asset=asset, upload=SimpleUploadedFile("p.jpg", buffer.getvalue(), "image/jpeg"),
                                uploaded_by=uploader, caption=f"照片{asset.pk}"))
    with django_assert_max_num_queries(8):  # route + stops, the line, the photos, the session/site
        page = client.get(reverse("route-detail", args=[route.pk])).content.decode()
    assert all(photo.small.url in page for photo in photos)
