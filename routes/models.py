"""Check-in walking routes through the murals, gardens and old buildings (Geotrek's treks, for Liwan).

A :class:`Route` has a bilingual title, a theme, ordered :class:`RouteStop` rows (each an asset,
with its own short note), an optional walking line drawn by staff and a pace. When no line is drawn
the route is walked along the straight segments between its stops, and is shown as approximate.
Its length is computed by PostGIS in EPSG:4547 (CGCS2000 / 3-degree Gauss-Kruger CM 114E, metres)
by ``routes.queries``, never in Python. A :class:`CheckInSpot` marks an asset as a check-in spot
(打卡点), a filter of the map.
"""

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from registry.history import track_changes
from registry.naming import BilingualNameMixin

#: Walking pace used when a route sets none (metres per minute: 4 km/h, an unhurried city walk).
DEFAULT_PACE = 67


class Theme(models.TextChoices):
    MURALS = "murals", _("murals")
    HERITAGE = "heritage", _("heritage")
    GARDENS = "gardens", _("gardens")
    MIXED = "mixed", _("mixed")


@track_changes("RouteEvent")
class Route(BilingualNameMixin, models.Model):
    name_zh = models.CharField(_("title (Chinese)"), max_length=200)
    name_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices, default=Theme.MIXED)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    line = models.LineStringField(_("walking line"), srid=4326, null=True, blank=True,
                                  help_text=_("Drawn by staff; when empty, the straight segments between the stops."))
    pace = models.PositiveSmallIntegerField(_("walking pace (metres per minute)"), default=DEFAULT_PACE)
    is_published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"), editable=False)

    class Meta:
        verbose_name = _("check-in route")
        verbose_name_plural = _("check-in routes")
        ordering = ["name_zh", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(pace__gte=20) & Q(pace__lte=200), name="route_pace_walkable"),
            models.CheckConstraint(condition=Q(line__isvalid=True) | Q(line__isnull=True), name="route_line_valid"),
        ]

    def __str__(self):
        return self.name_zh


@track_changes("RouteStopEvent")
class RouteStop(models.Model):
    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="stops", verbose_name=_("route"))
    asset = models.ForeignKey("registry.Asset", on_delete=models.PROTECT, related_name="route_stops",
                              verbose_name=_("asset"))
    position = models.PositiveSmallIntegerField(_("stop number"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("stop")
        verbose_name_plural = _("stops")
        ordering = ["route", "position"]
        constraints = [
            models.UniqueConstraint(fields=["route", "position"], name="route_stop_position_unique"),
            models.CheckConstraint(condition=Q(position__gte=1), name="route_stop_position_from_one"),
        ]
        indexes = [models.Index(fields=["asset"], name="route_stop_asset")]

    def __str__(self):
        return f"{self.route} #{self.position}"


@track_changes("CheckInSpotEvent")
class CheckInSpot(models.Model):
    """An asset marked a check-in spot (网红打卡点)."""

    asset = models.OneToOneField("registry.Asset", on_delete=models.CASCADE, related_name="check_in_spot",
                                 verbose_name=_("asset"))
    marked_at = models.DateTimeField(_("marked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("check-in spot")
        verbose_name_plural = _("check-in spots")

    def __str__(self):
        return str(self.asset_id)
