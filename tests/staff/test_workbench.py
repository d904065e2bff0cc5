"""The staff workbench: near me, search, an asset's page, logging upkeep with photos and position,
resolving a problem with it, correcting one's own log — and every bad input refused with nothing written."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from problems.models import ProblemReport, ProblemStatus
from registry.audit import AuditEntry
from registry.photos import Photo
from registry.staffing import Role
from tests.factories import (
    AdopterFactory,
    GardenFactory,
    GreenPlotFactory,
    MuralFactory,
    UserFactory,
    make_staff,
    square,
)
from upkeep.models import UpkeepLog


def jpeg(name="photo.jpg", size=(64, 48)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (40, 120, 60)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def west_staff(district):
    return make_staff(Role.STREET_STAFF, streets=[district["W"]], username="west")


@pytest.fixture
def garden(district):
    return GardenFactory(name_zh="荔枝湾花园", geometry=square(113.236, 23.122))  # street W


@pytest.fixture
def signed_in(client, west_staff):
    client.force_login(west_staff)
    return client


def now_local(**delta):
    return (timezone.localtime() + datetime.timedelta(**delta)).strftime("%Y-%m-%dT%H:%M")


def log_data(**changes):
    data = {"action": "watering", "performed_at": now_local(minutes=-10), "participants": "2",
            "duration_minutes": "20", "notes": "浇透", "lat": "23.12215", "lon": "113.23605"}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_anonymous_visitors_sign_in_and_adopters_are_refused(client, district):
    response = client.get(reverse("staff-home"))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/?next=/staff/")
    adopter = AdopterFactory(user=UserFactory()).user
    client.force_login(adopter)
    assert client.get(reverse("staff-home")).status_code == 403


def test_near_me_lists_the_nearest_assets_i_work_on_with_their_distance(signed_in, district, garden):
    farther = GreenPlotFactory(name_zh="远处绿地", geometry=square(113.232, 23.128))
    MuralFactory(name_zh="隔壁街墙绘", geometry=square(113.2405, 23.1221).centroid)  # nearer, but street E
    response = signed_in.get(reverse("staff-home"), {"lat": "23.1221", "lon": "113.2395"})
    assert response.status_code == 200
    results = response.context["results"]
    assert [asset.name_zh for asset in results] == ["荔枝湾花园", "远处绿地"]
    assert 300 < results[0].distance_m < 400  # ~0.0035° of longitude at 23° N
    assert results[0].overdue_rounds == 0 and farther.pk
    page = response.content.decode()
    assert "隔壁街墙绘" not in page and 'id="staff-markers"' in page
    assert 'capture' not in page  # the camera belongs to the log form


def test_search_finds_only_assets_i_work_on(signed_in, district, garden):
    MuralFactory(name_zh="荔枝湾墙绘")  # street E
    response = signed_in.get(reverse("staff-home"), {"q": "荔枝湾"})
    assert [asset.name_zh for asset in response.context["results"]] == ["荔枝湾花园"]


@pytest.mark.parametrize("query", [{"lat": "abc", "lon": "113.2"}, {"lat": "95", "lon": "113.2"},
                                   {"lat": "23.1"}, {"q": "x" * 101}, {"q": "a\x00b"}])
def test_bad_search_input_is_a_400_with_a_message(signed_in, district, query):
    response = signed_in.get(reverse("staff-home"), query)
    assert response.status_code == 400
    assert response.context["form"].errors


def test_another_streets_asset_is_not_found_anywhere_on_the_workbench(signed_in, district):
    east = MuralFactory()
    for name in ("staff-asset", "staff-log-upkeep"):
        assert signed_in.get(reverse(name, args=[east.pk])).status_code == 404
    response = signed_in.post(reverse("staff-log-upkeep", args=[east.pk]), log_data(action="inspection"))
    assert response.status_code == 404
    assert not UpkeepLog.objects.exists() and not AuditEntry.objects.exists()


def test_logging_watering_with_before_and_after_photos_and_the_phones_position(signed_in, west_staff, garden):
    signed_in.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # messages compared in English
    page = signed_in.get(reverse("staff-log-upkeep", args=[garden.pk]), {"action": "watering"})
    html = page.content.decode()
    assert page.status_code == 200 and 'capture="environment"' in html and 'accept="image/jpeg,image/png,image/webp"' in html
    assert page.context["form"]["action"].value() == "watering"

    response = signed_in.post(reverse("staff-log-upkeep", args=[garden.pk]),
                              log_data(photos_before=[jpeg("before.jpg")], photos=[jpeg("a1.jpg"), jpeg("a2.jpg")]))
    assert response.status_code == 302 and response.url == reverse("staff-asset", args=[garden.pk])
    log = UpkeepLog.objects.get()
    assert (log.action, log.participants, log.duration_minutes, log.notes) == ("watering", 2, 20, "浇透")
    assert (round(log.position.y, 5), round(log.position.x, 5)) == (23.12215, 113.23605)
    assert log.staff == west_staff and log.adopter is None
    photos = Photo.objects.filter(upkeep_log=log)
    assert photos.count() == 3 and sorted(p.caption for p in photos) == ["", "", "Before the work"]
    assert "Upkeep logged" in signed_in.get(response.url).content.decode()


def test_a_log_dated_in_the_future_is_a_form_error_and_nothing_is_written(signed_in, garden, media):
    signed_in.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # messages compared in English
    response = signed_in.post(reverse("staff-log-upkeep", args=[garden.pk]),
                              log_data(performed_at=now_local(hours=3), photos=[jpeg()]))
    assert response.status_code == 400
    assert response.context["form"].errors["performed_at"] == ["Care work cannot be logged in the future."]
    assert not UpkeepLog.objects.exists() and not Photo.objects.exists()
    assert not [path for path in media.rglob("*") if path.is_file()]


@pytest.mark.parametrize("changes, field", [
    ({"action": "dancing"}, "action"),
    ({"participants": "0"}, "participants"),
    ({"duration_minutes": "-5"}, "duration_minutes"),
    ({"performed_at": "yesterday"}, "performed_at"),
    ({"performed_at": now_local(days=-400)}, "performed_at"),
    ({"lat": "91"}, "lat"),
    ({"lon": None}, "__all__"),
    ({"notes": "长" * 2001}, "notes"),
])
def test_bad_log_input_is_refused_with_a_message(signed_in, garden, changes, field):
    response = signed_in.post(reverse("staff-log-upkeep", args=[garden.pk]), log_data(**changes))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not UpkeepLog.objects.exists()


@pytest.mark.parametrize("upload", [
    SimpleUploadedFile("evil.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg"),
    SimpleUploadedFile("empty.jpg", b"", content_type="image/jpeg"),
    SimpleUploadedFile("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', content_type="image/svg+xml"),
])
def test_a_photo_that_is_not_a_photo_refuses_the_whole_log(signed_in, garden, media, upload):
    response = signed_in.post(reverse("staff-log-upkeep", args=[garden.pk]), log_data(photos=[jpeg(), upload]))
    assert response.status_code == 400
    assert response.context["form"].errors["photos"]
    assert not UpkeepLog.objects.exists() and not Photo.objects.exists()
    assert not [path for path in media.rglob("*") if path.is_file()]


def test_too_many_photos_are_refused(signed_in, garden):
    response = signed_in.post(reverse("staff-log-upkeep", args=[garden.pk]),
                              log_data(photos=[jpeg(f"{n}.jpg") for n in range(7)]))
    assert response.status_code == 400 and "photos" in response.context["form"].errors


def open_report(asset, category="damaged_plants"):
    return ProblemReport.objects.create(asset=asset, category=category, description="花被踩坏了")


def test_the_log_can_resolve_the_assets_open_problems_with_a_public_reply(signed_in, garden):
    report = open_report(garden)
    page = signed_in.get(reverse("staff-log-upkeep", args=[garden.pk]))
    assert page.context["form"].problems == [report] and "花被踩坏了" not in page.content.decode()
    response = signed_in.post(reverse("staff-log-upkeep", args=[garden.pk]),
                              log_data(action="replanting", resolves=[str(report.pk)], reply="已补种。"))
    assert response.status_code == 302
    report.refresh_from_db()
    log = UpkeepLog.objects.get()
    assert report.status == ProblemStatus.RESOLVED and report.resolved_by_log == log and report.staff_reply == "已补种。"


def test_resolving_needs_a_reply_and_only_this_assets_reports(signed_in, garden):
    report = open_report(garden)
    other = open_report(GreenPlotFactory())
    no_reply = signed_in.post(reverse("staff-log-upkeep", args=[garden.pk]), log_data(resolves=[str(report.pk)]))
    assert no_reply.status_code == 400 and "reply" in no_reply.context["form"].errors
    tampered = signed_in.post(reverse("staff-log-upkeep", args=[garden.pk]),
                              log_data(resolves=[str(other.pk)], reply="x"))
    assert tampered.status_code == 400 and "resolves" in tampered.context["form"].errors
    assert not UpkeepLog.objects.exists()
    assert set(ProblemReport.objects.values_list("status", flat=True)) == {ProblemStatus.OPEN}


def test_a_report_closed_meanwhile_undoes_the_log(signed_in, garden):
    signed_in.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # messages compared in English
    report = open_report(garden)
    page_form_choices = signed_in.get(reverse("staff-log-upkeep", args=[garden.pk]))
    assert page_form_choices.status_code == 200
    ProblemReport.objects.filter(pk=report.pk).update(status=ProblemStatus.CLOSED, resolved_at=timezone.now())
    response = signed_in.post(reverse("staff-log-upkeep", args=[garden.pk]),
                              log_data(resolves=[str(report.pk)], reply="已处理"))
    assert response.status_code == 400  # no longer offered: an invalid choice
    assert response.context["form"].errors["resolves"] == ["This problem is no longer open on this asset."]
    assert not UpkeepLog.objects.exists()


def test_a_report_closed_between_the_form_and_the_save_rolls_the_log_back(west_staff, garden):
    from django.core.exceptions import ValidationError

    from problems.operations import log_work

    report = open_report(garden)
    ProblemReport.objects.filter(pk=report.pk).update(status=ProblemStatus.CLOSED, resolved_at=timezone.now())
    with pytest.raises(ValidationError):
        log_work(actor=west_staff, asset=garden, action="replanting", resolves=[report], reply="已补种")
    assert not UpkeepLog.objects.exists()
    assert not AuditEntry.objects.filter(action="upkeep.log").exists()


def test_grid_workers_log_but_are_not_offered_problem_resolution(client, district, garden):
    open_report(garden)
    worker = make_staff(Role.GRID_WORKER, grids=[district["W1S"]])
    client.force_login(worker)
    page = client.get(reverse("staff-log-upkeep", args=[garden.pk]))
    assert page.status_code == 200 and page.context["form"].problems == []
    assert client.post(reverse("staff-log-upkeep", args=[garden.pk]), log_data()).status_code == 302
    assert UpkeepLog.objects.get().staff == worker


def test_staff_correct_their_own_log_within_24_hours(signed_in, west_staff, garden):
    signed_in.post(reverse("staff-log-upkeep", args=[garden.pk]), log_data())
    log = UpkeepLog.objects.get()
    asset_page = signed_in.get(reverse("staff-asset", args=[garden.pk]))
    assert reverse("staff-correct-upkeep", args=[log.pk]) in asset_page.content.decode()
    form_page = signed_in.get(reverse("staff-correct-upkeep", args=[log.pk]))
    assert form_page.status_code == 200 and form_page.context["form"]["notes"].value() == "浇透"
    response = signed_in.post(reverse("staff-correct-upkeep", args=[log.pk]), {
        "action": "weeding", "performed_at": now_local(minutes=-30), "participants": "3", "notes": "其实是除草",
        "photos": [jpeg()]})
    assert response.status_code == 302
    log.refresh_from_db()
    assert (log.action, log.participants, log.notes) == ("weeding", 3, "其实是除草")
    assert log.photos.count() == 1
    assert AuditEntry.objects.get(action="upkeep.correct").changes["action"] == ["watering", "weeding"]


def test_the_asset_page_reads_the_same_number_of_rows_for_2_or_10_own_logs(signed_in, west_staff, garden,
                                                                          django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from upkeep.operations import log_upkeep

    def logs(count):
        for _ in range(count):
            log_upkeep(actor=west_staff, asset=garden, action="watering", performed_at=timezone.now())

    logs(2)
    page = reverse("staff-asset", args=[garden.pk])
    signed_in.get(page)  # the session and the staff scope are read like on any page
    with CaptureQueriesContext(connection) as two:
        assert sum(log.correctable for log in signed_in.get(page).context["logs"]) == 2
    logs(8)
    with django_assert_num_queries(len(two)):
        assert sum(log.correctable for log in signed_in.get(page).context["logs"]) == 10


def test_a_correction_into_the_future_is_a_form_error(signed_in, garden):
    signed_in.post(reverse("staff-log-upkeep", args=[garden.pk]), log_data())
    log = UpkeepLog.objects.get()
    response = signed_in.post(reverse("staff-correct-upkeep", args=[log.pk]), {
        "action": "watering", "performed_at": now_local(days=1), "participants": "1"})
    assert response.status_code == 400 and "performed_at" in response.context["form"].errors
    assert not AuditEntry.objects.filter(action="upkeep.correct").exists()


def test_after_24_hours_or_for_someone_elses_log_there_is_no_correction(client, signed_in, district, garden):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # messages compared in English
    signed_in.post(reverse("staff-log-upkeep", args=[garden.pk]), log_data())
    log = UpkeepLog.objects.get()
    UpkeepLog.objects.filter(pk=log.pk).update(created_at=timezone.now() - datetime.timedelta(hours=25))
    late = signed_in.post(reverse("staff-correct-upkeep", args=[log.pk]), {
        "action": "weeding", "performed_at": now_local(minutes=-30), "participants": "1"})
    assert late.status_code == 403 and "24 hours" in late.content.decode()
    assert "staff-correct-upkeep" not in signed_in.get(reverse("staff-asset", args=[garden.pk])).content.decode()
    colleague = make_staff(Role.STREET_STAFF, streets=[district["W"]])
    client.force_login(colleague)
    assert client.get(reverse("staff-correct-upkeep", args=[log.pk])).status_code == 404
    assert UpkeepLog.objects.get().action == "watering"


def test_the_public_asset_page_shows_the_street_office_not_the_worker(client, signed_in, west_staff, garden):
    west_staff.first_name, west_staff.last_name = "嘉欣", "陈"
    west_staff.save()
    signed_in.post(reverse("staff-log-upkeep", args=[garden.pk]), log_data(notes="私人备注"))
    client.logout()
    page = client.get(reverse("asset-detail", args=[garden.pk])).content.decode()
    assert "浇水" in page or "Watering" in page or "watering" in page
    assert "陈" not in page and "嘉欣" not in page and "west" not in page and "私人备注" not in page


def test_near_me_is_a_knn_query_the_location_index_can_answer(district, garden):
    from django.contrib.gis.geos import Point
    from django.db import connection

    from tests.factories import make_district_admin
    from upkeep.queries import nearest_assets

    captured = []

    def capture(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        assert nearest_assets(make_district_admin(), Point(113.236, 23.122, srid=4326))[0].pk == garden.pk
    sql, params = captured[-1]
    assert "<->" in sql
    with connection.cursor() as cursor:  # a tiny table: make the planner show it can use the GiST index
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_sort = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
        cursor.execute("RESET enable_sort")
    assert "Index Scan using registry_asset_location" in plan and "Order By: (location <->" in plan
