"""Consultation (协商议事): meetings at community, grid and building level and their resolutions.

A :class:`Meeting` belongs to a community (and a grid, and a building's address or asset where
it is held at that level); its street is the community's. A :class:`Resolution` belongs to a
meeting and goes adopted → in progress → executed, or not feasible with a public reason; one not
adopted by the meeting is ``rejected`` and never counted. Each resolution carries copies of its
meeting's street, community and date (``street``, ``community``, ``meeting_date``, kept by the
operations), so the execution rate (``consultation.figures``) reads one narrow table through one
index. The database refuses an executed resolution without a date or dated before its meeting,
and a not-feasible one without a reason.
"""

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from registry.history import track_changes
from registry.photos import PhotoFiles


class MeetingLevel(models.TextChoices):
    COMMUNITY = "community", _("community meeting")
    GRID = "grid", _("grid meeting")
    BUILDING = "building", _("building meeting")


class VenueKind(models.TextChoices):
    LIVING_ROOM = "living_room", _("neighbours' living room")
    ONLINE_GROUP = "online_group", _("online group (one representative per household)")
    OTHER = "other", _("other venue")


class ConvenerRole(models.TextChoices):
    RESIDENTS_COMMITTEE = "residents_committee", _("residents' committee")
    OWNERS_COMMITTEE = "owners_committee", _("owners' committee")
    BUILDING_LEADER = "building_leader", _("building leader")
    PARTY_BRANCH = "party_branch", _("party branch")
    STREET_OFFICE = "street_office", _("street office")


class ResolutionStatus(models.TextChoices):
    ADOPTED = "adopted", _("adopted")
    IN_PROGRESS = "in_progress", _("being carried out")
    EXECUTED = "executed", _("executed")
    NOT_FEASIBLE = "not_feasible", _("not feasible")
    REJECTED = "rejected", _("not adopted")


#: The statuses of a resolution the meeting adopted ("formed"): the execution rate's denominator.
FORMED = (ResolutionStatus.ADOPTED, ResolutionStatus.IN_PROGRESS, ResolutionStatus.EXECUTED,
          ResolutionStatus.NOT_FEASIBLE)
#: The statuses still open: due dates matter (the overdue queue).
OPEN = (ResolutionStatus.ADOPTED, ResolutionStatus.IN_PROGRESS)


@track_changes("MeetingEvent")
class Meeting(models.Model):
    level = models.CharField(_("level"), max_length=20, choices=MeetingLevel.choices)
    street = models.ForeignKey("registry.Street", on_delete=models.PROTECT, related_name="meetings",
                               verbose_name=_("street"), editable=False)
    community = models.ForeignKey("registry.Community", on_delete=models.PROTECT, related_name="meetings",
                                  verbose_name=_("community"))
    grid = models.ForeignKey("registry.Grid", on_delete=models.PROTECT, related_name="meetings",
                             verbose_name=_("grid"), null=True, blank=True)
    building_address = models.CharField(_("building's address"), max_length=300, blank=True)
    building = models.ForeignKey("registry.Asset", on_delete=models.PROTECT, related_name="building_meetings",
                                 verbose_name=_("building (asset)"), null=True, blank=True)
    venue_kind = models.CharField(_("venue"), max_length=20, choices=VenueKind.choices,
                                  default=VenueKind.LIVING_ROOM)
    date = models.DateField(_("date"))
    convener_role = models.CharField(_("convened by"), max_length=30, choices=ConvenerRole.choices,
                                     default=ConvenerRole.RESIDENTS_COMMITTEE)
    topic = models.CharField(_("topic"), max_length=300)
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    households_present = models.PositiveIntegerField(_("household representatives present"), null=True, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    is_published = models.BooleanField(_("published"), default=True,
                                       help_text=_("Shown in the community's public register."))
    assets = models.ManyToManyField("registry.Asset", related_name="meetings", blank=True,
                                    verbose_name=_("assets concerned"))
    projects = models.ManyToManyField("projects.Project", related_name="meetings", blank=True,
                                      verbose_name=_("projects concerned"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("recorded by"), editable=False)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("consultation meeting")
        verbose_name_plural = _("consultation meetings")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["community", "-date"], name="meeting_community_date")]
        constraints = [
            models.CheckConstraint(condition=Q(households_present__lte=F("participants"))
                                   | Q(households_present__isnull=True) | Q(participants__isnull=True),
                                   name="meeting_households_within_participants"),
        ]

    def __str__(self):
        return f"{self.date} {self.get_level_display()} · {self.topic}"


@track_changes("ResolutionEvent")
class Resolution(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="resolutions",
                                verbose_name=_("meeting"))
    external_id = models.CharField(_("external id"), max_length=100, blank=True, default="",
                                   help_text=_("The id in the district's resolution ledger; re-imports update by it."))
    text = models.TextField(_("resolution"), max_length=2000)
    votes_for = models.PositiveIntegerField(_("votes for"), default=0)
    votes_against = models.PositiveIntegerField(_("votes against"), default=0)
    votes_abstain = models.PositiveIntegerField(_("abstentions"), default=0)
    status = models.CharField(_("status"), max_length=20, choices=ResolutionStatus.choices,
                              default=ResolutionStatus.ADOPTED)
    responsible = models.CharField(_("responsible party"), max_length=200, blank=True)
    responsible_adopter = models.ForeignKey("adopters.Adopter", on_delete=models.PROTECT, null=True, blank=True,
                                            related_name="resolutions", verbose_name=_("responsible adopter"))
    responsible_street_office = models.BooleanField(_("the street office is responsible"), default=False)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    executed_on = models.DateField(_("executed on"), null=True, blank=True)
    not_feasible_reason = models.TextField(_("why it is not feasible (public)"), blank=True, max_length=2000)
    # What carried it out (evidence), any of them.
    carried_by_project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, null=True, blank=True,
                                           related_name="resolutions", verbose_name=_("carried out by project"))
    carried_by_upkeep = models.ForeignKey("upkeep.UpkeepLog", on_delete=models.PROTECT, null=True, blank=True,
                                          related_name="resolutions", verbose_name=_("carried out by upkeep log"))
    carried_by_problem = models.ForeignKey("problems.ProblemReport", on_delete=models.PROTECT, null=True,
                                           blank=True, related_name="resolutions",
                                           verbose_name=_("carried out by resolving problem report"))
    carried_by_adoption = models.ForeignKey("adopters.Adoption", on_delete=models.PROTECT, null=True, blank=True,
                                            related_name="resolutions", verbose_name=_("carried out by adoption"))
    # Copies of the meeting's, kept by the operations: the figures read this table alone.
    street = models.ForeignKey("registry.Street", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("street"), editable=False)
    community = models.ForeignKey("registry.Community", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("community"), editable=False)
    meeting_date = models.DateField(_("meeting date"), editable=False)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        ordering = ["meeting_date", "id"]
        indexes = [
            # The execution rate per community over a period: an index-only scan (consultation.figures).
            models.Index(fields=["meeting_date", "community", "street", "status"], name="resolution_figures"),
            # The open ones (the overdue queue, the figures' overdue count): few, whatever the table's size.
            models.Index(fields=["meeting_date", "street", "community", "due_date"],
                         condition=Q(status__in=["adopted", "in_progress"]), name="resolution_open_due"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["external_id"], condition=~Q(external_id=""),
                                    name="resolution_external_id_unique"),
            models.CheckConstraint(condition=~Q(status="executed") | Q(executed_on__isnull=False),
                                   name="resolution_executed_has_date"),
            models.CheckConstraint(condition=Q(executed_on__isnull=True) | Q(executed_on__gte=F("meeting_date")),
                                   name="resolution_executed_after_meeting"),
            models.CheckConstraint(condition=~Q(status="not_feasible") | ~Q(not_feasible_reason=""),
                                   name="resolution_not_feasible_has_reason"),
        ]

    def __str__(self):
        return self.text[:60]

    @property
    def adopted(self) -> bool:
        return self.status != ResolutionStatus.REJECTED

    @property
    def public_responsible(self) -> str:
        """Who is responsible, as the public may read it: a text, an adopter's display name or the office."""
        if self.responsible_adopter_id:
            return self.responsible_adopter.display_name
        if self.responsible_street_office:
            return str(_("the street office"))
        return self.responsible


class ResolutionTally(models.Model):
    """How many resolutions of a community's meetings of one month are in one status. Kept by the
    database (trigger ``consultation_tally``, migration 0002) on every insert, update and delete of a
    resolution, whatever wrote it; never written by Python. The figures read whole months here and only
    the days at the period's edges from the resolutions (consultation.figures)."""

    community = models.ForeignKey("registry.Community", on_delete=models.CASCADE, related_name="+")
    street = models.ForeignKey("registry.Street", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    status = models.CharField(max_length=20, choices=ResolutionStatus.choices)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "month", "status"], name="tally_once")]
        indexes = [models.Index(fields=["month", "street", "community", "status", "n"], name="tally_figures")]


class ConsultationPhoto(PhotoFiles):
    """A meeting's photo, or a resolution's evidence photo (the core pipeline's renditions)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, null=True, blank=True, related_name="photos",
                                verbose_name=_("meeting"))
    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, null=True, blank=True,
                                   related_name="photos", verbose_name=_("resolution"))

    class Meta(PhotoFiles.Meta):
        verbose_name = _("consultation photo")
        verbose_name_plural = _("consultation photos")
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(meeting__isnull=True) ^ Q(resolution__isnull=True),
                                              name="consultation_photo_of_one")]


class OverdueDigestSent(models.Model):
    """One daily digest of overdue resolutions sent to one person (the unique row decides between runs)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    overdue = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="consultation_digest_once")]
