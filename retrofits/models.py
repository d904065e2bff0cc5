"""Elevators retrofitted to old buildings (旧楼宇加装电梯)."""

from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from registry.assets import Asset, AssetKind
from registry.geometry import PUNCTUAL
from registry.history import track_changes


class RetrofitStage(models.TextChoices):
    APPLICATION = "application", _("application")
    PLANNING_PERMIT = "planning_permit", _("planning permit")
    UNDER_CONSTRUCTION = "under_construction", _("under construction")
    IN_SERVICE = "in_service", _("in service")


class CustodyMode(models.TextChoices):
    """The three custody modes residents choose from (电梯托管)."""

    PROPERTY_MANAGEMENT = "property_management", _("property management + maintenance")
    ELEVATOR_PROPERTY = "elevator_property", _("elevator property + maintenance")
    STEWARD = "steward", _("custodian steward, maintenance included")


@track_changes("ElevatorRetrofitEvent")
class ElevatorRetrofit(Asset):
    """A retrofitted elevator, drawn as a point at its building.

    TSG T5002 asks for maintenance at least every 15 days and an annual inspection.
    """

    KIND = AssetKind.ELEVATOR
    GEOMETRY_TYPES = PUNCTUAL

    stage = models.CharField(_("stage"), max_length=20, choices=RetrofitStage.choices,
                             default=RetrofitStage.APPLICATION)
    custody_mode = models.CharField(_("custody mode"), max_length=20, choices=CustodyMode.choices, blank=True)
    maintenance_contractor = models.CharField(_("maintenance contractor"), max_length=100, blank=True)
    next_inspection_on = models.DateField(_("next annual inspection"), null=True, blank=True)
    households = models.PositiveSmallIntegerField(_("households served"), null=True, blank=True)
    floors = models.PositiveSmallIntegerField(_("floors"), null=True, blank=True)
    cost_yuan = models.DecimalField(_("cost (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    subsidy_yuan = models.DecimalField(_("government subsidy (yuan)"), max_digits=12, decimal_places=2, null=True,
                                       blank=True)
    residents_yuan = models.DecimalField(_("paid by residents (yuan)"), max_digits=12, decimal_places=2, null=True,
                                         blank=True)
    other_yuan = models.DecimalField(_("other funding (yuan)"), max_digits=12, decimal_places=2, null=True,
                                     blank=True)
    installer = models.CharField(_("installer"), max_length=100, blank=True)
    registration_code = models.CharField(_("elevator registration code"), max_length=40, blank=True)
    #: A priority case in the green channel (e.g. residents with reduced mobility): queued first.
    is_priority = models.BooleanField(_("priority case"), default=False)

    class Meta:
        verbose_name = _("elevator retrofit")
        verbose_name_plural = _("elevator retrofits")
