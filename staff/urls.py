"""URL routes of the staff app, mounted at ``staff/``. Other apps mount ``staff/adoptions/``,
``staff/problems/``, ``staff/assets/<id>/history/`` and ``staff/import/`` themselves."""

from django.urls import path

from staff import elevators, manifest, offline, reports, views

urlpatterns = [
    path("", views.home, name="staff-home"),
    path("assets/<int:pk>/", views.asset_page, name="staff-asset"),
    path("assets/<int:pk>/log/", views.log_upkeep_page, name="staff-log-upkeep"),
    path("upkeep/<int:pk>/correct/", views.correct_upkeep_page, name="staff-correct-upkeep"),
    path("overdue/", reports.overdue, name="staff-overdue"),
    path("statistics/", reports.statistics, name="staff-statistics"),
    path("statistics.csv", reports.statistics_csv, name="staff-statistics-csv"),
    path("elevators/", elevators.programme, name="staff-elevators"),
    path("elevators.csv", elevators.programme_csv, name="staff-elevators-csv"),
    path("retrofits/<int:pk>/stage/", elevators.record_stage, name="elevators-record-stage"),
    path("manifest.webmanifest", manifest.manifest, name="staff-manifest"),
    path("sw.js", offline.service_worker, name="staff-service-worker"),
    path("offline/", offline.offline_page, name="staff-offline"),
    path("offline/assets.json", offline.assets_json, name="staff-offline-assets"),
    path("offline/csrf.json", offline.csrf_token, name="staff-offline-csrf"),
    path("offline/upkeep/", offline.send_upkeep, name="staff-offline-upkeep"),
]
