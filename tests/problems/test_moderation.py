"""Moderated resident text (issue 14): descriptions are masked for the public and whole for the
asset's staff; staff set what the public reads of a report, the resident's words kept."""

import pytest
from django.urls import reverse

from problems.models import ProblemReport
from registry.audit import AuditEntry
from tests.dataio.test_downloads import features
from tests.problems.test_views import file_report

pytestmark = pytest.mark.django_db

MOBILE_TEXT = "花坛坏了，请联系13812345678"


def test_an_asset_description_is_masked_for_the_public_and_whole_for_its_street_s_staff(client, plot, west_staff,
                                                                                      east_staff):
    plot.description = MOBILE_TEXT
    plot.save()
    page, api = reverse("asset-detail", args=[plot.pk]), f"/api/v1/assets/{plot.pk}/"
    assert "138****5678" in client.get(page).content.decode()
    assert "13812345678" not in client.get(page).content.decode()
    assert client.get(api).json()["properties"]["description"] == "花坛坏了，请联系138****5678"
    client.force_login(east_staff)  # another street's staff read what the public reads
    assert client.get(api).json()["properties"]["description"] == "花坛坏了，请联系138****5678"
    client.force_login(west_staff)
    assert "请联系13812345678" in client.get(page).content.decode()
    assert client.get(api).json()["properties"]["description"] == MOBILE_TEXT


def test_staff_set_the_public_text_of_a_report_and_the_original_is_kept(client, plot, west_staff):
    report = file_report(plot, description="张三家门口的花坛坏了，电话13812345678")
    client.force_login(west_staff)
    url = reverse("staff-problem-public-text", args=[report.pk])
    response = client.post(url, {"public_text": "花坛坏了（已核实），联系13812345678"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.description == "张三家门口的花坛坏了，电话13812345678"  # the resident's words, for staff
    assert report.public_description == "花坛坏了（已核实），联系13812345678"
    entry = AuditEntry.objects.get(action="problem.moderate")
    assert entry.actor == west_staff and entry.changes["public_description"][1] == report.public_description
    assert "张三" in client.get(reverse("staff-problem-detail", args=[report.pk])).content.decode()
    problems_api = client.get(f"/api/v1/problems/{report.pk}/").json()
    assert problems_api["public_description"].endswith("13812345678")  # its staff: as written

    client.logout()
    page = client.get(reverse("asset-detail", args=[plot.pk])).content.decode()
    assert "花坛坏了（已核实），联系138****5678" in page and "张三" not in page and "13812345678" not in page
    public_api = client.get(f"/api/v1/problems/{report.pk}/").json()
    assert public_api["public_description"] == "花坛坏了（已核实），联系138****5678"
    assert "description" not in public_api


def test_nothing_of_a_report_is_published_until_staff_write_it(client, plot):
    file_report(plot, description="张三家门口，电话13812345678")
    page = client.get(reverse("asset-detail", args=[plot.pk])).content.decode()
    assert "张三" not in page and "5678" not in page


def test_another_street_s_staff_cannot_moderate_and_too_long_text_writes_nothing(client, plot, west_staff,
                                                                                 east_staff):
    report = file_report(plot)
    url = reverse("staff-problem-public-text", args=[report.pk])
    client.force_login(east_staff)
    assert client.post(url, {"public_text": "改了"}).status_code == 404
    client.force_login(west_staff)
    response = client.post(url, {"public_text": "字" * 2001}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "2000 characters" in response.content.decode()
    assert ProblemReport.objects.get().public_description == ""
    assert not AuditEntry.objects.filter(action="problem.moderate").exists()


def test_public_downloads_and_ogc_features_mask_it_too(client, plot, west_staff):
    plot.description = MOBILE_TEXT
    plot.save()
    download = features(client.get("/export.geojson"))[0]["properties"]
    feature = client.get(f"/ogc/collections/green_plot/items/{plot.pk}").json()["properties"]
    assert download["description"] == feature["description"] == "花坛坏了，请联系138****5678"
    client.force_login(west_staff)
    assert features(client.get("/export.geojson"))[0]["properties"]["description"] == MOBILE_TEXT
