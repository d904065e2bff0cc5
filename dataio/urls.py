"""URL routes of the dataio app: the REST API, OGC API – Features, downloads of the map's selection."""

from django.urls import include, path

from dataio.web import downloads

urlpatterns = [
    path("api/", include("dataio.api.urls")),
    path("ogc/", include("dataio.ogc.urls")),
    path("export.<str:fmt>", downloads.download, name="export-download"),
]
