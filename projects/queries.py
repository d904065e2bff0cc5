"""Reads of projects shared by the pages, the API, the import and the admin.

Who sees what is ``registry.access``'s: a project is scoped like an asset (public ones for
everyone, plus every project in a staff member's streets). Figures over a project's tree (its
progress, the funding of a parent and its descendants) are columns the database keeps by
triggers (migrations 0002 and 0003), never a walk in Python; ``descendant_ids`` is one recursive CTE.
"""

from decimal import Decimal

from django.db import connection
from django.db.models import F, Prefetch, Q, QuerySet, Sum

from projects.models import FundingLine, Milestone, MilestonePhoto, PhotoStage, Project, ProjectAsset
from registry.access import Action, asset_scope, managed_scope, role_allows
from registry.naming import localized_name
from registry.queries import visible_assets

#: Columns the lists never show: the site geometry is for the page's map only.
LIST_DEFER = ("site", "description")


def visible_projects(user) -> QuerySet[Project]:
    """Projects ``user`` may see: public ones, and for staff every one in their streets."""
    return Project.objects.filter(asset_scope(user))


def managed_projects(user) -> QuerySet[Project]:
    """Projects ``user`` may run (create phases, funding, milestones): none for roles without the action."""
    if not role_allows(user, Action.CHANGE_PROJECT):
        return Project.objects.none()
    return Project.objects.filter(managed_scope(user))


def search(projects: QuerySet[Project], text: str) -> QuerySet[Project]:
    text = (text or "").strip()[:100]
    if not text:
        return projects
    return projects.filter(Q(name_zh__icontains=text) | Q(name_en__icontains=text) | Q(external_id__iexact=text)
                           | Q(description__icontains=text))


def filtered(projects: QuerySet[Project], *, street=None, kind="", phase="", text="") -> QuerySet[Project]:
    """The public list's and the API's filters: street (id or code), kind, phase, search text."""
    if street:
        projects = projects.filter(Q(street__code=street) | Q(street__pk=street if str(street).isdigit() else None))
    if kind:
        projects = projects.filter(kind=kind)
    if phase:
        projects = projects.filter(phase=phase)
    return search(projects, text)


def descendant_ids(project_id: int) -> set[int]:
    """Ids of every project below ``project_id`` (children, their children, …), by one recursive CTE."""
    with connection.cursor() as cursor:
        cursor.execute("""
            WITH RECURSIVE below(id) AS (
                SELECT id FROM projects_project WHERE parent_id = %s
                UNION
                SELECT c.id FROM projects_project c JOIN below b ON c.parent_id = b.id
            ) SELECT id FROM below""", [project_id])
        return {row[0] for row in cursor.fetchall()}


def funding_totals(project_ids) -> dict[int, tuple[Decimal, Decimal]]:
    """(planned, received) yuan per project, its own lines and its descendants': columns the database
    keeps (``tree_planned``, ``tree_received``, migration 0003), so this is one indexed read."""
    return {pk: (planned, received) for pk, planned, received in Project.objects.filter(
        pk__in=list(project_ids)).values_list("pk", "tree_planned", "tree_received")}


def street_funding_totals(projects: QuerySet[Project]) -> list[dict]:
    """Planned and received yuan per street over ``projects``' own funding lines."""
    return list(FundingLine.objects.filter(project__in=projects.values("pk"))
                .values("project__street__pk", "project__street__name_zh", "project__street__name_en")
                .annotate(planned=Sum("amount_planned"), received=Sum("amount_received"))
                .order_by("project__street__name_zh"))


#: What a list row shows: names, kind, phase, progress, dates, its tree's funding, the parent's id.
LIST_COLUMNS = ("name_zh", "name_en", "kind", "phase", "rolled_progress", "planned_start", "is_public",
                "parent_id", "weight", "tree_planned", "tree_received", "updated_at", "street__code",
                "street__name_zh", "street__name_en", "community__name_zh", "community__name_en")


def list_page(projects: QuerySet[Project]) -> QuerySet[Project]:
    """What a list row needs, joined once: street and community names, the parent's name, no geometry."""
    return (projects.select_related("street", "community").only(*LIST_COLUMNS)
            .annotate(parent_name_zh=F("parent__name_zh"), parent_name_en=F("parent__name_en")))


def with_totals(projects) -> list[Project]:
    """``projects`` (a page) as a list, each with ``funding_planned`` and ``funding_received`` over its
    tree (the kept columns: no query)."""
    projects = list(projects)
    for project in projects:
        project.funding_planned, project.funding_received = project.tree_planned, project.tree_received
        project.parent_display = localized_name(getattr(project, "parent_name_zh", None) or "",
                                                getattr(project, "parent_name_en", None) or "")
    return projects


def project_detail(user, pk) -> Project:
    """One visible project with what its page shows, or Project.DoesNotExist."""
    photos = Prefetch("photos", queryset=MilestonePhoto.objects.order_by("id"))
    return (visible_projects(user).select_related("street", "community", "parent")
            .prefetch_related("phase_events__actor", "contractors",
                              Prefetch("funding_lines", queryset=FundingLine.objects.select_related("sponsor")),
                              Prefetch("milestones", queryset=Milestone.objects.prefetch_related(photos)))
            .get(pk=pk))


def visible_children(user, project) -> QuerySet[Project]:
    return list_page(visible_projects(user).filter(parent=project)).order_by("name_zh")


def project_assets(user, project):
    """The project's assets the visitor may see, with the project's role for each."""
    return (ProjectAsset.objects.filter(project=project, asset__in=visible_assets(user).values("pk"))
            .select_related("asset").defer("asset__geometry", "asset__geometry_webmercator",
                                           "asset__location_webmercator"))


def before_after_pairs(photos) -> list[tuple]:
    """Before and after photos side by side: the n-th before with the n-th after (the same spot,
    taken in the same order), and any left over alone."""
    before = [photo for photo in photos if photo.stage == PhotoStage.BEFORE]
    after = [photo for photo in photos if photo.stage == PhotoStage.AFTER]
    pairs = []
    for index in range(max(len(before), len(after))):
        pairs.append((before[index] if index < len(before) else None, after[index] if index < len(after) else None))
    return pairs


def project_photos(project) -> list[MilestonePhoto]:
    return [photo for milestone in project.milestones.all() for photo in milestone.photos.all()]


def projects_of_asset(user, asset) -> tuple[list[Project], list[tuple]]:
    """The visible projects that renovated or created ``asset``, and the asset's before/after pairs
    from their milestones' photos: one query, and a second only when there are projects."""
    projects = list(visible_projects(user).filter(asset_links__asset=asset).defer(*LIST_DEFER, "location")
                    .order_by("-planned_start", "name_zh").distinct())
    if not projects:
        return [], []
    photos = MilestonePhoto.objects.filter(milestone__project__in=[project.pk for project in projects]).order_by(
        "milestone__project__planned_start", "milestone__date", "id")
    return projects, before_after_pairs(list(photos))


def milestone_photo_files():
    """(large, small) names of every milestone photo: the core's orphan sweep keeps them."""
    return MilestonePhoto.objects.values_list("large", "small").iterator(chunk_size=5000)
