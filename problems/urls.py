"""URL routes of the problems app."""

urlpatterns = []
