"""The public register of consultation (/consultation/, /consultation/<community code>/): per
community, the published meetings and resolutions with their status and evidence, and the
execution rate. No personal data: meetings keep counts, never residents' names or phones; the
responsible party is a text, an adopter's public display name or the street office."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from consultation import queries
from consultation.figures import consultation_figures
from registry.geography import Community

PAGE_SIZE = 20


@require_safe
def register_index(request):
    figures = consultation_figures()
    return render(request, "consultation/register_index.html", {"figures": figures})


@require_safe
def community_register(request, code):
    community = get_object_or_404(Community.objects.defer("boundary").select_related("street"), code=code)
    meetings = Paginator(queries.public_meetings(community), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "consultation/register.html", {
        "community": community, "page": meetings, "figures": consultation_figures(community=community)})
