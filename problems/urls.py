"""URL routes of the problems app (mounted at the site root)."""

from django.urls import path

from problems import views

urlpatterns = [
    path("assets/<int:pk>/report/", views.report_problem, name="report-problem"),
    path("assets/<int:pk>/problems/", views.asset_answered_problems, name="asset-answered-problems"),
    path("assets/<int:pk>/report/sent/", views.report_sent, name="report-problem-sent"),
    path("staff/problems/", views.staff_problem_list, name="staff-problems"),
    path("staff/problems/<int:pk>/", views.staff_problem_detail, name="staff-problem-detail"),
    path("staff/problems/<int:pk>/reveal/", views.staff_problem_reveal, name="staff-problem-reveal"),
    path("staff/problems/<int:pk>/public-text/", views.staff_problem_public_text, name="staff-problem-public-text"),
    path("staff/problems/<int:pk>/<slug:action>/", views.staff_problem_action, name="staff-problem-action"),
]
