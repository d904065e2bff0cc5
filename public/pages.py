"""The resident-facing asset pages: the asset's page, its map popup, search, QR codes and plaque.

Views stay thin: which assets, photos, adopters and upkeep a visitor may see comes from
``registry.queries``; this module only shapes it for a page or JSON. Everything user-visible is
translated; user data is rendered by autoescaping templates or JSON, never marked safe.
"""

import io
import json
from dataclasses import dataclass

import segno
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from adoption.models import AdopterKind
from adoption.queries import past_adoptions, with_adoption_state
from consultation.queries import resolutions_concerning_asset
from problems.queries import RECENTLY_ANSWERED_DAYS, problems_for_asset_page, with_open_problems
from projects.queries import projects_of_asset
from registry.basemaps import small_map_basemap
from registry.moderation import text_seen_by
from registry.naming import in_each_language
from registry.queries import SEARCH_MAX_LENGTH, public_photos, search_assets, visible_assets
from routes.queries import routes_of_asset
from upkeep.queries import recent_upkeep

#: Columns a page never reads: the Web Mercator copies (for tiles). (visible_assets defers the areas' boundaries.)
UNUSED_COLUMNS = ("geometry_webmercator", "location_webmercator")
POPUP_COLUMNS = ("name_zh", "name_en", "kind", "status", "is_adoptable")
PHOTO_LIMIT = 48
UPKEEP_LIMIT = 10
SEARCH_LIMIT = 20


@dataclass(frozen=True)
class Fact:
    """One labelled line of a kind's own details; ``items`` are display values (text, dates, numbers)."""

    label: str
    items: list


def kind_facts(specific) -> list[Fact]:
    """The kind's own fields (theme, protection level, stage…) with their verbose names and display values.

    Written once for every kind: the specific model's local concrete fields, choices shown by
    their labels (also inside arrays), empty values left out. Relations are never shown.
    """
    opts = type(specific)._meta
    if not opts.parents:  # a plain Asset: its kind has no model of its own
        return []
    facts = []
    for field in opts.local_concrete_fields:
        if field.is_relation or field.primary_key:
            continue
        value = field.value_from_object(specific)
        values = value if isinstance(value, (list, tuple)) else [value]
        labels = dict(getattr(field, "base_field", field).flatchoices)
        items = [_display(labels.get(item, item)) for item in values if item not in (None, "")]
        if items:
            facts.append(Fact(capfirst(field.verbose_name), items))
    return facts


def _display(value):
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    return value


def area_name(area) -> str:
    """A street's, community's or district's name in the current language; blank if unassigned."""
    return area.display_name if area is not None else ""


def _asset_or_404(request, pk, *related):
    """The visible asset ``pk`` with its adoption state, or 404 (hidden and unknown look the same)."""
    assets = visible_assets(request.user)
    if related:  # (an empty select_related() would replace the street and community with every FK)
        assets = assets.select_related(*related)
    assets = with_adoption_state(assets).defer(*UNUSED_COLUMNS, *(f"{name}__boundary" for name in related))
    return get_object_or_404(assets, pk=pk)


def _looking_for_adopter(asset) -> bool:
    return asset.is_adoptable and not asset.is_adopted


def _adopter_kind_label(kind):
    return str(AdopterKind(kind).label) if kind else None


@require_safe
def asset_detail(request, pk):
    asset = _asset_or_404(request, pk)
    basemap = small_map_basemap()
    # The renovation projects that renovated or created it, and its before/after from their milestones.
    projects, before_after = projects_of_asset(request.user, asset)
    past = [
        {"name": adoption.adopter.display_name, "kind_label": adoption.adopter.get_kind_display(),
         "first_day": adoption.period.lower, "last_day": adoption.last_day}
        for adoption in past_adoptions(asset)
    ]
    return render(request, "public/asset_detail.html", {
        "asset": asset,
        "description": text_seen_by(request.user, asset, asset.description),  # masked unless staff on it
        "street_name": area_name(asset.street),
        "community_name": area_name(asset.community),
        "facts": kind_facts(asset.specific),
        "photos": public_photos(asset)[:PHOTO_LIMIT],
        "adopter_kind_label": _adopter_kind_label(asset.adopter_kind),
        "looking_for_adopter": _looking_for_adopter(asset),
        "past_adopters": past,
        "upkeep": recent_upkeep(asset, UPKEEP_LIMIT),
        "resolutions": resolutions_concerning_asset(asset).select_related("community"),
        "geometry": json.loads(asset.geometry.json),
        "basemap": basemap,
        **_problems(asset),
        "asset_projects": projects, "asset_before_after": before_after,
        "asset_routes": routes_of_asset(request.user, asset),  # "stop 3 of 8 on <route>"
    })


def _problems(asset) -> dict:
    """Open problems, those answered in the last RECENTLY_ANSWERED_DAYS days with their replies, and
    whether older ones are left to the asset's page of all answered problems."""
    problems = problems_for_asset_page(asset)
    return {"open_problems": problems.open, "answered_problems": problems.recently_answered,
            "answered_days": RECENTLY_ANSWERED_DAYS, "older_answers": problems.older_answers}


@require_safe
def asset_popup(request, pk):
    """What the map's popup shows for one asset; labels in the visitor's language."""
    assets = visible_assets(request.user).select_related(None).only(*POPUP_COLUMNS)  # no geometry: clicks are hot
    asset = get_object_or_404(with_open_problems(with_adoption_state(assets)), pk=pk)  # one query for all three
    photo = public_photos(asset).only("small", "caption").first()
    problems = asset.open_problems
    return JsonResponse({
        "id": asset.pk,
        "name": asset.display_name,
        "kind": asset.kind,
        "kind_label": asset.get_kind_display(),
        "status_label": asset.get_status_display(),
        "url": reverse("asset-detail", args=[asset.pk]),
        "thumbnail_url": photo.small.url if photo else None,
        "thumbnail_alt": (photo.caption or asset.display_name) if photo else None,
        "adopter_name": asset.adopter_name,
        "adopter_kind_label": _adopter_kind_label(asset.adopter_kind),
        "looking_for_adopter": _looking_for_adopter(asset),
        "pending": asset.is_pending,
        "open_problems": problems,
        "open_problems_label": ngettext("%(count)d open problem", "%(count)d open problems", problems)
        % {"count": problems} if problems else None,
    })


@require_safe
def asset_search(request):
    """Up to SEARCH_LIMIT visible assets whose name or address contains ``q``."""
    text = request.GET.get("q", "").strip()
    if len(text) > SEARCH_MAX_LENGTH or "\x00" in text:
        message = gettext("Search for at most %(limit)d characters of a name or address.")
        return JsonResponse({"error": message % {"limit": SEARCH_MAX_LENGTH}, "results": []}, status=400)
    assets = (search_assets(request.user, text).select_related(None)
              .only("name_zh", "name_en", "kind", "address", "location")[:SEARCH_LIMIT])
    return JsonResponse({"results": [
        {"id": asset.pk, "name": asset.display_name, "kind": asset.kind, "kind_label": asset.get_kind_display(),
         "address": asset.address, "lon": asset.location.x, "lat": asset.location.y,
         "url": reverse("asset-detail", args=[asset.pk])}
        for asset in assets
    ]})


@require_safe
def asset_qr(request, pk, image_format):
    """A QR code of the asset page's absolute URL, as SVG (for plaques) or PNG (to download)."""
    if not visible_assets(request.user).filter(pk=pk).exists():
        raise Http404
    code = segno.make(request.build_absolute_uri(reverse("asset-detail", args=[pk])), error="m")
    buffer = io.BytesIO()
    if image_format == "svg":
        code.save(buffer, kind="svg", scale=4, border=4, light="#fff", xmldecl=False, omitsize=True)
        content_type = "image/svg+xml"
    else:
        code.save(buffer, kind="png", scale=10, border=4)
        content_type = "image/png"
    response = HttpResponse(buffer.getvalue(), content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="asset-{pk}-qr.{image_format}"'
    return response


@require_safe
def asset_plaque(request, pk):
    """A printable A5 plaque: bilingual (Chinese first) whatever the visitor's language."""
    asset = _asset_or_404(request, pk, "street__district")
    if asset.is_adopted:
        credit = _("Adopted by")
    elif _looking_for_adopter(asset):
        credit = _("Looking for an adopter")
    else:
        credit = None
    return render(request, "public/plaque.html", {
        "asset": asset,
        "kind_lines": in_each_language(asset.get_kind_display),
        "credit_lines": in_each_language(lambda: credit) if credit else [],
        "scan_lines": in_each_language(lambda: _("Scan for photos, upkeep and to report a problem")),
        "district_lines": in_each_language(lambda: area_name(asset.street.district)),
    })


urlpatterns = [
    path("assets/<int:pk>/", asset_detail, name="asset-detail"),
    path("assets/<int:pk>/popup.json", asset_popup, name="asset-popup"),
    path("assets/<int:pk>/qr.svg", asset_qr, {"image_format": "svg"}, name="asset-qr-svg"),
    path("assets/<int:pk>/qr.png", asset_qr, {"image_format": "png"}, name="asset-qr-png"),
    path("assets/<int:pk>/plaque/", asset_plaque, name="asset-plaque"),
    path("search.json", asset_search, name="asset-search"),
]
