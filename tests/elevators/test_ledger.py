"""import_retrofits: the district's ledger with Chinese headers; one bad row imports nothing and is named."""

import pytest
from django.core.management import CommandError, call_command

from elevators.models import StageEvent
from registry.audit import AuditEntry
from retrofits.models import CustodyMode, ElevatorRetrofit, RetrofitStage
from tests.factories import make_district_admin

pytestmark = pytest.mark.django_db

HEADER = ("项目编号,地址,经度,纬度,街道,楼层数,户数,受理日期,业主同意日期,规划许可日期,规划许可证号,开工日期,验收日期,"
          "投入使用日期,托管方式,托管单位,维保单位")
GOOD = [
    "LW-2019-001,多宝路26号,113.245,23.127,E,8,16,2019-03-01,2019-04-10,2019-06-01,穗规〔2019〕1号,2019-08-01,"
    "2020-01-10,2020-02-01,托管管家包维保,荔湾电梯管家,广州电梯维保",
    "LW-2022-007,龙津西路3号,113.246,23.128,E,7,14,2022-05-01,2022-07-01,,,,,,,,",
]


def ledger(tmp_path, *rows, encoding="utf-8-sig"):
    path = tmp_path / "台账.csv"
    path.write_bytes("\n".join([HEADER, *rows]).encode(encoding))
    return path


def test_chinese_headers_import_retrofits_with_their_stages_and_custody(tmp_path, district):
    admin = make_district_admin()
    call_command("import_retrofits", str(ledger(tmp_path, *GOOD)), user=admin.username)
    first = ElevatorRetrofit.objects.get(external_id="LW-2019-001")
    assert first.stage == RetrofitStage.IN_SERVICE and first.street == district["E"] and first.floors == 8
    assert list(StageEvent.objects.filter(retrofit=first).values_list("stage", flat=True)) == [
        "accepted", "consent", "planning_permit", "construction", "acceptance", "in_service"]
    assert StageEvent.objects.get(retrofit=first, stage="planning_permit").document_number == "穗规〔2019〕1号"
    assert first.custody_mode == CustodyMode.STEWARD and first.custody_contracts.get().custodian == "荔湾电梯管家"
    second = ElevatorRetrofit.objects.get(external_id="LW-2022-007")
    assert second.stage == RetrofitStage.APPLICATION
    assert AuditEntry.objects.filter(action="retrofit.stage", actor=admin).count() == 8


def test_a_reimport_adds_the_new_stage_dates_as_events(tmp_path, district):
    admin = make_district_admin()
    call_command("import_retrofits", str(ledger(tmp_path, *GOOD)), user=admin.username)
    later = GOOD[1].replace("2022-07-01,,,", "2022-07-01,2022-09-01,穗规〔2022〕9号,")
    call_command("import_retrofits", str(ledger(tmp_path, GOOD[0], later)), user=admin.username)
    second = ElevatorRetrofit.objects.get(external_id="LW-2022-007")
    assert second.stage == RetrofitStage.PLANNING_PERMIT
    assert StageEvent.objects.filter(retrofit=second).count() == 3 and ElevatorRetrofit.objects.count() == 2


@pytest.mark.parametrize("bad_row, field, words", [
    (GOOD[1].replace("2022-07-01", "2022-04-01"), "consent_on", "in order"),
    (GOOD[1].replace("2022-07-01,,,", "2022-07-01,2022-09-01,,"), "permit_no", "permit"),
    (GOOD[1].replace(",E,", ",W,"), "street", "not in"),
    (GOOD[1].replace("113.246", "114.5"), "lon", "outside the district"),
    (GOOD[0].replace("2020-01-10", ""), "in_service_on", "acceptance"),
    (GOOD[0].replace("托管管家包维保", "物业托管"), "custody_mode", "custody mode"),
    (GOOD[1].replace("2022-05-01", "2022/05/01"), "applied_on", "YYYY-MM-DD"),
    (GOOD[1].replace("LW-2022-007", "LW-2019-001"), "external_id", "row 2"),
])
def test_one_bad_row_imports_nothing_and_is_named(tmp_path, district, capsys, bad_row, field, words):
    admin = make_district_admin()
    good = GOOD[1] if bad_row.startswith("LW-2019") and field != "external_id" else GOOD[0]
    with pytest.raises(CommandError):
        call_command("import_retrofits", str(ledger(tmp_path, good, bad_row)), user=admin.username)
    report = capsys.readouterr().out
    line = next(line for line in report.splitlines() if line.startswith("\t3\t"))
    assert f"\t3\t{field}\t" in line and words in line
    assert not ElevatorRetrofit.objects.exists() and not StageEvent.objects.exists()


def test_a_gb18030_ledger_and_a_dry_run(tmp_path, district, capsys):
    admin = make_district_admin()
    call_command("import_retrofits", str(ledger(tmp_path, *GOOD, encoding="gb18030")), user=admin.username,
                 dry_run=True)
    assert "Dry run" in capsys.readouterr().out and not ElevatorRetrofit.objects.exists()


def test_the_report_speaks_chinese(tmp_path, district, capsys):
    from django.utils import translation

    admin = make_district_admin()
    with translation.override("zh-hans"), pytest.raises(CommandError):
        call_command("import_retrofits", str(ledger(tmp_path, GOOD[1].replace(",E,", ",W,"))), user=admin.username)
    assert "此位置在E街道，不在W街道。" in capsys.readouterr().out


def test_a_dry_run_with_a_bad_row_fails_and_names_it(tmp_path, district, capsys):
    admin = make_district_admin()
    with pytest.raises(CommandError, match="Dry run"):
        call_command("import_retrofits", str(ledger(tmp_path, GOOD[1].replace(",E,", ",W,"))),
                     user=admin.username, dry_run=True)
    assert "\t2\tstreet\t" in capsys.readouterr().out and not ElevatorRetrofit.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_staff_import_page_previews_and_imports_the_ledger_as_a_job(tmp_path, district, client, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dataio.models import Job
    from tests.dataio.jobs import run_queued_jobs

    settings.DATAIO_IMPORT_DIR = tmp_path / "pending"
    admin = make_district_admin()
    client.force_login(admin)
    upload = SimpleUploadedFile("台账.csv", ledger(tmp_path, *GOOD).read_bytes(), content_type="text/csv")
    preview = client.post("/staff/import/", {"step": "preview", "file": upload, "kind": "retrofit_ledger"})
    assert preview.status_code == 200 and preview.context["report"].to_create == 2
    assert [f["properties"]["name"] for f in preview.context["preview"]] == ["多宝路26号", "龙津西路3号"]
    assert not ElevatorRetrofit.objects.exists()
    done = client.post("/staff/import/", {"step": "confirm", "token": preview.context["pending"]["token"]})
    assert done.status_code == 302 and "/staff/jobs/" in done["Location"]  # a background job (issue 20)
    run_queued_jobs()
    assert Job.objects.get().phase == Job.Phase.DONE
    assert ElevatorRetrofit.objects.count() == 2 and StageEvent.objects.count() == 8
    assert not any((tmp_path / "pending").iterdir())


def test_the_staff_import_page_shows_a_bad_ledger_row_and_imports_nothing(tmp_path, district, client, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.DATAIO_IMPORT_DIR = tmp_path / "pending"
    client.force_login(make_district_admin())
    bad = GOOD[1].replace("2022-07-01", "2022-04-01")
    upload = SimpleUploadedFile("ledger.csv", ledger(tmp_path, GOOD[0], bad).read_bytes(), content_type="text/csv")
    preview = client.post("/staff/import/", {"step": "preview", "file": upload, "kind": "retrofit_ledger"},
                          HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert preview.status_code == 422
    assert [(p.row, p.field) for p in preview.context["report"].problems] == [(3, "consent_on")]
    assert "日期须按顺序" in preview.content.decode()
    assert not ElevatorRetrofit.objects.exists()


def test_an_xlsx_ledger_with_real_dates_and_numbers(tmp_path, district):
    import datetime

    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    for line in GOOD:
        cells = line.split(",")
        row = []
        for header, cell in zip(HEADER.split(","), cells):
            if header.endswith("日期") and cell:
                row.append(datetime.datetime.fromisoformat(cell))  # Excel keeps dates as dates
            elif header in ("经度", "纬度", "楼层数", "户数") and cell:
                row.append(float(cell))
            else:
                row.append(cell or None)
        sheet.append(row)
    path = tmp_path / "台账.xlsx"
    workbook.save(path)
    call_command("import_retrofits", str(path), user=make_district_admin().username)
    first = ElevatorRetrofit.objects.get(external_id="LW-2019-001")
    assert first.floors == 8 and first.stage == RetrofitStage.IN_SERVICE
    assert StageEvent.objects.get(retrofit=first, stage="in_service").happened_on == datetime.date(2020, 2, 1)


def test_a_file_that_is_not_a_workbook_is_refused_clearly(tmp_path, district):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(b"not a zip at all")
    with pytest.raises(CommandError, match="not a readable XLSX"):
        call_command("import_retrofits", str(path), user=make_district_admin().username)
    assert not ElevatorRetrofit.objects.exists()
