"""The resolution ledger import: Chinese and English headers, XLSX, re-import by external id, and a
file with one bad row imports nothing and names the row."""

import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from consultation.figures import consultation_figures
from consultation.models import Meeting, Resolution, ResolutionStatus
from dataio.importing.report import ImportRefused
from dataio.importing.resolutions import import_resolutions

pytestmark = pytest.mark.django_db

CHINESE = """决议编号,社区,层级,议事日期,议题,决议内容,赞成,反对,弃权,状态,落实日期,责任方,参会人数
LW-001,W1,楼宇,2021-05-12,楼道改造,加装扶手,37,2,1,已落实,2021-06-30,居委会,40
LW-002,W一社区,楼宇,2021-05-12,楼道改造,粉刷墙面,30,5,5,落实中,,物业,40
LW-003,W1,社区,2021-06-01,口袋花园,建设花园,50,3,0,已通过,,街道办,
"""
ENGLISH = """external_id,community,level,meeting_date,topic,resolution,votes_for,votes_against,votes_abstain,status,executed_on,responsible
EN-1,E1,grid,2021-03-01,Parking,Mark parking bays,20,1,0,executed,2021-04-01,owners' committee
EN-2,E1,grid,2021-03-01,Parking,Move the bins,15,6,0,adopted,,
"""


def write(tmp_path, text, name="ledger.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_chinese_headers(west_staff, district, tmp_path):
    report = import_resolutions(actor=west_staff, path=write(tmp_path, CHINESE))
    assert report.imported and (report.to_create, report.to_update) == (3, 0)
    assert Meeting.objects.count() == 2  # rows 1 and 2 are one meeting
    assert Resolution.objects.get(external_id="LW-001").status == ResolutionStatus.EXECUTED
    assert Resolution.objects.get(external_id="LW-002").status == ResolutionStatus.IN_PROGRESS
    assert Meeting.objects.get(topic="楼道改造").participants == 40
    assert consultation_figures(community=district["W1"])["execution_rate"] == round(1 / 3, 4)


def test_english_headers_with_the_command(admin, district, tmp_path):
    call_command("import_resolutions", str(write(tmp_path, ENGLISH)), "--user", admin.username, stdout=io.StringIO())
    meeting = Meeting.objects.get()
    assert meeting.level == "grid" and meeting.resolutions.count() == 2


def test_xlsx_and_reimport_updates_by_external_id(west_staff, district, tmp_path):
    workbook = openpyxl.Workbook()
    for line in CHINESE.strip().splitlines():
        workbook.active.append(line.split(","))
    workbook.save(tmp_path / "ledger.xlsx")
    import_resolutions(actor=west_staff, path=tmp_path / "ledger.xlsx")
    updated = CHINESE.replace("LW-002,W一社区,楼宇,2021-05-12,楼道改造,粉刷墙面,30,5,5,落实中,,",
                              "LW-002,W一社区,楼宇,2021-05-12,楼道改造,粉刷墙面,31,5,4,已落实,2021-07-01,")
    report = import_resolutions(actor=west_staff, path=write(tmp_path, updated))
    assert (report.to_create, report.to_update) == (0, 3)
    resolution = Resolution.objects.get(external_id="LW-002")
    assert (resolution.status, resolution.votes_for) == (ResolutionStatus.EXECUTED, 31)
    assert Resolution.objects.count() == 3


@pytest.mark.parametrize(("bad_row", "column", "message"), [
    ("LW-009,X9,楼宇,2021-05-12,楼道改造,x,1,0,0,已通过,,,", "community", "Unknown community"),
    ("LW-009,W1,小区,2021-05-12,楼道改造,x,1,0,0,已通过,,,", "level", "Unknown level"),
    ("LW-009,W1,楼宇,2021-05-12,楼道改造,x,1,0,0,完成了,,,", "status", "Unknown status"),
    ("LW-001,W1,楼宇,2021-05-12,楼道改造,x,1,0,0,已通过,,,", "external_id", "row 2"),
    ("LW-009,E1,楼宇,2021-05-12,楼道改造,x,1,0,0,已通过,,,", "community", "not in your area"),
    ("LW-009,W1,楼宇,2021-05-12,楼道改造,x,41,0,0,已通过,,,40", "votes_for", "more than the participants"),
    ("LW-009,W1,楼宇,2021-05-12,楼道改造,x,-1,0,0,已通过,,,", "votes_for", "at least 0"),
    ("LW-009,W1,楼宇,2021-05-12,楼道改造,x,1,0,0,已落实,,,", "executed_on", "needs the date"),
    ("LW-009,W1,楼宇,2021-05-12,楼道改造,x,1,0,0,已落实,2021-05-01,,", "executed_on", "before the meeting"),
    ("LW-009,W1,楼宇,2021-05-12,楼道改造,x,1,0,0,无法落实,,,", "not_feasible_reason", "public reason"),
])
def test_one_bad_row_imports_nothing_and_names_the_row(west_staff, district, tmp_path, bad_row, column, message):
    with pytest.raises(ImportRefused) as refused:
        import_resolutions(actor=west_staff, path=write(tmp_path, CHINESE + bad_row + "\n"))
    problems = refused.value.report.problems
    assert [(p.row, p.field) for p in problems] == [(5, column)], problems
    assert message in problems[0].message
    assert not Meeting.objects.exists() and not Resolution.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_staff_import_page_checks_then_imports_as_jobs(client, west_staff, district, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dataio.models import Job
    from tests.dataio.jobs import run_queued_jobs

    settings.DATAIO_IMPORT_DIR = tmp_path / "pending"
    client.force_login(west_staff)
    url = reverse("staff-import-resolutions")
    assert client.get(url).status_code == 200

    def run(response, language="en"):
        assert response.status_code == 302
        run_queued_jobs()
        return client.get(response["Location"], HTTP_ACCEPT_LANGUAGE=language)

    checked = run(client.post(url, {"file": SimpleUploadedFile("ledger.csv", CHINESE.encode()), "check_only": "on"}))
    assert checked.context["job"].phase == Job.Phase.DONE and not Resolution.objects.exists()
    bad = SimpleUploadedFile("ledger.csv", (CHINESE + "LW-009,X9,楼宇,2021-05-12,楼道改造,x,1,0,0,已通过,,,\n").encode())
    refused = run(client.post(url, {"file": bad}), language="zh-hans")
    assert refused.context["job"].phase == Job.Phase.REFUSED and "未知社区" in refused.content.decode()
    done = run(client.post(url, {"file": SimpleUploadedFile("ledger.csv", CHINESE.encode())}))
    assert done.context["job"].phase == Job.Phase.DONE and Resolution.objects.count() == 3
    assert "3 new and 0 updated resolutions" in done.content.decode()


def test_command_refuses_and_exits_with_the_report(west_staff, district, tmp_path):
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_resolutions", str(write(tmp_path, CHINESE + "LW-001,W1,x\n")), "--user", "west",
                     stdout=out)
    assert "LW-001" not in out.getvalue() or "row 2" in out.getvalue()
    assert not Resolution.objects.exists()
