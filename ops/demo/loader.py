"""Load the demo: geography, people, assets, adoptions, a year of upkeep, photos, renovation projects,
consultation meetings and their resolutions, the SITE safety loop.
One transaction.

Idempotent. Areas are created by code and never overwritten; the rest is loaded once: when
assets created by the demo's district administrator exist, the demo counts as loaded. Random
choices come from generators seeded with :data:`SEED`, so two fresh loads on the same day build
the same data.
"""

import random
from collections import Counter

from consultation.models import Meeting, Resolution
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from adoption.models import Adopter, Adoption
from elevators.models import CustodyContract, StageEvent
from ops.demo.adoptions import build_adoptions
from ops.demo.assets import build_assets
from ops.demo.consultation import build_consultation
from ops.demo.catalogue import LANDMARKS
from ops.demo.geography import build_geography
from ops.demo.people import DISTRICT_ADMIN, build_adopters, build_staff
from ops.demo.photos import build_photos
from ops.demo.retrofit_programme import build_retrofit_programme
from ops.demo.projects import build_projects
from ops.demo.safety import build_safety
from ops.demo.routes import build_routes
from ops.demo.schedules import build_schedules
from ops.demo.upkeep import build_upkeep
from projects.models import Project
from registry.assets import Asset
from registry.geography import Community, District, Grid, Street
from registry.photos import Photo
from safety.models import Evaluation, Risk
from routes.models import CheckInSpot, Route
from upkeep.models import UpkeepLog, UpkeepSchedule

SEED = 20211221  # the day the article appeared


def demo_loaded() -> bool:
    return Asset.objects.filter(created_by__username=DISTRICT_ADMIN[0]).exists()


def _rng(stage: str) -> random.Random:
    return random.Random(f"{SEED}-{stage}")


def load_demo(*, if_empty=False, geography_only=False, log=print) -> dict:
    """Load what is missing of the demo; return the database's counts afterwards."""
    if if_empty and Asset.objects.exists():
        log("Assets already exist: demo not loaded (--if-empty).")
        return summary()
    with transaction.atomic():
        build_geography()
        if geography_only:
            return summary()
        if demo_loaded():
            log("Demo already loaded: nothing to add.")
            return summary()
        _load_content(timezone.localdate())
    return summary()


def _load_content(today) -> None:
    admin, staff_by_street = build_staff()
    adopters = build_adopters(_rng("people"))
    assets = build_assets(_rng("assets"), today, admin)
    adoptions = build_adoptions(_rng("adoptions"), assets, adopters, staff_by_street, admin, today)
    logs = build_upkeep(_rng("upkeep"), assets, adoptions, staff_by_street, admin, today)
    build_schedules(assets)
    build_photos(_rng("photos"), assets, logs, staff_by_street, admin, len(LANDMARKS), today)
    build_retrofit_programme(_rng("retrofits"), today, admin)
    projects = build_projects(_rng("projects"), assets, adopters, admin, today)
    build_consultation(_rng("consultation"), admin, assets, projects, logs, adoptions, today)
    build_safety(_rng("safety"), assets, admin, today)
    build_routes(assets, admin)


def summary() -> dict:
    return {
        "districts": District.objects.count(),
        "streets": Street.objects.count(),
        "communities": Community.objects.count(),
        "grids": Grid.objects.count(),
        "assets": Asset.objects.count(),
        "assets by kind": dict(sorted(Counter(Asset.objects.values_list("kind", flat=True)).items())),
        "users": get_user_model().objects.count(),
        "adopters": Adopter.objects.count(),
        "adoptions by status": dict(sorted(Counter(Adoption.objects.values_list("status", flat=True)).items())),
        "upkeep logs": UpkeepLog.objects.count(),
        "upkeep schedules of their own": UpkeepSchedule.objects.count(),
        "photos": Photo.objects.count(),
        "retrofit stage events": StageEvent.objects.count(),
        "custody contracts": CustodyContract.objects.count(),
        "renovation projects by phase": dict(sorted(Counter(Project.objects.values_list("phase", flat=True)).items())),
        "consultation meetings": Meeting.objects.count(),
        "resolutions by status": dict(sorted(Counter(Resolution.objects.values_list("status", flat=True)).items())),
        "safety risks by status": dict(sorted(Counter(Risk.objects.values_list("status", flat=True)).items())),
        "safety evaluations": Evaluation.objects.count(),
        "check-in routes": Route.objects.count(),
        "check-in spots": CheckInSpot.objects.count(),
    }


def format_summary(counts: dict) -> str:
    lines = []
    for label, value in counts.items():
        if isinstance(value, dict):
            value = ", ".join(f"{key} {count}" for key, count in value.items()) or "none"
        lines.append(f"  {label}: {value}")
    return "\n".join(lines)
