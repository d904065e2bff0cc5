"""URL routes of the routes app (mounted at the site root): the public route pages and downloads, and
the staff editor under ``staff/routes/``."""

from django.urls import path

from routes import staff, views

urlpatterns = [
    path("routes/", views.route_list, name="route-list"),
    path("routes.geojson", views.routes_geojson, name="routes-geojson"),
    path("routes/<int:pk>/", views.route_detail, name="route-detail"),
    path("routes/<int:pk>/leaflet/", views.route_leaflet, name="route-leaflet"),
    path("routes/<int:pk>/qr.svg", views.route_qr, name="route-qr-svg"),
    path("routes/<int:pk>/route.gpx", views.route_gpx, name="route-gpx"),
    path("routes/<int:pk>/route.kml", views.route_kml, name="route-kml"),
    path("staff/routes/", staff.staff_route_list, name="staff-routes"),
    path("staff/routes/new/", staff.staff_route_create, name="staff-route-create"),
    path("staff/routes/stops.json", staff.staff_stop_candidates, name="staff-route-stop-candidates"),
    path("staff/routes/<int:pk>/", staff.staff_route_edit, name="staff-route-edit"),
    path("staff/routes/check-in-spot/<int:pk>/", staff.staff_check_in_spot, name="staff-check-in-spot"),
]
