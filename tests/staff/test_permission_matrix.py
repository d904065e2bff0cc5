"""Every staff-facing URL × every role × own street / other street: allowed or denied.

The table is the test: one ``Case`` per URL (and method). A case names the URL pattern, builds
its arguments from the world for a side ("own": street W, where the grid worker's grid and the
street staff's street are; "other": street E) and says which roles may use it. Everything else
must be denied — a sign-in redirect, 401, 403 or 404 (or the admin's "not found" redirect) — and
a denied POST must write nothing. Adding a URL is one line.
"""

import datetime
from dataclasses import dataclass
from typing import Callable

import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse
from django.utils import timezone
from django.db.backends.postgresql.psycopg_any import DateRange

from adoption.models import AdoptionStatus
from consultation.operations import ResolutionInput, record_meeting
from dataio.models import Job
from problems.models import ProblemReport
from projects.operations import create_project
from registry.audit import AuditEntry
from registry.staffing import Role
from routes.operations import StopInput, save_route
from tests.factories import (
    AdopterFactory,
    AdoptionFactory,
    ElevatorFactory,
    GardenFactory,
    GreenPlotFactory,
    MuralFactory,
    UserFactory,
    make_staff,
)
from upkeep.models import UpkeepLog

ROLES = ("anonymous", "adopter", "grid_worker", "street_staff", "district_admin", "ambassador")
SIDES = ("own", "other")
STAFF = ("grid_worker", "street_staff", "district_admin")
OFFICE = ("street_staff", "district_admin")


def in_scope(*roles):
    """Allowed for ``roles`` on their own street, and for the district administrator everywhere."""
    return {(role, "own") for role in roles} | ({("district_admin", "other")} if "district_admin" in roles else set())


def anywhere(*roles):
    """A page with no object of a street in it: the side makes no difference."""
    return {(role, side) for role in roles for side in SIDES}


@dataclass(frozen=True)
class Case:
    label: str
    url: Callable  # (world, side) -> URL
    allowed: set
    method: str = "get"
    data: Callable | None = None  # (world, side) -> POST data
    #: An allowed GET answers with a redirect to another page of the same (e.g. the admin's overview).
    redirects: bool = False
    #: POST the data as JSON (the REST API).
    json: bool = False


def url(name, *keys, query=""):
    """``reverse(name)`` with the world's objects for the side (``keys`` name them) and a query string."""
    def build(world, side):
        return reverse(name, args=[world[side][key].pk for key in keys]) + (query.format(**world["codes"][side])
                                                                            if query else "")
    return named(name, build)


def named(name, build):
    """Mark a URL builder with the URL's name, so the coverage test can tell which URLs are in the table."""
    build.url_name = name
    return build


def admin_change(world, side):
    obj = world[side]["asset"]
    meta = type(obj)._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def log_post(world, side):
    return {"action": "inspection", "performed_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "participants": "1"}


def someone_elses_job():
    return Job.objects.create(task="dataio.import_assets", filename="别人的.geojson")


CASES = [
    # The staff workbench (staff app).
    Case("workbench", url("staff-home"), anywhere(*STAFF)),
    Case("workbench near me", named("staff-home", lambda w, s: reverse("staff-home") + "?lat=23.122&lon=113.235"),
         anywhere(*STAFF)),
    Case("staff asset page", url("staff-asset", "asset"), in_scope(*STAFF)),
    Case("log upkeep form", url("staff-log-upkeep", "asset"), in_scope(*STAFF)),
    Case("log upkeep", url("staff-log-upkeep", "asset"), in_scope(*STAFF), "post", log_post),
    Case("correct own upkeep", url("staff-correct-upkeep", "own_log"), in_scope(*STAFF)),
    Case("overdue work", url("staff-overdue", query="?street={street}"), in_scope(*STAFF)),
    Case("statistics", url("staff-statistics", query="?street={street}"), in_scope(*OFFICE)),
    Case("statistics, all my streets", url("staff-statistics"), anywhere(*OFFICE)),
    Case("statistics CSV", url("staff-statistics-csv", query="?street={street}"), in_scope(*OFFICE)),
    # The elevator retrofit programme (staff pages of the elevators app).
    Case("elevator programme", url("staff-elevators", query="?street={street}"), in_scope(*OFFICE)),
    Case("elevator programme, all my streets", url("staff-elevators"), anywhere(*OFFICE)),
    Case("elevator programme CSV", url("staff-elevators-csv", query="?street={street}"), in_scope(*OFFICE)),
    Case("retrofit stage form", url("elevators-record-stage", "retrofit"), in_scope(*OFFICE)),
    Case("record a retrofit stage", url("elevators-record-stage", "retrofit"), in_scope(*OFFICE), "post",
         lambda w, s: {"stage": "accepted", "happened_on": timezone.localdate().isoformat()}),
    # The installable app's manifest: browsers fetch it without the session cookie; it names nothing private.
    Case("staff app manifest", url("staff-manifest"), anywhere(*ROLES)),
    # The offline workbench (issue 20): the service worker's script names nothing private either.
    Case("staff service worker", url("staff-service-worker"), anywhere(*ROLES)),
    Case("offline workbench", url("staff-offline"), anywhere(*STAFF)),
    Case("offline: own assets", url("staff-offline-assets"), anywhere(*STAFF)),
    Case("offline: a CSRF token", url("staff-offline-csrf"), anywhere(*STAFF)),
    Case("offline: send an outbox entry", url("staff-offline-upkeep"), in_scope(*STAFF), "post",
         lambda w, s: {"asset": w[s]["asset"].pk, "action": "inspection", "submission_key": f"offline-{s}",
                       "performed_at": timezone.now().isoformat(), "recorded_at": timezone.now().isoformat()}),
    # Asset history (registry).
    Case("asset history", url("asset-history", "asset"), in_scope(*STAFF)),
    # Adoption decisions (adopters app).
    Case("adoption queue", url("staff-adoption-queue"), anywhere(*OFFICE)),
    Case("approve adoption", url("staff-adoption-approve", "adoption"), in_scope(*OFFICE), "post", lambda w, s: {}),
    Case("reject adoption", url("staff-adoption-reject", "adoption"), in_scope(*OFFICE), "post",
         lambda w, s: {"reason": "该地块已另有安排。"}),
    Case("reveal applicant mobile", url("staff-adoption-reveal-mobile", "adoption"), in_scope(*OFFICE), "post",
         lambda w, s: {}),
    # Problem reports (problems app).
    Case("problem list", url("staff-problems"), anywhere(*STAFF)),
    Case("problem detail", url("staff-problem-detail", "report"), in_scope(*STAFF)),
    Case("start work on a problem", named("staff-problem-action", lambda w, s: reverse(
        "staff-problem-action", args=[w[s]["report"].pk, "start"])), in_scope(*OFFICE), "post",
         lambda w, s: {"reply": "已安排处理。"}),
    Case("reveal reporter mobile", url("staff-problem-reveal", "report"), in_scope(*OFFICE), "post", lambda w, s: {}),
    Case("moderate a problem's public text", url("staff-problem-public-text", "report"), in_scope(*OFFICE), "post",
         lambda w, s: {"public_text": "花坛损坏，已登记。"}),
    # Importing assets from GIS files (dataio app).
    Case("data import", url("staff-import"), anywhere(*OFFICE)),
    Case("project ledger import", url("staff-import-projects"), anywhere(*OFFICE)),
    # A background import's page (dataio.web.jobs): its owner's and the district administrators' only.
    Case("import job page", named("staff-job", lambda w, s: reverse("staff-job", args=[someone_elses_job().pk])),
         anywhere("district_admin")),
    Case("import job status", named("staff-job-status", lambda w, s: reverse(
        "staff-job-status", args=[someone_elses_job().pk])), anywhere("district_admin")),
    Case("cancel an import job", named("staff-job-cancel", lambda w, s: reverse(
        "staff-job-cancel", args=[someone_elses_job().pk])), anywhere("district_admin"), "post", lambda w, s: {}),
    # Only the job's owner imports the file its preview checked, or downloads its export's file.
    Case("import someone else's checked file", named("staff-job-confirm", lambda w, s: reverse(
        "staff-job-confirm", args=[someone_elses_job().pk])), set(), "post", lambda w, s: {}),
    Case("someone else's export file", named("staff-job-file", lambda w, s: reverse(
        "staff-job-file", args=[someone_elses_job().pk])), set()),
    # The REST API (dataio app): what only staff in scope may see or do.
    Case("API: a hidden asset", url("api-asset-detail", "hidden"), in_scope(*STAFF)),
    Case("API: an adoption application", url("api-adoption-detail", "adoption"), in_scope(*OFFICE)),
    Case("API: approve an application", url("api-adoption-approve", "adoption"), in_scope(*OFFICE), "post",
         lambda w, s: {}, json=True),
    Case("API: log upkeep", url("api-upkeep-list"), in_scope(*STAFF), "post",
         lambda w, s: {"asset": w[s]["asset"].pk, "action": "inspection"}, json=True),
    Case("API: start work on a problem", url("api-problem-start", "report"), in_scope(*OFFICE), "post",
         lambda w, s: {"reply": "已安排处理。"}, json=True),
    # Renovation projects (projects app).
    Case("staff project list", url("staff-projects"), anywhere(*OFFICE)),
    Case("new project form", url("staff-project-create"), anywhere(*OFFICE)),
    Case("create a project there", url("staff-project-create"), in_scope(*OFFICE), "post", lambda w, s: {
        "name_zh": "新花园", "kind": "garden", "weight": "1", **w["codes"][s]["lonlat"]}),
    Case("staff project page", url("staff-project", "project"), in_scope(*OFFICE)),
    Case("change a project's phase", named("staff-project-action", lambda w, s: reverse(
        "staff-project-action", args=[w[s]["project"].pk, "phase"])), in_scope(*OFFICE), "post",
         lambda w, s: {"phase-phase": "design", "phase-date": "2026-04-01"}),
    Case("admin: projects", url("admin:projects_project_changelist"), anywhere(*OFFICE)),
    Case("admin: a project", url("admin:projects_project_change", "project"), in_scope(*OFFICE)),
    # Check-in routes (routes app): drawn in the admin, saved through routes.operations (scope per stop).
    Case("admin: check-in routes", url("admin:routes_route_changelist"), anywhere(*OFFICE)),
    Case("admin: add a check-in route", url("admin:routes_route_add"), anywhere(*OFFICE)),
    # The staff route editor (the world gets a route per side when the label starts with "routes").
    Case("routes: staff route list", url("staff-routes"), anywhere(*OFFICE)),
    Case("routes: new route form", url("staff-route-create"), anywhere(*OFFICE)),
    Case("routes: create a route there", url("staff-route-create"), in_scope(*OFFICE), "post",
         lambda w, s: route_post(w, s, "新路线")),
    Case("routes: a route's editor", url("staff-route-edit", "route"), in_scope(*OFFICE)),
    Case("routes: save a route", url("staff-route-edit", "route"), in_scope(*OFFICE), "post",
         lambda w, s: route_post(w, s, "改过的路线")),
    Case("routes: stop candidates", url("staff-route-stop-candidates", query="?bbox=113.23,23.11,113.25,23.13"),
         anywhere(*OFFICE)),
    Case("routes: mark a check-in spot", url("staff-check-in-spot", "asset"), in_scope(*OFFICE), "post",
         lambda w, s: {"spot": "1"}),
    # The admin site.
    Case("admin: all assets", url("admin:registry_asset_changelist"), anywhere(*STAFF)),
    Case("admin: asset overview page", url("admin:registry_asset_change", "asset"), in_scope(*STAFF), redirects=True),
    Case("admin: the kind's change page", named("admin:<kind>_change", admin_change), in_scope(*STAFF)),
    Case("admin: upkeep logs", url("admin:upkeep_upkeeplog_changelist"), anywhere(*STAFF)),
    Case("admin: upkeep log", url("admin:upkeep_upkeeplog_change", "own_log"), in_scope(*STAFF)),
    Case("admin: add an upkeep schedule", url("admin:upkeep_upkeepschedule_add"), anywhere(*OFFICE)),
    Case("admin: staff assignments", url("admin:registry_staffassignment_changelist"), set()),
    # Consultation (consultation app): everyone who works in an area records its meetings.
    Case("consultation list", url("staff-consultation"), anywhere(*STAFF)),
    Case("consultation list of a street", url("staff-consultation", query="?street={street}"), in_scope(*STAFF)),
    Case("consultation CSV", url("staff-consultation-csv", query="?street={street}"), in_scope(*STAFF)),
    Case("new meeting form", url("staff-consultation-create"), anywhere(*STAFF)),
    Case("consultation meeting page", url("staff-consultation-meeting", "meeting"), in_scope(*STAFF)),
    Case("start carrying out a resolution", named("staff-consultation-action", lambda w, s: reverse(
        "staff-consultation-action", args=[w[s]["resolution"].pk, "start"])), in_scope(*STAFF), "post",
         lambda w, s: {}),
    Case("import resolutions", url("staff-import-resolutions"), anywhere(*OFFICE)),
    Case("admin: consultation meetings", url("admin:consultation_meeting_changelist"), anywhere(*STAFF)),
    Case("admin: a consultation meeting", url("admin:consultation_meeting_change", "meeting"), in_scope(*STAFF)),
    # The SITE safety loop (safety app; the world gets its rows when the label starts with "safety").
    # The ambassador (a trained one, with an account, of community W1) has one right: report risks in
    # their community, on their own page and through the API — no staff page.
    Case("safety register", url("staff-safety"), anywhere(*STAFF)),
    Case("safety map layer", url("staff-safety-layer"), anywhere(*STAFF)),
    Case("safety CSV", url("staff-safety-csv"), anywhere(*STAFF)),
    Case("safety: record a risk form", url("staff-safety-risk-new"), anywhere(*STAFF)),
    Case("safety risk page", url("staff-safety-risk", "risk"), in_scope(*STAFF)),
    Case("safety: plan an intervention", named("staff-safety-risk-action", lambda w, s: reverse(
        "staff-safety-risk-action", args=[w[s]["risk"].pk, "plan"])), in_scope(*STAFF), "post",
         lambda w, s: {"plan-measure": "清理杂物", "plan-responsible": "物业"}),
    Case("safety: close an intervention", url("staff-safety-close", "intervention"), in_scope(*STAFF), "post",
         lambda w, s: {"close-note": "已清理", "close-photos": [safety_photo()]}),
    Case("safety: risk from a problem report", url("staff-safety-from-problem", "report"), in_scope(*STAFF)),
    Case("safety rounds", url("staff-safety-rounds"), anywhere(*STAFF)),
    Case("safety round", url("staff-safety-round", "round"), in_scope(*STAFF)),
    Case("safety: one-tap risk from a failed item", url("staff-safety-answer-risk", "failed_answer"),
         in_scope(*STAFF), "post", lambda w, s: {}),
    Case("safety overdue queue", url("staff-safety-overdue"), anywhere(*STAFF)),
    Case("safety photo", named("staff-safety-photo", lambda w, s: reverse(
        "staff-safety-photo", args=["risk", w[s]["risk"].photos.get().pk, "small"])), in_scope(*STAFF)),
    Case("safety ambassadors", url("staff-safety-ambassadors"), anywhere(*OFFICE)),
    Case("safety ambassador page", url("staff-safety-ambassador", "ambassador"), in_scope(*OFFICE)),
    Case("safety ambassador certificate", url("staff-safety-certificate", "ambassador"), in_scope(*OFFICE)),
    Case("safety: record a training", url("staff-safety-training"), anywhere(*OFFICE), "post", lambda w, s: {
        "training-community": w["own"]["ambassador"].community_id, "training-topic": "消防器材使用",
        "training-date": timezone.localdate().isoformat(), "training-trainer": "消防站"}),
    Case("safety: publish a street's risks", url("staff-safety-publication"), in_scope(*OFFICE), "post",
         lambda w, s: {"street": w["codes"][s]["street"], "publish": "1"}),
    Case("safety evaluations", url("staff-safety-evaluations"), anywhere(*OFFICE)),
    Case("safety evaluation", url("staff-safety-evaluation", "evaluation"), in_scope(*OFFICE)),
    Case("safety evaluation report", url("staff-safety-evaluation-report", "evaluation"), in_scope(*OFFICE)),
    Case("safety: the ambassador's report page", url("safety-report"), anywhere("ambassador")),
    Case("safety API: a risk", url("api-safety-risk-detail", "risk"), in_scope(*STAFF)),
    Case("safety API: record a risk there", url("api-safety-risk-list"), in_scope(*STAFF) | {("ambassador", "own")},
         "post", lambda w, s: {"category": "fire", "severity": "high", "description": "楼道堆物",
                               **{key: float(value) for key, value in w["codes"][s]["lonlat"].items()}}, json=True),
]


def safety_photo():
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 60, 40)).save(buffer, format="PNG")
    return SimpleUploadedFile("evidence.png", buffer.getvalue(), content_type="image/png")


def make_ambassador(district):
    """A trained safety ambassador of community W1 with an account (the limited role)."""
    from safety import operations as safety

    office = make_staff(Role.DISTRICT_ADMIN, username="ambassador-trainer")
    person = safety.add_ambassador(actor=office, name="陈阿姨", community=district["W1"])
    safety.record_training(actor=office, community=district["W1"], topic="消防器材使用", date=timezone.localdate(),
                           trainer="消防站", attendees=[person])
    return safety.create_ambassador_account(actor=office, ambassador=person, username="ambassador",
                                            password="Safety-ambassador-2026")


def add_safety_world(world, district):
    """Per side, the safety rows the safety cases need: a risk (with a photo) and its intervention, a
    round of the side's south grid and a recorded one with a failed item, an ambassador, an evaluation."""
    from safety import operations as safety

    office = make_staff(Role.DISTRICT_ADMIN, username="safety-office")
    checklist = safety.create_checklist(actor=office, name_zh="消防", items=["灭火器在位"])
    item = checklist.items.get()
    for side, code in (("own", "W"), ("other", "E")):
        community, grid = district[f"{code}1"], district[f"{code}1S"]
        lonlat = world["codes"][side]["lonlat"]
        risk = safety.raise_risk(actor=office, location=Point(float(lonlat["lon"]), float(lonlat["lat"]), srid=4326),
                                 category="fire", severity="high", description="楼道堆物", photos=[safety_photo()])
        done = safety.schedule_round(actor=office, community=community, grid=grid, checklist=checklist,
                                     due_on=timezone.localdate())
        safety.record_round(actor=office, safety_round=done, answers={item.pk: (False, "灭火器过期")})
        person = safety.add_ambassador(actor=office, name="李师傅", community=community)
        safety.record_training(actor=office, community=community, topic="用电安全", date=timezone.localdate(),
                               trainer="供电所", attendees=[person])
        world[side].update({
            "risk": risk,
            "intervention": safety.plan_intervention(actor=office, risk=risk, measure="清理", responsible="物业"),
            "round": safety.schedule_round(actor=office, community=community, grid=grid, checklist=checklist,
                                           due_on=timezone.localdate()),
            "failed_answer": done.answers.get(),
            "ambassador": person,
            "evaluation": safety.open_evaluation(actor=office, community=community),
        })


def make_user(role, district):
    if role == "anonymous":
        return None
    if role == "adopter":
        return AdopterFactory(user=UserFactory(username="adopter-account")).user
    if role == "ambassador":
        return make_ambassador(district)
    areas = {"grid_worker": {"grids": [district["W1S"]]}, "street_staff": {"streets": [district["W"]]},
             "district_admin": {}}[role]
    user = make_staff(getattr(Role, role.upper()), username=role, can_reveal_mobile=True, **areas)
    user.is_staff = True  # as create_staff makes them: the admin's door opens, the scope decides
    user.save(update_fields=["is_staff"])
    return user


def make_world(district, user):
    """Per side, an asset with an adoption application, a problem report and a log by ``user``."""
    author = user if user is not None and hasattr(user, "staff_assignment") else make_staff(
        Role.DISTRICT_ADMIN, username="author")
    world = {"codes": {"own": {"street": "W", "lonlat": {"lon": "113.235", "lat": "23.122"}},
                       "other": {"street": "E", "lonlat": {"lon": "113.245", "lat": "23.127"}}}}
    project_author = make_staff(Role.DISTRICT_ADMIN, username="project-author")
    # Street W (grid W1S) and street E; both adoptable, so that an allowed approval succeeds.
    for side, asset in (("own", GreenPlotFactory()), ("other", MuralFactory(is_adoptable=True))):
        world[side] = {
            "asset": asset,
            "adoption": AdoptionFactory(asset=asset, status=AdoptionStatus.REQUESTED, period=DateRange(
                timezone.localdate() + datetime.timedelta(days=1), timezone.localdate() + datetime.timedelta(days=366))),
            "report": ProblemReport.objects.create(asset=asset, category="litter", description="垃圾"),
            # Written directly: the log of the user, as if they had worked there (staff move streets).
            "own_log": UpkeepLog.objects.create(asset=asset, action="inspection", staff=author,
                                                performed_at=timezone.now()),
            "hidden": (GardenFactory if side == "own" else MuralFactory)(is_public=False),
            "retrofit": ElevatorFactory(geometry=Point(113.235, 23.122) if side == "own" else Point(113.245, 23.127)),
            "project": create_project(actor=project_author, name_zh=f"{side}项目", kind="garden", site=asset.location),
        }
        # A building meeting in the asset's community and grid, with one adopted resolution.
        world[side]["meeting"] = record_meeting(
            actor=project_author, community=asset.community, grid=asset.grid, level="building",
            building_address="多宝路1号", date=timezone.localdate(), topic=f"{side}议题",
            resolutions=[ResolutionInput(text="加装扶手", votes_for=3)])
        world[side]["resolution"] = world[side]["meeting"].resolutions.get()
    return world


def route_stops(world, side):
    """Two assets of the side's street: its asset and its elevator retrofit."""
    return [world[side]["asset"], world[side]["retrofit"]]


def route_post(world, side, name):
    return {"name_zh": name, "theme": "mixed", "pace": "67",
            "stops_text": "\n".join(str(asset.pk) for asset in route_stops(world, side))}


def add_route_world(world):
    author = make_staff(Role.DISTRICT_ADMIN, username="route-author")
    for side in SIDES:
        world[side]["route"] = save_route(actor=author, values={"name_zh": f"{side}路线"},
                                          stops=[StopInput(asset.pk) for asset in route_stops(world, side)]).route


def denied(response) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    if response.status_code == 302:
        target = response.url
        return (target.startswith(reverse("login")) or target.startswith(reverse("admin:login"))
                or target == reverse("admin:index"))
    return False


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=[case.label for case in CASES])
def test_permission_matrix(client, district, settings, tmp_path, case, role):
    settings.MEDIA_ROOT = tmp_path
    user = make_user(role, district)
    world = make_world(district, user)
    if case.label.startswith("safety"):
        add_safety_world(world, district)
    if case.label.startswith("routes"):
        add_route_world(world)
    if user is not None:
        client.force_login(user)
    for side in SIDES:
        target = case.url(world, side)
        audit_before, logs_before = AuditEntry.objects.count(), UpkeepLog.objects.count()
        if case.method == "post":
            response = client.post(target, case.data(world, side), **({"content_type": "application/json"}
                                                                        if case.json else {}))
        else:
            response = client.get(target)
        expected = (role, side) in case.allowed
        where = f"{case.label} as {role} on the {side} street: {case.method.upper()} {target} → {response.status_code}"
        assert response.status_code < 500, where
        if expected:
            assert not denied(response), f"should be allowed: {where}"
            if case.method == "get":
                assert response.status_code == (302 if case.redirects else 200), where
            elif case.json:
                assert response.status_code in (200, 201), where
        else:
            assert denied(response), f"should be denied: {where}"
            assert (AuditEntry.objects.count(), UpkeepLog.objects.count()) == (audit_before, logs_before), \
                f"a denied request wrote something: {where}"


def test_every_staff_url_is_in_the_matrix():
    """A new /staff/ URL (any app) must get its line in CASES; the admin and the API have their own lines."""
    from django.urls import get_resolver

    def names(resolver, prefix=""):
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if hasattr(pattern, "url_patterns"):
                yield from names(pattern, route)
            elif route.startswith("staff/") and pattern.name:
                yield pattern.name

    covered = {case.url.url_name for case in CASES}
    staff_urls = set(names(get_resolver()))
    assert {"staff-home", "staff-problems", "staff-adoption-queue", "asset-history"} <= staff_urls
    assert staff_urls - covered == set()
