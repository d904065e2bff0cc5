"""URL map. Language comes from the browser or /i18n/setlang/ (LocaleMiddleware), not the path."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from registry.photos.serving import photo_file

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # photo files, each checked: public ones cacheable, private ones to their staff (registry/photos/serving.py)
    path(f"{settings.MEDIA_URL.strip('/')}/photos/<path:name>", photo_file, name="photo-file"),
    path("tiles/", include("public.tiles.urls")),
    path("", include("adoption.urls")),    # /adopt/, /me/, /assets/<id>/adopt/, /staff/adoptions/
    path("", include("problems.urls")),    # /assets/<id>/report/, /staff/problems/
    path("", include("projects.urls")),    # /projects/, /staff/projects/
    path("", include("consultation.urls")),  # /consultation/, /staff/consultation/
    path("", include("safety.urls")),      # /staff/safety/, /safety/report/ (the ambassador's page)
    path("", include("routes.urls")),      # /routes/ (check-in routes, GPX, KML, leaflet)
    path("staff/", include("staff.urls")),  # the staff workbench, overdue work, statistics
    path("staff/assets/", include("staff.history")),  # /staff/assets/<id>/history/
    path("", include("dataio.urls")),      # /api/v1/, /api/schema/, /ogc/, /staff/import/, exports
    path("", include("public.icons")),     # /favicon.ico
    path("", include("public.map")),
    path("", include("public.pages")),
    path("", include("public.dashboard.views")),  # /dashboard/, /dashboard.json, /dashboard.csv
]
# 503 + Retry-After while the database is unreachable, else 500 (config/errors.py).
handler500 = "config.errors.server_error"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
