"""URL routes of the routes app (mounted at the site root): the public route pages and downloads."""

from django.urls import path

from routes import views

urlpatterns = [
    path("routes/", views.route_list, name="route-list"),
    path("routes.geojson", views.routes_geojson, name="routes-geojson"),
    path("routes/<int:pk>/", views.route_detail, name="route-detail"),
    path("routes/<int:pk>/leaflet/", views.route_leaflet, name="route-leaflet"),
    path("routes/<int:pk>/qr.svg", views.route_qr, name="route-qr-svg"),
    path("routes/<int:pk>/route.gpx", views.route_gpx, name="route-gpx"),
    path("routes/<int:pk>/route.kml", views.route_kml, name="route-kml"),
]
