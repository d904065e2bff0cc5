"""Staff roles and the part of the district each staff member works in.

A user's :class:`StaffAssignment` says who they are to the registry: a district administrator
(all streets), street-office staff (their street or streets), or a community / grid worker
(their communities or grids). ``registry.access`` turns it into row scope; nothing else reads it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DISTRICT_ADMIN = "district_admin", _("district administrator")
    STREET_STAFF = "street_staff", _("street-office staff")
    GRID_WORKER = "grid_worker", _("community / grid worker")


class StaffAssignment(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="staff_assignment", verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    streets = models.ManyToManyField("registry.Street", blank=True, related_name="staff",
                                     verbose_name=_("streets"))
    communities = models.ManyToManyField("registry.Community", blank=True, related_name="staff",
                                         verbose_name=_("communities"))
    grids = models.ManyToManyField("registry.Grid", blank=True, related_name="staff",
                                   verbose_name=_("grids"))
    can_reveal_mobile = models.BooleanField(
        _("may reveal adopters' mobile numbers"), default=False,
        help_text=_("Each reveal is recorded in the audit log."))

    class Meta:
        verbose_name = _("staff assignment")
        verbose_name_plural = _("staff assignments")

    def __str__(self):
        return f"{self.user} · {self.get_role_display()}"
