"""The forms that write routes, shared by the admin and the staff editor (``routes.staff``): the
stops as text (one asset id a line, optionally followed by the stop's note) and the drawn line as
GeoJSON. Both call :func:`routes.operations.check_route` and ``save_route``; nothing here writes."""

import json

from django import forms
from django.contrib.gis.geos import GEOSException, GEOSGeometry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from routes import operations
from routes.models import Route, Theme

#: A drawn line sent by the editor: GeoJSON of at most this many characters (about 5,000 vertices).
LINE_MAX_LENGTH = 200_000


def parse_stops(text: str) -> list[operations.StopInput]:
    """``"12 the gate\\n15"`` → stops 12 (note "the gate") and 15; a line that is not an id is refused."""
    stops = []
    for number, raw in enumerate(text.splitlines(), start=1):
        raw = raw.strip()
        if not raw:
            continue
        head, _space, note = raw.partition(" ")
        if not head.isdigit() or len(head) > 18:
            raise ValidationError(_("Line %(number)d: start with the asset's id.") % {"number": number})
        stops.append(operations.StopInput(int(head), note.strip()))
    return stops


def stops_as_text(route: Route) -> str:
    return "\n".join(f"{stop.asset_id} {stop.note}".strip() for stop in route.stops.order_by("position"))


def parse_line(text: str):
    """GeoJSON (or WKT) of the drawn line → a geometry in WGS-84, or None when nothing was drawn."""
    text = (text or "").strip()
    if not text:
        return None
    if len(text) > LINE_MAX_LENGTH:
        raise ValidationError(_("The walking line has too many points."))
    try:
        if text.startswith("{"):
            json.loads(text)  # GEOS reads GeoJSON; a broken document gets the same message as a broken line
        line = GEOSGeometry(text)
    except (ValueError, GEOSException, TypeError):
        raise ValidationError(_("The walking line is not a readable line.")) from None
    if line.srid is None:
        line.srid = 4326
    return line


class RouteEditForm(forms.Form):
    """The staff editor's form (``routes.staff``): the operation checks what the fields cannot."""

    name_zh = forms.CharField(label=_("title (Chinese)"), max_length=200)
    name_en = forms.CharField(label=_("title (English)"), max_length=200, required=False)
    theme = forms.ChoiceField(label=_("theme"), choices=Theme.choices, initial=Theme.MIXED)
    description = forms.CharField(label=_("description"), max_length=4000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    pace = forms.IntegerField(label=_("walking pace (metres per minute)"), min_value=20, max_value=200,
                              initial=Route._meta.get_field("pace").default)
    is_published = forms.BooleanField(label=_("published"), required=False)
    stops_text = forms.CharField(
        label=_("Stops"), widget=forms.Textarea(attrs={"rows": 6, "data-route-stops": ""}),
        help_text=_("One stop a line, in walking order: the asset's id, then optionally a short note."))
    line = forms.CharField(
        label=_("walking line"), required=False,
        widget=forms.Textarea(attrs={"rows": 2, "data-route-line": ""}),
        help_text=_("Drawn on the map (GeoJSON); empty: the straight segments between the stops."))

    @classmethod
    def for_route(cls, route: Route, data=None):
        initial = {name: getattr(route, name) for name in
                   ("name_zh", "name_en", "theme", "description", "pace", "is_published")}
        initial["stops_text"] = stops_as_text(route)
        initial["line"] = route.line.json if route.line else ""
        return cls(data, initial=initial)

    def clean_stops_text(self):
        return parse_stops(self.cleaned_data["stops_text"])

    def clean_line(self):
        return parse_line(self.cleaned_data.get("line"))
