"""URL routes of the consultation app (mounted at the site root): the public register and the staff pages."""

from django.urls import path

from consultation import staff, views

urlpatterns = [
    path("consultation/", views.register_index, name="consultation-register-index"),
    path("consultation/<str:code>/", views.community_register, name="consultation-register"),
    path("staff/consultation/", staff.staff_consultation, name="staff-consultation"),
    path("staff/consultation/new/", staff.staff_meeting_create, name="staff-consultation-create"),
    path("staff/consultation/resolutions.csv", staff.staff_consultation_csv, name="staff-consultation-csv"),
    path("staff/consultation/meetings/<int:pk>/", staff.staff_meeting, name="staff-consultation-meeting"),
    path("staff/consultation/resolutions/<int:pk>/<slug:action>/", staff.staff_resolution_action,
         name="staff-consultation-action"),
]
