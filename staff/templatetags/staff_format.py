"""Template filters for the staff pages' figures: shares as percentages, durations in hours."""

from django import template
from django.utils.translation import gettext as _

from staff.charts import percent as format_percent

register = template.Library()


@register.filter
def percent(share):
    """0.9547 → "95.5%"; None (nothing to count) → "—"."""
    return format_percent(share)


@register.filter
def hours(duration):
    """A timedelta as hours with one decimal ("31.5 h"); None → "—"."""
    if not hasattr(duration, "total_seconds"):
        return "—"
    return _("%(hours).1f h") % {"hours": duration.total_seconds() / 3600}
