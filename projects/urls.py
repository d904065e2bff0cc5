"""URL routes of the projects app (mounted at the site root): the public pages and the staff pages."""

from django.urls import path

from projects import staff, views

urlpatterns = [
    path("projects/", views.project_list, name="project-list"),
    path("projects/<int:pk>/", views.project_detail, name="project-detail"),
    path("staff/projects/", staff.staff_project_list, name="staff-projects"),
    path("staff/projects/new/", staff.staff_project_create, name="staff-project-create"),
    path("staff/projects/<int:pk>/", staff.staff_project, name="staff-project"),
    path("staff/projects/<int:pk>/<slug:action>/", staff.staff_project_action, name="staff-project-action"),
]
