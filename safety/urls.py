"""URL routes of the safety app (mounted at the site root): the staff pages and the ambassador's page."""

from django.urls import path

from safety import people, staff, views

urlpatterns = [
    path("safety/report/", views.ambassador_report, name="safety-report"),
    path("safety/risks.geojson", views.published_risks, name="safety-published-risks"),
    path("staff/safety/publication/", staff.publication, name="staff-safety-publication"),
    path("staff/safety/", staff.register, name="staff-safety"),
    path("staff/safety/risks.geojson", staff.risk_layer, name="staff-safety-layer"),
    path("staff/safety/risks.csv", staff.risks_csv, name="staff-safety-csv"),
    path("staff/safety/risks/new/", staff.risk_new, name="staff-safety-risk-new"),
    path("staff/safety/risks/<int:pk>/", staff.risk_detail, name="staff-safety-risk"),
    path("staff/safety/risks/<int:pk>/<slug:action>/", staff.risk_action, name="staff-safety-risk-action"),
    path("staff/safety/interventions/<int:pk>/close/", staff.intervention_close, name="staff-safety-close"),
    path("staff/safety/problems/<int:report_pk>/risk/", staff.risk_from_problem, name="staff-safety-from-problem"),
    path("staff/safety/rounds/", staff.rounds, name="staff-safety-rounds"),
    path("staff/safety/rounds/<int:pk>/", staff.round_detail, name="staff-safety-round"),
    path("staff/safety/answers/<int:pk>/risk/", staff.answer_risk, name="staff-safety-answer-risk"),
    path("staff/safety/overdue/", staff.overdue, name="staff-safety-overdue"),
    path("staff/safety/photos/<slug:kind>/<int:pk>/<slug:size>/", staff.photo, name="staff-safety-photo"),
    path("staff/safety/ambassadors/", people.ambassadors, name="staff-safety-ambassadors"),
    path("staff/safety/ambassadors/<int:pk>/", people.ambassador_detail, name="staff-safety-ambassador"),
    path("staff/safety/ambassadors/<int:pk>/certificate/", people.certificate, name="staff-safety-certificate"),
    path("staff/safety/trainings/new/", people.training_new, name="staff-safety-training"),
    path("staff/safety/evaluations/", people.evaluations, name="staff-safety-evaluations"),
    path("staff/safety/evaluations/<int:pk>/", people.evaluation_detail, name="staff-safety-evaluation"),
    path("staff/safety/evaluations/<int:pk>/report/", people.evaluation_report, name="staff-safety-evaluation-report"),
]
