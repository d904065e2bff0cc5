"""URL routes of the adopters app."""

urlpatterns = []
