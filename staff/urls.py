"""URL routes of the staff app."""

urlpatterns = []
