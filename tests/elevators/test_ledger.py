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
