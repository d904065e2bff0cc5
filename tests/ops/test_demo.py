"""The demo district (load_demo) and synthetic assets at scale (generate_synthetic).

The demo is loaded once for the module, inside a transaction rolled back at the end, with photos
written to a temporary MEDIA_ROOT; each test runs in a savepoint of its own on top of it.
"""

import datetime
import re
from io import StringIO
from types import SimpleNamespace

import pytest
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone
from PIL import Image

from adoption.models import Adopter, AdopterKind, Adoption, AdoptionStatus
from gardens.models import PaintedElectricalBox
from heritage.models import ArchitecturalStyle, HeritageBuilding, Motif, Mural, ProtectionLevel, WallType
from ops.demo.loader import summary
from projects.models import FundingLine, MilestonePhoto, Project, ProjectKind
from projects.phases import Phase
from registry.assets import Asset, AssetKind, AssetStatus
from registry.bulk import bulk_create_assets
from registry.geography import Community, District, Grid, Street
from registry.geometry import area_in_square_metres, representative_point
from registry.photos import Photo
from registry.validators import validate_credit_code
from retrofits.models import CustodyMode, ElevatorRetrofit, RetrofitStage
from upkeep.models import UpkeepAction, UpkeepLog

STREET_NAMES = {
    "沙面街道", "岭南街道", "华林街道", "多宝街道", "昌华街道", "逢源街道", "龙津街道", "金花街道", "彩虹街道",
    "南源街道", "西村街道", "站前街道", "桥中街道", "白鹤洞街道", "冲口街道", "花地街道", "石围塘街道", "茶滘街道",
    "东漖街道", "海龙街道", "东沙街道", "中南街道",
}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media)), transaction.atomic():
        output = StringIO()
        call_command("load_demo", stdout=output)
        yield SimpleNamespace(media=media, output=output.getvalue())
        transaction.set_rollback(True)


def scalar(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


pytestmark = pytest.mark.django_db


# --- geography -------------------------------------------------------------------------------

def test_liwan_has_its_22_streets_with_chinese_and_english_names(demo):
    district = District.objects.get(code="440103")
    assert district.name_zh == "荔湾区"
    streets = Street.objects.filter(district=district)
    assert {street.name_zh for street in streets} == STREET_NAMES
    assert all(street.name_en.endswith(" Street") and street.code.startswith("440103") for street in streets)
    assert Street.objects.get(name_zh="逢源街道").name_en == "Fengyuan Street"


def test_streets_do_not_overlap_and_tile_the_district(demo):
    # Areas in square degrees: planar in the storage CRS, so pieces add up exactly to their whole
    # (reprojecting first would bend long straight edges by centimetres and blur the sums).
    district_area = scalar("SELECT ST_Area(boundary) FROM registry_district")
    overlap = scalar("""
        SELECT COALESCE(SUM(ST_Area(ST_Intersection(a.boundary, b.boundary))), 0)
        FROM registry_street a JOIN registry_street b ON a.id < b.id AND ST_Intersects(a.boundary, b.boundary)""")
    assert overlap / district_area < 1e-9
    assert scalar("SELECT SUM(ST_Area(boundary)) FROM registry_street") == pytest.approx(district_area, rel=1e-9)
    assert scalar("SELECT ST_Area(ST_Transform(boundary, 4547)) FROM registry_district") > 20e6  # m²


@pytest.mark.parametrize("child, parent, fk, low, high", [
    ("registry_community", "registry_street", "street_id", 3, 6),
    ("registry_grid", "registry_community", "community_id", 2, 4),
])
def test_communities_and_grids_tile_their_parent(demo, child, parent, fk, low, high):
    outside = scalar(f"""
        SELECT MAX(ST_Area(ST_Difference(c.boundary, p.boundary)) / ST_Area(p.boundary))
        FROM {child} c JOIN {parent} p ON p.id = c.{fk}""")
    assert outside < 1e-9  # every child lies inside its parent
    overlap = scalar(f"""
        SELECT COALESCE(MAX(ST_Area(ST_Intersection(a.boundary, b.boundary)) / ST_Area(a.boundary)), 0)
        FROM {child} a JOIN {child} b ON a.{fk} = b.{fk} AND a.id < b.id AND ST_Intersects(a.boundary, b.boundary)""")
    assert overlap < 1e-9  # siblings do not overlap
    gap = scalar(f"""
        SELECT MAX(ABS(ST_Area(p.boundary) - s.area) / ST_Area(p.boundary)) FROM {parent} p
        JOIN (SELECT {fk}, SUM(ST_Area(boundary)) AS area FROM {child} GROUP BY {fk}) s ON s.{fk} = p.id""")
    assert gap < 1e-9  # and together they cover it
    counts = scalar(f"SELECT array_agg(n) FROM (SELECT COUNT(*) n FROM {child} GROUP BY {fk}) c")
    assert len(counts) == scalar(f"SELECT COUNT(*) FROM {parent}")
    assert all(low <= n <= high for n in counts)
    assert scalar(f"SELECT bool_and(ST_IsValid(boundary)) FROM {child}")


# --- assets ----------------------------------------------------------------------------------

def test_demo_has_assets_of_every_kind_each_in_a_street(demo):
    assert Asset.objects.count() >= 200
    assert set(Asset.objects.values_list("kind", flat=True)) == set(AssetKind.values)
    assert not Asset.objects.filter(street__isnull=True).exists()
    assert Asset.objects.filter(community__isnull=False, grid__isnull=False).count() == Asset.objects.count()
    assert set(Asset.objects.values_list("status", flat=True)) == set(AssetStatus.values)
    assert Asset.objects.filter(is_public=False).exists()
    assert Asset.objects.filter(kind=AssetKind.GREEN_PLOT, is_adoptable=True).count() >= 40


def test_geometry_fits_the_kind(demo):
    types = {(kind, geom.geom_type) for kind, geom in Asset.objects.values_list("kind", "geometry")}
    assert {t for k, t in types if k in (AssetKind.GARDEN, AssetKind.GREEN_PLOT, AssetKind.HERITAGE)} == {"Polygon"}
    assert {t for k, t in types if k in (AssetKind.PAINTED_BOX, AssetKind.ELEVATOR)} == {"Point"}
    assert {t for k, t in types if k == AssetKind.MURAL} == {"Point", "LineString"}
    areas = Asset.objects.filter(kind=AssetKind.GREEN_PLOT).values_list("area_m2", flat=True)
    assert all(20 < area < 2000 for area in areas)


def test_the_named_landmarks_are_there(demo):
    chen = HeritageBuilding.objects.get(name_zh="陈家祠")
    assert (chen.protection_level, chen.style, chen.street.name_zh) == (
        ProtectionLevel.NATIONAL, ArchitecturalStyle.ANCESTRAL_HALL, "金花街道")
    shamian = HeritageBuilding.objects.filter(street__name_zh="沙面街道", style=ArchitecturalStyle.WESTERN)
    assert shamian.count() >= 4
    yongqingfang = Asset.objects.filter(address__contains="永庆坊") | Asset.objects.filter(name_zh__contains="永庆坊")
    assert {AssetKind.HERITAGE, AssetKind.MURAL, AssetKind.GARDEN} <= set(yongqingfang.values_list("kind", flat=True))
    assert Asset.objects.get(name_zh="荔枝湾涌滨水花园").kind == AssetKind.GARDEN
    arcades = HeritageBuilding.objects.filter(style=ArchitecturalStyle.ARCADE, address__regex="上九路|下九路|第十甫路")
    assert arcades.count() >= 3


def test_kind_fields_cover_every_choice(demo):
    assert set(HeritageBuilding.objects.values_list("protection_level", flat=True)) == set(ProtectionLevel.values)
    assert set(HeritageBuilding.objects.values_list("style", flat=True)) == set(ArchitecturalStyle.values)
    assert set(ElevatorRetrofit.objects.values_list("stage", flat=True)) == set(RetrofitStage.values)
    assert set(CustodyMode.values) <= set(ElevatorRetrofit.objects.values_list("custody_mode", flat=True))
    assert set(Mural.objects.values_list("wall_type", flat=True)) == set(WallType.values)
    motifs = {tag for tags in Mural.objects.values_list("motif_tags", flat=True) for tag in tags}
    assert {Motif.LION_DANCE, Motif.DRAGON_BOAT, Motif.OLIVE_SELLER} <= motifs


# --- people and adoptions --------------------------------------------------------------------

def test_adopters_of_every_kind_with_valid_codes_and_mobiles(demo):
    adopters = list(Adopter.objects.all())
    assert len(adopters) >= 30
    assert {adopter.kind for adopter in adopters} == set(AdopterKind.values)
    for adopter in adopters:
        assert re.fullmatch(r"1[3-9]\d{9}", adopter.mobile)
        if adopter.kind in AdopterKind.organisations():
            validate_credit_code(adopter.credit_code)
    assert Adopter.objects.filter(user__isnull=False).count() >= 5
    # every adopter has a profile (issue 14), with no privacy consent the demo could not have given
    assert not Adopter.objects.filter(profile__isnull=True).exists()
    assert not Adopter.objects.filter(profile__privacy_consented_at__isnull=False).exists()


def test_adoptions_past_current_pending_and_rejected(demo):
    today = timezone.localdate()
    statuses = set(Adoption.objects.values_list("status", flat=True))
    assert statuses == set(AdoptionStatus.values)
    for adoption in Adoption.objects.filter(status=AdoptionStatus.ENDED):
        assert adoption.period.upper <= today
    for adoption in Adoption.objects.filter(status=AdoptionStatus.APPROVED):
        assert adoption.period.lower <= today < adoption.period.upper
        assert adoption.decided_by is not None
    assert Adoption.objects.filter(status=AdoptionStatus.APPROVED).count() >= 20


# --- upkeep and photos -----------------------------------------------------------------------

def test_a_year_of_upkeep_fitting_each_kind(demo):
    today = timezone.localdate()
    days = [timezone.localtime(moment).date() for moment in UpkeepLog.objects.values_list("performed_at", flat=True)]
    assert today - datetime.timedelta(days=366) <= min(days) <= today - datetime.timedelta(days=350)
    assert max(days) >= today - datetime.timedelta(days=3)
    assert not UpkeepLog.objects.filter(performed_at__gt=timezone.now()).exists()
    assert not UpkeepLog.objects.exclude(asset__kind=AssetKind.ELEVATOR).filter(
        action__in=[UpkeepAction.ELEVATOR_MAINTENANCE, UpkeepAction.ANNUAL_INSPECTION]).exists()
    assert not UpkeepLog.objects.filter(asset__kind__in=[AssetKind.ELEVATOR, AssetKind.MURAL],
                                        action=UpkeepAction.WATERING).exists()
    assert UpkeepLog.objects.filter(adopter__isnull=False).exists()
    assert UpkeepLog.objects.filter(staff__isnull=False).exists()


def test_elevators_in_service_are_maintained_at_least_every_15_days(demo):
    for elevator in ElevatorRetrofit.objects.filter(stage=RetrofitStage.IN_SERVICE, status=AssetStatus.IN_USE):
        visits = sorted(elevator.upkeep_logs.filter(action=UpkeepAction.ELEVATOR_MAINTENANCE)
                        .values_list("performed_at", flat=True))
        assert len(visits) >= 24
        assert max((b.date() - a.date()).days for a, b in zip(visits, visits[1:])) <= 15
    assert UpkeepLog.objects.filter(action=UpkeepAction.ANNUAL_INSPECTION).exists()


def test_every_retrofit_has_a_stage_history_matching_its_stage_since_2017(demo):
    from elevators.figures import PROGRAMME_START, Period, programme_figures
    from elevators.models import MAP_STAGE, CustodyContract, StageEvent
    from elevators.queries import green_channel_queue
    from tests.factories import make_district_admin

    for retrofit in ElevatorRetrofit.objects.all():
        history = list(StageEvent.objects.filter(retrofit=retrofit).order_by("happened_on", "id"))
        assert history and history[0].stage == "accepted" and history[0].happened_on >= PROGRAMME_START
        assert MAP_STAGE[history[-1].stage] == retrofit.stage
        assert [e.happened_on for e in history] == sorted(e.happened_on for e in history)
    assert set(CustodyContract.objects.values_list("mode", flat=True)) == set(CustodyMode.values)
    figures = programme_figures(Period())
    assert figures["total"] == ElevatorRetrofit.objects.count() and figures["in_service"] > 0
    assert len(figures["cohorts"]) >= 5  # applications in many years since 2017
    assert green_channel_queue(make_district_admin("programme-admin"))  # some wait past their target


def test_adopters_log_only_while_they_hold_the_adoption(demo):
    for log in UpkeepLog.objects.filter(adopter__isnull=False).select_related("asset")[:300]:
        day = timezone.localtime(log.performed_at).date()
        assert Adoption.objects.filter(asset=log.asset, adopter=log.adopter, period__contains=day,
                                       status__in=[AdoptionStatus.APPROVED, AdoptionStatus.ENDED]).exists()


def test_photos_are_real_jpeg_images_in_the_temporary_media_root(demo):
    photos = list(Photo.objects.all())
    assert len({photo.asset_id for photo in photos}) >= 0.6 * Asset.objects.count()
    assert any(photo.upkeep_log_id for photo in photos)
    for photo in photos[:40]:
        assert photo.large.path.startswith(str(demo.media)) and photo.small.path.startswith(str(demo.media))
        with Image.open(photo.large.path) as image:
            assert image.format == "JPEG" and image.size == (640, 480) == (photo.width, photo.height)
        with Image.open(photo.small.path) as image:
            assert image.format == "JPEG" and image.size == (320, 240) == (photo.small_width, photo.small_height)


# --- idempotency -----------------------------------------------------------------------------

def test_loading_twice_changes_no_counts(demo):
    before = summary()
    output = StringIO()
    call_command("load_demo", stdout=output)
    assert summary() == before
    assert "already loaded" in output.getvalue()


def test_if_empty_does_nothing_when_assets_exist(demo):
    before = summary()
    output = StringIO()
    call_command("load_demo", "--if-empty", stdout=output)
    assert summary() == before
    assert "not loaded" in output.getvalue()


def test_summary_is_printed(demo):
    assert "streets: 22" in demo.output and "assets:" in demo.output


# --- generate_synthetic ----------------------------------------------------------------------

def _synthetic(count, seed) -> list[Asset]:
    before = Asset.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    call_command("generate_synthetic", assets=count, seed=seed, stdout=StringIO())
    return list(Asset.objects.filter(pk__gt=before).order_by("pk"))


def test_generate_synthetic_adds_exactly_n_complete_assets(demo):
    assets = _synthetic(500, seed=3)
    assert len(assets) == 500
    assert all(asset.street_id and asset.community_id and asset.grid_id for asset in assets)
    kind_rows = sum(model.objects.filter(pk__in=[a.pk for a in assets]).count() for model in Asset.kind_models.values())
    assert kind_rows == 500
    assert {type(asset.specific) for asset in assets} == set(Asset.kind_models.values())
    for asset in assets[:50]:  # derived exactly as save() derives them
        assert asset.location.equals_exact(representative_point(asset.geometry), 1e-12)
        assert asset.area_m2 == area_in_square_metres(asset.geometry)
        assert asset.street == Street.objects.get(boundary__covers=asset.location)


def test_generate_synthetic_is_deterministic_for_a_seed(demo):
    def fingerprint(assets):
        return [(a.kind, a.name_zh, a.address, a.geometry.wkt, a.street_id, a.grid_id, a.status) for a in assets]

    first, second, other = _synthetic(120, seed=11), _synthetic(120, seed=11), _synthetic(120, seed=12)
    assert fingerprint(first) == fingerprint(second)
    assert fingerprint(first) != fingerprint(other)
    assert [vars(a.specific).get("stage") for a in first] == [vars(a.specific).get("stage") for a in second]


def test_bulk_insert_refuses_an_asset_outside_the_district_and_writes_nothing(demo):
    before = Asset.objects.count()
    inside = PaintedElectricalBox(name_zh="界内电箱", geometry=Point(113.245, 23.126, srid=4326))
    outside = PaintedElectricalBox(name_zh="界外电箱", geometry=Point(113.40, 23.20, srid=4326))
    with pytest.raises(ValidationError, match="outside every street"):
        bulk_create_assets([inside, outside])
    assert Asset.objects.count() == before


def test_generate_synthetic_needs_a_district(demo):
    from consultation.models import Meeting

    Meeting.objects.all().delete()  # meetings keep their communities, resolutions what carried them out
    Project.objects.filter(parent__isnull=False).delete()  # a programme is kept while it has projects
    from routes.models import Route  # a route's stops keep their assets (PROTECT)
    from safety.models import Ambassador, Evaluation, Risk, SafetyRound, Training

    for model in (Risk, Evaluation, Training, Ambassador, SafetyRound):  # the safety rows keep their areas
        model.objects.all().delete()
    for model in (Route, Project, Photo, UpkeepLog, Adoption, Asset, Grid, Community, Street, District):
        model.objects.all().delete()
    with pytest.raises(CommandError, match="No district is loaded"):
        call_command("generate_synthetic", assets=10, seed=1)
    call_command("load_demo", "--geography-only", stdout=StringIO())
    assert (Street.objects.count(), Asset.objects.count()) == (22, 0)
    assert len(_synthetic(30, seed=5)) == 30


def test_demo_staff_have_roles_over_their_streets(demo):
    from registry.access import scope_of
    from registry.staffing import Role, StaffAssignment

    assert StaffAssignment.objects.filter(role=Role.DISTRICT_ADMIN).count() == 1
    street_staff = StaffAssignment.objects.filter(role=Role.STREET_STAFF)
    assert street_staff.count() >= 5
    covered = {street for assignment in street_staff for street in assignment.streets.values_list("code", flat=True)}
    assert len(covered) == 22
    assert all(scope_of(a.user).street_ids for a in street_staff)


# --- renovation projects ---------------------------------------------------------------------

def test_demo_projects_cover_every_kind_and_phase_in_six_streets_with_parents(demo):
    projects = Project.objects.all()
    assert projects.count() >= 20 and projects.values("street").distinct().count() >= 6
    assert set(projects.values_list("kind", flat=True)) == set(ProjectKind.values)
    assert set(projects.values_list("phase", flat=True)) == set(Phase.values)
    parents = projects.filter(children__isnull=False).distinct()
    assert parents.count() >= 2 and all(0 < parent.rolled_progress <= 100 for parent in parents)
    assert FundingLine.objects.values("source").distinct().count() >= 4
    assert FundingLine.objects.filter(sponsor__isnull=False).exists()  # some sponsors are demo adopters
    assert projects.filter(contractors__isnull=False).distinct().count() >= 10
    for project in projects.filter(phase=Phase.IN_USE):
        stages = set(MilestonePhoto.objects.filter(milestone__project=project).values_list("stage", flat=True))
        assert stages == {"before", "after"}, project
    assert projects.filter(asset_links__isnull=False).distinct().count() == projects.count()
    photo = MilestonePhoto.objects.first()
    with Image.open(photo.large.path) as image:
        assert photo.large.path.startswith(str(demo.media)) and image.format == "JPEG"


def test_demo_consultation_in_six_communities_every_level_and_status(demo):
    from consultation.models import Meeting, Resolution, ResolutionStatus

    assert Meeting.objects.values("community").distinct().count() >= 6
    assert set(Meeting.objects.values_list("level", flat=True)) == {"community", "grid", "building"}
    assert set(Resolution.objects.values_list("status", flat=True)) == set(ResolutionStatus.values)
    executed = Resolution.objects.filter(status=ResolutionStatus.EXECUTED)
    assert executed.filter(carried_by_project__isnull=False).exists()
    assert executed.filter(carried_by_upkeep__isnull=False).exists()
    assert executed.filter(carried_by_adoption__isnull=False).exists()


def test_the_demo_has_the_safety_loop(demo):
    from safety.figures import safety_figures
    from safety.models import Ambassador, Evaluation, Intervention, Risk, SafetyRound

    assert set(Risk.objects.values_list("category", flat=True)) == {
        "fire", "electrical", "falling", "structure", "elevator", "flooding", "traffic", "public_order"}
    assert set(Risk.objects.values_list("severity", flat=True)) == {"high", "medium", "low"}
    assert Risk.objects.values("community").distinct().count() >= 3
    assert set(Intervention.objects.values_list("status", flat=True)) == {"planned", "done", "cancelled"}
    assert Intervention.objects.filter(status="planned", deadline__lt=timezone.now()).exists()  # overdue ones
    assert SafetyRound.objects.filter(done_at__isnull=False).exists()
    assert Ambassador.objects.filter(trainings__isnull=False).exists()
    signed = Evaluation.objects.filter(signed_off_at__isnull=False)
    assert signed.exists() and Evaluation.objects.filter(signed_off_at__isnull=True).exists()
    assert safety_figures()["risks_found"]["total"] == Risk.objects.count()


def test_the_demo_has_published_check_in_routes_and_spots(demo):
    from routes.models import CheckInSpot, Route
    from routes.queries import route_lines

    routes = list(Route.objects.filter(is_published=True))
    assert len(routes) == 2 and CheckInSpot.objects.filter(asset__kind="mural").count() >= 2
    lines = route_lines(route.pk for route in routes)
    assert all(lines[route.pk].stop_count >= 2 and lines[route.pk].length_m > 0 for route in routes)
