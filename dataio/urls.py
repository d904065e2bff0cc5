"""URL routes of the dataio app: downloads of the map's selection (more to come: API, OGC, import page)."""

from django.urls import path

from dataio.web import downloads

urlpatterns = [
    path("export.<str:fmt>", downloads.download, name="export-download"),
]
