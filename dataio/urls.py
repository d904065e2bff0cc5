"""URL routes of the dataio app."""

urlpatterns = []
