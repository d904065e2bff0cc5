"""Renovation projects: what is being renovated where, in which phase, with whose money, by whom.

A :class:`Project` has a site (point or polygon, WGS-84) from which its street, community and grid
are derived as for assets (``registry.geography.assign_geography``), an optional parent (a
community's renewal programme holds its projects; the database refuses a cycle), and a current
phase whose every change is an append-only :class:`PhaseEvent`. Its progress is kept by the
database (``rolled_progress``, maintained by a trigger, see migration 0002): a milestone's
figure, else the phase's default, and for a parent the weighted mean of its children. Funding
totals over a project and its descendants are kept the same way (``tree_planned``,
``tree_received``, migration 0003).
"""

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from registry.fields import CreditCodeField
from registry.history import track_changes
from registry.photos import PhotoFiles
from registry.naming import BilingualNameMixin
from projects.phases import Phase


class ProjectKind(models.TextChoices):
    GARDEN = "garden", _("neighbourhood garden")
    MURAL = "mural", _("mural / relief wall")
    HERITAGE_REPAIR = "heritage_repair", _("heritage repair")
    PUBLIC_FACILITY = "public_facility", _("public facility")
    GARDEN_PARKING = "garden_parking", _("garden + parking")
    CULTURAL_INDUSTRY = "cultural_industry", _("cultural industry")
    ELEVATOR = "elevator", _("elevator retrofit")
    OTHER = "other", _("other")


@track_changes("ProjectEvent")
class Project(BilingualNameMixin, models.Model):
    external_id = models.CharField(_("external id"), max_length=100, blank=True, default="",
                                   help_text=_("The id in the district's project ledger; re-imports update by it."))
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ProjectKind.choices)
    site = models.GeometryField(_("site"), srid=4326)
    location = models.PointField(_("representative point"), srid=4326, editable=False)
    street = models.ForeignKey("registry.Street", on_delete=models.PROTECT, related_name="projects",
                               verbose_name=_("street"), editable=False)
    community = models.ForeignKey("registry.Community", on_delete=models.PROTECT, related_name="projects",
                                  verbose_name=_("community"), null=True, blank=True, editable=False)
    grid = models.ForeignKey("registry.Grid", on_delete=models.PROTECT, related_name="projects",
                             verbose_name=_("grid"), null=True, blank=True, editable=False)
    description = models.TextField(_("description"), blank=True)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    is_public = models.BooleanField(_("public"), default=True, help_text=_("Shown to residents."))
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
                               verbose_name=_("part of"))
    weight = models.PositiveIntegerField(_("weight in the parent"), default=1,
                                         help_text=_("How much this project counts in its parent's progress."))
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, default=Phase.PROPOSAL,
                             editable=False)
    progress = models.PositiveSmallIntegerField(
        _("progress set by a milestone (%)"), null=True, blank=True, editable=False)
    #: Kept by the database (trigger ``projects_rollup``): never written by Python.
    rolled_progress = models.DecimalField(_("progress (%)"), max_digits=4, decimal_places=1, default=0,
                                          editable=False)
    #: Planned and received yuan of the project's funding lines and all its descendants'; kept by the
    #: database (triggers ``projects_tree_funding*``, migration 0003), never written by Python.
    tree_planned = models.DecimalField(_("funding planned, with its projects (yuan)"), max_digits=16,
                                       decimal_places=2, default=0, editable=False)
    tree_received = models.DecimalField(_("funding received, with its projects (yuan)"), max_digits=16,
                                        decimal_places=2, default=0, editable=False)
    assets = models.ManyToManyField("registry.Asset", through="ProjectAsset", related_name="projects",
                                    verbose_name=_("assets"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"), editable=False)

    class Meta:
        verbose_name = _("renovation project")
        verbose_name_plural = _("renovation projects")
        ordering = ["-planned_start", "name_zh", "id"]
        constraints = [
            models.UniqueConstraint(fields=["external_id"], condition=~Q(external_id=""),
                                    name="project_external_id_unique"),
            models.CheckConstraint(condition=Q(planned_end__gte=F("planned_start")) | Q(planned_end__isnull=True)
                                   | Q(planned_start__isnull=True), name="project_planned_dates_in_order"),
            models.CheckConstraint(condition=Q(actual_end__gte=F("actual_start")) | Q(actual_end__isnull=True)
                                   | Q(actual_start__isnull=True), name="project_actual_dates_in_order"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="project_progress_at_most_100"),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="project_not_its_own_parent"),
            models.CheckConstraint(condition=Q(weight__gte=1), name="project_weight_positive"),
            models.CheckConstraint(condition=Q(site__isvalid=True), name="project_site_valid"),
        ]
        indexes = [models.Index(fields=["street", "phase"], name="project_street_phase")]

    def __str__(self):
        return self.name_zh


@track_changes("PhaseEventEvent")
class PhaseEvent(models.Model):
    """One change of a project's phase. Append-only: the database refuses to update a row."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="phase_events",
                                verbose_name=_("project"))
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    previous_phase = models.CharField(_("previous phase"), max_length=20, choices=Phase.choices, blank=True)
    date = models.DateField(_("date"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("by"))
    note = models.TextField(_("note"), blank=True, max_length=2000)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    is_return = models.BooleanField(_("went back"), default=False)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("phase change")
        verbose_name_plural = _("phase changes")
        ordering = ["date", "created_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(is_return=False) | ~Q(note=""),
                                              name="phase_return_has_reason")]

    def __str__(self):
        return f"{self.project} → {self.get_phase_display()} ({self.date})"


class FundingSource(models.TextChoices):
    DISTRICT_BUDGET = "district_budget", _("district budget")
    STREET_BUDGET = "street_budget", _("street budget")
    ENTERPRISE = "enterprise", _("enterprise sponsor")
    PARTY_UNIT = "party_unit", _("party-building co-construction unit")
    RESIDENTS = "residents", _("residents' contribution")
    DONATION = "donation", _("social donation")


@track_changes("FundingLineEvent")
class FundingLine(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="funding_lines",
                                verbose_name=_("project"))
    source = models.CharField(_("source"), max_length=20, choices=FundingSource.choices)
    sponsor = models.ForeignKey("adopters.Adopter", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="sponsored_funding", verbose_name=_("sponsor (adopter)"))
    sponsor_name = models.CharField(_("sponsor's public name"), max_length=100, blank=True,
                                    help_text=_("When the sponsor is not an adopter in the registry."))
    amount_planned = models.DecimalField(_("planned (yuan)"), max_digits=14, decimal_places=2)
    amount_received = models.DecimalField(_("received (yuan)"), max_digits=14, decimal_places=2, default=0)
    date = models.DateField(_("date"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("funding line")
        verbose_name_plural = _("funding lines")
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_planned__gte=0), name="funding_planned_not_negative"),
            models.CheckConstraint(condition=Q(amount_received__gte=0), name="funding_received_not_negative"),
        ]

    def __str__(self):
        return f"{self.get_source_display()} {self.amount_planned}"

    @property
    def public_sponsor_name(self) -> str:
        """What the public sees of the sponsor: an adopter's display name, never its contact."""
        return self.sponsor.display_name if self.sponsor_id else self.sponsor_name


class ContractorRole(models.TextChoices):
    DESIGN = "design", _("design")
    CONSTRUCTION = "construction", _("construction")
    SUPERVISION = "supervision", _("supervision")
    MAINTENANCE = "maintenance", _("maintenance")


@track_changes("ContractorEvent")
class Contractor(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="contractors",
                                verbose_name=_("project"))
    role = models.CharField(_("role"), max_length=20, choices=ContractorRole.choices)
    name = models.CharField(_("name"), max_length=200)
    credit_code = CreditCodeField(_("unified social credit code"), blank=True)
    contract_start = models.DateField(_("contract start"), null=True, blank=True)
    contract_end = models.DateField(_("contract end"), null=True, blank=True)

    class Meta:
        verbose_name = _("contractor")
        verbose_name_plural = _("contractors")
        ordering = ["role", "name", "id"]
        constraints = [models.CheckConstraint(
            condition=Q(contract_end__gte=F("contract_start")) | Q(contract_end__isnull=True)
            | Q(contract_start__isnull=True), name="contractor_dates_in_order")]

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"


@track_changes("MilestoneEvent")
class Milestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones",
                                verbose_name=_("project"))
    date = models.DateField(_("date"))
    text = models.TextField(_("text"), max_length=2000)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["date", "id"]
        constraints = [models.CheckConstraint(condition=Q(progress__lte=100), name="milestone_progress_at_most_100")]

    def __str__(self):
        return f"{self.project} · {self.date}"


class PhotoStage(models.TextChoices):
    BEFORE = "before", _("before")
    DURING = "during", _("during")
    AFTER = "after", _("after")


class MilestonePhoto(PhotoFiles):
    """A milestone's photo, tagged before / during / after. Its files are the core pipeline's
    renditions (``registry.photos``: orientation applied, no GPS, content-hashed names)."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="photos",
                                  verbose_name=_("milestone"))
    stage = models.CharField(_("stage"), max_length=10, choices=PhotoStage.choices)
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    class Meta(PhotoFiles.Meta):
        verbose_name = _("milestone photo")
        verbose_name_plural = _("milestone photos")
        ordering = ["id"]

    def __str__(self):
        return self.caption or self.large.name


class AssetRole(models.TextChoices):
    RENOVATES = "renovates", _("renovates")
    CREATES = "creates", _("creates")


@track_changes("ProjectAssetEvent")
class ProjectAsset(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="asset_links",
                                verbose_name=_("project"))
    asset = models.ForeignKey("registry.Asset", on_delete=models.CASCADE, related_name="project_links",
                              verbose_name=_("asset"))
    role = models.CharField(_("role"), max_length=20, choices=AssetRole.choices, default=AssetRole.RENOVATES)

    class Meta:
        verbose_name = _("project asset")
        verbose_name_plural = _("project assets")
        constraints = [models.UniqueConstraint(fields=["project", "asset"], name="project_asset_once")]

    def __str__(self):
        return f"{self.project} · {self.asset}"
