"""REST API routes: /api/v1/ (DRF router), the OpenAPI schema at /api/schema/ and its docs at /api/docs/."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from dataio.api import assets, care, problems, retrofits
from dataio.api.auth import TokenView
from projects.api import ProjectFiguresView, ProjectViewSet
from routes.api import RouteViewSet
from consultation.api import MeetingViewSet, ResolutionViewSet
from dataio.api.consultation import ConsultationFiguresView
from safety import api as safety_api

router = DefaultRouter()
router.register("assets", assets.AssetViewSet, basename="api-asset")
router.register("kinds", assets.KindViewSet, basename="api-kind")
router.register("areas/streets", assets.StreetViewSet, basename="api-street")
router.register("areas/communities", assets.CommunityViewSet, basename="api-community")
router.register("areas/grids", assets.GridViewSet, basename="api-grid")
router.register("adopters", assets.AdopterViewSet, basename="api-adopter")
router.register("adoptions", care.AdoptionViewSet, basename="api-adoption")
router.register("upkeep", care.UpkeepLogViewSet, basename="api-upkeep")
router.register("problems", problems.ProblemViewSet, basename="api-problem")
router.register(r"assets/(?P<asset_pk>\d+)/photos", problems.AssetPhotoViewSet, basename="api-asset-photo")
# The programmes' own endpoints live in their apps (api.py); the router mounts them under /api/v1/.
router.register("projects", ProjectViewSet, basename="api-project")
router.register("consultation/meetings", MeetingViewSet, basename="api-consultation-meeting")
router.register("consultation/resolutions", ResolutionViewSet, basename="api-consultation-resolution")
router.register("safety/risks", safety_api.RiskViewSet, basename="api-safety-risk")
router.register("safety/interventions", safety_api.InterventionViewSet, basename="api-safety-intervention")
router.register("safety/evaluations", safety_api.EvaluationViewSet, basename="api-safety-evaluation")
router.register("routes", RouteViewSet, basename="api-route")

urlpatterns = [
    # Before the router: its project detail route would take "figures" for an id.
    path("v1/projects/figures/", ProjectFiguresView.as_view(), name="api-project-figures"),
    path("v1/", include(router.urls)),
    path("v1/token/", TokenView.as_view(), name="api-token"),
    path("v1/retrofits/figures/", retrofits.RetrofitFiguresView.as_view(), name="api-retrofit-figures"),
    path("v1/consultation/figures/", ConsultationFiguresView.as_view(), name="api-consultation-figures"),
    path("v1/safety/figures/", safety_api.SafetyFiguresView.as_view(), name="api-safety-figures"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script (CSP). Its
    # page has one inline <style> and Swagger UI sets style attributes, so only this page's
    # style-src allows inline styles; scripts stay 'self'.
    path("docs/", csp_update({"style-src": [UNSAFE_INLINE]})(
        SpectacularSwaggerSplitView.as_view(url_name="api-schema")), name="api-docs"),
]
