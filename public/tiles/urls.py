"""Vector tiles: /tiles/{z}/{x}/{y}.pbf and /tiles/version.json (see public.tiles.views)."""

from django.urls import path

from public.tiles import views

app_name = "tiles"

urlpatterns = [
    path("version.json", views.version, name="version"),
    # <int:...> matches digits only: a negative or non-numeric coordinate is a 404 here.
    path("<int:z>/<int:x>/<int:y>.pbf", views.tile, name="tile"),
]
