"""The staff workbench as an installable web app: its manifest, names in the user's language."""

import json

from django.http import HttpResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

THEME_COLOUR = "#1d6b43"


@require_safe
def manifest(request):
    home = reverse("staff-home")
    body = {
        "name": _("Liwan gardens: staff workbench"),
        "short_name": _("Workbench"),
        "lang": get_language() or "zh-hans",
        "start_url": home,
        "scope": home,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": [
            {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("icons/icon-maskable-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "maskable"},
        ],
    }
    response = HttpResponse(json.dumps(body, ensure_ascii=False), content_type="application/manifest+json")
    response["Vary"] = "Accept-Language"
    return response
