"""Each project operation: what it writes, its audit entry, and the bad inputs it refuses writing nothing."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.gis.geos import Point
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from projects import operations
from projects.models import (
    Contractor, ContractorRole, FundingLine, FundingSource, Milestone, MilestonePhoto, PhaseEvent, PhotoStage,
    Project, ProjectKind,
)
from projects.operations import TaggedPhoto
from projects.phases import Phase
from registry.audit import AuditEntry
from registry.photos.storage import orphan_files
from tests.factories import AdopterFactory, GardenFactory, MuralFactory, UserFactory
from tests.projects.conftest import CREDIT_CODE, EAST_POINT, make_project, png_upload

DAY = datetime.date(2026, 4, 1)


def test_create_assigns_the_street_from_the_site_and_records_the_first_phase(west_staff, district):
    project = make_project(west_staff, polygon=True, planned_start=DAY, planned_end=DAY)
    assert (project.street, project.community) == (district["W"], district["W1"])
    assert project.phase == Phase.PROPOSAL and project.rolled_progress == 0
    assert list(project.phase_events.values_list("phase", flat=True)) == [Phase.PROPOSAL]
    assert AuditEntry.objects.filter(action="project.create", object_id=project.pk).exists()


@pytest.mark.parametrize("kwargs, field, message", [
    ({"planned_start": DAY, "planned_end": DAY - datetime.timedelta(days=1)}, "planned_end", "before the start"),
    ({"actual_start": DAY, "actual_end": DAY - datetime.timedelta(days=1)}, "actual_end", "before the start"),
    ({"where": (113.5, 23.5)}, "site", "outside the district"),
    ({"kind": "castle"}, "kind", "listed kinds"),
    ({"name": "  "}, "name_zh", "Chinese name"),
])
def test_create_refuses_bad_input_and_writes_nothing(west_staff, kwargs, field, message):
    with pytest.raises(ValidationError) as refused:
        make_project(west_staff, **kwargs)
    assert message in " ".join(refused.value.message_dict[field])
    assert not Project.objects.exists()


def test_staff_cannot_create_a_project_in_another_street(west_staff):
    with pytest.raises(PermissionDenied):
        make_project(west_staff, where=EAST_POINT)
    assert not Project.objects.exists()


def test_a_parent_cannot_be_the_project_itself_or_its_descendant(west_staff, west_project):
    child = make_project(west_staff, name="子项目", parent=west_project)
    for parent in (west_project, child):
        with pytest.raises(ValidationError) as refused:
            operations.update_project(actor=west_staff, project=west_project, parent=parent)
        assert "one of its own parts" in refused.value.message_dict["parent"][0]
    assert Project.objects.get(pk=west_project.pk).parent_id is None


def test_another_streets_project_cannot_be_the_parent(west_staff, east_project):
    with pytest.raises(ValidationError) as refused:
        make_project(west_staff, parent=east_project)
    assert "own street" in refused.value.message_dict["parent"][0]


def test_update_changes_facts_and_moving_the_site_to_another_street_is_refused(west_staff, west_project):
    operations.update_project(actor=west_staff, project=west_project, name_en="Fengyuan garden", weight=2)
    west_project.refresh_from_db()
    assert (west_project.name_en, west_project.weight) == ("Fengyuan garden", 2)
    with pytest.raises(PermissionDenied):
        operations.update_project(actor=west_staff, project=west_project, site=Point(*EAST_POINT, srid=4326))
    assert Project.objects.get(pk=west_project.pk).street.code == "W"


def test_phase_forward_then_back_with_a_reason(west_staff, west_project):
    operations.change_phase(actor=west_staff, project=west_project, phase=Phase.CONSTRUCTION, date=DAY,
                            document_number="荔建〔2026〕12号")
    assert west_project.phase == Phase.CONSTRUCTION and west_project.rolled_progress == 50
    event = operations.change_phase(actor=west_staff, project=west_project, phase=Phase.DESIGN, date=DAY,
                                    note="居民意见需要修改设计")
    assert event.is_return and event.previous_phase == Phase.CONSTRUCTION
    assert Project.objects.get(pk=west_project.pk).rolled_progress == 20
    assert list(PhaseEvent.objects.filter(project=west_project).values_list("phase", flat=True)) == [
        Phase.PROPOSAL, Phase.CONSTRUCTION, Phase.DESIGN]
    assert AuditEntry.objects.filter(action="project.return_phase", object_id=west_project.pk).exists()


def test_going_back_without_a_reason_is_refused(west_staff, west_project):
    operations.change_phase(actor=west_staff, project=west_project, phase=Phase.APPROVAL)
    with pytest.raises(ValidationError) as refused:
        operations.change_phase(actor=west_staff, project=west_project, phase=Phase.PROPOSAL, note="  ")
    assert "needs a reason" in refused.value.message_dict["note"][0]
    assert Project.objects.get(pk=west_project.pk).phase == Phase.APPROVAL
    assert PhaseEvent.objects.filter(project=west_project).count() == 2


def test_the_same_phase_again_is_refused(west_staff, west_project):
    with pytest.raises(ValidationError, match="already in this phase"):
        operations.change_phase(actor=west_staff, project=west_project, phase=Phase.PROPOSAL)


def test_funding_with_an_adopter_sponsor_and_the_received_above_planned_warning(west_staff, west_project):
    sponsor = AdopterFactory(display_name="荔湾花木有限公司")
    added = operations.add_funding(actor=west_staff, project=west_project, source=FundingSource.ENTERPRISE,
                                   sponsor=sponsor, amount_planned="50000", amount_received="60000.50")
    assert added.line.amount_received == Decimal("60000.50") and added.line.public_sponsor_name == "荔湾花木有限公司"
    assert "more was received than planned" in str(added.warnings[0]).lower()
    with_note = operations.add_funding(actor=west_staff, project=west_project, source=FundingSource.RESIDENTS,
                                       amount_planned=Decimal("100"), amount_received=Decimal("120"),
                                       note="居民追加捐款")
    assert with_note.warnings == []


@pytest.mark.parametrize("planned, received, message", [
    ("-5", "0", "cannot be negative"), ("十万", "0", "amount in yuan"), ("100", "-1", "cannot be negative"),
    ("1.234", "0", "two decimals"), ("NaN", "0", "amount in yuan"),
])
def test_bad_amounts_are_refused(west_staff, west_project, planned, received, message):
    with pytest.raises(ValidationError, match=message):
        operations.add_funding(actor=west_staff, project=west_project, source=FundingSource.DISTRICT_BUDGET,
                               amount_planned=planned, amount_received=received)
    assert not FundingLine.objects.exists()


def test_contractor_credit_code_is_validated(west_staff, west_project):
    contractor = operations.add_contractor(actor=west_staff, project=west_project, role=ContractorRole.CONSTRUCTION,
                                           name="广州西关建设有限公司", credit_code=CREDIT_CODE.lower())
    assert contractor.credit_code == CREDIT_CODE
    with pytest.raises(ValidationError) as refused:
        operations.add_contractor(actor=west_staff, project=west_project, role=ContractorRole.DESIGN,
                                  name="错码公司", credit_code="9144030071526726XA")
    assert "credit_code" in refused.value.message_dict
    with pytest.raises(ValidationError, match="before the start"):
        operations.add_contractor(actor=west_staff, project=west_project, role=ContractorRole.DESIGN, name="设计院",
                                  contract_start=DAY, contract_end=DAY - datetime.timedelta(days=1))
    assert Contractor.objects.count() == 1


def test_a_milestone_with_before_and_after_photos_sets_the_progress(west_staff, west_project, media_root):
    milestone = operations.add_milestone(
        actor=west_staff, project=west_project, date=DAY, text="完工", progress=80,
        photos=[TaggedPhoto(png_upload("before.png", (120, 120, 120)), PhotoStage.BEFORE),
                TaggedPhoto(png_upload("after.png", (20, 180, 20)), PhotoStage.AFTER)])
    photos = list(milestone.photos.order_by("id"))
    assert [photo.stage for photo in photos] == [PhotoStage.BEFORE, PhotoStage.AFTER]
    assert all((media_root / photo.large.name).exists() and photo.small_width for photo in photos)
    assert west_project.progress == 80 and west_project.rolled_progress == 80
    assert orphan_files(datetime.timedelta(0)) == []  # the core's sweep keeps milestone photos' files


def test_a_photo_without_a_stage_or_not_an_image_is_refused_writing_nothing(west_staff, west_project, media_root):
    with pytest.raises(ValidationError, match="before, during or after"):
        operations.add_milestone(actor=west_staff, project=west_project, date=DAY, text="开工",
                                 photos=[TaggedPhoto(png_upload(), PhotoStage.BEFORE), TaggedPhoto(png_upload(), "")])
    fake = SimpleUploadedFile("x.jpg", b"<html>not a photo</html>", content_type="image/jpeg")
    with pytest.raises(ValidationError):
        operations.add_milestone(actor=west_staff, project=west_project, date=DAY, text="开工",
                                 photos=[TaggedPhoto(fake, PhotoStage.BEFORE)])
    assert not Milestone.objects.exists() and not MilestonePhoto.objects.exists()
    assert not list(media_root.rglob("*.jpg"))


def test_link_asset_only_of_ones_own_street(west_staff, west_project, district):
    garden = GardenFactory()  # street W
    link = operations.link_asset(actor=west_staff, project=west_project, asset=garden, role="creates")
    assert list(garden.projects.all()) == [west_project] and link.role == "creates"
    east_garden = MuralFactory()  # street E
    with pytest.raises(ValidationError, match="own street"):
        operations.link_asset(actor=west_staff, project=west_project, asset=east_garden)


# The permission matrix: who may run a project of street W -------------------------------------------

OPERATIONS = {
    "update": lambda actor, project: operations.update_project(actor=actor, project=project, name_en="x"),
    "phase": lambda actor, project: operations.change_phase(actor=actor, project=project, phase=Phase.DESIGN),
    "funding": lambda actor, project: operations.add_funding(
        actor=actor, project=project, source=FundingSource.STREET_BUDGET, amount_planned="1"),
    "contractor": lambda actor, project: operations.add_contractor(
        actor=actor, project=project, role=ContractorRole.DESIGN, name="设计院"),
    "milestone": lambda actor, project: operations.add_milestone(actor=actor, project=project, date=DAY, text="x"),
}


@pytest.mark.parametrize("who, allowed", [("west", True), ("admin", True), ("east", False), ("grid", False),
                                          ("resident", False), ("anonymous", False)])
@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_permission_matrix(request, west_project, who, allowed, operation):
    actor = {"west": lambda: request.getfixturevalue("west_staff"), "admin": lambda: request.getfixturevalue("admin"),
             "east": lambda: request.getfixturevalue("east_staff"),
             "grid": lambda: request.getfixturevalue("grid_worker"),
             "resident": lambda: UserFactory(username="resident"), "anonymous": AnonymousUser}[who]()
    entries = AuditEntry.objects.count()
    if allowed:
        OPERATIONS[operation](actor, west_project)
        assert AuditEntry.objects.count() == entries + 1
    else:
        with pytest.raises(PermissionDenied):
            OPERATIONS[operation](actor, west_project)
        assert AuditEntry.objects.count() == entries


def test_a_finished_garden_project_creates_its_garden_once(west_staff, district):
    project = make_project(west_staff, name="逢源新花园", polygon=True, description="口袋公园")
    operations.change_phase(actor=west_staff, project=project, phase=Phase.IN_USE)
    link = operations.create_asset(actor=west_staff, project=project)
    garden = link.asset.specific
    assert (garden.kind, garden.name_zh, garden.status, garden.street, link.role) == (
        "garden", "逢源新花园", "in_use", district["W"], "creates")
    assert list(garden.projects.all()) == [project]
    with pytest.raises(ValidationError, match="already created"):
        operations.create_asset(actor=west_staff, project=project)


def test_a_garden_needs_a_polygon_site_and_repairs_create_nothing(west_staff):
    point_garden = make_project(west_staff, name="点状花园")
    with pytest.raises(ValidationError) as refused:
        operations.create_asset(actor=west_staff, project=point_garden)
    assert "polygon" in " ".join(refused.value.message_dict["site"])
    repair = make_project(west_staff, name="修缮", kind=ProjectKind.HERITAGE_REPAIR)
    with pytest.raises(ValidationError, match="do not create"):
        operations.create_asset(actor=west_staff, project=repair)
    assert not point_garden.asset_links.exists() and not repair.asset_links.exists()
