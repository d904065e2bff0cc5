"""Issue 13, items 17 and 18: every staff page — the workbench's and those the problems, adoption and
import apps serve under /staff/ — is in the staff layout with the whole staff navigation, and the
workbench is linked once (the navigation), not twice (header and navigation)."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import get_resolver, reverse
from django.utils import timezone

from dataio.models import Job
from problems.operations import report_problem
from projects.operations import create_project
from tests.factories import AdopterFactory, AdoptionFactory, ElevatorFactory, GreenPlotFactory, make_district_admin
from upkeep.models import UpkeepAction, UpkeepLog

#: Staff URL names that are not pages: form posts, downloads.
NOT_PAGES = {"staff-problem-reveal", "staff-problem-action", "staff-adoption-approve", "staff-adoption-reject",
             "staff-adoption-reveal-mobile", "staff-statistics-csv", "staff-manifest", "staff-elevators-csv",
             "staff-problem-public-text", "staff-project-action",
             "staff-job-status", "staff-job-cancel"}


@pytest.fixture
def admin_user(district):
    return make_district_admin("district")


@pytest.fixture
def staff_pages(district, admin_user):
    """URL name → URL of every staff page, with the rows they need."""
    plot = GreenPlotFactory(name_zh="布局测试绿地")
    report = report_problem(actor=AnonymousUser(), asset=plot, category="litter", description="有垃圾").report
    log = UpkeepLog.objects.create(asset=plot, action=UpkeepAction.CLEANING, staff=admin_user,
                                   performed_at=timezone.now())
    AdoptionFactory(asset=plot, adopter=AdopterFactory())
    retrofit = ElevatorFactory()
    project = create_project(actor=admin_user, name_zh="布局测试项目", kind="garden", site=plot.location)
    return {
        "staff-home": reverse("staff-home"),
        "staff-asset": reverse("staff-asset", args=[plot.pk]),
        "staff-log-upkeep": reverse("staff-log-upkeep", args=[plot.pk]),
        "staff-correct-upkeep": reverse("staff-correct-upkeep", args=[log.pk]),
        "staff-overdue": reverse("staff-overdue"),
        "staff-statistics": reverse("staff-statistics"),
        "asset-history": reverse("asset-history", args=[plot.pk]),
        "staff-problems": reverse("staff-problems"),
        "staff-problem-detail": reverse("staff-problem-detail", args=[report.pk]),
        "staff-adoption-queue": reverse("staff-adoption-queue"),
        "staff-import": reverse("staff-import"),
        "staff-elevators": reverse("staff-elevators"),
        "staff-projects": reverse("staff-projects"),
        "staff-project-create": reverse("staff-project-create"),
        "staff-project": reverse("staff-project", args=[project.pk]),
        "staff-import-projects": reverse("staff-import-projects"),
        "elevators-record-stage": reverse("elevators-record-stage", args=[retrofit.pk]),
        "staff-job": reverse("staff-job", args=[Job.objects.create(task="dataio.import_assets", actor=admin_user).pk]),
    }


def test_every_staff_url_name_is_checked_here(staff_pages):
    names = {name for name in get_resolver().reverse_dict if isinstance(name, str) and name.startswith("staff-")}
    assert names - NOT_PAGES - set(staff_pages) == set()


def test_every_staff_page_has_the_staff_layout_and_its_whole_navigation(client, admin_user, staff_pages):
    client.force_login(admin_user)
    nav_urls = [reverse(name) for name in ("staff-home", "staff-overdue", "staff-statistics", "staff-problems",
                                           "staff-adoption-queue", "staff-projects", "staff-import-projects",
                                           "staff-import", "staff-elevators")]
    for name, url in staff_pages.items():
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 200, name
        text = response.content.decode()
        assert 'class="staff-page"' in text and 'class="staff-content"' in text, name
        nav = re.search(r'<nav class="staff-nav".*?</nav>', text, re.S)
        assert nav, f"{name} has no staff navigation"
        assert re.findall(r'href="([^"]+)"', nav.group(0)) == nav_urls, name
        # 工作台 once: the staff navigation links it, the site header does not repeat it.
        assert text.count(f'href="{reverse("staff-home")}"') == 1, name
        header = re.search(r'<header class="site-header">.*?</header>', text, re.S).group(0)
        assert "工作台" not in header, name


def test_public_pages_keep_the_workbench_link_in_the_header(client, admin_user, staff_pages):
    client.force_login(admin_user)
    text = client.get(reverse("map"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'href="{reverse("staff-home")}"' in text and "staff-nav" not in text
