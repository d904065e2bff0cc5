"""URL routes of the dataio app: the REST API, OGC API – Features, downloads of the map's selection, and the
staff import page."""

from django.urls import include, path

from dataio.web import downloads, importing, jobs

urlpatterns = [
    path("api/", include("dataio.api.urls")),
    path("ogc/", include("dataio.ogc.urls")),
    path("export.<str:fmt>", downloads.download, name="export-download"),
    path("export.<str:fmt>/job/", downloads.queue_export, name="export-job"),
    path("projects/export.<str:fmt>", downloads.download_projects, name="export-projects"),
    path("staff/import/", importing.import_page, name="staff-import"),
    path("staff/import/projects/", importing.project_import_page, name="staff-import-projects"),
    path("staff/import/resolutions/", importing.resolution_import_page, name="staff-import-resolutions"),
    path("staff/jobs/<int:pk>/", jobs.job_page, name="staff-job"),
    path("staff/jobs/<int:pk>/status.json", jobs.job_status, name="staff-job-status"),
    path("staff/jobs/<int:pk>/cancel/", jobs.job_cancel, name="staff-job-cancel"),
    path("staff/jobs/<int:pk>/import/", jobs.job_confirm, name="staff-job-confirm"),
    path("staff/jobs/<int:pk>/file", jobs.job_file, name="staff-job-file"),
]
