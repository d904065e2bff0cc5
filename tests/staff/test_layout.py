"""Issue 13, items 17 and 18: every staff page — the workbench's and those the problems, adoption and
import apps serve under /staff/ — is in the staff layout with the whole staff navigation, and the
workbench is linked once (the navigation), not twice (header and navigation)."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import get_resolver, reverse
from django.utils import timezone

from consultation.operations import ResolutionInput, record_meeting
from dataio.models import Job
from problems.operations import report_problem
from projects.operations import create_project
from routes.operations import StopInput, save_route
from tests.factories import (AdopterFactory, AdoptionFactory, ElevatorFactory, GreenPlotFactory, MuralFactory,
                             make_district_admin)
from upkeep.models import UpkeepAction, UpkeepLog

#: Staff URL names that are not pages: form posts, downloads.
NOT_PAGES = {"staff-problem-reveal", "staff-problem-action", "staff-adoption-approve", "staff-adoption-reject",
             "staff-adoption-reveal-mobile", "staff-statistics-csv", "staff-manifest", "staff-elevators-csv",
             "staff-problem-public-text", "staff-project-action",
             "staff-service-worker", "staff-offline-assets", "staff-offline-csrf", "staff-offline-upkeep",
             "staff-consultation-action", "staff-consultation-csv",
             # The safety app's posts, downloads, map layer, photos, and the printable certificate (an A4 sheet).
             "staff-safety-layer", "staff-safety-csv", "staff-safety-risk-action", "staff-safety-close",
             "staff-safety-answer-risk", "staff-safety-photo", "staff-safety-training", "staff-safety-certificate",
             "staff-safety-publication",
             "staff-job-status", "staff-job-cancel", "staff-job-confirm", "staff-job-file",
             "staff-route-stop-candidates", "staff-check-in-spot"}


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
    meeting = record_meeting(actor=admin_user, community=plot.community, level="community", date=timezone.localdate(),
                             topic="布局测试议题", resolutions=[ResolutionInput(text="布局测试决议")])
    safety = safety_rows(admin_user, plot, report)
    route = save_route(actor=admin_user, values={"name_zh": "布局测试路线"},
                       stops=[StopInput(plot.pk), StopInput(MuralFactory(name_zh="布局测试壁画").pk)]).route
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
        "staff-offline": reverse("staff-offline"),
        "elevators-record-stage": reverse("elevators-record-stage", args=[retrofit.pk]),
        "staff-consultation": reverse("staff-consultation"),
        "staff-consultation-create": reverse("staff-consultation-create"),
        "staff-consultation-meeting": reverse("staff-consultation-meeting", args=[meeting.pk]),
        "staff-import-resolutions": reverse("staff-import-resolutions"),
        "staff-routes": reverse("staff-routes"),
        "staff-route-create": reverse("staff-route-create"),
        "staff-route-edit": reverse("staff-route-edit", args=[route.pk]),
        **{name: reverse(name, args=args) for name, args in safety.items()},
        "staff-job": reverse("staff-job", args=[Job.objects.create(task="dataio.import_assets", actor=admin_user).pk]),
    }


def safety_rows(admin_user, plot, report) -> dict:
    """The safety pages' URL names and arguments, with a risk, a round, an ambassador, an evaluation."""
    from safety import operations as safety

    risk = safety.raise_risk(actor=admin_user, location=plot.location, category="fire", severity="high",
                             description="楼道堆物")
    checklist = safety.create_checklist(actor=admin_user, name_zh="消防", items=["灭火器在位"])
    safety_round = safety.schedule_round(actor=admin_user, community=plot.community, checklist=checklist,
                                         due_on=timezone.localdate())
    person = safety.add_ambassador(actor=admin_user, name="陈阿姨", community=plot.community)
    evaluation = safety.open_evaluation(actor=admin_user, community=plot.community)
    return {"staff-safety": [], "staff-safety-risk-new": [], "staff-safety-risk": [risk.pk],
            "staff-safety-from-problem": [report.pk], "staff-safety-rounds": [],
            "staff-safety-round": [safety_round.pk], "staff-safety-overdue": [], "staff-safety-ambassadors": [],
            "staff-safety-ambassador": [person.pk], "staff-safety-evaluations": [],
            "staff-safety-evaluation": [evaluation.pk], "staff-safety-evaluation-report": [evaluation.pk]}


def test_every_staff_url_name_is_checked_here(staff_pages):
    names = {name for name in get_resolver().reverse_dict if isinstance(name, str) and name.startswith("staff-")}
    assert names - NOT_PAGES - set(staff_pages) == set()


def test_every_staff_page_has_the_staff_layout_and_its_whole_navigation(client, admin_user, staff_pages):
    client.force_login(admin_user)
    nav_urls = [reverse(name) for name in ("staff-home", "staff-overdue", "staff-offline", "staff-statistics",
                                           "staff-problems", "staff-adoption-queue", "staff-projects",
                                           "staff-import-projects", "staff-import", "staff-elevators",
                                           "staff-consultation", "staff-import-resolutions", "staff-routes",
                                           "staff-safety")]
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
