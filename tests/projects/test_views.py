"""The public project pages, the staff pages and the asset page's projects."""

import datetime

import pytest
from django.urls import reverse

from projects import operations
from projects.models import FundingLine, FundingSource, Milestone, PhotoStage, Project, ProjectKind
from projects.operations import TaggedPhoto
from projects.phases import Phase
from tests.factories import AdopterFactory, GardenFactory
from tests.projects.conftest import CREDIT_CODE, make_project, png_upload

DAY = datetime.date(2026, 4, 1)


def prefixed(action: str, data: dict) -> dict:
    """A staff project page's form data: each form's fields carry its action as prefix."""
    return {f"{action}-{name}": value for name, value in data.items()}


@pytest.fixture
def running_project(west_staff, west_project):
    operations.change_phase(actor=west_staff, project=west_project, phase=Phase.CONSTRUCTION, date=DAY)
    operations.add_funding(actor=west_staff, project=west_project, source=FundingSource.ENTERPRISE,
                           sponsor=AdopterFactory(display_name="荔湾花木有限公司", mobile="13912345678"),
                           amount_planned="50000", amount_received="20000")
    operations.add_contractor(actor=west_staff, project=west_project, role="construction", name="西关建设有限公司",
                              credit_code=CREDIT_CODE)
    operations.add_milestone(actor=west_staff, project=west_project, date=DAY, text="开工前",
                             photos=[TaggedPhoto(png_upload("b.png", (90, 90, 90)), PhotoStage.BEFORE)])
    operations.add_milestone(actor=west_staff, project=west_project, date=DAY, text="完工", progress=95,
                             photos=[TaggedPhoto(png_upload("a.png", (10, 200, 10)), PhotoStage.AFTER)])
    return west_project


def test_the_public_page_shows_phase_progress_funding_contractors_and_before_after(client, running_project):
    response = client.get(reverse("project-detail", args=[running_project.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-phase="construction"' in html and "施工" in html
    assert 'value="95.0"' in html                       # the milestone's progress
    assert "荔湾花木有限公司" in html and "13912345678" not in html and "139****5678" not in html
    assert "西关建设有限公司" in html and CREDIT_CODE not in html
    pair = html[html.index('class="before-after-pair"'):]
    assert pair.index("before-after-before") < pair.index("before-after-after")
    assert html.count("<img") == 2


def test_the_page_in_english(client, running_project):
    html = client.get(reverse("project-detail", args=[running_project.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "construction" in html and "Before and after" in html and "Funding" in html


def test_the_list_filters_by_street_kind_phase_and_search(client, west_staff, east_staff, running_project,
                                                          east_project):
    url = reverse("project-list")
    names = lambda response: [p.name_zh for p in response.context["page"].object_list]  # noqa: E731
    assert sorted(names(client.get(url))) == sorted([running_project.name_zh, east_project.name_zh])
    assert names(client.get(url, {"street": "E"})) == [east_project.name_zh]
    assert names(client.get(url, {"kind": ProjectKind.MURAL})) == [east_project.name_zh]
    assert names(client.get(url, {"phase": Phase.CONSTRUCTION})) == [running_project.name_zh]
    assert names(client.get(url, {"q": "墙绘"})) == [east_project.name_zh]
    assert names(client.get(url, {"kind": "nonsense", "q": "逢源"})) == [running_project.name_zh]
    row = client.get(url, {"street": "W"}).context["page"].object_list[0]
    assert (row.funding_planned, row.funding_received) == (50000, 20000)


def test_internal_projects_are_hidden_from_the_public_and_other_streets(client, west_staff, east_staff):
    internal = make_project(west_staff, name="内部项目", is_public=False)
    assert client.get(reverse("project-detail", args=[internal.pk])).status_code == 404
    client.force_login(east_staff)
    assert client.get(reverse("project-detail", args=[internal.pk])).status_code == 404
    client.force_login(west_staff)
    assert client.get(reverse("project-detail", args=[internal.pk])).status_code == 200


def test_the_list_runs_a_bounded_number_of_queries(client, west_staff, django_assert_max_num_queries):
    parent = make_project(west_staff, name="更新计划")
    for number in range(12):
        child = make_project(west_staff, name=f"子项目{number}", parent=parent)
        operations.add_funding(actor=west_staff, project=child, source="street_budget", amount_planned="10")
    with django_assert_max_num_queries(6):
        response = client.get(reverse("project-list"))
    assert len(response.context["page"].object_list) == 13


def test_the_asset_page_lists_its_projects_and_before_after(client, west_staff, running_project):
    garden = GardenFactory(name_zh="逢源花园")
    operations.link_asset(actor=west_staff, project=running_project, asset=garden, role="creates")
    html = client.get(reverse("asset-detail", args=[garden.pk])).content.decode()
    assert running_project.name_zh in html and "before-after-pair" in html
    project_html = client.get(reverse("project-detail", args=[running_project.pk])).content.decode()
    assert "逢源花园" in project_html


# Staff pages ---------------------------------------------------------------------------------------

def test_staff_creates_a_project_in_their_street_and_runs_it(client, west_staff):
    client.force_login(west_staff)
    response = client.post(reverse("staff-project-create"), {
        "name_zh": "西关花园", "kind": "garden", "lon": "113.236", "lat": "23.123", "weight": "1",
        "is_public": "on", "planned_start": "2026-03-01", "planned_end": "2026-09-30"})
    project = Project.objects.get(name_zh="西关花园")
    assert response.status_code == 302 and project.street.code == "W"
    def post(name, data, **kwargs):
        return client.post(reverse("staff-project-action", args=[project.pk, name]), prefixed(name, data), **kwargs)

    assert post("phase", {"phase": "construction", "date": "2026-04-01"}).status_code == 302
    response = post("milestone", {"date": "2026-04-02", "text": "拆除旧围栏", "photos_before": [png_upload("before.png")]})
    assert response.status_code == 302
    response = post("funding", {"source": "street_budget", "amount_planned": "1000", "amount_received": "1200"},
                    follow=True)
    assert "到位资金多于计划" in response.content.decode()  # a warning (in Chinese, the default), saved all the same
    project.refresh_from_db()
    assert project.phase == Phase.CONSTRUCTION and Milestone.objects.get().photos.get().stage == "before"


@pytest.mark.parametrize("action, data, message", [
    ("phase", {"phase": "proposal", "date": "2026-04-01"}, "needs a reason"),
    ("funding", {"source": "street_budget", "amount_planned": "-5"}, "cannot be negative"),
    ("funding", {"source": "street_budget", "amount_planned": "abc"}, "amount in yuan"),
    ("contractor", {"role": "design", "name": "设计院", "credit_code": "9144030071526726XA"}, "check"),
    ("contractor", {"role": "design", "name": "设计院", "contract_start": "2026-05-01",
                    "contract_end": "2026-04-01"}, "before the start"),
])
def test_bad_input_on_the_staff_page_gets_a_message_and_writes_nothing(client, west_staff, west_project, action,
                                                                      data, message):
    operations.change_phase(actor=west_staff, project=west_project, phase=Phase.DESIGN)
    client.force_login(west_staff)
    response = client.post(reverse("staff-project-action", args=[west_project.pk, action]), prefixed(action, data),
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and message in response.content.decode()
    assert not FundingLine.objects.exists() and not west_project.contractors.exists()
    assert Project.objects.get(pk=west_project.pk).phase == Phase.DESIGN


def test_bad_input_on_the_create_page_in_chinese(client, west_staff):
    client.force_login(west_staff)
    response = client.post(reverse("staff-project-create"), {
        "name_zh": "跨界", "kind": "garden", "lon": "113.236", "lat": "23.123", "weight": "1",
        "planned_start": "2026-05-01", "planned_end": "2026-04-01"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400 and "结束日期不能早于开始日期" in response.content.decode()
    response = client.post(reverse("staff-project-create"), {
        "name_zh": "跨界", "kind": "garden", "lon": "113.245", "lat": "23.127", "weight": "1"})
    assert response.status_code == 403 and "您只能在本街道创建项目" in response.content.decode()
    assert not Project.objects.exists()


def test_another_streets_project_in_a_staff_url_is_not_found(client, west_staff, east_project):
    client.force_login(west_staff)
    assert client.get(reverse("staff-project", args=[east_project.pk])).status_code == 404
    response = client.post(reverse("staff-project-action", args=[east_project.pk, "phase"]),
                           prefixed("phase", {"phase": "design", "date": "2026-04-01"}))
    assert response.status_code == 404
    assert Project.objects.get(pk=east_project.pk).phase == Phase.PROPOSAL


def test_grid_workers_and_residents_have_no_staff_project_pages(client, grid_worker):
    client.force_login(grid_worker)
    assert client.get(reverse("staff-projects")).status_code == 403


def test_the_admin_lists_only_the_staff_members_street(client, west_staff, west_project, east_project):
    west_staff.is_staff = True
    west_staff.save()
    client.force_login(west_staff)
    response = client.get("/admin/projects/project/")
    assert response.status_code == 200
    assert west_project.name_zh in response.content.decode() and east_project.name_zh not in response.content.decode()
    assert client.get(f"/admin/projects/project/{east_project.pk}/change/").status_code in (302, 403, 404)


def test_staff_create_the_asset_a_finished_project_made(client, west_staff):
    project = make_project(west_staff, name="西关口袋花园", polygon=True)
    client.force_login(west_staff)
    assert "创建项目建成的资产" in client.get(reverse("staff-project", args=[project.pk])).content.decode()
    response = client.post(reverse("staff-project-action", args=[project.pk, "create_asset"]))
    assert response.status_code == 302 and project.asset_links.get().asset.name_zh == "西关口袋花园"
    assert "创建项目建成的资产" not in client.get(reverse("staff-project", args=[project.pk])).content.decode()
