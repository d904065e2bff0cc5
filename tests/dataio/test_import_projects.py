"""``import_projects``: the project ledger, all or nothing, with the row / field / problem report; a
re-import updates dates, phase (in the phase history) and progress by external id."""

import csv
import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import translation

from dataio.models import Job
from projects.models import FundingLine, PhaseEvent, Project
from projects.phases import Phase
from registry.staffing import Role
from tests.dataio.jobs import run_queued_jobs
from tests.factories import make_district_admin, make_staff

HEADER = ("external_id,name_zh,kind,street,lon,lat,phase,planned_start,planned_end,progress,parent_external_id,"
          "weight,funding_district_budget,funding_enterprise,received_enterprise,sponsor,contractor,"
          "contractor_credit_code\n")
GOOD = HEADER + (
    "LW-2026-001,逢源街更新计划,other,W,113.235,23.122,design,2026-01-01,2026-12-31,,,,,,,,,\n"
    "LW-2026-002,逢源街邻里花园,garden,W1街道,113.236,23.123,construction,2026-03-01,2026-08-31,,LW-2026-001,3,"
    "80000,20000.50,20000.50,荔湾花木有限公司,广州西关建设有限公司,9144030071526726XG\n"
    "LW-2026-003,金花街墙绘,mural,E,113.245,23.127,in_use,2026-02-01,2026-04-30,,LW-2026-001,1,5000,,,,,\n"
).replace("W1街道", "W街道")


@pytest.fixture
def admin(district):
    return make_district_admin("importer")


def write(tmp_path, text, name="ledger.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(path, *args):
    call_command("import_projects", str(path), "--user", "importer", *args, verbosity=0)


def test_the_ledger_creates_projects_with_phases_funding_contractors_and_roll_up(tmp_path, admin):
    run(write(tmp_path, GOOD))
    parent, garden, mural = (Project.objects.get(external_id=f"LW-2026-00{n}") for n in (1, 2, 3))
    assert (garden.street.code, mural.street.code) == ("W", "E")
    assert (garden.phase, garden.parent, garden.weight) == (Phase.CONSTRUCTION, parent, 3)
    assert parent.rolled_progress == Decimal("62.5")  # (50 × 3 + 100 × 1) / 4
    line = FundingLine.objects.get(project=garden, source="enterprise")
    assert (line.amount_planned, line.sponsor_name) == (Decimal("20000.50"), "荔湾花木有限公司")
    assert garden.contractors.get().credit_code == "9144030071526726XG"
    assert FundingLine.objects.get(project=mural).source == "district_budget"


def test_a_re_import_updates_dates_phase_and_progress_through_the_operations(tmp_path, admin):
    run(write(tmp_path, GOOD))
    changed = GOOD.replace("LW-2026-002,逢源街邻里花园,garden,W街道,113.236,23.123,construction,2026-03-01,2026-08-31,,",
                           "LW-2026-002,逢源街邻里花园,garden,W街道,113.236,23.123,acceptance,2026-03-01,2026-09-15,95,")
    run(write(tmp_path, changed, "again.csv"))
    garden = Project.objects.get(external_id="LW-2026-002")
    assert (garden.phase, garden.planned_end, garden.progress) == (Phase.ACCEPTANCE, datetime.date(2026, 9, 15), 95)
    assert list(PhaseEvent.objects.filter(project=garden).values_list("phase", flat=True)) == [
        Phase.PROPOSAL, Phase.CONSTRUCTION, Phase.ACCEPTANCE]
    assert Project.objects.count() == 3 and FundingLine.objects.filter(project=garden).count() == 2


@pytest.mark.parametrize("bad, field, message", [
    (("W,113.235", "Nowhere,113.235"), "street", "Unknown street"),
    (("2026-01-01,2026-12-31", "2026-13-01,2026-12-31"), "planned_start", "Not a date"),
    (("LW-2026-003,", "LW-2026-002,"), "external_id", "same external id"),
    ((",80000,", ",-80000,"), "funding_district_budget", "cannot be negative"),
    ((",80000,", ",八万,"), "funding_district_budget", "amount in yuan"),
    (("113.245,23.127", "113.235,23.122"), "street", "lies in"),
    (("2026-02-01,2026-04-30", "2026-04-30,2026-02-01"), "planned_end", "before the start"),
    (("design", "dreaming"), "phase", "Unknown phase"),
])
def test_a_bad_row_is_reported_and_nothing_is_imported(tmp_path, admin, capsys, bad, field, message):
    old, new = bad
    text = GOOD.replace(old, new, 1) if old != "113.245,23.127" else GOOD.replace("E,113.245,23.127", "E,113.235,23.122")
    path = write(tmp_path, text)
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_projects", str(path), "--user", "importer")
    output = capsys.readouterr().out
    assert f"\t{field}\t" in output and message in output, output
    assert not Project.objects.exists() and not FundingLine.objects.exists()


def test_the_report_in_chinese(tmp_path, admin, capsys):
    path = write(tmp_path, GOOD.replace("W,113.235", "Nowhere,113.235"))
    with translation.override("zh-hans"), pytest.raises(CommandError):
        call_command("import_projects", str(path), "--user", "importer")
    assert "未知街道：Nowhere。" in capsys.readouterr().out


def test_dry_run_writes_nothing(tmp_path, admin, capsys):
    call_command("import_projects", str(write(tmp_path, GOOD)), "--user", "importer", "--dry-run")
    assert "nothing imported" in capsys.readouterr().out and not Project.objects.exists()


def test_street_staff_cannot_import_another_streets_rows(tmp_path, district):
    make_staff(Role.STREET_STAFF, username="west", streets=[district["W"]])
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_projects", str(write(tmp_path, GOOD)), "--user", "west", verbosity=0)
    assert not Project.objects.exists()


# The staff page /staff/import/projects/ -------------------------------------------------------------

def upload(text, name="ledger.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def run_page_job(client, response, language="en"):
    """The page queued a job: a real worker (in this process) runs it; return the job's page."""
    assert response.status_code == 302 and "/staff/jobs/" in response["Location"]
    run_queued_jobs()
    return client.get(response["Location"], HTTP_ACCEPT_LANGUAGE=language)


@pytest.mark.django_db(transaction=True)
def test_the_staff_page_checks_then_imports_as_jobs(client, admin, settings, tmp_path):
    settings.DATAIO_IMPORT_DIR = tmp_path / "pending"
    client.force_login(admin)
    assert client.get("/staff/import/projects/").status_code == 200
    checked = run_page_job(client, client.post("/staff/import/projects/", {"file": upload(GOOD), "check_only": "on"}))
    assert "No problems" in checked.content.decode() and checked.context["job"].phase == Job.Phase.DONE
    assert not Project.objects.exists()
    done = run_page_job(client, client.post("/staff/import/projects/", {"file": upload(GOOD)}))
    assert "3 new and 0 updated projects" in done.content.decode() and Project.objects.count() == 3
    assert not any((tmp_path / "pending").iterdir())  # each job deleted its upload
    assert "ledger.csv" in client.get("/staff/import/projects/").content.decode()  # the latest jobs


@pytest.mark.django_db(transaction=True)
def test_the_staff_page_reports_bad_rows_in_chinese_and_imports_nothing(client, admin, settings, tmp_path):
    settings.DATAIO_IMPORT_DIR = tmp_path / "pending"
    client.force_login(admin)
    response = client.post("/staff/import/projects/", {"file": upload(GOOD.replace("W,113.235", "Nowhere,113.235"))},
                           HTTP_ACCEPT_LANGUAGE="zh-hans")
    refused = run_page_job(client, response, language="zh-hans")
    assert refused.context["job"].phase == Job.Phase.REFUSED and "未知街道：Nowhere。" in refused.content.decode()
    response = client.post("/staff/import/projects/", {"file": upload(GOOD, "ledger.xlsx")}, HTTP_ACCEPT_LANGUAGE="en")
    failed = run_page_job(client, response)
    assert failed.context["job"].phase == Job.Phase.FAILED and not Project.objects.exists()


def test_grid_workers_may_not_import_projects(client, district):
    client.force_login(make_staff(Role.GRID_WORKER, username="grid-ledger", communities=[district["W1"]]))
    assert client.get("/staff/import/projects/").status_code == 403


# The ledger as an Excel workbook -------------------------------------------------------------------

def workbook(tmp_path, text=GOOD):
    """GOOD as an .xlsx the way Excel keeps it: dates as dates, amounts and coordinates as numbers."""
    sheet_book = openpyxl.Workbook()
    sheet = sheet_book.active
    for number, record in enumerate(csv.reader(io.StringIO(text))):
        cells = []
        for cell in record:
            if number and re.fullmatch(r"\d{4}-\d{2}-\d{2}", cell):
                cells.append(datetime.date.fromisoformat(cell))
            elif number and re.fullmatch(r"-?\d+(\.\d+)?", cell) and not cell.startswith("9144"):
                cells.append(float(cell) if "." in cell else int(cell))
            else:
                cells.append(cell or None)
        sheet.append(cells)
    path = tmp_path / "ledger.xlsx"
    sheet_book.save(path)
    return path


def test_an_xlsx_ledger_imports_like_the_csv(tmp_path, admin):
    run(workbook(tmp_path))
    garden = Project.objects.get(external_id="LW-2026-002")
    assert (garden.planned_start, garden.phase, garden.weight) == (datetime.date(2026, 3, 1), Phase.CONSTRUCTION, 3)
    assert FundingLine.objects.get(project=garden, source="enterprise").amount_planned == Decimal("20000.50")
    assert Project.objects.count() == 3


def test_a_bad_xlsx_row_is_reported_and_a_fake_workbook_refused(tmp_path, admin, capsys):
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_projects", str(workbook(tmp_path, GOOD.replace("W,113.235", "Nowhere,113.235"))),
                     "--user", "importer")
    assert "Unknown street" in capsys.readouterr().out
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a workbook")
    with pytest.raises(CommandError, match="not an Excel workbook"):
        call_command("import_projects", str(fake), "--user", "importer")
    assert not Project.objects.exists()


def test_the_workbook_holds_real_dates_and_numbers(tmp_path):
    sheet = openpyxl.load_workbook(workbook(tmp_path)).active
    row = [cell.value for cell in sheet[3]]
    assert isinstance(row[7], datetime.date) and isinstance(row[4], float) and isinstance(row[12], int)
