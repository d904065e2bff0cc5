"""The routes' admin writes through routes.operations: a route with its stops is saved and audited;
a stop twice in a row is a message on the form and writes nothing."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from registry.audit import AuditEntry
from routes.models import Route


def test_the_admin_saves_a_route_through_the_operation_and_refuses_bad_stops(client, district, stops):
    superuser = get_user_model().objects.create_superuser("root", password="x")
    client.force_login(superuser)
    url = reverse("admin:routes_route_add")
    data = {"name_zh": "后台路线", "name_en": "", "theme": "murals", "description": "", "line": "", "pace": "67",
            "is_published": "on", "stops_text": f"{stops[0].pk}\n{stops[0].pk} again\n"}
    refused = client.post(url, data, headers={"accept-language": "en"})
    assert refused.status_code == 200 and "Stop 2 is the same place as the stop before it." in refused.content.decode()
    assert not Route.objects.exists()
    data["stops_text"] = f"{stops[0].pk} 起点\n{stops[1].pk}\n"
    assert client.post(url, data).status_code == 302
    route = Route.objects.get()
    assert [(s.asset_id, s.note) for s in route.stops.order_by("position")] == [(stops[0].pk, "起点"), (stops[1].pk, "")]
    assert AuditEntry.objects.filter(action="route.create", object_id=route.pk).exists()
