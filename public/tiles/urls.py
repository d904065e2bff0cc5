"""Vector tiles: /tiles/{z}/{x}/{y}.pbf, /tiles/projects/{z}/{x}/{y}.pbf and /tiles/version.json
(see public.tiles.views and public.tiles.projects)."""

from django.urls import path

from public.tiles import projects, views

app_name = "tiles"

urlpatterns = [
    path("version.json", views.version, name="version"),
    # <int:...> matches digits only: a negative or non-numeric coordinate is a 404 here.
    path("<int:z>/<int:x>/<int:y>.pbf", views.tile, name="tile"),
    # The "renovation projects" layer (public.tiles.projects), with its phase filter.
    path("projects/<int:z>/<int:x>/<int:y>.pbf", projects.project_tile, name="project-tile"),
]
