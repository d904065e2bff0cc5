"""Change history: who changed what, when, from which value to which.

Operations call :func:`record` inside their transaction, so a rolled-back change leaves no
history either. Values are stored as text as a person would read them (choices by value,
geometries as EWKT, dates ISO), enough to answer "who set this to retired, and when?".
"""

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from registry.assets import Asset
from registry.client_address import current_client_address


class AuditEntry(models.Model):
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("by"))
    action = models.CharField(pgettext_lazy("audit entry", "action"), max_length=50)
    object_type = models.CharField(_("object type"), max_length=50)
    object_id = models.BigIntegerField(_("object id"))
    #: The asset the change concerns, so an asset's history includes its adoptions, logs and reports.
    asset = models.ForeignKey("registry.Asset", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="history", verbose_name=_("asset"))
    changes = models.JSONField(_("changes"), default=dict, blank=True,
                               help_text=_("Field name → [old value, new value]."))
    #: Where the change came from (registry.client_address); empty for commands.
    client_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"


def _readable(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, GEOSGeometry):
        return value.ewkt
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def snapshot(obj, fields=None) -> dict:
    """The concrete field values of ``obj`` (or only ``fields``), readable and JSON-safe."""
    names = fields or [f.attname for f in obj._meta.concrete_fields
                       if not f.primary_key and not getattr(f, "generated", False)]
    return {name: _readable(getattr(obj, name)) for name in names}


def diff(before: dict, after: dict) -> dict:
    """Field → [old, new] for the fields whose value changed."""
    return {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}


def record(*, actor, action: str, obj, changes: dict | None = None, asset=None) -> AuditEntry:
    """Write one history entry for ``obj``. ``asset`` defaults to ``obj.asset`` or ``obj`` itself."""
    if asset is None:
        asset = obj if isinstance(obj, Asset) else getattr(obj, "asset", None)
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action, object_type=obj._meta.label_lower, object_id=obj.pk,
        asset=asset, changes=changes or {}, client_address=current_client_address() or None,
    )
