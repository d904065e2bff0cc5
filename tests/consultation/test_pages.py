"""The staff pages (record a meeting, status forms, overdue queue, CSV) and the public register."""

import datetime

import pytest
from django.urls import reverse

from consultation import operations
from consultation.models import Meeting, Resolution, ResolutionStatus
from consultation.operations import ResolutionInput
from tests.consultation.conftest import make_meeting
from tests.factories import GreenPlotFactory
from upkeep.models import UpkeepLog

pytestmark = pytest.mark.django_db


def meeting_post(community, **changes):
    data = {"level": "building", "community": community.pk, "building_address": "多宝路12号",
            "venue_kind": "living_room", "date": "2026-05-12", "convener_role": "building_leader",
            "topic": "楼道改造", "participants": "40", "households_present": "30", "is_published": "on",
            "r1_text": "加装扶手", "r1_for": "37", "r1_against": "2", "r1_abstain": "1", "r1_adopted": "on",
            "r2_text": "粉刷墙面", "r2_for": "30", "r2_against": "5", "r2_adopted": "on", "r2_due": "2026-06-30"}
    data.update(changes)
    return data


def test_record_a_meeting_on_the_staff_form(client, grid_worker, district):
    client.force_login(grid_worker)
    assert client.get(reverse("staff-consultation-create")).status_code == 200
    response = client.post(reverse("staff-consultation-create"), meeting_post(district["W1"]))
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response.url == reverse("staff-consultation-meeting", args=[meeting.pk])
    assert meeting.resolutions.count() == 2 and meeting.created_by == grid_worker


def test_bad_meeting_form_writes_nothing_and_says_why(client, west_staff, district):
    client.force_login(west_staff)
    response = client.post(reverse("staff-consultation-create"), meeting_post(district["W1"], r1_for="45"),
                           HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400 and "多于参会人数" in response.content.decode()
    response = client.post(reverse("staff-consultation-create"), meeting_post(district["E1"]))
    assert response.status_code == 400  # another street's community is not offered
    assert not Meeting.objects.exists()


def test_status_forms_overdue_queue_and_csv(client, west_staff, district):
    meeting = make_meeting(west_staff, district["W1"], resolutions=[
        ResolutionInput(text="逾期的决议", votes_for=5, due_date=datetime.date(2026, 5, 20)),
        ResolutionInput(text="另一决议", votes_for=5)])
    late, other = meeting.resolutions.order_by("id")
    client.force_login(west_staff)
    page = client.get(reverse("staff-consultation"), {"street": "W"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "逾期的决议" in page and "days overdue" in page
    action = reverse("staff-consultation-action", args=[other.pk, "execute"])
    bad = client.post(action, {f"execute-{other.pk}-executed_on": "2026-01-01"})
    assert bad.status_code == 400 and Resolution.objects.get(pk=other.pk).status == ResolutionStatus.ADOPTED
    log = UpkeepLog.objects.create(asset=GreenPlotFactory(), action="watering", staff=west_staff,
                                   performed_at=datetime.datetime(2026, 6, 1, tzinfo=datetime.timezone.utc))
    ok = client.post(action, {f"execute-{other.pk}-executed_on": "2026-06-01", f"execute-{other.pk}-upkeep_log": log.pk})
    assert ok.status_code == 302 and Resolution.objects.get(pk=other.pk).carried_by_upkeep == log
    reason = client.post(reverse("staff-consultation-action", args=[late.pk, "not_feasible"]),
                         {f"not_feasible-{late.pk}-reason": ""})
    assert reason.status_code == 400
    csv = client.get(reverse("staff-consultation-csv")).content.decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("external_id,community,level,meeting_date")
    assert "另一决议" in csv and "executed" in csv


def test_public_register_shows_status_evidence_and_rate_without_names(client, west_staff, district):
    meeting = make_meeting(west_staff, district["W1"], resolutions=[
        ResolutionInput(text="建设花园", votes_for=37, votes_against=2, responsible="居委会"),
        ResolutionInput(text="增设座椅", votes_for=30)])
    first = meeting.resolutions.order_by("id").first()
    operations.execute_resolution(actor=west_staff, resolution=first, executed_on=datetime.date(2026, 6, 1))
    make_meeting(west_staff, district["W1"], topic="内部讨论", is_published=False)
    page = client.get(reverse("consultation-register", args=["W1"]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "建设花园" in page
    assert "37 for, 2 against" in page
    assert "33.33%" in page  # the rate counts every resolution, the unpublished meeting's too
    assert "内部讨论" not in page and "west" not in page
    index = client.get(reverse("consultation-register-index"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert reverse("consultation-register", args=["W1"]) in index
    assert client.get(reverse("consultation-register", args=["NOPE"])).status_code == 404



def test_asset_and_project_pages_show_the_resolutions_concerning_them(client, west_staff, district):
    from tests.consultation.conftest import MEETING_DATE
    from tests.projects.conftest import make_project

    plot, project = GreenPlotFactory(), make_project(west_staff)
    make_meeting(west_staff, district["W1"], assets=[plot], projects=[project], resolutions=[
        ResolutionInput(text="改造口袋花园", votes_for=37, votes_against=2)])
    for url in (reverse("asset-detail", args=[plot.pk]), reverse("project-detail", args=[project.pk])):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "改造口袋花园" in page, url
        assert f"decided at the building meeting of {MEETING_DATE.isoformat()}: 37 for, 2 against" in page, url


def test_statistics_page_has_the_execution_rate_chart_and_table(client, west_staff, district):
    meeting = make_meeting(west_staff, district["W1"], resolutions=[
        ResolutionInput(text="甲", votes_for=3), ResolutionInput(text="乙", votes_for=3)])
    operations.execute_resolution(actor=west_staff, resolution=meeting.resolutions.order_by("id").first(),
                                  executed_on=datetime.date(2026, 6, 1))
    client.force_login(west_staff)
    for query, area in (({}, "W街道"), ({"street": "W"}, "W一社区")):
        page = client.get(reverse("staff-statistics"), query, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        section = page[page.index('class="statistics-consultation"'):]
        assert "<svg" in section and "50.0%" in section and "50.00%" in section and area in section, query
