"""URL routes of the adopters app (mounted at the site root).

The staff queue is mounted here with its full path, ``staff/adoptions/``; the staff app owns the
rest of ``/staff/``. Sign-in and sign-out live at Django's default ``/accounts/login/`` and
``/accounts/logout/`` (so ``login_required`` needs no setting) and serve adopters and staff alike.
"""

from django.contrib.auth.views import LogoutView
from django.urls import path

from adoption import dashboard, staff_queue, views

urlpatterns = [
    path("adopt/", views.sign_up, name="adopter-signup"),
    path("adopt/looking/", views.looking_for_adopters, name="adoptable-assets"),
    path("adopt/confirm/<str:token>/", views.confirm_email_view, name="adopter-confirm-email"),
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/logout/", LogoutView.as_view(next_page="/"), name="logout"),
    path("assets/<int:pk>/adopt/", views.apply, name="adopt-asset"),
    path("me/", dashboard.dashboard, name="adopter-dashboard"),
    path("me/details/", dashboard.details, name="adopter-details"),
    path("me/confirm-email/", dashboard.resend_confirmation, name="adopter-resend-confirmation"),
    path("me/assets/<int:asset_pk>/care/", dashboard.log_care, name="adopter-log-care"),
    path("me/adoptions/<int:pk>/certificate/", dashboard.certificate, name="adopter-certificate"),
    path("me/adoptions/<int:pk>/withdraw/", dashboard.withdraw, name="adopter-withdraw"),
    path("me/adoptions/<int:pk>/end/", dashboard.end, name="adopter-end"),
    path("me/adoptions/<int:pk>/renew/", dashboard.renew, name="adopter-renew"),
    path("staff/adoptions/", staff_queue.queue, name="staff-adoption-queue"),
    path("staff/adoptions/<int:pk>/approve/", staff_queue.approve, name="staff-adoption-approve"),
    path("staff/adoptions/<int:pk>/reject/", staff_queue.reject, name="staff-adoption-reject"),
    path("staff/adoptions/<int:pk>/reveal-mobile/", staff_queue.reveal, name="staff-adoption-reveal-mobile"),
]
