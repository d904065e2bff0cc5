"""Overdue work and statistics for street offices and the district: ``/staff/overdue/``, ``/staff/statistics/``.

A district administrator chooses among all streets, street staff among theirs, a grid worker sees
the overdue work of their communities and grids (statistics are for street offices and the
district). Another street's code in the URL is a 404. Figures come from ``upkeep.queries``
and ``staff.statistics``; the CSV is the same rows as the page.
"""

import csv
import datetime

from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from consultation.figures import consultation_figures
from registry.access import Action, managed_scope, scope_of
from registry.assets import Asset
from registry.decorators import staff_required
from registry.geography import Street
from registry.spreadsheets import safe_cell
from safety.figures import safety_figures
from staff.charts import bar_chart, percent
from staff.forms import StatisticsForm
from staff.statistics import area_statistics
from upkeep.queries import overdue_upkeep

OVERDUE_LIMIT = 200


def streets_of(user):
    """The streets ``user`` may choose from: all for administrators, their own for street staff,
    those holding their communities and grids for grid workers."""
    scope = scope_of(user)
    streets = Street.objects.defer("boundary").order_by("code")
    if scope.everywhere:
        return streets
    return streets.filter(Q(pk__in=scope.street_ids) | Q(communities__in=scope.community_ids)
                          | Q(communities__grids__in=scope.grid_ids)).distinct()


def chosen_street(request, streets):
    """The street of ``?street=<code>`` among ``streets``; None when not asked; 404 when not theirs."""
    code = request.GET.get("street", "")
    if not code:
        return None
    street = next((street for street in streets if street.code == code), None)
    if street is None:
        raise Http404
    return street


@require_safe
@staff_required
def overdue(request):
    """One street's overdue rounds (the user's scope within it), most overdue first."""
    streets = list(streets_of(request.user))
    street = chosen_street(request, streets) or (streets[0] if streets else None)
    assets = Asset.objects.filter(managed_scope(request.user))
    rounds = overdue_upkeep(assets.filter(street=street), limit=OVERDUE_LIMIT + 1) if street else []
    more = len(rounds) > OVERDUE_LIMIT
    rounds = rounds[:OVERDUE_LIMIT]
    by_id = Asset.objects.filter(pk__in={r.asset_id for r in rounds}).select_related("community").only(
        "name_zh", "name_en", "kind", "address", "community__name_zh", "community__name_en").in_bulk()
    return render(request, "staff/overdue.html", {
        "streets": streets, "street": street, "rows": [(r, by_id[r.asset_id]) for r in rounds], "more": more,
        "limit": OVERDUE_LIMIT,
    })


def _statistics_request(request):
    """(form, streets asked about, grouping, days) from the query string, or 404 for a street not theirs."""
    streets = list(streets_of(request.user))
    street = chosen_street(request, streets)
    form = StatisticsForm(request.GET or None, streets=streets)
    days = form.cleaned_data["days"] if form.is_valid() else 90
    if street:
        return form, [street], "community", days
    return form, streets, "street", days


def _charts(rows):
    def label(row):
        return row.area.display_name

    return [
        bar_chart(_("Upkeep on time"), [(label(r), r.upkeep.rate, percent(r.upkeep.rate)) for r in rows]),
        bar_chart(_("Adoptable assets adopted"), [(label(r), r.adoption_rate, percent(r.adoption_rate)) for r in rows]),
        bar_chart(_("Problems resolved"), [
            (label(r), r.problems.resolution_rate if r.problems else None,
             percent(r.problems.resolution_rate if r.problems else None)) for r in rows]),
    ]


def _consultation(streets, by: str) -> dict:
    """The execution rate of consultation resolutions (all time) per street, or per community of the one
    street shown: its chart and its table (``consultation.figures``)."""
    streets = list(streets)
    if by == "community":
        areas = consultation_figures(street=streets[0])["communities"] if streets else []
    else:
        codes = {street.code for street in streets}
        areas = [row for row in consultation_figures()["streets"] if row["code"] in codes]
    chart = bar_chart(_("Consultation resolutions executed"), [
        (row["name_zh"], row["execution_rate"], percent(row["execution_rate"])) for row in areas])
    caption = _("Execution rate per community") if by == "community" else _("Execution rate per street")
    return {"consultation_chart": chart, "consultation_rows": areas, "consultation_caption": caption}


@require_safe
@staff_required(action=Action.READ_STATISTICS)
def statistics(request):
    form, streets, by, days = _statistics_request(request)
    rows = area_statistics(request.user, streets, by=by, days=days)
    query = request.GET.urlencode()
    since = timezone.localdate() - datetime.timedelta(days=days)
    return render(request, "staff/statistics.html", {
        "form": form, "rows": rows, "by": by, "days": days, "charts": _charts(rows),
        "since": since, "csv_query": query, "site_rows": site_rows(rows, by, since),
        **_consultation(streets, by),
    }, status=400 if form.is_bound and not form.is_valid() else 200)


def site_rows(rows, by: str, since: datetime.date) -> list:
    """The SITE section: each area's safety indicators over the same period (``safety.figures``)."""
    today = timezone.localdate()
    return [(row.area, safety_figures(**{by: row.area}, date_from=since, date_to=today)) for row in rows]


def _hours(duration):
    return None if duration is None else round(duration.total_seconds() / 3600, 1)


CSV_HEADER = ("area_code", "area_name", "rounds_on_time", "rounds_late", "rounds_overdue_now", "on_time_rate",
              "adoptable_assets", "adopted_assets", "adoption_rate", "problems_reported", "problems_open",
              "problems_in_progress", "problems_resolved", "problems_closed_not_fixed", "median_hours_to_resolve")


def _csv_row(row):
    problems = row.problems
    figures = (problems.reported, problems.open, problems.in_progress, problems.resolved,
               problems.closed_not_fixed, _hours(problems.median_time_to_resolve)) if problems else (None,) * 6
    rate = (None if row.upkeep.rate is None else round(row.upkeep.rate, 4),
            None if row.adoption_rate is None else round(row.adoption_rate, 4))
    return [safe_cell(value) for value in (row.area.code, row.area.display_name, row.upkeep.on_time, row.upkeep.late,
                                       row.upkeep.overdue, rate[0], row.adoptable, row.adopted, rate[1], *figures)]


@require_safe
@staff_required(action=Action.READ_STATISTICS)
def statistics_csv(request):
    """The statistics page's rows as UTF-8 CSV (with a byte-order mark, so spreadsheets read Chinese)."""
    _form, streets, by, days = _statistics_request(request)
    rows = area_statistics(request.user, streets, by=by, days=days)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = streets[0].code if by == "community" else "streets"
    response["Content-Disposition"] = f'attachment; filename="statistics-{name}-{days}d-{timezone.localdate()}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    writer.writerows(_csv_row(row) for row in rows)
    return response
